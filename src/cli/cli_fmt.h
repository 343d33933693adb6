/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output of the spp CLI: upstream's exact text for the JSON spp-ctl
 * returns (SPEC §7.8). Pure: every function writes only to the given
 * stream and reads only its arguments; unit-tested on canned JSON.
 *
 * Functions taking JSON return 0, or -EINVAL when a key they need is
 * missing or of the wrong type (then what was printed so far stays).
 */
#ifndef CLI_FMT_H
#define CLI_FMT_H

#include <stdio.h>

#include <jansson.h>

/* "status": addr is "IP:PORT" of the current spp-ctl, procs the body of
 * GET /v1/processes. */
int cli_fmt_status(FILE *f, const char *addr, const json_t *procs);

/* "pri; status": body of GET /v1/primary/status (SPEC §6.2). */
int cli_fmt_pri_status(FILE *f, const json_t *st);

/* "vf N; status": body of GET /v1/vfs/N (SPEC §7.4 conversion). */
int cli_fmt_vf_status(FILE *f, const json_t *st);

/* "mirror N; status": body of GET /v1/mirrors/N. */
int cli_fmt_mirror_status(FILE *f, const json_t *st);

/*
 * A failed REST call: "Error: <body>" and, when detail is not NULL or
 * empty, the X-Spp-Error-Detail value on a second line (SPEC §7.8).
 * body NULL or empty prints "Error: HTTP <code>".
 */
void cli_fmt_error(FILE *f, long code, const char *body, const char *detail);

#endif /* CLI_FMT_H */
