/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The spp CLI's shell: runs parsed command lines (cli_cmd.h) against the
 * current spp-ctl, prints upstream's output (cli_fmt.h), keeps the server
 * list, history file, record file and playback. Main thread only.
 */
#ifndef CLI_SHELL_H
#define CLI_SHELL_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "cli_rest.h"

#define CLI_MAX_SERVERS	32

struct cli_shell {
	struct cli_server servers[CLI_MAX_SERVERS];
	int nb_servers;
	int cur;			/* index of the current server */
	struct cli_rest rest;
	bool json;			/* --json: print REST bodies */
	FILE *out;			/* normal output (stdout) */
	FILE *err;			/* --json mode errors (stderr) */
	char hist_path[PATH_MAX];	/* ~/.spp_history */
	FILE *record;			/* "record FILE" target or NULL */
	double sec_wait_launch;		/* seconds, --config */
	char prompt[128];		/* --config, default "spp > " */
	bool quit;			/* set by "bye" / "exit" */
	int depth;			/* playback / redo nesting */
};

/* Defaults: no server, prompt "spp > ", 0.5 s launch wait, history in
 * $HOME/.spp_history. Returns 0 or -ENOMEM (libcurl). */
int cli_shell_init(struct cli_shell *sh, const char *token);
void cli_shell_fini(struct cli_shell *sh);

/*
 * Read prompt and sec_wait_launch from a config file ("key: value" lines,
 * or upstream's "key:" followed by an indented "val: value").
 * Returns 0 or -errno (file unreadable).
 */
int cli_shell_load_config(struct cli_shell *sh, const char *path);

/*
 * Run one command line (records it when "record" is active).
 * Returns 0 when the command succeeded, -1 when it printed an error.
 * sh->quit is set by "bye" and "exit".
 */
int cli_shell_exec(struct cli_shell *sh, const char *line);

/* Append line to the history file, except blank lines and "bye", "exit",
 * "history", "redo" (as upstream). */
void cli_shell_history_add(struct cli_shell *sh, const char *line);

/*
 * GET path from the current server and parse the 200 body.
 * Returns the JSON value (caller decrefs) or NULL on any failure, printing
 * nothing.
 */
json_t *cli_shell_get_json(struct cli_shell *sh, const char *path);

/*
 * The topology document of cli_topo.h from the current server: GET
 * /v1/processes, then the status of the primary and of each secondary.
 * timed: also "primary_t" and each secondary's "t" (cli_top.h), the
 * CLOCK_MONOTONIC seconds in the middle of that status request.
 * Returns a new reference, or NULL when /v1/processes failed (printing
 * nothing); a status that failed is {} (primary) or null (secondary).
 */
json_t *cli_shell_topo(struct cli_shell *sh, bool timed);

/* "IP:PORT" of server i into buf. */
const char *cli_shell_addr(const struct cli_shell *sh, int i, char *buf, size_t size);

#endif /* CLI_SHELL_H */
