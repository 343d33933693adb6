/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cli_fmt.h"
#include "cli_util.h"

static int
int_of(const json_t *obj, const char *key, json_int_t *v)
{
	const json_t *j = json_object_get(obj, key);

	if (!json_is_integer(j))
		return -EINVAL;
	*v = json_integer_value(j);
	return 0;
}

int
cli_fmt_status(FILE *f, const char *addr, const json_t *procs)
{
	static const char *const sec_types[] = { "nfv", "vf", "mirror", "pcap" };
	bool primary = false;
	size_t i;
	json_t *p;
	int cnt = 1;

	if (!json_is_array(procs))
		return -EINVAL;
	fprintf(f, "- spp-ctl:\n");
	fprintf(f, "  - address: %s\n", addr);
	json_array_foreach(procs, i, p) {
		const char *t = cli_json_str(p, "type");

		if (t != NULL && strcmp(t, "primary") == 0)
			primary = true;
	}
	fprintf(f, "- primary:\n");
	fprintf(f, "  - status: %s\n", primary ? "running" : "not running");
	fprintf(f, "- secondary:\n");
	fprintf(f, "  - processes:\n");
	for (size_t k = 0; k < sizeof(sec_types) / sizeof(sec_types[0]); k++) {
		json_array_foreach(procs, i, p) {
			const char *t = cli_json_str(p, "type");
			json_int_t id;

			if (t == NULL || strcmp(t, sec_types[k]) != 0)
				continue;
			if (int_of(p, "client-id", &id) < 0)
				return -EINVAL;
			fprintf(f, "    %d: %s:%lld\n", cnt++, t, (long long)id);
		}
	}
	return 0;
}

int
cli_fmt_pri_status(FILE *f, const json_t *st)
{
	const json_t *lcores = json_object_get(st, "lcores");
	const json_t *arr;
	size_t i;
	json_t *e;

	if (!json_is_object(st))
		return -EINVAL;
	if (json_is_array(lcores) && json_array_size(lcores) > 0) {
		size_t n = json_array_size(lcores);

		fprintf(f, "- lcore_ids:\n");
		fprintf(f, "  - master: %lld\n",
			(long long)json_integer_value(json_array_get(lcores, 0)));
		if (n == 2) {
			fprintf(f, "  - slave: %lld\n",
				(long long)json_integer_value(json_array_get(lcores, 1)));
		} else if (n > 2) {
			fprintf(f, "  - slaves: [");
			for (i = 1; i < n; i++)
				fprintf(f, "%s%lld", i > 1 ? ", " : "",
					(long long)json_integer_value(json_array_get(lcores, i)));
			fprintf(f, "]\n");
		}
	}
	arr = json_object_get(st, "pipes");
	if (json_is_array(arr)) {
		fprintf(f, "- pipes:\n");
		json_array_foreach(arr, i, e) {
			json_int_t id = 0, rx = 0, tx = 0;

			int_of(e, "id", &id);
			int_of(e, "rx", &rx);
			int_of(e, "tx", &tx);
			fprintf(f, "  - pipe:%lld ring:%lld ring:%lld\n",
				(long long)id, (long long)rx, (long long)tx);
		}
	}
	if (json_object_get(st, "phy_ports") != NULL || json_object_get(st, "ring_ports") != NULL)
		fprintf(f, "- stats\n");
	arr = json_object_get(st, "phy_ports");
	if (json_is_array(arr)) {
		fprintf(f, "  - physical ports:\n");
		fprintf(f, "      ID          rx          tx     tx_drop  rxq  txq mac_addr\n");
		json_array_foreach(arr, i, e) {
			const json_t *q = json_object_get(e, "nof_queues");
			json_int_t id, rx, tx, txd, rxq, txq;
			const char *eth = cli_json_str(e, "eth");

			if (int_of(e, "id", &id) < 0 || int_of(e, "rx", &rx) < 0 ||
			    int_of(e, "tx", &tx) < 0 || int_of(e, "tx_drop", &txd) < 0 ||
			    int_of(q, "rx", &rxq) < 0 || int_of(q, "tx", &txq) < 0 || eth == NULL)
				return -EINVAL;
			fprintf(f, "      %2lld  %10lld  %10lld  %10lld %4lld %4lld %s\n",
				(long long)id, (long long)rx, (long long)tx, (long long)txd,
				(long long)rxq, (long long)txq, eth);
		}
	}
	arr = json_object_get(st, "ring_ports");
	if (json_is_array(arr)) {
		fprintf(f, "  - ring ports:\n");
		fprintf(f, "      ID          rx          tx     rx_drop     tx_drop\n");
		json_array_foreach(arr, i, e) {
			json_int_t id, rx, tx, rxd, txd;

			if (int_of(e, "id", &id) < 0 || int_of(e, "rx", &rx) < 0 ||
			    int_of(e, "tx", &tx) < 0 || int_of(e, "rx_drop", &rxd) < 0 ||
			    int_of(e, "tx_drop", &txd) < 0)
				return -EINVAL;
			fprintf(f, "      %2lld  %10lld  %10lld  %10lld  %10lld\n",
				(long long)id, (long long)rx, (long long)tx, (long long)rxd,
				(long long)txd);
		}
	}
	return 0;
}

/* "Basic Information:" of vf and mirror; slaves[] = every component's core. */
static int
fmt_basic(FILE *f, const json_t *st, bool mirror)
{
	const json_t *ports = json_object_get(st, "ports");
	const json_t *comps = json_object_get(st, "components");
	json_int_t id, master;
	size_t i, n;
	json_t *e;

	if (int_of(st, "client-id", &id) < 0 || int_of(st, "master-lcore", &master) < 0 ||
	    !json_is_array(ports) || !json_is_array(comps))
		return -EINVAL;
	fprintf(f, "Basic Information:\n");
	fprintf(f, "  - client-id: %lld\n", (long long)id);
	fprintf(f, "  - ports: [");
	json_array_foreach(ports, i, e)
		fprintf(f, "%s%s", i > 0 ? ", " : "", json_string_value(e) ?: "");
	fprintf(f, "]\n");
	fprintf(f, "  - lcore_ids:\n");
	fprintf(f, "    - master: %lld\n", (long long)master);
	n = json_array_size(comps);
	if (mirror && n == 1) {
		fprintf(f, "    - slave: %lld\n",
			(long long)json_integer_value(json_object_get(json_array_get(comps, 0),
								      "core")));
		return 0;
	}
	fprintf(f, "    - slaves: [");
	json_array_foreach(comps, i, e)
		fprintf(f, "%s%lld", i > 0 ? ", " : "",
			(long long)json_integer_value(json_object_get(e, "core")));
	fprintf(f, "]\n");
	return 0;
}

static int
fmt_vf_port(FILE *f, const char *dir, const json_t *p)
{
	const char *port = cli_json_str(p, "port");
	const json_t *vlan = json_object_get(p, "vlan");
	const char *op = cli_json_str(vlan, "operation");

	if (port == NULL)
		return -EINVAL;
	if (op != NULL && strcmp(op, "add") == 0) {
		json_int_t vid = 0, pcp = 0;

		int_of(vlan, "id", &vid);
		int_of(vlan, "pcp", &pcp);
		fprintf(f, "    - %s: %s (vlan operation: add, id: %lld, pcp: %lld)\n",
			dir, port, (long long)vid, (long long)pcp);
	} else if (op != NULL && strcmp(op, "del") == 0) {
		fprintf(f, "    - %s: %s (vlan operation: del)\n", dir, port);
	} else {
		fprintf(f, "    - %s: %s\n", dir, port);
	}
	return 0;
}

static int
fmt_component_head(FILE *f, const json_t *c, bool *unused)
{
	json_int_t core;
	const char *name = cli_json_str(c, "name");

	if (int_of(c, "core", &core) < 0)
		return -EINVAL;
	*unused = name == NULL;
	if (name == NULL)
		fprintf(f, "  - core:%lld '' (type: unuse)\n", (long long)core);
	else
		fprintf(f, "  - core:%lld '%s' (type: %s)\n", (long long)core, name,
			cli_json_str(c, "type") ? cli_json_str(c, "type") : "");
	return 0;
}

int
cli_fmt_vf_status(FILE *f, const json_t *st)
{
	const json_t *tbl = json_object_get(st, "classifier_table");
	const json_t *comps;
	size_t i, k;
	json_t *e, *p;

	if (fmt_basic(f, st, false) < 0)
		return -EINVAL;
	fprintf(f, "Classifier Table:\n");
	if (json_array_size(tbl) == 0)
		fprintf(f, "  No entries.\n");
	json_array_foreach(tbl, i, e)
		fprintf(f, "  - %s, %s\n", cli_json_str(e, "value") ? cli_json_str(e, "value") : "",
			cli_json_str(e, "port") ? cli_json_str(e, "port") : "");
	fprintf(f, "Components:\n");
	comps = json_object_get(st, "components");
	json_array_foreach(comps, i, e) {
		bool unused;

		if (fmt_component_head(f, e, &unused) < 0)
			return -EINVAL;
		if (unused)
			continue;
		json_array_foreach(json_object_get(e, "rx_port"), k, p)
			if (fmt_vf_port(f, "rx", p) < 0)
				return -EINVAL;
		json_array_foreach(json_object_get(e, "tx_port"), k, p)
			if (fmt_vf_port(f, "tx", p) < 0)
				return -EINVAL;
	}
	return 0;
}

int
cli_fmt_mirror_status(FILE *f, const json_t *st)
{
	const json_t *comps;
	size_t i, k;
	json_t *e, *p;

	if (fmt_basic(f, st, true) < 0)
		return -EINVAL;
	fprintf(f, "Components:\n");
	comps = json_object_get(st, "components");
	json_array_foreach(comps, i, e) {
		const json_t *rx = json_object_get(e, "rx_port");
		const json_t *tx = json_object_get(e, "tx_port");
		bool unused;

		if (fmt_component_head(f, e, &unused) < 0)
			return -EINVAL;
		if (unused)
			continue;
		fprintf(f, "    - rx: %s\n", json_array_size(rx) > 0 ?
			(cli_json_str(json_array_get(rx, 0), "port") ?: "") : "");
		if (json_array_size(tx) == 0) {
			fprintf(f, "    - tx: \n");
			continue;
		}
		fprintf(f, "    - tx: [");
		json_array_foreach(tx, k, p)
			fprintf(f, "%s%s", k > 0 ? ", " : "", cli_json_str(p, "port") ?: "");
		fprintf(f, "]\n");
	}
	return 0;
}

void
cli_fmt_error(FILE *f, long code, const char *body, const char *detail)
{
	if (body != NULL && body[0] != '\0') {
		size_t len = strlen(body);

		while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
			len--;
		fprintf(f, "Error: %.*s\n", (int)len, body);
	} else {
		fprintf(f, "Error: HTTP %ld\n", code);
	}
	if (detail != NULL && detail[0] != '\0')
		fprintf(f, "%s\n", detail);
}
