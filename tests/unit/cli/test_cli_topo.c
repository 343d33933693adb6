/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topo: DOT text and text rendering of a primary, a vf and a mirror
 * sharing rings.
 */
#include "cli_test.h"

#include "cli_topo.h"

static const char topo_json[] =
	"{\"primary\":{\"master-lcore\":0,\"lcores\":[0],\"phy_ports\":["
	"{\"id\":0,\"eth\":\"02:00:00:00:00:10\",\"port\":\"phy:0\",\"link\":\"up\"},"
	"{\"id\":1,\"eth\":\"02:00:00:00:00:11\",\"port\":\"phy:1\",\"link\":\"down\"}],"
	"\"ring_ports\":[{\"id\":0},{\"id\":1}],\"pipes\":[]},"
	"\"secondaries\":[{\"type\":\"vf\",\"client-id\":2,\"status\":{"
	"\"client-id\":2,\"ports\":[\"phy:0\",\"phy:1\",\"vhost:0\",\"ring:0\"],"
	"\"master-lcore\":1,\"components\":["
	"{\"core\":2,\"name\":\"cls\",\"type\":\"classifier\",\"rx_port\":[{\"port\":\"phy:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"vhost:0\","
	"\"vlan\":{\"operation\":\"del\",\"id\":0,\"pcp\":0}},{\"port\":\"ring:0\",\"vlan\":"
	"{\"operation\":\"none\",\"id\":0,\"pcp\":0}}]},"
	"{\"core\":3,\"name\":\"fwd\",\"type\":\"forward\",\"rx_port\":[{\"port\":\"ring:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"phy:1\","
	"\"vlan\":{\"operation\":\"add\",\"id\":100,\"pcp\":3}}]},"
	"{\"core\":4,\"type\":\"unuse\"}],\"classifier_table\":[]}},"
	"{\"type\":\"mirror\",\"client-id\":3,\"status\":{\"client-id\":3,\"ports\":[],"
	"\"master-lcore\":0,\"components\":[{\"core\":7,\"name\":\"tap1\",\"type\":\"mirror\","
	"\"rx_port\":[{\"port\":\"ring:1\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],"
	"\"tx_port\":[{\"port\":\"ring:2\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}},"
	"{\"port\":\"ring:3\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],"
	"\"copy_mode\":\"deep\"}]}}]}";

static void
assert_contains(const char *text, const char *part)
{
	assert_non_null(text);
	if (strstr(text, part) == NULL)
		fail_msg("missing '%s' in:\n%s", part, text);
}

static void
test_dot_has_nodes_clusters_and_edges(void **state)
{
	json_t *topo = load(topo_json);
	char *dot = cli_topo_dot(topo);

	(void)state;
	assert_non_null(dot);
	assert_true(strncmp(dot, "digraph spp {\n", 14) == 0);
	assert_contains(dot, "subgraph cluster_primary {");
	assert_contains(dot, "\"phy:0\" [label=\"phy:0\\n02:00:00:00:00:10\", shape=box");
	assert_contains(dot, "subgraph \"cluster_vf:2\" {");
	assert_contains(dot, "subgraph \"cluster_mirror:3\" {");
	assert_contains(dot, "\"vf:2/cls\" [label=\"cls\\nclassifier (core 2)\", shape=ellipse];");
	assert_contains(dot, "\"vhost:0\" [shape=box3d");
	assert_contains(dot, "\"ring:0\" [shape=cds");
	assert_contains(dot, "\"phy:0\" -> \"vf:2/cls\";");
	assert_contains(dot, "\"vf:2/cls\" -> \"vhost:0\" [label=\"del_vlantag\"];");
	assert_contains(dot, "\"vf:2/cls\" -> \"ring:0\";");
	assert_contains(dot, "\"ring:0\" -> \"vf:2/fwd\";");
	assert_contains(dot, "\"vf:2/fwd\" -> \"phy:1\" [label=\"add_vlantag 100 3\"];");
	assert_contains(dot, "\"ring:1\" -> \"mirror:3/tap1\";");
	assert_contains(dot, "\"mirror:3/tap1\" -> \"ring:2\";");
	assert_contains(dot, "\"mirror:3/tap1\" -> \"ring:3\" [label=\"copy\", style=dashed];");
	/* Unused lcores draw nothing; phy ports appear once. */
	assert_null(strstr(dot, "unuse"));
	assert_null(strstr(strstr(dot, "\"phy:0\" [") + 1, "\"phy:0\" ["));
	assert_true(dot[strlen(dot) - 2] == '}');
	free(dot);
	json_decref(topo);
}

static void
test_dot_escapes_quotes(void **state)
{
	json_t *topo = load("{\"primary\":null,\"secondaries\":[{\"type\":\"vf\",\"client-id\":1,"
			    "\"status\":{\"components\":[{\"core\":1,\"name\":\"a\\\"b\","
			    "\"type\":\"forward\",\"rx_port\":[],\"tx_port\":[]}]}}]}");
	char *dot = cli_topo_dot(topo);

	(void)state;
	assert_contains(dot, "\"vf:1/a\\\"b\"");
	free(dot);
	json_decref(topo);
}

static void
test_text_lists_processes_and_paths(void **state)
{
	json_t *topo = load(topo_json);
	struct mem m;
	char *out;

	(void)state;
	mem_open(&m);
	cli_topo_text(m.f, topo);
	out = mem_text(&m);
	assert_string_equal(out,
			    "primary: running, 2 rings\n"
			    "  phy:0 (02:00:00:00:00:10, link up)\n"
			    "  phy:1 (02:00:00:00:00:11, link down)\n"
			    "vf:2\n"
			    "  cls (classifier, core 2): phy:0 -> vhost:0 [del_vlantag], ring:0\n"
			    "  fwd (forward, core 3): ring:0 -> phy:1 [add_vlantag 100 3]\n"
			    "  core 4: unused\n"
			    "mirror:3\n"
			    "  tap1 (mirror, core 7, deep): ring:1 -> ring:2, ring:3 (copy)\n");
	free(out);
	json_decref(topo);
}

static void
test_text_without_processes(void **state)
{
	json_t *topo = load("{\"primary\":null,\"secondaries\":[]}");
	struct mem m;
	char *out;

	(void)state;
	mem_open(&m);
	cli_topo_text(m.f, topo);
	out = mem_text(&m);
	assert_string_equal(out, "primary: not running\nno secondary\n");
	free(out);
	json_decref(topo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_has_nodes_clusters_and_edges),
		cmocka_unit_test(test_dot_escapes_quotes),
		cmocka_unit_test(test_text_lists_processes_and_paths),
		cmocka_unit_test(test_text_without_processes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
