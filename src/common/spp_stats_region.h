/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The counter region of one client id (issue 7, docs/design.md
 * "Counters in shared memory"): memzone "spp_stats_<id>", holding the
 * counters of SPEC §9.1 of the spp_vf / spp_mirror process that runs as
 * that client id, so that spp_primary can read them (telemetry).
 *
 * Life: looked up first and reused across restarts of the same id,
 * created by the secondary if absent, never freed (like the mirror copy
 * pools, SPEC §3.3). At start-up the process resets it (every counter
 * zero, SPEC §9.1), bumps the generation and stores its owner word last.
 *
 * Writers: the manager thread of the owner allocates and frees slots and
 * writes their names; each counter has a single writer, the worker lcore
 * of its component or (port, direction) attachment, with relaxed stores
 * (spp_stats.h), exactly as with private counters. Readers (status, and
 * spp_primary's telemetry) use relaxed loads; a reader in another process
 * trusts the region only while `owner` is a live process (spp_shm.h).
 *
 * No pointers, no DPDK types: the layout is the same in every process of
 * one build, and this file links into unit tests without the EAL.
 */
#ifndef SPP_STATS_REGION_H
#define SPP_STATS_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "spp_limits.h"
#include "spp_stats.h"
#include "spp_uid.h"

#define SPP_STATS_NAME_FMT	"spp_stats_%u"
#define SPP_STATS_MAGIC		UINT64_C(0x7370705f73746131)	/* "spp_sta1" */
#define SPP_STATS_VERSION	1
/* Distinct port UIDs one process can count (ports are never freed). */
#define SPP_STATS_MAX_PORTS	512
#define SPP_STATS_TYPE_SIZE	8	/* "vf", "mirror" */

struct spp_comp_slot {
	struct spp_comp_stats stats;	/* worker of the component */
	/* Manager: name, kind and lcore first, then used = 1 (release). */
	uint32_t used;
	uint16_t lcore;
	uint8_t kind;			/* enum spp_comp_kind */
	char name[SPP_MAX_NAME_LEN + 1];
} __attribute__((aligned(64)));

struct spp_port_slot {
	struct spp_port_stats stats;	/* rx half / tx half: their workers */
	/* Manager: uid first, then used = 1 (release). Never freed. */
	uint32_t used;
	char uid[SPP_UID_STR_SIZE];	/* canonical form, "phy:0 nq 1" */
} __attribute__((aligned(64)));

struct spp_stats_region {
	/* Written by the owner at start-up; owner last (release). */
	uint64_t magic;
	uint32_t version;
	uint16_t client_id;
	uint16_t pad0;
	uint64_t generation;		/* +1 at each start of the id */
	uint64_t owner;			/* spp_owner_self() of the process */
	char type[SPP_STATS_TYPE_SIZE];	/* process type: "vf", "mirror" */
	uint32_t nb_comp_slots;		/* SPP_MAX_COMPONENTS */
	uint32_t nb_port_slots;		/* SPP_STATS_MAX_PORTS */

	struct spp_comp_slot comps[SPP_MAX_COMPONENTS] __attribute__((aligned(64)));
	struct spp_port_slot ports[SPP_STATS_MAX_PORTS];
};

/*
 * Make r the empty region of (client_id, type) owned by owner: every
 * slot free, every counter zero, generation + 1 (kept from the previous
 * owner when magic and version match), owner stored last (release).
 * Thread: the owner's manager, before any worker runs.
 */
void spp_stats_region_reset(struct spp_stats_region *r, uint16_t client_id, const char *type,
			    uint64_t owner);

/*
 * A free component slot for (name, kind, lcore), counters zero (SPEC
 * §9.1: zero at `component start`). Manager only. Returns its counters,
 * or NULL when all SPP_MAX_COMPONENTS slots are used.
 */
struct spp_comp_stats *spp_stats_comp_alloc(struct spp_stats_region *r, const char *name,
					    uint8_t kind, uint16_t lcore);

/*
 * Free the slot of s (counters from spp_stats_comp_alloc of r), for reuse
 * by a later component. Only once no worker can write s any more (its
 * plan is gone). NULL, or s not in r: nothing. Manager only.
 */
void spp_stats_comp_free(struct spp_stats_region *r, struct spp_comp_stats *s);

/*
 * The port slot of uid (canonical form): the used one with that uid, or a
 * free one taken for it, counters zero. Manager only. Returns its
 * counters, or NULL when all SPP_STATS_MAX_PORTS slots are used.
 */
struct spp_port_stats *spp_stats_port_alloc(struct spp_stats_region *r, const char *uid);

/* Used component / port slots of r. Any thread (relaxed). */
unsigned int spp_stats_nb_comps(const struct spp_stats_region *r);
unsigned int spp_stats_nb_ports(const struct spp_stats_region *r);

/* True when r has this build's magic and version. */
bool spp_stats_region_valid(const struct spp_stats_region *r);

#endif /* SPP_STATS_REGION_H */
