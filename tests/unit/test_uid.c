/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port UIDs (SPEC §3.1): the input form "type:num[nqQ]", number ranges,
 * the canonical output form and the status order phy, vhost, ring.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "spp_uid.h"

static void
assert_parses(const char *str, enum spp_port_type type, uint16_t num, int16_t queue)
{
	struct spp_port_id id;

	memset(&id, 0xa5, sizeof(id));
	assert_int_equal(spp_uid_parse(str, &id), 0);
	assert_int_equal(id.type, type);
	assert_int_equal(id.num, num);
	assert_int_equal(id.queue, queue);
}

static void
assert_rejected(const char *str)
{
	struct spp_port_id id;

	assert_int_equal(spp_uid_parse(str, &id), -EINVAL);
}

static struct spp_port_id
uid(enum spp_port_type type, uint16_t num, int16_t queue)
{
	struct spp_port_id id = { .type = type, .num = num, .queue = queue };

	return id;
}

/* ---- parse: accepted forms ---- */

static void
test_parse_phy(void **state)
{
	(void)state;
	assert_parses("phy:0", SPP_PORT_PHY, 0, SPP_NO_QUEUE);
}

static void
test_parse_ring(void **state)
{
	(void)state;
	assert_parses("ring:3", SPP_PORT_RING, 3, SPP_NO_QUEUE);
}

static void
test_parse_vhost(void **state)
{
	(void)state;
	assert_parses("vhost:1", SPP_PORT_VHOST, 1, SPP_NO_QUEUE);
}

static void
test_parse_phy_31_is_the_highest_phy(void **state)
{
	(void)state;
	assert_parses("phy:31", SPP_PORT_PHY, 31, SPP_NO_QUEUE);
}

static void
test_parse_ring_1023_is_the_highest_ring(void **state)
{
	(void)state;
	assert_parses("ring:1023", SPP_PORT_RING, 1023, SPP_NO_QUEUE);
}

static void
test_parse_vhost_255_is_the_highest_vhost(void **state)
{
	(void)state;
	assert_parses("vhost:255", SPP_PORT_VHOST, 255, SPP_NO_QUEUE);
}

static void
test_parse_leading_zeros_are_decimal_not_octal(void **state)
{
	(void)state;
	assert_parses("phy:010", SPP_PORT_PHY, 10, SPP_NO_QUEUE);
}

static void
test_parse_leading_zeros_on_ring_are_decimal(void **state)
{
	(void)state;
	assert_parses("ring:0009", SPP_PORT_RING, 9, SPP_NO_QUEUE);
}

static void
test_parse_phy_with_queue(void **state)
{
	(void)state;
	assert_parses("phy:0nq1", SPP_PORT_PHY, 0, 1);
}

static void
test_parse_queue_63_is_the_highest_queue(void **state)
{
	(void)state;
	assert_parses("phy:31nq63", SPP_PORT_PHY, 31, 63);
}

static void
test_parse_queue_0_is_a_queue(void **state)
{
	(void)state;
	assert_parses("phy:2nq0", SPP_PORT_PHY, 2, 0);
}

static void
test_parse_queue_with_leading_zeros_is_decimal(void **state)
{
	(void)state;
	assert_parses("phy:1nq010", SPP_PORT_PHY, 1, 10);
}

/* ---- parse: rejected forms, one per test ---- */

static void
test_parse_rejects_phy_32(void **state)
{
	(void)state;
	assert_rejected("phy:32");
}

static void
test_parse_rejects_ring_1024(void **state)
{
	(void)state;
	assert_rejected("ring:1024");
}

static void
test_parse_rejects_vhost_256(void **state)
{
	(void)state;
	assert_rejected("vhost:256");
}

static void
test_parse_rejects_queue_64(void **state)
{
	(void)state;
	assert_rejected("phy:0nq64");
}

static void
test_parse_rejects_huge_number_without_overflow(void **state)
{
	(void)state;
	/* 2^64 + 1 would wrap to 1 with an unchecked accumulator. */
	assert_rejected("ring:18446744073709551617");
}

static void
test_parse_rejects_missing_number(void **state)
{
	(void)state;
	assert_rejected("phy:");
}

static void
test_parse_rejects_non_digit_number(void **state)
{
	(void)state;
	assert_rejected("phy:x");
}

static void
test_parse_rejects_trailing_garbage(void **state)
{
	(void)state;
	assert_rejected("phy:0x");
}

static void
test_parse_rejects_queue_on_ring(void **state)
{
	(void)state;
	assert_rejected("ring:1nq0");
}

static void
test_parse_queue_on_vhost(void **state)
{
	(void)state;
	/* Multi-queue vhost (issue 5): same form as phy. */
	assert_parses("vhost:1nq0", SPP_PORT_VHOST, 1, 0);
	assert_parses("vhost:255nq63", SPP_PORT_VHOST, 255, 63);
	assert_rejected("vhost:1nq64");
	assert_rejected("vhost:1nq");
}

static void
test_parse_rejects_upper_case_type(void **state)
{
	(void)state;
	assert_rejected("PHY:0");
}

static void
test_parse_rejects_output_form_with_spaces(void **state)
{
	(void)state;
	assert_rejected("phy:0 nq 1");
}

static void
test_parse_rejects_nq_without_queue(void **state)
{
	(void)state;
	assert_rejected("phy:0nq");
}

static void
test_parse_rejects_queue_with_garbage(void **state)
{
	(void)state;
	assert_rejected("phy:0nq1x");
}

static void
test_parse_rejects_unknown_type(void **state)
{
	(void)state;
	assert_rejected("tap:0");
}

static void
test_parse_rejects_empty_string(void **state)
{
	(void)state;
	assert_rejected("");
}

static void
test_parse_rejects_signed_number(void **state)
{
	(void)state;
	assert_rejected("ring:+1");
}

static void
test_parse_rejects_negative_number(void **state)
{
	(void)state;
	assert_rejected("ring:-1");
}

static void
test_parse_rejects_leading_space(void **state)
{
	(void)state;
	assert_rejected(" phy:0");
}

static void
test_parse_rejects_type_without_colon(void **state)
{
	(void)state;
	assert_rejected("phy0");
}

/* ---- format ---- */

static void
assert_formats(struct spp_port_id id, const char *expected)
{
	char buf[SPP_UID_STR_SIZE];

	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(spp_uid_format(&id, buf, sizeof(buf)), buf);
	assert_string_equal(buf, expected);
}

static void
test_format_phy(void **state)
{
	(void)state;
	assert_formats(uid(SPP_PORT_PHY, 0, SPP_NO_QUEUE), "phy:0");
}

static void
test_format_ring(void **state)
{
	(void)state;
	assert_formats(uid(SPP_PORT_RING, 3, SPP_NO_QUEUE), "ring:3");
}

static void
test_format_vhost(void **state)
{
	(void)state;
	assert_formats(uid(SPP_PORT_VHOST, 1, SPP_NO_QUEUE), "vhost:1");
	assert_formats(uid(SPP_PORT_VHOST, 255, 63), "vhost:255 nq 63");
}

static void
test_format_queue_has_spaces_around_nq(void **state)
{
	(void)state;
	assert_formats(uid(SPP_PORT_PHY, 0, 1), "phy:0 nq 1");
}

static void
test_format_longest_uid_fits_the_buffer(void **state)
{
	(void)state;
	assert_formats(uid(SPP_PORT_PHY, 31, 63), "phy:31 nq 63");
	assert_formats(uid(SPP_PORT_RING, 1023, SPP_NO_QUEUE), "ring:1023");
	assert_formats(uid(SPP_PORT_VHOST, 255, SPP_NO_QUEUE), "vhost:255");
}

static void
test_format_of_parsed_leading_zeros_is_canonical(void **state)
{
	struct spp_port_id id;
	char buf[SPP_UID_STR_SIZE];

	(void)state;
	assert_int_equal(spp_uid_parse("phy:03nq07", &id), 0);
	assert_string_equal(spp_uid_format(&id, buf, sizeof(buf)), "phy:3 nq 7");
}

/* ---- equal / compare ---- */

static void
test_equal_distinguishes_queues(void **state)
{
	struct spp_port_id a = uid(SPP_PORT_PHY, 0, 0);
	struct spp_port_id b = uid(SPP_PORT_PHY, 0, 1);
	struct spp_port_id c = uid(SPP_PORT_PHY, 0, SPP_NO_QUEUE);

	(void)state;
	assert_true(spp_uid_equal(&a, &a));
	assert_false(spp_uid_equal(&a, &b));
	assert_false(spp_uid_equal(&a, &c));
}

static void
test_equal_distinguishes_types_with_the_same_number(void **state)
{
	struct spp_port_id a = uid(SPP_PORT_RING, 1, SPP_NO_QUEUE);
	struct spp_port_id b = uid(SPP_PORT_VHOST, 1, SPP_NO_QUEUE);

	(void)state;
	assert_false(spp_uid_equal(&a, &b));
}

static void
test_compare_orders_phy_then_vhost_then_ring(void **state)
{
	struct spp_port_id phy = uid(SPP_PORT_PHY, 31, SPP_NO_QUEUE);
	struct spp_port_id vhost = uid(SPP_PORT_VHOST, 0, SPP_NO_QUEUE);
	struct spp_port_id ring = uid(SPP_PORT_RING, 0, SPP_NO_QUEUE);

	(void)state;
	assert_true(spp_uid_compare(&phy, &vhost) < 0);
	assert_true(spp_uid_compare(&vhost, &ring) < 0);
	assert_true(spp_uid_compare(&phy, &ring) < 0);
	assert_true(spp_uid_compare(&ring, &vhost) > 0);
	assert_true(spp_uid_compare(&ring, &phy) > 0);
}

static void
test_compare_orders_numbers_ascending(void **state)
{
	struct spp_port_id a = uid(SPP_PORT_RING, 2, SPP_NO_QUEUE);
	struct spp_port_id b = uid(SPP_PORT_RING, 10, SPP_NO_QUEUE);

	(void)state;
	assert_true(spp_uid_compare(&a, &b) < 0);
	assert_true(spp_uid_compare(&b, &a) > 0);
}

static void
test_compare_orders_queues_ascending(void **state)
{
	struct spp_port_id a = uid(SPP_PORT_PHY, 1, 0);
	struct spp_port_id b = uid(SPP_PORT_PHY, 1, 3);
	struct spp_port_id c = uid(SPP_PORT_PHY, 2, 0);

	(void)state;
	assert_true(spp_uid_compare(&a, &b) < 0);
	assert_true(spp_uid_compare(&b, &c) < 0);
}

static void
test_compare_equal_uids_is_zero(void **state)
{
	struct spp_port_id a = uid(SPP_PORT_VHOST, 7, SPP_NO_QUEUE);
	struct spp_port_id b = uid(SPP_PORT_VHOST, 7, SPP_NO_QUEUE);

	(void)state;
	assert_int_equal(spp_uid_compare(&a, &b), 0);
}

/* ---- spp_parse_uint ---- */

static void
test_parse_uint_accepts_max(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(spp_parse_uint("4094", 4094, &v), 0);
	assert_int_equal(v, 4094);
}

static void
test_parse_uint_rejects_max_plus_one(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(spp_parse_uint("4095", 4094, &v), -EINVAL);
}

static void
test_parse_uint_rejects_empty(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(spp_parse_uint("", 10, &v), -EINVAL);
}

static void
test_parse_uint_rejects_trailing_garbage(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(spp_parse_uint("12a", 100, &v), -EINVAL);
}

static void
test_parse_uint_leading_zeros_are_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(spp_parse_uint("010", 100, &v), 0);
	assert_int_equal(v, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_phy),
		cmocka_unit_test(test_parse_ring),
		cmocka_unit_test(test_parse_vhost),
		cmocka_unit_test(test_parse_phy_31_is_the_highest_phy),
		cmocka_unit_test(test_parse_ring_1023_is_the_highest_ring),
		cmocka_unit_test(test_parse_vhost_255_is_the_highest_vhost),
		cmocka_unit_test(test_parse_leading_zeros_are_decimal_not_octal),
		cmocka_unit_test(test_parse_leading_zeros_on_ring_are_decimal),
		cmocka_unit_test(test_parse_phy_with_queue),
		cmocka_unit_test(test_parse_queue_63_is_the_highest_queue),
		cmocka_unit_test(test_parse_queue_0_is_a_queue),
		cmocka_unit_test(test_parse_queue_with_leading_zeros_is_decimal),
		cmocka_unit_test(test_parse_rejects_phy_32),
		cmocka_unit_test(test_parse_rejects_ring_1024),
		cmocka_unit_test(test_parse_rejects_vhost_256),
		cmocka_unit_test(test_parse_rejects_queue_64),
		cmocka_unit_test(test_parse_rejects_huge_number_without_overflow),
		cmocka_unit_test(test_parse_rejects_missing_number),
		cmocka_unit_test(test_parse_rejects_non_digit_number),
		cmocka_unit_test(test_parse_rejects_trailing_garbage),
		cmocka_unit_test(test_parse_rejects_queue_on_ring),
		cmocka_unit_test(test_parse_queue_on_vhost),
		cmocka_unit_test(test_parse_rejects_upper_case_type),
		cmocka_unit_test(test_parse_rejects_output_form_with_spaces),
		cmocka_unit_test(test_parse_rejects_nq_without_queue),
		cmocka_unit_test(test_parse_rejects_queue_with_garbage),
		cmocka_unit_test(test_parse_rejects_unknown_type),
		cmocka_unit_test(test_parse_rejects_empty_string),
		cmocka_unit_test(test_parse_rejects_signed_number),
		cmocka_unit_test(test_parse_rejects_negative_number),
		cmocka_unit_test(test_parse_rejects_leading_space),
		cmocka_unit_test(test_parse_rejects_type_without_colon),
		cmocka_unit_test(test_format_phy),
		cmocka_unit_test(test_format_ring),
		cmocka_unit_test(test_format_vhost),
		cmocka_unit_test(test_format_queue_has_spaces_around_nq),
		cmocka_unit_test(test_format_longest_uid_fits_the_buffer),
		cmocka_unit_test(test_format_of_parsed_leading_zeros_is_canonical),
		cmocka_unit_test(test_equal_distinguishes_queues),
		cmocka_unit_test(test_equal_distinguishes_types_with_the_same_number),
		cmocka_unit_test(test_compare_orders_phy_then_vhost_then_ring),
		cmocka_unit_test(test_compare_orders_numbers_ascending),
		cmocka_unit_test(test_compare_orders_queues_ascending),
		cmocka_unit_test(test_compare_equal_uids_is_zero),
		cmocka_unit_test(test_parse_uint_accepts_max),
		cmocka_unit_test(test_parse_uint_rejects_max_plus_one),
		cmocka_unit_test(test_parse_uint_rejects_empty),
		cmocka_unit_test(test_parse_uint_rejects_trailing_garbage),
		cmocka_unit_test(test_parse_uint_leading_zeros_are_decimal),
	};

	return cmocka_run_group_tests_name("uid", tests, NULL, NULL);
}
