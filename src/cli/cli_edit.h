/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interactive loop of the spp CLI on libedit: prompt, emacs key bindings,
 * history (~/.spp_history) and tab completion (cli_complete.h) fed with
 * live status from spp-ctl.
 */
#ifndef CLI_EDIT_H
#define CLI_EDIT_H

#include "cli_shell.h"

/*
 * Read and run commands from the terminal until "bye", "exit" or EOF
 * (Ctrl-D). Returns 0, or -1 when libedit cannot be set up.
 */
int cli_edit_run(struct cli_shell *sh);

#endif /* CLI_EDIT_H */
