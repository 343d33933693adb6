/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port environment the command-driven fuzz targets (fuzz_cmd.c,
 * fuzz_reply.c) run in: worker lcores 1..4, phy:0 with one queue, phy:1
 * with 4 rx and 2 tx queues, 8 rings, vhost with 1 or 2 queues; phy:1
 * queue 3 tx and vhost:7 held by another process; "exists.pcap" already
 * in the capture directory.
 */
#ifndef SPP_FUZZ_ENV_H
#define SPP_FUZZ_ENV_H

#include <stdbool.h>
#include <string.h>

#include "spp_model.h"

#define NB_WORKERS	4	/* worker lcores 1..4; main lcore 0 */

/* phy:1 queue 3 tx and vhost:7 belong to another process. */
static inline bool
claimed_elsewhere(void *ctx, const struct spp_port_id *id, enum spp_dir dir)
{
	(void)ctx;
	return id->num == 1 && id->queue == 3 && dir == SPP_DIR_TX;
}

static inline bool
vhost_elsewhere(void *ctx, uint16_t num)
{
	(void)ctx;
	return num == 7;
}

static inline bool
capture_file_exists(void *ctx, const char *file)
{
	(void)ctx;
	return strcmp(file, "exists.pcap") == 0;
}

/* flags bit 0: spp_mirror (else spp_vf); bit 1: two queues per vhost port. */
static inline void
env_init(struct spp_port_env *env, uint8_t flags)
{
	memset(env, 0, sizeof(*env));
	env->client_id = 2;
	env->main_lcore = 0;
	for (int l = 1; l <= NB_WORKERS; l++)
		env->worker_lcore[l] = true;
	/* phy:0 one queue; phy:1 four rx and two tx queues (nq required). */
	env->nb_phy = 2;
	env->phy_rxq[0] = 1;
	env->phy_txq[0] = 1;
	env->phy_rxq[1] = 4;
	env->phy_txq[1] = 2;
	env->nb_rings = 8;
	env->vhost_queues = (flags & 2) ? 2 : 1;
	if (flags & 1) {
		env->kinds = 1u << SPP_COMP_MIRROR;
		env->default_copy_mode = SPP_COPY_DEEP;
	} else {
		env->kinds = 1u << SPP_COMP_FORWARD | 1u << SPP_COMP_MERGE |
			1u << SPP_COMP_CLASSIFIER;
	}
	env->claimed_elsewhere = claimed_elsewhere;
	env->vhost_elsewhere = vhost_elsewhere;
	env->capture_file_exists = capture_file_exists;
}

#endif /* SPP_FUZZ_ENV_H */
