/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spp_reply.h"

const char *const spp_drop_reason_names[SPP_DROP_MAX] = {
	[SPP_DROP_NO_DEST] = "no_dest",
	[SPP_DROP_TX_FULL] = "tx_full",
	[SPP_DROP_LINK_DOWN] = "link_down",
	[SPP_DROP_NOMBUF] = "nombuf",
	[SPP_DROP_VLAN_ERROR] = "vlan_error",
	[SPP_DROP_MALFORMED] = "malformed",
};

/* Length of the valid UTF-8 sequence at s, or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *
spp_json_string(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len * 3 + 1);
	size_t o = 0;
	json_t *j;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len((const unsigned char *)s + i);

		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	j = json_string(out);
	free(out);
	return j;
}

static json_t *
results(const char *result)
{
	return json_pack("{s:[{s:s}]}", "results", "result", result);
}

json_t *
spp_reply_success(void)
{
	return results("success");
}

json_t *
spp_reply_error(const char *message, const char *detail)
{
	json_t *details = json_pack("{s:s}", "message", message);

	if (detail != NULL && detail[0] != '\0')
		json_object_set_new(details, "detail", spp_json_string(detail));
	return json_pack("{s:[{s:s,s:o}]}", "results", "result", "error",
			 "error_details", details);
}

char *
spp_reply_format(json_t *reply)
{
	char *text, *line;
	size_t len;

	if (reply == NULL)
		return NULL;
	text = json_dumps(reply, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(reply);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	line = realloc(text, len + 2);
	if (line == NULL) {
		free(text);
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}

json_t *
spp_comp_stats_json(const struct spp_comp_stats *s)
{
	json_t *drops = json_object();
	static const struct spp_comp_stats zero;

	if (s == NULL)
		s = &zero;
	for (int r = 0; r < SPP_DROP_MAX; r++)
		json_object_set_new(drops, spp_drop_reason_names[r],
				    json_integer((json_int_t)spp_stat_read(&s->drops[r])));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}",
			 "rx_packets", (json_int_t)spp_stat_read(&s->rx_packets),
			 "rx_bytes", (json_int_t)spp_stat_read(&s->rx_bytes),
			 "tx_packets", (json_int_t)spp_stat_read(&s->tx_packets),
			 "tx_bytes", (json_int_t)spp_stat_read(&s->tx_bytes),
			 "drop_packets", (json_int_t)spp_stat_read(&s->drop_packets),
			 "drop_bytes", (json_int_t)spp_stat_read(&s->drop_bytes),
			 "dup_packets", (json_int_t)spp_stat_read(&s->dup_packets),
			 "drops", drops);
}

static json_t *
uid_json(const struct spp_port_id *id)
{
	char buf[SPP_UID_STR_SIZE];

	return json_string(spp_uid_format(id, buf, sizeof(buf)));
}

static json_t *
attach_json(const struct spp_attach_cfg *a)
{
	static const char *const ops[] = {
		[SPP_VLAN_NONE] = "none", [SPP_VLAN_ADD] = "add", [SPP_VLAN_DEL] = "del",
	};
	int add = a->op.kind == SPP_VLAN_ADD;

	return json_pack("{s:o,s:{s:s,s:i,s:i}}", "port", uid_json(&a->port), "vlan",
			 "operation", ops[a->op.kind], "id", add ? a->op.vid : 0,
			 "pcp", add ? a->op.pcp : 0);
}

static json_t *
attach_list(const struct spp_attach_cfg *a, int n)
{
	json_t *list = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(list, attach_json(&a[i]));
	return list;
}

static json_t *
component_json(const struct spp_comp_cfg *c, bool is_mirror)
{
	json_t *o = json_pack("{s:i,s:s,s:s,s:o,s:o,s:o}",
			      "core", c->lcore, "name", c->name,
			      "type", spp_comp_kind_name(c->kind),
			      "rx_port", attach_list(c->rx, c->nb_rx),
			      "tx_port", attach_list(c->tx, c->nb_tx),
			      "stats", spp_comp_stats_json(c->stats));

	if (is_mirror)
		json_object_set_new(o, "copy_mode",
				    json_string(c->copy_mode == SPP_COPY_DEEP ? "deep" : "shallow"));
	return o;
}

static int
cmp_status_vhost(const void *a, const void *b)
{
	return (int)((const struct spp_status_vhost *)a)->num -
		(int)((const struct spp_status_vhost *)b)->num;
}

/*
 * [EXT] Link state of every vhost queue, ascending: whether a peer is
 * connected and each direction's vring is ready (SPEC §1.3).
 */
static json_t *
vhost_links_json(const struct spp_status_vhost *v, unsigned int n)
{
	json_t *links = json_array();
	char uid[SPP_UID_STR_SIZE];

	for (unsigned int i = 0; i < n; i++) {
		for (uint16_t q = 0; q < v[i].nb_queues; q++) {
			struct spp_port_id id = {
				.type = SPP_PORT_VHOST, .num = v[i].num,
				.queue = v[i].nb_queues > 1 ? (int16_t)q : SPP_NO_QUEUE,
			};

			json_array_append_new(links, json_pack("{s:s,s:o,s:s,s:b,s:s,s:s}",
				"port", spp_uid_format(&id, uid, sizeof(uid)),
				"path", spp_json_string(v[i].path),
				"mode", v[i].client ? "client" : "server",
				"connected", v[i].connected,
				"rx", (v[i].rx_up >> q) & 1 ? "up" : "down",
				"tx", (v[i].tx_up >> q) & 1 ? "up" : "down"));
		}
	}
	return links;
}

static int
cmp_status_port(const void *a, const void *b)
{
	return spp_uid_compare(&((const struct spp_status_port *)a)->id,
			       &((const struct spp_status_port *)b)->id);
}

/* Order of SPEC §5.9: vlan entries by VID, then mac; default first; MAC; port. */
static int
cmp_entry(const void *pa, const void *pb)
{
	const struct spp_cls_entry *a = pa, *b = pb;
	/* Untagged (vid 0) entries sort after every VLAN. */
	int va = a->vid == SPP_VID_UNTAGGED ? 4096 : a->vid;
	int vb = b->vid == SPP_VID_UNTAGGED ? 4096 : b->vid;
	int r;

	if (va != vb)
		return va - vb;
	if (a->is_default != b->is_default)
		return a->is_default ? -1 : 1;
	r = memcmp(a->mac, b->mac, sizeof(a->mac));
	if (r != 0)
		return r;
	return spp_uid_compare(&a->port, &b->port);
}

static json_t *
classifier_json(const struct spp_model *m)
{
	struct spp_cls_entry *sorted = malloc(sizeof(*sorted) * (m->nb_entries + 1u));
	json_t *list = json_array();

	if (sorted == NULL)
		return list;
	memcpy(sorted, m->entries, sizeof(*sorted) * m->nb_entries);
	qsort(sorted, m->nb_entries, sizeof(*sorted), cmp_entry);
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &sorted[i];
		char value[32];
		int o = 0;

		if (e->vid != SPP_VID_UNTAGGED)
			o = snprintf(value, sizeof(value), "%u/", e->vid);
		if (e->is_default)
			snprintf(value + o, sizeof(value) - (size_t)o, "default");
		else
			snprintf(value + o, sizeof(value) - (size_t)o,
				 "%02X:%02X:%02X:%02X:%02X:%02X", e->mac[0], e->mac[1],
				 e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
		json_array_append_new(list, json_pack("{s:s,s:s,s:o}",
			"type", e->vid != SPP_VID_UNTAGGED ? "vlan" : "mac",
			"value", value, "port", uid_json(&e->port)));
	}
	free(sorted);
	return list;
}

static json_t *
port_stats_json(const struct spp_status_port *p)
{
	const struct spp_port_stats *s = p->stats;

	return json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I}",
			 "port", uid_json(&p->id),
			 "rx_packets", (json_int_t)spp_stat_read(&s->rx.packets),
			 "rx_bytes", (json_int_t)spp_stat_read(&s->rx.bytes),
			 "tx_packets", (json_int_t)spp_stat_read(&s->tx.packets),
			 "tx_bytes", (json_int_t)spp_stat_read(&s->tx.bytes),
			 "drop_packets", (json_int_t)spp_stat_read(&s->tx.drop_packets),
			 "drop_bytes", (json_int_t)spp_stat_read(&s->tx.drop_bytes));
}

/*
 * [EXT] Running captures in start order (SPEC §5.9, §9.4). One that has
 * stopped by itself (MAX reached, I/O error) is no longer listed, even
 * while the manager is still taking it out of the plans.
 */
static json_t *
captures_json(const struct spp_model *m)
{
	json_t *list = json_array();

	for (int i = 0; i < m->nb_captures; i++) {
		const struct spp_capture_cfg *c = &m->captures[i];
		const char *dir = c->dirs == SPP_CAPTURE_BOTH ? "both" :
			c->dirs == SPP_CAPTURE_RX ? "rx" : "tx";

		if (c->cap != NULL && spp_capture_done(c->cap))
			continue;
		json_array_append_new(list, json_pack("{s:o,s:s,s:o,s:I,s:I}",
			"port", uid_json(&c->port), "dir", dir, "file", spp_json_string(c->file),
			"packets", (json_int_t)(c->cap != NULL ? spp_capture_packets(c->cap) : 0),
			"drops", (json_int_t)(c->cap != NULL ? spp_capture_drops(c->cap) : 0)));
	}
	return list;
}

json_t *
spp_status_reply(const struct spp_status_input *in)
{
	const struct spp_port_env *env = in->env;
	const struct spp_model *m = in->model;
	json_t *info = json_object();
	json_t *phy = json_array(), *vhost = json_array(), *ring = json_array();
	json_t *cores = json_array(), *port_stats = json_array(), *links = NULL;
	struct spp_status_port *ports;
	struct spp_status_vhost *vhosts;
	char buf[32];

	json_object_set_new(info, "client-id", json_integer(env->client_id));
	for (int n = 0; n < env->nb_phy; n++) {
		int nq = env->phy_rxq[n] > env->phy_txq[n] ? env->phy_rxq[n] : env->phy_txq[n];

		if (nq <= 1) {
			snprintf(buf, sizeof(buf), "%d", n);
			json_array_append_new(phy, json_string(buf));
			continue;
		}
		for (int q = 0; q < nq; q++) {
			snprintf(buf, sizeof(buf), "%d nq %d", n, q);
			json_array_append_new(phy, json_string(buf));
		}
	}
	json_object_set_new(info, "phy", phy);

	vhosts = malloc(sizeof(*vhosts) * (in->nb_vhosts + 1u));
	ports = malloc(sizeof(*ports) * (in->nb_ports + 1u));
	if (vhosts != NULL && ports != NULL) {
		/* memcpy from NULL is undefined even for 0 bytes (UBSan). */
		if (in->nb_vhosts > 0)
			memcpy(vhosts, in->vhosts, sizeof(*vhosts) * in->nb_vhosts);
		qsort(vhosts, in->nb_vhosts, sizeof(*vhosts), cmp_status_vhost);
		for (unsigned int i = 0; i < in->nb_vhosts; i++) {
			/* Like phy: one item per queue when there are several. */
			for (uint16_t q = 0; q < vhosts[i].nb_queues; q++) {
				if (vhosts[i].nb_queues > 1)
					snprintf(buf, sizeof(buf), "%u nq %u", vhosts[i].num, q);
				else
					snprintf(buf, sizeof(buf), "%u", vhosts[i].num);
				json_array_append_new(vhost, json_string(buf));
			}
		}
		if (in->nb_ports > 0)
			memcpy(ports, in->ports, sizeof(*ports) * in->nb_ports);
		qsort(ports, in->nb_ports, sizeof(*ports), cmp_status_port);
		for (unsigned int i = 0; i < in->nb_ports; i++) {
			if (ports[i].id.type == SPP_PORT_RING) {
				snprintf(buf, sizeof(buf), "%u", ports[i].id.num);
				json_array_append_new(ring, json_string(buf));
			}
			json_array_append_new(port_stats, port_stats_json(&ports[i]));
		}
	}
	if (in->vhost_links && in->nb_vhosts > 0 && vhosts != NULL)
		links = vhost_links_json(vhosts, in->nb_vhosts);
	free(vhosts);
	free(ports);
	json_object_set_new(info, "vhost", vhost);
	json_object_set_new(info, "ring", ring);
	json_object_set_new(info, "master-lcore", json_integer(env->main_lcore));

	for (int l = 0; l < SPP_MAX_LCORES; l++) {
		bool used = false;

		if (!env->worker_lcore[l])
			continue;
		for (int i = 0; i < m->nb_comps; i++) {
			if (m->comps[i].lcore != l)
				continue;
			json_array_append_new(cores, component_json(&m->comps[i], in->is_mirror));
			used = true;
		}
		if (!used)
			json_array_append_new(cores, json_pack("{s:i,s:s}", "core", l,
							       "type", "unuse"));
	}
	json_object_set_new(info, "core", cores);
	if (!in->is_mirror)
		json_object_set_new(info, "classifier_table", classifier_json(m));
	json_object_set_new(info, "port_stats", port_stats);
	json_object_set_new(info, "captures", captures_json(m));
	if (in->is_mirror)
		json_object_set_new(info, "copy_mode", json_string(
			env->default_copy_mode == SPP_COPY_DEEP ? "deep" : "shallow"));
	if (links != NULL)
		json_object_set_new(info, "vhost_links", links);

	json_t *reply = spp_reply_success();

	json_object_set_new(reply, "info", info);
	return reply;
}
