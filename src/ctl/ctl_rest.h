/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REST API v1 of spp-ctl (SPEC §7) as a pure function: a request
 * (method, raw path, body) in, a response (status, content type, body,
 * headers) out. No sockets and no HTTP library: the processes are reached
 * through a struct ctl_backend, so unit tests drive every route with a
 * fake backend and check the exact command each request sends.
 *
 * Thread: any; ctl_rest_handle() keeps no state of its own, so REST
 * threads call it concurrently (the backend must be thread-safe).
 */
#ifndef CTL_REST_H
#define CTL_REST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Bodies larger than this are refused with 413 (SPEC §7.1). */
#define CTL_BODY_MAX		(1024 * 1024)
/* Bodies nested deeper than this are not JSON we accept (400). */
#define CTL_BODY_MAX_DEPTH	64

enum ctl_ptype {
	CTL_PRIMARY = 0,
	CTL_VF = 1,
	CTL_MIRROR = 2,
};

/* "primary", "vf", "mirror". */
const char *ctl_ptype_name(enum ctl_ptype type);

/* ctl_backend.command flags. */
#define CTL_CMD_REMOVE_FIRST	1u	/* drop the process from the table, then send */

struct ctl_backend {
	void *ctx;
	/*
	 * True if a process of that type (and id; ignored for the primary)
	 * is registered now. Sends nothing.
	 */
	bool (*exists)(void *ctx, enum ctl_ptype type, unsigned int id);
	/*
	 * Send cmd (no terminator) to the process and wait for its reply.
	 * Returns 0 and *reply (a new reference the caller releases);
	 * -ENOENT: no such process of that type; -ECONNRESET: the connection
	 * closed instead of replying (only reported with CTL_CMD_REMOVE_FIRST);
	 * -EIO: I/O error, timeout or a reply that is not JSON (the process
	 * has then been removed). *reply is untouched on error.
	 */
	int (*command)(void *ctx, enum ctl_ptype type, unsigned int id, const char *cmd,
		       unsigned int flags, json_t **reply);
	/*
	 * The GET /v1/processes array (SPEC §7.3): primary first, then
	 * ascending client id, entries may carry replay_errors. New reference.
	 */
	json_t *(*processes)(void *ctx);
	const char *sysfs_cpu;		/* "/sys/devices/system/cpu" */
	const char *openapi;		/* GET /v1/openapi.json body */
	size_t openapi_size;
};

struct ctl_request {
	const char *method;		/* "GET", ... */
	const char *path;		/* raw (percent-encoded) path, no query */
	const char *body;		/* may be NULL when body_size is 0 */
	size_t body_size;
};

struct ctl_response {
	unsigned int status;
	const char *content_type;	/* static string; NULL for 204 */
	char *body;			/* malloc'd, NUL-terminated; NULL for 204 */
	size_t body_size;
	char allow[64];			/* Allow header of a 405, else "" */
	char *error_detail;		/* X-Spp-Error-Detail, malloc'd, or NULL */
	/*
	 * Content-Security-Policy of a web page file (static string), or
	 * NULL; when set, X-Content-Type-Options: nosniff is sent too.
	 */
	const char *csp;
};

/*
 * Route and answer one request. resp is fully written (never left
 * half-set); the caller releases it with ctl_response_release().
 */
void ctl_rest_handle(const struct ctl_backend *be, const struct ctl_request *req,
		     struct ctl_response *resp);

void ctl_response_release(struct ctl_response *resp);

/* The route table, for the openapi.json coverage test. */
struct ctl_route_desc {
	const char *method;
	const char *pattern;	/* "/v1/vfs/{id}/components/{name}/ports" */
};

/*
 * The Authorization header value grants access: always when token is NULL
 * (no --token-file), else only "Bearer <token>" (scheme case-insensitive),
 * compared in constant time.
 */
bool ctl_rest_authorized(const char *authorization, const char *token);

/*
 * The request needs no token even with --token-file: GET or HEAD of the
 * live view's static files ("/", "/ui/{name}"), which hold no data.
 * Every API route, and any unknown path, is not public.
 */
bool ctl_rest_is_public(const char *method, const char *path);

unsigned int ctl_rest_nb_routes(void);
const struct ctl_route_desc *ctl_rest_route(unsigned int i);

#endif /* CTL_REST_H */
