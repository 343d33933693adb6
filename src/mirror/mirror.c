/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mirror (Tap-as-a-Service): originals to tx[0], copies to tx[1].
 *
 * The copies are taken after the rx op and before any tx op, so each one
 * is the frame at the tap point. Tx ops on either side never show through
 * to the other: a shallow copy and its original share data (or are one
 * mbuf with two references, see copy_by_reference), so a tag edit on
 * either copies first (spp_vlan.h, copy-on-write).
 */
#include "mirror.h"

static inline struct rte_mbuf *
copy_packet(const struct spp_comp_rt *c, struct rte_mbuf *m)
{
	if (c->copy_mode == SPP_COPY_DEEP)
		return rte_pktmbuf_copy(m, c->copy_pool, 0, UINT32_MAX);
	return rte_pktmbuf_clone(m, c->copy_pool);
}

/*
 * Fill copy, a fresh mbuf of the copy pool, from single-segment m: a
 * shallow copy attaches to m's data; a deep copy gets its own, as
 * rte_pktmbuf_copy makes it. Returns false when m needs the general path
 * (several segments, or data larger than the copy's room).
 */
static inline bool
copy_into(const struct spp_comp_rt *c, struct rte_mbuf *copy, struct rte_mbuf *m)
{
	if (unlikely(m->nb_segs != 1))
		return false;
	if (c->copy_mode == SPP_COPY_SHALLOW) {
		rte_pktmbuf_attach(copy, m);
		return true;
	}
	if (unlikely(m->data_len > rte_pktmbuf_tailroom(copy)))
		return false;
	rte_memcpy(rte_pktmbuf_mtod(copy, void *), rte_pktmbuf_mtod(m, const void *),
		   m->data_len);
	__rte_pktmbuf_copy_hdr(copy, m);
	copy->ol_flags = m->ol_flags & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);
	copy->data_len = m->data_len;
	copy->pkt_len = m->pkt_len;
	return true;
}

/*
 * A shallow copy by reference: the copy is the original mbuf itself with
 * one more reference. Allowed only when neither tx port hands the mbuf on
 * to another process (ring:N): an ethdev's tx and a vhost enqueue only read
 * the frame and then drop their reference, so the two holders never look
 * at the header (data_off, lengths) while the other may change it; a tag
 * edit on either side copies first (refcount 2 is "shared", spp_vlan.h).
 * Chains are cloned instead: rte_pktmbuf_free drops every segment's own
 * reference, so every segment would need one more.
 *
 * Why: per 64-byte frame a clone costs an mbuf get and put, the attach's
 * atomic increment, and two atomic decrements when both holders free;
 * a reference costs one plain store (we are the only holder when the
 * refcount is 1) and one atomic decrement at the first free.
 * bench/ mirror_shallow_k1: 30.4 Mpps with clones (docs/performance.md).
 */
static inline bool
copy_by_reference(const struct spp_comp_rt *c)
{
	return c->copy_mode == SPP_COPY_SHALLOW && c->tx[0].port->id.type != SPP_PORT_RING &&
	       c->tx[1].port->id.type != SPP_PORT_RING;
}

static inline uint16_t
reference_burst(const struct spp_comp_rt *c, struct rte_mbuf **pkts, uint16_t n,
		struct rte_mbuf **copies, uint64_t *nombuf, uint64_t *nombuf_bytes)
{
	uint16_t nb = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (likely(m->nb_segs == 1)) {
			if (likely(rte_mbuf_refcnt_read(m) == 1))
				rte_mbuf_refcnt_set(m, 2);
			else
				rte_mbuf_refcnt_update(m, 1);
			copies[nb++] = m;
			continue;
		}
		copies[nb] = rte_pktmbuf_clone(m, c->copy_pool);
		if (unlikely(copies[nb] == NULL)) {
			(*nombuf)++;
			*nombuf_bytes += m->pkt_len;
			continue;
		}
		nb++;
	}
	return nb;
}

/*
 * Copy pkts[0..n) into copies[], in order; returns the number made and
 * counts the others in *nombuf / *nombuf_bytes.
 *
 * The copies' mbufs come from the pool in one bulk get: one mempool call
 * (and lcore-id lookup) per burst instead of one per packet, which cost
 * the shallow mirror a fifth of its rate (bench/: mirror_shallow_k1).
 */
static inline uint16_t
copy_burst(const struct spp_comp_rt *c, struct rte_mbuf **pkts, uint16_t n,
	   struct rte_mbuf **copies, uint64_t *nombuf, uint64_t *nombuf_bytes)
{
	bool bulk = rte_pktmbuf_alloc_bulk(c->copy_pool, copies, n) == 0;
	uint16_t nb = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *copy = NULL;

		if (likely(bulk)) {
			copy = copies[i];
			if (unlikely(!copy_into(c, copy, pkts[i]))) {
				rte_pktmbuf_free(copy);
				copy = NULL;
			}
		}
		/* Chains, large frames, or a pool too low for a whole burst. */
		if (copy == NULL)
			copy = copy_packet(c, pkts[i]);
		if (unlikely(copy == NULL)) {
			(*nombuf)++;
			*nombuf_bytes += pkts[i]->pkt_len;
			continue;
		}
		copies[nb++] = copy;
	}
	return nb;
}

uint16_t
spp_mirror_burst(struct spp_worker *w, const struct spp_comp_rt *c)
{
	struct spp_comp_stats *cs = c->stats;
	const struct spp_attach_rt *orig_tx = &c->tx[0];
	const struct spp_attach_rt *copy_tx = &c->tx[1];
	struct rte_mbuf *pkts[SPP_BURST_SIZE];
	struct rte_mbuf *copies[SPP_BURST_SIZE];
	uint64_t nombuf = 0, nombuf_bytes = 0;
	uint16_t received, n, nb_copies;

	received = spp_attach_rx_burst(w, &c->rx[0], pkts, SPP_BURST_SIZE, cs);
	if (received == 0)
		return 0;
	n = spp_apply_vlan_op(w, &c->rx[0].op, pkts, received, cs, NULL);
	if (copy_by_reference(c))
		nb_copies = reference_burst(c, pkts, n, copies, &nombuf, &nombuf_bytes);
	else
		nb_copies = copy_burst(c, pkts, n, copies, &nombuf, &nombuf_bytes);
	/* Every received packet counts as duplicated; failed copies as drops. */
	spp_stat_add(&cs->dup_packets, n);
	if (unlikely(nombuf != 0))
		spp_comp_drop(cs, SPP_DROP_NOMBUF, nombuf, nombuf_bytes);

	/* Originals first: a slow monitor must never delay or drop them. */
	n = spp_apply_vlan_op(w, &orig_tx->op, pkts, n, cs, orig_tx->port);
	spp_attach_tx_burst(w, orig_tx, pkts, n, cs);
	nb_copies = spp_apply_vlan_op(w, &copy_tx->op, copies, nb_copies, cs, copy_tx->port);
	spp_attach_tx_burst(w, copy_tx, copies, nb_copies, cs);
	return received;
}
