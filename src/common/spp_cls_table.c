/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "spp_cls_table.h"

struct spp_cls_table *
spp_cls_table_create(const struct spp_model *m, const struct spp_comp_cfg *c)
{
	struct spp_cls_table *t;
	uint32_t nb_macs = 0, slots = 8;
	int8_t vlan_default[SPP_NB_VIDS];

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	for (int i = 0; i < m->nb_entries; i++)
		if (!m->entries[i].is_default && spp_model_entry_active_in(&m->entries[i], c, NULL))
			nb_macs++;
	/* Load factor <= 1/2 keeps linear probes short at any table size. */
	while (slots < nb_macs * 2)
		slots <<= 1;
	t->mask = slots - 1;
	t->keys = calloc(slots, sizeof(*t->keys));
	t->dst = calloc(slots, sizeof(*t->dst));
	if (t->keys == NULL || t->dst == NULL) {
		spp_cls_table_destroy(t);
		errno = ENOMEM;
		return NULL;
	}

	memset(vlan_default, SPP_CLS_NO_DEST, sizeof(vlan_default));
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &m->entries[i];
		int idx;

		if (!spp_model_entry_active_in(e, c, &idx))
			continue;
		t->flood[e->vid] |= UINT64_C(1) << idx;
		if (e->is_default) {
			vlan_default[e->vid] = (int8_t)idx;
			continue;
		}
		uint64_t key = spp_cls_key(e->vid, e->mac);
		uint32_t s = spp_cls_hash(key, t->mask);

		while (t->keys[s] != 0)
			s = (s + 1) & t->mask;
		t->keys[s] = key;
		t->dst[s] = (int8_t)idx;
		t->nb_entries++;
	}

	/* Fold the general default G = D(untagged) into every tagged VLAN. */
	int8_t general = vlan_default[SPP_VID_UNTAGGED];

	for (int v = 0; v < SPP_NB_VIDS; v++) {
		t->miss_dst[v] = vlan_default[v];
		if (v == SPP_VID_UNTAGGED || general == SPP_CLS_NO_DEST)
			continue;
		if (t->miss_dst[v] == SPP_CLS_NO_DEST)
			t->miss_dst[v] = general;
		t->flood[v] |= UINT64_C(1) << general;
	}
	return t;
}

void
spp_cls_table_destroy(struct spp_cls_table *t)
{
	if (t == NULL)
		return;
	free(t->keys);
	free(t->dst);
	free(t);
}
