/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line -> REST request (SPEC §7.8): method, path, exact body and
 * the text printed on success, for every command; and the errors.
 */
#include "cli_test.h"

#include "cli_cmd.h"

struct req_case {
	const char *line;
	enum cli_cmd_kind kind;
	const char *method;
	const char *path;
	const char *body;	/* NULL: no body */
	const char *text;	/* success output */
};

static const struct req_case cases[] = {
	{ "status", CLI_CMD_STATUS, "GET", "/v1/processes", NULL, "" },
	{ "pri; status", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL, "" },
	{ "pri ;status", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL, "" },
	{ "pri; clear", CLI_CMD_PRI, "DELETE", "/v1/primary/status", NULL,
	  "Clear port statistics." },
	{ "pri; add ring:1", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL,
	  "No forwarder is running." },
	{ "pri; del ring:1", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL,
	  "No forwarder is running." },
	{ "pri; patch phy:0 phy:1", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL,
	  "No forwarder is running." },
	{ "pri; forward", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL,
	  "No forwarder is running." },
	{ "pri; stop", CLI_CMD_PRI, "GET", "/v1/primary/status", NULL,
	  "No forwarder is running." },
	{ "pri; launch vf 2 -l 1,4-5 -m 512 -- --client-id 2 -s 127.0.0.1:6666",
	  CLI_CMD_PRI, "PUT", "/v1/primary/launch",
	  "{\"client_id\":2,\"proc_name\":\"spp_vf\",\"eal\":{\"-l\":\"1,4-5\",\"-m\":\"512\","
	  "\"--proc-type\":\"secondary\"},\"app\":{\"--client-id\":\"2\","
	  "\"-s\":\"127.0.0.1:6666\"}}",
	  "Send request to launch vf:2." },
	{ "pri; launch spp_mirror -l 1,6 --no-pci --proc-type secondary -- --client-id 3 "
	  "-s 127.0.0.1:6666 --vhost-client",
	  CLI_CMD_PRI, "PUT", "/v1/primary/launch",
	  "{\"client_id\":3,\"proc_name\":\"spp_mirror\",\"eal\":{\"-l\":\"1,6\","
	  "\"--no-pci\":null,\"--proc-type\":\"secondary\"},\"app\":{\"--client-id\":\"3\","
	  "\"-s\":\"127.0.0.1:6666\",\"--vhost-client\":null}}",
	  "Send request to launch mirror:3." },
	{ "pri; launch vf 4 -l 1,2 -- --client-id 9 -s 127.0.0.1:6666",
	  CLI_CMD_PRI, "PUT", "/v1/primary/launch",
	  "{\"client_id\":4,\"proc_name\":\"spp_vf\",\"eal\":{\"-l\":\"1,2\","
	  "\"--proc-type\":\"secondary\"},\"app\":{\"--client-id\":\"4\","
	  "\"-s\":\"127.0.0.1:6666\"}}",
	  "Send request to launch vf:4." },
	{ "vf 1; status", CLI_CMD_SEC, "GET", "/v1/vfs/1", NULL, "" },
	{ "  vf   1 ;  status ", CLI_CMD_SEC, "GET", "/v1/vfs/1", NULL, "" },
	{ "vf 1; exit", CLI_CMD_SEC, "DELETE", "/v1/vfs/1", NULL, "Exit vf 1." },
	{ "vf 2; component start fwd1 3 forward", CLI_CMD_SEC, "POST", "/v1/vfs/2/components",
	  "{\"name\":\"fwd1\",\"core\":3,\"type\":\"forward\"}",
	  "Succeeded to start component 'fwd1' on core:3" },
	{ "vf 2; component start c x classifier", CLI_CMD_SEC, "POST", "/v1/vfs/2/components",
	  "{\"name\":\"c\",\"core\":\"x\",\"type\":\"classifier\"}",
	  "Succeeded to start component 'c' on core:x" },
	{ "vf 2; component stop fwd1", CLI_CMD_SEC, "DELETE", "/v1/vfs/2/components/fwd1", NULL,
	  "Succeeded to delete component 'fwd1'" },
	{ "vf 2; component stop a%b?c#d", CLI_CMD_SEC, "DELETE",
	  "/v1/vfs/2/components/a%25b%3Fc%23d", NULL, "Succeeded to delete component 'a%b?c#d'" },
	{ "vf 2; port add phy:0 rx cls", CLI_CMD_SEC, "PUT", "/v1/vfs/2/components/cls/ports",
	  "{\"action\":\"attach\",\"port\":\"phy:0\",\"dir\":\"rx\",\"vlan\":{}}",
	  "Succeeded to add port" },
	{ "vf 2; port add phy:0 nq 1 rx cls", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/components/cls/ports",
	  "{\"action\":\"attach\",\"port\":\"phy:0nq1\",\"dir\":\"rx\",\"vlan\":{}}",
	  "Succeeded to add port" },
	{ "vf 2; port add phy:1 tx fwd add_vlantag 100 3", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/components/fwd/ports",
	  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"tx\",\"vlan\":"
	  "{\"operation\":\"add\",\"id\":100,\"pcp\":3}}",
	  "Succeeded to add port" },
	{ "vf 2; port add vhost:0 tx cls del_vlantag", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/components/cls/ports",
	  "{\"action\":\"attach\",\"port\":\"vhost:0\",\"dir\":\"tx\",\"vlan\":"
	  "{\"operation\":\"del\"}}",
	  "Succeeded to add port" },
	{ "vf 2; port del ring:0 rx fwd", CLI_CMD_SEC, "PUT", "/v1/vfs/2/components/fwd/ports",
	  "{\"action\":\"detach\",\"port\":\"ring:0\",\"dir\":\"rx\",\"vlan\":{}}",
	  "Succeeded to del port" },
	{ "vf 2; classifier_table add mac 52:54:00:12:34:56 vhost:0", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/classifier_table",
	  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"52:54:00:12:34:56\","
	  "\"port\":\"vhost:0\"}",
	  "Succeeded to add" },
	{ "vf 2; classifier_table add mac default ring:0", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/classifier_table",
	  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"default\",\"port\":\"ring:0\"}",
	  "Succeeded to add" },
	{ "vf 2; classifier_table del vlan 100 52:54:00:12:34:57 ring:0", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/classifier_table",
	  "{\"action\":\"del\",\"type\":\"vlan\",\"vlan\":100,\"mac_address\":"
	  "\"52:54:00:12:34:57\",\"port\":\"ring:0\"}",
	  "Succeeded to del" },
	{ "vf 2; classifier_table add mac 52:54:00:12:34:56 phy:0 nq 2", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/classifier_table",
	  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"52:54:00:12:34:56\","
	  "\"port\":\"phy:0nq2\"}",
	  "Succeeded to add" },
	{ "vf 2; capture start phy:0 rx cap.pcapng", CLI_CMD_SEC, "PUT", "/v1/vfs/2/captures",
	  "{\"action\":\"start\",\"port\":\"phy:0\",\"dir\":\"rx\",\"file\":\"cap.pcapng\"}",
	  "Succeeded to start capture" },
	{ "vf 2; capture start phy:0 nq 1 both c.pcapng 100", CLI_CMD_SEC, "PUT",
	  "/v1/vfs/2/captures",
	  "{\"action\":\"start\",\"port\":\"phy:0nq1\",\"dir\":\"both\",\"file\":\"c.pcapng\","
	  "\"max\":100}",
	  "Succeeded to start capture" },
	{ "vf 2; capture stop phy:0 rx", CLI_CMD_SEC, "PUT", "/v1/vfs/2/captures",
	  "{\"action\":\"stop\",\"port\":\"phy:0\",\"dir\":\"rx\"}",
	  "Succeeded to stop capture" },
	{ "mirror 3; status", CLI_CMD_SEC, "GET", "/v1/mirrors/3", NULL, "" },
	{ "mirror 3; exit", CLI_CMD_SEC, "DELETE", "/v1/mirrors/3", NULL, "Exit mirror 3." },
	{ "mirror 3; component start tap1 7 mirror", CLI_CMD_SEC, "POST",
	  "/v1/mirrors/3/components", "{\"name\":\"tap1\",\"core\":7,\"type\":\"mirror\"}",
	  "Succeeded to start component 'tap1' on core:7" },
	{ "mirror 3; component start tap2 8 mirror deep", CLI_CMD_SEC, "POST",
	  "/v1/mirrors/3/components",
	  "{\"name\":\"tap2\",\"core\":8,\"type\":\"mirror\",\"copy_mode\":\"deep\"}",
	  "Succeeded to start component 'tap2' on core:8" },
	{ "mirror 3; component stop tap1", CLI_CMD_SEC, "DELETE",
	  "/v1/mirrors/3/components/tap1", NULL, "Succeeded to delete component 'tap1'" },
	{ "mirror 3; port add ring:2 tx tap1", CLI_CMD_SEC, "PUT",
	  "/v1/mirrors/3/components/tap1/ports",
	  "{\"action\":\"attach\",\"port\":\"ring:2\",\"dir\":\"tx\",\"vlan\":{}}",
	  "Succeeded to add port" },
	{ "mirror 3; capture stop ring:2 tx", CLI_CMD_SEC, "PUT", "/v1/mirrors/3/captures",
	  "{\"action\":\"stop\",\"port\":\"ring:2\",\"dir\":\"tx\"}",
	  "Succeeded to stop capture" },
};

static void
test_every_command_maps_to_its_request(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct req_case *c = &cases[i];
		struct cli_cmd cmd;

		assert_int_equal(cli_cmd_parse(c->line, &cmd), 0);
		if (cmd.kind != c->kind)
			fail_msg("%s: kind %d, text %s", c->line, cmd.kind, cmd.text);
		assert_non_null(cmd.method);
		assert_string_equal(cmd.method, c->method);
		assert_string_equal(cmd.path, c->path);
		if (c->body == NULL) {
			assert_null(cmd.body);
		} else {
			assert_non_null(cmd.body);
			assert_string_equal(cmd.body, c->body);
		}
		assert_string_equal(cmd.text, c->text);
		cli_cmd_free(&cmd);
	}
}

static void
test_sec_command_names_process(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	assert_int_equal(cli_cmd_parse("mirror 12; status", &cmd), 0);
	assert_string_equal(cmd.proc, "mirror");
	assert_int_equal(cmd.sec_id, 12);
	assert_int_equal(cmd.op, CLI_OP_SEC_STATUS);
	cli_cmd_free(&cmd);
}

struct err_case {
	const char *line;
	const char *text;
};

static const struct err_case errors[] = {
	{ "vf status", "Required an ID and ';' before the command." },
	{ "vf 1 status", "Required an ID and ';' before the command." },
	{ "vf x; status", "Invalid command: x;status" },
	{ "vf 1; stats", "Invalid command \"stats\"." },
	{ "vf 1;", "Invalid command \"\"." },
	{ "mirror 1; classifier_table add mac default ring:0",
	  "Invalid command \"classifier_table\"." },
	{ "pri; bogus", "Invalid pri command: 'bogus'" },
	{ "pri status", "Invalid pri command: 'status'" },
	{ "vf 1; port add ring:0", "Error: Not enough parameters." },
	{ "vf 1; port attach ring:0 rx a", "Error: Invalid action." },
	{ "vf 1; port add ring:0 rx a add_tag 1 2",
	  "Error: vlantag is Only add_vlantag or del_vlantag." },
	{ "vf 1; port add ring:0 rx a add_vlantag x 2", "Error: vid is not a number." },
	{ "vf 1; port add ring:0 rx a add_vlantag 1 y", "Error: pcp is not a number." },
	{ "vf 1; classifier_table add ip 1 ring:0", "Error: Type is only vlan or mac" },
	{ "vf 1; component start a 3", "Error: usage: component start NAME CORE TYPE" },
	{ "vf 1; component start a 3 forward deep",
	  "Error: usage: component start NAME CORE TYPE" },
	{ "pri; launch nfv 1 -l 1 -- -n 1", "'nfv' is not supported in launch cmd." },
	{ "pri; launch vf 1 -l 1,2", "Arguments should include separator \"--\"." },
	{ "pri; launch vf -l 1,2 -- -s 127.0.0.1:6666", "Secondary ID is required!" },
	{ "bogus", "*** Unknown syntax: bogus" },
	{ "record", "Record file is required!" },
	{ "bye now", "Invalid bye command: 'now' (sec or all)." },
};

static void
test_bad_lines_give_upstream_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct cli_cmd cmd;

		assert_int_equal(cli_cmd_parse(errors[i].line, &cmd), 0);
		if (cmd.kind != CLI_CMD_ERROR)
			fail_msg("%s: kind %d", errors[i].line, cmd.kind);
		assert_string_equal(cmd.text, errors[i].text);
		assert_null(cmd.body);
		cli_cmd_free(&cmd);
	}
}

static void
test_local_commands_carry_their_argument(void **state)
{
	struct cli_cmd cmd;

	(void)state;
	assert_int_equal(cli_cmd_parse("", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_NONE);
	assert_int_equal(cli_cmd_parse("   # set up vf 1 ", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_COMMENT);
	assert_string_equal(cmd.text, "# set up vf 1");
	assert_int_equal(cli_cmd_parse("server add 10.0.0.2:7777", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_SERVER);
	assert_string_equal(cmd.arg, "add 10.0.0.2:7777");
	assert_int_equal(cli_cmd_parse("server", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_SERVER);
	assert_string_equal(cmd.arg, "");
	assert_int_equal(cli_cmd_parse("bye all", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_BYE);
	assert_string_equal(cmd.arg, "all");
	assert_int_equal(cli_cmd_parse("bye", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_BYE);
	assert_int_equal(cli_cmd_parse("exit", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_EXIT);
	assert_int_equal(cli_cmd_parse("help vf", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_HELP);
	assert_string_equal(cmd.arg, "vf");
	assert_int_equal(cli_cmd_parse("?", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_HELP);
	assert_int_equal(cli_cmd_parse("history", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_HISTORY);
	assert_int_equal(cli_cmd_parse("redo 12", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_REDO);
	assert_int_equal(cmd.num, 12);
	assert_int_equal(cli_cmd_parse("redo x", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_ERROR);
	assert_int_equal(cli_cmd_parse("record /tmp/r.txt", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_RECORD);
	assert_string_equal(cmd.arg, "/tmp/r.txt");
	assert_int_equal(cli_cmd_parse("playback /tmp/r.txt", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_PLAYBACK);
	assert_string_equal(cmd.arg, "/tmp/r.txt");
	assert_int_equal(cli_cmd_parse("topo", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOPO);
	assert_string_equal(cmd.arg, "");
	assert_int_equal(cli_cmd_parse("topo out.svg", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOPO);
	assert_string_equal(cmd.arg, "out.svg");
}

static void
test_top_takes_count_and_interval(void **state)
{
	static const char *const bad[] = {
		"top 0", "top -n", "top -n x", "top -d 0", "top -d 0.01", "top -d -1", "top x",
		"top -d 1e9", "top -n 1 -d",
	};
	struct cli_cmd cmd;

	(void)state;
	assert_int_equal(cli_cmd_parse("top", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOP);
	assert_int_equal(cmd.num, 0);
	assert_true(cmd.interval == 1.0);
	assert_int_equal(cli_cmd_parse("top 3", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOP);
	assert_int_equal(cmd.num, 3);
	assert_int_equal(cli_cmd_parse("top -n 2 -d 0.5", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOP);
	assert_int_equal(cmd.num, 2);
	assert_true(cmd.interval == 0.5);
	assert_int_equal(cli_cmd_parse("  top  -d 2  ", &cmd), 0);
	assert_int_equal(cmd.kind, CLI_CMD_TOP);
	assert_int_equal(cmd.num, 0);
	assert_true(cmd.interval == 2.0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cli_cmd_parse(bad[i], &cmd), 0);
		assert_int_equal(cmd.kind, CLI_CMD_ERROR);
		assert_string_equal(cmd.text, "Error: usage: top [-n COUNT] [-d SECONDS] [COUNT]");
	}
}

static void
test_upstream_only_commands_are_not_supported(void **state)
{
	static const char *const lines[] = {
		"topo_subgraph", "load_cmd hello", "inspect", "nfv 1; status", "pcap 1; status",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct cli_cmd cmd;

		assert_int_equal(cli_cmd_parse(lines[i], &cmd), 0);
		assert_int_equal(cmd.kind, CLI_CMD_UNSUPPORTED);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_maps_to_its_request),
		cmocka_unit_test(test_sec_command_names_process),
		cmocka_unit_test(test_bad_lines_give_upstream_errors),
		cmocka_unit_test(test_local_commands_carry_their_argument),
		cmocka_unit_test(test_top_takes_count_and_interval),
		cmocka_unit_test(test_upstream_only_commands_are_not_supported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
