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

static inline uint64_t
spp_cls_key(uint16_t vid, const uint8_t *mac)
{
	uint32_t lo;
	uint16_t hi;

	/*
	 * Two loads combined in registers. Copying 6 bytes into a zeroed
	 * uint64_t on the stack instead made every lookup wait for a failed
	 * store-to-load forward (~30 % of the classifier's samples).
	 * Any fixed byte mapping works: build and lookup use this one.
	 */
	memcpy(&lo, mac, sizeof(lo));
	memcpy(&hi, mac + 4, sizeof(hi));
	return (uint64_t)lo | (uint64_t)hi << 32 | (uint64_t)vid << 48;
}

static inline uint32_t
spp_cls_hash(uint64_t key, uint32_t mask)
{
	/* Fibonacci hashing: the high bits of the product mix all key bits. */
	return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
}

/*
 * Exact-match lookup of unicast (vid, mac). Thread: any.
 * Returns the tx index, or SPP_CLS_NO_DEST.
 */
static inline int
spp_cls_table_lookup(const struct spp_cls_table *t, uint16_t vid, const uint8_t *mac)
{
	uint64_t key = spp_cls_key(vid, mac);
	uint32_t i = spp_cls_hash(key, t->mask);

	for (;;) {
		uint64_t k = t->keys[i];

		if (k == key)
			return t->dst[i];
		if (k == 0)
			return SPP_CLS_NO_DEST;
		i = (i + 1) & t->mask;
	}
}

/* Unicast destination of (vid, mac) with the default fallbacks of §8.5. */
static inline int
spp_cls_table_unicast(const struct spp_cls_table *t, uint16_t vid, const uint8_t *mac)
{
	int d = spp_cls_table_lookup(t, vid, mac);

	return d != SPP_CLS_NO_DEST ? d : t->miss_dst[vid];
}

#endif /* SPP_CLS_TABLE_H */
