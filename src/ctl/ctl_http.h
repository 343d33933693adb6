/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP side of the REST API: libmicrohttpd, one thread per REST
 * connection (a request waiting for a slow process blocks only its own
 * connection), bodies capped at CTL_BODY_MAX (413, the rest of the body
 * read and dropped), optional bearer token (401) checked before anything
 * else, then ctl_rest_handle().
 */
#ifndef CTL_HTTP_H
#define CTL_HTTP_H

#include "ctl_rest.h"

/*
 * Serve REST on listen_fd (bound and listening, owned from now on).
 * be and token (NULL: no authentication) must outlive the server.
 * Thread: main. Returns 0 or -1 (libmicrohttpd refused to start).
 */
int ctl_http_start(int listen_fd, const struct ctl_backend *be, const char *token);

#endif /* CTL_HTTP_H */
