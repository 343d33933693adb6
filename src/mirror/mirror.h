/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_mirror's component (SPEC §8.7). Thread: worker lcores only.
 */
#ifndef SPP_MIRROR_H
#define SPP_MIRROR_H

#include "spp_worker.h"

/*
 * One poll: receive a burst from the rx port, copy each packet (shallow:
 * shares the data: one more reference to the mbuf itself when both tx
 * ports are phy or vhost, else an indirect clone from the copy pool; deep:
 * independent data from the copy pool), send the originals to the first
 * tx port and the copies to the second. A copy that cannot be made is skipped and counted
 * nombuf; its original still goes out. Returns the packets received.
 */
uint16_t spp_mirror_burst(struct spp_worker *w, const struct spp_comp_rt *c);

#endif /* SPP_MIRROR_H */
