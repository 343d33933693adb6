/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The counter region of a client id (spp_stats_region.h): component slots
 * freed and reused across start/stop churn, a full region, port slots
 * found again by UID, and a reset that zeroes everything and bumps the
 * generation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spp_model.h"
#include "spp_stats_region.h"

#define OWNER	UINT64_C(0x0200001234000042)

static int
setup(void **state)
{
	struct spp_stats_region *r = aligned_alloc(64, sizeof(*r));

	if (r == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	spp_stats_region_reset(r, 2, "vf", OWNER);
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
test_reset_sets_header_and_first_generation(void **state)
{
	struct spp_stats_region *r = *state;

	assert_true(spp_stats_region_valid(r));
	assert_int_equal(r->client_id, 2);
	assert_string_equal(r->type, "vf");
	assert_true(r->owner == OWNER);
	assert_int_equal(r->generation, 1);
	assert_int_equal(spp_stats_nb_comps(r), 0);
	assert_int_equal(spp_stats_nb_ports(r), 0);
}

static void
test_comp_alloc_names_the_slot_and_zeroes_counters(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_comp_stats *s;

	r->comps[0].stats.rx_packets = 99;	/* left over from an earlier user */
	s = spp_stats_comp_alloc(r, "fwd1", SPP_COMP_FORWARD, 3);
	assert_ptr_equal(s, &r->comps[0].stats);
	assert_int_equal(s->rx_packets, 0);
	assert_string_equal(r->comps[0].name, "fwd1");
	assert_int_equal(r->comps[0].kind, SPP_COMP_FORWARD);
	assert_int_equal(r->comps[0].lcore, 3);
	assert_int_equal(spp_stats_nb_comps(r), 1);
}

static void
test_comp_churn_reuses_freed_slots(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_comp_stats *keep = spp_stats_comp_alloc(r, "keep", SPP_COMP_MERGE, 2);

	for (int i = 0; i < 10 * SPP_MAX_COMPONENTS; i++) {
		struct spp_comp_stats *s = spp_stats_comp_alloc(r, "churn", SPP_COMP_FORWARD, 3);

		assert_non_null(s);
		assert_ptr_not_equal(s, keep);
		s->rx_packets = 7;
		spp_stats_comp_free(r, s);
	}
	assert_int_equal(spp_stats_nb_comps(r), 1);
	assert_ptr_equal(spp_stats_comp_alloc(r, "x", SPP_COMP_FORWARD, 3), &r->comps[1].stats);
	assert_int_equal(r->comps[1].stats.rx_packets, 0);
}

static void
test_comp_full_region_returns_null_until_a_slot_is_freed(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_comp_stats *all[SPP_MAX_COMPONENTS];
	char name[16];

	for (int i = 0; i < SPP_MAX_COMPONENTS; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		all[i] = spp_stats_comp_alloc(r, name, SPP_COMP_FORWARD, 1);
		assert_non_null(all[i]);
	}
	assert_null(spp_stats_comp_alloc(r, "one_more", SPP_COMP_FORWARD, 1));
	spp_stats_comp_free(r, all[77]);
	assert_ptr_equal(spp_stats_comp_alloc(r, "one_more", SPP_COMP_FORWARD, 1), all[77]);
	assert_string_equal(r->comps[77].name, "one_more");
}

static void
test_comp_free_of_null_or_foreign_pointer_changes_nothing(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_comp_stats foreign;

	assert_non_null(spp_stats_comp_alloc(r, "a", SPP_COMP_FORWARD, 1));
	spp_stats_comp_free(r, NULL);
	spp_stats_comp_free(r, &foreign);
	assert_int_equal(spp_stats_nb_comps(r), 1);
}

static void
test_port_alloc_returns_the_same_slot_for_the_same_uid(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_port_stats *a = spp_stats_port_alloc(r, "phy:0");
	struct spp_port_stats *b = spp_stats_port_alloc(r, "ring:3");

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	a->rx.packets = 5;
	assert_ptr_equal(spp_stats_port_alloc(r, "phy:0"), a);
	assert_int_equal(a->rx.packets, 5);
	assert_string_equal(r->ports[1].uid, "ring:3");
	assert_int_equal(spp_stats_nb_ports(r), 2);
}

static void
test_port_full_region_returns_null_for_a_new_uid_only(void **state)
{
	struct spp_stats_region *r = *state;
	char uid[SPP_UID_STR_SIZE];

	for (int i = 0; i < SPP_STATS_MAX_PORTS; i++) {
		snprintf(uid, sizeof(uid), "ring:%d", i);
		assert_non_null(spp_stats_port_alloc(r, uid));
	}
	assert_null(spp_stats_port_alloc(r, "vhost:1"));
	assert_ptr_equal(spp_stats_port_alloc(r, "ring:7"), &r->ports[7].stats);
}

static void
test_reset_zeroes_counters_frees_slots_and_bumps_generation(void **state)
{
	struct spp_stats_region *r = *state;
	struct spp_comp_stats *c = spp_stats_comp_alloc(r, "fwd", SPP_COMP_FORWARD, 1);
	struct spp_port_stats *p = spp_stats_port_alloc(r, "phy:1");

	c->tx_packets = 10;
	p->tx.packets = 10;
	spp_stats_region_reset(r, 2, "mirror", OWNER + 1);
	assert_int_equal(r->generation, 2);
	assert_true(r->owner == OWNER + 1);
	assert_string_equal(r->type, "mirror");
	assert_int_equal(spp_stats_nb_comps(r), 0);
	assert_int_equal(spp_stats_nb_ports(r), 0);
	assert_int_equal(c->tx_packets, 0);
	assert_int_equal(p->tx.packets, 0);
}

static void
test_reset_of_foreign_memory_starts_at_generation_one(void **state)
{
	struct spp_stats_region *r = *state;

	memset(r, 0x5a, sizeof(*r));
	spp_stats_region_reset(r, 9, "vf", OWNER);
	assert_int_equal(r->generation, 1);
	assert_int_equal(spp_stats_nb_comps(r), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_sets_header_and_first_generation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_comp_alloc_names_the_slot_and_zeroes_counters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_comp_churn_reuses_freed_slots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_comp_full_region_returns_null_until_a_slot_is_freed, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_comp_free_of_null_or_foreign_pointer_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_port_alloc_returns_the_same_slot_for_the_same_uid, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_port_full_region_returns_null_for_a_new_uid_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_reset_zeroes_counters_frees_slots_and_bumps_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_reset_of_foreign_memory_starts_at_generation_one, setup, teardown),
	};

	return cmocka_run_group_tests_name("stats_region", tests, NULL, NULL);
}
