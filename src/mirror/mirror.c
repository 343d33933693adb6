/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mirror (Tap-as-a-Service): originals to tx[0], copies to tx[1].
 *
 * The copies are taken after the rx op and before any tx op, so each one
 * is the frame at the tap point. Tx ops on either side never show through
 * to the other: a shallow copy and its original share data, so a tag edit
 * on either copies first (spp_vlan.h, copy-on-write).
 */
#include "mirror.h"

static inline struct rte_mbuf *
copy_packet(const struct spp_comp_rt *c, struct rte_mbuf *m)
{
	if (c->copy_mode == SPP_COPY_DEEP)
		return rte_pktmbuf_copy(m, c->copy_pool, 0, UINT32_MAX);
	return rte_pktmbuf_clone(m, c->copy_pool);
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
	uint16_t received, n, nb_copies = 0;

	received = spp_port_rx_burst(w, c->rx[0].port, pkts, SPP_BURST_SIZE, cs);
	if (received == 0)
		return 0;
	n = spp_apply_vlan_op(w, &c->rx[0].op, pkts, received, cs, NULL);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *copy = copy_packet(c, pkts[i]);

		if (unlikely(copy == NULL)) {
			nombuf++;
			nombuf_bytes += pkts[i]->pkt_len;
			continue;
		}
		copies[nb_copies++] = copy;
	}
	/* Every received packet counts as duplicated; failed copies as drops. */
	spp_stat_add(&cs->dup_packets, n);
	if (unlikely(nombuf != 0))
		spp_comp_drop(cs, SPP_DROP_NOMBUF, nombuf, nombuf_bytes);

	/* Originals first: a slow monitor must never delay or drop them. */
	n = spp_apply_vlan_op(w, &orig_tx->op, pkts, n, cs, orig_tx->port);
	spp_port_tx_burst(w, orig_tx->port, pkts, n, cs);
	nb_copies = spp_apply_vlan_op(w, &copy_tx->op, copies, nb_copies, cs, copy_tx->port);
	spp_port_tx_burst(w, copy_tx->port, copies, nb_copies, cs);
	return received;
}
