/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "spp_model.h"

struct spp_model *
spp_model_create(void)
{
	return calloc(1, sizeof(struct spp_model));
}

void
spp_model_destroy(struct spp_model *m)
{
	free(m);
}

void
spp_model_copy(struct spp_model *dst, const struct spp_model *src)
{
	/* Only the used prefixes: a full copy would be ~270 KiB per command. */
	dst->nb_comps = src->nb_comps;
	dst->nb_entries = src->nb_entries;
	dst->nb_captures = src->nb_captures;
	memcpy(dst->comps, src->comps, sizeof(src->comps[0]) * src->nb_comps);
	memcpy(dst->entries, src->entries, sizeof(src->entries[0]) * src->nb_entries);
	memcpy(dst->captures, src->captures, sizeof(src->captures[0]) * src->nb_captures);
}

const char *
spp_comp_kind_name(enum spp_comp_kind kind)
{
	static const char *const names[SPP_COMP_KIND_MAX] = {
		[SPP_COMP_FORWARD] = "forward",
		[SPP_COMP_MERGE] = "merge",
		[SPP_COMP_CLASSIFIER] = "classifier",
		[SPP_COMP_MIRROR] = "mirror",
	};

	return kind < SPP_COMP_KIND_MAX ? names[kind] : "unknown";
}

int
spp_model_find_comp(const struct spp_model *m, const char *name)
{
	for (int i = 0; i < m->nb_comps; i++)
		if (strcmp(m->comps[i].name, name) == 0)
			return i;
	return -1;
}

int
spp_comp_find_attach(const struct spp_comp_cfg *c, const struct spp_port_id *port,
		     enum spp_dir dir)
{
	const struct spp_attach_cfg *a = dir == SPP_DIR_RX ? c->rx : c->tx;
	int n = dir == SPP_DIR_RX ? c->nb_rx : c->nb_tx;

	for (int i = 0; i < n; i++)
		if (spp_uid_equal(&a[i].port, port))
			return i;
	return -1;
}

int
spp_model_port_user(const struct spp_model *m, const struct spp_port_id *port,
		    enum spp_dir dir, int *attach_idx)
{
	for (int i = 0; i < m->nb_comps; i++) {
		int idx = spp_comp_find_attach(&m->comps[i], port, dir);

		if (idx >= 0) {
			if (attach_idx != NULL)
				*attach_idx = idx;
			return i;
		}
	}
	return -1;
}

bool
spp_model_entry_active_in(const struct spp_cls_entry *e, const struct spp_comp_cfg *c,
			  int *tx_idx)
{
	int idx;

	if (c->kind != SPP_COMP_CLASSIFIER)
		return false;
	idx = spp_comp_find_attach(c, &e->port, SPP_DIR_TX);
	if (idx < 0)
		return false;
	if (tx_idx != NULL)
		*tx_idx = idx;
	return true;
}

bool
spp_model_comp_runnable(const struct spp_model *m, const struct spp_comp_cfg *c)
{
	switch (c->kind) {
	case SPP_COMP_FORWARD:
		return c->nb_rx == 1 && c->nb_tx == 1;
	case SPP_COMP_MERGE:
		return c->nb_rx >= 1 && c->nb_tx == 1;
	case SPP_COMP_MIRROR:
		return c->nb_rx == 1 && c->nb_tx == 2;
	case SPP_COMP_CLASSIFIER:
		if (c->nb_rx != 1 || c->nb_tx < 1)
			return false;
		for (int i = 0; i < m->nb_entries; i++)
			if (spp_model_entry_active_in(&m->entries[i], c, NULL))
				return true;
		return false;
	default:
		return false;
	}
}

int
spp_model_find_capture(const struct spp_model *m, const struct spp_port_id *port,
		       unsigned int dirs, bool exact)
{
	for (int i = 0; i < m->nb_captures; i++) {
		const struct spp_capture_cfg *c = &m->captures[i];

		if (!spp_uid_equal(&c->port, port))
			continue;
		if (exact ? c->dirs == dirs : (c->dirs & dirs) != 0)
			return i;
	}
	return -1;
}

void
spp_model_capture_lcores(const struct spp_model *m, const struct spp_port_id *port,
			 unsigned int dirs, int *lcore, int *lcore2)
{
	*lcore = -1;
	*lcore2 = -1;
	for (int d = SPP_DIR_RX; d <= SPP_DIR_TX; d++) {
		int ci;

		if ((dirs & (1u << d)) == 0)
			continue;
		ci = spp_model_port_user(m, port, (enum spp_dir)d, NULL);
		if (ci < 0)
			continue;
		if (*lcore < 0)
			*lcore = m->comps[ci].lcore;
		else if (m->comps[ci].lcore != *lcore)
			*lcore2 = m->comps[ci].lcore;
	}
}

void
spp_model_prune_captures(struct spp_model *m)
{
	int kept = 0;

	for (int i = 0; i < m->nb_captures; i++) {
		const struct spp_capture_cfg *c = &m->captures[i];
		bool attached = false;

		for (int d = SPP_DIR_RX; d <= SPP_DIR_TX; d++)
			if ((c->dirs & (1u << d)) != 0 &&
			    spp_model_port_user(m, &c->port, (enum spp_dir)d, NULL) >= 0)
				attached = true;
		if (attached)
			m->captures[kept++] = *c;
	}
	m->nb_captures = (uint16_t)kept;
}
