/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker lcores and their plans (SPEC §8.2, §8.8).
 *
 * A plan is an immutable snapshot of what one lcore runs: its runnable
 * components in start order, each with resolved ports, VLAN ops, counters
 * and (classifier) lookup table. The manager builds a plan, publishes it
 * and waits until the worker acknowledges it between two polls; only then
 * is the previous plan freed (RCU with a grace period of one iteration).
 *
 * Fast-path helpers below run on worker lcores only: no lock, no
 * allocation except mbuf copies, no system call, no logging.
 */
#ifndef SPP_WORKER_H
#define SPP_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "spp_cls_table.h"
#include "spp_model.h"
#include "spp_port.h"
#include "spp_stats.h"
#include "spp_vlan.h"

struct spp_worker;
struct spp_comp_rt;

/* One poll of a component: sends or frees all it received. Returns packets received. */
typedef uint16_t (*spp_run_burst_t)(struct spp_worker *w, const struct spp_comp_rt *c);

struct spp_attach_rt {
	struct spp_port_rt *port;
	struct spp_vlan_op op;
	/* [EXT] The capture ring of this (port, direction), NULL when not captured. */
	struct spp_cap_ring *cap;
};

struct spp_comp_rt {
	spp_run_burst_t run_burst;
	struct spp_comp_stats *stats;
	const struct spp_cls_table *cls;	/* classifier */
	struct rte_mempool *copy_pool;		/* mirror: pool of its copy mode */
	uint8_t copy_mode;			/* mirror: enum spp_copy_mode */
	uint16_t nb_rx;
	uint16_t nb_tx;
	struct spp_attach_rt rx[SPP_MAX_PORTS_PER_DIR];
	struct spp_attach_rt tx[SPP_MAX_PORTS_PER_DIR];
};

struct spp_plan {
	uint64_t gen;
	uint16_t nb_comps;
	struct spp_comp_rt comps[];
};

struct spp_worker {
	/* Manager -> worker: the next plan (release); the worker takes it. */
	struct spp_plan *pending __rte_cache_aligned;
	/* Worker -> manager: generation of the plan in use (release). */
	uint64_t active_gen __rte_cache_aligned;

	/* Worker private. */
	bool phy_ok __rte_cache_aligned;	/* the primary is RUNNING */
	struct rte_mempool *pool;		/* MProc_pktmbuf_pool, for copies */
	/* Classifier scratch: one output array per tx port (16 KiB). */
	struct rte_mbuf *out[SPP_MAX_PORTS_PER_DIR][SPP_BURST_SIZE];

	/* Manager private. */
	struct spp_plan *installed __rte_cache_aligned;
	uint64_t next_gen;
	unsigned int lcore;
};

/* Process-wide data-plane state. */
struct spp_dataplane {
	struct spp_worker workers[SPP_MAX_LCORES];
	const struct spp_shared_info *shm;
	struct rte_mempool *pool;
	/* spp_mirror's copy pools by enum spp_copy_mode; NULL until needed. */
	struct rte_mempool *copy_pools[2];
	uint32_t idle_sleep_us;
	uint32_t update_timeout_ms;
	bool stop;
	spp_run_burst_t kinds[SPP_COMP_KIND_MAX];
};

/* ---- manager side ---- */

/* Set up the workers of every EAL worker lcore and launch them. Main lcore. */
int spp_dataplane_start(struct spp_dataplane *dp);

/* Publish empty plans, stop and join workers, flush their caches. Main lcore. */
void spp_dataplane_stop(struct spp_dataplane *dp);

/*
 * Build the plan of lcore from model m: its runnable components (SPEC
 * §8.3), with ports resolved in ports (each attached port must have been
 * prepared). Returns NULL with errno set on ENOMEM.
 */
struct spp_plan *spp_plan_build(const struct spp_dataplane *dp, const struct spp_model *m,
				unsigned int lcore, const struct spp_port_table *ports);

/* destroy(NULL) is a no-op; frees the plan's classifier tables too. */
void spp_plan_destroy(struct spp_plan *p);

/*
 * Hand p to the worker of lcore and wait for its acknowledgement
 * (--update-timeout-ms). On success the previous plan is freed and p is
 * owned by the worker's slot. Returns 0, or -ETIMEDOUT: p was never
 * adopted and still belongs to the caller.
 */
int spp_plan_publish(struct spp_dataplane *dp, unsigned int lcore, struct spp_plan *p);

/* ---- worker side (fast path) ---- */

static inline uint64_t
spp_pkts_bytes(struct rte_mbuf *const *pkts, uint16_t n)
{
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	return bytes;
}

/*
 * Receive up to n packets from port and count them on the port and on the
 * component cs (before rx ops). A phy port is not polled while the primary
 * is stopping; a vhost queue that is not ready yields nothing. Returns the
 * packets received.
 */
static inline uint16_t
spp_port_rx_burst(struct spp_worker *w, struct spp_port_rt *p, struct rte_mbuf **pkts,
		  uint16_t n, struct spp_comp_stats *cs)
{
	uint16_t nb;
	uint64_t bytes;

	switch (p->id.type) {
	case SPP_PORT_PHY:
		if (unlikely(!w->phy_ok))
			return 0;
		nb = rte_eth_rx_burst(p->ethdev_id, p->queue, pkts, n);
		break;
	case SPP_PORT_RING:
		nb = (uint16_t)rte_ring_dequeue_burst(p->ring, (void **)pkts, n, NULL);
		break;
	case SPP_PORT_VHOST:
		nb = spp_vhost_rx_burst(p->vq, w->pool, pkts, n);
		break;
	default:
		return 0;
	}
	if (nb == 0)
		return 0;
	bytes = spp_pkts_bytes(pkts, nb);
	spp_stat_add(&p->stats->rx.packets, nb);
	spp_stat_add(&p->stats->rx.bytes, bytes);
	spp_stat_add(&cs->rx_packets, nb);
	spp_stat_add(&cs->rx_bytes, bytes);
	if (p->id.type == SPP_PORT_RING) {
		__atomic_fetch_add(&p->totals->rx.packets, nb, __ATOMIC_RELAXED);
		__atomic_fetch_add(&p->totals->rx.bytes, bytes, __ATOMIC_RELAXED);
	}
	return nb;
}

/* Count n packets of bytes dropped for reason on the component. */
static inline void
spp_comp_drop(struct spp_comp_stats *cs, enum spp_drop_reason reason, uint64_t n,
	      uint64_t bytes)
{
	spp_stat_add(&cs->drop_packets, n);
	spp_stat_add(&cs->drop_bytes, bytes);
	spp_stat_add(&cs->drops[reason], n);
}

/* Count tx-side drops destined to port (SPEC §9.1). */
static inline void
spp_port_tx_drop(struct spp_port_rt *p, uint64_t n, uint64_t bytes)
{
	spp_stat_add(&p->stats->tx.drop_packets, n);
	spp_stat_add(&p->stats->tx.drop_bytes, bytes);
	if (p->totals == NULL)	/* vhost: private counters only */
		return;
	__atomic_fetch_add(&p->totals->tx.drop_packets, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&p->totals->tx.drop_bytes, bytes, __ATOMIC_RELAXED);
}

/*
 * spp_port_tx_burst for vhost: rte_vhost copies into the guest, so all n
 * are freed here. Unsent packets count link_down when the queue is not
 * ready, tx_full when the guest's ring is full.
 */
static inline uint16_t
spp_vhost_port_tx_burst(struct spp_port_rt *p, struct rte_mbuf **pkts, uint16_t n,
			uint64_t bytes, struct spp_comp_stats *cs)
{
	uint64_t drop_bytes = 0;
	bool down;
	uint16_t sent = spp_vhost_tx_burst(p->vq, pkts, n, &down);

	if (unlikely(sent < n)) {
		drop_bytes = spp_pkts_bytes(pkts + sent, n - sent);
		spp_port_tx_drop(p, n - sent, drop_bytes);
		spp_comp_drop(cs, down ? SPP_DROP_LINK_DOWN : SPP_DROP_TX_FULL, n - sent,
			      drop_bytes);
	}
	rte_pktmbuf_free_bulk(pkts, n);
	if (sent > 0) {
		spp_stat_add(&p->stats->tx.packets, sent);
		spp_stat_add(&p->stats->tx.bytes, bytes - drop_bytes);
		spp_stat_add(&cs->tx_packets, sent);
		spp_stat_add(&cs->tx_bytes, bytes - drop_bytes);
	}
	return sent;
}

/*
 * Send n packets to port. Ownership: takes all n; what the port refuses is
 * freed and counted tx_full (link_down: a vhost queue not ready) on the
 * port and on cs. Returns packets sent.
 */
static inline uint16_t
spp_port_tx_burst(struct spp_worker *w, struct spp_port_rt *p, struct rte_mbuf **pkts,
		  uint16_t n, struct spp_comp_stats *cs)
{
	/* Lengths first: once sent, another process may already free them. */
	uint64_t bytes = spp_pkts_bytes(pkts, n);
	uint64_t drop_bytes = 0;
	uint16_t sent;

	if (n == 0)
		return 0;
	switch (p->id.type) {
	case SPP_PORT_PHY:
		sent = likely(w->phy_ok) ? rte_eth_tx_burst(p->ethdev_id, p->queue, pkts, n) : 0;
		break;
	case SPP_PORT_RING:
		sent = (uint16_t)rte_ring_enqueue_burst(p->ring, (void **)pkts, n, NULL);
		break;
	case SPP_PORT_VHOST:
		return spp_vhost_port_tx_burst(p, pkts, n, bytes, cs);
	default:
		sent = 0;
		break;
	}
	if (unlikely(sent < n)) {
		drop_bytes = spp_pkts_bytes(pkts + sent, n - sent);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		spp_port_tx_drop(p, n - sent, drop_bytes);
		spp_comp_drop(cs, SPP_DROP_TX_FULL, n - sent, drop_bytes);
	}
	if (sent > 0) {
		spp_stat_add(&p->stats->tx.packets, sent);
		spp_stat_add(&p->stats->tx.bytes, bytes - drop_bytes);
		spp_stat_add(&cs->tx_packets, sent);
		spp_stat_add(&cs->tx_bytes, bytes - drop_bytes);
		if (p->id.type == SPP_PORT_RING) {
			__atomic_fetch_add(&p->totals->tx.packets, sent, __ATOMIC_RELAXED);
			__atomic_fetch_add(&p->totals->tx.bytes, bytes - drop_bytes,
					   __ATOMIC_RELAXED);
		}
	}
	return sent;
}

/*
 * Apply op to each of pkts[0..n), compacting the array: packets whose op
 * fails are freed and counted on cs (and on tx_port, for a tx op, as a
 * drop destined to it; NULL for rx ops). Returns the packets kept.
 */
static inline uint16_t
spp_apply_vlan_op(struct spp_worker *w, const struct spp_vlan_op *op, struct rte_mbuf **pkts,
		  uint16_t n, struct spp_comp_stats *cs, struct spp_port_rt *tx_port)
{
	uint16_t kept = 0;

	if (op->kind == SPP_VLAN_NONE)
		return n;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int reason = spp_vlan_apply(op, &m, w->pool);

		if (likely(reason == 0)) {
			pkts[kept++] = m;
			continue;
		}
		spp_comp_drop(cs, (enum spp_drop_reason)reason, 1, m->pkt_len);
		if (tx_port != NULL)
			spp_port_tx_drop(tx_port, 1, m->pkt_len);
		rte_pktmbuf_free(m);
	}
	return kept;
}

/* ---- capture [EXT] (SPEC §9.4) ---- */

/*
 * Copy up to SPP_CAPTURE_SNAPLEN bytes of each of pkts[0..n) into r, with
 * one timestamp (TSC) for the burst; a full ring counts drops, the ring's
 * quota stops the copying. Never blocks; the mbufs are only read.
 * Thread: the worker lcore whose plan holds r. (spp_capture_burst.c)
 */
void spp_capture_burst(struct spp_cap_ring *r, struct rte_mbuf *const *pkts, uint16_t n);

/*
 * spp_port_rx_burst on attachment a, then its capture, if any, of what
 * was received (before rx ops). While nothing is captured the cost is one
 * predictable branch per burst.
 */
static inline uint16_t
spp_attach_rx_burst(struct spp_worker *w, const struct spp_attach_rt *a,
		    struct rte_mbuf **pkts, uint16_t n, struct spp_comp_stats *cs)
{
	uint16_t nb = spp_port_rx_burst(w, a->port, pkts, n, cs);

	if (unlikely(a->cap != NULL) && nb != 0)
		spp_capture_burst(a->cap, pkts, nb);
	return nb;
}

/*
 * The capture of attachment a, if any, of what is about to be sent (after
 * tx ops, so packets the port refuses are recorded too), then
 * spp_port_tx_burst: same ownership and return value.
 */
static inline uint16_t
spp_attach_tx_burst(struct spp_worker *w, const struct spp_attach_rt *a,
		    struct rte_mbuf **pkts, uint16_t n, struct spp_comp_stats *cs)
{
	if (unlikely(a->cap != NULL) && n != 0)
		spp_capture_burst(a->cap, pkts, n);
	return spp_port_tx_burst(w, a->port, pkts, n, cs);
}

#endif /* SPP_WORKER_H */
