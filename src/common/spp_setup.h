/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a DPDK primary sets up for spp (SPEC §1.5 step 1, §2.1, §3.3, §8.1):
 * the mbuf pool, the rings, spp_shared_info, and the phy ports, configured
 * and started. Used by spp_primary and by spp_vf/spp_mirror --standalone.
 *
 * Thread: the main lcore, before any secondary can attach.
 */
#ifndef SPP_SETUP_H
#define SPP_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_config.h>

#include "spp_shm.h"

struct spp_setup_opts {
	uint64_t portmask;		/* -p, required */
	uint32_t nb_rings;		/* -n, required, 1..1024 */
	uint32_t ring_size;		/* --ring-size, power of two 64..65536 */
	bool ring_rts;			/* --ring-sync rts */
	uint32_t nb_mbufs;		/* --nb-mbufs, 0 = SPEC §8.1 default */
	uint16_t rxq[RTE_MAX_ETHPORTS];	/* --port-num, by ethdev id */
	uint16_t txq[RTE_MAX_ETHPORTS];
	bool port_num_given[RTE_MAX_ETHPORTS];
};

void spp_setup_opts_init(struct spp_setup_opts *o);

/*
 * Parse the setup option at argv[*i] (-p, -n, --port-num, --ring-size,
 * --ring-sync, --nb-mbufs), advancing *i past its values.
 * Returns 1 if consumed, 0 if not a setup option, -1 on a bad value (one
 * line already printed on stderr).
 */
int spp_setup_parse_opt(struct spp_setup_opts *o, int argc, char **argv, int *i);

/* Check required options. Returns 0, or -1 with one line on stderr. */
int spp_setup_check_opts(const struct spp_setup_opts *o);

/*
 * Split a DPDK process's command line at "--": returns the index of the
 * first "--", or argc when there is none (EAL options only). *help is set
 * when -h or --help appears anywhere.
 */
int spp_args_split(int argc, char **argv, bool *help);

/* Reject EAL memory modes that secondaries cannot attach to (SPEC §2.1). */
int spp_setup_check_eal_args(int argc, char **argv);

/*
 * Create the pool, rings and spp_shared_info, configure and start the phy
 * ports, wait up to 9 s for links, then store ready_ns.
 * Returns the shared info, or NULL with one line logged.
 */
struct spp_shared_info *spp_setup_create(const struct spp_setup_opts *o, bool standalone);

/* Stop and close every phy port (shutdown, after secondaries left). */
void spp_setup_stop_ports(const struct spp_shared_info *shm);

#endif /* SPP_SETUP_H */
