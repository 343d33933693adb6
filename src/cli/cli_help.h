/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "help" and "help CMD" texts of the spp CLI.
 */
#ifndef CLI_HELP_H
#define CLI_HELP_H

#include <stdio.h>

/*
 * Print the command list (topic "" ) or the help of one command to f.
 * Returns 0, or -1 (after "*** No help on <topic>") for an unknown topic.
 */
int cli_help_print(FILE *f, const char *topic);

#endif /* CLI_HELP_H */
