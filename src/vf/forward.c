/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * forward and merge (SPEC §8.4). A forwarder is a merge with one rx port,
 * so one poll function serves both: per rx port in attach order, receive a
 * burst, apply the rx op then the tx op, and send it. Each rx port's burst
 * is sent on its own, which keeps per-rx-port order.
 */
#include "components.h"

uint16_t
spp_forward_burst(struct spp_worker *w, const struct spp_comp_rt *c)
{
	const struct spp_attach_rt *tx = &c->tx[0];
	struct rte_mbuf *pkts[SPP_BURST_SIZE];
	uint16_t received = 0;

	for (uint16_t r = 0; r < c->nb_rx; r++) {
		const struct spp_attach_rt *rx = &c->rx[r];
		uint16_t n = spp_attach_rx_burst(w, rx, pkts, SPP_BURST_SIZE, c->stats);

		if (n == 0)
			continue;
		received += n;
		n = spp_apply_vlan_op(w, &rx->op, pkts, n, c->stats, NULL);
		n = spp_apply_vlan_op(w, &tx->op, pkts, n, c->stats, tx->port);
		spp_attach_tx_burst(w, tx, pkts, n, c->stats);
	}
	return received;
}
