/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command checks in the exact order of SPEC §5.1-§5.5: the first failure
 * is the one reported, and upstream clients match on these texts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spp_cmd.h"

struct cmd_ctx {
	const struct spp_port_env *env;
	const struct spp_model *cur;
	struct spp_model *next;
	struct spp_cmd_result *res;
	int argc;
	char **argv;
};

static int
fail(struct cmd_ctx *ctx, const char *error, const char *detail_fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct cmd_ctx *ctx, const char *error, const char *detail_fmt, ...)
{
	va_list ap;

	ctx->res->error = error;
	ctx->res->changed = false;
	ctx->res->lcore = -1;
	ctx->res->lcore2 = -1;
	if (detail_fmt != NULL) {
		va_start(ap, detail_fmt);
		vsnprintf(ctx->res->detail, sizeof(ctx->res->detail), detail_fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Start next as a copy of cur; the handler then edits next. */
static void
begin_change(struct cmd_ctx *ctx, int lcore)
{
	spp_model_copy(ctx->next, ctx->cur);
	ctx->res->changed = true;
	ctx->res->lcore = lcore;
}

int
spp_cmd_tokenize(char *line, char **tokens, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		tokens[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
spp_mac_parse(const char *str, uint8_t mac[6])
{
	uint8_t any = 0;

	if (strlen(str) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *p = str + i * 3;
		int hi = hex_digit(p[0]);
		int lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		any |= mac[i];
	}
	/* Zero and group (I/G bit) addresses cannot be a unicast destination. */
	if (any == 0 || (mac[0] & 0x01) != 0)
		return -EINVAL;
	return 0;
}

static bool
name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > SPP_MAX_NAME_LEN)
		return false;
	for (const char *p = name; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == '/' || c == ';')
			return false;
	}
	return true;
}

/* Well-formed and existing in this process (SPEC §3.1, §5.4 step 2). */
static bool
port_exists(const struct spp_port_env *env, const struct spp_port_id *id)
{
	switch (id->type) {
	case SPP_PORT_PHY: {
		uint16_t nq;

		if (id->num >= env->nb_phy)
			return false;
		nq = env->phy_rxq[id->num] > env->phy_txq[id->num] ?
			env->phy_rxq[id->num] : env->phy_txq[id->num];
		/* nq is required exactly when the port has several queues. */
		if (nq > 1)
			return id->queue != SPP_NO_QUEUE && id->queue < nq;
		return id->queue == SPP_NO_QUEUE;
	}
	case SPP_PORT_RING:
		return id->num < env->nb_rings;
	case SPP_PORT_VHOST:
		/* Multi-queue vhost follows the phy rule (--vhost-queues). */
		if (env->vhost_queues > 1)
			return id->queue != SPP_NO_QUEUE && id->queue < env->vhost_queues;
		return id->queue == SPP_NO_QUEUE;
	}
	return false;
}

static int
parse_port(struct cmd_ctx *ctx, const char *str, struct spp_port_id *id)
{
	if (spp_uid_parse(str, id) < 0)
		return fail(ctx, SPP_ERR_PORT, "malformed port '%s'", str);
	if (!port_exists(ctx->env, id))
		return fail(ctx, SPP_ERR_PORT, "no port '%s' in this process", str);
	return 0;
}

/* ---- component ---- */

static int
cmd_component(struct cmd_ctx *ctx)
{
	const struct spp_port_env *env = ctx->env;
	bool mirror_proc = (env->kinds & (1u << SPP_COMP_MIRROR)) != 0;
	const char *name;
	uint64_t lcore;
	int kind = -1;
	int idx;

	if (strcmp(ctx->argv[1], "start") == 0) {
		if (!(ctx->argc == 5 || (mirror_proc && ctx->argc == 6)))
			return fail(ctx, SPP_ERR_FORMAT, "component start takes %s tokens",
				    mirror_proc ? "5 or 6" : "5");
	} else if (strcmp(ctx->argv[1], "stop") == 0) {
		if (ctx->argc != 3)
			return fail(ctx, SPP_ERR_FORMAT, "component stop takes 3 tokens");
	} else {
		return fail(ctx, SPP_ERR_ACTION, "action must be start or stop");
	}

	name = ctx->argv[2];
	if (!name_valid(name))
		return fail(ctx, SPP_ERR_COMP_NAME,
			    "names are 1..31 printable bytes without '\"', '\\', '/', ';'");
	idx = spp_model_find_comp(ctx->cur, name);

	if (ctx->argc == 3) {
		/* Stopping an unknown component succeeds and changes nothing. */
		if (idx < 0)
			return 0;
		begin_change(ctx, ctx->cur->comps[idx].lcore);
		memmove(&ctx->next->comps[idx], &ctx->next->comps[idx + 1],
			sizeof(ctx->next->comps[0]) * (size_t)(ctx->next->nb_comps - idx - 1));
		ctx->next->nb_comps--;
		/* Its ports' captures stop with their last attachment (§9.4). */
		spp_model_prune_captures(ctx->next);
		return 0;
	}

	if (idx >= 0)
		return fail(ctx, SPP_ERR_COMP_NAME, "component '%s' already exists", name);
	if (spp_parse_uint(ctx->argv[3], SPP_MAX_LCORES - 1, &lcore) < 0 ||
	    !env->worker_lcore[lcore])
		return fail(ctx, SPP_ERR_CORE, "lcore '%s' is not a worker lcore of this process",
			    ctx->argv[3]);
	for (int k = 0; k < SPP_COMP_KIND_MAX; k++)
		if ((env->kinds & (1u << k)) != 0 &&
		    strcmp(ctx->argv[4], spp_comp_kind_name(k)) == 0)
			kind = k;
	if (kind < 0)
		return fail(ctx, SPP_ERR_COMP_TYPE, "unknown component type '%s'", ctx->argv[4]);

	uint8_t copy_mode = env->default_copy_mode;

	if (ctx->argc == 6) {
		if (kind != SPP_COMP_MIRROR)
			return fail(ctx, SPP_ERR_COMP_TYPE, "only mirror takes a copy mode");
		if (strcmp(ctx->argv[5], "shallow") == 0)
			copy_mode = SPP_COPY_SHALLOW;
		else if (strcmp(ctx->argv[5], "deep") == 0)
			copy_mode = SPP_COPY_DEEP;
		else
			return fail(ctx, SPP_ERR_COMP_TYPE, "copy mode must be shallow or deep");
	}
	if (ctx->cur->nb_comps >= SPP_MAX_COMPONENTS)
		return fail(ctx, SPP_ERR_OCCUR, "component limit (%d) reached",
			    SPP_MAX_COMPONENTS);

	begin_change(ctx, (int)lcore);
	struct spp_comp_cfg *c = &ctx->next->comps[ctx->next->nb_comps++];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->lcore = (uint16_t)lcore;
	c->kind = (uint8_t)kind;
	c->copy_mode = copy_mode;
	return 0;
}

/* ---- port ---- */

static bool
entry_key_equal(const struct spp_cls_entry *a, const struct spp_cls_entry *b)
{
	return a->vid == b->vid && a->is_default == b->is_default &&
		memcmp(a->mac, b->mac, sizeof(a->mac)) == 0;
}

/*
 * Does another tx port of classifier c (other than port) have an entry
 * with the same (VID, MAC) as e? Then e cannot be active in c (SPEC §5.5).
 */
static bool
key_taken_in_classifier(const struct spp_model *m, const struct spp_comp_cfg *c,
			const struct spp_cls_entry *e, const struct spp_port_id *port)
{
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *o = &m->entries[i];

		if (!spp_uid_equal(&o->port, port) && entry_key_equal(o, e) &&
		    spp_model_entry_active_in(o, c, NULL))
			return true;
	}
	return false;
}

/* An entry's (default, VID, MAC) as one integer: equal iff entry_key_equal. */
static uint64_t
entry_sort_key(const struct spp_cls_entry *e)
{
	uint64_t mac = 0;

	for (int i = 0; i < 6; i++)
		mac = mac << 8 | e->mac[i];
	return (uint64_t)e->is_default << 63 | (uint64_t)e->vid << 48 | mac;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Step 10a: would attaching port to classifier c make two of its tx ports
 * hold the same (VID, MAC)? One sort of the keys already active in c, then
 * one search per entry of port: with a full table, key_taken_in_classifier
 * per entry cost 4096^2 comparisons (~150 ms per `port add`, bench/reconfig).
 */
static bool
port_entries_clash(const struct spp_model *m, const struct spp_comp_cfg *c,
		   const struct spp_port_id *port)
{
	uint64_t keys[SPP_MAX_CLS_ENTRIES];	/* 32 KiB of the manager's stack */
	size_t n = 0;

	for (int i = 0; i < m->nb_entries && n < SPP_MAX_CLS_ENTRIES; i++) {
		const struct spp_cls_entry *o = &m->entries[i];

		if (!spp_uid_equal(&o->port, port) && spp_model_entry_active_in(o, c, NULL))
			keys[n++] = entry_sort_key(o);
	}
	if (n == 0)
		return false;
	qsort(keys, n, sizeof(keys[0]), cmp_u64);
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &m->entries[i];
		uint64_t k = entry_sort_key(e);

		if (spp_uid_equal(&e->port, port) &&
		    bsearch(&k, keys, n, sizeof(keys[0]), cmp_u64) != NULL)
			return true;
	}
	return false;
}

static unsigned int
max_ports(enum spp_comp_kind kind, enum spp_dir dir)
{
	switch (kind) {
	case SPP_COMP_FORWARD:
		return 1;
	case SPP_COMP_MERGE:
		return dir == SPP_DIR_RX ? SPP_MAX_PORTS_PER_DIR : 1;
	case SPP_COMP_CLASSIFIER:
		return dir == SPP_DIR_RX ? 1 : SPP_MAX_PORTS_PER_DIR;
	case SPP_COMP_MIRROR:
		return dir == SPP_DIR_RX ? 1 : 2;
	default:
		return 0;
	}
}

static int
cmd_port(struct cmd_ctx *ctx)
{
	const struct spp_port_env *env = ctx->env;
	struct spp_vlan_op op = { .kind = SPP_VLAN_NONE };
	bool has_op = false;
	struct spp_port_id port;
	enum spp_dir dir;
	bool add;
	int ci;

	if (strcmp(ctx->argv[1], "add") == 0) {
		add = true;
	} else if (strcmp(ctx->argv[1], "del") == 0) {
		add = false;
		if (ctx->argc != 5)
			return fail(ctx, SPP_ERR_FORMAT, "port del takes 5 tokens");
	} else {
		return fail(ctx, SPP_ERR_ACTION, "action must be add or del");
	}
	if (parse_port(ctx, ctx->argv[2], &port) < 0)
		return -EINVAL;

	if (strcmp(ctx->argv[3], "rx") == 0)
		dir = SPP_DIR_RX;
	else if (strcmp(ctx->argv[3], "tx") == 0)
		dir = SPP_DIR_TX;
	else
		return fail(ctx, SPP_ERR_PORT_RXTX, "direction must be rx or tx");
	if (add && port.type == SPP_PORT_PHY && port.queue != SPP_NO_QUEUE) {
		uint16_t nq = dir == SPP_DIR_RX ? env->phy_rxq[port.num] : env->phy_txq[port.num];

		if (port.queue >= nq)
			return fail(ctx, SPP_ERR_PORT_RXTX, "phy:%u has %u %s queues", port.num,
				    nq, dir == SPP_DIR_RX ? "rx" : "tx");
	}

	ci = spp_model_find_comp(ctx->cur, ctx->argv[4]);
	if (ci < 0)
		return fail(ctx, SPP_ERR_COMP_NAME, "no component '%s'", ctx->argv[4]);

	if (ctx->argc >= 6) {
		uint64_t vid, pcp;

		if (strcmp(ctx->argv[5], "add_vlantag") == 0) {
			if (ctx->argc != 8)
				return fail(ctx, SPP_ERR_FORMAT, "add_vlantag takes VID and PCP");
			if (spp_parse_uint(ctx->argv[6], SPP_VLAN_MAX_VID, &vid) < 0)
				return fail(ctx, SPP_ERR_PORT_VID, "VID must be 0..4094");
			if (spp_parse_uint(ctx->argv[7], 7, &pcp) < 0)
				return fail(ctx, SPP_ERR_PORT_PCP, "PCP must be 0..7");
			op.kind = SPP_VLAN_ADD;
			op.vid = (uint16_t)vid;
			op.pcp = (uint8_t)pcp;
		} else if (strcmp(ctx->argv[5], "del_vlantag") == 0) {
			if (ctx->argc != 6)
				return fail(ctx, SPP_ERR_FORMAT, "del_vlantag takes no value");
			op.kind = SPP_VLAN_DEL;
		} else {
			return fail(ctx, SPP_ERR_VLAN_OP,
				    "operation must be add_vlantag or del_vlantag");
		}
		has_op = true;
	}

	const struct spp_comp_cfg *c = &ctx->cur->comps[ci];
	int ai = spp_comp_find_attach(c, &port, dir);

	if (!add) {
		/* Detaching what is not attached succeeds and changes nothing. */
		if (ai < 0)
			return 0;
		begin_change(ctx, c->lcore);
		struct spp_comp_cfg *nc = &ctx->next->comps[ci];
		struct spp_attach_cfg *a = dir == SPP_DIR_RX ? nc->rx : nc->tx;
		uint16_t *n = dir == SPP_DIR_RX ? &nc->nb_rx : &nc->nb_tx;

		memmove(&a[ai], &a[ai + 1], sizeof(a[0]) * (size_t)(*n - ai - 1));
		(*n)--;
		spp_model_prune_captures(ctx->next);
		return 0;
	}

	/* Step 8: already attached to this component. */
	if (ai >= 0) {
		const struct spp_attach_cfg *a = dir == SPP_DIR_RX ? &c->rx[ai] : &c->tx[ai];

		if (!has_op || memcmp(&a->op, &op, sizeof(op)) == 0)
			return 0;
		begin_change(ctx, c->lcore);
		if (dir == SPP_DIR_RX)
			ctx->next->comps[ci].rx[ai].op = op;
		else
			ctx->next->comps[ci].tx[ai].op = op;
		return 0;
	}

	/* Step 9. */
	if (spp_model_port_user(ctx->cur, &port, SPP_DIR_RX, NULL) >= 0 &&
	    spp_model_port_user(ctx->cur, &port, SPP_DIR_TX, NULL) >= 0)
		return fail(ctx, SPP_ERR_PORT, "%s is attached in both directions",
			    ctx->argv[2]);
	/* Step 10. */
	int other = spp_model_port_user(ctx->cur, &port, dir, NULL);

	if (other >= 0)
		return fail(ctx, SPP_ERR_PORT_RXTX, "%s %s is used by component '%s'",
			    ctx->argv[2], ctx->argv[3], ctx->cur->comps[other].name);
	if (port.type == SPP_PORT_PHY && env->claimed_elsewhere != NULL &&
	    env->claimed_elsewhere(env->ctx, &port, dir))
		return fail(ctx, SPP_ERR_PORT_RXTX, "%s %s is used by another process",
			    ctx->argv[2], ctx->argv[3]);
	if (port.type == SPP_PORT_VHOST && env->vhost_elsewhere != NULL &&
	    env->vhost_elsewhere(env->ctx, port.num))
		return fail(ctx, SPP_ERR_PORT, "%s is owned by another process", ctx->argv[2]);
	/* Step 10a. */
	if (dir == SPP_DIR_TX && c->kind == SPP_COMP_CLASSIFIER &&
	    port_entries_clash(ctx->cur, c, &port))
		return fail(ctx, SPP_ERR_PORT, "a tx port of '%s' already has an entry of %s",
			    c->name, ctx->argv[2]);
	/* Step 11. */
	if ((dir == SPP_DIR_RX ? c->nb_rx : c->nb_tx) >= max_ports(c->kind, dir))
		return fail(ctx, SPP_ERR_OCCUR, "%s takes at most %u %s port(s)",
			    spp_comp_kind_name(c->kind), max_ports(c->kind, dir),
			    ctx->argv[3]);

	begin_change(ctx, c->lcore);
	struct spp_comp_cfg *nc = &ctx->next->comps[ci];
	struct spp_attach_cfg *a = dir == SPP_DIR_RX ? &nc->rx[nc->nb_rx++] : &nc->tx[nc->nb_tx++];

	a->port = port;
	a->op = op;
	return 0;
}

/* ---- classifier_table ---- */

static int
cmd_classifier(struct cmd_ctx *ctx)
{
	struct spp_cls_entry e = { .vid = SPP_VID_UNTAGGED };
	const char *mac_str;
	uint64_t vid;
	bool add;
	int ti = 3;

	if (strcmp(ctx->argv[1], "add") == 0)
		add = true;
	else if (strcmp(ctx->argv[1], "del") == 0)
		add = false;
	else
		return fail(ctx, SPP_ERR_ACTION, "action must be add or del");

	if (strcmp(ctx->argv[2], "mac") == 0) {
		if (ctx->argc != 5)
			return fail(ctx, SPP_ERR_FORMAT, "mac entries take 5 tokens");
	} else if (strcmp(ctx->argv[2], "vlan") == 0) {
		if (ctx->argc != 6)
			return fail(ctx, SPP_ERR_FORMAT, "vlan entries take 6 tokens");
		if (spp_parse_uint(ctx->argv[3], SPP_VLAN_MAX_VID, &vid) < 0 || vid == 0)
			return fail(ctx, SPP_ERR_VLAN_ID, "VLAN id must be 1..4094");
		e.vid = (uint16_t)vid;
		ti = 4;
	} else {
		return fail(ctx, SPP_ERR_TYPE, "type must be mac or vlan");
	}

	mac_str = ctx->argv[ti];
	if (strcmp(mac_str, "default") == 0)
		e.is_default = true;
	else if (spp_mac_parse(mac_str, e.mac) < 0)
		return fail(ctx, SPP_ERR_MAC, "MAC must be xx:xx:xx:xx:xx:xx, unicast, non-zero");
	if (parse_port(ctx, ctx->argv[ti + 1], &e.port) < 0)
		return -EINVAL;

	int found = -1;

	for (int i = 0; i < ctx->cur->nb_entries; i++) {
		const struct spp_cls_entry *o = &ctx->cur->entries[i];

		if (entry_key_equal(o, &e) && spp_uid_equal(&o->port, &e.port)) {
			found = i;
			break;
		}
	}
	/* The classifier that has the entry's port as a tx port, if any. */
	int owner = spp_model_port_user(ctx->cur, &e.port, SPP_DIR_TX, NULL);
	const struct spp_comp_cfg *c = owner >= 0 ? &ctx->cur->comps[owner] : NULL;
	int lcore = c != NULL && c->kind == SPP_COMP_CLASSIFIER ? c->lcore : -1;

	if (!add) {
		if (found < 0)
			return fail(ctx, SPP_ERR_PORT, "no such entry");
		begin_change(ctx, lcore);
		memmove(&ctx->next->entries[found], &ctx->next->entries[found + 1],
			sizeof(e) * (size_t)(ctx->next->nb_entries - found - 1));
		ctx->next->nb_entries--;
		return 0;
	}
	if (found >= 0)
		return fail(ctx, SPP_ERR_PORT, "the entry exists");
	if (lcore >= 0 && key_taken_in_classifier(ctx->cur, c, &e, &e.port))
		return fail(ctx, SPP_ERR_PORT, "another tx port of '%s' has this entry", c->name);
	if (ctx->cur->nb_entries >= SPP_MAX_CLS_ENTRIES)
		return fail(ctx, SPP_ERR_OCCUR, "classifier table is full (%d entries)",
			    SPP_MAX_CLS_ENTRIES);
	begin_change(ctx, lcore);
	ctx->next->entries[ctx->next->nb_entries++] = e;
	return 0;
}

/* ---- capture [EXT] (SPEC §9.4) ---- */

static int
cmd_capture(struct cmd_ctx *ctx)
{
	const struct spp_port_env *env = ctx->env;
	struct spp_port_id port;
	unsigned int dirs;
	uint64_t max = 0;
	bool start;
	int lcore, lcore2;

	/* Step 1; the action decides the exact token count (§5.2). */
	if (strcmp(ctx->argv[1], "start") == 0) {
		start = true;
		if (ctx->argc != 5 && ctx->argc != 6)
			return fail(ctx, SPP_ERR_FORMAT, "capture start takes 5 or 6 tokens");
	} else if (strcmp(ctx->argv[1], "stop") == 0) {
		start = false;
		if (ctx->argc != 4)
			return fail(ctx, SPP_ERR_FORMAT, "capture stop takes 4 tokens");
	} else {
		return fail(ctx, SPP_ERR_ACTION, "action must be start or stop");
	}
	/* Step 2. */
	if (parse_port(ctx, ctx->argv[2], &port) < 0)
		return -EINVAL;
	/* Step 3. */
	if (strcmp(ctx->argv[3], "rx") == 0)
		dirs = SPP_CAPTURE_RX;
	else if (strcmp(ctx->argv[3], "tx") == 0)
		dirs = SPP_CAPTURE_TX;
	else if (strcmp(ctx->argv[3], "both") == 0)
		dirs = SPP_CAPTURE_BOTH;
	else
		return fail(ctx, SPP_ERR_DIRECTION, "direction must be rx, tx or both");
	spp_model_capture_lcores(ctx->cur, &port, dirs, &lcore, &lcore2);
	if (lcore < 0)
		return fail(ctx, SPP_ERR_PORT, "%s is not attached %s in this process",
			    ctx->argv[2], dirs == SPP_CAPTURE_BOTH ? "in any direction" :
			    dirs == SPP_CAPTURE_RX ? "as rx" : "as tx");

	if (!start) {
		int ci = spp_model_find_capture(ctx->cur, &port, dirs, true);

		/* Stopping what does not run succeeds and changes nothing. */
		if (ci < 0)
			return 0;
		begin_change(ctx, lcore);
		ctx->res->lcore2 = lcore2;
		memmove(&ctx->next->captures[ci], &ctx->next->captures[ci + 1],
			sizeof(ctx->next->captures[0]) *
			(size_t)(ctx->next->nb_captures - ci - 1));
		ctx->next->nb_captures--;
		return 0;
	}

	/* Step 4. */
	if (!spp_capture_file_valid(ctx->argv[4]))
		return fail(ctx, SPP_ERR_FILE, "file names are 1..%d bytes of [A-Za-z0-9._-], "
			    "not starting with '.'", SPP_CAPTURE_FILE_MAX_LEN);
	if (env->capture_file_exists != NULL &&
	    env->capture_file_exists(env->ctx, ctx->argv[4]))
		return fail(ctx, SPP_ERR_FILE, "%s exists in the capture directory",
			    ctx->argv[4]);
	/* Step 5. */
	if (ctx->argc == 6 && (spp_parse_uint(ctx->argv[5], UINT32_MAX, &max) < 0 || max == 0))
		return fail(ctx, SPP_ERR_FILE, "MAX must be 1..4294967295 packets");
	/* Step 6; an I/O error is found by the manager when it creates the file. */
	int other = spp_model_find_capture(ctx->cur, &port, dirs, false);

	if (other >= 0)
		return fail(ctx, SPP_ERR_OCCUR, "%s is already captured (%s)", ctx->argv[2],
			    ctx->cur->captures[other].file);
	if (ctx->cur->nb_captures >= SPP_MAX_CAPTURES)
		return fail(ctx, SPP_ERR_OCCUR, "capture limit (%d) reached", SPP_MAX_CAPTURES);

	begin_change(ctx, lcore);
	ctx->res->lcore2 = lcore2;
	struct spp_capture_cfg *c = &ctx->next->captures[ctx->next->nb_captures++];

	memset(c, 0, sizeof(*c));
	c->port = port;
	c->dirs = (uint8_t)dirs;
	c->max = (uint32_t)max;
	snprintf(c->file, sizeof(c->file), "%s", ctx->argv[4]);
	return 0;
}

/* ---- table ---- */

/* ---- log_level TYPE LEVEL [EXT] ---- */

int
spp_log_level_parse(const char *type, const char *level, int *value, const char **error)
{
	/* rte_log.h's RTE_LOG_EMERG (1) .. RTE_LOG_DEBUG (8), in order. */
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};
	size_t len = strlen(type);
	uint64_t n;

	*error = NULL;
	if (len == 0 || len > SPP_LOG_TYPE_MAX_LEN ||
	    strspn(type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._*?-") !=
	    len) {
		*error = SPP_ERR_LOG_TYPE;
		return -EINVAL;
	}
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (strcasecmp(level, names[i]) == 0) {
			*value = i + 1;
			return 0;
		}
	}
	if (strcasecmp(level, "error") == 0) {
		*value = 4;
		return 0;
	}
	if (spp_parse_uint(level, 8, &n) == 0 && n >= 1) {
		*value = (int)n;
		return 0;
	}
	*error = SPP_ERR_LOG_LEVEL;
	return -EINVAL;
}

static int
cmd_log_level(struct cmd_ctx *ctx)
{
	const char *error;

	if (spp_log_level_parse(ctx->argv[1], ctx->argv[2], &ctx->res->log_level, &error) < 0) {
		if (strcmp(error, SPP_ERR_LOG_TYPE) == 0)
			return fail(ctx, error, "a log type or pattern: 1..%d bytes of "
				    "[A-Za-z0-9._*?-]", SPP_LOG_TYPE_MAX_LEN);
		return fail(ctx, error, "emerg, alert, crit, err, warning, notice, info, "
			    "debug or 1..8");
	}
	snprintf(ctx->res->log_type, sizeof(ctx->res->log_type), "%s", ctx->argv[1]);
	return 0;
}

struct cmd_def {
	const char *name;
	enum spp_cmd_kind kind;
	int min_tokens;
	int max_tokens;
	int (*handler)(struct cmd_ctx *ctx);
};

static const struct cmd_def commands[] = {
	{ "_get_client_id", SPP_CMD_CLIENT_ID, 1, 1, NULL },
	{ "capture", SPP_CMD_CAPTURE, 4, 6, cmd_capture },
	{ "classifier_table", SPP_CMD_CLASSIFIER, 5, 6, cmd_classifier },
	{ "component", SPP_CMD_COMPONENT, 3, 5, cmd_component },
	{ "exit", SPP_CMD_EXIT, 1, 1, NULL },
	{ "log_level", SPP_CMD_LOG_LEVEL, 3, 3, cmd_log_level },
	{ "port", SPP_CMD_PORT, 5, 8, cmd_port },
	{ "status", SPP_CMD_STATUS, 1, 1, NULL },
};

int
spp_cmd_parse(const struct spp_port_env *env, const struct spp_model *cur,
	      const char *line, struct spp_model *next, struct spp_cmd_result *res)
{
	char buf[SPP_CMD_MAX_SIZE + 1];
	char *argv[SPP_CMD_MAX_TOKENS];
	struct cmd_ctx ctx = {
		.env = env, .cur = cur, .next = next, .res = res, .argv = argv,
	};
	const struct cmd_def *def = NULL;

	memset(res, 0, sizeof(*res));
	res->lcore = -1;
	res->lcore2 = -1;
	if (strlen(line) >= SPP_CMD_MAX_SIZE)
		return fail(&ctx, SPP_ERR_FORMAT, "commands are at most %d bytes",
			    SPP_CMD_MAX_SIZE - 1);
	snprintf(buf, sizeof(buf), "%s", line);
	ctx.argc = spp_cmd_tokenize(buf, argv, SPP_CMD_MAX_TOKENS);
	if (ctx.argc == 0)
		return fail(&ctx, SPP_ERR_FORMAT, "empty command");
	if (ctx.argc > SPP_CMD_MAX_TOKENS)
		return fail(&ctx, SPP_ERR_FORMAT, "more than %d tokens", SPP_CMD_MAX_TOKENS);

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			def = &commands[i];
	/* spp_mirror has no classifier table (SPEC §5.1). */
	if (def == NULL || (def->kind == SPP_CMD_CLASSIFIER &&
			    (env->kinds & (1u << SPP_COMP_CLASSIFIER)) == 0))
		return fail(&ctx, SPP_ERR_COMMAND, "unknown command '%s'", argv[0]);
	res->kind = def->kind;

	int max_tokens = def->max_tokens;

	if (def->kind == SPP_CMD_COMPONENT && (env->kinds & (1u << SPP_COMP_MIRROR)) != 0)
		max_tokens = 6;
	if (ctx.argc < def->min_tokens || ctx.argc > max_tokens)
		return fail(&ctx, SPP_ERR_FORMAT, "%s takes %d..%d tokens", def->name,
			    def->min_tokens, max_tokens);
	if (def->handler == NULL)
		return 0;
	return def->handler(&ctx);
}
