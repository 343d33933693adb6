/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spp_port.h"

void
spp_port_table_init(struct spp_port_table *t, struct spp_shared_info *shm)
{
	memset(t, 0, sizeof(*t));
	t->shm = shm;
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
spp_port_prepare(struct spp_port_table *t, const struct spp_port_id *id)
{
	struct spp_port_rt *p = spp_port_lookup(t, id);
	struct rte_ring *ring = NULL;

	if (p != NULL)
		return p;
	switch (id->type) {
	case SPP_PORT_RING: {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), SPP_RING_NAME_FMT, id->num);
		ring = rte_ring_lookup(name);
		if (ring == NULL) {
			errno = ENOENT;
			return NULL;
		}
		break;
	}
	case SPP_PORT_PHY:
		break;
	default:
		/* vhost:N needs rte_vhost in this process: not built yet. */
		errno = ENOTSUP;
		return NULL;
	}
	if (t->nb_ports == t->capacity) {
		unsigned int cap = t->capacity == 0 ? 16 : t->capacity * 2;
		struct spp_port_rt **ports = realloc(t->ports, sizeof(*ports) * cap);

		if (ports == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		t->ports = ports;
		t->capacity = cap;
	}
	/* Private memory (SPEC §1.2); aligned for the per-writer cache lines. */
	p = aligned_alloc(64, sizeof(*p));
	if (p == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(p, 0, sizeof(*p));
	p->id = *id;
	p->ring = ring;
	if (id->type == SPP_PORT_PHY) {
		p->ethdev_id = t->shm->phy[id->num].ethdev_id;
		p->queue = id->queue == SPP_NO_QUEUE ? 0 : (uint16_t)id->queue;
		p->totals = &t->shm->phy_totals[id->num];
	} else {
		p->totals = &t->shm->ring_totals[id->num];
	}
	t->ports[t->nb_ports++] = p;
	return p;
}
