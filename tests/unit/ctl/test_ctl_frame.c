/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reply framing of spp-ctl (SPEC §4.3): one complete JSON value by
 * bracket depth outside strings, in any number of pieces, of any size;
 * and the bearer token check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_frame.h"
#include "ctl_rest.h"

/* Feed text in pieces of step bytes; returns the first value found. */
static char *
frame_in_pieces(const char *text, size_t step, size_t *consumed)
{
	struct ctl_frame f;
	size_t len = strlen(text), have = 0, begin, end;

	ctl_frame_reset(&f);
	while (have < len) {
		have += step;
		if (have > len)
			have = len;
		switch (ctl_frame_scan(&f, text, have, &begin, &end)) {
		case CTL_FRAME_DONE:
			*consumed = end;
			return strndup(text + begin, end - begin);
		case CTL_FRAME_BAD:
			return NULL;
		case CTL_FRAME_MORE:
			break;
		}
	}
	*consumed = 0;
	return strdup("");
}

static void
test_value_ends_at_its_closing_brace_in_any_pieces(void **state)
{
	const char *text = "{\"results\":[{\"result\":\"success\"}]}\n{\"next\":1}";
	size_t consumed;

	(void)state;
	for (size_t step = 1; step < 60; step++) {
		char *v = frame_in_pieces(text, step, &consumed);

		assert_string_equal(v, "{\"results\":[{\"result\":\"success\"}]}");
		assert_int_equal(consumed, strlen("{\"results\":[{\"result\":\"success\"}]}"));
		free(v);
	}
}

static void
test_brackets_and_escapes_inside_strings_are_not_structure(void **state)
{
	const char *text = "{\"a\":\"}]\\\"{[\\\\\",\"b\":[\"\\\\\"]}tail";
	size_t consumed;
	char *v;

	(void)state;
	for (size_t step = 1; step < 8; step++) {
		v = frame_in_pieces(text, step, &consumed);
		assert_string_equal(v, "{\"a\":\"}]\\\"{[\\\\\",\"b\":[\"\\\\\"]}");
		free(v);
	}
}

static void
test_leading_blanks_and_nuls_are_skipped(void **state)
{
	char text[] = "\n\r \t X{}";
	struct ctl_frame f;
	size_t begin, end;

	(void)state;
	text[5] = '\0';		/* a NUL, as upstream's padded replies */
	ctl_frame_reset(&f);
	assert_int_equal(ctl_frame_scan(&f, text, 5, &begin, &end), CTL_FRAME_MORE);
	assert_int_equal(ctl_frame_scan(&f, text, 8, &begin, &end), CTL_FRAME_DONE);
	assert_int_equal(begin, 6);
	assert_int_equal(end, 8);
}

static void
test_reply_not_starting_with_a_bracket_is_bad(void **state)
{
	struct ctl_frame f;
	size_t begin, end;

	(void)state;
	ctl_frame_reset(&f);
	assert_int_equal(ctl_frame_scan(&f, "  error", 7, &begin, &end), CTL_FRAME_BAD);
	ctl_frame_reset(&f);
	assert_int_equal(ctl_frame_scan(&f, "\"x\"", 3, &begin, &end), CTL_FRAME_BAD);
}

static void
test_a_status_of_4096_entries_is_one_value(void **state)
{
	size_t size = 4096 * 80 + 256, o = 0, consumed;
	char *text = malloc(size);
	char *v;

	(void)state;
	o += (size_t)sprintf(text + o, "{\"results\":[{\"result\":\"success\"}],\"info\":{"
			     "\"classifier_table\":[");
	for (int i = 0; i < 4096; i++)
		o += (size_t)sprintf(text + o, "%s{\"type\":\"mac\","
				     "\"value\":\"02:00:00:00:%02X:%02X\",\"port\":\"ring:%d\"}",
				     i ? "," : "", i >> 8, i & 0xff, i % 8);
	o += (size_t)sprintf(text + o, "]}}\n");
	for (size_t step = 1000; step < 70000; step *= 4) {
		v = frame_in_pieces(text, step, &consumed);
		assert_int_equal(strlen(v), o - 1);
		assert_int_equal(consumed, o - 1);
		free(v);
	}
	free(text);
}

static void
test_bearer_token_is_required_when_set(void **state)
{
	(void)state;
	assert_true(ctl_rest_authorized(NULL, NULL));
	assert_true(ctl_rest_authorized("junk", NULL));
	assert_true(ctl_rest_authorized("Bearer s3cret", "s3cret"));
	assert_true(ctl_rest_authorized("bearer s3cret", "s3cret"));
	assert_true(ctl_rest_authorized("Bearer  s3cret ", "s3cret"));
	assert_false(ctl_rest_authorized(NULL, "s3cret"));
	assert_false(ctl_rest_authorized("", "s3cret"));
	assert_false(ctl_rest_authorized("s3cret", "s3cret"));
	assert_false(ctl_rest_authorized("Basic s3cret", "s3cret"));
	assert_false(ctl_rest_authorized("Bearer s3cre", "s3cret"));
	assert_false(ctl_rest_authorized("Bearer s3crett", "s3cret"));
	assert_false(ctl_rest_authorized("Bearer S3cret", "s3cret"));
	assert_false(ctl_rest_authorized("Bearer ", "s3cret"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_ends_at_its_closing_brace_in_any_pieces),
		cmocka_unit_test(test_brackets_and_escapes_inside_strings_are_not_structure),
		cmocka_unit_test(test_leading_blanks_and_nuls_are_skipped),
		cmocka_unit_test(test_reply_not_starting_with_a_bracket_is_bad),
		cmocka_unit_test(test_a_status_of_4096_entries_is_one_value),
		cmocka_unit_test(test_bearer_token_is_required_when_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
