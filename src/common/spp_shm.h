/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_shared_info: the one named memzone the primary creates for spp
 * (SPEC §3.3), and the claims taken in it (SPEC §3.4).
 *
 * No pointers in here: each process maps it at its own address. Every
 * field names its writer. Claims are owner words taken by CAS; an owner
 * is (client id, pid, start time), so the claim of a dead process -- or of
 * a recycled pid -- is free.
 */
#ifndef SPP_SHM_H
#define SPP_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "spp_limits.h"
#include "spp_model.h"
#include "spp_stats_region.h"

#define SPP_SHM_NAME		"spp_shared_info"
#define SPP_POOL_NAME		"MProc_pktmbuf_pool"
#define SPP_RING_NAME_FMT	"eth_ring%u"
/* spp_mirror's copy pools, per client id (SPEC §3.3, §8.7). */
#define SPP_MIRROR_POOL_FMT	"spp_mirror_pool_%u"	/* shallow: indirect mbufs */
#define SPP_MIRROR_DPOOL_FMT	"spp_mirror_dpool_%u"	/* deep: full data room */
#define SPP_SHM_MAGIC		UINT64_C(0x7370705f73686d31)	/* "spp_shm1" */
#define SPP_SHM_VERSION		1

enum spp_shm_state {
	SPP_STATE_RUNNING = 1,
	SPP_STATE_STOPPING = 2,
};

#define SPP_PRIMARY_CLIENT_ID	0

/* Written by the primary before ready_ns. */
struct spp_phy_info {
	uint16_t ethdev_id;
	uint16_t rxq;
	uint16_t txq;
	uint8_t mac[6];
	char name[64];
};

/*
 * Totals the primary cannot read from an ethdev (SPEC §9.3): added by
 * whichever worker moved the packets, once per burst, with relaxed
 * fetch-add (several processes and lcores share a ring or a phy's queues).
 * Never zeroed; the primary's `clear` moves its own baseline.
 */
struct spp_port_totals {
	struct {
		uint64_t packets;
		uint64_t bytes;
	} rx __rte_cache_aligned;
	struct {
		uint64_t packets;
		uint64_t bytes;
		uint64_t drop_packets;
		uint64_t drop_bytes;
	} tx __rte_cache_aligned;
};

struct spp_shared_info {
	/* Written by the primary before ready_ns; read-only afterwards. */
	uint64_t magic;
	uint32_t version;
	uint32_t standalone;		/* 1: owned by a --standalone process */
	uint64_t primary_owner;		/* spp_owner_self() of the primary */
	uint32_t nb_phy;
	uint32_t nb_rings;
	uint32_t ring_size;
	uint32_t pad0;
	struct spp_phy_info phy[SPP_MAX_PHY];
	/* CLOCK_MONOTONIC ns when all ports started; stored last (release). */
	uint64_t ready_ns;

	/* Written by the primary at shutdown; read by workers per loop. */
	uint32_t state __rte_cache_aligned;

	/* Claims: owner words, CAS only (spp_claim / spp_release). */
	uint64_t lcore_claims[SPP_MAX_LCORES] __rte_cache_aligned;
	uint64_t queue_claims[SPP_MAX_PHY][SPP_MAX_QUEUES][2];	/* [dir] */
	uint64_t vhost_claims[SPP_MAX_VHOST];
	uint64_t client_slots[SPP_MAX_CLIENTS];

	struct spp_port_totals phy_totals[SPP_MAX_PHY];
	struct spp_port_totals ring_totals[SPP_MAX_RINGS];
};

/* CLOCK_MONOTONIC in nanoseconds. Any thread. */
uint64_t spp_monotonic_ns(void);

/* Sleep us microseconds, resuming after signals until the deadline. */
void spp_sleep_us(uint64_t us);

/* The owner word of this process for client_id (0 = primary). */
uint64_t spp_owner_self(uint16_t client_id);
/* True when the process of owner still runs (pid exists, same start time). */
bool spp_owner_alive(uint64_t owner);
uint16_t spp_owner_client(uint64_t owner);
uint32_t spp_owner_pid(uint64_t owner);

/*
 * Take the claim in *slot for owner. Any thread.
 * Returns 0 (taken, or already ours), or -EBUSY with *holder set to the
 * live owner.
 */
int spp_claim(uint64_t *slot, uint64_t owner, uint64_t *holder);

/* Release *slot if owner holds it; otherwise nothing. */
void spp_release(uint64_t *slot, uint64_t owner);

/* True when *slot is held by a live process other than owner. */
bool spp_claimed_by_other(const uint64_t *slot, uint64_t owner);

/* Release every claim of owner in shm (exit path). */
void spp_release_all(struct spp_shared_info *shm, uint64_t owner);

/*
 * The counter region of client_id (spp_stats_region.h): looked up, or
 * created if absent; never freed. Manager of a secondary at start-up, before
 * its workers run. Returns NULL with rte_errno set (no memory, or a region
 * of another layout).
 */
struct spp_stats_region *spp_stats_region_obtain(uint16_t client_id);

/*
 * The counter region of client_id if it exists, has this build's layout
 * and is owned by a live process (any thread, e.g. spp_primary's
 * telemetry); else NULL.
 */
struct spp_stats_region *spp_stats_region_live(uint16_t client_id);

/* Queue claim slot of (phy N, queue, dir); queue SPP_NO_QUEUE means 0. */
uint64_t *spp_queue_claim(struct spp_shared_info *shm, const struct spp_port_id *id,
			  enum spp_dir dir);

#endif /* SPP_SHM_H */
