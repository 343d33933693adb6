/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REST router of spp-ctl (SPEC §7) without sockets: for every route
 * the exact command sent, status, body and headers; bad bodies, wrong
 * types, huge and deeply nested bodies; launch argv building with
 * injection attempts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl_api.h"
#include "ctl_fake.h"

struct req_case {
	const char *method;
	const char *path;
	const char *body;
	unsigned int status;
	const char *text;	/* exact body; NULL: not checked */
	const char *cmd;	/* command that must have been sent last; NULL: none sent */
};

static int
setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void
run_case(const struct req_case *k)
{
	struct ctl_response r;

	fake_reset();
	fake_call(k->method, k->path, k->body, &r);
	if (r.status != k->status || (k->text != NULL && (r.body == NULL ||
							  strcmp(r.body, k->text) != 0)))
		print_error("%s %s %s\n  -> %u '%s'\n  expected %u '%s'\n", k->method, k->path,
			    k->body != NULL ? k->body : "", r.status, r.body ? r.body : "(none)",
			    k->status, k->text ? k->text : "(any)");
	assert_int_equal(r.status, k->status);
	if (k->text != NULL) {
		assert_non_null(r.body);
		assert_string_equal(r.body, k->text);
		assert_int_equal(r.body_size, strlen(k->text));
	}
	if (r.status >= 400)
		assert_string_equal(r.content_type, "text/plain");
	if (r.status == 204) {
		assert_null(r.body);
		assert_null(r.content_type);
	}
	if (k->cmd == NULL) {
		if (fake.nb_cmds != 0)
			print_error("%s %s: unexpected command '%s'\n", k->method, k->path,
				    fake.cmds[0]);
		assert_int_equal(fake.nb_cmds, 0);
	} else {
		if (fake.nb_cmds != 1 || strcmp(fake.cmds[0], k->cmd) != 0)
			print_error("%s %s %s: sent '%s', expected '%s'\n", k->method, k->path,
				    k->body ? k->body : "", fake.nb_cmds ? fake.cmds[0] : "(none)",
				    k->cmd);
		assert_int_equal(fake.nb_cmds, 1);
		assert_string_equal(fake.cmds[0], k->cmd);
	}
	ctl_response_release(&r);
}

static void
run_cases(const struct req_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_case(&cases[i]);
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))

/* --- routing --- */

static void
test_unknown_paths_are_404_with_the_path(void **state)
{
	static const struct req_case cases[] = {
		{ "GET", "/v1", NULL, 404, "Not found: '/v1'", NULL },
		{ "GET", "/ui", NULL, 404, "Not found: '/ui'", NULL },
		{ "GET", "/ui/", NULL, 404, "Not found: '/ui/'", NULL },
		{ "GET", "/ui/nosuch.js", NULL, 404, "Not found: '/ui/nosuch.js'", NULL },
		{ "GET", "/ui/..%2Fctl_main.c", NULL, 404, "Not found: '/ui/..%2Fctl_main.c'",
		  NULL },
		{ "GET", "/index.html", NULL, 404, "Not found: '/index.html'", NULL },
		{ "GET", "/v1/processes/", NULL, 404, "Not found: '/v1/processes/'", NULL },
		{ "GET", "/v2/processes", NULL, 404, "Not found: '/v2/processes'", NULL },
		{ "GET", "/v1/vfs/x", NULL, 404, "Not found: '/v1/vfs/x'", NULL },
		{ "GET", "/v1/vfs/-2", NULL, 404, "Not found: '/v1/vfs/-2'", NULL },
		{ "GET", "/v1/vfs/2x", NULL, 404, "Not found: '/v1/vfs/2x'", NULL },
		{ "GET", "/v1/vfs/", NULL, 404, "Not found: '/v1/vfs/'", NULL },
		{ "GET", "/v1/vfs/2/status", NULL, 404, "Not found: '/v1/vfs/2/status'", NULL },
		{ "PUT", "/v1/mirrors/3/classifier_table", "{}", 404,
		  "Not found: '/v1/mirrors/3/classifier_table'", NULL },
		{ "DELETE", "/v1/vfs/2/components/", NULL, 404,
		  "Not found: '/v1/vfs/2/components/'", NULL },
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s", NULL, 404,
		  "Not found: '/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s'", NULL },
		{ "GET", "relative", NULL, 404, "Not found: 'relative'", NULL },
	};

	(void)state;
	RUN(cases);
}

static void
expect_405(const char *method, const char *path, const char *allow)
{
	struct ctl_response r;

	fake_reset();
	fake_call(method, path, "{}", &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.body, "Method not allowed.");
	assert_string_equal(r.content_type, "text/plain");
	assert_string_equal(r.allow, allow);
	assert_int_equal(fake.nb_cmds, 0);
	ctl_response_release(&r);
}

static void
test_wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	expect_405("POST", "/v1/processes", "GET");
	expect_405("PUT", "/v1/vfs/2", "GET, DELETE");
	expect_405("PUT", "/v1/vfs/99", "GET, DELETE");
	expect_405("GET", "/v1/vfs/2/components", "POST");
	expect_405("GET", "/v1/vfs/2/components/a", "DELETE");
	expect_405("POST", "/v1/vfs/2/components/a/ports", "PUT");
	expect_405("GET", "/v1/primary/patches", "PUT, DELETE");
	expect_405("GET", "/v1/primary", "DELETE");
	expect_405("PATCH", "/v1/primary/status", "GET, DELETE");
	expect_405("GET", "/v1/primary/flow_rules/port_id/0", "POST, DELETE");
	expect_405("DELETE", "/metrics", "GET");
}

static void
test_other_responses_carry_no_allow_header(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_call("GET", "/v1/vfs/2", NULL, &r);
	assert_string_equal(r.allow, "");
	ctl_response_release(&r);
	fake_call("GET", "/v1/nosuch", NULL, &r);
	assert_string_equal(r.allow, "");
	ctl_response_release(&r);
}

static void
test_head_is_get(void **state)
{
	static const struct req_case cases[] = {
		{ "HEAD", "/v1/processes", NULL, 200, NULL, NULL },
	};

	(void)state;
	RUN(cases);
}

/* --- processes --- */

static void
test_processes_lists_the_backend_without_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "GET", "/v1/processes", NULL, 200,
		  "[{\"type\":\"primary\"},{\"type\":\"vf\",\"client-id\":2},"
		  "{\"type\":\"mirror\",\"client-id\":3}]", NULL },
	};
	struct ctl_response r;

	(void)state;
	RUN(cases);
	fake_call("GET", "/v1/processes", NULL, &r);
	assert_string_equal(r.content_type, "application/json");
	ctl_response_release(&r);
}

static void
test_nfv_and_pcap_routes_are_404_sec_id(void **state)
{
	static const struct req_case cases[] = {
		{ "GET", "/v1/nfvs/1", NULL, 404, "sec_id 1 not found.", NULL },
		{ "DELETE", "/v1/nfvs/2", NULL, 404, "sec_id 2 not found.", NULL },
		{ "PUT", "/v1/nfvs/1/forward", "{\"action\":\"start\"}", 404, "sec_id 1 not found.",
		  NULL },
		{ "PUT", "/v1/nfvs/1/ports", "{}", 404, "sec_id 1 not found.", NULL },
		{ "PUT", "/v1/nfvs/1/patches", "{}", 404, "sec_id 1 not found.", NULL },
		{ "DELETE", "/v1/nfvs/1/patches", NULL, 404, "sec_id 1 not found.", NULL },
		{ "GET", "/v1/pcaps/007", NULL, 404, "sec_id 7 not found.", NULL },
		{ "DELETE", "/v1/pcaps/4", NULL, 404, "sec_id 4 not found.", NULL },
		{ "PUT", "/v1/pcaps/4/capture", "{}", 404, "sec_id 4 not found.", NULL },
	};

	(void)state;
	RUN(cases);
}

/* --- vf / mirror --- */

static void
test_secondary_ids_are_resolved_before_the_body(void **state)
{
	static const struct req_case cases[] = {
		{ "GET", "/v1/vfs/3", NULL, 404, "sec_id 3 not found.", NULL },
		{ "GET", "/v1/mirrors/2", NULL, 404, "sec_id 2 not found.", NULL },
		{ "GET", "/v1/vfs/99999999999999999999", NULL, 404,
		  "sec_id 99999999999999999999 not found.", NULL },
		/* Matched (the canned reply has no info: 500). */
		{ "GET", "/v1/vfs/0002", NULL, 500, "Internal Server Error", "status" },
		{ "POST", "/v1/vfs/9/components", "garbage", 404, "sec_id 9 not found.", NULL },
		{ "PUT", "/v1/vfs/9/components/a b/ports", "garbage", 404, "sec_id 9 not found.",
		  NULL },
		{ "PUT", "/v1/vfs/9/classifier_table", "", 404, "sec_id 9 not found.", NULL },
		{ "PUT", "/v1/mirrors/2/captures", "{}", 404, "sec_id 2 not found.", NULL },
		{ "DELETE", "/v1/mirrors/4", NULL, 404, "sec_id 4 not found.", NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_component_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"fwd1\",\"core\":2,\"type\":\"forward\"}", 204, NULL,
		  "component start fwd1 2 forward" },
		{ "POST", "/v1/vfs/2/components",
		  "{\"type\":\"classifier\",\"core\":0,\"name\":\"c!#$%&'()*+,-.:<=>?@[]^_`{|}~\"}",
		  204, NULL, "component start c!#$%&'()*+,-.:<=>?@[]^_`{|}~ 0 classifier" },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"m\",\"core\":-1,\"type\":\"merge\",\"copy_mode\":\"deep\"}", 204,
		  NULL, "component start m -1 merge" },
		{ "POST", "/v1/mirrors/3/components",
		  "{\"name\":\"tap\",\"core\":7,\"type\":\"mirror\"}", 204, NULL,
		  "component start tap 7 mirror" },
		{ "POST", "/v1/mirrors/3/components",
		  "{\"name\":\"tap\",\"core\":7,\"type\":\"mirror\",\"copy_mode\":\"shallow\"}",
		  204, NULL, "component start tap 7 mirror shallow" },
		{ "DELETE", "/v1/vfs/2/components/fwd1", NULL, 204, NULL, "component stop fwd1" },
		{ "DELETE", "/v1/mirrors/3/components/t%41p", NULL, 204, NULL,
		  "component stop tAp" },
	};

	(void)state;
	RUN(cases);
}

static void
test_component_start_bodies_are_checked_in_order(void **state)
{
	static const struct req_case cases[] = {
		{ "POST", "/v1/vfs/2/components", NULL, 400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "", 400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":", 400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "[]", 400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "\"name\"", 400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":\"a\"} x", 400, "Not in json format.",
		  NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"\xff\",\"core\":1,\"type\":\"merge\"}",
		  400, "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components", "{}", 400, "key(name) required.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":5}", 400, "key(core) required.",
		  NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":5,\"core\":\"x\"}", 400,
		  "key(type) required.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":5,\"core\":\"x\",\"type\":0}", 400,
		  "invalid key(name): 5.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":\"\",\"core\":1,\"type\":\"merge\"}",
		  400, "invalid key(name): .", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"0123456789012345678901234567890x\",\"core\":1,\"type\":\"merge\"}",
		  400, "invalid key(name): 0123456789012345678901234567890x.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"a;b\",\"core\":1,\"type\":\"merge\"}", 400,
		  "invalid key(name): a;b.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"a\\nport\",\"core\":1,\"type\":\"merge\"}", 400,
		  "invalid key(name): a\nport.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"a\\u0000b\",\"core\":1,\"type\":\"merge\"}", 400,
		  "Not in json format.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":[\"a\"],\"core\":1,\"type\":\"merge\"}",
		  400, "invalid key(name): [\"a\"].", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"x\",\"core\":\"3\",\"type\":\"merge\"}",
		  400, "invalid key(core): 3.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"x\",\"core\":true,\"type\":\"merge\"}",
		  400, "invalid key(core): true.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"x\",\"core\":1.0,\"type\":\"merge\"}",
		  400, "invalid key(core): 1.0.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"x\",\"core\":null,\"type\":\"merge\"}",
		  400, "invalid key(core): null.", NULL },
		{ "POST", "/v1/vfs/2/components",
		  "{\"name\":\"x\",\"core\":1,\"type\":\"mirror\"}", 400,
		  "invalid key(type): mirror.", NULL },
		{ "POST", "/v1/vfs/2/components", "{\"name\":\"x\",\"core\":1,\"type\":\"Merge\"}",
		  400, "invalid key(type): Merge.", NULL },
		{ "POST", "/v1/mirrors/3/components",
		  "{\"name\":\"x\",\"core\":1,\"type\":\"forward\"}", 400,
		  "invalid key(type): forward.", NULL },
		{ "POST", "/v1/mirrors/3/components",
		  "{\"name\":\"x\",\"core\":1,\"type\":\"mirror\",\"copy_mode\":\"full\"}", 400,
		  "invalid key(copy_mode): full.", NULL },
		{ "POST", "/v1/mirrors/3/components",
		  "{\"name\":\"x\",\"core\":1,\"type\":\"mirror\",\"copy_mode\":null}", 400,
		  "invalid key(copy_mode): null.", NULL },
		{ "DELETE", "/v1/vfs/2/components/a%20b", NULL, 400, "invalid key(name): a b.",
		  NULL },
		{ "DELETE", "/v1/vfs/2/components/a%2Fb", NULL, 400, "invalid key(name): a/b.",
		  NULL },
		{ "DELETE", "/v1/vfs/2/components/a%0Aexit", NULL, 400,
		  "invalid key(name): a\nexit.", NULL },
		{ "DELETE", "/v1/vfs/2/components/a%00", NULL, 400, "invalid key(name): a%00.",
		  NULL },
		{ "DELETE", "/v1/vfs/2/components/a%zz", NULL, 400, "invalid key(name): a%zz.",
		  NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_port_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"tx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":100,\"pcp\":3}}", 204, NULL,
		  "port add phy:1 tx fwd add_vlantag 100 3" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"tx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":\"100\",\"pcp\":\"3\"}}", 204, NULL,
		  "port add phy:1 tx fwd add_vlantag 100 3" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"vhost:0\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"del\"}}", 204, NULL,
		  "port add vhost:0 rx fwd del_vlantag" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:0nq1\",\"dir\":\"rx\",\"vlan\":{}}", 204,
		  NULL, "port add phy:0nq1 rx fwd" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"vhost:1nq1\",\"dir\":\"tx\",\"vlan\":{}}", 204,
		  NULL, "port add vhost:1nq1 tx fwd" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:0\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"none\",\"id\":5}}", 204, NULL,
		  "port add ring:0 rx fwd" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:0\",\"dir\":\"rx\"}", 204, NULL,
		  "port add ring:0 rx fwd" },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"detach\",\"port\":\"ring:0\",\"dir\":\"tx\",\"vlan\":\"junk\"}",
		  204, NULL, "port del ring:0 tx fwd" },
		{ "PUT", "/v1/mirrors/3/components/tap/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:1\",\"dir\":\"tx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":7,\"pcp\":1}}", 204, NULL,
		  "port add ring:1 tx tap" },
		{ "PUT", "/v1/vfs/2/components/f%2Dw/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:0\",\"dir\":\"rx\"}", 204, NULL,
		  "port add ring:0 rx f-w" },
		/* Upstream's port types pass; the process refuses what it cannot use. */
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"pcap:0\",\"dir\":\"rx\"}", 204, NULL,
		  "port add pcap:0 rx fwd" },
	};

	(void)state;
	RUN(cases);
}

static void
test_port_bodies_are_checked_in_order(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/components/a%20b/ports", "{}", 400, "invalid key(name): a b.",
		  NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports", "{}", 400, "key(action) required.",
		  NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports", "{\"action\":1,\"dir\":1}", 400,
		  "key(port) required.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports", "{\"action\":1,\"port\":1}", 400,
		  "key(dir) required.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"add\",\"port\":1,\"dir\":1}", 400, "invalid key(action): add.",
		  NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":1,\"dir\":1}", 400, "invalid key(port): 1.",
		  NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:0 tx x\",\"dir\":1}", 400,
		  "invalid key(port): ring:0 tx x.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:\",\"dir\":\"rx\"}", 400,
		  "invalid key(port): ring:.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:x\",\"dir\":\"rx\"}", 400,
		  "invalid key(port): ring:x.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"ring:1nq0\",\"dir\":\"rx\"}", 400,
		  "invalid key(port): ring:1nq0.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1nq\",\"dir\":\"rx\"}", 400,
		  "invalid key(port): phy:1nq.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"PHY:1\",\"dir\":\"rx\"}", 400,
		  "invalid key(port): PHY:1.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"both\"}", 400,
		  "invalid key(dir): both.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\",\"vlan\":[]}", 400,
		  "invalid key(vlan): [].", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\",\"vlan\":{\"id\":1}}",
		  400, "invalid key(vlan): {\"id\":1}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"push\"}}", 400,
		  "invalid key(vlan): {\"operation\":\"push\"}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":1}}", 400,
		  "invalid key(vlan): {\"operation\":\"add\",\"id\":1}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":\"1 2\",\"pcp\":0}}", 400,
		  "invalid key(vlan): {\"operation\":\"add\",\"id\":\"1 2\",\"pcp\":0}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":1e2,\"pcp\":0}}", 400,
		  "invalid key(vlan): {\"operation\":\"add\",\"id\":100.0,\"pcp\":0}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":1,\"pcp\":false}}", 400,
		  "invalid key(vlan): {\"operation\":\"add\",\"id\":1,\"pcp\":false}.", NULL },
		{ "PUT", "/v1/vfs/2/components/fwd/ports",
		  "{\"action\":\"attach\",\"port\":\"phy:1\",\"dir\":\"rx\","
		  "\"vlan\":{\"operation\":\"add\",\"id\":\"\",\"pcp\":0}}", 400,
		  "invalid key(vlan): {\"operation\":\"add\",\"id\":\"\",\"pcp\":0}.", NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_classifier_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"52:54:00:12:34:56\","
		  "\"port\":\"vhost:0\"}", 204, NULL,
		  "classifier_table add mac 52:54:00:12:34:56 vhost:0" },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"del\",\"type\":\"mac\",\"mac_address\":\"52-54-00-AB-cd-EF\","
		  "\"port\":\"ring:0\",\"vlan\":\"ignored\"}", 204, NULL,
		  "classifier_table del mac 52:54:00:ab:cd:ef ring:0" },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"vlan\":100,"
		  "\"mac_address\":\"52:54:00:12:34:57\",\"port\":\"ring:0\"}", 204, NULL,
		  "classifier_table add vlan 100 52:54:00:12:34:57 ring:0" },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"vlan\":\"0100\","
		  "\"mac_address\":\"default\",\"port\":\"ring:0\"}", 204, NULL,
		  "classifier_table add vlan 0100 default ring:0" },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"default\","
		  "\"port\":\"ring:0\"}", 204, NULL, "classifier_table add mac default ring:0" },
	};

	(void)state;
	RUN(cases);
}

static void
test_classifier_bodies_are_checked_in_order(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/classifier_table", "{\"type\":\"mac\"}", 400,
		  "key(action) required.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table", "{\"action\":\"add\"}", 400,
		  "key(type) required.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table", "{\"action\":\"add\",\"type\":\"vlan\"}",
		  400,
		  "key(port) required.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"port\":\"ring:0\"}", 400,
		  "key(mac_address) required.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"set\",\"type\":\"x\",\"port\":\"x\",\"mac_address\":\"x\"}", 400,
		  "invalid key(action): set.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"x\",\"port\":\"x\",\"mac_address\":\"x\"}", 400,
		  "invalid key(type): x.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"x\",\"mac_address\":\"x\"}", 400,
		  "invalid key(port): x.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\","
		  "\"mac_address\":\"5254.0012.3456\"}", 400,
		  "invalid key(mac_address): 5254.0012.3456.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\","
		  "\"mac_address\":\"525400123456\"}", 400,
		  "invalid key(mac_address): 525400123456.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\","
		  "\"mac_address\":\"52:54:00:12:34:5g\"}", 400,
		  "invalid key(mac_address): 52:54:00:12:34:5g.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\","
		  "\"mac_address\":\"52:54-00:12:34:56\"}", 400,
		  "invalid key(mac_address): 52:54-00:12:34:56.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\","
		  "\"mac_address\":\"DEFAULT\"}",
		  400, "invalid key(mac_address): DEFAULT.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"port\":\"ring:0\",\"mac_address\":5}",
		  400, "invalid key(mac_address): 5.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"port\":\"ring:0\","
		  "\"mac_address\":\"default\"}", 400, "key(vlan) required.", NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"port\":\"ring:0\","
		  "\"mac_address\":\"default\",\"vlan\":\"-1\"}", 400, "invalid key(vlan): -1.",
		  NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"port\":\"ring:0\","
		  "\"mac_address\":\"default\",\"vlan\":true}", 400, "invalid key(vlan): true.",
		  NULL },
		{ "PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"vlan\",\"port\":\"ring:0\","
		  "\"mac_address\":\"default\",\"vlan\":\"10 20\"}", 400,
		  "invalid key(vlan): 10 20.", NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_capture_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"both\","
		  "\"file\":\"a.pcapng\"}",
		  204, NULL, "capture start ring:0 both a.pcapng" },
		{ "PUT", "/v1/mirrors/3/captures",
		  "{\"action\":\"start\",\"port\":\"phy:0nq1\",\"dir\":\"rx\",\"file\":\"b\","
		  "\"max\":100}", 204, NULL, "capture start phy:0nq1 rx b 100" },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"stop\",\"port\":\"ring:0\",\"dir\":\"tx\",\"file\":\"x y\"}",
		  204, NULL, "capture stop ring:0 tx" },
		{ "PUT", "/v1/vfs/2/captures", "{\"action\":\"start\",\"port\":\"ring:0\"}", 400,
		  "key(dir) required.", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"begin\",\"port\":\"ring:0\",\"dir\":\"rx\"}", 400,
		  "invalid key(action): begin.", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"in\"}", 400,
		  "invalid key(dir): in.", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"rx\"}", 400,
		  "key(file) required.", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"rx\",\"file\":\"a\\tb\"}",
		  400, "invalid key(file): a\tb.", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"rx\",\"file\":\"\"}",
		  400, "invalid key(file): .", NULL },
		{ "PUT", "/v1/vfs/2/captures",
		  "{\"action\":\"start\",\"port\":\"ring:0\",\"dir\":\"rx\",\"file\":\"a\","
		  "\"max\":\"5\"}", 400, "invalid key(max): 5.", NULL },
	};

	(void)state;
	RUN(cases);
}

/* [EXT] PUT .../log_level: one command per process kind, values as tokens. */
static void
test_log_level_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/vfs/2/log_level", "{\"type\":\"spp.*\",\"level\":\"debug\"}",
		  204, NULL, "log_level spp.* debug" },
		{ "PUT", "/v1/mirrors/3/log_level", "{\"type\":\"spp.worker\",\"level\":\"7\"}",
		  204, NULL, "log_level spp.worker 7" },
		{ "PUT", "/v1/primary/log_level", "{\"type\":\"spp.primary\",\"level\":\"info\"}",
		  204, NULL, "log_level spp.primary info" },
		{ "PUT", "/v1/vfs/9/log_level", "{\"type\":\"spp.*\",\"level\":\"debug\"}",
		  404, "sec_id 9 not found.", NULL },
		{ "PUT", "/v1/vfs/3/log_level", "{\"type\":\"spp.*\",\"level\":\"debug\"}",
		  404, "sec_id 3 not found.", NULL },
		{ "PUT", "/v1/vfs/2/log_level", "{\"type\":\"spp.*\"}", 400,
		  "key(level) required.", NULL },
		{ "PUT", "/v1/primary/log_level", "{\"level\":\"debug\"}", 400,
		  "key(type) required.", NULL },
		{ "PUT", "/v1/vfs/2/log_level", "{\"type\":\"spp.* x\",\"level\":\"debug\"}",
		  400, "invalid key(type): spp.* x.", NULL },
		{ "PUT", "/v1/vfs/2/log_level", "{\"type\":\"spp.*\",\"level\":8}", 400,
		  "invalid key(level): 8.", NULL },
		{ "PUT", "/v1/mirrors/3/log_level", "{\"type\":\"\",\"level\":\"debug\"}",
		  400, "invalid key(type): .", NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_process_replies_map_to_rest_answers(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.reply = "{\"results\":[{\"result\":\"error\",\"error_details\":"
		     "{\"message\":\"Invalid value (port)\","
		     "\"detail\":\"ring:9 does\\nnot exist\"}}]}";
	fake_call("PUT", "/v1/vfs/2/classifier_table",
		  "{\"action\":\"add\",\"type\":\"mac\",\"mac_address\":\"52:54:00:12:34:58\","
		  "\"port\":\"ring:9\"}", &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.body, "command error: Invalid value (port)");
	/* A header value never carries a line break. */
	assert_string_equal(r.error_detail, "ring:9 does not exist");
	ctl_response_release(&r);

	fake_reset();
	fake.ret = -EIO;
	fake_call("DELETE", "/v1/vfs/2/components/x", NULL, &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body, "Internal Server Error");
	ctl_response_release(&r);

	fake_reset();
	fake.reply = "{\"something\":\"else\"}";
	fake_call("DELETE", "/v1/vfs/2/components/x", NULL, &r);
	assert_int_equal(r.status, 500);
	ctl_response_release(&r);

	fake_reset();
	fake.reply = "{\"result\":\"failed\",\"command\":\"launch\",\"message\":\"no way\"}";
	fake_call("DELETE", "/v1/primary/status", NULL, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.body, "command error: no way");
	assert_null(r.error_detail);
	ctl_response_release(&r);
}

static void
test_delete_sec_removes_first_and_accepts_eof(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake_call("DELETE", "/v1/vfs/2", NULL, &r);
	assert_int_equal(r.status, 204);
	assert_int_equal(fake.nb_cmds, 1);
	assert_string_equal(fake.cmds[0], "exit");
	assert_int_equal(fake.flags[0], CTL_CMD_REMOVE_FIRST);
	ctl_response_release(&r);

	fake_reset();
	fake.ret = -ECONNRESET;
	fake_call("DELETE", "/v1/mirrors/3", NULL, &r);
	assert_int_equal(r.status, 204);
	ctl_response_release(&r);

	fake_reset();
	fake.ret = -EIO;
	fake_call("DELETE", "/v1/mirrors/3", NULL, &r);
	assert_int_equal(r.status, 500);
	ctl_response_release(&r);
}

static const char vf_status[] =
	"{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":2,\"phy\":[\"0\","
	"\"1 nq 0\",\"1 nq 1\"],\"vhost\":[\"0\"],\"ring\":[\"0\",\"3\"],\"master-lcore\":1,"
	"\"core\":[{\"core\":2,\"name\":\"cls\",\"type\":\"classifier\",\"rx_port\":[],"
	"\"tx_port\":[],\"stats\":{\"rx_packets\":1}},{\"core\":3,\"type\":\"unuse\"}],"
	"\"classifier_table\":[{\"type\":\"mac\",\"value\":\"default\",\"port\":\"ring:0\"}],"
	"\"port_stats\":[],\"captures\":[]}}";

static void
test_get_converts_the_status_of_a_vf(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.reply = vf_status;
	fake_call("GET", "/v1/vfs/2", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(fake.cmds[0], "status");
	assert_string_equal(r.body,
		"{\"client-id\":2,\"ports\":[\"phy:0\",\"phy:1 nq 0\",\"phy:1 nq 1\",\"vhost:0\","
		"\"ring:0\",\"ring:3\"],\"master-lcore\":1,\"components\":[{\"core\":2,"
		"\"name\":\"cls\",\"type\":\"classifier\",\"rx_port\":[],\"tx_port\":[],"
		"\"stats\":{\"rx_packets\":1}},{\"core\":3,\"type\":\"unuse\"}],"
		"\"classifier_table\":[{\"type\":\"mac\",\"value\":\"default\","
		  "\"port\":\"ring:0\"}],"
		"\"port_stats\":[],\"captures\":[]}");
	ctl_response_release(&r);
}

static void
test_get_converts_mirror_status_without_table(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.reply = "{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":3,"
		     "\"phy\":[],\"vhost\":[],\"ring\":[\"1\"],\"master-lcore\":6,\"core\":[],"
		     "\"port_stats\":[],\"captures\":[],\"copy_mode\":\"deep\"}}";
	fake_call("GET", "/v1/mirrors/3", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body,
		"{\"client-id\":3,\"ports\":[\"ring:1\"],\"master-lcore\":6,\"components\":[],"
		"\"port_stats\":[],\"captures\":[],\"copy_mode\":\"deep\"}");
	ctl_response_release(&r);

	fake_reset();
	fake.reply = "{\"results\":[{\"result\":\"success\"}]}";
	fake_call("GET", "/v1/mirrors/3", NULL, &r);
	assert_int_equal(r.status, 500);
	ctl_response_release(&r);
}

/* --- primary --- */

static void
test_primary_routes_send_their_commands(void **state)
{
	static const struct req_case cases[] = {
		{ "GET", "/v1/primary/status", NULL, 200,
		  "{\"result\":\"succeeded\",\"command\":\"x\"}", "status" },
		{ "DELETE", "/v1/primary/status", NULL, 204, NULL, "clear" },
		{ "DELETE", "/v1/primary", NULL, 204, NULL, "exit" },
		{ "PUT", "/v1/primary/forward", "{\"action\":\"start\"}", 204, NULL, "forward" },
		{ "PUT", "/v1/primary/forward", "{\"action\":\"stop\"}", 204, NULL, "stop" },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"add\",\"port\":\"ring:0\"}", 204, NULL,
		  "add ring:0" },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"del\",\"port\":\"vhost:1\"}", 204,
		  NULL,
		  "del vhost:1" },
		{ "PUT", "/v1/primary/ports",
		  "{\"action\":\"add\",\"port\":\"pipe:0\",\"rx\":\"ring:0\",\"tx\":\"ring:1\"}",
		  204,
		  NULL, "add pipe:0 ring:0 ring:1" },
		{ "PUT", "/v1/primary/patches", "{\"src\":\"ring:0\",\"dst\":\"phy:1\"}", 204, NULL,
		  "patch ring:0 phy:1" },
		{ "DELETE", "/v1/primary/patches", NULL, 204, NULL, "patch reset" },
		{ "POST", "/v1/primary/flow_rules/port_id/0", "{\"rule\":{}}", 200, NULL,
		  "flow create 0" },
		{ "POST", "/v1/primary/flow_rules/port_id/1/validate", "{\"rule\":{}}", 200, NULL,
		  "flow validate 1" },
		{ "DELETE", "/v1/primary/flow_rules/port_id/1", NULL, 200, NULL, "flow flush 1" },
		{ "DELETE", "/v1/primary/flow_rules/5/port_id/1", NULL, 200, NULL,
		  "flow destroy 1 5" },
	};

	(void)state;
	RUN(cases);
}

static void
test_primary_body_before_lookup_but_patches_forward(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/primary/ports", "{}", 400, "key(action) required.", NULL },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"add\",\"port\":\"ring:0\"}", 404,
		  "primary not found.", NULL },
		{ "PUT", "/v1/primary/launch", "{}", 400, "key(client_id) required.", NULL },
		{ "PUT", "/v1/primary/patches", "{}", 404, "primary not found.", NULL },
		{ "PUT", "/v1/primary/forward", "junk", 404, "primary not found.", NULL },
		{ "DELETE", "/v1/primary/patches", NULL, 404, "primary not found.", NULL },
		{ "GET", "/v1/primary/status", NULL, 404, "primary not found.", NULL },
		{ "DELETE", "/v1/primary", NULL, 404, "primary not found.", NULL },
		{ "POST", "/v1/primary/flow_rules/port_id/0", "{\"rule\":{}}", 404,
		  "primary not found.", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_response r;

		fake_reset();
		fake.primary = false;
		fake_call(cases[i].method, cases[i].path, cases[i].body, &r);
		assert_int_equal(r.status, cases[i].status);
		assert_string_equal(r.body, cases[i].text);
		ctl_response_release(&r);
	}
}

static void
test_primary_bodies_are_checked(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/primary/forward", "{}", 400, "key(action) required.", NULL },
		{ "PUT", "/v1/primary/forward", "{\"action\":\"go\"}", 400,
		  "invalid key(action): go.", NULL },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"add\"}", 400, "key(port) required.",
		  NULL },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"mod\",\"port\":\"ring:0\"}", 400,
		  "invalid key(action): mod.", NULL },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"add\",\"port\":\"ring:0;x\"}", 400,
		  "invalid key(port): ring:0;x.", NULL },
		{ "PUT", "/v1/primary/ports", "{\"action\":\"add\",\"port\":\"pipe:0\"}", 400,
		  "key(rx) required.", NULL },
		{ "PUT", "/v1/primary/ports",
		  "{\"action\":\"add\",\"port\":\"pipe:0\",\"rx\":\"ring:0\",\"tx\":1}", 400,
		  "invalid key(tx): 1.", NULL },
		{ "PUT", "/v1/primary/patches", "{\"src\":\"ring:0\"}", 400, "key(dst) required.",
		  NULL },
		{ "PUT", "/v1/primary/patches", "{\"src\":\"ring:0\",\"dst\":\"x\"}", 400,
		  "invalid key(dst): x.", NULL },
		{ "POST", "/v1/primary/flow_rules/port_id/0", "{}", 400, "key(rule) required.",
		  NULL },
		{ "POST", "/v1/primary/flow_rules/port_id/0", "", 400, "Not in json format.",
		  NULL },
	};

	(void)state;
	RUN(cases);
}

static void
test_flow_replies_pass_through_with_200(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.reply = "{\"result\":\"error\",\"message\":\"flow rules are not supported\"}";
	fake_call("POST", "/v1/primary/flow_rules/port_id/0/validate", "{\"rule\":{}}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body,
	  "{\"result\":\"error\",\"message\":\"flow rules are not supported\"}");
	ctl_response_release(&r);
}

/* --- launch --- */

static void
test_launch_emits_whitelist_in_upstream_order(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/primary/launch",
		  "{\"client_id\":2,\"proc_name\":\"spp_vf\",\"eal\":{\"-m\":512,"
		  "\"--proc-type\":\"secondary\",\"-l\":\"1,4-5\"},"
		  "\"app\":{\"-s\":\"127.0.0.1:6666\","
		  "\"--client-id\":2}}", 204, NULL,
		  "launch 2 spp_vf -l 1,4-5 --proc-type secondary -m 512 -- --client-id 2 "
		  "-s 127.0.0.1:6666" },
		/* null, "" and true are the flag alone; others dropped. */
		{ "PUT", "/v1/primary/launch",
		  "{\"client_id\":3,\"proc_name\":\"spp_mirror\",\"eal\":{\"--no-pci\":null,"
		  "\"--lcores\":\"(1-3)@1\",\"--proc-type\":\"secondary\",\"--huge-unlink\":\"\","
		  "\"--no-hpet\":true,\"--evil\":\"x\",\"--file-prefix\":\"spp\","
		  "\"-a\":\"0000:03:00.0\","
		  "\"--vdev\":\"net_pcap0,rx_pcap=/tmp/a.pcap\"},\"app\":{\"--vhost-client\":null,"
		  "\"--evil\":1,\"--client-id\":3}}", 204, NULL,
		  "launch 3 spp_mirror --lcores (1-3)@1 --vdev net_pcap0,rx_pcap=/tmp/a.pcap "
		  "--no-pci --proc-type secondary --file-prefix spp --no-hpet --huge-unlink "
		  "-a 0000:03:00.0 -- --client-id 3 --vhost-client" },
		{ "PUT", "/v1/primary/launch",
		  "{\"client_id\":4,\"proc_name\":\"spp_vf\",\"eal\":{\"-c\":\"0x3\","
		  "\"--proc-type\":\"secondary\"},\"app\":{}}", 204, NULL,
		  "launch 4 spp_vf -c 0x3 --proc-type secondary --" },
		/* Upstream's CLI sends the id as a string. */
		{ "PUT", "/v1/primary/launch",
		  "{\"client_id\":\"5\",\"proc_name\":\"spp_vf\",\"eal\":{\"-l\":\"0,1\","
		  "\"--proc-type\":\"secondary\"},\"app\":{}}", 204, NULL,
		  "launch 5 spp_vf -l 0,1 --proc-type secondary --" },
	};

	(void)state;
	RUN(cases);
}

static void
test_launch_refuses_injection_and_bad_values(void **state)
{
	static const struct req_case cases[] = {
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{}}", 400, "key(app) required.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":\"2x\",\"proc_name\":\"spp_vf\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(client_id): 2x.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":true,\"proc_name\":\"spp_vf\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(client_id): true.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":0,\"proc_name\":\"spp_vf\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(client_id): 0.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":128,\"proc_name\":\"spp_vf\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(client_id): 128.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_nfv\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(proc_name): spp_nfv.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf; sh\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(proc_name): spp_vf; sh.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"../spp_vf\","
		  "\"eal\":{},\"app\":{}}", 400, "invalid key(proc_name): ../spp_vf.", NULL },
		/* -c/-l/--lcores and --proc-type are required. */
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\"},\"app\":{}}", 400, "invalid key(eal): {\"-l\":\"1\"}.",
		  NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"--proc-type\":\"secondary\"},\"app\":{}}", 400,
		  "invalid key(eal): {\"--proc-type\":\"secondary\"}.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":[],\"app\":{}}", 400, "invalid key(eal): [].", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\"},\"app\":\"--client-id 2\"}",
		  400, "invalid key(app): --client-id 2.", NULL },
		/* Values that would add tokens or reach a shell. */
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1 -d /tmp/x.so\",\"--proc-type\":\"secondary\"},\"app\":{}}",
		  400,
		  "invalid key(eal): {\"-l\":\"1 -d /tmp/x.so\",\"--proc-type\":\"secondary\"}.",
		  NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\\n-d\",\"--proc-type\":\"secondary\"},\"app\":{}}", 400,
		  "invalid key(eal): {\"-l\":\"1\\n-d\",\"--proc-type\":\"secondary\"}.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\\t2\",\"--proc-type\":\"secondary\"},\"app\":{}}", 400, NULL,
		  NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1;reboot\",\"--proc-type\":\"secondary\"},\"app\":{}}", 400,
		  NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"$(reboot)\",\"--proc-type\":\"secondary\"},\"app\":{}}", 400,
		  NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"--vdev\":\"a`b`\"},"
		  "\"app\":{}}", 400, NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":\"\\u0000\"},"
		  "\"app\":{}}", 400, NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":false},\"app\":{}}",
		  400,
		  "invalid key(eal): {\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":false}.",
		  NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":[512]},\"app\":{}}",
		  400,
		  NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":{}},\"app\":{}}", 400,
		  NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\",\"-m\":1.5},\"app\":{}}",
		  400,
		  NULL, NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\"},"
		  "\"app\":{\"-s\":\"127.0.0.1:6666 --vhost-client\"}}", 400,
		  "invalid key(app): {\"-s\":\"127.0.0.1:6666 --vhost-client\"}.", NULL },
		{ "PUT", "/v1/primary/launch", "{\"client_id\":2,\"proc_name\":\"spp_vf\","
		  "\"eal\":{\"-l\":\"1\",\"--proc-type\":\"secondary\"},"
		  "\"app\":{\"--client-id\":\"2\\u00e9\"}}", 400, NULL, NULL },
	};

	(void)state;
	RUN(cases);
}

/* --- bodies --- */

static char *
nested(size_t depth)
{
	char *s = malloc(depth * 2 + 32);
	size_t o = 0;

	strcpy(s, "{\"name\":");
	o = strlen(s);
	for (size_t i = 0; i < depth; i++)
		s[o++] = '[';
	for (size_t i = 0; i < depth; i++)
		s[o++] = ']';
	strcpy(s + o, "}");
	return s;
}

static void
test_deeply_nested_body_is_400_without_recursion(void **state)
{
	struct ctl_response r;
	char *body = nested(10000);
	json_error_t err;
	json_t *j;

	(void)state;
	fake_reset();
	fake_call("POST", "/v1/vfs/2/components", body, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.body, "Not in json format.");
	assert_int_equal(fake.nb_cmds, 0);
	ctl_response_release(&r);
	/* jansson itself stops at 2048 levels (2.14): a second line of defence. */
	j = json_loads(body, 0, &err);
	assert_null(j);
	free(body);

	/* Brackets inside strings are not nesting. */
	body = malloc(30000);
	strcpy(body, "{\"core\":1,\"type\":\"merge\",\"x\":\"");
	for (int i = 0; i < 20000; i++)
		strcat(body + strlen(body) - 1, "[");
	strcat(body, "\",\"name\":\"ok\"}");
	fake_call("POST", "/v1/vfs/2/components", body, &r);
	assert_int_equal(r.status, 204);
	ctl_response_release(&r);
	free(body);

	body = nested(CTL_BODY_MAX_DEPTH - 1);
	fake_call("POST", "/v1/vfs/2/components", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(strncmp(r.body, "key(core) required.", 19) == 0);
	ctl_response_release(&r);
	free(body);
}

static void
test_huge_body_values_are_refused_not_sent(void **state)
{
	struct ctl_response r;
	size_t n = CTL_BODY_MAX - 100;
	char *body = malloc(n + 100);

	(void)state;
	fake_reset();
	size_t o;

	strcpy(body, "{\"core\":1,\"type\":\"merge\",\"name\":\"");
	o = strlen(body);
	memset(body + o, 'a', n - 60);
	strcpy(body + o + n - 60, "\"}");
	fake_call("POST", "/v1/vfs/2/components", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(strncmp(r.body, "invalid key(name): aaaa", 23) == 0);
	assert_int_equal(fake.nb_cmds, 0);
	ctl_response_release(&r);

	/* A huge key list: still only the listed keys matter. */
	strcpy(body, "{");
	for (int i = 0; i < 20000; i++)
		sprintf(body + strlen(body), "\"k%d\":%d,", i, i);
	strcat(body, "\"name\":\"n\",\"core\":1,\"type\":\"merge\"}");
	fake_call("POST", "/v1/vfs/2/components", body, &r);
	assert_int_equal(r.status, 204);
	assert_string_equal(fake.cmds[0], "component start n 1 merge");
	ctl_response_release(&r);
	free(body);
}

/* --- cpu --- */

static void
mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_cpu_layout_groups_lcores_by_socket_and_core(void **state)
{
	char root[] = "/tmp/ctl_sysfs_XXXXXX";
	/* lcore: socket, core (hyper-threads 0/2 and 1/3; 4 offline; 10 on socket 1) */
	static const int cpus[][3] = { { 0, 0, 0 }, { 1, 0, 1 }, { 2, 0, 0 }, { 3, 0, 1 },
				       { 10, 1, 0 } };
	char path[256], buf[32];
	struct ctl_response r;

	(void)state;
	assert_non_null(mkdtemp(root));
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		snprintf(path, sizeof(path), "%s/cpu%d", root, cpus[i][0]);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/cpu%d/topology", root, cpus[i][0]);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/cpu%d/topology/physical_package_id", root,
			 cpus[i][0]);
		snprintf(buf, sizeof(buf), "%d\n", cpus[i][1]);
		mkfile(path, buf);
		snprintf(path, sizeof(path), "%s/cpu%d/topology/core_id", root, cpus[i][0]);
		snprintf(buf, sizeof(buf), "%d\n", cpus[i][2]);
		mkfile(path, buf);
	}
	snprintf(path, sizeof(path), "%s/cpu4", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/cpufreq", root);
	mkdir(path, 0755);
	fake_reset();
	fake.sysfs = root;
	fake_call("GET", "/v1/cpu_layout", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body,
		"[{\"socket_id\":0,\"cores\":[{\"core_id\":0,\"lcores\":[0,2]},"
		"{\"core_id\":1,\"lcores\":[1,3]}]},{\"socket_id\":1,\"cores\":[{\"core_id\":0,"
		"\"lcores\":[10]}]}]");
	ctl_response_release(&r);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	assert_int_equal(system(path), 0);
}

static void
test_cpu_usage_lists_main_lcore_then_component_cores(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.mirror3 = false;
	fake.primary = false;
	fake.reply = vf_status;
	fake_call("GET", "/v1/cpu_usage", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "[{\"proc-type\":\"vf\",\"client-id\":2,\"master-lcore\":1,"
			    "\"lcores\":[1,2,3]}]");
	ctl_response_release(&r);

	fake_reset();
	fake.vf2 = fake.mirror3 = false;
	fake.reply = "{\"master-lcore\":0,\"lcores\":[0,5]}";
	fake_call("GET", "/v1/cpu_usage", NULL, &r);
	assert_string_equal(r.body, "[{\"proc-type\":\"primary\",\"master-lcore\":0,"
			    "\"lcores\":[0,5]}]");
	ctl_response_release(&r);

	/* A process that does not answer is left out. */
	fake_reset();
	fake.ret = -EIO;
	fake_call("GET", "/v1/cpu_usage", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "[]");
	ctl_response_release(&r);
}

/* --- metrics --- */

/*
 * A strict reading of Prometheus text 0.0.4: every line is "# HELP f t",
 * "# TYPE f counter" (once per family, before its samples) or
 * 'f{l="v",...} N' of the family last typed, labels [a-z_]+ with escaped
 * values; the body ends with a newline. Returns the number of samples.
 */
static int
assert_prometheus_text(const char *body)
{
	char family[128] = "";
	int samples = 0;

	assert_true(body[0] != '\0' && body[strlen(body) - 1] == '\n');
	for (const char *line = body; *line != '\0'; line = strchr(line, '\n') + 1) {
		const char *p = line;
		size_t n;

		if (strncmp(p, "# HELP ", 7) == 0) {
			n = strcspn(p + 7, " ");
			assert_true(n > 0 && n < sizeof(family));
			assert_true(p[7 + n] == ' ' && p[8 + n] != '\n');
			memcpy(family, p + 7, n);
			family[n] = '\0';
			continue;
		}
		if (strncmp(p, "# TYPE ", 7) == 0) {
			n = strlen(family);
			assert_true(strncmp(p + 7, family, n) == 0);
			assert_true(strncmp(p + 7 + n, " counter\n", 9) == 0);
			continue;
		}
		n = strlen(family);
		assert_true(n > 0 && strncmp(p, family, n) == 0 && p[n] == '{');
		p += n + 1;
		for (;;) {
			size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz_");

			assert_true(k > 0 && p[k] == '=' && p[k + 1] == '"');
			p += k + 2;
			while (*p != '"') {
				assert_true(*p != '\n' && *p != '\0');
				if (*p == '\\') {
					assert_true(p[1] == '\\' || p[1] == '"' || p[1] == 'n');
					p++;
				}
				p++;
			}
			p++;
			if (*p == '}')
				break;
			assert_true(*p == ',');
			p++;
		}
		assert_true(p[1] == ' ');
		p += 2;
		n = strspn(p, "0123456789");
		assert_true(n > 0 && p[n] == '\n');
		samples++;
	}
	return samples;
}

static void
test_metrics_families_from_status(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.primary = false;
	fake.mirror3 = false;
	fake.reply =
		"{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":2,\"core\":[{"
		"\"core\":2,\"name\":\"c\\\"1\",\"type\":\"classifier\","
		  "\"stats\":{\"rx_packets\":10,"
		"\"rx_bytes\":640,\"tx_packets\":9,\"tx_bytes\":576,\"drop_packets\":1,"
		"\"drop_bytes\":64,\"dup_packets\":0,\"drops\":{\"no_dest\":1,\"tx_full\":0}}},"
		"{\"core\":3,\"type\":\"unuse\"}],\"port_stats\":[{\"port\":\"ring:0\","
		"\"rx_packets\":10,\"rx_bytes\":640,\"tx_packets\":0,\"tx_bytes\":0,"
		"\"drop_packets\":0,\"drop_bytes\":0}]}}";
	fake_call("GET", "/metrics", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
	/* 4 + 3 + 2 component samples, 3 + 3 port samples. */
	assert_int_equal(assert_prometheus_text(r.body), 15);
	assert_non_null(strstr(r.body, "# TYPE spp_component_packets_total counter\n"
		"spp_component_packets_total{process=\"vf:2\",client_id=\"2\","
		"component=\"c\\\"1\",type=\"classifier\",direction=\"rx\"} 10\n"));
	assert_non_null(strstr(r.body, "spp_component_packets_total{process=\"vf:2\","
		"client_id=\"2\",component=\"c\\\"1\",type=\"classifier\",direction=\"dup\"} 0\n"));
	assert_non_null(strstr(r.body, "spp_component_bytes_total{process=\"vf:2\","
		"client_id=\"2\",component=\"c\\\"1\",type=\"classifier\",direction=\"drop\"} 64\n"));
	assert_non_null(strstr(r.body, "spp_component_drops_total{process=\"vf:2\","
		"client_id=\"2\",component=\"c\\\"1\",type=\"classifier\",reason=\"no_dest\"} 1\n"));
	assert_non_null(strstr(r.body, "spp_port_packets_total{process=\"vf:2\",client_id=\"2\","
		"port=\"ring:0\",direction=\"rx\"} 10\n"));
	assert_non_null(strstr(r.body, "spp_port_bytes_total{process=\"vf:2\",client_id=\"2\","
		"port=\"ring:0\",direction=\"rx\"} 640\n"));
	assert_non_null(strstr(r.body, "# TYPE spp_primary_port_packets_total counter\n"));
	assert_non_null(strstr(r.body, "# HELP spp_primary_port_bytes_total "));
	/* The unused lcore has no samples. */
	assert_null(strstr(r.body, "unuse"));
	ctl_response_release(&r);

	fake_reset();
	fake.vf2 = fake.mirror3 = false;
	fake.reply = "{\"master-lcore\":0,\"lcores\":[0],\"phy_ports\":[{\"id\":4,\"rx\":5,"
		     "\"tx\":4,\"tx_drop\":1,\"port\":\"phy:0\",\"rx_bytes\":320,"
		     "\"tx_bytes\":256}],\"ring_ports\":[{\"id\":3,\"rx\":7,\"rx_drop\":0,"
		     "\"tx\":8,\"tx_drop\":2,\"rx_bytes\":448,\"tx_bytes\":512}],\"pipes\":[]}";
	fake_call("GET", "/metrics", NULL, &r);
	assert_int_equal(assert_prometheus_text(r.body), 10);
	/* phy:0 is ethdev 4: the UID comes from "port", not from "id". */
	assert_non_null(strstr(r.body, "spp_primary_port_packets_total{process=\"primary\","
		"port=\"phy:0\",direction=\"rx\"} 5\n"));
	assert_non_null(strstr(r.body, "spp_primary_port_packets_total{process=\"primary\","
		"port=\"phy:0\",direction=\"drop\"} 1\n"));
	assert_non_null(strstr(r.body, "spp_primary_port_packets_total{process=\"primary\","
		"port=\"ring:3\",direction=\"tx\"} 8\n"));
	assert_non_null(strstr(r.body, "spp_primary_port_bytes_total{process=\"primary\","
		"port=\"ring:3\",direction=\"tx\"} 512\n"));
	assert_non_null(strstr(r.body, "spp_primary_port_bytes_total{process=\"primary\","
		"port=\"phy:0\",direction=\"rx\"} 320\n"));
	ctl_response_release(&r);
}

/* A mirror is process="mirror:3"; with no process at all every family still has HELP/TYPE. */
static void
test_metrics_of_a_mirror_and_of_nothing_parse(void **state)
{
	struct ctl_response r;

	(void)state;
	fake_reset();
	fake.primary = false;
	fake.vf2 = false;
	fake.reply = "{\"results\":[{\"result\":\"success\"}],\"info\":{\"client-id\":3,"
		     "\"core\":[{\"core\":4,\"name\":\"m\",\"type\":\"mirror\",\"stats\":{"
		     "\"rx_packets\":3,\"rx_bytes\":192,\"tx_packets\":6,\"tx_bytes\":384,"
		     "\"drop_packets\":0,\"drop_bytes\":0,\"dup_packets\":3,\"drops\":{}}}],"
		     "\"port_stats\":[]}}";
	fake_call("GET", "/metrics", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(assert_prometheus_text(r.body), 7);
	assert_non_null(strstr(r.body, "spp_component_packets_total{process=\"mirror:3\","
		"client_id=\"3\",component=\"m\",type=\"mirror\",direction=\"dup\"} 3\n"));
	ctl_response_release(&r);

	fake_reset();
	fake.primary = fake.vf2 = fake.mirror3 = false;
	fake_call("GET", "/metrics", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(assert_prometheus_text(r.body), 0);
	assert_non_null(strstr(r.body, "# TYPE spp_port_bytes_total counter\n"));
	ctl_response_release(&r);
}

/* --- the live view web page --- */

static void
expect_file(const char *path, const char *type, const char *start, const char *part)
{
	struct ctl_response r;

	fake_reset();
	fake_call("GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, type);
	assert_non_null(r.body);
	assert_int_equal(strlen(r.body), r.body_size);
	if (strncmp(r.body, start, strlen(start)) != 0 || strstr(r.body, part) == NULL)
		fail_msg("%s: %.80s...", path, r.body);
	assert_int_equal(fake.nb_cmds, 0);
	ctl_response_release(&r);
}

static void
test_web_page_files_are_served_from_the_binary(void **state)
{
	(void)state;
	expect_file("/", "text/html; charset=utf-8", "<!DOCTYPE html>",
		    "<script src=\"/ui/app.js\"></script>");
	expect_file("/ui/index.html", "text/html; charset=utf-8", "<!DOCTYPE html>", "</html>");
	expect_file("/ui/app.js", "text/javascript; charset=utf-8", "// SPDX", "/v1/processes");
	expect_file("/ui/app.css", "text/css; charset=utf-8", "/* SPDX", "svg .edge");
	expect_405("POST", "/", "GET");
	expect_405("DELETE", "/ui/app.js", "GET");
}

static void
test_only_web_page_files_skip_the_token(void **state)
{
	static const struct {
		const char *method;
		const char *path;
		bool public;
	} cases[] = {
		{ "GET", "/", true },
		{ "HEAD", "/", true },
		{ "GET", "/ui/app.js", true },
		{ "GET", "/ui/nosuch", true },		/* a 404 without data */
		{ "POST", "/", false },
		{ "PUT", "/ui/app.js", false },
		{ "GET", "/v1/processes", false },
		{ "GET", "/v1/primary/status", false },
		{ "GET", "/v1/vfs/1", false },
		{ "GET", "/v1/openapi.json", false },
		{ "GET", "/metrics", false },
		{ "GET", "/ui", false },
		{ "GET", "/ui/", false },
		{ "GET", "/ui/a/b", false },
		{ "GET", "/nosuch", false },
		{ "GET", "//", false },
		{ "GET", "", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (ctl_rest_is_public(cases[i].method, cases[i].path) != cases[i].public)
			fail_msg("%s %s: public should be %d", cases[i].method, cases[i].path,
				 cases[i].public);
	}
}

/* --- openapi.json --- */

static void
test_openapi_describes_exactly_the_routes(void **state)
{
	json_t *doc, *paths, *item, *op;
	const char *path, *method;
	struct ctl_response r;
	unsigned int nb_ops = 0;

	(void)state;
	fake_reset();
	fake_call("GET", "/v1/openapi.json", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	doc = json_loads(r.body, 0, NULL);
	assert_non_null(doc);
	ctl_response_release(&r);
	assert_true(strncmp(json_string_value(json_object_get(doc, "openapi")), "3.", 2) == 0);
	paths = json_object_get(doc, "paths");
	for (unsigned int i = 0; i < ctl_rest_nb_routes(); i++) {
		const struct ctl_route_desc *d = ctl_rest_route(i);
		char lower[16];
		size_t k;

		for (k = 0; d->method[k] && k < sizeof(lower) - 1; k++)
			lower[k] = (char)(d->method[k] - 'A' + 'a');
		lower[k] = '\0';
		if (json_object_get(json_object_get(paths, d->pattern), lower) == NULL)
			print_error("route %s %s is not in openapi.json\n", d->method, d->pattern);
		assert_non_null(json_object_get(json_object_get(paths, d->pattern), lower));
	}
	json_object_foreach(paths, path, item) {
		json_object_foreach(item, method, op) {
			bool found = false;

			nb_ops++;
			for (unsigned int i = 0; i < ctl_rest_nb_routes(); i++) {
				const struct ctl_route_desc *d = ctl_rest_route(i);

				if (strcmp(d->pattern, path) == 0 &&
				    strcasecmp(d->method, method) == 0)
					found = true;
			}
			if (!found)
				print_error("openapi.json has %s %s, the router not\n", method,
				  path);
			assert_true(found);
			assert_non_null(json_object_get(op, "responses"));
		}
	}
	assert_int_equal(nb_ops, ctl_rest_nb_routes());
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unknown_paths_are_404_with_the_path, setup),
		cmocka_unit_test_setup(test_wrong_method_is_405_with_allow, setup),
		cmocka_unit_test_setup(test_other_responses_carry_no_allow_header, setup),
		cmocka_unit_test_setup(test_head_is_get, setup),
		cmocka_unit_test_setup(test_processes_lists_the_backend_without_commands, setup),
		cmocka_unit_test_setup(test_nfv_and_pcap_routes_are_404_sec_id, setup),
		cmocka_unit_test_setup(test_secondary_ids_are_resolved_before_the_body, setup),
		cmocka_unit_test_setup(test_component_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_component_start_bodies_are_checked_in_order, setup),
		cmocka_unit_test_setup(test_port_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_port_bodies_are_checked_in_order, setup),
		cmocka_unit_test_setup(test_classifier_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_classifier_bodies_are_checked_in_order, setup),
		cmocka_unit_test_setup(test_capture_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_log_level_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_process_replies_map_to_rest_answers, setup),
		cmocka_unit_test_setup(test_delete_sec_removes_first_and_accepts_eof, setup),
		cmocka_unit_test_setup(test_get_converts_the_status_of_a_vf, setup),
		cmocka_unit_test_setup(test_get_converts_mirror_status_without_table, setup),
		cmocka_unit_test_setup(test_primary_routes_send_their_commands, setup),
		cmocka_unit_test_setup(test_primary_body_before_lookup_but_patches_forward, setup),
		cmocka_unit_test_setup(test_primary_bodies_are_checked, setup),
		cmocka_unit_test_setup(test_flow_replies_pass_through_with_200, setup),
		cmocka_unit_test_setup(test_launch_emits_whitelist_in_upstream_order, setup),
		cmocka_unit_test_setup(test_launch_refuses_injection_and_bad_values, setup),
		cmocka_unit_test_setup(test_deeply_nested_body_is_400_without_recursion, setup),
		cmocka_unit_test_setup(test_huge_body_values_are_refused_not_sent, setup),
		cmocka_unit_test_setup(test_cpu_layout_groups_lcores_by_socket_and_core, setup),
		cmocka_unit_test_setup(test_cpu_usage_lists_main_lcore_then_component_cores, setup),
		cmocka_unit_test_setup(test_metrics_families_from_status, setup),
		cmocka_unit_test_setup(test_metrics_of_a_mirror_and_of_nothing_parse, setup),
		cmocka_unit_test_setup(test_web_page_files_are_served_from_the_binary, setup),
		cmocka_unit_test_setup(test_only_web_page_files_skip_the_token, setup),
		cmocka_unit_test_setup(test_openapi_describes_exactly_the_routes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
