/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * classifier (SPEC §8.5): one burst from the rx port is sorted into one
 * array per tx port by (VLAN, destination MAC), then each array gets its
 * port's tx op and is sent. Group addresses are flooded to the VLAN's
 * flood set as one mbuf with its refcount raised, not as copies: a tx op
 * that must edit a flooded packet copies it first (spp_vlan.h).
 */
#include "components.h"

static inline void
queue_to(struct spp_worker *w, uint64_t *used, int dst, struct rte_mbuf *m)
{
	w->out[dst][w->nb_out[dst]++] = m;
	*used |= UINT64_C(1) << dst;
}

uint16_t
spp_classifier_burst(struct spp_worker *w, const struct spp_comp_rt *c)
{
	const struct spp_cls_table *t = c->cls;
	struct spp_comp_stats *cs = c->stats;
	struct rte_mbuf *pkts[SPP_BURST_SIZE];
	uint64_t malformed = 0, malformed_bytes = 0, no_dest = 0, no_dest_bytes = 0;
	uint64_t dup = 0, used = 0;
	uint16_t received, n;

	received = spp_port_rx_burst(w, c->rx[0].port, pkts, SPP_BURST_SIZE, cs);
	if (received == 0)
		return 0;
	n = spp_apply_vlan_op(w, &c->rx[0].op, pkts, received, cs, NULL);

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
		uint16_t vid = SPP_VID_UNTAGGED;

		if (unlikely(m->data_len < SPP_ETHER_HDR_LEN)) {
			malformed++;
			malformed_bytes += m->pkt_len;
			rte_pktmbuf_free(m);
			continue;
		}
		/* Only an outer 0x8100 tag whole in the first segment counts. */
		if (eth[12] == 0x81 && eth[13] == 0x00 &&
		    m->data_len >= SPP_ETHER_HDR_LEN + SPP_VLAN_HDR_LEN) {
			vid = (uint16_t)((eth[14] << 8 | eth[15]) & 0xfff);
			if (unlikely(vid == 0xfff)) {
				malformed++;
				malformed_bytes += m->pkt_len;
				rte_pktmbuf_free(m);
				continue;
			}
		}
		if (likely((eth[0] & 0x01) == 0)) {
			int dst = spp_cls_table_unicast(t, vid, eth);

			if (unlikely(dst == SPP_CLS_NO_DEST)) {
				no_dest++;
				no_dest_bytes += m->pkt_len;
				rte_pktmbuf_free(m);
				continue;
			}
			queue_to(w, &used, dst, m);
			continue;
		}

		uint64_t flood = t->flood[vid];
		int copies = __builtin_popcountll(flood);

		if (copies == 0) {
			no_dest++;
			no_dest_bytes += m->pkt_len;
			rte_pktmbuf_free(m);
			continue;
		}
		/* One reference per destination, on every segment. */
		if (copies > 1)
			rte_pktmbuf_refcnt_update(m, (int16_t)(copies - 1));
		dup += (uint64_t)(copies - 1);
		while (flood != 0) {
			queue_to(w, &used, __builtin_ctzll(flood), m);
			flood &= flood - 1;
		}
	}

	while (used != 0) {
		int d = __builtin_ctzll(used);
		const struct spp_attach_rt *tx = &c->tx[d];
		uint16_t k = spp_apply_vlan_op(w, &tx->op, w->out[d], w->nb_out[d], cs, tx->port);

		spp_port_tx_burst(w, tx->port, w->out[d], k, cs);
		w->nb_out[d] = 0;
		used &= used - 1;
	}
	if (unlikely(malformed != 0))
		spp_comp_drop(cs, SPP_DROP_MALFORMED, malformed, malformed_bytes);
	if (no_dest != 0)
		spp_comp_drop(cs, SPP_DROP_NO_DEST, no_dest, no_dest_bytes);
	if (dup != 0)
		spp_stat_add(&cs->dup_packets, dup);
	return received;
}
