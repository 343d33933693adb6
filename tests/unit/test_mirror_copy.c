/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mirror copies on real mbufs (SPEC §8.6, §8.7, §8.9): shallow copies are
 * rte_pktmbuf_clone into a pool without data room, deep copies
 * rte_pktmbuf_copy into a full pool; a tag edit on either side of a
 * shallow copy never shows on the other (copy-on-write); an empty copy
 * pool fails the copy and leaks nothing; and spp_mirror_burst sends the
 * originals to tx[0], the copies to tx[1]. Runs the EAL without hugepages
 * or PCI.
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
#include <rte_eth_ring.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "mirror.h"
#include "spp_shm.h"
#include "spp_vlan.h"
#include "unit_eal.h"

#define NB_MBUFS	1023
#define NB_TINY		4
#define MAX_FRAME	4600
#define NB_RING		64

static struct rte_mempool *pool;	/* packets under test (MProc_pktmbuf_pool) */
static struct rte_mempool *cow;		/* copy-on-write copies: spp_vlan_apply's pool */
static struct rte_mempool *shallow;	/* data room 0, as spp_mirror_pool_<id> */
static struct rte_mempool *deep;	/* full data room, as spp_mirror_dpool_<id> */
static struct rte_mempool *tiny_shallow;	/* exhausted on purpose */
static struct rte_mempool *tiny_deep;
static struct rte_mempool *const *const pools[] = {
	&pool, &cow, &shallow, &deep, &tiny_shallow, &tiny_deep,
};
static unsigned int bases[RTE_DIM(pools)];	/* avail counts at the start of a test */

static struct rte_ring *rings[3];	/* spp_mirror_burst: rx, tx[0], tx[1] */

static int
group_setup(void **state)
{
	(void)state;
	if (unit_eal_init("mirror_copy") < 0)
		return -1;
	/* Caches as spp_mirror sizes them (SPEC §8.1): min(256, size / 16). */
	pool = rte_pktmbuf_pool_create("unit_mirror_pkts", NB_MBUFS, 256, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cow = rte_pktmbuf_pool_create("unit_mirror_cow", NB_MBUFS, 0, 0,
				      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	shallow = rte_pktmbuf_pool_create("unit_mirror_shallow", NB_MBUFS, NB_MBUFS / 16, 0, 0,
					  SOCKET_ID_ANY);
	deep = rte_pktmbuf_pool_create("unit_mirror_deep", NB_MBUFS, NB_MBUFS / 16, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	tiny_shallow = rte_pktmbuf_pool_create("unit_mirror_tiny_s", NB_TINY, 0, 0, 0,
					       SOCKET_ID_ANY);
	tiny_deep = rte_pktmbuf_pool_create("unit_mirror_tiny_d", NB_TINY, 0, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	for (unsigned int i = 0; i < RTE_DIM(pools); i++) {
		if (*pools[i] == NULL) {
			print_error("pool create failed: %s\n", rte_strerror(rte_errno));
			return -1;
		}
	}
	for (unsigned int i = 0; i < RTE_DIM(rings); i++) {
		char name[32];

		snprintf(name, sizeof(name), "unit_mirror_ring%u", i);
		rings[i] = rte_ring_create(name, NB_RING, SOCKET_ID_ANY, 0);
		if (rings[i] == NULL) {
			print_error("ring create failed: %s\n", rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

/* Per-test baselines, so that one leaking test does not fail the others. */
static int
setup(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(pools); i++)
		bases[i] = rte_mempool_avail_count(*pools[i]);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(rings); i++)
		rte_ring_free(rings[i]);
	for (unsigned int i = 0; i < RTE_DIM(pools); i++)
		rte_mempool_free(*pools[i]);
	unit_eal_cleanup();
	return 0;
}

/* Every test frees what it allocated: each ends with this. */
static void
assert_no_leak(void)
{
	for (unsigned int i = 0; i < RTE_DIM(pools); i++)
		assert_int_equal(rte_mempool_avail_count(*pools[i]), bases[i]);
	for (unsigned int i = 0; i < RTE_DIM(rings); i++)
		assert_int_equal(rte_ring_count(rings[i]), 0);
}

/* ---- frames ---- */

/* len bytes: dst 02:00:00:00:00:01, src 02:00:00:00:00:02, [0x8100 tci],
 * IPv4 ethertype, payload bytes seed + i. tci < 0: untagged. */
static size_t
make_frame(uint8_t *buf, size_t len, int tci, uint8_t seed)
{
	static const uint8_t macs[12] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	};
	size_t off = 12;

	memcpy(buf, macs, sizeof(macs));
	if (tci >= 0) {
		buf[off++] = 0x81;
		buf[off++] = 0x00;
		buf[off++] = (uint8_t)(tci >> 8);
		buf[off++] = (uint8_t)tci;
	}
	buf[off++] = 0x08;
	buf[off++] = 0x00;
	for (size_t i = off; i < len; i++)
		buf[i] = (uint8_t)(seed + i);
	return len;
}

/* add_vlantag / del_vlantag on a byte array (the expected results). */
static size_t
add_tag(uint8_t *out, const uint8_t *in, size_t len, uint16_t tci)
{
	if (in[12] == 0x81 && in[13] == 0x00) {
		memcpy(out, in, len);
		out[14] = (uint8_t)(tci >> 8);
		out[15] = (uint8_t)tci;
		return len;
	}
	memcpy(out, in, 12);
	out[12] = 0x81;
	out[13] = 0x00;
	out[14] = (uint8_t)(tci >> 8);
	out[15] = (uint8_t)tci;
	memcpy(out + 16, in + 12, len - 12);
	return len + 4;
}

static size_t
del_tag(uint8_t *out, const uint8_t *in, size_t len)
{
	if (in[12] != 0x81 || in[13] != 0x00) {
		memcpy(out, in, len);
		return len;
	}
	memcpy(out, in, 12);
	memcpy(out + 12, in + 16, len - 16);
	return len - 4;
}

/* A packet of bytes in nb_segs segments of mp, with headroom (or none). */
static struct rte_mbuf *
make_pkt_segs(struct rte_mempool *mp, const uint8_t *bytes, size_t len, unsigned int nb_segs,
	      bool headroom)
{
	struct rte_mbuf *head = NULL;
	size_t off = 0;

	for (unsigned int s = 0; s < nb_segs; s++) {
		size_t n = s + 1 == nb_segs ? len - off : len / nb_segs;
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		char *p;

		assert_non_null(m);
		if (!headroom)
			m->data_off = 0;
		p = rte_pktmbuf_append(m, (uint16_t)n);
		assert_non_null(p);
		memcpy(p, bytes + off, n);
		off += n;
		if (head == NULL)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	assert_int_equal(head->nb_segs, nb_segs);
	return head;
}

static struct rte_mbuf *
make_pkt(const uint8_t *bytes, size_t len, unsigned int nb_segs)
{
	return make_pkt_segs(pool, bytes, len, nb_segs, true);
}

/* The whole packet, across segments, equals bytes. */
static void
assert_pkt(const struct rte_mbuf *m, const uint8_t *bytes, size_t len)
{
	static uint8_t buf[MAX_FRAME + 8];
	const void *data;

	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	data = rte_pktmbuf_read(m, 0, (uint32_t)len, buf);
	assert_non_null(data);
	assert_memory_equal(data, bytes, len);
}

/* Every segment of m has refcount refcnt. */
static void
assert_seg_refcnt(const struct rte_mbuf *m, uint16_t refcnt)
{
	for (; m != NULL; m = m->next)
		assert_int_equal(rte_mbuf_refcnt_read(m), refcnt);
}

/* Takes all of mp's mbufs but keep; returns how many were taken. */
static unsigned int
exhaust(struct rte_mempool *mp, struct rte_mbuf **held, unsigned int max, unsigned int keep)
{
	unsigned int n = 0;

	while (rte_mempool_avail_count(mp) > keep && n < max) {
		held[n] = rte_pktmbuf_alloc(mp);
		assert_non_null(held[n]);
		n++;
	}
	assert_int_equal(rte_mempool_avail_count(mp), keep);
	return n;
}

static void
release(struct rte_mbuf **held, unsigned int n)
{
	rte_pktmbuf_free_bulk(held, n);
}

#define TCI_100_3	0x6064	/* 3 << 13 | 100 */
static const struct spp_vlan_op op_add_100_3 = { .kind = SPP_VLAN_ADD, .vid = 100, .pcp = 3 };
static const struct spp_vlan_op op_del = { .kind = SPP_VLAN_DEL };
static const struct spp_vlan_op op_none = { .kind = SPP_VLAN_NONE };

/* ---- shallow copies: rte_pktmbuf_clone into a pool without data room ---- */

static void
test_shallow_pool_has_no_data_room(void **state)
{
	(void)state;
	assert_int_equal(rte_pktmbuf_data_room_size(shallow), 0);
	assert_int_equal(rte_pktmbuf_data_room_size(deep), RTE_MBUF_DEFAULT_BUF_SIZE);
}

static void
test_clone_shares_the_data_of_a_single_segment_packet(void **state)
{
	uint8_t in[128];
	size_t len = make_frame(in, 60, -1, 1);
	struct rte_mbuf *m = make_pkt(in, len, 1);
	struct rte_mbuf *c = rte_pktmbuf_clone(m, shallow);

	(void)state;
	assert_non_null(c);
	assert_ptr_equal(c->pool, shallow);
	assert_true(RTE_MBUF_CLONED(c));
	assert_ptr_equal(rte_pktmbuf_mtod(c, void *), rte_pktmbuf_mtod(m, void *));
	assert_pkt(c, in, len);
	assert_int_equal(rte_mbuf_refcnt_read(m), 2);
	rte_pktmbuf_free(c);
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	assert_no_leak();
}

static void
test_clone_of_a_multi_segment_packet_clones_every_segment(void **state)
{
	static uint8_t in[MAX_FRAME];
	size_t len = make_frame(in, 4500, 0x2005, 2);
	struct rte_mbuf *m = make_pkt(in, len, 3);
	struct rte_mbuf *c = rte_pktmbuf_clone(m, shallow);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->nb_segs, 3);
	for (const struct rte_mbuf *s = c; s != NULL; s = s->next) {
		assert_true(RTE_MBUF_CLONED(s));
		assert_ptr_equal(s->pool, shallow);
	}
	assert_pkt(c, in, len);
	assert_seg_refcnt(m, 2);
	/* Freed in the other order: the original's segments outlive it. */
	rte_pktmbuf_free(m);
	assert_pkt(c, in, len);
	rte_pktmbuf_free(c);
	assert_no_leak();
}

/* ---- deep copies: rte_pktmbuf_copy into a full pool ---- */

static void
test_copy_of_a_single_segment_packet_owns_its_data(void **state)
{
	uint8_t in[2048];
	size_t len = make_frame(in, 1514, -1, 3);
	struct rte_mbuf *m = make_pkt(in, len, 1);
	struct rte_mbuf *c = rte_pktmbuf_copy(m, deep, 0, UINT32_MAX);

	(void)state;
	assert_non_null(c);
	assert_ptr_equal(c->pool, deep);
	assert_true(RTE_MBUF_DIRECT(c));
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	assert_int_equal(rte_mbuf_refcnt_read(c), 1);
	assert_pkt(c, in, len);
	/* Independent data: scribbling on the original leaves the copy. */
	memset(rte_pktmbuf_mtod(m, uint8_t *), 0xee, len);
	assert_pkt(c, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(c);
	assert_no_leak();
}

static void
test_copy_of_a_multi_segment_packet_has_all_its_bytes(void **state)
{
	static uint8_t in[MAX_FRAME];
	size_t len = make_frame(in, 4500, -1, 4);
	struct rte_mbuf *m = make_pkt(in, len, 3);
	struct rte_mbuf *c = rte_pktmbuf_copy(m, deep, 0, UINT32_MAX);

	(void)state;
	assert_non_null(c);
	for (const struct rte_mbuf *s = c; s != NULL; s = s->next) {
		assert_true(RTE_MBUF_DIRECT(s));
		assert_ptr_equal(s->pool, deep);
	}
	assert_pkt(c, in, len);
	assert_seg_refcnt(m, 1);
	rte_pktmbuf_free(m);
	assert_pkt(c, in, len);
	rte_pktmbuf_free(c);
	assert_no_leak();
}

static void
test_copy_of_a_small_multi_segment_packet_fits_one_segment(void **state)
{
	uint8_t in[128];
	size_t len = make_frame(in, 64, 0x0064, 5);
	struct rte_mbuf *m = make_pkt(in, len, 3);
	struct rte_mbuf *c = rte_pktmbuf_copy(m, deep, 0, UINT32_MAX);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->nb_segs, 1);
	/* A copy has headroom, so tags can be pushed on it in place. */
	assert_true(rte_pktmbuf_headroom(c) >= 4);
	assert_pkt(c, in, len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(c);
	assert_no_leak();
}

/* ---- copy-on-write between an original and its clone ---- */

/*
 * Applies op to the original (edit_clone false) or to the shallow clone,
 * of a packet of len bytes (tci < 0: untagged) in nb_segs segments, with or
 * without headroom; checks that the edited side has exactly the op's
 * bytes, that the other side is byte-identical to the input, and that
 * nothing leaks.
 */
static void
check_cow(const struct spp_vlan_op *op, size_t len, int tci, unsigned int nb_segs,
	  bool headroom, bool edit_clone)
{
	static uint8_t in[MAX_FRAME], want[MAX_FRAME + 4];
	size_t want_len;
	struct rte_mbuf *orig, *clone, *edited, *other;

	make_frame(in, len, tci, 7);
	want_len = op->kind == SPP_VLAN_ADD ? add_tag(want, in, len, spp_vlan_tci(op)) :
		   del_tag(want, in, len);
	orig = make_pkt_segs(pool, in, len, nb_segs, headroom);
	clone = rte_pktmbuf_clone(orig, shallow);
	assert_non_null(clone);
	edited = edit_clone ? clone : orig;
	other = edit_clone ? orig : clone;

	assert_int_equal(spp_vlan_apply(op, &edited, cow), 0);
	/* Shared: the edit went to a private copy, the reference was released. */
	assert_ptr_not_equal(edited, edit_clone ? clone : orig);
	assert_true(RTE_MBUF_DIRECT(edited));
	assert_int_equal(rte_mbuf_refcnt_read(edited), 1);
	assert_pkt(edited, want, want_len);
	assert_pkt(other, in, len);
	assert_seg_refcnt(edit_clone ? orig : rte_mbuf_from_indirect(other), 1);
	rte_pktmbuf_free(edited);
	assert_pkt(other, in, len);
	rte_pktmbuf_free(other);
	assert_no_leak();
}

static void
test_add_on_clone_leaves_the_original(void **state)
{
	(void)state;
	check_cow(&op_add_100_3, 60, -1, 1, true, true);
	check_cow(&op_add_100_3, 64, 0x2005, 1, true, true);
}

static void
test_add_on_original_leaves_the_clone(void **state)
{
	(void)state;
	check_cow(&op_add_100_3, 60, -1, 1, true, false);
	check_cow(&op_add_100_3, 1518, 0x2005, 1, true, false);
}

static void
test_del_on_clone_leaves_the_original(void **state)
{
	(void)state;
	check_cow(&op_del, 64, 0x2005, 1, true, true);
}

static void
test_del_on_original_leaves_the_clone(void **state)
{
	(void)state;
	check_cow(&op_del, 1518, 0xe0ff, 1, true, false);
}

static void
test_edits_of_multi_segment_shares_leave_the_other_side(void **state)
{
	(void)state;
	check_cow(&op_add_100_3, 4500, -1, 3, true, true);
	check_cow(&op_add_100_3, 4500, -1, 3, true, false);
	check_cow(&op_del, 4500, 0x2005, 3, true, true);
	check_cow(&op_del, 4500, 0x2005, 3, true, false);
}

static void
test_add_on_shared_original_without_headroom_tags_a_copy(void **state)
{
	(void)state;
	/* Alone, such a packet cannot take a tag (vlan_error, test_vlan); shared,
	 * it is copied first, and the copy has headroom. */
	check_cow(&op_add_100_3, 60, -1, 1, false, false);
	check_cow(&op_add_100_3, 60, -1, 1, false, true);
	check_cow(&op_add_100_3, 4500, -1, 3, false, true);
}

static void
test_del_on_shared_original_without_headroom_edits_a_copy(void **state)
{
	(void)state;
	check_cow(&op_del, 64, 0x2005, 1, false, false);
	check_cow(&op_del, 64, 0x2005, 1, false, true);
}

static void
test_edits_on_a_deep_copy_and_its_original_happen_in_place(void **state)
{
	uint8_t in[128], tagged[128];
	size_t len = make_frame(in, 60, -1, 8);
	size_t tagged_len = add_tag(tagged, in, len, TCI_100_3);
	struct rte_mbuf *orig = make_pkt(in, len, 1);
	struct rte_mbuf *copy = rte_pktmbuf_copy(orig, deep, 0, UINT32_MAX);
	struct rte_mbuf *m;

	(void)state;
	assert_non_null(copy);
	m = copy;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cow), 0);
	assert_ptr_equal(m, copy);
	assert_pkt(copy, tagged, tagged_len);
	assert_pkt(orig, in, len);
	m = orig;
	assert_int_equal(spp_vlan_apply(&op_add_100_3, &m, cow), 0);
	assert_ptr_equal(m, orig);
	m = copy;
	assert_int_equal(spp_vlan_apply(&op_del, &m, cow), 0);
	assert_ptr_equal(m, copy);
	assert_pkt(copy, in, len);
	assert_pkt(orig, tagged, tagged_len);
	rte_pktmbuf_free(orig);
	rte_pktmbuf_free(copy);
	assert_no_leak();
}

/* ---- an empty copy pool ---- */

static void
test_clone_into_an_empty_pool_fails_and_leaks_nothing(void **state)
{
	uint8_t in[128];
	size_t len = make_frame(in, 60, -1, 9);
	struct rte_mbuf *held[NB_TINY];
	unsigned int n = exhaust(tiny_shallow, held, NB_TINY, 0);
	struct rte_mbuf *m = make_pkt(in, len, 1);

	(void)state;
	assert_null(rte_pktmbuf_clone(m, tiny_shallow));
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	release(held, n);
	assert_no_leak();
}

static void
test_clone_failing_midway_returns_the_segments_it_took(void **state)
{
	static uint8_t in[MAX_FRAME];
	size_t len = make_frame(in, 4500, -1, 10);
	struct rte_mbuf *held[NB_TINY];
	/* Two indirect mbufs left for a three-segment packet. */
	unsigned int n = exhaust(tiny_shallow, held, NB_TINY, 2);
	struct rte_mbuf *m = make_pkt(in, len, 3);

	(void)state;
	assert_null(rte_pktmbuf_clone(m, tiny_shallow));
	assert_int_equal(rte_mempool_avail_count(tiny_shallow), 2);
	assert_seg_refcnt(m, 1);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	release(held, n);
	assert_no_leak();
}

static void
test_copy_into_an_empty_pool_fails_and_leaks_nothing(void **state)
{
	uint8_t in[128];
	size_t len = make_frame(in, 60, -1, 11);
	struct rte_mbuf *held[NB_TINY];
	unsigned int n = exhaust(tiny_deep, held, NB_TINY, 0);
	struct rte_mbuf *m = make_pkt(in, len, 1);

	(void)state;
	assert_null(rte_pktmbuf_copy(m, tiny_deep, 0, UINT32_MAX));
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	release(held, n);
	assert_no_leak();
}

static void
test_copy_failing_midway_returns_the_segments_it_took(void **state)
{
	static uint8_t in[MAX_FRAME];
	size_t len = make_frame(in, 4500, -1, 12);
	struct rte_mbuf *held[NB_TINY];
	/* 4500 bytes need three 2 KB segments; two are left. */
	unsigned int n = exhaust(tiny_deep, held, NB_TINY, 2);
	struct rte_mbuf *m = make_pkt(in, len, 3);

	(void)state;
	assert_null(rte_pktmbuf_copy(m, tiny_deep, 0, UINT32_MAX));
	assert_int_equal(rte_mempool_avail_count(tiny_deep), 2);
	assert_pkt(m, in, len);
	rte_pktmbuf_free(m);
	release(held, n);
	assert_no_leak();
}

/* ---- spp_mirror_burst on rings ---- */

static struct spp_port_totals totals[RTE_DIM(rings)];
static struct spp_port_rt ports[RTE_DIM(rings)];
static struct spp_port_stats port_stats[RTE_DIM(rings)];
static struct spp_worker worker;
static struct spp_comp_stats cstats;
static struct spp_comp_rt comp;

/* A mirror: rx rings[0] (rx_op), tx[0] rings[1] (op0), tx[1] rings[2] (op1). */
static void
mirror_setup(enum spp_copy_mode mode, struct rte_mempool *copy_pool,
	     const struct spp_vlan_op *rx_op, const struct spp_vlan_op *op0,
	     const struct spp_vlan_op *op1)
{
	memset(totals, 0, sizeof(totals));
	memset(ports, 0, sizeof(ports));
	memset(port_stats, 0, sizeof(port_stats));
	memset(&cstats, 0, sizeof(cstats));
	memset(&comp, 0, sizeof(comp));
	memset(&worker, 0, sizeof(worker));
	for (unsigned int i = 0; i < RTE_DIM(rings); i++) {
		ports[i].id.type = SPP_PORT_RING;
		ports[i].id.num = (uint16_t)i;
		ports[i].id.queue = SPP_NO_QUEUE;
		ports[i].ring = rings[i];
		ports[i].totals = &totals[i];
		ports[i].stats = &port_stats[i];
	}
	worker.pool = cow;
	worker.phy_ok = true;
	comp.run_burst = spp_mirror_burst;
	comp.stats = &cstats;
	comp.copy_mode = (uint8_t)mode;
	comp.copy_pool = copy_pool;
	comp.nb_rx = 1;
	comp.nb_tx = 2;
	comp.rx[0] = (struct spp_attach_rt){ .port = &ports[0], .op = *rx_op };
	comp.tx[0] = (struct spp_attach_rt){ .port = &ports[1], .op = *op0 };
	comp.tx[1] = (struct spp_attach_rt){ .port = &ports[2], .op = *op1 };
}

/*
 * Make tx[0] and tx[1] phy ports: ethdevs (net_ring) that put what they
 * are sent into rings[1] and rings[2]. A shallow mirror to two ethdevs
 * sends each single-segment mbuf itself twice (mirror.c: copy by
 * reference); to a ring:N it sends clones.
 */
static void
start_ethdev(uint16_t id)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	assert_int_equal(rte_eth_dev_configure(id, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(id, 0, 0, SOCKET_ID_ANY, NULL, pool), 0);
	assert_int_equal(rte_eth_tx_queue_setup(id, 0, 0, SOCKET_ID_ANY, NULL), 0);
	assert_int_equal(rte_eth_dev_start(id), 0);
}

static void
use_ethdev_tx(void)
{
	static int ethdev[2] = { -1, -1 };

	for (unsigned int k = 0; k < 2; k++) {
		if (ethdev[k] < 0) {
			char name[32];

			snprintf(name, sizeof(name), "unit_mirror_eth%u", k);
			ethdev[k] = rte_eth_from_rings(name, &rings[k + 1], 1, &rings[k + 1], 1,
						       SOCKET_ID_ANY);
			assert_true(ethdev[k] >= 0);
			start_ethdev((uint16_t)ethdev[k]);
		}
		ports[k + 1].id.type = SPP_PORT_PHY;
		ports[k + 1].ethdev_id = (uint16_t)ethdev[k];
		ports[k + 1].queue = 0;
		ports[k + 1].ring = NULL;
		ports[k + 1].totals = NULL;
	}
}

#define NB_BURST	8

/* Frames of several sizes and tags; the third has three segments. */
static struct rte_mbuf *
burst_pkt(unsigned int i, uint8_t *bytes, size_t *len)
{
	static const size_t sizes[NB_BURST] = { 60, 64, 4500, 1514, 60, 128, 1518, 90 };

	*len = make_frame(bytes, sizes[i], i % 2 ? (int)(0x2000 | i) : -1, (uint8_t)(i * 16));
	return make_pkt(bytes, *len, i == 2 ? 3 : 1);
}

static void
check_burst(enum spp_copy_mode mode, bool ethdevs)
{
	static uint8_t in[NB_BURST][MAX_FRAME];
	size_t len[NB_BURST], bytes = 0;
	struct rte_mbuf *sent[NB_BURST], *out[NB_BURST], *copies[NB_BURST];
	struct rte_mempool *mp = mode == SPP_COPY_DEEP ? deep : shallow;

	mirror_setup(mode, mp, &op_none, &op_none, &op_none);
	if (ethdevs)
		use_ethdev_tx();
	for (unsigned int i = 0; i < NB_BURST; i++) {
		sent[i] = burst_pkt(i, in[i], &len[i]);
		bytes += len[i];
	}
	assert_int_equal(rte_ring_enqueue_bulk(rings[0], (void **)sent, NB_BURST, NULL),
			 NB_BURST);
	assert_int_equal(spp_mirror_burst(&worker, &comp), NB_BURST);
	assert_int_equal(rte_ring_dequeue_bulk(rings[1], (void **)out, NB_BURST, NULL), NB_BURST);
	assert_int_equal(rte_ring_dequeue_bulk(rings[2], (void **)copies, NB_BURST, NULL),
			 NB_BURST);

	/* tx[0]: the very mbufs received, in order. */
	for (unsigned int i = 0; i < NB_BURST; i++) {
		assert_ptr_equal(out[i], sent[i]);
		assert_pkt(out[i], in[i], len[i]);
	}
	/*
	 * tx[1]: equal byte for byte; deep: own data from the deep pool;
	 * shallow to a ring: clones from the shallow pool; shallow to two
	 * ethdevs: the original itself, one reference each (a chain: a clone).
	 */
	for (unsigned int i = 0; i < NB_BURST; i++) {
		assert_pkt(copies[i], in[i], len[i]);
		if (mode == SPP_COPY_SHALLOW && ethdevs && sent[i]->nb_segs == 1) {
			assert_ptr_equal(copies[i], sent[i]);
			assert_int_equal(rte_mbuf_refcnt_read(sent[i]), 2);
			continue;
		}
		assert_ptr_equal(copies[i]->pool, mp);
		assert_true(mode == SPP_COPY_DEEP ? RTE_MBUF_DIRECT(copies[i]) :
			    RTE_MBUF_CLONED(copies[i]));
	}
	rte_pktmbuf_free_bulk(out, NB_BURST);
	rte_pktmbuf_free_bulk(copies, NB_BURST);

	assert_int_equal(cstats.rx_packets, NB_BURST);
	assert_int_equal(cstats.rx_bytes, bytes);
	assert_int_equal(cstats.tx_packets, 2 * NB_BURST);
	assert_int_equal(cstats.tx_bytes, 2 * bytes);
	assert_int_equal(cstats.dup_packets, NB_BURST);
	assert_int_equal(cstats.drop_packets, 0);
	assert_int_equal(ports[1].stats->tx.packets, NB_BURST);
	assert_int_equal(ports[2].stats->tx.packets, NB_BURST);
	assert_int_equal(totals[0].rx.packets, NB_BURST);
	assert_no_leak();
}

static void
test_mirror_burst_sends_originals_to_tx0_and_shallow_copies_to_tx1(void **state)
{
	(void)state;
	check_burst(SPP_COPY_SHALLOW, false);
}

static void
test_mirror_burst_shallow_to_ethdevs_sends_each_mbuf_with_two_references(void **state)
{
	(void)state;
	check_burst(SPP_COPY_SHALLOW, true);
}

static void
test_mirror_burst_sends_originals_to_tx0_and_deep_copies_to_tx1(void **state)
{
	(void)state;
	check_burst(SPP_COPY_DEEP, false);
}

static void
check_burst_with_ops(enum spp_copy_mode mode, bool ethdevs)
{
	static uint8_t in[NB_BURST][MAX_FRAME], tap[MAX_FRAME], want[MAX_FRAME + 4];
	size_t len[NB_BURST];
	struct rte_mbuf *pkts[NB_BURST], *out[NB_BURST];
	const struct spp_vlan_op op_add_200_0 = { .kind = SPP_VLAN_ADD, .vid = 200 };

	/* Tap point after the rx op (del); originals tagged 100/3, copies 200/0. */
	mirror_setup(mode, mode == SPP_COPY_DEEP ? deep : shallow, &op_del, &op_add_100_3,
		     &op_add_200_0);
	if (ethdevs)
		use_ethdev_tx();
	for (unsigned int i = 0; i < NB_BURST; i++)
		pkts[i] = burst_pkt(i, in[i], &len[i]);
	assert_int_equal(rte_ring_enqueue_bulk(rings[0], (void **)pkts, NB_BURST, NULL),
			 NB_BURST);
	assert_int_equal(spp_mirror_burst(&worker, &comp), NB_BURST);
	for (unsigned int k = 1; k <= 2; k++) {
		assert_int_equal(rte_ring_dequeue_bulk(rings[k], (void **)out, NB_BURST, NULL),
				 NB_BURST);
		for (unsigned int i = 0; i < NB_BURST; i++) {
			size_t tap_len = del_tag(tap, in[i], len[i]);
			size_t want_len = add_tag(want, tap, tap_len,
						  k == 1 ? TCI_100_3 : spp_vlan_tci(&op_add_200_0));

			assert_pkt(out[i], want, want_len);
		}
		rte_pktmbuf_free_bulk(out, NB_BURST);
	}
	assert_int_equal(cstats.drop_packets, 0);
	assert_int_equal(cstats.tx_packets, 2 * NB_BURST);
	assert_no_leak();
}

static void
test_mirror_burst_tx_ops_edit_only_their_side_shallow(void **state)
{
	(void)state;
	check_burst_with_ops(SPP_COPY_SHALLOW, false);
}

static void
test_mirror_burst_tx_ops_edit_only_their_side_shallow_to_ethdevs(void **state)
{
	(void)state;
	check_burst_with_ops(SPP_COPY_SHALLOW, true);
}

static void
test_mirror_burst_tx_ops_edit_only_their_side_deep(void **state)
{
	(void)state;
	check_burst_with_ops(SPP_COPY_DEEP, false);
}

static void
check_burst_without_copies(enum spp_copy_mode mode)
{
	static uint8_t in[NB_BURST][MAX_FRAME];
	size_t len[NB_BURST], bytes = 0;
	struct rte_mbuf *sent[NB_BURST], *out[NB_BURST];
	struct rte_mempool *mp = mode == SPP_COPY_DEEP ? tiny_deep : tiny_shallow;
	struct rte_mbuf *held[NB_TINY];
	unsigned int n = exhaust(mp, held, NB_TINY, 0);

	mirror_setup(mode, mp, &op_none, &op_none, &op_none);
	for (unsigned int i = 0; i < NB_BURST; i++) {
		sent[i] = burst_pkt(i, in[i], &len[i]);
		bytes += len[i];
	}
	assert_int_equal(rte_ring_enqueue_bulk(rings[0], (void **)sent, NB_BURST, NULL),
			 NB_BURST);
	assert_int_equal(spp_mirror_burst(&worker, &comp), NB_BURST);
	/* Every original still goes out; the failed copies count on the
	 * component only (nombuf), not as drops of the copy port. */
	assert_int_equal(rte_ring_dequeue_bulk(rings[1], (void **)out, NB_BURST, NULL), NB_BURST);
	for (unsigned int i = 0; i < NB_BURST; i++)
		assert_ptr_equal(out[i], sent[i]);
	rte_pktmbuf_free_bulk(out, NB_BURST);
	assert_int_equal(rte_ring_count(rings[2]), 0);
	assert_int_equal(cstats.rx_packets, NB_BURST);
	assert_int_equal(cstats.dup_packets, NB_BURST);
	assert_int_equal(cstats.tx_packets, NB_BURST);
	assert_int_equal(cstats.drop_packets, NB_BURST);
	assert_int_equal(cstats.drop_bytes, bytes);
	assert_int_equal(cstats.drops[SPP_DROP_NOMBUF], NB_BURST);
	assert_int_equal(ports[2].stats->tx.drop_packets, 0);
	release(held, n);
	assert_no_leak();
}

static void
test_mirror_burst_with_empty_shallow_pool_still_sends_originals(void **state)
{
	(void)state;
	check_burst_without_copies(SPP_COPY_SHALLOW);
}

static void
test_mirror_burst_with_empty_deep_pool_still_sends_originals(void **state)
{
	(void)state;
	check_burst_without_copies(SPP_COPY_DEEP);
}

static void
test_mirror_burst_frees_copies_a_full_tx1_refuses(void **state)
{
	static uint8_t in[NB_BURST][MAX_FRAME];
	size_t len[NB_BURST];
	struct rte_mbuf *sent[NB_BURST], *out[NB_BURST];
	struct rte_mbuf *fill[NB_RING];
	unsigned int free_slots = rte_ring_free_count(rings[2]);

	(void)state;
	mirror_setup(SPP_COPY_SHALLOW, shallow, &op_none, &op_none, &op_none);
	/* tx[1] has room for 3 of the 8 copies. */
	for (unsigned int i = 0; i < free_slots - 3; i++)
		fill[i] = rte_pktmbuf_alloc(pool);
	assert_int_equal(rte_ring_enqueue_bulk(rings[2], (void **)fill, free_slots - 3, NULL),
			 free_slots - 3);
	for (unsigned int i = 0; i < NB_BURST; i++)
		sent[i] = burst_pkt(i, in[i], &len[i]);
	assert_int_equal(rte_ring_enqueue_bulk(rings[0], (void **)sent, NB_BURST, NULL),
			 NB_BURST);
	assert_int_equal(spp_mirror_burst(&worker, &comp), NB_BURST);
	assert_int_equal(rte_ring_dequeue_bulk(rings[1], (void **)out, NB_BURST, NULL), NB_BURST);
	rte_pktmbuf_free_bulk(out, NB_BURST);
	assert_int_equal(cstats.tx_packets, NB_BURST + 3);
	assert_int_equal(cstats.drops[SPP_DROP_TX_FULL], NB_BURST - 3);
	assert_int_equal(cstats.drop_packets, NB_BURST - 3);
	assert_int_equal(ports[2].stats->tx.drop_packets, NB_BURST - 3);
	/* The ring holds the filler then the first three copies. */
	while (rte_ring_dequeue(rings[2], (void **)&out[0]) == 0)
		rte_pktmbuf_free(out[0]);
	assert_no_leak();
}

/* ---- leak check ---- */

static void
test_pools_are_back_to_their_start_counts(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(pools); i++) {
		assert_int_equal(rte_mempool_in_use_count(*pools[i]), 0);
		assert_int_equal(rte_mempool_avail_count(*pools[i]), (*pools[i])->size);
	}
}

#define T(fn)	cmocka_unit_test_setup(fn, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shallow_pool_has_no_data_room),
		T(test_clone_shares_the_data_of_a_single_segment_packet),
		T(test_clone_of_a_multi_segment_packet_clones_every_segment),
		T(test_copy_of_a_single_segment_packet_owns_its_data),
		T(test_copy_of_a_multi_segment_packet_has_all_its_bytes),
		T(test_copy_of_a_small_multi_segment_packet_fits_one_segment),
		T(test_add_on_clone_leaves_the_original),
		T(test_add_on_original_leaves_the_clone),
		T(test_del_on_clone_leaves_the_original),
		T(test_del_on_original_leaves_the_clone),
		T(test_edits_of_multi_segment_shares_leave_the_other_side),
		T(test_add_on_shared_original_without_headroom_tags_a_copy),
		T(test_del_on_shared_original_without_headroom_edits_a_copy),
		T(test_edits_on_a_deep_copy_and_its_original_happen_in_place),
		T(test_clone_into_an_empty_pool_fails_and_leaks_nothing),
		T(test_clone_failing_midway_returns_the_segments_it_took),
		T(test_copy_into_an_empty_pool_fails_and_leaks_nothing),
		T(test_copy_failing_midway_returns_the_segments_it_took),
		T(test_mirror_burst_sends_originals_to_tx0_and_shallow_copies_to_tx1),
		T(test_mirror_burst_sends_originals_to_tx0_and_deep_copies_to_tx1),
		T(test_mirror_burst_shallow_to_ethdevs_sends_each_mbuf_with_two_references),
		T(test_mirror_burst_tx_ops_edit_only_their_side_shallow),
		T(test_mirror_burst_tx_ops_edit_only_their_side_shallow_to_ethdevs),
		T(test_mirror_burst_tx_ops_edit_only_their_side_deep),
		T(test_mirror_burst_with_empty_shallow_pool_still_sends_originals),
		T(test_mirror_burst_with_empty_deep_pool_still_sends_originals),
		T(test_mirror_burst_frees_copies_a_full_tx1_refuses),
		T(test_pools_are_back_to_their_start_counts),
	};

	return cmocka_run_group_tests_name("mirror_copy", tests, group_setup, group_teardown);
}
