/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_primary's DPDK telemetry commands (docs/observability.md
 * "Telemetry"): /spp/processes, /spp/components, /spp/ports, /spp/drops
 * and /spp/mempool, answered from spp_shared_info and from the counter
 * region (spp_stats_region.h) of every live secondary.
 *
 * The callbacks run on the telemetry thread of the EAL; they only read
 * shared memory (relaxed loads) and never write, so they need no lock
 * with the main thread.
 */
#ifndef SPP_PRIMARY_TELEMETRY_H
#define SPP_PRIMARY_TELEMETRY_H

#include "spp_shm.h"

/*
 * Register the /spp/... commands. Main thread, once, after rte_eal_init
 * and spp_setup_create; shm must stay mapped until exit. Returns 0, or a
 * negative errno from rte_telemetry_register_cmd (the process runs on
 * without them; with --no-telemetry nobody can ask anyway).
 */
int spp_telemetry_register(const struct spp_shared_info *shm);

#endif /* SPP_PRIMARY_TELEMETRY_H */
