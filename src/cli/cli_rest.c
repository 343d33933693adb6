/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "cli_rest.h"
#include "cli_util.h"

#define DETAIL_HEADER	"X-Spp-Error-Detail:"

int
cli_rest_init(struct cli_rest *rest, const char *token)
{
	memset(rest, 0, sizeof(*rest));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -ENOMEM;
	rest->curl = curl_easy_init();
	if (rest->curl == NULL)
		return -ENOMEM;
	if (token != NULL) {
		rest->token = strdup(token);
		if (rest->token == NULL)
			return -ENOMEM;
	}
	rest->timeout_s = 60;
	return 0;
}

void
cli_rest_fini(struct cli_rest *rest)
{
	if (rest->curl != NULL)
		curl_easy_cleanup(rest->curl);
	free(rest->token);
	memset(rest, 0, sizeof(*rest));
	curl_global_cleanup();
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct cli_resp *resp = arg;
	size_t n = size * nmemb;
	char *nb = realloc(resp->body, resp->len + n + 1);

	if (nb == NULL)
		return 0;
	memcpy(nb + resp->len, data, n);
	resp->len += n;
	nb[resp->len] = '\0';
	resp->body = nb;
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct cli_resp *resp = arg;
	size_t n = size * nmemb;
	size_t hl = strlen(DETAIL_HEADER);

	if (n > hl && strncasecmp(data, DETAIL_HEADER, hl) == 0) {
		const char *v = data + hl;
		size_t vl = n - hl;

		while (vl > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		free(resp->detail);
		resp->detail = strndup(v, vl);
	}
	return n;
}

int
cli_rest_call(struct cli_rest *rest, const struct cli_server *srv, const char *method,
	      const char *path, const char *body, struct cli_resp *resp)
{
	CURL *c = rest->curl;
	struct curl_slist *hdrs = NULL;
	char url[512], auth[1024];
	CURLcode rc;

	memset(resp, 0, sizeof(*resp));
	resp->body = calloc(1, 1);
	if (resp->body == NULL)
		return -ENOMEM;
	snprintf(url, sizeof(url), "http://%s:%d%s", srv->host, srv->port, path);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, rest->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	/* No "Expect: 100-continue" round trip for small PUT bodies. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (body != NULL) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (rest->token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", rest->token);
		hdrs = curl_slist_append(hdrs, auth);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		snprintf(resp->err, sizeof(resp->err), "%s", curl_easy_strerror(rc));
		return rc == CURLE_COULDNT_CONNECT ? -ECONNREFUSED : -EIO;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->code);
	return 0;
}

void
cli_resp_free(struct cli_resp *resp)
{
	free(resp->body);
	free(resp->detail);
	resp->body = NULL;
	resp->detail = NULL;
	resp->len = 0;
}
