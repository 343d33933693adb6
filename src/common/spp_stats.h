/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters of components and ports (SPEC §9.1).
 *
 * Each counter has a single writer, the worker lcore that owns the
 * component or the (port, direction) attachment; it adds with a relaxed
 * store (no read-modify-write, no lock). The manager reads with relaxed
 * loads for status. Writers change only across a plan switch, which is
 * ordered by the plan's release/acquire handshake (spp_plan.h).
 */
#ifndef SPP_STATS_H
#define SPP_STATS_H

#include <stdint.h>

enum spp_drop_reason {
	SPP_DROP_NO_DEST,	/* classifier: no entry and no default */
	SPP_DROP_TX_FULL,	/* the tx port refused the packet */
	SPP_DROP_LINK_DOWN,	/* vhost device not ready */
	SPP_DROP_NOMBUF,	/* no mbuf for a copy */
	SPP_DROP_VLAN_ERROR,	/* tag op impossible: no headroom, truncated tag */
	SPP_DROP_MALFORMED,	/* runt, or VID 4095 */
	SPP_DROP_MAX,
};

/* Names in the order status lists them (SPEC §9.2). */
extern const char *const spp_drop_reason_names[SPP_DROP_MAX];

struct spp_comp_stats {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t drop_packets;
	uint64_t drop_bytes;
	uint64_t dup_packets;
	uint64_t drops[SPP_DROP_MAX];
} __attribute__((aligned(64)));

/* Per (port, process); rx and tx halves have different writers. */
struct spp_port_stats {
	struct {
		uint64_t packets;
		uint64_t bytes;
	} rx __attribute__((aligned(64)));
	struct {
		uint64_t packets;
		uint64_t bytes;
		uint64_t drop_packets;
		uint64_t drop_bytes;
	} tx __attribute__((aligned(64)));
};

/* Writer side: counter += v, visible to relaxed readers, single writer only. */
static inline void
spp_stat_add(uint64_t *counter, uint64_t v)
{
	__atomic_store_n(counter, *counter + v, __ATOMIC_RELAXED);
}

static inline uint64_t
spp_stat_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

#endif /* SPP_STATS_H */
