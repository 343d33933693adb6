/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lookup table of one classifier (SPEC §8.5): exact (VID, MAC) match,
 * per-VLAN default D(v), the general default G = D(untagged) for tagged
 * VLANs only, flood sets, and entries inactive in this classifier.
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

#include "spp_cls_table.h"
#include "spp_cmd.h"
#include "spp_model.h"

#define U	SPP_VID_UNTAGGED

struct fixture {
	struct spp_model *m;
	struct spp_comp_cfg *cls;	/* comps[0], the classifier under test */
	struct spp_cls_table *t;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->m = spp_model_create();
	if (f->m == NULL)
		return -1;
	f->m->nb_comps = 2;
	f->cls = &f->m->comps[0];
	snprintf(f->cls->name, sizeof(f->cls->name), "cls");
	f->cls->lcore = 2;
	f->cls->kind = SPP_COMP_CLASSIFIER;
	snprintf(f->m->comps[1].name, sizeof(f->m->comps[1].name), "cls2");
	f->m->comps[1].lcore = 3;
	f->m->comps[1].kind = SPP_COMP_CLASSIFIER;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	spp_cls_table_destroy(f->t);
	spp_model_destroy(f->m);
	free(f);
	return 0;
}

static struct spp_port_id
uid(const char *str)
{
	struct spp_port_id id;

	assert_int_equal(spp_uid_parse(str, &id), 0);
	return id;
}

/* Attach port as the next tx port of c; returns its tx index. */
static int
add_tx(struct spp_comp_cfg *c, const char *port)
{
	c->tx[c->nb_tx].port = uid(port);
	return c->nb_tx++;
}

static void
parse_mac(const char *str, uint8_t mac[6])
{
	assert_int_equal(spp_mac_parse(str, mac), 0);
}

/* mac NULL = "default". */
static void
add_entry(struct spp_model *m, uint16_t vid, const char *mac, const char *port)
{
	struct spp_cls_entry *e = &m->entries[m->nb_entries++];

	memset(e, 0, sizeof(*e));
	e->vid = vid;
	e->is_default = mac == NULL;
	if (mac != NULL)
		parse_mac(mac, e->mac);
	e->port = uid(port);
}

static struct spp_cls_table *
build(struct fixture *f)
{
	spp_cls_table_destroy(f->t);
	f->t = spp_cls_table_create(f->m, f->cls);
	assert_non_null(f->t);
	return f->t;
}

static int
unicast(struct fixture *f, uint16_t vid, const char *mac_str)
{
	uint8_t mac[6];

	parse_mac(mac_str, mac);
	return spp_cls_table_unicast(f->t, vid, mac);
}

static int
lookup(struct fixture *f, uint16_t vid, const char *mac_str)
{
	uint8_t mac[6];

	parse_mac(mac_str, mac);
	return spp_cls_table_lookup(f->t, vid, mac);
}

#define BIT(i)	(UINT64_C(1) << (i))
#define FIX	struct fixture *f = *state

/* ---- exact match ---- */

static void
test_lookup_finds_the_tx_index_of_one_entry(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	int i = add_tx(f->cls, "vhost:0");

	add_entry(f->m, U, "52:54:00:12:34:56", "vhost:0");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), i);
	assert_int_equal(f->t->nb_entries, 1);
}

static void
test_lookup_of_unknown_mac_is_no_dest(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:0");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:57"), SPP_CLS_NO_DEST);
}

/* An all-zero untagged frame has key 0, the key of an empty slot: it went to tx port 0. */
static void
test_lookup_of_all_zero_mac_is_no_dest_not_an_empty_slot(void **state)
{
	FIX;
	static const uint8_t zero[6];

	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:0");
	build(f);
	assert_int_equal(spp_cls_table_lookup(f->t, U, zero), SPP_CLS_NO_DEST);
	assert_int_equal(spp_cls_table_unicast(f->t, U, zero), SPP_CLS_NO_DEST);
}

static void
test_lookup_in_empty_table_is_no_dest(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	build(f);
	assert_int_equal(f->t->nb_entries, 0);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(unicast(f, 5, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_lookup_of_mac_in_other_vlan_is_no_dest(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, 100, "52:54:00:12:34:56", "ring:0");
	build(f);
	assert_int_equal(lookup(f, 100, "52:54:00:12:34:56"), 0);
	assert_int_equal(lookup(f, 101, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_same_mac_in_two_vlans_goes_to_each_vlans_port(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, 10, "52:54:00:12:34:56", "ring:0");
	add_entry(f->m, 20, "52:54:00:12:34:56", "ring:1");
	build(f);
	assert_int_equal(lookup(f, 10, "52:54:00:12:34:56"), 0);
	assert_int_equal(lookup(f, 20, "52:54:00:12:34:56"), 1);
}

static void
test_lookup_finds_all_4096_entries_at_their_index(void **state)
{
	FIX;
	char mac[18], port[16];

	for (int p = 0; p < SPP_MAX_PORTS_PER_DIR; p++) {
		snprintf(port, sizeof(port), "vhost:%d", p);
		add_tx(f->cls, port);
	}
	for (int i = 0; i < SPP_MAX_CLS_ENTRIES; i++) {
		/* Half untagged, half in VLANs 1..2047, over all 64 ports. */
		snprintf(mac, sizeof(mac), "02:00:00:00:%02x:%02x", i >> 8, i & 0xff);
		snprintf(port, sizeof(port), "vhost:%d", i % SPP_MAX_PORTS_PER_DIR);
		add_entry(f->m, i % 2 ? (uint16_t)(i / 2 + 1) : U, mac, port);
	}
	build(f);
	assert_int_equal(f->t->nb_entries, SPP_MAX_CLS_ENTRIES);
	for (int i = 0; i < SPP_MAX_CLS_ENTRIES; i++) {
		uint16_t vid = i % 2 ? (uint16_t)(i / 2 + 1) : U;

		snprintf(mac, sizeof(mac), "02:00:00:00:%02x:%02x", i >> 8, i & 0xff);
		assert_int_equal(lookup(f, vid, mac), i % SPP_MAX_PORTS_PER_DIR);
	}
	assert_int_equal(lookup(f, U, "02:00:00:00:10:00"), SPP_CLS_NO_DEST);
	assert_int_equal(lookup(f, 2, "02:00:00:00:00:00"), SPP_CLS_NO_DEST);
}

static void
test_lookup_uses_the_tx_index_not_the_entry_order(void **state)
{
	FIX;
	add_tx(f->cls, "ring:3");
	add_tx(f->cls, "ring:2");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, U, "52:54:00:00:00:01", "ring:1");
	add_entry(f->m, U, "52:54:00:00:00:03", "ring:3");
	add_entry(f->m, U, "52:54:00:00:00:02", "ring:2");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:00:00:01"), 2);
	assert_int_equal(lookup(f, U, "52:54:00:00:00:02"), 1);
	assert_int_equal(lookup(f, U, "52:54:00:00:00:03"), 0);
}

/* ---- inactive entries ---- */

static void
test_entry_of_port_outside_the_classifier_is_ignored(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:1");
	build(f);
	assert_int_equal(f->t->nb_entries, 0);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(f->t->flood[U], 0);
}

static void
test_entry_of_rx_port_is_ignored(void **state)
{
	FIX;
	f->cls->rx[0].port = uid("ring:1");
	f->cls->nb_rx = 1;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:1");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_entry_of_other_classifiers_tx_port_is_ignored(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(&f->m->comps[1], "ring:1");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:1");
	add_entry(f->m, 7, NULL, "ring:1");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(unicast(f, 7, "52:54:00:99:99:99"), SPP_CLS_NO_DEST);
	assert_int_equal(f->t->flood[7], 0);
}

static void
test_same_mac_routes_per_classifier(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_tx(&f->m->comps[1], "ring:2");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:2");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:1");
	build(f);
	assert_int_equal(lookup(f, U, "52:54:00:12:34:56"), 1);

	struct spp_cls_table *t2 = spp_cls_table_create(f->m, &f->m->comps[1]);
	uint8_t mac[6];

	assert_non_null(t2);
	parse_mac("52:54:00:12:34:56", mac);
	assert_int_equal(spp_cls_table_lookup(t2, U, mac), 0);
	spp_cls_table_destroy(t2);
}

static void
test_inactive_general_default_is_not_used(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, NULL, "ring:1");
	build(f);
	assert_int_equal(unicast(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(unicast(f, 9, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
	assert_int_equal(f->t->flood[9], 0);
}

/* ---- unicast fallbacks: entry, D(v), G if v is tagged, none ---- */

static void
test_unicast_hit_goes_to_the_entry_not_the_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, 10, NULL, "ring:0");
	add_entry(f->m, 10, "52:54:00:12:34:56", "ring:1");
	build(f);
	assert_int_equal(unicast(f, 10, "52:54:00:12:34:56"), 1);
}

static void
test_unicast_miss_in_vlan_goes_to_its_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, U, NULL, "ring:0");
	add_entry(f->m, 10, NULL, "ring:1");
	build(f);
	assert_int_equal(unicast(f, 10, "52:54:00:12:34:56"), 1);
}

static void
test_unicast_miss_in_vlan_without_default_goes_to_general_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, U, NULL, "ring:1");
	add_entry(f->m, 10, "52:54:00:00:00:01", "ring:0");
	build(f);
	assert_int_equal(unicast(f, 10, "52:54:00:12:34:56"), 1);
	assert_int_equal(unicast(f, 4094, "52:54:00:12:34:56"), 1);
	assert_int_equal(unicast(f, 1, "52:54:00:12:34:56"), 1);
}

static void
test_unicast_miss_untagged_goes_to_general_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, U, NULL, "ring:1");
	build(f);
	assert_int_equal(unicast(f, U, "52:54:00:12:34:56"), 1);
}

static void
test_unicast_miss_untagged_ignores_vlan_defaults(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, 10, NULL, "ring:0");
	build(f);
	assert_int_equal(unicast(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_unicast_miss_in_vlan_ignores_other_vlans_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, 10, NULL, "ring:0");
	build(f);
	assert_int_equal(unicast(f, 11, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_unicast_miss_untagged_without_default_is_no_dest(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:00:00:01", "ring:0");
	build(f);
	assert_int_equal(unicast(f, U, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

static void
test_untagged_entry_does_not_match_tagged_frame(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, "52:54:00:12:34:56", "ring:0");
	build(f);
	assert_int_equal(unicast(f, 10, "52:54:00:12:34:56"), SPP_CLS_NO_DEST);
}

/* ---- flood sets ---- */

static void
test_flood_of_vlan_is_ports_with_entries_in_it_plus_general_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");	/* entry in 10 */
	add_tx(f->cls, "ring:1");	/* G */
	add_tx(f->cls, "ring:2");	/* entry in 20 only */
	add_tx(f->cls, "ring:3");	/* D(10) */
	add_entry(f->m, 10, "52:54:00:00:00:01", "ring:0");
	add_entry(f->m, 10, "52:54:00:00:00:02", "ring:0");
	add_entry(f->m, U, NULL, "ring:1");
	add_entry(f->m, 20, "52:54:00:00:00:03", "ring:2");
	add_entry(f->m, 10, NULL, "ring:3");
	build(f);
	assert_int_equal(f->t->flood[10], BIT(0) | BIT(1) | BIT(3));
	assert_int_equal(f->t->flood[20], BIT(1) | BIT(2));
}

static void
test_flood_of_vlan_without_entries_is_general_default(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, U, NULL, "ring:1");
	add_entry(f->m, 10, "52:54:00:00:00:01", "ring:0");
	build(f);
	assert_int_equal(f->t->flood[30], BIT(1));
	assert_int_equal(f->t->flood[4094], BIT(1));
}

static void
test_flood_untagged_is_ports_with_untagged_entries(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_tx(f->cls, "ring:2");
	add_entry(f->m, U, "52:54:00:00:00:01", "ring:0");
	add_entry(f->m, 10, "52:54:00:00:00:02", "ring:1");
	add_entry(f->m, U, NULL, "ring:2");
	build(f);
	assert_int_equal(f->t->flood[U], BIT(0) | BIT(2));
}

static void
test_flood_without_general_default_has_no_extra_port(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_tx(f->cls, "ring:1");
	add_entry(f->m, 10, "52:54:00:00:00:01", "ring:1");
	build(f);
	assert_int_equal(f->t->flood[10], BIT(1));
	assert_int_equal(f->t->flood[11], 0);
	assert_int_equal(f->t->flood[U], 0);
}

static void
test_flood_lists_each_port_once(void **state)
{
	FIX;
	add_tx(f->cls, "ring:0");
	add_entry(f->m, U, NULL, "ring:0");
	add_entry(f->m, 10, NULL, "ring:0");
	add_entry(f->m, 10, "52:54:00:00:00:01", "ring:0");
	build(f);
	/* A bit set: G and D(10) and the entry are one port. */
	assert_int_equal(f->t->flood[10], BIT(0));
}

static void
test_flood_reaches_the_64th_tx_port(void **state)
{
	FIX;
	char port[16];

	for (int p = 0; p < SPP_MAX_PORTS_PER_DIR; p++) {
		snprintf(port, sizeof(port), "vhost:%d", p);
		add_tx(f->cls, port);
	}
	add_entry(f->m, 5, "52:54:00:00:00:01", "vhost:63");
	add_entry(f->m, U, NULL, "vhost:62");
	build(f);
	assert_int_equal(f->t->flood[5], BIT(63) | BIT(62));
	assert_int_equal(unicast(f, 6, "52:54:00:00:00:02"), 62);
	assert_int_equal(unicast(f, 5, "52:54:00:00:00:01"), 63);
}

static void
test_destroy_null_is_a_no_op(void **state)
{
	(void)state;
	spp_cls_table_destroy(NULL);
}

/*
 * The classifier keys frames with one 8-byte load (spp_cls_frame_key) and
 * the table is built from MAC arrays (spp_cls_key): both must agree, for
 * every byte position, or lookups silently miss.
 */
static void
test_frame_key_equals_table_key_for_every_byte(void **state)
{
	(void)state;
	for (int pos = 0; pos < 6; pos++) {
		uint8_t frame[14] = { 0x02, 0, 0, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
				      0x08, 0x00 };

		for (int v = 1; v < 256; v <<= 1) {
			frame[pos] = (uint8_t)(pos == 0 ? (v & 0xfe) | 0x02 : v);
			for (uint16_t vid = 0; vid < 4096; vid += 1365)
				assert_int_equal(spp_cls_frame_key(vid, frame),
						 spp_cls_key(vid, frame));
		}
	}
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lookup_finds_the_tx_index_of_one_entry),
		T(test_lookup_of_unknown_mac_is_no_dest),
		T(test_lookup_of_all_zero_mac_is_no_dest_not_an_empty_slot),
		T(test_lookup_in_empty_table_is_no_dest),
		T(test_lookup_of_mac_in_other_vlan_is_no_dest),
		T(test_same_mac_in_two_vlans_goes_to_each_vlans_port),
		T(test_lookup_finds_all_4096_entries_at_their_index),
		T(test_lookup_uses_the_tx_index_not_the_entry_order),
		T(test_entry_of_port_outside_the_classifier_is_ignored),
		T(test_entry_of_rx_port_is_ignored),
		T(test_entry_of_other_classifiers_tx_port_is_ignored),
		T(test_same_mac_routes_per_classifier),
		T(test_inactive_general_default_is_not_used),
		T(test_unicast_hit_goes_to_the_entry_not_the_default),
		T(test_unicast_miss_in_vlan_goes_to_its_default),
		T(test_unicast_miss_in_vlan_without_default_goes_to_general_default),
		T(test_unicast_miss_untagged_goes_to_general_default),
		T(test_unicast_miss_untagged_ignores_vlan_defaults),
		T(test_unicast_miss_in_vlan_ignores_other_vlans_default),
		T(test_unicast_miss_untagged_without_default_is_no_dest),
		T(test_untagged_entry_does_not_match_tagged_frame),
		T(test_flood_of_vlan_is_ports_with_entries_in_it_plus_general_default),
		T(test_flood_of_vlan_without_entries_is_general_default),
		T(test_flood_untagged_is_ports_with_untagged_entries),
		T(test_flood_without_general_default_has_no_extra_port),
		T(test_flood_lists_each_port_once),
		T(test_flood_reaches_the_64th_tx_port),
		cmocka_unit_test(test_destroy_null_is_a_no_op),
		cmocka_unit_test(test_frame_key_equals_table_key_for_every_byte),
	};

	return cmocka_run_group_tests_name("cls_table", tests, NULL, NULL);
}
