/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's REST client of spp-ctl (SPEC §7), on libcurl. One handle per
 * process, used by the main thread only; connections are kept alive
 * between calls.
 */
#ifndef CLI_REST_H
#define CLI_REST_H

#include <stddef.h>

#include "cli_util.h"

struct cli_rest {
	void *curl;		/* CURL handle */
	char *token;		/* bearer token or NULL */
	long timeout_s;		/* whole-request timeout */
};

struct cli_resp {
	long code;		/* HTTP status, 0 when no response */
	char *body;		/* NUL-terminated body (malloc'd), never NULL after a call */
	size_t len;
	char *detail;		/* X-Spp-Error-Detail value or NULL */
	char err[256];		/* transport error text when code == 0 */
};

/* Set up rest (token may be NULL). Returns 0 or -ENOMEM. */
int cli_rest_init(struct cli_rest *rest, const char *token);
void cli_rest_fini(struct cli_rest *rest);

/*
 * Send method path (e.g. "GET", "/v1/processes") with body (JSON text, or
 * NULL for none) to srv and wait for the answer.
 * Ownership: resp is overwritten; release it with cli_resp_free() in
 *   every case.
 * Returns 0 when an HTTP response arrived (any status, in resp->code),
 *   -ECONNREFUSED (or another -errno) with resp->err set when none did.
 */
int cli_rest_call(struct cli_rest *rest, const struct cli_server *srv, const char *method,
		  const char *path, const char *body, struct cli_resp *resp);

void cli_resp_free(struct cli_resp *resp);

#endif /* CLI_REST_H */
