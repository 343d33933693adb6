/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON replies (SPEC §5.8) and the status `info` of spp_vf / spp_mirror
 * (SPEC §5.9, §5.11, §5.12, §9.2): values, JSON types and key order,
 * compared as compact dumps that keep insertion order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "spp_cmd.h"
#include "spp_model.h"
#include "spp_reply.h"

#define DUMP_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER)

/* The six zero counters and drops of a component (SPEC §9.2). */
#define ZERO_COMP_STATS \
	"{\"rx_packets\":0,\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0," \
	"\"drop_packets\":0,\"drop_bytes\":0,\"dup_packets\":0,\"drops\":{\"no_dest\":0," \
	"\"tx_full\":0,\"link_down\":0,\"nombuf\":0,\"vlan_error\":0,\"malformed\":0}}"
#define ZERO_PORT_STATS \
	"\"rx_packets\":0,\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0," \
	"\"drop_packets\":0,\"drop_bytes\":0"

/* Dump and release j; the caller frees the text. */
static char *
dump(json_t *j)
{
	char *s;

	assert_non_null(j);
	s = json_dumps(j, DUMP_FLAGS);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static void
assert_dump(json_t *j, const char *expected)
{
	char *s = dump(j);

	assert_string_equal(s, expected);
	free(s);
}

/* "k1,k2,..." in iteration (insertion) order. */
static void
assert_keys(const json_t *obj, const char *expected)
{
	char keys[512] = "";
	const char *key;
	json_t *value;

	assert_true(json_is_object(obj));
	json_object_foreach((json_t *)obj, key, value) {
		(void)value;
		if (keys[0] != '\0')
			strcat(keys, ",");
		strcat(keys, key);
	}
	assert_string_equal(keys, expected);
}

/* ---- envelopes ---- */

static void
test_success_reply_is_the_spec_envelope(void **state)
{
	(void)state;
	assert_dump(spp_reply_success(), "{\"results\":[{\"result\":\"success\"}]}");
}

static void
test_error_reply_without_detail_has_only_message(void **state)
{
	(void)state;
	assert_dump(spp_reply_error("Invalid value (port)", NULL),
		    "{\"results\":[{\"result\":\"error\",\"error_details\":"
		    "{\"message\":\"Invalid value (port)\"}}]}");
}

static void
test_error_reply_with_detail_adds_detail_after_message(void **state)
{
	(void)state;
	assert_dump(spp_reply_error("error occur", "classifier table is full (4096 entries)"),
		    "{\"results\":[{\"result\":\"error\",\"error_details\":"
		    "{\"message\":\"error occur\","
		    "\"detail\":\"classifier table is full (4096 entries)\"}}]}");
}

static void
test_error_detail_is_json_escaped(void **state)
{
	char *text;
	json_t *back;
	json_error_t err;
	const char *detail = "no port 'a\"b\\c\td'";

	(void)state;
	text = spp_reply_format(spp_reply_error("Invalid value (port)", detail));
	assert_non_null(text);
	back = json_loads(text, 0, &err);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_array_get(json_object_get(back, "results"), 0), "error_details"), "detail")),
		detail);
	json_decref(back);
	free(text);
}

static void
test_format_ends_with_exactly_one_newline(void **state)
{
	char *text;
	size_t len;

	(void)state;
	text = spp_reply_format(spp_reply_success());
	assert_non_null(text);
	len = strlen(text);
	assert_string_equal(text, "{\"results\":[{\"result\":\"success\"}]}\n");
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1));
	free(text);
}

static void
test_format_of_error_is_one_line(void **state)
{
	char *text;

	(void)state;
	text = spp_reply_format(spp_reply_error("Wrong message format", "a\nb"));
	assert_non_null(text);
	/* The newline of the detail is escaped; only the terminator is raw. */
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	free(text);
}

static void
test_format_of_null_is_null(void **state)
{
	(void)state;
	assert_null(spp_reply_format(NULL));
}

/* ---- UTF-8 ---- */

static void
assert_json_string(const char *in, const char *expected)
{
	json_t *j = spp_json_string(in);

	assert_non_null(j);
	assert_string_equal(json_string_value(j), expected);
	json_decref(j);
}

static void
test_valid_utf8_is_kept(void **state)
{
	(void)state;
	assert_json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
			   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

static void
test_invalid_byte_becomes_replacement_character(void **state)
{
	(void)state;
	assert_json_string("a\xff" "b", "a\xef\xbf\xbd" "b");
}

static void
test_truncated_sequence_replaces_each_byte(void **state)
{
	(void)state;
	assert_json_string("x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_overlong_encoding_is_replaced(void **state)
{
	(void)state;
	assert_json_string("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_surrogate_is_replaced(void **state)
{
	(void)state;
	assert_json_string("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_code_point_past_10ffff_is_replaced(void **state)
{
	(void)state;
	assert_json_string("\xf4\x90\x80\x80",
			   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_error_with_invalid_utf8_detail_parses_back(void **state)
{
	char *text;
	json_t *back, *details;
	json_error_t err;

	(void)state;
	text = spp_reply_format(spp_reply_error("Invalid value (port)",
						"malformed port 'ring:\xff\xfe'"));
	assert_non_null(text);
	back = json_loads(text, 0, &err);
	assert_non_null(back);
	details = json_object_get(json_array_get(json_object_get(back, "results"), 0),
				  "error_details");
	assert_string_equal(json_string_value(json_object_get(details, "message")),
			    "Invalid value (port)");
	assert_string_equal(json_string_value(json_object_get(details, "detail")),
			    "malformed port 'ring:\xef\xbf\xbd\xef\xbf\xbd'");
	json_decref(back);
	free(text);
}

/* ---- status ---- */

struct fixture {
	struct spp_port_env env;
	struct spp_model *model;
	struct spp_model *next;
	struct spp_port_stats port_stats[8];
	struct spp_status_port ports[8];
	unsigned int nb_ports;
	struct spp_status_vhost vhosts[8];
	unsigned int nb_vhosts;
	struct spp_comp_stats comp_stats[4];
};

static int
setup(void **state)
{
	/* The counters are cache-line aligned; calloc gives only 16 bytes. */
	size_t size = (sizeof(struct fixture) + 63) & ~(size_t)63;
	struct fixture *f = aligned_alloc(64, size);

	if (f == NULL)
		return -1;
	memset(f, 0, size);
	f->model = spp_model_create();
	f->next = spp_model_create();
	if (f->model == NULL || f->next == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	spp_model_destroy(f->model);
	spp_model_destroy(f->next);
	free(f);
	return 0;
}

static void
run(struct fixture *f, const char *line)
{
	struct spp_cmd_result res;

	if (spp_cmd_parse(&f->env, f->model, line, f->next, &res) != 0) {
		print_error("'%s': %s\n", line, res.error);
		fail();
	}
	if (res.changed)
		spp_model_copy(f->model, f->next);
}

static struct spp_port_stats *
add_port(struct fixture *f, const char *uid)
{
	struct spp_status_port *p = &f->ports[f->nb_ports];

	assert_int_equal(spp_uid_parse(uid, &p->id), 0);
	p->stats = &f->port_stats[f->nb_ports];
	f->nb_ports++;
	return &f->port_stats[f->nb_ports - 1];
}

static json_t *
status(struct fixture *f, bool is_mirror)
{
	struct spp_status_input in = {
		.env = &f->env,
		.model = f->model,
		.ports = f->ports,
		.nb_ports = f->nb_ports,
		.vhosts = f->vhosts,
		.nb_vhosts = f->nb_vhosts,
		.is_mirror = is_mirror,
	};
	json_t *j = spp_status_reply(&in);

	assert_non_null(j);
	return j;
}

/* SPEC §5.11: spp_vf -l 1,2-4 -- --client-id 2, two phy ports, 4 rings. */
static void
given_vf_example(struct fixture *f)
{
	struct spp_port_stats *s;
	struct spp_comp_stats *cs;

	f->env.client_id = 2;
	f->env.main_lcore = 1;
	f->env.worker_lcore[2] = f->env.worker_lcore[3] = f->env.worker_lcore[4] = true;
	f->env.nb_phy = 2;
	f->env.phy_rxq[0] = f->env.phy_txq[0] = 1;
	f->env.phy_rxq[1] = f->env.phy_txq[1] = 1;
	f->env.nb_rings = 4;
	f->env.kinds = 1u << SPP_COMP_FORWARD | 1u << SPP_COMP_MERGE | 1u << SPP_COMP_CLASSIFIER;

	run(f, "component start cls 2 classifier");
	run(f, "component start fwd 3 forward");
	run(f, "port add phy:0 rx cls");
	run(f, "port add vhost:0 tx cls del_vlantag");
	run(f, "port add ring:0 tx cls");
	run(f, "port add ring:0 rx fwd");
	run(f, "port add phy:1 tx fwd add_vlantag 100 3");
	run(f, "classifier_table add mac 52:54:00:12:34:56 vhost:0");
	run(f, "classifier_table add vlan 100 52:54:00:12:34:57 ring:0");
	run(f, "classifier_table add mac default ring:0");

	cs = &f->comp_stats[0];
	cs->rx_packets = 1500;
	cs->rx_bytes = 96000;
	cs->tx_packets = 1507;
	cs->tx_bytes = 96420;
	cs->drop_packets = 1;
	cs->drop_bytes = 64;
	cs->dup_packets = 8;
	cs->drops[SPP_DROP_NO_DEST] = 1;
	f->model->comps[spp_model_find_comp(f->model, "cls")].stats = cs;
	f->model->comps[spp_model_find_comp(f->model, "fwd")].stats = &f->comp_stats[1];

	/* Any order in: status sorts phy, vhost, ring. */
	add_port(f, "ring:0");
	add_port(f, "vhost:0");
	s = add_port(f, "phy:0");
	s->rx.packets = 1500;
	s->rx.bytes = 96000;
	add_port(f, "phy:1");
	f->vhosts[f->nb_vhosts++] = (struct spp_status_vhost){ .num = 0, .nb_queues = 1 };
}

/* SPEC §5.11 with the elided parts filled with zero counters. */
static const char vf_example[] =
	"{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":2,\"phy\":[\"0\",\"1\"],"
	"\"vhost\":[\"0\"],\"ring\":[\"0\"],"
	"\"master-lcore\":1,\"core\":[{\"core\":2,\"name\":\"cls\",\"type\":\"classifier\","
	"\"rx_port\":[{\"port\":\"phy:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"vhost:0\","
	"\"vlan\":{\"operation\":\"del\","
	"\"id\":0,\"pcp\":0}},{\"port\":\"ring:0\",\"vlan\":{\"operation\":\"none\",\"id\":0,"
	"\"pcp\":0}}],"
	"\"stats\":{\"rx_packets\":1500,\"rx_bytes\":96000,\"tx_packets\":1507,\"tx_bytes\":96420,"
	"\"drop_packets\":1,"
	"\"drop_bytes\":64,\"dup_packets\":8,\"drops\":{\"no_dest\":1,\"tx_full\":0,"
	"\"link_down\":0,\"nombuf\":0,"
	"\"vlan_error\":0,\"malformed\":0}}},{\"core\":3,\"name\":\"fwd\",\"type\":\"forward\","
	"\"rx_port\":[{\"port\":\"ring:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"phy:1\","
	"\"vlan\":{\"operation\":\"add\","
	"\"id\":100,\"pcp\":3}}],\"stats\":" ZERO_COMP_STATS "},{\"core\":4,\"type\":\"unuse\"}],"
	"\"classifier_table\":[{\"type\":\"vlan\","
	"\"value\":\"100/52:54:00:12:34:57\",\"port\":\"ring:0\"},{\"type\":\"mac\","
	"\"value\":\"default\",\"port\":\"ring:0\"},"
	"{\"type\":\"mac\",\"value\":\"52:54:00:12:34:56\",\"port\":\"vhost:0\"}],"
	"\"port_stats\":[{\"port\":\"phy:0\","
	"\"rx_packets\":1500,\"rx_bytes\":96000,\"tx_packets\":0,\"tx_bytes\":0,"
	"\"drop_packets\":0,\"drop_bytes\":0},"
	"{\"port\":\"phy:1\"," ZERO_PORT_STATS "},{\"port\":\"vhost:0\"," ZERO_PORT_STATS "},"
	"{\"port\":\"ring:0\"," ZERO_PORT_STATS "}],\"captures\":[]}}";

#define FIX	struct fixture *f = *state

static void
test_vf_status_matches_the_spec_example(void **state)
{
	FIX;
	given_vf_example(f);
	assert_dump(status(f, false), vf_example);
}

static void
test_vf_status_formats_as_one_line_that_parses_back(void **state)
{
	FIX;
	char *text;
	json_t *back, *expected;
	json_error_t err;

	given_vf_example(f);
	text = spp_reply_format(status(f, false));
	assert_non_null(text);
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	back = json_loads(text, 0, &err);
	expected = json_loads(vf_example, 0, &err);
	assert_non_null(back);
	assert_non_null(expected);
	assert_true(json_equal(back, expected));
	json_decref(back);
	json_decref(expected);
	free(text);
}

static void
test_vf_status_info_keys_are_in_spec_order(void **state)
{
	FIX;
	json_t *j;

	given_vf_example(f);
	j = status(f, false);
	assert_keys(j, "results,info");
	assert_keys(json_object_get(j, "info"),
		    "client-id,phy,vhost,ring,master-lcore,core,classifier_table,port_stats,"
		    "captures");
	json_decref(j);
}

static void
test_component_keys_are_in_spec_order(void **state)
{
	FIX;
	json_t *j, *c;

	given_vf_example(f);
	j = status(f, false);
	c = json_array_get(json_object_get(json_object_get(j, "info"), "core"), 0);
	assert_keys(c, "core,name,type,rx_port,tx_port,stats");
	assert_keys(json_object_get(c, "stats"),
		    "rx_packets,rx_bytes,tx_packets,tx_bytes,drop_packets,drop_bytes,"
		    "dup_packets,drops");
	assert_keys(json_object_get(json_object_get(c, "stats"), "drops"),
		    "no_dest,tx_full,link_down,nombuf,vlan_error,malformed");
	json_decref(j);
}

static void
test_captures_is_an_empty_array(void **state)
{
	FIX;
	json_t *j, *cap;

	given_vf_example(f);
	j = status(f, false);
	cap = json_object_get(json_object_get(j, "info"), "captures");
	assert_true(json_is_array(cap));
	assert_int_equal(json_array_size(cap), 0);
	json_decref(j);
}

/* Returns the dump of info[key]. */
static char *
info_item(struct fixture *f, bool is_mirror, const char *key)
{
	json_t *j = status(f, is_mirror);
	json_t *v = json_object_get(json_object_get(j, "info"), key);
	char *s;

	assert_non_null(v);
	s = json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static void
assert_info_item(struct fixture *f, bool is_mirror, const char *key, const char *expected)
{
	char *s = info_item(f, is_mirror, key);

	assert_string_equal(s, expected);
	free(s);
}

static void
given_vf_env(struct fixture *f)
{
	f->env.client_id = 5;
	f->env.main_lcore = 0;
	f->env.worker_lcore[1] = f->env.worker_lcore[2] = f->env.worker_lcore[3] = true;
	f->env.nb_phy = 3;
	f->env.phy_rxq[0] = f->env.phy_txq[0] = 1;
	f->env.phy_rxq[1] = 2;
	f->env.phy_txq[1] = 3;
	f->env.phy_rxq[2] = f->env.phy_txq[2] = 1;
	f->env.nb_rings = 16;
	f->env.kinds = 1u << SPP_COMP_FORWARD | 1u << SPP_COMP_MERGE | 1u << SPP_COMP_CLASSIFIER;
}

static void
test_phy_lists_every_queue_of_a_multi_queue_port(void **state)
{
	FIX;
	given_vf_env(f);
	/* phy:1 has max(rxq 2, txq 3) = 3 queues. */
	assert_info_item(f, false, "phy", "[\"0\",\"1 nq 0\",\"1 nq 1\",\"1 nq 2\",\"2\"]");
}

static void
test_phy_is_empty_without_phy_ports(void **state)
{
	FIX;
	given_vf_env(f);
	f->env.nb_phy = 0;
	assert_info_item(f, false, "phy", "[]");
}

static void
test_vhost_is_sorted_numerically(void **state)
{
	FIX;
	given_vf_env(f);
	f->vhosts[f->nb_vhosts++] = (struct spp_status_vhost){ .num = 10, .nb_queues = 1 };
	f->vhosts[f->nb_vhosts++] = (struct spp_status_vhost){ .num = 2, .nb_queues = 1 };
	f->vhosts[f->nb_vhosts++] = (struct spp_status_vhost){ .num = 255, .nb_queues = 1 };
	f->vhosts[f->nb_vhosts++] = (struct spp_status_vhost){ .num = 0, .nb_queues = 1 };
	assert_info_item(f, false, "vhost", "[\"0\",\"2\",\"10\",\"255\"]");
}

static void
test_ring_lists_attached_rings_sorted_numerically(void **state)
{
	FIX;
	given_vf_env(f);
	add_port(f, "ring:10");
	add_port(f, "phy:0");
	add_port(f, "ring:2");
	add_port(f, "vhost:1");
	assert_info_item(f, false, "ring", "[\"2\",\"10\"]");
}

static void
test_port_stats_are_sorted_phy_vhost_ring(void **state)
{
	FIX;
	given_vf_env(f);
	add_port(f, "ring:10");
	add_port(f, "vhost:3");
	add_port(f, "ring:2");
	add_port(f, "phy:1nq2");
	add_port(f, "phy:2");
	add_port(f, "vhost:0");
	add_port(f, "phy:1nq0");
	assert_info_item(f, false, "port_stats",
			 "[{\"port\":\"phy:1 nq 0\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"phy:1 nq 2\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"phy:2\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"vhost:0\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"vhost:3\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"ring:2\"," ZERO_PORT_STATS "},"
			 "{\"port\":\"ring:10\"," ZERO_PORT_STATS "}]");
}

static void
test_port_stats_show_each_counter_in_its_place(void **state)
{
	FIX;
	struct spp_port_stats *s;

	given_vf_env(f);
	s = add_port(f, "ring:1");
	s->rx.packets = 1;
	s->rx.bytes = 2;
	s->tx.packets = 3;
	s->tx.bytes = 4;
	s->tx.drop_packets = 5;
	s->tx.drop_bytes = 6;
	assert_info_item(f, false, "port_stats",
			 "[{\"port\":\"ring:1\",\"rx_packets\":1,\"rx_bytes\":2,\"tx_packets\":3,"
			 "\"tx_bytes\":4,\"drop_packets\":5,\"drop_bytes\":6}]");
}

static void
test_component_stats_show_each_counter_in_its_place(void **state)
{
	FIX;
	struct spp_comp_stats s;

	(void)f;
	memset(&s, 0, sizeof(s));
	s.rx_packets = 1;
	s.rx_bytes = 2;
	s.tx_packets = 3;
	s.tx_bytes = 4;
	s.drop_packets = 5;
	s.drop_bytes = 6;
	s.dup_packets = 7;
	for (int r = 0; r < SPP_DROP_MAX; r++)
		s.drops[r] = (uint64_t)(10 + r);
	assert_dump(spp_comp_stats_json(&s),
		    "{\"rx_packets\":1,\"rx_bytes\":2,\"tx_packets\":3,\"tx_bytes\":4,"
		    "\"drop_packets\":5,\"drop_bytes\":6,\"dup_packets\":7,\"drops\":{"
		    "\"no_dest\":10,\"tx_full\":11,\"link_down\":12,\"nombuf\":13,"
		    "\"vlan_error\":14,\"malformed\":15}}");
}

static void
test_master_lcore_and_client_id_are_integers(void **state)
{
	FIX;
	json_t *j, *info;

	given_vf_env(f);
	j = status(f, false);
	info = json_object_get(j, "info");
	assert_true(json_is_integer(json_object_get(info, "client-id")));
	assert_int_equal(json_integer_value(json_object_get(info, "client-id")), 5);
	assert_true(json_is_integer(json_object_get(info, "master-lcore")));
	assert_int_equal(json_integer_value(json_object_get(info, "master-lcore")), 0);
	json_decref(j);
}

static void
test_core_lists_every_worker_lcore_with_unuse(void **state)
{
	FIX;
	given_vf_env(f);
	assert_info_item(f, false, "core",
			 "[{\"core\":1,\"type\":\"unuse\"},{\"core\":2,\"type\":\"unuse\"},"
			 "{\"core\":3,\"type\":\"unuse\"}]");
}

static void
test_core_lists_lcores_ascending_and_components_in_start_order(void **state)
{
	FIX;
	given_vf_env(f);
	run(f, "component start z 3 forward");
	run(f, "component start b 1 merge");
	run(f, "component start a 3 merge");
	assert_info_item(f, false, "core",
			 "[{\"core\":1,\"name\":\"b\",\"type\":\"merge\",\"rx_port\":[],"
			 "\"tx_port\":[],\"stats\":" ZERO_COMP_STATS "},"
			 "{\"core\":2,\"type\":\"unuse\"},"
			 "{\"core\":3,\"name\":\"z\",\"type\":\"forward\",\"rx_port\":[],"
			 "\"tx_port\":[],\"stats\":" ZERO_COMP_STATS "},"
			 "{\"core\":3,\"name\":\"a\",\"type\":\"merge\",\"rx_port\":[],"
			 "\"tx_port\":[],\"stats\":" ZERO_COMP_STATS "}]");
}

static void
test_port_objects_show_vlan_ops_and_canonical_uids(void **state)
{
	FIX;
	json_t *j, *c;
	char *s;

	given_vf_env(f);
	run(f, "component start m 1 merge");
	run(f, "port add phy:1nq1 rx m add_vlantag 4094 7");
	run(f, "port add ring:03 rx m del_vlantag");
	run(f, "port add vhost:9 rx m");
	run(f, "port add phy:2 tx m add_vlantag 0 2");
	j = status(f, false);
	c = json_array_get(json_object_get(json_object_get(j, "info"), "core"), 0);
	s = json_dumps(json_object_get(c, "rx_port"), DUMP_FLAGS);
	assert_string_equal(s,
		"[{\"port\":\"phy:1 nq 1\",\"vlan\":{\"operation\":\"add\",\"id\":4094,\"pcp\":7}},"
		"{\"port\":\"ring:3\",\"vlan\":{\"operation\":\"del\",\"id\":0,\"pcp\":0}},"
		"{\"port\":\"vhost:9\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}]");
	free(s);
	s = json_dumps(json_object_get(c, "tx_port"), DUMP_FLAGS);
	assert_string_equal(s,
		"[{\"port\":\"phy:2\",\"vlan\":{\"operation\":\"add\",\"id\":0,\"pcp\":2}}]");
	free(s);
	json_decref(j);
}

static void
test_classifier_table_is_sorted_vlans_then_untagged(void **state)
{
	FIX;
	given_vf_env(f);
	/* Scrambled add order. */
	run(f, "classifier_table add mac 52:54:00:00:00:02 ring:1");
	run(f, "classifier_table add vlan 100 52:54:00:00:00:09 ring:1");
	run(f, "classifier_table add vlan 5 52:54:00:00:00:09 ring:1");
	run(f, "classifier_table add mac default ring:2");
	run(f, "classifier_table add vlan 4094 default ring:1");
	run(f, "classifier_table add vlan 100 default ring:1");
	run(f, "classifier_table add mac 0a:00:00:00:00:01 ring:1");
	run(f, "classifier_table add vlan 100 52:54:00:00:00:01 ring:1");
	assert_info_item(f, false, "classifier_table",
		"[{\"type\":\"vlan\",\"value\":\"5/52:54:00:00:00:09\",\"port\":\"ring:1\"},"
		"{\"type\":\"vlan\",\"value\":\"100/default\",\"port\":\"ring:1\"},"
		"{\"type\":\"vlan\",\"value\":\"100/52:54:00:00:00:01\",\"port\":\"ring:1\"},"
		"{\"type\":\"vlan\",\"value\":\"100/52:54:00:00:00:09\",\"port\":\"ring:1\"},"
		"{\"type\":\"vlan\",\"value\":\"4094/default\",\"port\":\"ring:1\"},"
		"{\"type\":\"mac\",\"value\":\"default\",\"port\":\"ring:2\"},"
		"{\"type\":\"mac\",\"value\":\"0A:00:00:00:00:01\",\"port\":\"ring:1\"},"
		"{\"type\":\"mac\",\"value\":\"52:54:00:00:00:02\",\"port\":\"ring:1\"}]");
}

static void
test_classifier_table_macs_are_upper_case(void **state)
{
	FIX;
	given_vf_env(f);
	run(f, "classifier_table add vlan 7 aa:bb:cc:dd:ee:ff ring:1");
	assert_info_item(f, false, "classifier_table",
		"[{\"type\":\"vlan\",\"value\":\"7/AA:BB:CC:DD:EE:FF\",\"port\":\"ring:1\"}]");
}

static void
test_classifier_table_ties_are_ordered_by_port(void **state)
{
	FIX;
	given_vf_env(f);
	run(f, "classifier_table add mac 52:54:00:00:00:01 ring:10");
	run(f, "classifier_table add mac 52:54:00:00:00:01 vhost:4");
	run(f, "classifier_table add mac 52:54:00:00:00:01 ring:2");
	run(f, "classifier_table add mac 52:54:00:00:00:01 phy:2");
	run(f, "classifier_table add mac 52:54:00:00:00:01 vhost:1");
	assert_info_item(f, false, "classifier_table",
		"[{\"type\":\"mac\",\"value\":\"52:54:00:00:00:01\",\"port\":\"phy:2\"},"
		"{\"type\":\"mac\",\"value\":\"52:54:00:00:00:01\",\"port\":\"vhost:1\"},"
		"{\"type\":\"mac\",\"value\":\"52:54:00:00:00:01\",\"port\":\"vhost:4\"},"
		"{\"type\":\"mac\",\"value\":\"52:54:00:00:00:01\",\"port\":\"ring:2\"},"
		"{\"type\":\"mac\",\"value\":\"52:54:00:00:00:01\",\"port\":\"ring:10\"}]");
}

static void
test_classifier_table_lists_inactive_entries(void **state)
{
	FIX;
	given_vf_env(f);
	/* No classifier at all: entries are kept and listed. */
	run(f, "classifier_table add mac default vhost:3");
	assert_info_item(f, false, "classifier_table",
		"[{\"type\":\"mac\",\"value\":\"default\",\"port\":\"vhost:3\"}]");
}

static void
test_classifier_table_is_empty_array_without_entries(void **state)
{
	FIX;
	given_vf_env(f);
	assert_info_item(f, false, "classifier_table", "[]");
}

/* SPEC §5.12: spp_mirror -l 6,7-8 -- --client-id 3 --copy-mode deep. */
static void
given_mirror_example(struct fixture *f)
{
	struct spp_comp_stats *cs = &f->comp_stats[0];
	struct spp_port_stats *s;

	f->env.client_id = 3;
	f->env.main_lcore = 6;
	f->env.worker_lcore[7] = f->env.worker_lcore[8] = true;
	f->env.nb_phy = 2;
	f->env.phy_rxq[0] = f->env.phy_txq[0] = 1;
	f->env.phy_rxq[1] = f->env.phy_txq[1] = 1;
	f->env.nb_rings = 4;
	f->env.kinds = 1u << SPP_COMP_MIRROR;
	f->env.default_copy_mode = SPP_COPY_DEEP;

	run(f, "component start tap1 7 mirror");
	run(f, "port add ring:1 rx tap1");
	run(f, "port add ring:2 tx tap1");
	run(f, "port add ring:3 tx tap1");

	cs->rx_packets = 200;
	cs->rx_bytes = 12800;
	cs->tx_packets = 397;
	cs->tx_bytes = 25408;
	cs->drop_packets = 3;
	cs->drop_bytes = 192;
	cs->dup_packets = 200;
	cs->drops[SPP_DROP_NOMBUF] = 3;
	f->model->comps[0].stats = cs;

	s = add_port(f, "ring:3");
	s->tx.packets = 197;
	s->tx.bytes = 12608;
	s = add_port(f, "ring:1");
	s->rx.packets = 200;
	s->rx.bytes = 12800;
	s = add_port(f, "ring:2");
	s->tx.packets = 200;
	s->tx.bytes = 12800;
}

static const char mirror_example[] =
	"{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":3,\"phy\":[\"0\",\"1\"],"
	"\"vhost\":[],\"ring\":[\"1\",\"2\","
	"\"3\"],\"master-lcore\":6,\"core\":[{\"core\":7,\"name\":\"tap1\",\"type\":\"mirror\","
	"\"rx_port\":[{\"port\":\"ring:1\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"ring:2\","
	"\"vlan\":{\"operation\":\"none\","
	"\"id\":0,\"pcp\":0}},{\"port\":\"ring:3\",\"vlan\":{\"operation\":\"none\",\"id\":0,"
	"\"pcp\":0}}],"
	"\"stats\":{\"rx_packets\":200,\"rx_bytes\":12800,\"tx_packets\":397,\"tx_bytes\":25408,"
	"\"drop_packets\":3,"
	"\"drop_bytes\":192,\"dup_packets\":200,\"drops\":{\"no_dest\":0,\"tx_full\":0,"
	"\"link_down\":0,\"nombuf\":3,"
	"\"vlan_error\":0,\"malformed\":0}},\"copy_mode\":\"deep\"},{\"core\":8,"
	"\"type\":\"unuse\"}],"
	"\"port_stats\":[{\"port\":\"ring:1\",\"rx_packets\":200,\"rx_bytes\":12800,"
	"\"tx_packets\":0,\"tx_bytes\":0,"
	"\"drop_packets\":0,\"drop_bytes\":0},{\"port\":\"ring:2\",\"rx_packets\":0,"
	"\"rx_bytes\":0,\"tx_packets\":200,"
	"\"tx_bytes\":12800,\"drop_packets\":0,\"drop_bytes\":0},{\"port\":\"ring:3\","
	"\"rx_packets\":0,\"rx_bytes\":0,"
	"\"tx_packets\":197,\"tx_bytes\":12608,\"drop_packets\":0,\"drop_bytes\":0}],"
	"\"captures\":[],"
	"\"copy_mode\":\"deep\"}}";

static void
test_mirror_status_matches_the_spec_example(void **state)
{
	FIX;
	given_mirror_example(f);
	assert_dump(status(f, true), mirror_example);
}

static void
test_mirror_status_info_keys_end_with_copy_mode(void **state)
{
	FIX;
	json_t *j;

	given_mirror_example(f);
	j = status(f, true);
	assert_keys(json_object_get(j, "info"),
		    "client-id,phy,vhost,ring,master-lcore,core,port_stats,captures,copy_mode");
	assert_keys(json_array_get(json_object_get(json_object_get(j, "info"), "core"), 0),
		    "core,name,type,rx_port,tx_port,stats,copy_mode");
	json_decref(j);
}

static void
test_mirror_component_shows_its_own_copy_mode(void **state)
{
	FIX;
	json_t *j, *info, *cores;

	given_mirror_example(f);
	run(f, "component start tap2 8 mirror shallow");
	j = status(f, true);
	info = json_object_get(j, "info");
	cores = json_object_get(info, "core");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cores, 0),
							      "copy_mode")), "deep");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cores, 1),
							      "copy_mode")), "shallow");
	/* The process default stays deep. */
	assert_string_equal(json_string_value(json_object_get(info, "copy_mode")), "deep");
	json_decref(j);
}

static void
test_mirror_process_copy_mode_shallow(void **state)
{
	FIX;
	given_mirror_example(f);
	f->env.default_copy_mode = SPP_COPY_SHALLOW;
	assert_info_item(f, true, "copy_mode", "\"shallow\"");
}

static void
test_vf_components_have_no_copy_mode(void **state)
{
	FIX;
	json_t *j, *info;

	given_vf_example(f);
	j = status(f, false);
	info = json_object_get(j, "info");
	assert_null(json_object_get(info, "copy_mode"));
	assert_null(json_object_get(json_array_get(json_object_get(info, "core"), 0),
				    "copy_mode"));
	json_decref(j);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_reply_is_the_spec_envelope),
		cmocka_unit_test(test_error_reply_without_detail_has_only_message),
		cmocka_unit_test(test_error_reply_with_detail_adds_detail_after_message),
		cmocka_unit_test(test_error_detail_is_json_escaped),
		cmocka_unit_test(test_format_ends_with_exactly_one_newline),
		cmocka_unit_test(test_format_of_error_is_one_line),
		cmocka_unit_test(test_format_of_null_is_null),
		cmocka_unit_test(test_valid_utf8_is_kept),
		cmocka_unit_test(test_invalid_byte_becomes_replacement_character),
		cmocka_unit_test(test_truncated_sequence_replaces_each_byte),
		cmocka_unit_test(test_overlong_encoding_is_replaced),
		cmocka_unit_test(test_surrogate_is_replaced),
		cmocka_unit_test(test_code_point_past_10ffff_is_replaced),
		cmocka_unit_test(test_error_with_invalid_utf8_detail_parses_back),
		T(test_vf_status_matches_the_spec_example),
		T(test_vf_status_formats_as_one_line_that_parses_back),
		T(test_vf_status_info_keys_are_in_spec_order),
		T(test_component_keys_are_in_spec_order),
		T(test_captures_is_an_empty_array),
		T(test_phy_lists_every_queue_of_a_multi_queue_port),
		T(test_phy_is_empty_without_phy_ports),
		T(test_vhost_is_sorted_numerically),
		T(test_ring_lists_attached_rings_sorted_numerically),
		T(test_port_stats_are_sorted_phy_vhost_ring),
		T(test_port_stats_show_each_counter_in_its_place),
		T(test_component_stats_show_each_counter_in_its_place),
		T(test_master_lcore_and_client_id_are_integers),
		T(test_core_lists_every_worker_lcore_with_unuse),
		T(test_core_lists_lcores_ascending_and_components_in_start_order),
		T(test_port_objects_show_vlan_ops_and_canonical_uids),
		T(test_classifier_table_is_sorted_vlans_then_untagged),
		T(test_classifier_table_macs_are_upper_case),
		T(test_classifier_table_ties_are_ordered_by_port),
		T(test_classifier_table_lists_inactive_entries),
		T(test_classifier_table_is_empty_array_without_entries),
		T(test_mirror_status_matches_the_spec_example),
		T(test_mirror_status_info_keys_end_with_copy_mode),
		T(test_mirror_component_shows_its_own_copy_mode),
		T(test_mirror_process_copy_mode_shallow),
		T(test_vf_components_have_no_copy_mode),
	};

	return cmocka_run_group_tests_name("reply", tests, NULL, NULL);
}
