/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 802.1Q tag add / strip on one packet (SPEC §8.6), copy-on-write.
 *
 * Thread: worker lcores (fast path); also unit tests. No allocation
 * except the copy of a shared packet, from the given pool.
 */
#ifndef SPP_VLAN_H
#define SPP_VLAN_H

#include <rte_mbuf.h>

#include "spp_model.h"
#include "spp_stats.h"

#define SPP_ETHER_HDR_LEN	14
#define SPP_VLAN_HDR_LEN	4
#define SPP_ETHER_TYPE_VLAN	0x8100

/* TCI = PCP << 13 | VID, DEI 0. */
static inline uint16_t
spp_vlan_tci(const struct spp_vlan_op *op)
{
	return (uint16_t)(op->pcp << 13 | op->vid);
}

/*
 * Apply op to *m. A packet whose first segment is indirect, external or
 * has refcount > 1 is shared with another holder (a flood, a mirror copy
 * or its original): it is first copied from pool, the shared reference is
 * released, and the copy is edited, so no edit is visible to another
 * holder. Only the first segment is read and written.
 *
 * Ownership: on success *m may have been replaced by its copy and the
 * caller owns the new *m. On failure *m is unchanged and still owned by
 * the caller, who frees and counts it.
 * Returns: 0, or the drop reason: SPP_DROP_NOMBUF (copy failed),
 *   SPP_DROP_VLAN_ERROR (no headroom for a tag, a tag cut short in the
 *   first segment, or a frame shorter than an Ethernet header).
 */
int spp_vlan_apply(const struct spp_vlan_op *op, struct rte_mbuf **m,
		   struct rte_mempool *pool);

#endif /* SPP_VLAN_H */
