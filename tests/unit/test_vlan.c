/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 802.1Q tag add / strip on real mbufs (SPEC §8.6): exact bytes, lengths,
 * copy-on-write of shared and indirect mbufs, the failure reasons, and no
 * mbuf leaked. Runs the EAL without hugepages or PCI.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "spp_vlan.h"
#include "unit_eal.h"

#define NB_MBUFS	1023
#define NB_TINY		7

static struct rte_mempool *pool;	/* packets under test */
static struct rte_mempool *cpool;	/* copies: spp_vlan_apply's pool argument */
static struct rte_mempool *tiny;	/* exhausted on purpose */
static unsigned int pool_base, cpool_base, tiny_base;	/* at the start of a test */

static int
group_setup(void **state)
{
	(void)state;
	if (unit_eal_init("vlan") < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("unit_vlan_pkts", NB_MBUFS, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cpool = rte_pktmbuf_pool_create("unit_vlan_copies", NB_MBUFS, 0, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	tiny = rte_pktmbuf_pool_create("unit_vlan_tiny", NB_TINY, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL || cpool == NULL || tiny == NULL) {
		print_error("pool create failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* Per-test baselines, so that one leaking test does not fail the others. */
static int
setup(void **state)
{
	(void)state;
	pool_base = rte_mempool_avail_count(pool);
	cpool_base = rte_mempool_avail_count(cpool);
	tiny_base = rte_mempool_avail_count(tiny);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rte_mempool_free(pool);
	rte_mempool_free(cpool);
	rte_mempool_free(tiny);
	unit_eal_cleanup();
	return 0;
}

/* Every test frees what it allocated: each ends with this. */
static void
assert_no_leak(void)
{
	assert_int_equal(rte_mempool_avail_count(pool), pool_base);
	assert_int_equal(rte_mempool_avail_count(cpool), cpool_base);
	assert_int_equal(rte_mempool_avail_count(tiny), tiny_base);
}

/* ---- frames ---- */

#define PAYLOAD_LEN	46

/* dst 02:00:00:00:00:01, src 02:00:00:00:00:02, IPv4, payload 0x00.. */
static size_t
untagged_frame(uint8_t *buf)
{
	static const uint8_t hdr[14] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x08, 0x00,
	};

	memcpy(buf, hdr, sizeof(hdr));
	for (int i = 0; i < PAYLOAD_LEN; i++)
		buf[14 + i] = (uint8_t)i;
	return sizeof(hdr) + PAYLOAD_LEN;
}

/* The same frame with the tag tci. */
static size_t
tagged_frame(uint8_t *buf, uint16_t tci)
{
	uint8_t plain[128];
	size_t len = untagged_frame(plain);

	memcpy(buf, plain, 12);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = (uint8_t)(tci >> 8);
	buf[15] = (uint8_t)tci;
	memcpy(buf + 16, plain + 12, len - 12);
	return len + 4;
}

static struct rte_mbuf *
make_pkt(struct rte_mempool *mp, const uint8_t *bytes, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(p);
	memcpy(p, bytes, len);
	return m;
}

/* The whole packet, across segments, equals bytes. */
static void
assert_pkt(const struct rte_mbuf *m, const uint8_t *bytes, size_t len)
{
	uint8_t buf[256];
	const void *data;

	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	data = rte_pktmbuf_read(m, 0, (uint32_t)len, buf);
	assert_non_null(data);
	assert_memory_equal(data, bytes, len);
}

static const struct spp_vlan_op op_add_100_3 = { .kind = SPP_VLAN_ADD, .vid = 100, .pcp = 3 };
static const struct spp_vlan_op op_del = { .kind = SPP_VLAN_DEL };
static const struct spp_vlan_op op_none = { .kind = SPP_VLAN_NONE };
#define TCI_100_3	0x6064	/* 3 << 13 | 100 */

/* ---- in place ---- */

static void
test_tci_is_pcp_shifted_over_vid_with_dei_zero(void **state)
{
	const struct spp_vlan_op op = { .kind = SPP_VLAN_ADD, .vid = 4094, .pcp = 7 };

	(void)state;
	assert_int_equal(spp_vlan_tci(&op), 0xeffe);
	assert_int_equal(spp_vlan_tci(&op_add_100_3), TCI_100_3);
}

static void
test_add_on_untagged_inserts_tag_after_the_macs(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *m = make_pkt(pool, in, len), *orig = m;

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	/* Direct with refcount 1: edited in place. */
	assert_ptr_equal(m, orig);
	assert_int_equal(m->data_len, len + 4);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_with_vid_0_inserts_a_priority_tag(void **state)
{
	const struct spp_vlan_op op = { .kind = SPP_VLAN_ADD, .vid = 0, .pcp = 5 };
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, 0xa000);
	struct rte_mbuf *m = make_pkt(pool, in, len);

	(void)state;
	assert_int_equal(spp_vlan_apply(&op, &m, cpool), 0);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_tagged_overwrites_the_tci_only(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *m = make_pkt(pool, in, len), *orig = m;

	(void)state;
	tagged_frame(want, TCI_100_3);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_equal(m, orig);
	assert_int_equal(m->data_len, len);
	assert_pkt(m, want, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_14_byte_frame_gives_18_bytes(void **state)
{
	uint8_t in[128], want[128];
	struct rte_mbuf *m;

	(void)state;
	untagged_frame(in);
	tagged_frame(want, TCI_100_3);
	m = make_pkt(pool, in, 14);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_pkt(m, want, 18);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_tagged_removes_the_tag(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	size_t want_len = untagged_frame(want);
	struct rte_mbuf *m = make_pkt(pool, in, len), *orig = m;

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_ptr_equal(m, orig);
	assert_int_equal(m->data_len, want_len);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_removes_only_the_outer_tag(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(want, 0x0007);
	struct rte_mbuf *m;

	(void)state;
	/* Outer tag 0x2005 over inner tag 0x0007. */
	memcpy(in, want, 12);
	in[12] = 0x81;
	in[13] = 0x00;
	in[14] = 0x20;
	in[15] = 0x05;
	memcpy(in + 16, want + 12, len - 12);
	m = make_pkt(pool, in, len + 4);
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_pkt(m, want, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_18_byte_tagged_frame_gives_14_bytes(void **state)
{
	uint8_t in[128], want[128];
	struct rte_mbuf *m;

	(void)state;
	tagged_frame(in, 0x2005);
	untagged_frame(want);
	m = make_pkt(pool, in, 18);
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_pkt(m, want, 14);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_untagged_leaves_the_frame_unchanged(void **state)
{
	uint8_t in[128];
	size_t len = untagged_frame(in);
	struct rte_mbuf *m = make_pkt(pool, in, len), *orig = m;

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_qinq_tpid_leaves_the_frame_unchanged(void **state)
{
	uint8_t in[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *m;

	(void)state;
	/* Only TPID 0x8100 counts (SPEC §8.5). */
	in[12] = 0x88;
	in[13] = 0xa8;
	m = make_pkt(pool, in, len);
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_none_op_leaves_the_frame_unchanged(void **state)
{
	uint8_t in[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *m = make_pkt(pool, in, len), *orig = m;

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_none, &m, cpool), 0);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

/* ---- failures: *m unchanged and still the caller's ---- */

static struct rte_mbuf *
make_pkt_without_headroom(const uint8_t *bytes, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	m->data_off = 0;
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), bytes, len);
	assert_int_equal(rte_pktmbuf_headroom(m), 0);
	return m;
}

static void
test_add_on_untagged_without_headroom_is_vlan_error(void **state)
{
	uint8_t in[128];
	size_t len = untagged_frame(in);
	struct rte_mbuf *m = make_pkt_without_headroom(in, len), *orig = m;

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, orig);
	assert_int_equal(m->data_off, 0);
	assert_int_equal(m->data_len, len);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_tagged_without_headroom_overwrites_the_tci(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *m = make_pkt_without_headroom(in, len);

	(void)state;
	tagged_frame(want, TCI_100_3);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_pkt(m, want, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_without_headroom_removes_the_tag(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	size_t want_len = untagged_frame(want);
	struct rte_mbuf *m = make_pkt_without_headroom(in, len);

	(void)state;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_truncated_tag_is_vlan_error(void **state)
{
	uint8_t in[128];
	struct rte_mbuf *m, *orig;

	(void)state;
	tagged_frame(in, 0x2005);
	m = make_pkt(pool, in, 17);
	orig = m;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, 17);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_truncated_tag_is_vlan_error(void **state)
{
	uint8_t in[128];
	struct rte_mbuf *m, *orig;

	(void)state;
	tagged_frame(in, 0x2005);
	m = make_pkt(pool, in, 16);
	orig = m;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, 16);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_runt_is_vlan_error(void **state)
{
	uint8_t in[128];
	struct rte_mbuf *m, *orig;

	(void)state;
	untagged_frame(in);
	m = make_pkt(pool, in, 13);
	orig = m;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, 13);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_tag_cut_by_the_first_segment_is_vlan_error(void **state)
{
	uint8_t in[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *head = make_pkt(pool, in, 16);
	struct rte_mbuf *tail = make_pkt(pool, in + 16, len - 16);
	struct rte_mbuf *m;

	(void)state;
	/* The TCI is only 2 bytes into the first segment: judged on it alone. */
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, head);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_ethertype_past_the_first_segment_is_vlan_error(void **state)
{
	uint8_t in[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *head = make_pkt(pool, in, 10);
	struct rte_mbuf *tail = make_pkt(pool, in + 10, len - 10);
	struct rte_mbuf *m;

	(void)state;
	/* Not sent on still tagged: the tag cannot be stripped in place. */
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), SPP_DROP_VLAN_ERROR);
	assert_ptr_equal(m, head);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_untagged_ethertype_past_the_first_segment_leaves_it(void **state)
{
	uint8_t in[128];
	size_t len = untagged_frame(in);
	struct rte_mbuf *head = make_pkt(pool, in, 13);
	struct rte_mbuf *tail = make_pkt(pool, in + 13, len - 13);
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_ptr_equal(m, head);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_runt_leaves_it(void **state)
{
	uint8_t in[128];
	struct rte_mbuf *m, *orig;

	(void)state;
	tagged_frame(in, 0x2005);
	m = make_pkt(pool, in, 13);
	orig = m;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_ptr_equal(m, orig);
	assert_pkt(m, in, 13);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

/* ---- copy-on-write ---- */

static void
test_add_on_shared_mbuf_edits_a_copy(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *other = make_pkt(pool, in, len);
	struct rte_mbuf *m = other;

	(void)state;
	/* A flood: two holders of one mbuf. */
	rte_mbuf_refcnt_update(other, 1);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_not_equal(m, other);
	assert_ptr_equal(m->pool, cpool);
	assert_pkt(m, want, want_len);
	/* The other holder sees its frame unchanged, and its reference is its own. */
	assert_pkt(other, in, len);
	assert_int_equal(rte_mbuf_refcnt_read(other), 1);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(other);
	assert_no_leak();
}

static void
test_del_on_shared_mbuf_edits_a_copy(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	size_t want_len = untagged_frame(want);
	struct rte_mbuf *other = make_pkt(pool, in, len);
	struct rte_mbuf *m = other;

	(void)state;
	rte_mbuf_refcnt_update(other, 1);
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_ptr_not_equal(m, other);
	assert_pkt(m, want, want_len);
	assert_pkt(other, in, len);
	assert_int_equal(rte_mbuf_refcnt_read(other), 1);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(other);
	assert_no_leak();
}

static void
test_tci_overwrite_on_shared_mbuf_edits_a_copy(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *other = make_pkt(pool, in, len);
	struct rte_mbuf *m = other;

	(void)state;
	tagged_frame(want, TCI_100_3);
	rte_mbuf_refcnt_update(other, 1);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_not_equal(m, other);
	assert_pkt(m, want, len);
	assert_pkt(other, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(other);
	assert_no_leak();
}

static void
test_add_on_indirect_clone_leaves_the_original_untouched(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *orig = make_pkt(pool, in, len);
	struct rte_mbuf *clone = rte_pktmbuf_clone(orig, pool);
	struct rte_mbuf *m = clone;

	(void)state;
	/* A shallow mirror copy. */
	assert_non_null(clone);
	assert_true(RTE_MBUF_CLONED(clone));
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_not_equal(m, clone);
	assert_true(RTE_MBUF_DIRECT(m));
	assert_pkt(m, want, want_len);
	assert_pkt(orig, in, len);
	/* The clone's reference to orig's data was released. */
	assert_int_equal(rte_mbuf_refcnt_read(orig), 1);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(orig);
	assert_no_leak();
}

static void
test_add_on_original_of_a_clone_leaves_the_clone_untouched(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *orig = make_pkt(pool, in, len);
	struct rte_mbuf *clone = rte_pktmbuf_clone(orig, pool);
	struct rte_mbuf *m = orig;

	(void)state;
	assert_non_null(clone);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_not_equal(m, orig);
	assert_pkt(m, want, want_len);
	assert_pkt(clone, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(clone);
	assert_no_leak();
}

static void
test_add_on_multi_segment_packet_tags_the_first_segment(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *head = make_pkt(pool, in, 20);
	struct rte_mbuf *tail = make_pkt(pool, in + 20, len - 20);
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_equal(m, head);
	assert_int_equal(m->nb_segs, 2);
	assert_int_equal(m->data_len, 24);
	assert_int_equal(m->next->data_len, len - 20);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_del_on_multi_segment_packet_strips_the_first_segment(void **state)
{
	uint8_t in[128], want[128];
	size_t len = tagged_frame(in, 0x2005);
	size_t want_len = untagged_frame(want);
	struct rte_mbuf *head = make_pkt(pool, in, 18);
	struct rte_mbuf *tail = make_pkt(pool, in + 18, len - 18);
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cpool), 0);
	assert_int_equal(m->data_len, 14);
	assert_pkt(m, want, want_len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_add_on_shared_multi_segment_packet_copies_all_of_it(void **state)
{
	uint8_t in[128], want[128];
	size_t len = untagged_frame(in);
	size_t want_len = tagged_frame(want, TCI_100_3);
	struct rte_mbuf *head = make_pkt(pool, in, 20);
	struct rte_mbuf *tail = make_pkt(pool, in + 20, len - 20);
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	rte_pktmbuf_refcnt_update(head, 1);
	m = head;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cpool), 0);
	assert_ptr_not_equal(m, head);
	assert_pkt(m, want, want_len);
	assert_pkt(head, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(head);
	assert_no_leak();
}

static void
test_copy_failure_is_nombuf_and_leaves_the_mbuf(void **state)
{
	uint8_t in[128];
	size_t len = untagged_frame(in);
	struct rte_mbuf *held[NB_TINY + 1];
	struct rte_mbuf *other = make_pkt(pool, in, len);
	struct rte_mbuf *m = other;
	unsigned int n = 0;

	(void)state;
	while (n < RTE_DIM(held) && (held[n] = rte_pktmbuf_alloc(tiny)) != NULL)
		n++;
	assert_int_equal(n, NB_TINY);
	rte_mbuf_refcnt_update(other, 1);
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, tiny), SPP_DROP_NOMBUF);
	assert_ptr_equal(m, other);
	/* Still the caller's reference: nothing was released. */
	assert_int_equal(rte_mbuf_refcnt_read(m), 2);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(other);
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
	assert_no_leak();
}

static void
test_del_copy_failure_is_nombuf_and_leaves_the_mbuf(void **state)
{
	uint8_t in[128];
	size_t len = tagged_frame(in, 0x2005);
	struct rte_mbuf *held[NB_TINY + 1];
	struct rte_mbuf *orig = make_pkt(pool, in, len);
	struct rte_mbuf *clone = rte_pktmbuf_clone(orig, pool);
	struct rte_mbuf *m = clone;
	unsigned int n = 0;

	(void)state;
	assert_non_null(clone);
	while (n < RTE_DIM(held) && (held[n] = rte_pktmbuf_alloc(tiny)) != NULL)
		n++;
	assert_int_equal(spp_vlan_apply(&op_del, &m, tiny), SPP_DROP_NOMBUF);
	assert_ptr_equal(m, clone);
	assert_pkt(m, in, len);
	assert_pkt(orig, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(orig);
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
	assert_no_leak();
}

/* ---- leak check ---- */

static void
test_pools_are_back_to_their_start_counts(void **state)
{
	(void)state;
	assert_int_equal(rte_mempool_avail_count(pool), NB_MBUFS);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	assert_int_equal(rte_mempool_avail_count(cpool), NB_MBUFS);
	assert_int_equal(rte_mempool_in_use_count(cpool), 0);
	assert_int_equal(rte_mempool_avail_count(tiny), NB_TINY);
}

#define T(fn)	cmocka_unit_test_setup(fn, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tci_is_pcp_shifted_over_vid_with_dei_zero),
		T(test_add_on_untagged_inserts_tag_after_the_macs),
		T(test_add_with_vid_0_inserts_a_priority_tag),
		T(test_add_on_tagged_overwrites_the_tci_only),
		T(test_add_on_14_byte_frame_gives_18_bytes),
		T(test_del_on_tagged_removes_the_tag),
		T(test_del_removes_only_the_outer_tag),
		T(test_del_on_18_byte_tagged_frame_gives_14_bytes),
		T(test_del_on_untagged_leaves_the_frame_unchanged),
		T(test_del_on_qinq_tpid_leaves_the_frame_unchanged),
		T(test_none_op_leaves_the_frame_unchanged),
		T(test_add_on_untagged_without_headroom_is_vlan_error),
		T(test_add_on_tagged_without_headroom_overwrites_the_tci),
		T(test_del_without_headroom_removes_the_tag),
		T(test_add_on_truncated_tag_is_vlan_error),
		T(test_del_on_truncated_tag_is_vlan_error),
		T(test_add_on_runt_is_vlan_error),
		T(test_add_on_tag_cut_by_the_first_segment_is_vlan_error),
		T(test_del_on_ethertype_past_the_first_segment_is_vlan_error),
		T(test_del_on_untagged_ethertype_past_the_first_segment_leaves_it),
		T(test_del_on_runt_leaves_it),
		T(test_add_on_shared_mbuf_edits_a_copy),
		T(test_del_on_shared_mbuf_edits_a_copy),
		T(test_tci_overwrite_on_shared_mbuf_edits_a_copy),
		T(test_add_on_indirect_clone_leaves_the_original_untouched),
		T(test_add_on_original_of_a_clone_leaves_the_clone_untouched),
		T(test_add_on_multi_segment_packet_tags_the_first_segment),
		T(test_del_on_multi_segment_packet_strips_the_first_segment),
		T(test_add_on_shared_multi_segment_packet_copies_all_of_it),
		T(test_copy_failure_is_nombuf_and_leaves_the_mbuf),
		T(test_del_copy_failure_is_nombuf_and_leaves_the_mbuf),
		T(test_pools_are_back_to_their_start_counts),
	};

	return cmocka_run_group_tests_name("vlan", tests, group_setup, group_teardown);
}
