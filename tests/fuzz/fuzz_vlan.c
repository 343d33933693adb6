/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: 802.1Q tag add / strip (spp_vlan.c, SPEC §8.6) on real
 * mbufs of random layout: headroom, 1-3 segments of any split, a direct
 * packet with refcount 2 (a flood), an indirect clone (a shallow mirror
 * copy), and a copy pool that is empty. The EAL runs with --no-huge.
 *
 * Input: byte 0: op (bits 0-1: none, add, del, add then del), bit 2 shared,
 * bit 3 indirect, bit 4 empty copy pool; byte 1: headroom; byte 2:
 * segments; byte 3: first split; byte 4: the second, after the first;
 * bytes 5-6: TCI; the rest: the frame.
 * Oracles: the return value, the bytes and the lengths equal what SPEC §8.6
 * gives on the flat frame (a reference here); a failure leaves the packet
 * as it was; the other holder of a shared or indirect packet never sees an
 * edit; add then del restores an untagged frame byte for byte; pkt_len and
 * nb_segs stay consistent; every mbuf is back in its pool afterwards.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "../unit/unit_eal.h"
#include "fuzz.h"
#include "spp_vlan.h"

#define NB_MBUFS	511
#define NB_TINY		3
#define MAX_FRAME	1500

static struct rte_mempool *pool;	/* packets under test */
static struct rte_mempool *cpool;	/* copies (spp_vlan_apply's pool) */
static struct rte_mempool *tiny;	/* a copy pool with nothing left */
static struct rte_mempool *clones;	/* indirect mbufs, data room 0 */
static struct rte_mbuf *tiny_held[NB_TINY];

static void
cleanup(void)
{
	rte_pktmbuf_free_bulk(tiny_held, NB_TINY);
	rte_mempool_free(pool);
	rte_mempool_free(cpool);
	rte_mempool_free(tiny);
	rte_mempool_free(clones);
	unit_eal_cleanup();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (unit_eal_init("fuzz_vlan") < 0)
		abort();
	pool = rte_pktmbuf_pool_create("fuzz_vlan_pkts", NB_MBUFS, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cpool = rte_pktmbuf_pool_create("fuzz_vlan_copies", NB_MBUFS, 0, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	tiny = rte_pktmbuf_pool_create("fuzz_vlan_tiny", NB_TINY, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	clones = rte_pktmbuf_pool_create("fuzz_vlan_clones", NB_MBUFS, 0, 0, 0, SOCKET_ID_ANY);
	if (pool == NULL || cpool == NULL || tiny == NULL || clones == NULL ||
	    rte_pktmbuf_alloc_bulk(tiny, tiny_held, NB_TINY) != 0) {
		fprintf(stderr, "pools: %s\n", rte_strerror(rte_errno));
		abort();
	}
	atexit(cleanup);
	return 0;
}

/* The packet's bytes, flattened into out (>= pkt_len bytes). */
static uint32_t
flatten(const struct rte_mbuf *m, uint8_t *out)
{
	uint32_t len = 0, nb = 0;

	for (const struct rte_mbuf *s = m; s != NULL; s = s->next, nb++) {
		memcpy(out + len, rte_pktmbuf_mtod(s, const uint8_t *), s->data_len);
		len += s->data_len;
	}
	FUZZ_CHECK(len == m->pkt_len, "pkt_len %u, segments hold %u", m->pkt_len, len);
	FUZZ_CHECK(nb == m->nb_segs, "nb_segs %u, chain of %u", m->nb_segs, nb);
	return len;
}

/*
 * SPEC §8.6 on the flat frame: the return value, and the frame after a
 * success in out / *out_len. L1: bytes in the first segment; writable:
 * direct with refcount 1; copy_ok: the copy pool has mbufs.
 */
static int
reference(const struct spp_vlan_op *op, const uint8_t *in, uint32_t len, uint32_t l1,
	  uint16_t headroom, bool writable, bool copy_ok, uint8_t *out, uint32_t *out_len)
{
	bool tagged = l1 >= 14 && in[12] == 0x81 && in[13] == 0x00;
	uint16_t tci = spp_vlan_tci(op);

	memcpy(out, in, len);
	*out_len = len;
	if (op->kind == SPP_VLAN_ADD) {
		if (l1 < 14)
			return SPP_DROP_VLAN_ERROR;
		if (tagged) {
			if (l1 < 18)
				return SPP_DROP_VLAN_ERROR;
			if (in[14] == tci >> 8 && in[15] == (tci & 0xff))
				return 0;	/* nothing to edit, nothing copied */
			if (!writable && !copy_ok)
				return SPP_DROP_NOMBUF;
			out[14] = (uint8_t)(tci >> 8);
			out[15] = (uint8_t)tci;
			return 0;
		}
		if (writable && headroom < 4)
			return SPP_DROP_VLAN_ERROR;
		if (!writable && !copy_ok)
			return SPP_DROP_NOMBUF;
		memcpy(out, in, 12);
		out[12] = 0x81;
		out[13] = 0x00;
		out[14] = (uint8_t)(tci >> 8);
		out[15] = (uint8_t)tci;
		memcpy(out + 16, in + 12, len - 12);
		*out_len = len + 4;
		return 0;
	}
	if (op->kind == SPP_VLAN_DEL) {
		/* A 0x8100 frame, even one whose ethertype is past the first
		 * segment, is stripped or refused, never sent on tagged. */
		if (len < 14 || in[12] != 0x81 || in[13] != 0x00)
			return 0;
		if (l1 < 18)
			return SPP_DROP_VLAN_ERROR;
		if (!writable && !copy_ok)
			return SPP_DROP_NOMBUF;
		memcpy(out, in, 12);
		memcpy(out + 12, in + 16, len - 16);
		*out_len = len - 4;
		return 0;
	}
	return 0;
}

/* A chain of nb segments holding frame, split at s1 (and s2); NULL if no room. */
static struct rte_mbuf *
build(const uint8_t *frame, uint32_t len, uint16_t headroom, int nb, uint32_t s1, uint32_t s2)
{
	uint32_t cut[3] = { s1, s2, len };
	uint32_t off = 0;
	struct rte_mbuf *head = NULL, *last = NULL;

	for (int i = 0; i < nb; i++) {
		struct rte_mbuf *s = rte_pktmbuf_alloc(pool);
		uint32_t end = i == nb - 1 ? len : cut[i];

		FUZZ_CHECK(s != NULL, "pool empty: an mbuf leaked");
		if (end < off)
			end = off;
		if (end > len)
			end = len;
		if (i == 0)
			s->data_off = headroom;
		if (end - off > rte_pktmbuf_tailroom(s)) {
			rte_pktmbuf_free(s);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_append(s, (uint16_t)(end - off)), frame + off, end - off);
		off = end;
		if (head == NULL) {
			head = s;
		} else {
			last->next = s;
			head->nb_segs++;
			head->pkt_len += s->data_len;
		}
		last = s;
	}
	return head;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[MAX_FRAME], want[MAX_FRAME + 4], got[MAX_FRAME + 4],
		other_before[MAX_FRAME], other_after[MAX_FRAME + 4];
	struct fuzz_in in = { data, size };
	unsigned int pool_base = rte_mempool_avail_count(pool);
	unsigned int cpool_base = rte_mempool_avail_count(cpool);
	unsigned int clones_base = rte_mempool_avail_count(clones);
	uint8_t mode = fuzz_u8(&in);
	uint16_t headroom = fuzz_u8(&in);
	int nb_segs = 1 + fuzz_u8(&in) % 3;
	uint32_t s1 = fuzz_u8(&in), s2 = s1 + fuzz_u8(&in);
	uint16_t tci = fuzz_u16(&in);
	uint32_t len = (uint32_t)(in.n < MAX_FRAME ? in.n : MAX_FRAME);
	struct spp_vlan_op add = {
		.kind = SPP_VLAN_ADD, .pcp = (uint8_t)(tci >> 13), .vid = (uint16_t)((tci & 0xfff) % 4095),
	};
	struct spp_vlan_op del = { .kind = SPP_VLAN_DEL };
	struct spp_vlan_op none = { .kind = SPP_VLAN_NONE };
	const struct spp_vlan_op *op = (mode & 3) == 2 ? &del : (mode & 3) == 0 ? &none : &add;
	bool shared = mode & 4, indirect = mode & 8, empty_copy_pool = mode & 16;
	struct rte_mempool *copy_pool = empty_copy_pool ? tiny : cpool;
	struct rte_mbuf *m, *other = NULL, *before;
	uint32_t want_len, got_len, l1;
	int ret, want_ret;

	fuzz_bytes(&in, frame, len);
	m = build(frame, len, headroom, nb_segs, s1, s2);
	if (m == NULL)
		return 0;
	l1 = m->data_len;
	if (indirect) {
		/* m becomes a clone; the original keeps a reference (mirror). */
		other = m;
		m = rte_pktmbuf_clone(other, clones);
		FUZZ_CHECK(m != NULL, "clone pool empty: an mbuf leaked");
	} else if (shared) {
		/* A flood: one mbuf, two references on every segment. */
		rte_pktmbuf_refcnt_update(m, 1);
		other = m;
	}
	if (other != NULL)
		flatten(other, other_before);

	want_ret = reference(op, frame, len, l1, headroom, other == NULL, !empty_copy_pool, want,
			     &want_len);
	before = m;
	ret = spp_vlan_apply(op, &m, copy_pool);
	FUZZ_CHECK(ret == want_ret, "returned %d, SPEC §8.6 says %d", ret, want_ret);
	got_len = flatten(m, got);
	if (ret != 0) {
		FUZZ_CHECK(m == before, "a failure replaced the packet");
		FUZZ_CHECK(got_len == len && memcmp(got, frame, len) == 0,
			   "a failure changed the packet");
	} else {
		FUZZ_CHECK(got_len == want_len && memcmp(got, want, want_len) == 0,
			   "bytes differ from SPEC §8.6 (%u vs %u bytes)", got_len, want_len);
	}
	if (other != NULL) {
		uint32_t n = flatten(other, other_after);

		FUZZ_CHECK(n == len && memcmp(other_after, other_before, len) == 0,
			   "an edit is visible to the other holder");
	}
	/* add then del gives back an untagged frame. */
	if ((mode & 3) == 3 && ret == 0 && !(l1 >= 14 && frame[12] == 0x81 && frame[13] == 0)) {
		ret = spp_vlan_apply(&del, &m, copy_pool);
		FUZZ_CHECK(ret == 0, "del after add failed: %d", ret);
		got_len = flatten(m, got);
		FUZZ_CHECK(got_len == len && memcmp(got, frame, len) == 0,
			   "add then del did not restore the frame");
	}

	rte_pktmbuf_free(m);
	rte_pktmbuf_free(other);
	FUZZ_CHECK(rte_mempool_avail_count(pool) == pool_base &&
		   rte_mempool_avail_count(cpool) == cpool_base &&
		   rte_mempool_avail_count(clones) == clones_base, "mbufs leaked or freed twice");
	return 0;
}
