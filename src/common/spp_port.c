/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spp_port.h"

void
spp_port_table_init(struct spp_port_table *t, struct spp_shared_info *shm,
		    struct spp_stats_region *region)
{
	memset(t, 0, sizeof(*t));
	t->shm = shm;
	t->region = region;
}

struct spp_port_rt *
spp_port_lookup(const struct spp_port_table *t, const struct spp_port_id *id)
{
	for (unsigned int i = 0; i < t->nb_ports; i++)
		if (spp_uid_equal(&t->ports[i]->id, id))
			return t->ports[i];
	return NULL;
}

struct spp_port_rt *
spp_port_prepare(struct spp_port_table *t, const struct spp_port_id *id, char *detail,
		 size_t detail_size)
{
	struct spp_port_rt *p = spp_port_lookup(t, id);
	uint16_t queue = id->queue == SPP_NO_QUEUE ? 0 : (uint16_t)id->queue;
	struct spp_vhost_dev *dev = NULL;
	struct rte_ring *ring = NULL;
	char uid[SPP_UID_STR_SIZE];

	switch (id->type) {
	case SPP_PORT_RING: {
		char name[RTE_RING_NAMESIZE];

		if (p != NULL)
			return p;
		snprintf(name, sizeof(name), SPP_RING_NAME_FMT, id->num);
		ring = rte_ring_lookup(name);
		if (ring == NULL) {
			snprintf(detail, detail_size, "no ring %s", name);
			return NULL;
		}
		break;
	}
	case SPP_PORT_PHY:
		if (p != NULL)
			return p;
		break;
	case SPP_PORT_VHOST:
		/* The device may have been undone since the port object was made. */
		dev = spp_vhost_obtain(id->num, detail, detail_size);
		if (dev == NULL)
			return NULL;
		if (p != NULL)
			return p;
		break;
	}
	if (t->nb_ports == t->capacity) {
		unsigned int cap = t->capacity == 0 ? 16 : t->capacity * 2;
		struct spp_port_rt **ports = realloc(t->ports, sizeof(*ports) * cap);

		if (ports == NULL)
			goto nomem;
		t->ports = ports;
		t->capacity = cap;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		goto nomem;
	/* Counters in shared memory for spp_primary (issue 7); zero when new. */
	p->stats = spp_stats_port_alloc(t->region, spp_uid_format(id, uid, sizeof(uid)));
	if (p->stats == NULL) {
		free(p);
		snprintf(detail, detail_size, "no free counter slot (%d ports per process)",
			 SPP_STATS_MAX_PORTS);
		return NULL;
	}
	p->id = *id;
	switch (id->type) {
	case SPP_PORT_PHY:
		p->ethdev_id = t->shm->phy[id->num].ethdev_id;
		p->queue = queue;
		p->totals = &t->shm->phy_totals[id->num];
		break;
	case SPP_PORT_RING:
		p->ring = ring;
		p->totals = &t->shm->ring_totals[id->num];
		break;
	case SPP_PORT_VHOST:
		/* vhost counters are private only (SPEC §9.3). */
		p->queue = queue;
		p->vq = &dev->queues[queue];
		break;
	}
	t->ports[t->nb_ports++] = p;
	return p;

nomem:
	snprintf(detail, detail_size, "out of memory");
	return NULL;
}
