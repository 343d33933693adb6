/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_telemetry.h>

#include "spp_model.h"
#include "spp_stats_region.h"
#include "telemetry.h"

/* Read by the telemetry thread; set once before registration. */
static const struct spp_shared_info *tel_shm;

/*
 * Dictionary keys may hold only [A-Za-z0-9_/] on 22.11: other bytes become
 * '_' ("phy:0 nq 1" -> "phy_0_nq_1"); every entry also carries its exact
 * name as a string value.
 */
static void
key_of(char *out, size_t size, const char *prefix, const char *name)
{
	int n = snprintf(out, size, "%s%s", prefix, name);

	if (n < 0)
		return;
	for (char *p = out; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '/')
			*p = '_';
}

/*
 * The client ids a command covers: params "" = all, "N" = that id only.
 * Returns 0, or -EINVAL for anything else.
 */
static int
parse_id(const char *params, int *only)
{
	char *end;
	long v;

	*only = -1;
	if (params == NULL || params[0] == '\0')
		return 0;
	v = strtol(params, &end, 10);
	if (*end != '\0' || v < 0 || v >= SPP_MAX_CLIENTS)
		return -EINVAL;
	*only = (int)v;
	return 0;
}

/* "vf:2" */
static void
process_name(const struct spp_stats_region *r, char *out, size_t size)
{
	snprintf(out, size, "%.*s:%u", SPP_STATS_TYPE_SIZE, r->type, r->client_id);
}

/*
 * Call fn for the region of every live secondary (or only client id only);
 * a region counts only while the client slot and the region name the same
 * live owner.
 */
typedef void (*region_fn)(const struct spp_stats_region *r, struct rte_tel_data *d, void *arg);

static void
for_each_region(int only, region_fn fn, struct rte_tel_data *d, void *arg)
{
	for (int c = 1; c < SPP_MAX_CLIENTS; c++) {
		uint64_t slot = __atomic_load_n(&tel_shm->client_slots[c], __ATOMIC_ACQUIRE);
		const struct spp_stats_region *r;

		if ((only >= 0 && c != only) || slot == 0)
			continue;
		r = spp_stats_region_live((uint16_t)c);
		if (r == NULL || __atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) != slot)
			continue;
		fn(r, d, arg);
	}
}

static uint64_t
rd(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

/* ---- /spp/processes ---- */

static void
process_entry(const struct spp_stats_region *r, struct rte_tel_data *d, void *arg)
{
	struct rte_tel_data *e = rte_tel_data_alloc();
	char name[32], key[40];

	(void)arg;
	if (e == NULL)
		return;
	process_name(r, name, sizeof(name));
	rte_tel_data_start_dict(e);
	rte_tel_data_add_dict_string(e, "process", name);
	rte_tel_data_add_dict_int(e, "client_id", r->client_id);
	rte_tel_data_add_dict_string(e, "type", r->type);
	rte_tel_data_add_dict_int(e, "pid", (int)spp_owner_pid(r->owner));
	rte_tel_data_add_dict_u64(e, "generation", r->generation);
	rte_tel_data_add_dict_int(e, "components", (int)spp_stats_nb_comps(r));
	rte_tel_data_add_dict_int(e, "ports", (int)spp_stats_nb_ports(r));
	key_of(key, sizeof(key), "", name);
	if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
		rte_tel_data_free(e);
}

static int
tel_processes(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *e = rte_tel_data_alloc();

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (e != NULL) {
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_string(e, "process", "primary");
		rte_tel_data_add_dict_int(e, "pid", (int)spp_owner_pid(tel_shm->primary_owner));
		rte_tel_data_add_dict_string(e, "state",
			__atomic_load_n(&tel_shm->state, __ATOMIC_RELAXED) == SPP_STATE_RUNNING ?
			"running" : "stopping");
		rte_tel_data_add_dict_int(e, "phy_ports", (int)tel_shm->nb_phy);
		rte_tel_data_add_dict_int(e, "rings", (int)tel_shm->nb_rings);
		if (rte_tel_data_add_dict_container(d, "primary", e, 0) != 0)
			rte_tel_data_free(e);
	}
	for_each_region(-1, process_entry, d, NULL);
	return 0;
}

/* ---- /spp/components ---- */

static void
add_comp_counters(struct rte_tel_data *e, const struct spp_comp_stats *s, bool prefix)
{
	char key[32];

	rte_tel_data_add_dict_u64(e, "rx_packets", rd(&s->rx_packets));
	rte_tel_data_add_dict_u64(e, "rx_bytes", rd(&s->rx_bytes));
	rte_tel_data_add_dict_u64(e, "tx_packets", rd(&s->tx_packets));
	rte_tel_data_add_dict_u64(e, "tx_bytes", rd(&s->tx_bytes));
	rte_tel_data_add_dict_u64(e, "drop_packets", rd(&s->drop_packets));
	rte_tel_data_add_dict_u64(e, "drop_bytes", rd(&s->drop_bytes));
	rte_tel_data_add_dict_u64(e, "dup_packets", rd(&s->dup_packets));
	for (int k = 0; k < SPP_DROP_MAX; k++) {
		snprintf(key, sizeof(key), "%s%s", prefix ? "drop_" : "", spp_drop_reason_names[k]);
		rte_tel_data_add_dict_u64(e, key, rd(&s->drops[k]));
	}
}

static void
component_entries(const struct spp_stats_region *r, struct rte_tel_data *d, void *arg)
{
	bool all = arg != NULL;
	char name[32], key[80];

	process_name(r, name, sizeof(name));
	for (unsigned int i = 0; i < SPP_MAX_COMPONENTS; i++) {
		const struct spp_comp_slot *s = &r->comps[i];
		struct rte_tel_data *e;

		if (__atomic_load_n(&s->used, __ATOMIC_ACQUIRE) == 0)
			continue;
		e = rte_tel_data_alloc();
		if (e == NULL)
			return;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_string(e, "process", name);
		rte_tel_data_add_dict_string(e, "component", s->name);
		rte_tel_data_add_dict_string(e, "type", spp_comp_kind_name(s->kind));
		rte_tel_data_add_dict_int(e, "lcore", s->lcore);
		add_comp_counters(e, &s->stats, true);
		if (all) {
			char prefix[40];

			snprintf(prefix, sizeof(prefix), "%s/", name);
			key_of(key, sizeof(key), prefix, s->name);
		} else {
			key_of(key, sizeof(key), "", s->name);
		}
		if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
			rte_tel_data_free(e);
	}
}

static int
tel_components(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int only;

	(void)cmd;
	if (parse_id(params, &only) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for_each_region(only, component_entries, d, only < 0 ? d : NULL);
	return 0;
}

/* ---- /spp/drops ---- */

struct drop_sum {
	uint64_t reasons[SPP_DROP_MAX];
	uint64_t total;
};

static void
drop_entries(const struct spp_stats_region *r, struct rte_tel_data *d, void *arg)
{
	struct drop_sum *sum = arg;
	char name[32], prefix[40], key[80];

	process_name(r, name, sizeof(name));
	snprintf(prefix, sizeof(prefix), "%s/", name);
	for (unsigned int i = 0; i < SPP_MAX_COMPONENTS; i++) {
		const struct spp_comp_slot *s = &r->comps[i];
		struct rte_tel_data *e;

		if (__atomic_load_n(&s->used, __ATOMIC_ACQUIRE) == 0)
			continue;
		e = rte_tel_data_alloc();
		if (e == NULL)
			return;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_string(e, "process", name);
		rte_tel_data_add_dict_string(e, "component", s->name);
		rte_tel_data_add_dict_u64(e, "drop_packets", rd(&s->stats.drop_packets));
		sum->total += rd(&s->stats.drop_packets);
		for (int k = 0; k < SPP_DROP_MAX; k++) {
			uint64_t v = rd(&s->stats.drops[k]);

			rte_tel_data_add_dict_u64(e, spp_drop_reason_names[k], v);
			sum->reasons[k] += v;
		}
		key_of(key, sizeof(key), prefix, s->name);
		if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
			rte_tel_data_free(e);
	}
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct drop_sum sum;
	struct rte_tel_data *e;
	int only;

	(void)cmd;
	if (parse_id(params, &only) < 0)
		return -EINVAL;
	memset(&sum, 0, sizeof(sum));
	rte_tel_data_start_dict(d);
	for_each_region(only, drop_entries, d, &sum);
	e = rte_tel_data_alloc();
	if (e == NULL)
		return 0;
	rte_tel_data_start_dict(e);
	rte_tel_data_add_dict_u64(e, "drop_packets", sum.total);
	for (int k = 0; k < SPP_DROP_MAX; k++)
		rte_tel_data_add_dict_u64(e, spp_drop_reason_names[k], sum.reasons[k]);
	if (rte_tel_data_add_dict_container(d, "total", e, 0) != 0)
		rte_tel_data_free(e);
	return 0;
}

/* ---- /spp/ports ---- */

static void
add_port_entry(struct rte_tel_data *d, const char *process, const char *uid,
	       const uint64_t v[6])
{
	static const char *const names[6] = {
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drop_packets", "drop_bytes",
	};
	struct rte_tel_data *e = rte_tel_data_alloc();
	char prefix[40], key[80];

	if (e == NULL)
		return;
	rte_tel_data_start_dict(e);
	rte_tel_data_add_dict_string(e, "process", process);
	rte_tel_data_add_dict_string(e, "port", uid);
	for (int k = 0; k < 6; k++)
		rte_tel_data_add_dict_u64(e, names[k], v[k]);
	snprintf(prefix, sizeof(prefix), "%s/", process);
	key_of(key, sizeof(key), prefix, uid);
	if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
		rte_tel_data_free(e);
}

static void
port_entries(const struct spp_stats_region *r, struct rte_tel_data *d, void *arg)
{
	char name[32];

	(void)arg;
	process_name(r, name, sizeof(name));
	for (unsigned int i = 0; i < SPP_STATS_MAX_PORTS; i++) {
		const struct spp_port_slot *s = &r->ports[i];
		uint64_t v[6];

		if (__atomic_load_n(&s->used, __ATOMIC_ACQUIRE) == 0)
			continue;
		v[0] = rd(&s->stats.rx.packets);
		v[1] = rd(&s->stats.rx.bytes);
		v[2] = rd(&s->stats.tx.packets);
		v[3] = rd(&s->stats.tx.bytes);
		v[4] = rd(&s->stats.tx.drop_packets);
		v[5] = rd(&s->stats.tx.drop_bytes);
		add_port_entry(d, name, s->uid, v);
	}
}

/*
 * The primary's view (SPEC §6.2, without the `clear` baseline): phy ports
 * from the ethdev plus the shared tx drops, rings that moved any packet
 * from the shared totals.
 */
static void
primary_port_entries(struct rte_tel_data *d)
{
	char uid[SPP_UID_STR_SIZE];
	uint64_t v[6];

	for (uint32_t n = 0; n < tel_shm->nb_phy; n++) {
		const struct spp_port_totals *t = &tel_shm->phy_totals[n];
		struct rte_eth_stats st;

		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(tel_shm->phy[n].ethdev_id, &st);
		v[0] = st.ipackets;
		v[1] = st.ibytes;
		v[2] = st.opackets;
		v[3] = st.obytes;
		v[4] = rd(&t->tx.drop_packets);
		v[5] = rd(&t->tx.drop_bytes);
		snprintf(uid, sizeof(uid), "phy:%u", n);
		add_port_entry(d, "primary", uid, v);
	}
	for (uint32_t n = 0; n < tel_shm->nb_rings; n++) {
		const struct spp_port_totals *t = &tel_shm->ring_totals[n];

		v[0] = rd(&t->rx.packets);
		v[1] = rd(&t->rx.bytes);
		v[2] = rd(&t->tx.packets);
		v[3] = rd(&t->tx.bytes);
		v[4] = rd(&t->tx.drop_packets);
		v[5] = rd(&t->tx.drop_bytes);
		if ((v[0] | v[2] | v[4]) == 0)
			continue;
		snprintf(uid, sizeof(uid), "ring:%u", n);
		add_port_entry(d, "primary", uid, v);
	}
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int only;

	(void)cmd;
	if (parse_id(params, &only) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	if (only <= 0)
		primary_port_entries(d);
	if (only != 0)
		for_each_region(only, port_entries, d, NULL);
	return 0;
}

/* ---- /spp/mempool ---- */

static void
mempool_entry(struct rte_mempool *mp, void *arg)
{
	struct rte_tel_data *d = arg;
	struct rte_tel_data *e;
	char key[RTE_MEMPOOL_NAMESIZE];

	/* spp's own pools only: the primary's and the mirror copy pools. */
	if (strcmp(mp->name, SPP_POOL_NAME) != 0 && strncmp(mp->name, "spp_mirror_", 11) != 0)
		return;
	e = rte_tel_data_alloc();
	if (e == NULL)
		return;
	rte_tel_data_start_dict(e);
	rte_tel_data_add_dict_string(e, "name", mp->name);
	rte_tel_data_add_dict_u64(e, "size", mp->size);
	rte_tel_data_add_dict_u64(e, "in_use", rte_mempool_in_use_count(mp));
	rte_tel_data_add_dict_u64(e, "available", rte_mempool_avail_count(mp));
	key_of(key, sizeof(key), "", mp->name);
	if (rte_tel_data_add_dict_container(d, key, e, 0) != 0)
		rte_tel_data_free(e);
}

static int
tel_mempool(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_mempool_walk(mempool_entry, d);
	return 0;
}

int
spp_telemetry_register(const struct spp_shared_info *shm)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/spp/processes", tel_processes,
		  "The primary and every live spp_vf / spp_mirror. No parameters." },
		{ "/spp/components", tel_components,
		  "Counters of components. Parameters: none (all processes) or a client id." },
		{ "/spp/ports", tel_ports,
		  "Counters of ports per process. Parameters: none (all), 0 (the primary's "
		  "phy and ring totals) or a client id." },
		{ "/spp/drops", tel_drops,
		  "Drops by reason per component, and their total. Parameters: none or a "
		  "client id." },
		{ "/spp/mempool", tel_mempool,
		  "In-use and available mbufs of MProc_pktmbuf_pool and the mirror copy pools." },
	};
	int ret;

	tel_shm = shm;
	for (size_t i = 0; i < RTE_DIM(cmds); i++) {
		ret = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);
		if (ret != 0)
			return ret;
	}
	return 0;
}
