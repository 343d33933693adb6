/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting secondaries for spp_primary's `launch` command (SPEC §6.3):
 * finds the executable, creates the log directory, spawns the process
 * (posix_spawn, no shell) with the CPU affinity spp_primary had before
 * rte_eal_init, and reaps it when it ends.
 *
 * POSIX only, no DPDK: unit tests spawn stand-in executables.
 * Thread: spp_primary's main thread only (the spawn changes that thread's
 * affinity for its duration; nothing else may run on it meanwhile).
 */
#ifndef SPP_LAUNCH_H
#define SPP_LAUNCH_H

#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

#include "launch_argv.h"
#include "spp_limits.h"

#define LAUNCH_DEFAULT_LOG_DIR	"/var/log/spp"

/* Called once per child reaped: wait status as waitpid(2) gives it. */
typedef void (*launch_exit_cb)(void *arg, unsigned int client_id, pid_t pid, int status);

struct launch_ctx {
	char exe_dir[PATH_MAX];		/* directory of spp_primary's executable */
	char log_dir[PATH_MAX];		/* --sec-log-dir */
	cpu_set_t cpus;			/* affinity before rte_eal_init */
	pid_t children[SPP_MAX_CLIENTS];	/* running children by client id; 0: none */
	launch_exit_cb on_exit;		/* may be NULL */
	void *arg;
};

/*
 * The directory of this process's executable (/proc/self/exe, without a
 * " (deleted)" suffix left by a rebuild) into dir.
 * Returns 0, or -errno (-ENAMETOOLONG when size is too small).
 */
int launch_self_dir(char *dir, size_t size);

/*
 * Set up ctx: copies exe_dir and log_dir (NULL: LAUNCH_DEFAULT_LOG_DIR),
 * records the calling thread's current CPU affinity as the children's,
 * no children. Call in main() before rte_eal_init pins the thread.
 * Returns 0, or -ENAMETOOLONG, or -errno of sched_getaffinity (ctx is
 * then usable, with the affinity of the spawning thread at spawn time).
 */
int launch_init(struct launch_ctx *ctx, const char *exe_dir, const char *log_dir,
		launch_exit_cb on_exit, void *arg);

/*
 * The executable for name (spp_vf or spp_mirror) into path: exe_dir/name
 * (an installed tree: all binaries in one bindir, SPEC §6.3); else, only
 * when exe_dir is a meson build tree's src/primary, the sibling
 * src/vf/spp_vf or src/mirror/spp_mirror. Nothing else: no PATH search.
 * Returns 0, or -ENOENT (no regular executable file found; path holds
 * the last candidate tried), -ENAMETOOLONG, -EINVAL (other name).
 */
int launch_resolve(const struct launch_ctx *ctx, const char *name, char *path, size_t size);

/*
 * Create ctx->log_dir and missing parents (mode 0750, whatever the umask),
 * open log_dir/NAME-ID.log for appending (0640) and spawn la->argv with
 * it as stdout and stderr, /dev/null as stdin, every other fd closed,
 * no blocked signal, every signal at its default action, a session of
 * its own, and ctx->cpus as affinity.
 * Returns the child's pid (recorded in ctx->children[la->client_id]), or
 * -errno with a one-line reason in err; nothing was started then.
 */
pid_t launch_spawn(struct launch_ctx *ctx, const struct launch_argv *la, char *err,
		   size_t err_size);

/*
 * Reap every child that ended (waitpid WNOHANG, only our children's
 * pids), calling ctx->on_exit for each. Never blocks.
 * Returns how many were reaped.
 */
int launch_reap(struct launch_ctx *ctx);

/* Pid of the running child launched as client_id, or 0. Reap first. */
pid_t launch_child(const struct launch_ctx *ctx, unsigned int client_id);

#endif /* SPP_LAUNCH_H */
