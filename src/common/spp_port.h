/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runtime ports of a secondary (SPEC §3.2): a UID resolved to its ethdev
 * queue or rte_ring, with this process's counters (§9.1, in a port slot of
 * the process's counter region, spp_stats_region.h) and a pointer to the
 * shared totals (§9.3).
 *
 * The port table is manager-owned; a port object, once created, lives
 * until the process exits (its counters outlive detaches), so plans may
 * point at it. Workers use the burst functions of spp_worker.h on it.
 */
#ifndef SPP_PORT_H
#define SPP_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ring.h>

#include "spp_shm.h"
#include "spp_stats.h"
#include "spp_uid.h"
#include "spp_vhost.h"

struct spp_port_rt {
	struct spp_port_stats *stats;	/* its slot in the counter region */
	struct spp_port_id id;
	uint16_t ethdev_id;		/* phy */
	uint16_t queue;			/* phy: 0 without nq */
	struct rte_ring *ring;		/* ring */
	struct spp_vhost_queue *vq;	/* vhost: its queue pair */
	struct spp_port_totals *totals;	/* shared; phy and ring; NULL for vhost */
	bool ever_attached;		/* manager: listed in status once true */
};

struct spp_port_table {
	struct spp_shared_info *shm;
	struct spp_stats_region *region;	/* port counters live here */
	unsigned int nb_ports;
	unsigned int capacity;
	struct spp_port_rt **ports;
};

/* Manager only. Port counters are taken from region's port slots. */
void spp_port_table_init(struct spp_port_table *t, struct spp_shared_info *shm,
			 struct spp_stats_region *region);

/* The port object of id, or NULL. Manager only. */
struct spp_port_rt *spp_port_lookup(const struct spp_port_table *t, const struct spp_port_id *id);

/*
 * The port object of id, created on first use (ring lookup). Manager only.
 * A vhost port's device is created on first use (spp_vhost_obtain) and
 * belongs to the caller's transaction until spp_vhost_commit/undo.
 * Returns NULL with detail (a sentence for the error reply) filled when
 * the resource cannot be had (including a full counter region: at most
 * SPP_STATS_MAX_PORTS distinct UIDs per process).
 */
struct spp_port_rt *spp_port_prepare(struct spp_port_table *t, const struct spp_port_id *id,
				     char *detail, size_t detail_size);

#endif /* SPP_PORT_H */
