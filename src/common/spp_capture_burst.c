/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's half of capture (SPEC §9.4): packets into the capture ring.
 * Called only for captured attachments, so it costs nothing otherwise.
 */
#include <rte_cycles.h>

#include "spp_worker.h"

void
spp_capture_burst(struct spp_cap_ring *r, struct rte_mbuf *const *pkts, uint16_t n)
{
	/* One clock read per burst: its packets arrived together. */
	uint64_t ts = rte_get_tsc_cycles();

	for (uint16_t i = 0; i < n; i++) {
		const struct rte_mbuf *m = pkts[i];
		uint32_t caplen = RTE_MIN(m->pkt_len, (uint32_t)SPP_CAPTURE_SNAPLEN);
		uint32_t left = caplen;

		if (unlikely(spp_cap_ring_quota_reached(r)))
			break;
		if (!spp_cap_ring_reserve(r, caplen, m->pkt_len, ts))
			continue;
		for (const struct rte_mbuf *seg = m; seg != NULL && left > 0; seg = seg->next) {
			uint32_t len = RTE_MIN((uint32_t)seg->data_len, left);

			spp_cap_ring_write(r, rte_pktmbuf_mtod(seg, const void *), len);
			left -= len;
		}
		/* A chain shorter than pkt_len: the record is caplen bytes anyway. */
		for (; left > 0; left--)
			spp_cap_ring_write(r, "", 1);
	}
	spp_cap_ring_publish(r);
}
