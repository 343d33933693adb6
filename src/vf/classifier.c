/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * classifier (SPEC §8.5): one burst from the rx port is sorted by
 * (VLAN, destination MAC) into one array per tx port; each array gets its
 * port's tx op and is sent. Group addresses are flooded to the VLAN's
 * flood set as one mbuf with its refcount raised, not as copies: a tx op
 * that must edit a flooded packet copies it first (spp_vlan.h).
 *
 * Two passes over the burst. The first finds each packet's verdict (a tx
 * index, flood, or a drop reason). The second builds, per destination, a
 * bitmask of the packets going there and gathers them in order. Counting
 * per destination while classifying instead chained every packet to the
 * previous store of the same counter (perf: ~17 % of the classifier's
 * samples at 4 destinations).
 */
#include <rte_vect.h>

#include "components.h"

/* Verdicts besides tx indexes (>= 0). */
#define V_NO_DEST	SPP_CLS_NO_DEST	/* -1 */
#define V_MALFORMED	SPP_CLS_MALFORMED	/* -2 */
#define V_FLOOD		SPP_CLS_FLOOD	/* -3 */

/* Bit i set where verdict[i] == v, for i < SPP_BURST_SIZE. */
static inline uint32_t
verdict_mask(const int8_t *verdict, int8_t v)
{
#if defined(__SSE2__) && SPP_BURST_SIZE == 32
	__m128i x = _mm_set1_epi8(v);
	__m128i lo = _mm_loadu_si128((const __m128i *)verdict);
	__m128i hi = _mm_loadu_si128((const __m128i *)(verdict + 16));

	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(lo, x)) |
		(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(hi, x)) << 16;
#else
	uint32_t mask = 0;

	for (int i = 0; i < SPP_BURST_SIZE; i++)
		mask |= (uint32_t)(verdict[i] == v) << i;
	return mask;
#endif
}

/* Bit i set where verdict[i] < 0. */
static inline uint32_t
verdict_mask_sign(const int8_t *verdict)
{
#if defined(__SSE2__) && SPP_BURST_SIZE == 32
	return (uint32_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)verdict)) |
		(uint32_t)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(verdict + 16)))
		<< 16;
#else
	uint32_t mask = 0;

	for (int i = 0; i < SPP_BURST_SIZE; i++)
		mask |= (uint32_t)(verdict[i] < 0) << i;
	return mask;
#endif
}

/*
 * Verdict of one packet (spp_cls_frame_verdict, the part fuzzed by
 * tests/fuzz/fuzz_classifier.c); raises a flooded packet's refcount.
 */
static inline int8_t
classify(const struct spp_cls_table *t, const struct spp_cls_view *lk, struct rte_mbuf *m,
	 uint64_t *used, uint64_t *dup)
{
	uint16_t vid;
	int d = spp_cls_frame_verdict(t, lk, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
				      &vid);

	if (likely(d >= 0)) {
		*used |= UINT64_C(1) << d;
		return (int8_t)d;
	}
	if (d != V_FLOOD)
		return (int8_t)d;

	uint64_t flood = t->flood[vid];
	int copies = __builtin_popcountll(flood);
	/* One reference per destination, on every segment. */
	if (copies > 1)
		rte_pktmbuf_refcnt_update(m, (int16_t)(copies - 1));
	*dup += (uint64_t)(copies - 1);
	*used |= flood;
	return V_FLOOD;
}

uint16_t
spp_classifier_burst(struct spp_worker *w, const struct spp_comp_rt *c)
{
	const struct spp_cls_table *t = c->cls;
	struct spp_comp_stats *cs = c->stats;
	struct rte_mbuf *pkts[SPP_BURST_SIZE];
	int8_t verdict[SPP_BURST_SIZE];
	uint64_t dup = 0, used = 0;
	uint32_t burst_mask, special;
	uint16_t received, n;

	received = spp_attach_rx_burst(w, &c->rx[0], pkts, SPP_BURST_SIZE, cs);
	if (received == 0)
		return 0;
	n = spp_apply_vlan_op(w, &c->rx[0].op, pkts, received, cs, NULL);
	if (unlikely(n == 0))
		return received;
	/* In registers for the burst; see struct spp_cls_view. */
	const struct spp_cls_view lk = spp_cls_table_view(t);

	for (uint16_t i = 0; i < n; i++)
		verdict[i] = classify(t, &lk, pkts[i], &used, &dup);
	/* Slots past the burst hold no packet: match no verdict below. */
	burst_mask = n == 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
	/* Negative verdicts have their sign bit set. */
	special = verdict_mask_sign(verdict) & burst_mask;

	/* One flow per burst, the usual case: send the burst as received. */
	if (special == 0 && (used & (used - 1)) == 0) {
		const struct spp_attach_rt *tx = &c->tx[__builtin_ctzll(used)];

		n = spp_apply_vlan_op(w, &tx->op, pkts, n, cs, tx->port);
		spp_attach_tx_burst(w, tx, pkts, n, cs);
		return received;
	}

	uint32_t flooded = 0;

	if (unlikely(special != 0)) {
		uint64_t malformed = 0, malformed_bytes = 0, no_dest = 0, no_dest_bytes = 0;

		flooded = verdict_mask(verdict, V_FLOOD) & burst_mask;
		for (uint32_t drop = special & ~flooded; drop != 0; drop &= drop - 1) {
			struct rte_mbuf *m = pkts[__builtin_ctz(drop)];

			if (verdict[__builtin_ctz(drop)] == V_MALFORMED) {
				malformed++;
				malformed_bytes += m->pkt_len;
			} else {
				no_dest++;
				no_dest_bytes += m->pkt_len;
			}
			rte_pktmbuf_free(m);
		}
		if (malformed != 0)
			spp_comp_drop(cs, SPP_DROP_MALFORMED, malformed, malformed_bytes);
		if (no_dest != 0)
			spp_comp_drop(cs, SPP_DROP_NO_DEST, no_dest, no_dest_bytes);
		if (dup != 0)
			spp_stat_add(&cs->dup_packets, dup);
	}

	for (; used != 0; used &= used - 1) {
		int d = __builtin_ctzll(used);
		const struct spp_attach_rt *tx = &c->tx[d];
		uint32_t mask = verdict_mask(verdict, (int8_t)d) & burst_mask;
		struct rte_mbuf **out = w->out[d];
		uint16_t k = 0;

		/* Flooded packets go to d when d is in their VLAN's flood set. */
		for (uint32_t f = flooded; f != 0; f &= f - 1) {
			int i = __builtin_ctz(f);
			const uint8_t *eth = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

			if ((t->flood[spp_cls_frame_vid(eth, pkts[i]->data_len)] >> d) & 1)
				mask |= UINT32_C(1) << i;
		}
		for (; mask != 0; mask &= mask - 1)
			out[k++] = pkts[__builtin_ctz(mask)];
		k = spp_apply_vlan_op(w, &tx->op, out, k, cs, tx->port);
		spp_attach_tx_burst(w, tx, out, k, cs);
	}
	return received;
}
