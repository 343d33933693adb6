/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_byteorder.h>

#include "spp_vlan.h"

static inline bool
is_shared(const struct rte_mbuf *m)
{
	return !RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1;
}

/* Make *m private before an edit; see the contract in spp_vlan.h. */
static int
make_writable(struct rte_mbuf **m, struct rte_mempool *pool)
{
	struct rte_mbuf *copy;

	if (!is_shared(*m))
		return 0;
	copy = rte_pktmbuf_copy(*m, pool, 0, UINT32_MAX);
	if (copy == NULL)
		return SPP_DROP_NOMBUF;
	rte_pktmbuf_free(*m);
	*m = copy;
	return 0;
}

static inline uint16_t
outer_ethertype(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	return (uint16_t)(p[12] << 8 | p[13]);
}

static int
vlan_add(const struct spp_vlan_op *op, struct rte_mbuf **m, struct rte_mempool *pool)
{
	uint16_t tci = rte_cpu_to_be_16(spp_vlan_tci(op));
	uint8_t *p;
	int ret;

	if ((*m)->data_len < SPP_ETHER_HDR_LEN)
		return SPP_DROP_VLAN_ERROR;
	if (outer_ethertype(*m) == SPP_ETHER_TYPE_VLAN) {
		if ((*m)->data_len < SPP_ETHER_HDR_LEN + SPP_VLAN_HDR_LEN)
			return SPP_DROP_VLAN_ERROR;
		p = rte_pktmbuf_mtod(*m, uint8_t *);
		if (memcmp(p + 14, &tci, 2) == 0)
			return 0;
		ret = make_writable(m, pool);
		if (ret != 0)
			return ret;
		p = rte_pktmbuf_mtod(*m, uint8_t *);
		memcpy(p + 14, &tci, 2);
		return 0;
	}
	/* A shared packet is copied first, and the copy has headroom. */
	if (!is_shared(*m) && rte_pktmbuf_headroom(*m) < SPP_VLAN_HDR_LEN)
		return SPP_DROP_VLAN_ERROR;
	ret = make_writable(m, pool);
	if (ret != 0)
		return ret;
	p = (uint8_t *)rte_pktmbuf_prepend(*m, SPP_VLAN_HDR_LEN);
	if (p == NULL)
		return SPP_DROP_VLAN_ERROR;
	memmove(p, p + SPP_VLAN_HDR_LEN, 12);
	p[12] = SPP_ETHER_TYPE_VLAN >> 8;
	p[13] = SPP_ETHER_TYPE_VLAN & 0xff;
	memcpy(p + 14, &tci, 2);
	return 0;
}

static int
vlan_del(struct rte_mbuf **m, struct rte_mempool *pool)
{
	uint8_t *p;
	int ret;

	if (unlikely((*m)->data_len < SPP_ETHER_HDR_LEN)) {
		/* The ethertype is past the first segment: a tag there cannot
		 * be stripped, and sending the frame on tagged would leave an
		 * untagged attachment carrying a tag (SPEC §8.6). */
		uint8_t buf[2];
		const uint8_t *et = (*m)->pkt_len < SPP_ETHER_HDR_LEN ? NULL :
			rte_pktmbuf_read(*m, 12, 2, buf);

		return et != NULL && et[0] == (SPP_ETHER_TYPE_VLAN >> 8) &&
		       et[1] == (SPP_ETHER_TYPE_VLAN & 0xff) ? SPP_DROP_VLAN_ERROR : 0;
	}
	if (outer_ethertype(*m) != SPP_ETHER_TYPE_VLAN)
		return 0;
	if ((*m)->data_len < SPP_ETHER_HDR_LEN + SPP_VLAN_HDR_LEN)
		return SPP_DROP_VLAN_ERROR;
	ret = make_writable(m, pool);
	if (ret != 0)
		return ret;
	p = rte_pktmbuf_mtod(*m, uint8_t *);
	memmove(p + SPP_VLAN_HDR_LEN, p, 12);
	rte_pktmbuf_adj(*m, SPP_VLAN_HDR_LEN);
	return 0;
}

int
spp_vlan_apply(const struct spp_vlan_op *op, struct rte_mbuf **m, struct rte_mempool *pool)
{
	switch (op->kind) {
	case SPP_VLAN_ADD:
		return vlan_add(op, m, pool);
	case SPP_VLAN_DEL:
		return vlan_del(m, pool);
	default:
		return 0;
	}
}
