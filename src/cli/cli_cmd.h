/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command language of the spp CLI (SPEC §7.8): one input line -> what to
 * do, and for commands that talk to spp-ctl, the REST request (method,
 * path, JSON body) and the text printed on success.
 *
 * Pure: no I/O, no network; the shell (cli_shell.h) executes the result.
 */
#ifndef CLI_CMD_H
#define CLI_CMD_H

#include <limits.h>
#include <stdbool.h>

enum cli_cmd_kind {
	CLI_CMD_NONE,		/* blank line: nothing to do */
	CLI_CMD_COMMENT,	/* "# ...": echo text */
	CLI_CMD_ERROR,		/* bad input: print text, the command failed */
	CLI_CMD_UNSUPPORTED,	/* print "Not supported in spp: <text>" */
	CLI_CMD_STATUS,		/* "status": GET /v1/processes */
	CLI_CMD_PRI,		/* "pri; ...": op, method, path, body */
	CLI_CMD_SEC,		/* "vf N; ..." / "mirror N; ..." */
	CLI_CMD_SERVER,		/* "server ...": words in arg */
	CLI_CMD_BYE,		/* "bye [sec|all]": arg "", "sec" or "all" */
	CLI_CMD_EXIT,		/* "exit" */
	CLI_CMD_HELP,		/* "help [CMD]" / "?": arg */
	CLI_CMD_HISTORY,	/* "history" */
	CLI_CMD_REDO,		/* "redo N": num */
	CLI_CMD_RECORD,		/* "record FILE": arg */
	CLI_CMD_PLAYBACK,	/* "playback FILE": arg */
	CLI_CMD_TOPO,		/* "topo [FILE]": arg ("" = text) */
	CLI_CMD_TOP,		/* "top [-n COUNT] [-d SECONDS] [COUNT]": num, interval */
};

enum cli_cmd_op {
	CLI_OP_NONE,
	CLI_OP_PRI_STATUS,	/* print the primary status (§7.8 tables) */
	CLI_OP_PRI_CLEAR,
	CLI_OP_PRI_LAUNCH,	/* wait sec_wait_launch, then print text */
	CLI_OP_PRI_NOFWD,	/* GET status; print "No forwarder is running." */
	CLI_OP_SEC_STATUS,	/* print vf / mirror status */
	CLI_OP_SEC_EXIT,
	CLI_OP_SEC_COMPONENT,
	CLI_OP_SEC_PORT,
	CLI_OP_SEC_CLS_TABLE,
	CLI_OP_SEC_CAPTURE,
};

struct cli_cmd {
	enum cli_cmd_kind kind;
	enum cli_cmd_op op;
	char proc[8];		/* CLI_CMD_SEC: "vf" or "mirror" */
	long sec_id;		/* CLI_CMD_SEC: N */
	long num;		/* CLI_CMD_REDO: N; CLI_CMD_TOP: refreshes, 0 = until quit */
	double interval;	/* CLI_CMD_TOP: seconds between refreshes */
	const char *method;	/* "GET", "POST", "PUT", "DELETE" or NULL */
	char path[512];		/* e.g. "/v1/vfs/1/components" */
	char *body;		/* compact JSON (malloc'd) or NULL */
	char text[PATH_MAX];	/* success output, error text, comment, ... */
	char arg[PATH_MAX];	/* argument of local commands */
};

/*
 * Parse one command line into cmd (overwritten; release with
 * cli_cmd_free() whatever the result).
 * Returns 0 when cmd describes something to do (kind may be
 * CLI_CMD_ERROR, with the message to print in cmd->text), -ENOMEM when
 * out of memory.
 */
int cli_cmd_parse(const char *line, struct cli_cmd *cmd);

/* Free cmd->body; cmd may be parsed again after. */
void cli_cmd_free(struct cli_cmd *cmd);

/* Names of the top-level commands, NULL-terminated (help, completion). */
extern const char *const cli_cmd_names[];

#endif /* CLI_CMD_H */
