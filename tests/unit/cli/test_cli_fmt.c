/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output formats of SPEC §7.8 on the example JSON of SPEC §5.11, §5.12
 * (converted as GET /v1/vfs|mirrors/N, §7.4) and §6.2.
 */
#include "cli_test.h"

#include "cli_fmt.h"

/* SPEC §5.11 through the §7.4 conversion ("stats" shortened). */
static const char vf_json[] =
	"{\"client-id\":2,\"ports\":[\"phy:0\",\"phy:1\",\"vhost:0\",\"ring:0\"],"
	"\"master-lcore\":1,\"components\":["
	"{\"core\":2,\"name\":\"cls\",\"type\":\"classifier\",\"rx_port\":[{\"port\":\"phy:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"vhost:0\","
	"\"vlan\":{\"operation\":\"del\",\"id\":0,\"pcp\":0}},{\"port\":\"ring:0\",\"vlan\":"
	"{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"stats\":{\"rx_packets\":1500}},"
	"{\"core\":3,\"name\":\"fwd\",\"type\":\"forward\",\"rx_port\":[{\"port\":\"ring:0\","
	"\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],\"tx_port\":[{\"port\":\"phy:1\","
	"\"vlan\":{\"operation\":\"add\",\"id\":100,\"pcp\":3}}],\"stats\":{}},"
	"{\"core\":4,\"type\":\"unuse\"}],"
	"\"classifier_table\":[{\"type\":\"vlan\",\"value\":\"100/52:54:00:12:34:57\","
	"\"port\":\"ring:0\"},{\"type\":\"mac\",\"value\":\"default\",\"port\":\"ring:0\"},"
	"{\"type\":\"mac\",\"value\":\"52:54:00:12:34:56\",\"port\":\"vhost:0\"}],"
	"\"port_stats\":[],\"captures\":[]}";

static const char vf_text[] =
	"Basic Information:\n"
	"  - client-id: 2\n"
	"  - ports: [phy:0, phy:1, vhost:0, ring:0]\n"
	"  - lcore_ids:\n"
	"    - master: 1\n"
	"    - slaves: [2, 3, 4]\n"
	"Classifier Table:\n"
	"  - 100/52:54:00:12:34:57, ring:0\n"
	"  - default, ring:0\n"
	"  - 52:54:00:12:34:56, vhost:0\n"
	"Components:\n"
	"  - core:2 'cls' (type: classifier)\n"
	"    - rx: phy:0\n"
	"    - tx: vhost:0 (vlan operation: del)\n"
	"    - tx: ring:0\n"
	"  - core:3 'fwd' (type: forward)\n"
	"    - rx: ring:0\n"
	"    - tx: phy:1 (vlan operation: add, id: 100, pcp: 3)\n"
	"  - core:4 '' (type: unuse)\n";

/* SPEC §5.12 through the §7.5 conversion. */
static const char mirror_json[] =
	"{\"client-id\":3,\"ports\":[\"phy:0\",\"phy:1\",\"ring:1\",\"ring:2\",\"ring:3\"],"
	"\"master-lcore\":6,\"components\":[{\"core\":7,\"name\":\"tap1\",\"type\":\"mirror\","
	"\"rx_port\":[{\"port\":\"ring:1\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],"
	"\"tx_port\":[{\"port\":\"ring:2\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}},"
	"{\"port\":\"ring:3\",\"vlan\":{\"operation\":\"none\",\"id\":0,\"pcp\":0}}],"
	"\"stats\":{},\"copy_mode\":\"deep\"},{\"core\":8,\"type\":\"unuse\"}],"
	"\"port_stats\":[],\"captures\":[],\"copy_mode\":\"deep\"}";

static const char mirror_text[] =
	"Basic Information:\n"
	"  - client-id: 3\n"
	"  - ports: [phy:0, phy:1, ring:1, ring:2, ring:3]\n"
	"  - lcore_ids:\n"
	"    - master: 6\n"
	"    - slaves: [7, 8]\n"
	"Components:\n"
	"  - core:7 'tap1' (type: mirror)\n"
	"    - rx: ring:1\n"
	"    - tx: [ring:2, ring:3]\n"
	"  - core:8 '' (type: unuse)\n";

/* SPEC §6.2. */
static const char pri_json[] =
	"{\"master-lcore\":0,\"lcores\":[0],\"phy_ports\":[{\"id\":0,\"eth\":\"02:00:00:00:00:10\","
	"\"rx\":1500,\"tx\":0,\"tx_drop\":0,\"nof_queues\":{\"rx\":1,\"tx\":1},\"flow\":[],"
	"\"port\":\"phy:0\",\"rx_bytes\":96000,\"tx_bytes\":0,\"rx_missed\":0,\"link\":\"up\"}],"
	"\"ring_ports\":[{\"id\":0,\"rx\":503,\"rx_drop\":0,\"tx\":503,\"tx_drop\":0,"
	"\"rx_bytes\":32192,\"tx_bytes\":32192,\"occupancy\":0,\"capacity\":1023}],\"pipes\":[]}";

static const char pri_text[] =
	"- lcore_ids:\n"
	"  - master: 0\n"
	"- pipes:\n"
	"- stats\n"
	"  - physical ports:\n"
	"      ID          rx          tx     tx_drop  rxq  txq mac_addr\n"
	"       0        1500           0           0    1    1 02:00:00:00:00:10\n"
	"  - ring ports:\n"
	"      ID          rx          tx     rx_drop     tx_drop\n"
	"       0         503         503           0           0\n";

static void
expect(int (*fn)(FILE *, const json_t *), const char *json, const char *text)
{
	json_t *j = load(json);
	struct mem m;
	char *out;

	mem_open(&m);
	assert_int_equal(fn(m.f, j), 0);
	out = mem_text(&m);
	assert_string_equal(out, text);
	free(out);
	json_decref(j);
}

static void
test_vf_status_prints_upstream_layout(void **state)
{
	(void)state;
	expect(cli_fmt_vf_status, vf_json, vf_text);
}

static void
test_vf_status_without_entries_says_no_entries(void **state)
{
	(void)state;
	expect(cli_fmt_vf_status,
	       "{\"client-id\":1,\"ports\":[],\"master-lcore\":0,\"components\":"
	       "[{\"core\":1,\"type\":\"unuse\"}],\"classifier_table\":[]}",
	       "Basic Information:\n"
	       "  - client-id: 1\n"
	       "  - ports: []\n"
	       "  - lcore_ids:\n"
	       "    - master: 0\n"
	       "    - slaves: [1]\n"
	       "Classifier Table:\n"
	       "  No entries.\n"
	       "Components:\n"
	       "  - core:1 '' (type: unuse)\n");
}

static void
test_mirror_status_prints_tx_list(void **state)
{
	(void)state;
	expect(cli_fmt_mirror_status, mirror_json, mirror_text);
}

static void
test_mirror_status_one_worker_says_slave(void **state)
{
	(void)state;
	expect(cli_fmt_mirror_status,
	       "{\"client-id\":4,\"ports\":[\"ring:0\"],\"master-lcore\":0,\"components\":"
	       "[{\"core\":5,\"name\":\"m\",\"type\":\"mirror\",\"rx_port\":[],\"tx_port\":[]}]}",
	       "Basic Information:\n"
	       "  - client-id: 4\n"
	       "  - ports: [ring:0]\n"
	       "  - lcore_ids:\n"
	       "    - master: 0\n"
	       "    - slave: 5\n"
	       "Components:\n"
	       "  - core:5 'm' (type: mirror)\n"
	       "    - rx: \n"
	       "    - tx: \n");
}

static void
test_pri_status_prints_tables(void **state)
{
	(void)state;
	expect(cli_fmt_pri_status, pri_json, pri_text);
}

static void
test_pri_status_lists_slaves(void **state)
{
	(void)state;
	expect(cli_fmt_pri_status, "{\"lcores\":[0,1]}",
	       "- lcore_ids:\n  - master: 0\n  - slave: 1\n");
	expect(cli_fmt_pri_status, "{\"lcores\":[0,1,2]}",
	       "- lcore_ids:\n  - master: 0\n  - slaves: [1, 2]\n");
}

static int
status_at_addr(FILE *f, const json_t *j)
{
	return cli_fmt_status(f, "127.0.0.1:7777", j);
}

static void
test_status_groups_nfv_vf_mirror_pcap(void **state)
{
	(void)state;
	expect(status_at_addr,
	       "[{\"type\":\"primary\"},{\"type\":\"mirror\",\"client-id\":1},"
	       "{\"type\":\"vf\",\"client-id\":2},{\"type\":\"vf\",\"client-id\":3}]",
	       "- spp-ctl:\n"
	       "  - address: 127.0.0.1:7777\n"
	       "- primary:\n"
	       "  - status: running\n"
	       "- secondary:\n"
	       "  - processes:\n"
	       "    1: vf:2\n"
	       "    2: vf:3\n"
	       "    3: mirror:1\n");
}

static void
test_status_without_primary_says_not_running(void **state)
{
	(void)state;
	expect(status_at_addr, "[]",
	       "- spp-ctl:\n"
	       "  - address: 127.0.0.1:7777\n"
	       "- primary:\n"
	       "  - status: not running\n"
	       "- secondary:\n"
	       "  - processes:\n");
}

static void
test_status_rejects_missing_keys(void **state)
{
	json_t *j = load("{\"client-id\":1}");
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_fmt_vf_status(m.f, j), -EINVAL);
	assert_int_equal(cli_fmt_status(m.f, "x", j), -EINVAL);
	free(mem_text(&m));
	json_decref(j);
}

static void
test_error_prints_body_and_detail_line(void **state)
{
	struct mem m;
	char *out;

	(void)state;
	mem_open(&m);
	cli_fmt_error(m.f, 400, "command error: error occur",
		      "classifier table is full (4096 entries)");
	cli_fmt_error(m.f, 404, "sec_id 5 not found.", NULL);
	cli_fmt_error(m.f, 500, "", NULL);
	out = mem_text(&m);
	assert_string_equal(out,
			    "Error: command error: error occur\n"
			    "classifier table is full (4096 entries)\n"
			    "Error: sec_id 5 not found.\n"
			    "Error: HTTP 500\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vf_status_prints_upstream_layout),
		cmocka_unit_test(test_vf_status_without_entries_says_no_entries),
		cmocka_unit_test(test_mirror_status_prints_tx_list),
		cmocka_unit_test(test_mirror_status_one_worker_says_slave),
		cmocka_unit_test(test_pri_status_prints_tables),
		cmocka_unit_test(test_pri_status_lists_slaves),
		cmocka_unit_test(test_status_groups_nfv_vf_mirror_pcap),
		cmocka_unit_test(test_status_without_primary_says_not_running),
		cmocka_unit_test(test_status_rejects_missing_keys),
		cmocka_unit_test(test_error_prints_body_and_detail_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
