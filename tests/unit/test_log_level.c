/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log_level TYPE LEVEL [EXT] (docs/observability.md "Logging"): the token
 * count, the type pattern checked before the level, level names and
 * numbers, and no change to the model.
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

#include "spp_cmd.h"

struct fixture {
	struct spp_port_env env;
	struct spp_model *cur;
	struct spp_model *next;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->cur = spp_model_create();
	f->next = spp_model_create();
	if (f->cur == NULL || f->next == NULL)
		return -1;
	f->env.client_id = 2;
	f->env.kinds = 1u << SPP_COMP_FORWARD;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	spp_model_destroy(f->cur);
	spp_model_destroy(f->next);
	free(f);
	return 0;
}

static struct spp_cmd_result
parse(void **state, const char *line, int expected_ret)
{
	struct fixture *f = *state;
	struct spp_cmd_result res;

	assert_int_equal(spp_cmd_parse(&f->env, f->cur, line, f->next, &res), expected_ret);
	assert_false(res.changed);
	return res;
}

static void
test_log_level_pattern_and_name_is_success_without_change(void **state)
{
	struct spp_cmd_result res = parse(state, "log_level spp.* debug", 0);

	assert_int_equal(res.kind, SPP_CMD_LOG_LEVEL);
	assert_null(res.error);
	assert_string_equal(res.log_type, "spp.*");
	assert_int_equal(res.log_level, 8);
}

static void
test_log_level_names_map_to_rte_log_levels(void **state)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};

	for (int i = 0; i < 8; i++) {
		char line[64];

		snprintf(line, sizeof(line), "log_level spp.worker %s", names[i]);
		assert_int_equal(parse(state, line, 0).log_level, i + 1);
	}
	assert_int_equal(parse(state, "log_level spp.vf ERROR", 0).log_level, 4);
	assert_int_equal(parse(state, "log_level spp.vf Info", 0).log_level, 7);
}

static void
test_log_level_numbers_one_to_eight_are_levels(void **state)
{
	assert_int_equal(parse(state, "log_level * 1", 0).log_level, 1);
	assert_int_equal(parse(state, "log_level * 8", 0).log_level, 8);
}

static void
test_log_level_zero_nine_and_words_are_invalid_level(void **state)
{
	assert_string_equal(parse(state, "log_level spp.vf 0", -EINVAL).error, SPP_ERR_LOG_LEVEL);
	assert_string_equal(parse(state, "log_level spp.vf 9", -EINVAL).error, SPP_ERR_LOG_LEVEL);
	assert_string_equal(parse(state, "log_level spp.vf verbose", -EINVAL).error,
			    SPP_ERR_LOG_LEVEL);
	assert_string_equal(parse(state, "log_level spp.vf -1", -EINVAL).error,
			    SPP_ERR_LOG_LEVEL);
}

static void
test_log_level_type_with_other_bytes_is_invalid_log_type(void **state)
{
	assert_string_equal(parse(state, "log_level spp/vf debug", -EINVAL).error,
			    SPP_ERR_LOG_TYPE);
	assert_string_equal(parse(state, "log_level spp,vf debug", -EINVAL).error,
			    SPP_ERR_LOG_TYPE);
}

static void
test_log_level_type_is_checked_before_level(void **state)
{
	assert_string_equal(parse(state, "log_level spp;vf verbose", -EINVAL).error,
			    SPP_ERR_LOG_TYPE);
}

static void
test_log_level_type_of_64_bytes_is_invalid_and_63_is_valid(void **state)
{
	char line[128];

	snprintf(line, sizeof(line), "log_level %063d debug", 0);
	assert_int_equal(parse(state, line, 0).log_level, 8);
	snprintf(line, sizeof(line), "log_level %064d debug", 0);
	assert_string_equal(parse(state, line, -EINVAL).error, SPP_ERR_LOG_TYPE);
}

static void
test_log_level_with_two_or_four_tokens_is_wrong_message_format(void **state)
{
	assert_string_equal(parse(state, "log_level spp.*", -EINVAL).error, SPP_ERR_FORMAT);
	assert_string_equal(parse(state, "log_level spp.* debug now", -EINVAL).error,
			    SPP_ERR_FORMAT);
}

static void
test_log_level_parse_is_shared_with_the_primary(void **state)
{
	const char *error;
	int level = 0;

	(void)state;
	assert_int_equal(spp_log_level_parse("spp.primary", "notice", &level, &error), 0);
	assert_int_equal(level, 6);
	assert_null(error);
	assert_int_equal(spp_log_level_parse("", "debug", &level, &error), -EINVAL);
	assert_string_equal(error, SPP_ERR_LOG_TYPE);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_log_level_pattern_and_name_is_success_without_change),
		T(test_log_level_names_map_to_rte_log_levels),
		T(test_log_level_numbers_one_to_eight_are_levels),
		T(test_log_level_zero_nine_and_words_are_invalid_level),
		T(test_log_level_type_with_other_bytes_is_invalid_log_type),
		T(test_log_level_type_is_checked_before_level),
		T(test_log_level_type_of_64_bytes_is_invalid_and_63_is_valid),
		T(test_log_level_with_two_or_four_tokens_is_wrong_message_format),
		T(test_log_level_parse_is_shared_with_the_primary),
	};

	return cmocka_run_group_tests_name("log_level", tests, NULL, NULL);
}
