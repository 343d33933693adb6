/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * top: rates from two samples of a primary and a vf (per process interval,
 * counters going backwards, rows new in the second sample) and the table.
 */
#include "cli_test.h"

#include "cli_top.h"

/* A vf with a forward fed by phy:0 and an idle merge; sampled at t. */
static json_t *
sample(double pri_t, double vf_t, long long fwd_rx, long long fwd_drop_full, long long phy0_rx,
       long long ring_tx, bool with_merge)
{
	json_t *doc = json_pack(
		"{s:{s:[{s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:s}],s:[{s:I,s:I,s:I,s:I,s:I,s:I,s:I}]},"
		"s:f,"
		"s:[{s:s,s:I,s:f,s:{s:[{s:I,s:s,s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
		"s:{s:I,s:I,s:I,s:I,s:I,s:I}}},{s:I,s:s}],"
		"s:[{s:s,s:I,s:I,s:I,s:I,s:I,s:I}]}}]}",
		"primary",
		"phy_ports", "id", (json_int_t)0, "port", "phy:0", "rx", (json_int_t)phy0_rx,
		"rx_bytes", (json_int_t)(phy0_rx * 64), "tx", (json_int_t)0, "tx_bytes",
		(json_int_t)0, "tx_drop", (json_int_t)0, "rx_missed", (json_int_t)(phy0_rx / 100),
		"link", "up",
		"ring_ports", "id", (json_int_t)0, "rx", (json_int_t)0, "rx_drop", (json_int_t)0,
		"tx", (json_int_t)ring_tx, "tx_drop", (json_int_t)0, "rx_bytes", (json_int_t)0,
		"tx_bytes", (json_int_t)(ring_tx * 100),
		"primary_t", pri_t,
		"secondaries", "type", "vf", "client-id", (json_int_t)1, "t", vf_t, "status",
		"components", "core", (json_int_t)2, "name", "fwd", "type", "forward", "stats",
		"rx_packets", (json_int_t)fwd_rx, "rx_bytes", (json_int_t)(fwd_rx * 64),
		"tx_packets", (json_int_t)(fwd_rx - fwd_drop_full), "tx_bytes",
		(json_int_t)((fwd_rx - fwd_drop_full) * 64), "drop_packets",
		(json_int_t)fwd_drop_full, "drop_bytes", (json_int_t)(fwd_drop_full * 64),
		"dup_packets", (json_int_t)0, "drops", "no_dest", (json_int_t)0, "tx_full",
		(json_int_t)fwd_drop_full, "link_down", (json_int_t)0, "nombuf", (json_int_t)0,
		"vlan_error", (json_int_t)0, "malformed", (json_int_t)0,
		"core", (json_int_t)3, "type", "unuse",
		"port_stats", "port", "phy:0", "rx_packets", (json_int_t)fwd_rx, "rx_bytes",
		(json_int_t)(fwd_rx * 64), "tx_packets", (json_int_t)0, "tx_bytes", (json_int_t)0,
		"drop_packets", (json_int_t)0, "drop_bytes", (json_int_t)0);

	assert_non_null(doc);
	if (with_merge) {
		json_t *comps = json_object_get(json_object_get(json_array_get(
				json_object_get(doc, "secondaries"), 0), "status"), "components");

		json_array_append_new(comps, load(
			"{\"core\":3,\"name\":\"mrg\",\"type\":\"merge\",\"stats\":{"
			"\"rx_packets\":5,\"rx_bytes\":320,\"tx_packets\":5,\"tx_bytes\":320,"
			"\"drop_packets\":0,\"drop_bytes\":0,\"dup_packets\":0,\"drops\":{}}}"));
	}
	return doc;
}

static const struct cli_top_row *
row(const struct cli_top *top, const char *proc, const char *name)
{
	for (int i = 0; i < top->nb_rows; i++)
		if (strcmp(top->rows[i].proc, proc) == 0 && strcmp(top->rows[i].name, name) == 0)
			return &top->rows[i];
	fail_msg("no row %s %s", proc, name);
	return NULL;
}

static void
test_rates_are_deltas_over_each_process_interval(void **state)
{
	/* The primary is read 2 s apart, the vf 4 s apart. */
	json_t *a = sample(10.0, 10.5, 1000, 10, 2000, 0, false);
	json_t *b = sample(12.0, 14.5, 9000, 50, 6000, 300, false);
	const struct cli_top_row *r;
	struct cli_top top;

	(void)state;
	assert_int_equal(cli_top_compute(a, b, &top), 0);
	/* phy:0, ring:0 of the primary; fwd and phy:0 of vf:1; no unused lcore. */
	assert_int_equal(top.nb_rows, 4);
	assert_string_equal(top.rows[0].proc, "primary");
	assert_string_equal(top.rows[0].name, "phy:0");
	assert_string_equal(top.rows[1].name, "ring:0");
	assert_string_equal(top.rows[2].name, "fwd");
	assert_string_equal(top.rows[2].type, "forward");
	assert_string_equal(top.rows[3].name, "phy:0");
	assert_string_equal(top.rows[3].type, "port");

	r = row(&top, "vf:1", "fwd");
	assert_true(r->known);
	assert_true(r->rx_pps == 2000.0);		/* 8000 packets in 4 s */
	assert_true(r->rx_bps == 2000.0 * 64 * 8);
	assert_true(r->tx_pps == 1990.0);
	assert_true(r->drop_pps == 10.0);
	assert_true(r->reason_pps[1] == 10.0);		/* tx_full */
	assert_true(r->reason_pps[0] == 0.0);

	r = &top.rows[0];				/* primary phy:0, 2 s */
	assert_true(r->rx_pps == 2000.0);
	assert_true(r->tx_pps == 0.0);
	assert_true(r->reason_pps[6] == 20.0);		/* rx_missed */
	r = &top.rows[1];				/* ring:0 */
	assert_true(r->tx_pps == 150.0);
	assert_true(r->tx_bps == 150.0 * 100 * 8);
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

static void
test_first_sample_and_new_rows_are_unknown(void **state)
{
	json_t *a = sample(10.0, 10.0, 1000, 0, 1000, 0, false);
	json_t *b = sample(11.0, 11.0, 2000, 0, 2000, 0, true);
	struct cli_top top;

	(void)state;
	assert_int_equal(cli_top_compute(NULL, a, &top), 0);
	assert_int_equal(top.nb_rows, 4);
	for (int i = 0; i < top.nb_rows; i++)
		assert_false(top.rows[i].known);
	cli_top_free(&top);

	assert_int_equal(cli_top_compute(a, b, &top), 0);
	assert_int_equal(top.nb_rows, 5);
	assert_true(row(&top, "vf:1", "fwd")->known);
	assert_false(row(&top, "vf:1", "mrg")->known);	/* started in between */
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

static void
test_counter_going_backwards_counts_from_zero(void **state)
{
	/* fwd restarted: 500 packets since, in 1 s; primary cleared likewise. */
	json_t *a = sample(10.0, 10.0, 100000, 0, 100000, 0, false);
	json_t *b = sample(11.0, 11.0, 500, 0, 700, 0, false);
	struct cli_top top;

	(void)state;
	assert_int_equal(cli_top_compute(a, b, &top), 0);
	assert_true(row(&top, "vf:1", "fwd")->rx_pps == 500.0);
	assert_true(row(&top, "primary", "phy:0")->rx_pps == 700.0);
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

static void
test_same_time_twice_is_unknown_not_infinite(void **state)
{
	json_t *a = sample(10.0, 10.0, 100, 0, 100, 0, false);
	json_t *b = sample(10.0, 10.0, 200, 0, 200, 0, false);
	struct cli_top top;

	(void)state;
	assert_int_equal(cli_top_compute(a, b, &top), 0);
	for (int i = 0; i < top.nb_rows; i++)
		assert_false(top.rows[i].known);
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

static void
test_human_numbers_fit_six_columns(void **state)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{ 0, "0" }, { -3, "0" }, { 0.5, "0.50" }, { 12, "12" }, { 999, "999" },
		{ 999.6, "1.00K" }, { 1234, "1.23K" }, { 45600, "45.6K" }, { 14880952, "14.9M" },
		{ 789e9, "789G" }, { 1.2e15, "1.20P" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(cli_top_human(cases[i].v, buf, sizeof(buf)), cases[i].text);
		assert_true(strlen(buf) <= 6);
	}
}

static void
test_table_lists_rates_and_nonzero_reasons(void **state)
{
	json_t *a = sample(10.0, 10.0, 1000, 0, 1000, 0, false);
	json_t *b = sample(11.0, 11.0, 1001000, 2000, 1001000, 0, true);
	struct cli_top top;
	struct mem m;
	char *text;

	(void)state;
	assert_int_equal(cli_top_compute(a, b, &top), 0);
	mem_open(&m);
	cli_top_format(m.f, &top, 0);
	text = mem_text(&m);
	assert_string_equal(text,
		"PROCESS    NAME             TYPE         RX_PPS   RX_BPS   TX_PPS   TX_BPS "
		" DROP_PPS  DROPS/S BY REASON\n"
		"primary    phy:0            port          1.00M     512M        0        0 "
		"        0  rx_missed=10.0K\n"
		"primary    ring:0           port              0        0        0        0 "
		"        0\n"
		"vf:1       fwd              forward       1.00M     512M     998K     511M "
		"    2.00K  tx_full=2.00K\n"
		"vf:1       mrg              merge             -        -        -        - "
		"        -\n"
		"vf:1       phy:0            port          1.00M     512M        0        0 "
		"        0\n");
	free(text);

	/* Cut to a width, every line. */
	mem_open(&m);
	cli_top_format(m.f, &top, 20);
	text = mem_text(&m);
	assert_string_equal(text, "PROCESS    NAME     \nprimary    phy:0    \n"
			    "primary    ring:0   \nvf:1       fwd      \nvf:1       mrg      \n"
			    "vf:1       phy:0    \n");
	free(text);
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

static void
test_json_rows_carry_numbers_and_the_reasons_of_their_kind(void **state)
{
	json_t *a = sample(10.0, 10.0, 1000, 0, 1000, 0, false);
	json_t *b = sample(12.0, 12.0, 3000, 100, 5000, 0, true);
	struct cli_top top;
	json_t *rows;
	char *text;

	(void)state;
	assert_int_equal(cli_top_compute(a, b, &top), 0);
	rows = cli_top_json(&top);
	assert_non_null(rows);
	text = json_dumps(json_array_get(rows, 0), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"process\":\"primary\",\"name\":\"phy:0\",\"type\":\"port\","
			    "\"rx_pps\":2000.0,\"rx_bps\":1024000.0,\"tx_pps\":0.0,"
			    "\"tx_bps\":0.0,\"drop_pps\":0.0,\"drops\":{\"rx_missed\":20.0}}");
	free(text);
	text = json_dumps(json_array_get(rows, 1), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"process\":\"primary\",\"name\":\"ring:0\",\"type\":\"port\","
			    "\"rx_pps\":0.0,\"rx_bps\":0.0,\"tx_pps\":0.0,\"tx_bps\":0.0,"
			    "\"drop_pps\":0.0,\"drops\":{}}");
	free(text);
	text = json_dumps(json_array_get(rows, 2), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"process\":\"vf:1\",\"name\":\"fwd\",\"type\":\"forward\","
			    "\"rx_pps\":1000.0,\"rx_bps\":512000.0,\"tx_pps\":950.0,"
			    "\"tx_bps\":486400.0,\"drop_pps\":50.0,\"drops\":{\"no_dest\":0.0,"
			    "\"tx_full\":50.0,\"link_down\":0.0,\"nombuf\":0.0,"
			    "\"vlan_error\":0.0,\"malformed\":0.0}}");
	free(text);
	/* mrg started in between: rates unknown. */
	text = json_dumps(json_array_get(rows, 3), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"process\":\"vf:1\",\"name\":\"mrg\",\"type\":\"merge\","
			    "\"rx_pps\":null,\"rx_bps\":null,\"tx_pps\":null,\"tx_bps\":null,"
			    "\"drop_pps\":null,\"drops\":{\"no_dest\":null,\"tx_full\":null,"
			    "\"link_down\":null,\"nombuf\":null,\"vlan_error\":null,"
			    "\"malformed\":null}}");
	free(text);
	assert_int_equal(json_array_size(rows), 5);
	json_decref(rows);
	cli_top_free(&top);
	json_decref(a);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_are_deltas_over_each_process_interval),
		cmocka_unit_test(test_first_sample_and_new_rows_are_unknown),
		cmocka_unit_test(test_counter_going_backwards_counts_from_zero),
		cmocka_unit_test(test_same_time_twice_is_unknown_not_infinite),
		cmocka_unit_test(test_human_numbers_fit_six_columns),
		cmocka_unit_test(test_table_lists_rates_and_nonzero_reasons),
		cmocka_unit_test(test_json_rows_carry_numbers_and_the_reasons_of_their_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
