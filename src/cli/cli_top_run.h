/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "top" in the shell: samples the topology document (cli_shell_topo) every
 * interval and prints the rates of cli_top.h. Main thread only.
 *
 * On a terminal (sh->out is a tty) each refresh clears the screen and
 * draws the table cut to the window; when stdin is a terminal too, 'q'
 * leaves. Otherwise each refresh is printed as plain lines: a title, the
 * table and a blank line; with sh->json (--json), as one line of compact
 * JSON {"refresh": n, "rows": cli_top_json()} instead. Ctrl-C (SIGINT) leaves in both cases; the
 * previous SIGINT action and terminal mode are restored on return.
 */
#ifndef CLI_TOP_RUN_H
#define CLI_TOP_RUN_H

#include "cli_shell.h"

/*
 * Take a first sample, then count times (0: until 'q' or Ctrl-C) wait
 * interval seconds, sample again and print the rates since the previous
 * sample.
 * Returns 0, or -1 after printing "Error: ..." when spp-ctl could not be
 * read.
 */
int cli_top_run(struct cli_shell *sh, long count, double interval);

#endif /* CLI_TOP_RUN_H */
