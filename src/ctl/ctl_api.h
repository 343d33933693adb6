/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the REST router shared by the ctl_api_*.c handlers: the
 * call context, replies, body decoding and the value rules of SPEC §7.
 * Pure functions over jansson values; thread: any (no shared state).
 */
#ifndef CTL_API_H
#define CTL_API_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ctl_rest.h"

#define CTL_MAX_ARGS	4

struct ctl_call {
	const struct ctl_backend *be;
	const struct ctl_request *req;
	struct ctl_response *resp;
	const char *args[CTL_MAX_ARGS];	/* matched "{...}" segments, NUL-terminated */
	unsigned int nb_args;
	int arg;			/* the route's own parameter (a process type, ...) */
};

typedef void (*ctl_handler_fn)(struct ctl_call *c);

/* --- replies (each overwrites resp completely) --- */

void ctl_reply_text(struct ctl_call *c, unsigned int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 200 application/json, compact, key order kept; takes the reference. */
void ctl_reply_json(struct ctl_call *c, json_t *value);
void ctl_reply_204(struct ctl_call *c);
void ctl_reply_500(struct ctl_call *c);
/* 400 "invalid key(<key>): <value>." (value compact, strings unquoted) */
void ctl_reply_invalid(struct ctl_call *c, const char *key, const json_t *value);
/* 400 "key(<key>) required." */
void ctl_reply_required(struct ctl_call *c, const char *key);

/* --- body --- */

/*
 * The request body as a JSON object. NULL after replying 400
 * "Not in json format." (empty, invalid, too deep, not an object).
 */
json_t *ctl_body_object(struct ctl_call *c);

/*
 * Check that every key of the NULL-terminated list is in body, in order.
 * Returns 0, or -1 after replying 400 "key(<k>) required.".
 */
int ctl_body_require(struct ctl_call *c, const json_t *body, const char *const keys[]);

/* Nesting depth of a JSON text's brackets exceeds max (strings skipped). */
bool ctl_json_too_deep(const char *text, size_t size, unsigned int max);

/* --- value rules --- */

/* The string of v if it is a string holding no NUL byte, else NULL. */
const char *ctl_json_str(const json_t *v);
/* Compact JSON text of v, strings unquoted. malloc'd; NULL on ENOMEM. */
char *ctl_json_text(const json_t *v);
/* Component name, SPEC §5.3: 1..31 bytes of 0x21-0x7E except " \ / ; */
bool ctl_name_valid(const char *s);
/* Upstream's port check (SPEC §7.4): TYPE:NUM[nqQ] (nq only for phy). */
bool ctl_port_valid(const char *s);
/*
 * "default", or six two-hex-digit groups separated by ':' or '-'.
 * Writes "default" or lower-case "xx:xx:xx:xx:xx:xx" to out (>= 18 bytes).
 * Returns 0 or -EINVAL.
 */
int ctl_mac_normalize(const char *s, char *out, size_t size);
/*
 * A JSON integer (not a boolean or real) or a string of decimal digits,
 * written as decimal text to out. Returns 0 or -EINVAL.
 */
int ctl_int_or_decimal(const json_t *v, char *out, size_t size);
/* A JSON integer proper (booleans and reals are not). */
bool ctl_json_is_int(const json_t *v);
/* Launch values: 1+ printable ASCII bytes, no whitespace or shell metacharacter. */
bool ctl_launch_value_safe(const char *s);
/* Percent-decode a path segment into out (size bytes). Returns 0 or -EINVAL. */
int ctl_url_decode(const char *in, char *out, size_t size);

/* --- process commands --- */

/*
 * Send cmd to the secondary (c->arg type, id) and map the reply: 0 on
 * "success"; otherwise replies 400 "command error: <message>" (with
 * X-Spp-Error-Detail), 404 "sec_id <n> not found." or 500 and returns -1.
 * reply (optional) receives the success reply (new reference).
 */
int ctl_sec_command(struct ctl_call *c, unsigned int id, const char *cmd, json_t **reply);

/*
 * Send cmd to the primary: 0 on "succeeded" (reply optional, new
 * reference); otherwise 400 "command error: <message>", 404
 * "primary not found." or 500 has been replied and -1 is returned.
 */
int ctl_pri_command(struct ctl_call *c, const char *cmd, json_t **reply);

/* Parse the decimal id argument i; false if out of range (never matches). */
bool ctl_arg_id(const struct ctl_call *c, unsigned int i, unsigned int *id);

/* --- handlers --- */

void ctl_api_processes(struct ctl_call *c);
void ctl_api_cpu_usage(struct ctl_call *c);
void ctl_api_cpu_layout(struct ctl_call *c);
void ctl_api_openapi(struct ctl_call *c);
void ctl_api_no_such_sec(struct ctl_call *c);

void ctl_api_sec_get(struct ctl_call *c);
void ctl_api_sec_exit(struct ctl_call *c);
void ctl_api_sec_comp_start(struct ctl_call *c);
void ctl_api_sec_comp_stop(struct ctl_call *c);
void ctl_api_sec_ports(struct ctl_call *c);
void ctl_api_sec_classifier(struct ctl_call *c);
void ctl_api_sec_captures(struct ctl_call *c);

void ctl_api_pri_status(struct ctl_call *c);
void ctl_api_pri_clear(struct ctl_call *c);
void ctl_api_pri_exit(struct ctl_call *c);
void ctl_api_pri_launch(struct ctl_call *c);
void ctl_api_pri_forward(struct ctl_call *c);
void ctl_api_pri_ports(struct ctl_call *c);
void ctl_api_pri_patch(struct ctl_call *c);
void ctl_api_pri_patch_reset(struct ctl_call *c);
void ctl_api_pri_flow(struct ctl_call *c);

void ctl_api_metrics(struct ctl_call *c);
/* [EXT] PUT .../log_level: c->arg CTL_VF, CTL_MIRROR ({id}) or CTL_PRIMARY. */
void ctl_api_log_level(struct ctl_call *c);

/*
 * The launch command of PUT /v1/primary/launch built from a decoded body
 * (SPEC §7.6): "launch ID NAME EAL... -- APP...". Returns a malloc'd
 * string, or NULL with *bad_key set to the key whose value is refused
 * ("client_id", "proc_name", "eal", "app") and *bad_value to that value
 * (borrowed from body). NULL with *bad_key NULL: ENOMEM.
 */
char *ctl_launch_command(const json_t *body, const char **bad_key, const json_t **bad_value);

#endif /* CTL_API_H */
