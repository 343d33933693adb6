/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process shell shared by spp_vf and spp_mirror: options (SPEC §2.2),
 * start-up checks and claims (§1.5, §3.4), the control connection (§4),
 * command execution as transactions (§5.10), and shutdown.
 *
 * An application describes itself with spp_app_desc and hands main() over.
 * Thread: the EAL main lcore is the manager (control) thread; every other
 * EAL lcore becomes a worker (spp_worker.h).
 */
#ifndef SPP_MANAGER_H
#define SPP_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "spp_worker.h"

struct spp_app_desc {
	const char *name;		/* "spp_vf" */
	const char *process_type;	/* "vf": reply to _get_client_id */
	const int *logtype;		/* &spp_logtype_vf */
	bool is_mirror;
	/* The component kinds this process runs, with their poll functions. */
	spp_run_burst_t run_burst[SPP_COMP_KIND_MAX];
};

/* Run the process; returns its exit code (0, 1 start-up error, 2 primary lost). */
int spp_manager_main(const struct spp_app_desc *app, int argc, char **argv);

#endif /* SPP_MANAGER_H */
