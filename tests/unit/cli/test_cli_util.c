/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text helpers: line normalisation (blanks and ';'), word splitting,
 * numbers, percent-encoding, server addresses, growable strings.
 */
#include "cli_test.h"

#include "cli_util.h"

static void
expect_norm(const char *in, const char *want)
{
	char out[128];

	assert_int_equal(cli_normalize(in, out, sizeof(out)), (int)strlen(want));
	assert_string_equal(out, want);
}

static void
test_normalize_collapses_blanks_and_drops_them_around_semicolons(void **state)
{
	(void)state;
	expect_norm("", "");
	expect_norm("   \t\r\n", "");
	expect_norm("status", "status");
	expect_norm("  vf  1 ;  status  ", "vf 1;status");
	expect_norm("vf\t1;\tport  add ring:0\trx a\r\n", "vf 1;port add ring:0 rx a");
	expect_norm("pri ; status", "pri;status");
	expect_norm("a ; ; b", "a;;b");
}

static void
test_normalize_reports_overflow(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(cli_normalize("abcd", out, sizeof(out)), -ENOSPC);
	assert_int_equal(cli_normalize("abc", out, sizeof(out)), 3);
}

static void
test_split_counts_words_and_refuses_too_many(void **state)
{
	char buf[64] = "port add ring:0 rx a";
	char more[64] = "a b c";
	char empty[4] = "";
	char *w[8];

	(void)state;
	assert_int_equal(cli_split(buf, w, 8), 5);
	assert_string_equal(w[0], "port");
	assert_string_equal(w[4], "a");
	assert_int_equal(cli_split(empty, w, 8), 0);
	assert_int_equal(cli_split(more, w, 2), -E2BIG);
}

static void
test_numbers_are_decimal_digits_in_range(void **state)
{
	long v;

	(void)state;
	assert_int_equal(cli_parse_uint("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cli_parse_uint("010", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cli_parse_uint("11", 0, 10, &v), -EINVAL);
	assert_int_equal(cli_parse_uint("-1", 0, 10, &v), -EINVAL);
	assert_int_equal(cli_parse_uint("1x", 0, 10, &v), -EINVAL);
	assert_int_equal(cli_parse_uint("", 0, 10, &v), -EINVAL);
	assert_int_equal(cli_parse_uint("99999999999", 0, 2147483647L, &v), -EINVAL);
	assert_true(cli_is_digits("123"));
	assert_false(cli_is_digits("12a"));
	assert_false(cli_is_digits(NULL));
}

static void
test_url_encode_keeps_unreserved_only(void **state)
{
	char *e;

	(void)state;
	e = cli_url_encode("fwd-1_a.b~");
	assert_string_equal(e, "fwd-1_a.b~");
	free(e);
	e = cli_url_encode("a/b c?%#!");
	assert_string_equal(e, "a%2Fb%20c%3F%25%23%21");
	free(e);
	e = cli_url_encode("\xc3\xa9");
	assert_string_equal(e, "%C3%A9");
	free(e);
}

static void
test_server_parse_defaults_port_7777(void **state)
{
	struct cli_server s;

	(void)state;
	assert_int_equal(cli_server_parse("127.0.0.1", &s), 0);
	assert_string_equal(s.host, "127.0.0.1");
	assert_int_equal(s.port, 7777);
	assert_int_equal(cli_server_parse("localhost:7778", &s), 0);
	assert_string_equal(s.host, "localhost");
	assert_int_equal(s.port, 7778);
	assert_int_equal(cli_server_parse("10.0.0.1:0", &s), -EINVAL);
	assert_int_equal(cli_server_parse("10.0.0.1:65536", &s), -EINVAL);
	assert_int_equal(cli_server_parse("10.0.0.1:x", &s), -EINVAL);
	assert_int_equal(cli_server_parse(":7777", &s), -EINVAL);
	assert_int_equal(cli_server_parse("a b:7777", &s), -EINVAL);
	assert_int_equal(cli_server_parse("h/x", &s), -EINVAL);
}

static void
test_str_grows(void **state)
{
	struct cli_str s = { 0 };

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cli_str_printf(&s, "%d,", i % 10), 0);
	assert_int_equal(s.len, 2000);
	assert_int_equal(strlen(s.buf), 2000);
	assert_memory_equal(s.buf, "0,1,2,", 6);
	cli_str_free(&s);
	assert_null(s.buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_collapses_blanks_and_drops_them_around_semicolons),
		cmocka_unit_test(test_normalize_reports_overflow),
		cmocka_unit_test(test_split_counts_words_and_refuses_too_many),
		cmocka_unit_test(test_numbers_are_decimal_digits_in_range),
		cmocka_unit_test(test_url_encode_keeps_unreserved_only),
		cmocka_unit_test(test_server_parse_defaults_port_7777),
		cmocka_unit_test(test_str_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
