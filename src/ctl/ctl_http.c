/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "ctl_http.h"
#include "ctl_log.h"

#define CONNECTION_LIMIT	512
#define IDLE_TIMEOUT_S		120
#define THREAD_STACK		(512 * 1024)

struct req_state {
	char *body;
	size_t len;
	bool too_large;		/* over CTL_BODY_MAX: 413 */
	bool unauthorized;	/* no or wrong bearer token: 401 */
};

static struct MHD_Daemon *daemon_;
static const struct ctl_backend *backend;
static const char *auth_token;

static enum MHD_Result
queue(struct MHD_Connection *conn, const struct ctl_response *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->body_size, r->body,
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (r->content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->allow[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->error_detail != NULL)
		MHD_add_response_header(resp, "X-Spp-Error-Detail", r->error_detail);
	if (r->csp != NULL) {
		MHD_add_response_header(resp, "Content-Security-Policy", r->csp);
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	}
	if (r->status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
queue_text(struct MHD_Connection *conn, unsigned int status, const char *text)
{
	struct ctl_response r = {
		.status = status,
		.content_type = "text/plain",
		.body = (char *)(uintptr_t)text,
		.body_size = strlen(text),
	};

	return queue(conn, &r);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size,
	   void **con_cls)
{
	struct req_state *st = *con_cls;
	struct ctl_request req;
	struct ctl_response resp;
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	if (st == NULL) {
		st = calloc(1, sizeof(*st));
		if (st == NULL)
			return MHD_NO;
		*con_cls = st;
		/* The web page's static files hold no data: no token for them. */
		st->unauthorized = !ctl_rest_is_public(method, url) &&
			!ctl_rest_authorized(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_AUTHORIZATION), auth_token);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		/*
		 * Refused requests are answered once the body has been read and
		 * dropped: a client still sending when the answer comes would
		 * see a reset connection instead of the answer.
		 */
		if (st->too_large || st->unauthorized)
			return MHD_YES;
		if (st->len + n > CTL_BODY_MAX) {
			/* Past the cap: keep reading, drop it, answer 413. */
			st->too_large = true;
			free(st->body);
			st->body = NULL;
			st->len = 0;
			return MHD_YES;
		}
		char *b = realloc(st->body, st->len + n + 1);

		if (b == NULL)
			return MHD_NO;
		memcpy(b + st->len, upload_data, n);
		st->body = b;
		st->len += n;
		st->body[st->len] = '\0';
		return MHD_YES;
	}
	if (st->unauthorized) {
		CTL_LOG(INFO, "%s %s: 401", method, url);
		return queue_text(conn, MHD_HTTP_UNAUTHORIZED, "Unauthorized.");
	}
	if (st->too_large) {
		CTL_LOG(INFO, "%s %s: 413", method, url);
		return queue_text(conn, 413, "Request body too large.");
	}
	req.method = method;
	req.path = url;
	req.body = st->body;
	req.body_size = st->len;
	ctl_rest_handle(backend, &req, &resp);
	ctl_log(resp.status >= 500 ? CTL_LOG_WARNING : CTL_LOG_INFO, "%s %s: %u%s%.200s",
		method, url, resp.status, resp.status >= 400 ? " " : "",
		resp.status >= 400 && resp.body != NULL ? resp.body : "");
	ret = queue(conn, &resp);
	ctl_response_release(&resp);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct req_state *st = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (st != NULL) {
		free(st->body);
		free(st);
		*con_cls = NULL;
	}
}

/* Keep the raw path: the router decodes {name} itself and sees %2F as such. */
static size_t
no_unescape(void *cls, struct MHD_Connection *conn, char *uri)
{
	(void)cls;
	(void)conn;
	return strlen(uri);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	CTL_LOG(DEBUG, "libmicrohttpd: %s", line);
}

int
ctl_http_start(int listen_fd, const struct ctl_backend *be, const char *token)
{
	backend = be;
	auth_token = token;
	daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
				   MHD_USE_POLL | MHD_USE_ERROR_LOG,
				   0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_LISTEN_SOCKET, listen_fd,
				   MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				   MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
				   MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK,
				   MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				   MHD_OPTION_END);
	return daemon_ != NULL ? 0 : -1;
}
