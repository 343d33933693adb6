/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Completion candidates from the line before the cursor and live status:
 * command words, ids, sub-commands, component names, free lcores, types,
 * port UIDs and nq queues, rx/tx, VLAN ops.
 */
#include "cli_test.h"

#include "cli_complete.h"

static const char procs_json[] =
	"[{\"type\":\"primary\"},{\"type\":\"vf\",\"client-id\":1},"
	"{\"type\":\"vf\",\"client-id\":2},{\"type\":\"mirror\",\"client-id\":3}]";

/* phy:0 has two queues; cls runs on 2, cores 3 and 4 are free. */
static const char vf_json[] =
	"{\"client-id\":1,\"ports\":[\"phy:0 nq 0\",\"phy:0 nq 1\",\"phy:1\",\"vhost:0\","
	"\"ring:0\",\"ring:1\"],\"master-lcore\":0,\"components\":["
	"{\"core\":2,\"name\":\"cls\",\"type\":\"classifier\",\"rx_port\":[],\"tx_port\":[]},"
	"{\"core\":2,\"name\":\"fwd\",\"type\":\"forward\",\"rx_port\":[],\"tx_port\":[]},"
	"{\"core\":3,\"type\":\"unuse\"},{\"core\":4,\"type\":\"unuse\"}],"
	"\"classifier_table\":[{\"type\":\"vlan\",\"value\":\"100/52:54:00:12:34:57\","
	"\"port\":\"ring:0\"},{\"type\":\"mac\",\"value\":\"default\",\"port\":\"ring:0\"}]}";

static json_t *procs;
static json_t *vf;

static int
setup(void **state)
{
	(void)state;
	procs = load(procs_json);
	vf = load(vf_json);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(procs);
	json_decref(vf);
	return 0;
}

/* Candidates for line as one space-separated string. */
static char *
cands(const char *line, size_t *ws)
{
	static const char *const servers[] = { "127.0.0.1:7777", "127.0.0.1:7778" };
	struct cli_compl_ctx ctx = {
		.procs = procs, .sec_status = vf, .servers = servers, .nb_servers = 2,
		.cur_server = 0,
	};
	struct cli_cands c;
	struct mem m;
	size_t dummy;

	assert_true(cli_complete(line, &ctx, &c, ws ? ws : &dummy) >= 0);
	mem_open(&m);
	for (int i = 0; i < c.nb; i++)
		fprintf(m.f, "%s%s", i ? " " : "", c.words[i]);
	cli_cands_free(&c);
	return mem_text(&m);
}

static void
expect(const char *line, const char *want)
{
	char *got = cands(line, NULL);

	if (strcmp(got, want) != 0)
		fail_msg("'%s': got '%s', want '%s'", line, got, want);
	free(got);
}

static void
test_completes_command_words(void **state)
{
	(void)state;
	expect("", "bye exit help history mirror playback pri; record redo server status top topo vf");
	expect("st", "status");
	expect("p", "playback pri;");
	expect("help m", "mirror");
}

static void
test_completes_process_ids_with_semicolon(void **state)
{
	(void)state;
	expect("vf ", "1; 2;");
	expect("vf 2", "2;");
	expect("mirror ", "3;");
}

static void
test_completes_sub_commands(void **state)
{
	(void)state;
	expect("vf 1; ", "capture classifier_table component exit port status");
	expect("vf 1;", "capture classifier_table component exit port status");
	expect("vf 1; c", "capture classifier_table component");
	expect("mirror 3; ", "capture component exit port status");
	expect("pri; ", "add clear del forward launch patch status stop");
	expect("pri; launch ", "mirror vf");
	expect("bye ", "all sec");
}

static void
test_completes_component_arguments(void **state)
{
	(void)state;
	expect("vf 1; component ", "start stop");
	expect("vf 1; component stop ", "cls fwd");
	expect("vf 1; component stop f", "fwd");
	expect("vf 1; component start new ", "3 4");
	expect("vf 1; component start new 3 ", "classifier forward merge");
	expect("vf 1; component start new 3 m", "merge");
	expect("mirror 3; component start m 3 ", "mirror");
	expect("mirror 3; component start m 3 mirror ", "deep shallow");
}

static void
test_completes_ports_queues_dirs_and_vlan_ops(void **state)
{
	(void)state;
	expect("vf 1; port ", "add del");
	expect("vf 1; port add ", "phy:0 phy:1 ring:0 ring:1 vhost:0");
	expect("vf 1; port add r", "ring:0 ring:1");
	expect("vf 1; port add phy:0 ", "nq");
	expect("vf 1; port add phy:0 nq ", "0 1");
	expect("vf 1; port add phy:0 nq 1 ", "rx tx");
	expect("vf 1; port add phy:1 ", "rx tx");
	expect("vf 1; port add phy:1 t", "tx");
	expect("vf 1; port add phy:1 tx ", "cls fwd");
	expect("vf 1; port add phy:1 tx fwd ", "add_vlantag del_vlantag");
	expect("vf 1; port del phy:1 tx fwd ", "");
	expect("vf 1; port add phy:0 nq 1 rx cls ", "add_vlantag del_vlantag");
}

static void
test_completes_classifier_table_and_capture(void **state)
{
	(void)state;
	expect("vf 1; classifier_table ", "add del");
	expect("vf 1; classifier_table add ", "mac vlan");
	expect("vf 1; classifier_table add mac ", "default");
	expect("vf 1; classifier_table del vlan 100 ", "52:54:00:12:34:57 default");
	expect("vf 1; classifier_table add mac default ", "phy:0 phy:1 ring:0 ring:1 vhost:0");
	expect("vf 1; classifier_table add vlan 10 default r", "ring:0 ring:1");
	expect("vf 1; capture ", "start stop");
	expect("vf 1; capture start ring:0 ", "both rx tx");
}

static void
test_completes_servers(void **state)
{
	(void)state;
	expect("server ", "1 2 add del list");
	expect("server del ", "127.0.0.1:7778 2");
}

static void
test_word_start_is_after_last_blank_or_semicolon(void **state)
{
	size_t ws;
	char *s;

	(void)state;
	s = cands("vf 1;sta", &ws);
	assert_string_equal(s, "status");
	assert_int_equal(ws, 5);
	free(s);
	s = cands("vf 1; port add ring:", &ws);
	assert_string_equal(s, "ring:0 ring:1");
	assert_int_equal(ws, 15);
	free(s);
}

static void
test_common_prefix_and_target(void **state)
{
	struct cli_compl_ctx ctx = { .procs = procs, .sec_status = vf };
	struct cli_cands c;
	char proc[8];
	size_t ws;
	long id;

	(void)state;
	assert_int_equal(cli_complete("vf 1; port add ri", &ctx, &c, &ws), 2);
	assert_int_equal(cli_cands_common(&c), strlen("ring:"));
	cli_cands_free(&c);
	assert_int_equal(cli_complete_target("mirror 3; port add", proc, &id), 0);
	assert_string_equal(proc, "mirror");
	assert_int_equal(id, 3);
	assert_int_equal(cli_complete_target("vf ", proc, &id), -ENOENT);
	assert_int_equal(cli_complete_target("pri; status", proc, &id), -ENOENT);
}

static void
test_uids_include_primary_rings_not_yet_attached(void **state)
{
	json_t *pri = load("{\"phy_ports\":[{\"id\":0,\"port\":\"phy:0\"},{\"id\":1}],"
			   "\"ring_ports\":[{\"id\":0},{\"id\":1},{\"id\":2}]}");
	struct cli_compl_ctx ctx = { .procs = procs, .sec_status = vf, .pri_status = pri };
	struct cli_cands c;
	size_t ws;

	(void)state;
	assert_int_equal(cli_complete("vf 1; port add ", &ctx, &c, &ws), 6);
	assert_string_equal(c.words[0], "phy:0");
	assert_string_equal(c.words[1], "phy:1");
	assert_string_equal(c.words[2], "ring:0");
	assert_string_equal(c.words[4], "ring:2");
	assert_string_equal(c.words[5], "vhost:0");
	cli_cands_free(&c);
	json_decref(pri);
}

static void
test_file_arguments_go_to_file_name_completion(void **state)
{
	(void)state;
	assert_true(cli_complete_wants_file("record "));
	assert_true(cli_complete_wants_file("playback /tmp/re"));
	assert_true(cli_complete_wants_file("  topo out"));
	assert_false(cli_complete_wants_file("topo"));
	assert_false(cli_complete_wants_file("topo a b"));
	assert_false(cli_complete_wants_file("status "));
	assert_false(cli_complete_wants_file("vf 1; port add "));
	assert_false(cli_complete_wants_file("recording x"));
}

static void
test_no_status_gives_no_live_candidates(void **state)
{
	struct cli_compl_ctx ctx = { 0 };
	struct cli_cands c;
	size_t ws;

	(void)state;
	assert_int_equal(cli_complete("vf ", &ctx, &c, &ws), 0);
	assert_int_equal(cli_complete("vf 1; port add ", &ctx, &c, &ws), 0);
	assert_int_equal(cli_complete("vf 1; port ", &ctx, &c, &ws), 2);
	cli_cands_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_completes_command_words),
		cmocka_unit_test(test_completes_process_ids_with_semicolon),
		cmocka_unit_test(test_completes_sub_commands),
		cmocka_unit_test(test_completes_component_arguments),
		cmocka_unit_test(test_completes_ports_queues_dirs_and_vlan_ops),
		cmocka_unit_test(test_completes_classifier_table_and_capture),
		cmocka_unit_test(test_completes_servers),
		cmocka_unit_test(test_word_start_is_after_last_blank_or_semicolon),
		cmocka_unit_test(test_common_prefix_and_target),
		cmocka_unit_test(test_uids_include_primary_rings_not_yet_attached),
		cmocka_unit_test(test_file_arguments_go_to_file_name_completion),
		cmocka_unit_test(test_no_status_gives_no_live_candidates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
