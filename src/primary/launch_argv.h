/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The argv of a secondary started by spp_primary's `launch` command
 * (SPEC §6.3): checks `launch ID NAME EAL... -- APP...` and normalises its
 * options. The result is handed to launch_spawn() (launch.h) as argv,
 * without any shell, so a token is only ever one argument.
 *
 * Pure C, no DPDK and no system calls of its own (env->client_holder may
 * make some), so unit tests run it without hugepages.
 * Thread: any; a struct launch_argv belongs to its caller.
 */
#ifndef SPP_LAUNCH_ARGV_H
#define SPP_LAUNCH_ARGV_H

#include <stddef.h>

#include "spp_limits.h"

/* Tokens of the whole command, "launch" and ID included (SPEC §6.3). */
#define LAUNCH_MAX_TOKENS	64
/* argv entries after normalisation: NAME, the tokens, what is added. */
#define LAUNCH_MAX_ARGS		(LAUNCH_MAX_TOKENS + 8)
#define LAUNCH_PREFIX_SIZE	256

struct launch_env {
	/* The primary's EAL file prefix ("rte" when it was given none). */
	const char *file_prefix;
	/* The primary's IOVA mode ("pa" or "va"), added when the command
	 * gives no --iova-mode; NULL adds nothing. */
	const char *iova_mode;
	/* Pid of the live process holding client_id (1..127), or 0 when the
	 * id is free. NULL: every id is free. */
	long (*client_holder)(void *arg, unsigned int client_id);
	void *arg;
};

struct launch_argv {
	unsigned int client_id;
	const char *name;		/* "spp_vf" or "spp_mirror" */
	int argc;
	/*
	 * argv[0] = name, then the primary's EAL options (--proc-type,
	 * --file-prefix, --iova-mode), the other EAL tokens in their order,
	 * "--", the application tokens with --client-id ID; NULL-terminated.
	 * Entries point into this struct or to string literals.
	 */
	const char *argv[LAUNCH_MAX_ARGS + 1];
	char buf[SPP_CMD_MAX_SIZE];	/* the tokens */
	char id[8];			/* canonical client id */
	char prefix[LAUNCH_PREFIX_SIZE];
	char iova[32];			/* "--iova-mode=va" */
};

/*
 * Check and normalise one `launch` command (the text without terminator,
 * tokens split at spaces and tabs), in this order:
 *   - at most LAUNCH_MAX_TOKENS tokens; "launch ID NAME" at least;
 *   - ID decimal 1..127; NAME exactly spp_vf or spp_mirror;
 *   - a "--" after NAME ends the EAL options;
 *   - --proc-type, as "--proc-type=V" or "--proc-type V", only with V =
 *     secondary; --file-prefix only with env->file_prefix; both are
 *     removed from where they stand and put first, as is env->iova_mode
 *     when no --iova-mode is given: nothing before them can take them
 *     for its own missing value. An abbreviation of any of the three
 *     (getopt_long accepts "--file-pre") is refused, as it would slip
 *     past these checks;
 *   - every "--client-id V" of APP gets V = ID ("--client-id=V" is split
 *     into two tokens), and "--client-id ID" is appended when absent;
 *   - ID not held by a live process (env->client_holder).
 * Other tokens are copied unchanged, whatever bytes they hold.
 *
 * Returns 0 with *la filled, or -EINVAL with a one-line reason in err
 * (err_size > 0; truncated to fit). *la is scratch on failure.
 */
int launch_argv_build(const char *line, const struct launch_env *env, struct launch_argv *la,
		      char *err, size_t err_size);

#endif /* SPP_LAUNCH_ARGV_H */
