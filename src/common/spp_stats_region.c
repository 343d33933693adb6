/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "spp_stats_region.h"

void
spp_stats_region_reset(struct spp_stats_region *r, uint16_t client_id, const char *type,
		       uint64_t owner)
{
	uint64_t gen = spp_stats_region_valid(r) ? r->generation : 0;

	/* Readers in other processes see owner 0 (not trusted) while this runs. */
	__atomic_store_n(&r->owner, 0, __ATOMIC_RELEASE);
	memset(r, 0, sizeof(*r));
	r->magic = SPP_STATS_MAGIC;
	r->version = SPP_STATS_VERSION;
	r->client_id = client_id;
	r->generation = gen + 1;
	snprintf(r->type, sizeof(r->type), "%s", type);
	r->nb_comp_slots = SPP_MAX_COMPONENTS;
	r->nb_port_slots = SPP_STATS_MAX_PORTS;
	__atomic_store_n(&r->owner, owner, __ATOMIC_RELEASE);
}

bool
spp_stats_region_valid(const struct spp_stats_region *r)
{
	return r->magic == SPP_STATS_MAGIC && r->version == SPP_STATS_VERSION;
}

struct spp_comp_stats *
spp_stats_comp_alloc(struct spp_stats_region *r, const char *name, uint8_t kind,
		     uint16_t lcore)
{
	for (unsigned int i = 0; i < SPP_MAX_COMPONENTS; i++) {
		struct spp_comp_slot *s = &r->comps[i];

		if (__atomic_load_n(&s->used, __ATOMIC_RELAXED) != 0)
			continue;
		memset(&s->stats, 0, sizeof(s->stats));
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->kind = kind;
		s->lcore = lcore;
		__atomic_store_n(&s->used, 1, __ATOMIC_RELEASE);
		return &s->stats;
	}
	return NULL;
}

void
spp_stats_comp_free(struct spp_stats_region *r, struct spp_comp_stats *stats)
{
	for (unsigned int i = 0; stats != NULL && i < SPP_MAX_COMPONENTS; i++) {
		if (&r->comps[i].stats == stats) {
			__atomic_store_n(&r->comps[i].used, 0, __ATOMIC_RELEASE);
			return;
		}
	}
}

struct spp_port_stats *
spp_stats_port_alloc(struct spp_stats_region *r, const char *uid)
{
	struct spp_port_slot *free_slot = NULL;

	for (unsigned int i = 0; i < SPP_STATS_MAX_PORTS; i++) {
		struct spp_port_slot *s = &r->ports[i];

		if (__atomic_load_n(&s->used, __ATOMIC_RELAXED) == 0) {
			if (free_slot == NULL)
				free_slot = s;
			continue;
		}
		if (strcmp(s->uid, uid) == 0)
			return &s->stats;
	}
	if (free_slot == NULL)
		return NULL;
	memset(&free_slot->stats, 0, sizeof(free_slot->stats));
	snprintf(free_slot->uid, sizeof(free_slot->uid), "%s", uid);
	__atomic_store_n(&free_slot->used, 1, __ATOMIC_RELEASE);
	return &free_slot->stats;
}

unsigned int
spp_stats_nb_comps(const struct spp_stats_region *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SPP_MAX_COMPONENTS; i++)
		n += __atomic_load_n(&r->comps[i].used, __ATOMIC_RELAXED) != 0;
	return n;
}

unsigned int
spp_stats_nb_ports(const struct spp_stats_region *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SPP_STATS_MAX_PORTS; i++)
		n += __atomic_load_n(&r->ports[i].used, __ATOMIC_RELAXED) != 0;
	return n;
}
