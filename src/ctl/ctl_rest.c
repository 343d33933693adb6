/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router: a table of (method, pattern, handler). Patterns are literal
 * segments and "{...}" parameters; "{id}", "{port_id}" and "{rule_id}"
 * match unsigned decimal numbers only (SPEC §7.1), "{name}" any
 * non-empty segment. A path matching some pattern but not the method is
 * 405 with Allow listing the methods of the matching patterns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"
#include "ctl_www.h"

struct ctl_route {
	struct ctl_route_desc desc;
	ctl_handler_fn fn;
	int arg;
	bool public;	/* served without the bearer token (ctl_rest_is_public) */
};

#define ROUTE(m, p, f, a) { { (m), (p) }, (f), (a), false }
#define ROUTE_PUBLIC(m, p, f, a) { { (m), (p) }, (f), (a), true }

static const struct ctl_route routes[] = {
	ROUTE("GET", "/v1/processes", ctl_api_processes, 0),
	ROUTE("GET", "/v1/cpu_usage", ctl_api_cpu_usage, 0),
	ROUTE("GET", "/v1/cpu_layout", ctl_api_cpu_layout, 0),
	ROUTE("GET", "/v1/openapi.json", ctl_api_openapi, 0),
	ROUTE("GET", "/metrics", ctl_api_metrics, 0),
	ROUTE_PUBLIC("GET", "/", ctl_api_www_index, 0),
	ROUTE_PUBLIC("GET", "/ui/{name}", ctl_api_www_file, 0),

	ROUTE("GET", "/v1/vfs/{id}", ctl_api_sec_get, CTL_VF),
	ROUTE("DELETE", "/v1/vfs/{id}", ctl_api_sec_exit, CTL_VF),
	ROUTE("POST", "/v1/vfs/{id}/components", ctl_api_sec_comp_start, CTL_VF),
	ROUTE("DELETE", "/v1/vfs/{id}/components/{name}", ctl_api_sec_comp_stop, CTL_VF),
	ROUTE("PUT", "/v1/vfs/{id}/components/{name}/ports", ctl_api_sec_ports, CTL_VF),
	ROUTE("PUT", "/v1/vfs/{id}/classifier_table", ctl_api_sec_classifier, CTL_VF),
	ROUTE("PUT", "/v1/vfs/{id}/captures", ctl_api_sec_captures, CTL_VF),
	ROUTE("PUT", "/v1/vfs/{id}/log_level", ctl_api_log_level, CTL_VF),

	ROUTE("GET", "/v1/mirrors/{id}", ctl_api_sec_get, CTL_MIRROR),
	ROUTE("DELETE", "/v1/mirrors/{id}", ctl_api_sec_exit, CTL_MIRROR),
	ROUTE("POST", "/v1/mirrors/{id}/components", ctl_api_sec_comp_start, CTL_MIRROR),
	ROUTE("DELETE", "/v1/mirrors/{id}/components/{name}", ctl_api_sec_comp_stop, CTL_MIRROR),
	ROUTE("PUT", "/v1/mirrors/{id}/components/{name}/ports", ctl_api_sec_ports, CTL_MIRROR),
	ROUTE("PUT", "/v1/mirrors/{id}/captures", ctl_api_sec_captures, CTL_MIRROR),
	ROUTE("PUT", "/v1/mirrors/{id}/log_level", ctl_api_log_level, CTL_MIRROR),

	ROUTE("GET", "/v1/primary/status", ctl_api_pri_status, 0),
	ROUTE("DELETE", "/v1/primary/status", ctl_api_pri_clear, 0),
	ROUTE("DELETE", "/v1/primary", ctl_api_pri_exit, 0),
	ROUTE("PUT", "/v1/primary/launch", ctl_api_pri_launch, 0),
	ROUTE("PUT", "/v1/primary/log_level", ctl_api_log_level, CTL_PRIMARY),
	ROUTE("PUT", "/v1/primary/forward", ctl_api_pri_forward, 0),
	ROUTE("PUT", "/v1/primary/ports", ctl_api_pri_ports, 0),
	ROUTE("PUT", "/v1/primary/patches", ctl_api_pri_patch, 0),
	ROUTE("DELETE", "/v1/primary/patches", ctl_api_pri_patch_reset, 0),
	ROUTE("POST", "/v1/primary/flow_rules/port_id/{port_id}", ctl_api_pri_flow, 0),
	ROUTE("POST", "/v1/primary/flow_rules/port_id/{port_id}/validate", ctl_api_pri_flow, 1),
	ROUTE("DELETE", "/v1/primary/flow_rules/port_id/{port_id}", ctl_api_pri_flow, 2),
	ROUTE("DELETE", "/v1/primary/flow_rules/{rule_id}/port_id/{port_id}", ctl_api_pri_flow, 3),

	/* Upstream's spp_nfv and spp_pcap routes: those never register here. */
	ROUTE("GET", "/v1/nfvs/{id}", ctl_api_no_such_sec, 0),
	ROUTE("DELETE", "/v1/nfvs/{id}", ctl_api_no_such_sec, 0),
	ROUTE("PUT", "/v1/nfvs/{id}/forward", ctl_api_no_such_sec, 0),
	ROUTE("PUT", "/v1/nfvs/{id}/ports", ctl_api_no_such_sec, 0),
	ROUTE("PUT", "/v1/nfvs/{id}/patches", ctl_api_no_such_sec, 0),
	ROUTE("DELETE", "/v1/nfvs/{id}/patches", ctl_api_no_such_sec, 0),
	ROUTE("GET", "/v1/pcaps/{id}", ctl_api_no_such_sec, 0),
	ROUTE("DELETE", "/v1/pcaps/{id}", ctl_api_no_such_sec, 0),
	ROUTE("PUT", "/v1/pcaps/{id}/capture", ctl_api_no_such_sec, 0),
};

#define NB_ROUTES	(sizeof(routes) / sizeof(routes[0]))

unsigned int
ctl_rest_nb_routes(void)
{
	return NB_ROUTES;
}

const struct ctl_route_desc *
ctl_rest_route(unsigned int i)
{
	return i < NB_ROUTES ? &routes[i].desc : NULL;
}

const char *
ctl_ptype_name(enum ctl_ptype type)
{
	switch (type) {
	case CTL_PRIMARY:
		return "primary";
	case CTL_VF:
		return "vf";
	case CTL_MIRROR:
		return "mirror";
	}
	return "?";
}

/* --- replies --- */

static void
reset(struct ctl_response *r)
{
	free(r->body);
	free(r->error_detail);
	memset(r, 0, sizeof(*r));
}

void
ctl_response_release(struct ctl_response *resp)
{
	reset(resp);
}

void
ctl_reply_text(struct ctl_call *c, unsigned int status, const char *fmt, ...)
{
	struct ctl_response *r = c->resp;
	va_list ap;
	int n;

	reset(r);
	r->status = status;
	r->content_type = "text/plain";
	va_start(ap, fmt);
	n = vasprintf(&r->body, fmt, ap);
	va_end(ap);
	if (n < 0) {
		r->body = NULL;
		r->status = 500;
		return;
	}
	r->body_size = (size_t)n;
}

void
ctl_reply_json(struct ctl_call *c, json_t *value)
{
	struct ctl_response *r = c->resp;

	reset(r);
	r->body = value != NULL ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(value);
	if (r->body == NULL) {
		ctl_reply_500(c);
		return;
	}
	r->status = 200;
	r->content_type = "application/json";
	r->body_size = strlen(r->body);
}

void
ctl_reply_204(struct ctl_call *c)
{
	reset(c->resp);
	c->resp->status = 204;
}

void
ctl_reply_500(struct ctl_call *c)
{
	ctl_reply_text(c, 500, "Internal Server Error");
}

void
ctl_reply_invalid(struct ctl_call *c, const char *key, const json_t *value)
{
	char *text = ctl_json_text(value);

	ctl_reply_text(c, 400, "invalid key(%s): %s.", key, text != NULL ? text : "");
	free(text);
}

void
ctl_reply_required(struct ctl_call *c, const char *key)
{
	ctl_reply_text(c, 400, "key(%s) required.", key);
}

/* --- routing --- */

#define MAX_SEGS	16

/* Split path (after the leading '/') into at most MAX_SEGS segments. */
static int
split(char *path, char *segs[])
{
	int n = 0;
	char *p = path;

	if (*p != '/')
		return -1;
	p++;
	for (;;) {
		char *slash = strchr(p, '/');

		if (n == MAX_SEGS)
			return -1;
		segs[n++] = p;
		if (slash == NULL)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	return n;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Match segs against the pattern; fills args. */
static bool
match(const char *pattern, char *segs[], int nb_segs, const char *args[], unsigned int *nb_args)
{
	char buf[128];
	char *psegs[MAX_SEGS];
	int n;

	snprintf(buf, sizeof(buf), "%s", pattern);
	n = split(buf, psegs);
	if (n != nb_segs)
		return false;
	*nb_args = 0;
	for (int i = 0; i < n; i++) {
		if (psegs[i][0] == '{') {
			if (strcmp(psegs[i], "{name}") == 0) {
				if (segs[i][0] == '\0')
					return false;
			} else if (!all_digits(segs[i])) {
				return false;
			}
			if (*nb_args < CTL_MAX_ARGS)
				args[(*nb_args)++] = segs[i];
		} else if (strcmp(psegs[i], segs[i]) != 0) {
			return false;
		}
	}
	return true;
}

bool
ctl_rest_is_public(const char *method, const char *path)
{
	char *copy, *segs[MAX_SEGS];
	bool found = false;
	int nb_segs;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return false;
	copy = strdup(path);
	if (copy == NULL)
		return false;
	nb_segs = split(copy, segs);
	for (size_t i = 0; nb_segs > 0 && i < NB_ROUTES && !found; i++) {
		const char *args[CTL_MAX_ARGS];
		unsigned int nb_args;

		found = routes[i].public && strcmp(routes[i].desc.method, "GET") == 0 &&
			match(routes[i].desc.pattern, segs, nb_segs, args, &nb_args);
	}
	free(copy);
	return found;
}

void
ctl_rest_handle(const struct ctl_backend *be, const struct ctl_request *req,
		struct ctl_response *resp)
{
	struct ctl_call c = { .be = be, .req = req, .resp = resp };
	const char *method = req->method;
	char *path, *segs[MAX_SEGS];
	const struct ctl_route *found = NULL;
	bool path_known = false;
	int nb_segs;

	memset(resp, 0, sizeof(*resp));
	/* HEAD is GET without a body (the HTTP layer drops the body). */
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	path = strdup(req->path);
	if (path == NULL) {
		ctl_reply_500(&c);
		return;
	}
	nb_segs = split(path, segs);
	for (size_t i = 0; nb_segs > 0 && i < NB_ROUTES; i++) {
		const char *args[CTL_MAX_ARGS];
		unsigned int nb_args;

		if (!match(routes[i].desc.pattern, segs, nb_segs, args, &nb_args))
			continue;
		if (!path_known) {
			path_known = true;
			resp->allow[0] = '\0';
		}
		if (strcmp(routes[i].desc.method, method) == 0 && found == NULL) {
			found = &routes[i];
			memcpy(c.args, args, sizeof(args));
			c.nb_args = nb_args;
		}
		if (strstr(resp->allow, routes[i].desc.method) == NULL) {
			size_t len = strlen(resp->allow);

			snprintf(resp->allow + len, sizeof(resp->allow) - len, "%s%s",
				 len ? ", " : "", routes[i].desc.method);
		}
	}
	if (found != NULL) {
		c.arg = found->arg;
		resp->allow[0] = '\0';
		found->fn(&c);
	} else if (path_known) {
		char allow[sizeof(resp->allow)];

		memcpy(allow, resp->allow, sizeof(allow));
		ctl_reply_text(&c, 405, "Method not allowed.");
		memcpy(resp->allow, allow, sizeof(allow));
	} else {
		ctl_reply_text(&c, 404, "Not found: '%s'", req->path);
	}
	free(path);
}
