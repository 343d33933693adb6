/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the spp_vf / spp_mirror command language (spp_cmd.c, SPEC
 * §5), driven like the manager drives it: each line is parsed against the
 * current model, and a success with res.changed commits next.
 *
 * Input: byte 0 picks the process (bit 0: spp_mirror, else spp_vf; bit 1:
 * two vhost queues); the rest is commands, one per line.
 * Oracles, after every command:
 *  - a result is consistent: 0 with no error, or -EINVAL with a message of
 *    SPEC §5.7; a failure never sets changed;
 *  - the committed model is valid (check_model: limits, names, lcores,
 *    ports existing and attached at most once per direction, per-kind port
 *    counts, VLAN ops in range, entries well-formed and unique, a (VID,
 *    MAC) active at most once per classifier, captures on attached ports);
 *  - only the plans of res.lcore and res.lcore2 differ: for every other
 *    worker lcore the plan the manager would build (spp_plan_build: its
 *    runnable components, their ports, ops, captures and classifier
 *    entries) is the same before and after. A miss here means a worker
 *    keeps running a stale plan after "success".
 */
#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "fuzz_env.h"
#include "spp_cmd.h"
#include "spp_model.h"

static const char *const messages[] = {
	SPP_ERR_FORMAT, SPP_ERR_COMMAND, SPP_ERR_ACTION, SPP_ERR_COMP_NAME, SPP_ERR_CORE,
	SPP_ERR_COMP_TYPE, SPP_ERR_PORT, SPP_ERR_PORT_RXTX, SPP_ERR_VLAN_OP,
	SPP_ERR_PORT_VID, SPP_ERR_PORT_PCP, SPP_ERR_TYPE, SPP_ERR_VLAN_ID, SPP_ERR_MAC,
	SPP_ERR_DIRECTION, SPP_ERR_FILE, SPP_ERR_LOG_TYPE, SPP_ERR_LOG_LEVEL, SPP_ERR_OCCUR,
};

/* ---- the model's invariants, written from SPEC §5 ---- */

static bool
port_ok(const struct spp_port_env *env, const struct spp_port_id *p, int dir)
{
	switch (p->type) {
	case SPP_PORT_PHY:
		if (p->num >= env->nb_phy)
			return false;
		if (env->phy_rxq[p->num] == 1 && env->phy_txq[p->num] == 1)
			return p->queue == SPP_NO_QUEUE;
		return p->queue >= 0 &&
			p->queue < (dir == SPP_DIR_RX ? env->phy_rxq : env->phy_txq)[p->num];
	case SPP_PORT_RING:
		return p->num < env->nb_rings && p->queue == SPP_NO_QUEUE;
	case SPP_PORT_VHOST:
		if (p->num >= SPP_MAX_VHOST)
			return false;
		if (env->vhost_queues == 1)
			return p->queue == SPP_NO_QUEUE;
		return p->queue >= 0 && p->queue < env->vhost_queues;
	}
	return false;
}

static bool
name_ok(const char *name)
{
	size_t len = strnlen(name, SPP_MAX_NAME_LEN + 1);

	if (len < 1 || len > SPP_MAX_NAME_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x21 || c > 0x7e || strchr("\"\\/;", c) != NULL)
			return false;
	}
	return true;
}

static unsigned int
max_ports(int kind, int dir)
{
	static const unsigned int max[SPP_COMP_KIND_MAX][2] = {
		[SPP_COMP_FORWARD] = { 1, 1 },
		[SPP_COMP_MERGE] = { 64, 1 },
		[SPP_COMP_CLASSIFIER] = { 1, 64 },
		[SPP_COMP_MIRROR] = { 1, 2 },
	};

	return max[kind][dir];
}

static bool
same_key(const struct spp_cls_entry *a, const struct spp_cls_entry *b)
{
	return a->vid == b->vid && a->is_default == b->is_default &&
		memcmp(a->mac, b->mac, 6) == 0;
}

/* Index of p among c's tx ports, or -1. */
static int
tx_index(const struct spp_comp_cfg *c, const struct spp_port_id *p)
{
	for (int i = 0; i < c->nb_tx; i++)
		if (spp_uid_equal(&c->tx[i].port, p))
			return i;
	return -1;
}

static void
check_model(const struct spp_port_env *env, const struct spp_model *m)
{
	FUZZ_CHECK(m->nb_comps <= SPP_MAX_COMPONENTS && m->nb_entries <= SPP_MAX_CLS_ENTRIES &&
		   m->nb_captures <= SPP_MAX_CAPTURES, "limits");
	for (int i = 0; i < m->nb_comps; i++) {
		const struct spp_comp_cfg *c = &m->comps[i];

		FUZZ_CHECK(name_ok(c->name), "component %d name", i);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(m->comps[j].name, c->name) != 0, "name %s twice", c->name);
		FUZZ_CHECK(c->lcore < SPP_MAX_LCORES && env->worker_lcore[c->lcore],
			   "%s on lcore %u", c->name, c->lcore);
		FUZZ_CHECK(c->kind < SPP_COMP_KIND_MAX && (env->kinds & (1u << c->kind)),
			   "%s kind %u", c->name, c->kind);
		FUZZ_CHECK(c->copy_mode <= SPP_COPY_DEEP, "copy mode");
		for (int d = SPP_DIR_RX; d <= SPP_DIR_TX; d++) {
			const struct spp_attach_cfg *a = d == SPP_DIR_RX ? c->rx : c->tx;
			int n = d == SPP_DIR_RX ? c->nb_rx : c->nb_tx;

			FUZZ_CHECK((unsigned int)n <= max_ports(c->kind, d),
				   "%s has %d ports in dir %d", c->name, n, d);
			for (int k = 0; k < n; k++) {
				const struct spp_vlan_op *op = &a[k].op;

				FUZZ_CHECK(port_ok(env, &a[k].port, d), "%s: bad port", c->name);
				FUZZ_CHECK(op->kind <= SPP_VLAN_DEL, "op kind");
				FUZZ_CHECK(op->vid <= SPP_VLAN_MAX_VID && op->pcp <= 7, "op value");
				FUZZ_CHECK(op->kind == SPP_VLAN_ADD || (op->vid == 0 && op->pcp == 0),
					   "VID/PCP on a non-add op");
				/* (port, dir): one component of the process (SPEC §5.6). */
				for (int j = 0; j < m->nb_comps; j++) {
					const struct spp_comp_cfg *o = &m->comps[j];
					const struct spp_attach_cfg *oa = d == SPP_DIR_RX ? o->rx : o->tx;
					int on = d == SPP_DIR_RX ? o->nb_rx : o->nb_tx;

					for (int q = 0; q < on; q++)
						FUZZ_CHECK((j == i && q == k) ||
							   !spp_uid_equal(&oa[q].port, &a[k].port),
							   "a (port, dir) attached twice");
				}
			}
		}
	}
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &m->entries[i];
		static const uint8_t zero[6];

		FUZZ_CHECK(e->vid <= SPP_VLAN_MAX_VID, "entry vid %u", e->vid);
		if (e->is_default)
			FUZZ_CHECK(memcmp(e->mac, zero, 6) == 0, "default with a MAC");
		else
			FUZZ_CHECK(memcmp(e->mac, zero, 6) != 0 && !(e->mac[0] & 1),
				   "zero or group MAC");
		FUZZ_CHECK(port_ok(env, &e->port, SPP_DIR_TX) || port_ok(env, &e->port, SPP_DIR_RX),
			   "entry port");
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(!(same_key(e, &m->entries[j]) &&
				     spp_uid_equal(&e->port, &m->entries[j].port)), "entry twice");
	}
	/* Inside one classifier a (VID, MAC) is active at most once (§5.5). */
	for (int ci = 0; ci < m->nb_comps; ci++) {
		const struct spp_comp_cfg *c = &m->comps[ci];

		if (c->kind != SPP_COMP_CLASSIFIER)
			continue;
		for (int i = 0; i < m->nb_entries; i++) {
			if (tx_index(c, &m->entries[i].port) < 0)
				continue;
			for (int j = 0; j < i; j++)
				FUZZ_CHECK(tx_index(c, &m->entries[j].port) < 0 ||
					   !same_key(&m->entries[i], &m->entries[j]),
					   "classifier %s: entries %d and %d share a key", c->name, j,
					   i);
		}
	}
	for (int i = 0; i < m->nb_captures; i++) {
		const struct spp_capture_cfg *cap = &m->captures[i];
		bool attached = false;

		FUZZ_CHECK(cap->dirs >= 1 && cap->dirs <= 3, "capture dirs");
		for (int d = SPP_DIR_RX; d <= SPP_DIR_TX; d++)
			if ((cap->dirs & (1u << d)) &&
			    spp_model_port_user(m, &cap->port, (enum spp_dir)d, NULL) >= 0)
				attached = true;
		FUZZ_CHECK(attached, "capture %s on a port not attached", cap->file);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(!spp_uid_equal(&m->captures[j].port, &cap->port) ||
				   (m->captures[j].dirs & cap->dirs) == 0, "overlapping captures");
	}
}

/* ---- what spp_plan_build() would put in lcore's plan, hashed ---- */

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static bool
runnable(const struct spp_model *m, const struct spp_comp_cfg *c)
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
			if (tx_index(c, &m->entries[i].port) >= 0)
				return true;
		return false;
	}
	return false;
}

static uint64_t
hash_port(uint64_t h, const struct spp_port_id *p)
{
	h = mix(h, &p->type, sizeof(p->type));
	h = mix(h, &p->num, sizeof(p->num));
	return mix(h, &p->queue, sizeof(p->queue));
}

static uint64_t
hash_attach(uint64_t h, const struct spp_model *m, const struct spp_attach_cfg *a, int dir)
{
	h = hash_port(h, &a->port);
	h = mix(h, &a->op, sizeof(a->op));
	/* The capture ring this attachment writes to, if any. */
	for (int i = 0; i < m->nb_captures; i++) {
		const struct spp_capture_cfg *cap = &m->captures[i];

		if (spp_uid_equal(&cap->port, &a->port) && (cap->dirs & (1u << dir))) {
			h = mix(h, cap->file, strlen(cap->file) + 1);
			break;
		}
	}
	return h;
}

static uint64_t
plan_hash(const struct spp_model *m, unsigned int lcore)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < m->nb_comps; i++) {
		const struct spp_comp_cfg *c = &m->comps[i];

		if (c->lcore != lcore || !runnable(m, c))
			continue;
		h = mix(h, c->name, strlen(c->name) + 1);
		h = mix(h, &c->kind, 1);
		h = mix(h, &c->copy_mode, 1);
		for (int k = 0; k < c->nb_rx; k++)
			h = hash_attach(h, m, &c->rx[k], SPP_DIR_RX);
		h = mix(h, "|", 1);
		for (int k = 0; k < c->nb_tx; k++)
			h = hash_attach(h, m, &c->tx[k], SPP_DIR_TX);
		if (c->kind != SPP_COMP_CLASSIFIER)
			continue;
		/* The table is a function of the active entries, in model order. */
		for (int e = 0; e < m->nb_entries; e++) {
			const struct spp_cls_entry *en = &m->entries[e];
			int idx = tx_index(c, &en->port);

			if (idx < 0)
				continue;
			h = mix(h, &idx, sizeof(idx));
			h = mix(h, &en->vid, sizeof(en->vid));
			h = mix(h, &en->is_default, sizeof(en->is_default));
			h = mix(h, en->mac, 6);
		}
	}
	return h;
}

static bool
is_message(const char *s)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (s == messages[i] || strcmp(s, messages[i]) == 0)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spp_model *cur, *next;
	struct spp_port_env env;
	struct spp_cmd_result res;
	char *line;

	if (size == 0)
		return 0;
	if (cur == NULL) {
		cur = spp_model_create();
		next = spp_model_create();
		FUZZ_CHECK(cur != NULL && next != NULL, "out of memory");
	}
	/* Only the used prefixes are ever read (spp_model_copy). */
	cur->nb_comps = 0;
	cur->nb_entries = 0;
	cur->nb_captures = 0;
	env_init(&env, data[0]);
	line = malloc(size);
	FUZZ_CHECK(line != NULL, "out of memory");

	for (size_t off = 1; off < size;) {
		size_t len = 0;
		uint64_t before[NB_WORKERS + 1];

		while (off + len < size && data[off + len] != '\n')
			len++;
		memcpy(line, data + off, len);
		line[len] = '\0';	/* an embedded NUL ends the command early, as on the wire */
		off += len + 1;

		for (unsigned int l = 1; l <= NB_WORKERS; l++)
			before[l] = plan_hash(cur, l);
		int ret = spp_cmd_parse(&env, cur, line, next, &res);

		if (ret != 0) {
			FUZZ_CHECK(ret == -EINVAL, "returned %d", ret);
			FUZZ_CHECK(res.error != NULL && is_message(res.error), "bad error message");
			FUZZ_CHECK(!res.changed, "a failure set changed");
			FUZZ_CHECK(memchr(res.detail, '\0', sizeof(res.detail)) != NULL,
				   "detail not terminated");
			continue;
		}
		FUZZ_CHECK(res.error == NULL, "success with error '%s'", res.error);
		FUZZ_CHECK(res.lcore == -1 || (res.lcore >= 1 && res.lcore <= NB_WORKERS),
			   "res.lcore %d", res.lcore);
		FUZZ_CHECK(res.lcore2 == -1 || (res.lcore2 >= 1 && res.lcore2 <= NB_WORKERS &&
						res.lcore2 != res.lcore), "res.lcore2 %d",
			   res.lcore2);
		if (res.kind == SPP_CMD_LOG_LEVEL)
			FUZZ_CHECK(res.log_level >= 1 && res.log_level <= 8, "log level");
		if (!res.changed)
			continue;
		check_model(&env, next);
		for (unsigned int l = 1; l <= NB_WORKERS; l++)
			FUZZ_CHECK((int)l == res.lcore || (int)l == res.lcore2 ||
				   plan_hash(next, l) == before[l],
				   "'%s' changed the plan of lcore %u but names lcores %d, %d", line,
				   l, res.lcore, res.lcore2);
		spp_model_copy(cur, next);
	}
	free(line);
	return 0;
}
