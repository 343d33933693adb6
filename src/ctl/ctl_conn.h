/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process connections of spp-ctl (SPEC §4): the primary's (5555) and the
 * secondaries' (6666) listeners, registration with _get_client_id, the
 * table of registered processes, commands and --replay (SPEC §4.4).
 *
 * Threads: one accept thread per listener; one thread per connection that
 * registers it and then is its only reader (so EOF removes the process at
 * once, SPEC §4.5); REST threads send commands and wait for the reply the
 * reader hands them. One outstanding command per connection (cmd_lock);
 * different processes are served concurrently.
 */
#ifndef CTL_CONN_H
#define CTL_CONN_H

#include <stdbool.h>

#include <jansson.h>

#include "ctl_rest.h"

struct ctl_conn_opts {
	unsigned int cmd_timeout_ms;	/* --cmd-timeout (SPEC §4.5) */
	unsigned int reg_timeout_ms;	/* _get_client_id reply (SPEC §4.2: 5 s) */
	bool replay;			/* --replay (SPEC §4.4) */
};

/*
 * Start serving: pri_fd and sec_fd are listening sockets, owned from now
 * on. Thread: main, once. Returns 0 or -errno (threads not started).
 */
int ctl_conn_start(const struct ctl_conn_opts *opts, int pri_fd, int sec_fd);

/*
 * struct ctl_backend operations (see ctl_rest.h for the contract); ctx is
 * unused. Thread: any.
 */
bool ctl_conn_exists(void *ctx, enum ctl_ptype type, unsigned int id);
int ctl_conn_command(void *ctx, enum ctl_ptype type, unsigned int id, const char *cmd,
		     unsigned int flags, json_t **reply);
json_t *ctl_conn_processes(void *ctx);

#endif /* CTL_CONN_H */
