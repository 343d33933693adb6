/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GET /metrics (SPEC §7.7 [EXT], issue 7): Prometheus text exposition
 * (0.0.4) of the counters of SPEC §9, gathered with one `status` per
 * process. A process that does not answer is left out (and removed, §4.5).
 *
 * Labels: process ("vf:2", "mirror:3", "primary") first, then client_id,
 * component and type, or port; then direction or reason. Every family has
 * HELP and TYPE lines, even without samples; label values are escaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"

struct out {
	char *s;
	size_t len, cap;
	bool failed;
};

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->failed)
		return;
	for (;;) {
		size_t room = o->cap - o->len;

		va_start(ap, fmt);
		n = vsnprintf(o->s != NULL ? o->s + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->failed = true;
			return;
		}
		if ((size_t)n < room) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = (o->cap + (size_t)n + 1) * 2;
		char *s = realloc(o->s, cap);

		if (s == NULL) {
			o->failed = true;
			return;
		}
		o->s = s;
		o->cap = cap;
	}
}

/* A label value: \, " and newline escaped. */
static void
put_label(struct out *o, const char *name, const char *value)
{
	put(o, "%s=\"", name);
	for (const char *p = value != NULL ? value : ""; *p; p++) {
		if (*p == '\\')
			put(o, "\\\\");
		else if (*p == '"')
			put(o, "\\\"");
		else if (*p == '\n')
			put(o, "\\n");
		else
			put(o, "%c", *p);
	}
	put(o, "\"");
}

static void
family(struct out *o, const char *name, const char *help)
{
	put(o, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

static void
put_value(struct out *o, const json_t *v)
{
	put(o, "} %" JSON_INTEGER_FORMAT "\n", json_is_integer(v) ? json_integer_value(v) : 0);
}

struct sample_src {
	enum ctl_ptype type;
	unsigned int id;
	json_t *reply;
};

/* process="vf:2",client_id="2", */
static void
process_labels(struct out *o, const struct sample_src *s)
{
	char name[32], id[16];

	snprintf(name, sizeof(name), "%s:%u", s->type == CTL_VF ? "vf" : "mirror", s->id);
	snprintf(id, sizeof(id), "%u", s->id);
	put_label(o, "process", name);
	put(o, ",");
	put_label(o, "client_id", id);
}

static void
comp_labels(struct out *o, const char *fam, const struct sample_src *s, const json_t *comp)
{
	put(o, "%s{", fam);
	process_labels(o, s);
	put(o, ",");
	put_label(o, "component", json_string_value(json_object_get(comp, "name")));
	put(o, ",");
	put_label(o, "type", json_string_value(json_object_get(comp, "type")));
	put(o, ",");
}

static void
port_labels(struct out *o, const char *fam, const struct sample_src *s, const json_t *port)
{
	put(o, "%s{", fam);
	process_labels(o, s);
	put(o, ",");
	put_label(o, "port", json_string_value(json_object_get(port, "port")));
	put(o, ",");
}

static const char *const pkt_dirs[][2] = {
	{ "rx", "rx_packets" }, { "tx", "tx_packets" }, { "drop", "drop_packets" },
	{ "dup", "dup_packets" },
};
static const char *const byte_dirs[][2] = {
	{ "rx", "rx_bytes" }, { "tx", "tx_bytes" }, { "drop", "drop_bytes" },
};

static void
secondary_families(struct out *o, const struct sample_src *src, size_t n)
{
	static const char *const fams[] = {
		"spp_component_packets_total", "spp_component_bytes_total",
		"spp_component_drops_total", "spp_port_packets_total", "spp_port_bytes_total",
	};
	static const char *const helps[] = {
		"Packets of a component: received, sent (each copy), dropped, duplicated "
		"(SPEC 9.1).",
		"Bytes of a component: received, sent, dropped (SPEC 9.1).",
		"Packets a component dropped, by reason (SPEC 9.1).",
		"Packets of a port as counted by one process: received, sent, dropped on "
		"the way to it (SPEC 9.1).",
		"Bytes of a port as counted by one process (SPEC 9.1).",
	};

	for (int f = 0; f < 5; f++) {
		family(o, fams[f], helps[f]);
		for (size_t k = 0; k < n; k++) {
			const json_t *info = json_object_get(src[k].reply, "info");
			const json_t *item, *stats, *v;
			const char *key;
			size_t i;

			if (src[k].type == CTL_PRIMARY || info == NULL)
				continue;
			if (f >= 3) {
				/* Ports count rx, tx and drop (no dup). */
				json_array_foreach(json_object_get(info, "port_stats"), i, item) {
					for (size_t d = 0; d < 3; d++) {
						const char *const *dir = f == 3 ? pkt_dirs[d] :
									  byte_dirs[d];

						port_labels(o, fams[f], &src[k], item);
						put_label(o, "direction", dir[0]);
						put_value(o, json_object_get(item, dir[1]));
					}
				}
				continue;
			}
			json_array_foreach(json_object_get(info, "core"), i, item) {
				stats = json_object_get(item, "stats");
				if (!json_is_object(stats))
					continue;
				if (f == 2) {
					json_t *drops = json_object_get(stats, "drops");

					json_object_foreach(drops, key, v) {
						comp_labels(o, fams[f], &src[k], item);
						put_label(o, "reason", key);
						put_value(o, v);
					}
					continue;
				}
				for (size_t d = 0; d < (f == 0 ? 4u : 3u); d++) {
					const char *const *dir =
						f == 0 ? pkt_dirs[d] : byte_dirs[d];

					comp_labels(o, fams[f], &src[k], item);
					put_label(o, "direction", dir[0]);
					put_value(o, json_object_get(stats, dir[1]));
				}
			}
		}
	}
}

static void
primary_sample(struct out *o, const char *fam, const char *port, const char *dir,
	       const json_t *v)
{
	put(o, "%s{", fam);
	put_label(o, "process", "primary");
	put(o, ",");
	put_label(o, "port", port);
	put(o, ",");
	put_label(o, "direction", dir);
	put_value(o, v);
}

/* The primary's phy_ports and ring_ports (SPEC §6.2), after its `clear` baseline. */
static void
primary_family(struct out *o, const struct sample_src *src, size_t n, bool bytes)
{
	/* {direction, packets key, bytes key or NULL} */
	static const char *const dirs[][3] = {
		{ "rx", "rx", "rx_bytes" }, { "tx", "tx", "tx_bytes" }, { "drop", "tx_drop", NULL },
	};
	const char *fam = bytes ? "spp_primary_port_bytes_total" :
				  "spp_primary_port_packets_total";

	family(o, fam, bytes ?
	       "Bytes of the primary's phy ports (ethdev) and rings, all processes (SPEC 6.2)." :
	       "Packets of the primary's phy ports (ethdev rx/tx, shared tx drops) and rings, "
	       "all processes (SPEC 6.2).");
	for (size_t k = 0; k < n; k++) {
		static const char *const lists[][2] = {
			{ "phy_ports", "phy" }, { "ring_ports", "ring" },
		};

		if (src[k].type != CTL_PRIMARY)
			continue;
		for (int l = 0; l < 2; l++) {
			const json_t *item;
			size_t i;

			json_array_foreach(json_object_get(src[k].reply, lists[l][0]), i, item) {
				const char *uid = json_string_value(json_object_get(item, "port"));
				char port[32];

				/* A phy's "id" is its ethdev id; "port" [EXT] is its UID. */
				snprintf(port, sizeof(port), "%s:%" JSON_INTEGER_FORMAT, lists[l][1],
					 json_integer_value(json_object_get(item, "id")));
				if (uid != NULL)
					snprintf(port, sizeof(port), "%s", uid);
				for (int d = 0; d < 3; d++) {
					const char *key = dirs[d][bytes ? 2 : 1];

					if (key != NULL)
						primary_sample(o, fam, port, dirs[d][0],
							       json_object_get(item, key));
				}
			}
		}
	}
}

void
ctl_api_metrics(struct ctl_call *c)
{
	json_t *procs = c->be->processes(c->be->ctx), *p;
	size_t nb = json_array_size(procs), n = 0, i;
	struct sample_src *src = calloc(nb + 1, sizeof(*src));
	struct out o = { 0 };

	if (src == NULL) {
		json_decref(procs);
		ctl_reply_500(c);
		return;
	}
	json_array_foreach(procs, i, p) {
		const char *type = json_string_value(json_object_get(p, "type"));
		struct sample_src *s = &src[n];

		if (type == NULL)
			continue;
		s->type = strcmp(type, "primary") == 0 ? CTL_PRIMARY :
			  strcmp(type, "vf") == 0 ? CTL_VF : CTL_MIRROR;
		s->id = (unsigned int)json_integer_value(json_object_get(p, "client-id"));
		if (c->be->command(c->be->ctx, s->type, s->id, "status", 0, &s->reply) == 0)
			n++;
	}
	json_decref(procs);
	secondary_families(&o, src, n);
	primary_family(&o, src, n, false);
	primary_family(&o, src, n, true);
	for (i = 0; i < n; i++)
		json_decref(src[i].reply);
	free(src);
	if (o.failed || o.s == NULL) {
		free(o.s);
		ctl_reply_500(c);
		return;
	}
	ctl_reply_204(c);
	c->resp->status = 200;
	c->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	c->resp->body = o.s;
	c->resp->body_size = o.len;
}
