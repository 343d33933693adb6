/* SPDX-License-Identifier: BSD-3-Clause */

#include <stdlib.h>
#include <string.h>

#include "cli_topo.h"
#include "cli_util.h"

/* s as the inside of a DOT double-quoted string. */
static void
dot_quoted(struct cli_str *out, const char *s)
{
	cli_str_printf(out, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			cli_str_printf(out, "\\%c", *s);
		else if (*s == '\n')
			cli_str_printf(out, "\\n");
		else
			cli_str_printf(out, "%c", *s);
	}
	cli_str_printf(out, "\"");
}

/* "add_vlantag 100 3" / "del_vlantag" / "" for a port object. */
static void
vlan_label(const json_t *port, char *buf, size_t size)
{
	const json_t *vlan = json_object_get(port, "vlan");
	const char *op = cli_json_str(vlan, "operation");

	buf[0] = '\0';
	if (op != NULL && strcmp(op, "add") == 0)
		snprintf(buf, size, "add_vlantag %lld %lld", cli_json_int(vlan, "id"),
			 cli_json_int(vlan, "pcp"));
	else if (op != NULL && strcmp(op, "del") == 0)
		snprintf(buf, size, "del_vlantag");
}

static const char *
port_style(const char *uid)
{
	if (strncmp(uid, "phy:", 4) == 0)
		return "shape=box, style=filled, fillcolor=\"#a6cee3\"";
	if (strncmp(uid, "ring:", 5) == 0)
		return "shape=cds, style=filled, fillcolor=\"#b2df8a\"";
	if (strncmp(uid, "vhost:", 6) == 0)
		return "shape=box3d, style=filled, fillcolor=\"#fdbf6f\"";
	return "shape=box";
}

struct uid_set {
	char **uids;
	int nb;
};

static void
uid_add(struct uid_set *set, const char *uid)
{
	char **nu;

	if (uid == NULL)
		return;
	for (int i = 0; i < set->nb; i++)
		if (strcmp(set->uids[i], uid) == 0)
			return;
	nu = realloc(set->uids, sizeof(char *) * (set->nb + 1));
	if (nu == NULL)
		return;
	set->uids = nu;
	set->uids[set->nb] = strdup(uid);
	if (set->uids[set->nb] != NULL)
		set->nb++;
}

static void
uid_free(struct uid_set *set)
{
	for (int i = 0; i < set->nb; i++)
		free(set->uids[i]);
	free(set->uids);
}

static const char *
sec_prefix(const json_t *sec, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%lld", cli_json_str(sec, "type") ? cli_json_str(sec, "type") : "?",
		 cli_json_int(sec, "client-id"));
	return buf;
}

char *
cli_topo_dot(const json_t *topo)
{
	const json_t *pri = json_object_get(topo, "primary");
	const json_t *secs = json_object_get(topo, "secondaries");
	struct cli_str out = { 0 };
	struct uid_set ports = { 0 };
	size_t i, k, j;
	json_t *e, *sec, *c, *p;

	cli_str_printf(&out, "digraph spp {\n");
	cli_str_printf(&out, "\trankdir=LR;\n");
	cli_str_printf(&out, "\tnode [fontname=\"Helvetica\"];\n");
	cli_str_printf(&out, "\tedge [fontname=\"Helvetica\", fontsize=10];\n");

	if (json_is_object(pri)) {
		cli_str_printf(&out, "\tsubgraph cluster_primary {\n");
		cli_str_printf(&out, "\t\tlabel=\"primary\";\n\t\tstyle=dashed;\n");
		json_array_foreach(json_object_get(pri, "phy_ports"), i, e) {
			char uid[32], label[96];
			const char *name = cli_json_str(e, "port");

			if (name == NULL) {
				snprintf(uid, sizeof(uid), "phy:%zu", i);
				name = uid;
			}
			snprintf(label, sizeof(label), "%s\n%s", name,
				 cli_json_str(e, "eth") ? cli_json_str(e, "eth") : "");
			cli_str_printf(&out, "\t\t");
			dot_quoted(&out, name);
			cli_str_printf(&out, " [label=");
			dot_quoted(&out, label);
			cli_str_printf(&out, ", %s];\n", port_style(name));
			uid_add(&ports, name);
		}
		cli_str_printf(&out, "\t}\n");
	}

	json_array_foreach(secs, i, sec) {
		const json_t *st = json_object_get(sec, "status");
		char pfx[48];

		sec_prefix(sec, pfx, sizeof(pfx));
		cli_str_printf(&out, "\tsubgraph \"cluster_%s\" {\n", pfx);
		cli_str_printf(&out, "\t\tlabel=");
		dot_quoted(&out, pfx);
		cli_str_printf(&out, ";\n\t\tstyle=rounded;\n");
		json_array_foreach(json_object_get(st, "components"), k, c) {
			const char *name = cli_json_str(c, "name");
			char id[128], label[192];

			if (name == NULL)
				continue;
			snprintf(id, sizeof(id), "%s/%s", pfx, name);
			snprintf(label, sizeof(label), "%s\n%s (core %lld)", name,
				 cli_json_str(c, "type") ? cli_json_str(c, "type") : "",
				 cli_json_int(c, "core"));
			cli_str_printf(&out, "\t\t");
			dot_quoted(&out, id);
			cli_str_printf(&out, " [label=");
			dot_quoted(&out, label);
			cli_str_printf(&out, ", shape=ellipse];\n");
		}
		cli_str_printf(&out, "\t}\n");
	}

	/* Ports used by components, then the edges to and from them. */
	json_array_foreach(secs, i, sec)
		json_array_foreach(json_object_get(json_object_get(sec, "status"), "components"),
				   k, c) {
			json_array_foreach(json_object_get(c, "rx_port"), j, p)
				uid_add(&ports, cli_json_str(p, "port"));
			json_array_foreach(json_object_get(c, "tx_port"), j, p)
				uid_add(&ports, cli_json_str(p, "port"));
		}
	for (int n = 0; n < ports.nb; n++) {
		if (strncmp(ports.uids[n], "phy:", 4) == 0 && json_is_object(pri))
			continue;	/* drawn in the primary's cluster */
		cli_str_printf(&out, "\t");
		dot_quoted(&out, ports.uids[n]);
		cli_str_printf(&out, " [%s];\n", port_style(ports.uids[n]));
	}

	json_array_foreach(secs, i, sec) {
		const json_t *st = json_object_get(sec, "status");
		bool mirror = cli_json_str(sec, "type") &&
			strcmp(cli_json_str(sec, "type"), "mirror") == 0;
		char pfx[48];

		sec_prefix(sec, pfx, sizeof(pfx));
		json_array_foreach(json_object_get(st, "components"), k, c) {
			const char *name = cli_json_str(c, "name");
			char id[128], label[64];

			if (name == NULL)
				continue;
			snprintf(id, sizeof(id), "%s/%s", pfx, name);
			json_array_foreach(json_object_get(c, "rx_port"), j, p) {
				if (cli_json_str(p, "port") == NULL)
					continue;
				vlan_label(p, label, sizeof(label));
				cli_str_printf(&out, "\t");
				dot_quoted(&out, cli_json_str(p, "port"));
				cli_str_printf(&out, " -> ");
				dot_quoted(&out, id);
				if (label[0] != '\0') {
					cli_str_printf(&out, " [label=");
					dot_quoted(&out, label);
					cli_str_printf(&out, "]");
				}
				cli_str_printf(&out, ";\n");
			}
			json_array_foreach(json_object_get(c, "tx_port"), j, p) {
				if (cli_json_str(p, "port") == NULL)
					continue;
				vlan_label(p, label, sizeof(label));
				if (mirror && j == 1) {
					size_t ll = strlen(label);

					snprintf(label + ll, sizeof(label) - ll, "%scopy",
						 ll > 0 ? " " : "");
				}
				cli_str_printf(&out, "\t");
				dot_quoted(&out, id);
				cli_str_printf(&out, " -> ");
				dot_quoted(&out, cli_json_str(p, "port"));
				if (label[0] != '\0') {
					cli_str_printf(&out, " [label=");
					dot_quoted(&out, label);
					if (mirror && j == 1)
						cli_str_printf(&out, ", style=dashed");
					cli_str_printf(&out, "]");
				}
				cli_str_printf(&out, ";\n");
			}
		}
	}
	cli_str_printf(&out, "}\n");
	uid_free(&ports);
	if (out.failed) {
		cli_str_free(&out);
		return NULL;
	}
	return out.buf;
}

static void
text_ports(FILE *f, const json_t *ports, bool mirror)
{
	size_t j;
	json_t *p;

	if (json_array_size(ports) == 0) {
		fprintf(f, "-");
		return;
	}
	json_array_foreach(ports, j, p) {
		char label[64];

		vlan_label(p, label, sizeof(label));
		fprintf(f, "%s%s", j > 0 ? ", " : "",
			cli_json_str(p, "port") ? cli_json_str(p, "port") : "?");
		if (label[0] != '\0')
			fprintf(f, " [%s]", label);
		if (mirror && j == 1)
			fprintf(f, " (copy)");
	}
}

void
cli_topo_text(FILE *f, const json_t *topo)
{
	const json_t *pri = json_object_get(topo, "primary");
	const json_t *secs = json_object_get(topo, "secondaries");
	size_t i, k;
	json_t *e, *sec, *c;

	if (json_is_object(pri)) {
		fprintf(f, "primary: running, %zu rings\n",
			json_array_size(json_object_get(pri, "ring_ports")));
		json_array_foreach(json_object_get(pri, "phy_ports"), i, e) {
			const char *link = cli_json_str(e, "link");
			char uid[32];

			snprintf(uid, sizeof(uid), "%s", cli_json_str(e, "port") ?: "");
			if (uid[0] == '\0')
				snprintf(uid, sizeof(uid), "phy:%zu", i);
			fprintf(f, "  %s (%s%s%s)\n", uid,
				cli_json_str(e, "eth") ? cli_json_str(e, "eth") : "",
				link ? ", link " : "", link ? link : "");
		}
	} else {
		fprintf(f, "primary: not running\n");
	}
	if (json_array_size(secs) == 0)
		fprintf(f, "no secondary\n");
	json_array_foreach(secs, i, sec) {
		const json_t *st = json_object_get(sec, "status");
		bool mirror = cli_json_str(sec, "type") &&
			strcmp(cli_json_str(sec, "type"), "mirror") == 0;
		char pfx[48];

		fprintf(f, "%s\n", sec_prefix(sec, pfx, sizeof(pfx)));
		if (st == NULL) {
			fprintf(f, "  (no status)\n");
			continue;
		}
		json_array_foreach(json_object_get(st, "components"), k, c) {
			const char *name = cli_json_str(c, "name");

			if (name == NULL) {
				fprintf(f, "  core %lld: unused\n", cli_json_int(c, "core"));
				continue;
			}
			fprintf(f, "  %s (%s, core %lld", name,
				cli_json_str(c, "type") ? cli_json_str(c, "type") : "",
				cli_json_int(c, "core"));
			if (cli_json_str(c, "copy_mode") != NULL)
				fprintf(f, ", %s", cli_json_str(c, "copy_mode"));
			fprintf(f, "): ");
			text_ports(f, json_object_get(c, "rx_port"), false);
			fprintf(f, " -> ");
			text_ports(f, json_object_get(c, "tx_port"), mirror);
			fprintf(f, "\n");
		}
	}
}
