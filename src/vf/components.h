/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_vf's components: the poll function of each kind (SPEC §8.4, §8.5).
 * Thread: worker lcores only; each call receives at most one burst per
 * rx port and sends or frees all of it (SPEC §8.2).
 */
#ifndef SPP_VF_COMPONENTS_H
#define SPP_VF_COMPONENTS_H

#include "spp_worker.h"

/* forward (1 rx) and merge (N rx): each rx burst goes to the one tx port. */
uint16_t spp_forward_burst(struct spp_worker *w, const struct spp_comp_rt *c);

/* classifier: destination MAC per VLAN -> tx port; flood group addresses. */
uint16_t spp_classifier_burst(struct spp_worker *w, const struct spp_comp_rt *c);

#endif /* SPP_VF_COMPONENTS_H */
