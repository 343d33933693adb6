/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tab completion of the spp CLI as a pure function: the line before the
 * cursor plus the status JSON the shell fetched -> candidate words. The
 * libedit glue (cli_edit.c) fetches, calls this and edits the line.
 */
#ifndef CLI_COMPLETE_H
#define CLI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct cli_compl_ctx {
	const json_t *procs;		/* body of GET /v1/processes, or NULL */
	const json_t *sec_status;	/* GET /v1/vfs|mirrors/N of the process
					 * the line names, or NULL */
	const json_t *pri_status;	/* GET /v1/primary/status, or NULL: adds
					 * its phy and ring ports to the UIDs */
	const char *const *servers;	/* "IP:PORT" of each server, in order */
	int nb_servers;
	int cur_server;			/* index of the current one */
};

struct cli_cands {
	char **words;
	int nb;
};

/*
 * Candidates for the word being typed at the end of line (the text after
 * the last blank or ';'), every one starting with that word, sorted, no
 * duplicates. *word_start receives the offset of that word in line.
 * A candidate ending in ';' (e.g. "1;" after "vf ") takes no space after.
 * Ownership: out is overwritten; free it with cli_cands_free() always.
 * Returns the number of candidates, or -ENOMEM.
 */
int cli_complete(const char *line, const struct cli_compl_ctx *ctx, struct cli_cands *out,
		 size_t *word_start);

/*
 * The secondary a line addresses ("vf 2; port ..." -> "vf", 2), so the
 * shell knows which status to fetch for cli_complete().
 * Returns 0 and fills proc (8 bytes) and *id, or -ENOENT.
 */
int cli_complete_target(const char *line, char *proc, long *id);

/*
 * True when the word being typed is a file name: the argument of
 * "record", "playback" or "topo". The shell completes it from the file
 * system (libedit's own file name completion).
 */
bool cli_complete_wants_file(const char *line);

/* Longest common prefix length of all candidates (0 when none). */
size_t cli_cands_common(const struct cli_cands *c);

void cli_cands_free(struct cli_cands *c);

#endif /* CLI_COMPLETE_H */
