/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lookup structure of one classifier (SPEC §8.5): an open-addressing
 * hash on (VID, MAC) -> tx index, plus per-VLAN unicast fallback and flood
 * sets with the general default already folded in.
 *
 * Built by the manager from the model into a plan; immutable afterwards,
 * so any number of worker lookups may run concurrently with no lock. Plain
 * libc memory (SPEC §1.2: tables are private, never named shared objects).
 */
#ifndef SPP_CLS_TABLE_H
#define SPP_CLS_TABLE_H

#include <stdint.h>
#include <string.h>

#include "spp_model.h"

#define SPP_CLS_NO_DEST	(-1)
#define SPP_NB_VIDS	4096

struct spp_cls_table {
	uint32_t mask;		/* slots - 1, slots a power of two */
	uint32_t nb_entries;	/* active (VID, MAC) entries */
	uint64_t *keys;		/* 0 = empty slot (no valid key is 0) */
	int8_t *dst;		/* tx index per slot */
	/* Unicast miss: D(v), else G for tagged v, else SPP_CLS_NO_DEST. */
	int8_t miss_dst[SPP_NB_VIDS];
	/* Flood set of VLAN v as tx-index bits (G included for tagged v). */
	uint64_t flood[SPP_NB_VIDS];
};

/*
 * Build the table of classifier c from the entries of m that are active in
 * it. Thread: manager. Returns NULL and sets errno (ENOMEM) on failure.
 */
struct spp_cls_table *spp_cls_table_create(const struct spp_model *m,
					   const struct spp_comp_cfg *c);

/* destroy(NULL) is a no-op. */
void spp_cls_table_destroy(struct spp_cls_table *t);

/*
 * A MAC as the low 48 bits of an integer, byte 0 lowest: the value an
 * 8-byte little-endian load of a frame's first bytes has once masked, so
 * the fast path keys a frame with one load (spp_cls_frame_key).
 */
static inline uint64_t
spp_cls_mac48(const uint8_t *mac)
{
	return (uint64_t)mac[0] | (uint64_t)mac[1] << 8 | (uint64_t)mac[2] << 16 |
		(uint64_t)mac[3] << 24 | (uint64_t)mac[4] << 32 | (uint64_t)mac[5] << 40;
}

static inline uint64_t
spp_cls_key(uint16_t vid, const uint8_t *mac)
{
	return spp_cls_mac48(mac) | (uint64_t)vid << 48;
}

/*
 * Key of a frame's destination MAC in VLAN vid; frame has >= 8 bytes.
 * Thread: any (fast path).
 */
static inline uint64_t
spp_cls_frame_key(uint16_t vid, const uint8_t *frame)
{
	uint64_t head;

	memcpy(&head, frame, sizeof(head));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	head = __builtin_bswap64(head);
#endif
	return (head & UINT64_C(0xffffffffffff)) | (uint64_t)vid << 48;
}

static inline uint32_t
spp_cls_hash(uint64_t key, uint32_t mask)
{
	/* Fibonacci hashing: the high bits of the product mix all key bits. */
	return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
}

/*
 * A table's lookup fields, copied out of the table: a burst loop keeps
 * them in registers (a loop that stores int8_t verdicts, a character type
 * that may alias anything, would otherwise reload them through the table
 * pointer after every store).
 */
struct spp_cls_view {
	const uint64_t *keys;
	const int8_t *dst;
	const int8_t *miss_dst;
	uint32_t mask;
};

static inline struct spp_cls_view
spp_cls_table_view(const struct spp_cls_table *t)
{
	return (struct spp_cls_view){
		.keys = t->keys, .dst = t->dst, .miss_dst = t->miss_dst, .mask = t->mask,
	};
}

/* Exact-match probe for key. Thread: any. Returns the tx index or SPP_CLS_NO_DEST. */
static inline int
spp_cls_probe(const struct spp_cls_view *v, uint64_t key)
{
	for (uint32_t i = spp_cls_hash(key, v->mask);; i = (i + 1) & v->mask) {
		uint64_t k = v->keys[i];

		/* Empty first: an untagged all-zero MAC has key 0 too, and no
		 * entry does (spp_mac_parse refuses all-zero addresses). */
		if (k == 0)
			return SPP_CLS_NO_DEST;
		if (k == key)
			return v->dst[i];
	}
}

/*
 * Unicast destination of key in VLAN vid with the default fallbacks of
 * SPEC §8.5: the entry, else the VLAN's default, else (tagged) the general
 * default. Returns the tx index or SPP_CLS_NO_DEST.
 */
static inline int
spp_cls_unicast(const struct spp_cls_view *v, uint16_t vid, uint64_t key)
{
	int d = spp_cls_probe(v, key);

	return d != SPP_CLS_NO_DEST ? d : v->miss_dst[vid];
}

/* Exact-match lookup of unicast (vid, mac). Returns the tx index or SPP_CLS_NO_DEST. */
static inline int
spp_cls_table_lookup(const struct spp_cls_table *t, uint16_t vid, const uint8_t *mac)
{
	struct spp_cls_view v = spp_cls_table_view(t);

	return spp_cls_probe(&v, spp_cls_key(vid, mac));
}

/* spp_cls_unicast() of (vid, mac) in table t. */
static inline int
spp_cls_table_unicast(const struct spp_cls_table *t, uint16_t vid, const uint8_t *mac)
{
	struct spp_cls_view v = spp_cls_table_view(t);

	return spp_cls_unicast(&v, vid, spp_cls_key(vid, mac));
}

/* Verdicts of spp_cls_frame_verdict() besides tx indexes (>= 0). */
#define SPP_CLS_MALFORMED	(-2)
#define SPP_CLS_FLOOD		(-3)

/*
 * The VLAN of a frame with at least an Ethernet header at eth, data_len
 * bytes of which are in its first segment (SPEC §8.5). Thread: any.
 */
static inline uint16_t
spp_cls_frame_vid(const uint8_t *eth, uint32_t data_len)
{
	/* Only an outer 0x8100 tag whole in the first segment counts. */
	if (eth[12] == 0x81 && eth[13] == 0x00 && data_len >= 14 + 4)
		return (uint16_t)((eth[14] << 8 | eth[15]) & 0xfff);
	return SPP_VID_UNTAGGED;
}

/*
 * Parse and look up one frame (SPEC §8.5), without touching its mbuf: the
 * classifier's per-packet decision, callable from tests and fuzzers.
 * eth: the first segment's data, data_len bytes of it.
 * Returns the tx index of a unicast frame, SPP_CLS_NO_DEST (unicast with
 * no entry and no default, or a group address whose VLAN floods nowhere),
 * SPP_CLS_MALFORMED (< 14 bytes, or VID 4095), or SPP_CLS_FLOOD (a group
 * address: its VLAN's flood set t->flood[*vid] is not empty). *vid gets
 * the frame's VLAN unless it is malformed. Thread: any (fast path).
 */
static inline int
spp_cls_frame_verdict(const struct spp_cls_table *t, const struct spp_cls_view *lk,
		      const uint8_t *eth, uint32_t data_len, uint16_t *vid)
{
	if (__builtin_expect(data_len < 14, 0))
		return SPP_CLS_MALFORMED;
	*vid = spp_cls_frame_vid(eth, data_len);
	if (__builtin_expect(*vid == 0xfff, 0))
		return SPP_CLS_MALFORMED;
	if (__builtin_expect((eth[0] & 0x01) == 0, 1))
		return spp_cls_unicast(lk, *vid, spp_cls_frame_key(*vid, eth));
	return t->flood[*vid] != 0 ? SPP_CLS_FLOOD : SPP_CLS_NO_DEST;
}

#endif /* SPP_CLS_TABLE_H */
