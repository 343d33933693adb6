/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_top.h"
#include "cli_util.h"

const char *const cli_top_reasons[CLI_TOP_NB_REASONS] = {
	"no_dest",
	"tx_full",
	"link_down",
	"nombuf",
	"vlan_error",
	"malformed",
	"rx_missed",
};

#define RX_P		0
#define RX_B		1
#define TX_P		2
#define TX_B		3
#define DROP_P		4
#define REASON0		5
#define NB_COUNTERS	(REASON0 + CLI_TOP_NB_REASONS)

/* Where a row's counters come from. */
enum src {
	SRC_COMP,	/* secondary component: stats {...} */
	SRC_SEC_PORT,	/* secondary info.port_stats item */
	SRC_PHY,	/* primary phy_ports item (SPEC §6.2) */
	SRC_RING,	/* primary ring_ports item */
};

static double
num_of(const json_t *obj, const char *key)
{
	return json_number_value(json_object_get(obj, key));
}

static void
read_counters(const json_t *item, enum src src, long long c[NB_COUNTERS])
{
	static const char *const sec_keys[] = {
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drop_packets",
	};
	static const char *const pri_keys[] = { "rx", "rx_bytes", "tx", "tx_bytes", "tx_drop" };
	const json_t *stats = src == SRC_COMP ? json_object_get(item, "stats") : item;
	const char *const *keys = src == SRC_PHY || src == SRC_RING ? pri_keys : sec_keys;

	memset(c, 0, sizeof(long long) * NB_COUNTERS);
	for (int i = 0; i < REASON0; i++)
		c[i] = cli_json_int(stats, keys[i]);
	if (src == SRC_COMP)
		for (int i = 0; i < CLI_TOP_NB_REASONS - 1; i++)
			c[REASON0 + i] = cli_json_int(json_object_get(stats, "drops"),
						cli_top_reasons[i]);
	if (src == SRC_PHY)
		c[REASON0 + CLI_TOP_NB_REASONS - 1] = cli_json_int(item, "rx_missed");
}

/* The UID of a primary phy or ring entry. */
static void
pri_port_name(const json_t *item, enum src src, char *buf, size_t size)
{
	if (src == SRC_PHY && cli_json_str(item, "port") != NULL)
		snprintf(buf, size, "%s", cli_json_str(item, "port"));
	else
		snprintf(buf, size, "%s:%lld", src == SRC_PHY ? "phy" : "ring",
			 cli_json_int(item, "id"));
}

/* The item of list whose name (as rows name it) is name, or NULL. */
static const json_t *
find_item(const json_t *list, enum src src, const char *name)
{
	const json_t *item;
	size_t i;

	json_array_foreach(list, i, item) {
		char buf[48];
		const char *n;

		if (src == SRC_COMP) {
			n = cli_json_str(item, "name");
		} else if (src == SRC_SEC_PORT) {
			n = cli_json_str(item, "port");
		} else {
			pri_port_name(item, src, buf, sizeof(buf));
			n = buf;
		}
		if (n != NULL && strcmp(n, name) == 0)
			return item;
	}
	return NULL;
}

/* The secondary of doc with that type and id, or NULL. */
static const json_t *
find_sec(const json_t *doc, const char *type, long long id)
{
	const json_t *sec;
	size_t i;

	json_array_foreach(json_object_get(doc, "secondaries"), i, sec)
		if (cli_json_str(sec, "type") != NULL &&
		    strcmp(cli_json_str(sec, "type"), type) == 0 &&
		    cli_json_int(sec, "client-id") == id)
			return sec;
	return NULL;
}

static int
add_row(struct cli_top *top, const char *proc, const char *name, const char *type,
	const json_t *item, const json_t *prev_item, enum src src, double dt)
{
	struct cli_top_row *rows, *r;
	long long now[NB_COUNTERS], before[NB_COUNTERS];
	double rates[NB_COUNTERS];

	rows = realloc(top->rows, sizeof(*rows) * (top->nb_rows + 1));
	if (rows == NULL)
		return -ENOMEM;
	top->rows = rows;
	r = &rows[top->nb_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->proc, sizeof(r->proc), "%s", proc);
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->type, sizeof(r->type), "%s", type);
	if (src == SRC_COMP)
		r->reasons = (1u << (CLI_TOP_NB_REASONS - 1)) - 1;
	else if (src == SRC_PHY)
		r->reasons = 1u << (CLI_TOP_NB_REASONS - 1);
	if (prev_item == NULL || dt <= 0)
		return 0;
	r->known = true;
	read_counters(item, src, now);
	read_counters(prev_item, src, before);
	for (int i = 0; i < NB_COUNTERS; i++) {
		/* Backwards means restarted from zero in between. */
		long long d = now[i] >= before[i] ? now[i] - before[i] : now[i];

		rates[i] = (double)d / dt;
	}
	r->rx_pps = rates[RX_P];
	r->rx_bps = rates[RX_B] * 8;
	r->tx_pps = rates[TX_P];
	r->tx_bps = rates[TX_B] * 8;
	r->drop_pps = rates[DROP_P];
	for (int i = 0; i < CLI_TOP_NB_REASONS; i++)
		r->reason_pps[i] = rates[REASON0 + i];
	return 0;
}

static int
add_primary(struct cli_top *top, const json_t *prev, const json_t *cur)
{
	static const struct {
		const char *key;
		enum src src;
	} lists[] = { { "phy_ports", SRC_PHY }, { "ring_ports", SRC_RING } };
	const json_t *pri = json_object_get(cur, "primary");
	const json_t *ppri = json_object_get(prev, "primary");
	double dt = num_of(cur, "primary_t") - num_of(prev, "primary_t");

	if (!json_is_object(pri))
		return 0;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const json_t *prev_list = json_object_get(ppri, lists[l].key);
		const json_t *item;
		size_t i;

		json_array_foreach(json_object_get(pri, lists[l].key), i, item) {
			char name[48];
			const json_t *before;

			pri_port_name(item, lists[l].src, name, sizeof(name));
			before = prev_list != NULL ? find_item(prev_list, lists[l].src, name) : NULL;
			if (add_row(top, "primary", name, "port", item, before, lists[l].src,
				    dt) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static int
add_secondary(struct cli_top *top, const json_t *prev, const json_t *sec)
{
	const char *type = cli_json_str(sec, "type");
	const json_t *st = json_object_get(sec, "status");
	const json_t *psec, *pst, *item;
	char proc[24];
	double dt;
	size_t i;

	if (type == NULL || !json_is_object(st))
		return 0;
	psec = find_sec(prev, type, cli_json_int(sec, "client-id"));
	pst = json_object_get(psec, "status");
	dt = num_of(sec, "t") - num_of(psec, "t");
	snprintf(proc, sizeof(proc), "%s:%lld", type, cli_json_int(sec, "client-id"));
	json_array_foreach(json_object_get(st, "components"), i, item) {
		const char *name = cli_json_str(item, "name");

		if (name == NULL)
			continue;	/* an unused lcore */
		if (add_row(top, proc, name,
			    cli_json_str(item, "type") ? cli_json_str(item, "type") : "",
			    item, find_item(json_object_get(pst, "components"), SRC_COMP, name),
			    SRC_COMP, dt) < 0)
			return -ENOMEM;
	}
	json_array_foreach(json_object_get(st, "port_stats"), i, item) {
		const char *uid = cli_json_str(item, "port");

		if (uid == NULL)
			continue;
		if (add_row(top, proc, uid, "port", item,
			    find_item(json_object_get(pst, "port_stats"), SRC_SEC_PORT, uid),
			    SRC_SEC_PORT, dt) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
cli_top_compute(const json_t *prev, const json_t *cur, struct cli_top *top)
{
	const json_t *sec;
	size_t i;

	memset(top, 0, sizeof(*top));
	if (add_primary(top, prev, cur) < 0)
		goto nomem;
	json_array_foreach(json_object_get(cur, "secondaries"), i, sec)
		if (add_secondary(top, prev, sec) < 0)
			goto nomem;
	return 0;
nomem:
	cli_top_free(top);
	return -ENOMEM;
}

void
cli_top_free(struct cli_top *top)
{
	free(top->rows);
	top->rows = NULL;
	top->nb_rows = 0;
}

const char *
cli_top_human(double v, char *buf, size_t size)
{
	static const char units[] = " KMGTP";
	int u = 0;

	if (v < 0)
		v = 0;
	while (v >= 999.5 && u < (int)sizeof(units) - 2) {
		v /= 1000;
		u++;
	}
	if (v == 0)
		snprintf(buf, size, "0");
	else if (u == 0 && v < 9.995)
		snprintf(buf, size, "%.2f", v);
	else if (u == 0)
		snprintf(buf, size, "%.0f", v);
	else if (v < 9.995)
		snprintf(buf, size, "%.2f%c", v, units[u]);
	else if (v < 99.95)
		snprintf(buf, size, "%.1f%c", v, units[u]);
	else
		snprintf(buf, size, "%.0f%c", v, units[u]);
	return buf;
}

static json_t *
rate_json(const struct cli_top_row *r, double v)
{
	return r->known ? json_real(v) : json_null();
}

json_t *
cli_top_json(const struct cli_top *top)
{
	json_t *rows = json_array();

	if (rows == NULL)
		return NULL;
	for (int i = 0; i < top->nb_rows; i++) {
		const struct cli_top_row *r = &top->rows[i];
		json_t *drops = json_object();
		json_t *row = json_object();

		if (drops == NULL || row == NULL || json_array_append_new(rows, row) < 0) {
			json_decref(drops);
			json_decref(row);
			json_decref(rows);
			return NULL;
		}
		for (int k = 0; k < CLI_TOP_NB_REASONS; k++)
			if (r->reasons & (1u << k))
				json_object_set_new(drops, cli_top_reasons[k],
						    rate_json(r, r->reason_pps[k]));
		json_object_set_new(row, "process", json_string(r->proc));
		json_object_set_new(row, "name", json_string(r->name));
		json_object_set_new(row, "type", json_string(r->type));
		json_object_set_new(row, "rx_pps", rate_json(r, r->rx_pps));
		json_object_set_new(row, "rx_bps", rate_json(r, r->rx_bps));
		json_object_set_new(row, "tx_pps", rate_json(r, r->tx_pps));
		json_object_set_new(row, "tx_bps", rate_json(r, r->tx_bps));
		json_object_set_new(row, "drop_pps", rate_json(r, r->drop_pps));
		json_object_set_new(row, "drops", drops);
	}
	return rows;
}

/* Print line cut to width (width <= 0: whole), then a newline. */
static void
put_line(FILE *f, const char *line, int width)
{
	int len = (int)strlen(line);

	if (width > 0 && len > width)
		len = width;
	fprintf(f, "%.*s\n", len, line);
}

#define ROW_FMT	"%-10s %-16s %-10s %8s %8s %8s %8s %9s  %s"

void
cli_top_format(FILE *f, const struct cli_top *top, int width)
{
	char line[512];

	snprintf(line, sizeof(line), ROW_FMT, "PROCESS", "NAME", "TYPE", "RX_PPS", "RX_BPS",
		 "TX_PPS", "TX_BPS", "DROP_PPS", "DROPS/S BY REASON");
	put_line(f, line, width);
	for (int i = 0; i < top->nb_rows; i++) {
		const struct cli_top_row *r = &top->rows[i];
		char v[5][16], reasons[256] = "";
		size_t len = 0;

		if (r->known) {
			cli_top_human(r->rx_pps, v[0], sizeof(v[0]));
			cli_top_human(r->rx_bps, v[1], sizeof(v[1]));
			cli_top_human(r->tx_pps, v[2], sizeof(v[2]));
			cli_top_human(r->tx_bps, v[3], sizeof(v[3]));
			cli_top_human(r->drop_pps, v[4], sizeof(v[4]));
			for (int k = 0; k < CLI_TOP_NB_REASONS; k++) {
				char h[16];

				if (r->reason_pps[k] <= 0 || len >= sizeof(reasons))
					continue;
				len += snprintf(reasons + len, sizeof(reasons) - len, "%s%s=%s",
						len > 0 ? " " : "", cli_top_reasons[k],
						cli_top_human(r->reason_pps[k], h, sizeof(h)));
			}
		} else {
			for (int k = 0; k < 5; k++)
				snprintf(v[k], sizeof(v[k]), "-");
		}
		snprintf(line, sizeof(line), ROW_FMT, r->proc, r->name, r->type, v[0], v[1], v[2],
			 v[3], v[4], reasons);
		/* No trailing blanks when no reason is listed. */
		for (len = strlen(line); len > 0 && line[len - 1] == ' '; len--)
			line[len - 1] = '\0';
		put_line(f, line, width);
	}
}
