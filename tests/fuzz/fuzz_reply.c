/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the JSON reply writer (spp_reply.c, SPEC §5.8, §5.9).
 *
 * Input: byte 0 flags (bit 0 spp_mirror, bit 1 vhost_links, bit 2 two
 * vhost queues); then commands, one per line, up to a line "--", building
 * the model through spp_cmd_parse() as the manager does; then the rest:
 * an error detail (up to a NUL), then counters, port and vhost records
 * (arbitrary bytes: paths need not be UTF-8).
 * Oracles: every reply is produced (never NULL); its text is one line that
 * jansson parses back; an error reply carries the message, and the detail
 * exactly when it is valid UTF-8, else with each invalid byte replaced by
 * U+FFFD (a reference decoder of RFC 3629 here); status has the keys of
 * §5.9 in order, one core object per component (plus "unuse" ones), every
 * classifier entry, port and capture, and the counters given.
 */
#include <stdbool.h>

#include <jansson.h>

#include "fuzz.h"
#include "fuzz_env.h"
#include "spp_cmd.h"
#include "spp_reply.h"

#define MAX_PORTS	8
#define MAX_VHOSTS	4

/* RFC 3629 well-formed sequence at s (NUL-terminated): its length, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c == 0xe0)
		n = 3, lo = 0xa0;
	else if (c == 0xed)
		n = 3, hi = 0x9f;
	else if (c >= 0xe1 && c <= 0xef)
		n = 3;
	else if (c == 0xf0)
		n = 4, lo = 0x90;
	else if (c == 0xf4)
		n = 4, hi = 0x8f;
	else if (c >= 0xf1 && c <= 0xf3)
		n = 4;
	else
		return 0;
	/* The second byte has the narrowed range, the others 80..BF. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* s with every byte not in a well-formed sequence replaced by U+FFFD. */
static char *
utf8_repair(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 3 + 1);

	FUZZ_CHECK(out != NULL, "out of memory");
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len((const unsigned char *)s + i);

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
	return out;
}

/* Format reply and parse it back; both must work. */
static json_t *
round_trip(json_t *reply)
{
	char *text;
	json_error_t err;
	json_t *back;
	size_t len;

	FUZZ_CHECK(reply != NULL, "no reply built");
	text = spp_reply_format(reply);
	FUZZ_CHECK(text != NULL, "reply not formatted");
	len = strlen(text);
	FUZZ_CHECK(len >= 2 && text[len - 1] == '\n' && memchr(text, '\n', len - 1) == NULL,
		   "a reply is one line");
	back = json_loads(text, 0, &err);
	FUZZ_CHECK(back != NULL, "reply does not parse: %s: %.200s", err.text, text);
	free(text);
	return back;
}

static void
check_error_reply(const char *detail)
{
	json_t *back = round_trip(spp_reply_error(SPP_ERR_PORT, detail));
	json_t *first = json_array_get(json_object_get(back, "results"), 0);
	json_t *details = json_object_get(first, "error_details");
	const char *got = json_string_value(json_object_get(details, "detail"));

	FUZZ_CHECK(json_array_size(json_object_get(back, "results")) == 1, "results");
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(first, "result")), "error") == 0,
		   "result");
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(details, "message")),
			  SPP_ERR_PORT) == 0, "message");
	if (detail[0] == '\0') {
		FUZZ_CHECK(got == NULL, "an empty detail is left out");
	} else {
		char *want = utf8_repair(detail);

		FUZZ_CHECK(got != NULL && strcmp(got, want) == 0, "detail not kept");
		free(want);
	}
	json_decref(back);
}

static uint64_t
take_counter(struct fuzz_in *in)
{
	uint64_t v = 0;

	fuzz_bytes(in, &v, sizeof(v));
	/* json_int_t is signed: counters are far below 2^63 (50 years at 100 Gb/s). */
	return v >> 1;
}

static void
check_counters(const json_t *o, const char *const keys[], const uint64_t *want, int n)
{
	for (int i = 0; i < n; i++) {
		const json_t *v = json_object_get(o, keys[i]);

		FUZZ_CHECK(json_is_integer(v) && (uint64_t)json_integer_value(v) == want[i],
			   "counter %s", keys[i]);
	}
}

static void
check_status(const struct spp_status_input *in, const struct spp_comp_stats *stats)
{
	static const char *const vf_keys[] = {
		"client-id", "phy", "vhost", "ring", "master-lcore", "core", "classifier_table",
		"port_stats", "captures",
	};
	static const char *const mirror_keys[] = {
		"client-id", "phy", "vhost", "ring", "master-lcore", "core", "port_stats",
		"captures", "copy_mode",
	};
	static const char *const comp_keys[] = {
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drop_packets", "drop_bytes",
		"dup_packets",
	};
	const struct spp_model *m = in->model;
	json_t *back = round_trip(spp_status_reply(in));
	json_t *info = json_object_get(back, "info");
	const char *const *keys = in->is_mirror ? mirror_keys : vf_keys;
	size_t nb_keys = 9, i = 0, nb_comps = 0, nb_unuse = 0;
	const char *key;
	json_t *v;

	FUZZ_CHECK(json_is_object(info), "no info");
	json_object_foreach(info, key, v) {
		if (i < nb_keys)
			FUZZ_CHECK(strcmp(key, keys[i]) == 0, "key %zu is %s, not %s", i, key,
				   keys[i]);
		else
			FUZZ_CHECK(strcmp(key, "vhost_links") == 0 && in->vhost_links,
				   "extra key %s", key);
		i++;
	}
	FUZZ_CHECK(i >= nb_keys, "%zu keys", i);
	json_array_foreach(json_object_get(info, "core"), i, v) {
		const char *type = json_string_value(json_object_get(v, "type"));

		FUZZ_CHECK(type != NULL, "core without type");
		if (strcmp(type, "unuse") == 0) {
			nb_unuse++;
			continue;
		}
		const char *name = json_string_value(json_object_get(v, "name"));
		int ci = name != NULL ? spp_model_find_comp(m, name) : -1;

		FUZZ_CHECK(ci >= 0, "core object of no component");
		nb_comps++;
		const struct spp_comp_stats *s = &stats[ci];
		const uint64_t want[] = {
			s->rx_packets, s->rx_bytes, s->tx_packets, s->tx_bytes, s->drop_packets,
			s->drop_bytes, s->dup_packets,
		};

		check_counters(json_object_get(v, "stats"), comp_keys, want, 7);
		FUZZ_CHECK(json_array_size(json_object_get(v, "rx_port")) == m->comps[ci].nb_rx &&
			   json_array_size(json_object_get(v, "tx_port")) == m->comps[ci].nb_tx,
			   "ports of %s", name);
	}
	FUZZ_CHECK(nb_comps == m->nb_comps, "%zu of %u components", nb_comps, m->nb_comps);
	FUZZ_CHECK(nb_unuse <= NB_WORKERS, "unuse");
	if (!in->is_mirror)
		FUZZ_CHECK(json_array_size(json_object_get(info, "classifier_table")) ==
			   m->nb_entries, "classifier entries");
	FUZZ_CHECK(json_array_size(json_object_get(info, "port_stats")) == in->nb_ports,
		   "port_stats");
	FUZZ_CHECK(json_array_size(json_object_get(info, "captures")) == m->nb_captures,
		   "captures");
	json_decref(back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spp_model *cur, *next;
	static struct spp_comp_stats stats[SPP_MAX_COMPONENTS];
	struct spp_port_stats port_stats[MAX_PORTS];
	struct spp_status_port ports[MAX_PORTS];
	struct spp_status_vhost vhosts[MAX_VHOSTS];
	char paths[MAX_VHOSTS][64];
	struct spp_port_env env;
	struct spp_cmd_result res;
	struct fuzz_in in;
	char line[SPP_CMD_MAX_SIZE];
	size_t off = 1;
	uint8_t flags;

	if (size == 0)
		return 0;
	if (cur == NULL) {
		cur = spp_model_create();
		next = spp_model_create();
		FUZZ_CHECK(cur != NULL && next != NULL, "out of memory");
	}
	cur->nb_comps = cur->nb_entries = cur->nb_captures = 0;
	flags = data[0];
	env_init(&env, (uint8_t)((flags & 1) | (flags >> 1 & 2)));

	/* The model, through the command language. */
	while (off < size) {
		size_t len = 0;

		while (off + len < size && data[off + len] != '\n')
			len++;
		if (len == 2 && memcmp(data + off, "--", 2) == 0) {
			off += 3;
			break;
		}
		if (len < sizeof(line)) {
			memcpy(line, data + off, len);
			line[len] = '\0';
			if (spp_cmd_parse(&env, cur, line, next, &res) == 0 && res.changed)
				spp_model_copy(cur, next);
		}
		off += len + 1;
	}
	in.p = data + (off < size ? off : size);
	in.n = off < size ? size - off : 0;

	/* An error reply with an arbitrary detail. */
	{
		size_t len = strnlen((const char *)in.p, in.n);
		char *detail = malloc(len + 1);

		FUZZ_CHECK(detail != NULL, "out of memory");
		memcpy(detail, in.p, len);
		detail[len] = '\0';
		in.p += len < in.n ? len + 1 : len;
		in.n -= len < in.n ? len + 1 : len;
		check_error_reply(detail);
		free(detail);
	}

	/* Counters of every component, ports and vhost devices. */
	for (int i = 0; i < cur->nb_comps; i++) {
		struct spp_comp_stats *s = &stats[i];

		s->rx_packets = take_counter(&in);
		s->rx_bytes = take_counter(&in);
		s->tx_packets = take_counter(&in);
		s->tx_bytes = take_counter(&in);
		s->drop_packets = take_counter(&in);
		s->drop_bytes = take_counter(&in);
		s->dup_packets = take_counter(&in);
		for (int r = 0; r < SPP_DROP_MAX; r++)
			s->drops[r] = take_counter(&in);
		cur->comps[i].stats = (flags & 8) && i == 0 ? NULL : s;
		if (cur->comps[i].stats == NULL)
			memset(s, 0, sizeof(*s));
	}
	unsigned int nb_ports = fuzz_u8(&in) % (MAX_PORTS + 1);

	for (unsigned int i = 0; i < nb_ports; i++) {
		uint8_t t = fuzz_u8(&in);

		ports[i].id.type = (enum spp_port_type)(t % 3);
		ports[i].id.num = (uint16_t)(fuzz_u8(&in) % (t % 3 == SPP_PORT_PHY ? 32 : 256));
		ports[i].id.queue = (t & 0x80) ? (int16_t)(t >> 2 & 31) : SPP_NO_QUEUE;
		if (ports[i].id.type == SPP_PORT_RING)
			ports[i].id.queue = SPP_NO_QUEUE;
		memset(&port_stats[i], 0, sizeof(port_stats[i]));
		port_stats[i].rx.packets = take_counter(&in);
		port_stats[i].tx.drop_bytes = take_counter(&in);
		ports[i].stats = &port_stats[i];
	}
	unsigned int nb_vhosts = fuzz_u8(&in) % (MAX_VHOSTS + 1);

	for (unsigned int i = 0; i < nb_vhosts; i++) {
		uint8_t b = fuzz_u8(&in);

		vhosts[i].num = (uint16_t)(fuzz_u8(&in) % SPP_MAX_VHOST);
		vhosts[i].nb_queues = (uint16_t)(1 + b % 4);
		vhosts[i].client = b & 4;
		vhosts[i].connected = b & 8;
		vhosts[i].rx_up = fuzz_u8(&in);
		vhosts[i].tx_up = fuzz_u8(&in);
		fuzz_bytes(&in, paths[i], sizeof(paths[i]) - 1);
		paths[i][sizeof(paths[i]) - 1] = '\0';
		vhosts[i].path = paths[i];
	}

	struct spp_status_input sin = {
		.env = &env, .model = cur, .ports = ports, .nb_ports = nb_ports,
		.vhosts = vhosts, .nb_vhosts = nb_vhosts, .vhost_links = flags & 2,
		.is_mirror = flags & 1,
	};

	check_status(&sin, stats);
	return 0;
}
