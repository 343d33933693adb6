/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Request bodies and the value rules of SPEC §7.4-§7.6, and the mapping
 * of process replies onto REST answers (SPEC §7.2).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl_api.h"

bool
ctl_json_too_deep(const char *text, size_t size, unsigned int max)
{
	unsigned int depth = 0;
	bool in_str = false, esc = false;

	for (size_t i = 0; i < size; i++) {
		char ch = text[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			if (++depth > max)
				return true;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		}
	}
	return false;
}

json_t *
ctl_body_object(struct ctl_call *c)
{
	const struct ctl_request *req = c->req;
	json_t *body;

	/*
	 * jansson's parser recurses per nesting level (capped at 2048 since
	 * 2.14, unbounded before); refuse deep bodies before it sees them.
	 */
	if (req->body_size == 0 || req->body == NULL ||
	    ctl_json_too_deep(req->body, req->body_size, CTL_BODY_MAX_DEPTH)) {
		ctl_reply_text(c, 400, "Not in json format.");
		return NULL;
	}
	body = json_loadb(req->body, req->body_size, 0, NULL);
	if (body == NULL || !json_is_object(body)) {
		json_decref(body);
		ctl_reply_text(c, 400, "Not in json format.");
		return NULL;
	}
	return body;
}

int
ctl_body_require(struct ctl_call *c, const json_t *body, const char *const keys[])
{
	for (int i = 0; keys[i] != NULL; i++) {
		if (json_object_get(body, keys[i]) == NULL) {
			ctl_reply_required(c, keys[i]);
			return -1;
		}
	}
	return 0;
}

const char *
ctl_json_str(const json_t *v)
{
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

char *
ctl_json_text(const json_t *v)
{
	if (v == NULL)
		return strdup("null");
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		char *out = malloc(len + 1);

		if (out == NULL)
			return NULL;
		/* An embedded NUL is shown as a space: the body is text/plain. */
		for (size_t i = 0; i < len; i++)
			out[i] = s[i] != '\0' ? s[i] : ' ';
		out[len] = '\0';
		return out;
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

bool
ctl_name_valid(const char *s)
{
	size_t len;

	if (s == NULL)
		return false;
	len = strlen(s);
	if (len < 1 || len > 31)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == '\\' || ch == '/' || ch == ';')
			return false;
	}
	return true;
}

static bool
digits(const char *s, size_t n)
{
	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
ctl_port_valid(const char *s)
{
	static const char *const types[] = {
		"phy", "vhost", "ring", "pcap", "nullpmd", "tap", "memif", "pipe",
	};
	const char *colon, *num, *nq;
	bool known = false;

	if (s == NULL)
		return false;
	colon = strchr(s, ':');
	if (colon == NULL)
		return false;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i]) == (size_t)(colon - s) &&
		    strncmp(s, types[i], (size_t)(colon - s)) == 0)
			known = true;
	if (!known)
		return false;
	num = colon + 1;
	nq = strstr(num, "nq");
	if (nq == NULL)
		return digits(num, strlen(num));
	/* Multi-queue phy, and vhost with --vhost-queues (issue 5). */
	if (strncmp(s, "phy:", 4) != 0 && strncmp(s, "vhost:", 6) != 0)
		return false;
	return digits(num, (size_t)(nq - num)) && digits(nq + 2, strlen(nq + 2));
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
ctl_mac_normalize(const char *s, char *out, size_t size)
{
	char sep;

	if (s == NULL || size < 18)
		return -EINVAL;
	if (strcmp(s, "default") == 0) {
		snprintf(out, size, "default");
		return 0;
	}
	if (strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *g = s + i * 3;

		if (hexval(g[0]) < 0 || hexval(g[1]) < 0)
			return -EINVAL;
		if (i < 5 && g[2] != sep)
			return -EINVAL;
		out[i * 3] = (char)tolower((unsigned char)g[0]);
		out[i * 3 + 1] = (char)tolower((unsigned char)g[1]);
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	return 0;
}

bool
ctl_json_is_int(const json_t *v)
{
	return json_is_integer(v);
}

int
ctl_int_or_decimal(const json_t *v, char *out, size_t size)
{
	const char *s;

	if (json_is_integer(v)) {
		snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	s = ctl_json_str(v);
	if (s == NULL || s[0] == '\0' || strlen(s) >= size)
		return -EINVAL;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	snprintf(out, size, "%s", s);
	return 0;
}

bool
ctl_launch_value_safe(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
		if (strchr(";|&$`'\"\\<>", *p) != NULL)
			return false;
	}
	return true;
}

int
ctl_url_decode(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; in[i] != '\0'; i++) {
		char ch = in[i];

		if (ch == '%') {
			int hi = hexval(in[i + 1]);
			int lo = hi < 0 ? -1 : hexval(in[i + 2]);

			if (hi < 0 || lo < 0)
				return -EINVAL;
			ch = (char)(hi << 4 | lo);
			i += 2;
			if (ch == '\0')
				return -EINVAL;
		}
		if (o + 1 >= size)
			return -EINVAL;
		out[o++] = ch;
	}
	out[o] = '\0';
	return 0;
}

bool
ctl_arg_id(const struct ctl_call *c, unsigned int i, unsigned int *id)
{
	unsigned long long v = 0;
	const char *s = i < c->nb_args ? c->args[i] : "";

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	*id = (unsigned int)v;
	return true;
}

/* --- replies of the processes --- */

static const char *
sec_result(const json_t *reply, const char **message, const char **detail)
{
	const json_t *results = json_object_get(reply, "results");
	const json_t *first = json_array_get(results, 0);
	const json_t *details = json_object_get(first, "error_details");

	*message = json_string_value(json_object_get(details, "message"));
	*detail = json_string_value(json_object_get(details, "detail"));
	return json_string_value(json_object_get(first, "result"));
}

static void
set_detail(struct ctl_response *r, const char *detail)
{
	if (detail == NULL || detail[0] == '\0')
		return;
	r->error_detail = strdup(detail);
	if (r->error_detail == NULL)
		return;
	/* A header value holds no control character. */
	for (char *p = r->error_detail; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

int
ctl_sec_command(struct ctl_call *c, unsigned int id, const char *cmd, json_t **out)
{
	json_t *reply = NULL;
	const char *result, *message, *detail;
	int ret;

	ret = c->be->command(c->be->ctx, (enum ctl_ptype)c->arg, id, cmd, 0, &reply);
	if (ret == -ENOENT) {
		ctl_reply_text(c, 404, "sec_id %u not found.", id);
		return -1;
	}
	if (ret < 0) {
		ctl_reply_500(c);
		return -1;
	}
	result = sec_result(reply, &message, &detail);
	if (result != NULL && strcmp(result, "success") == 0) {
		if (out != NULL)
			*out = reply;
		else
			json_decref(reply);
		return 0;
	}
	if (result != NULL && strcmp(result, "error") == 0) {
		ctl_reply_text(c, 400, "command error: %s", message != NULL ? message : "");
		set_detail(c->resp, detail);
	} else {
		ctl_reply_500(c);
	}
	json_decref(reply);
	return -1;
}

int
ctl_pri_command(struct ctl_call *c, const char *cmd, json_t **out)
{
	json_t *reply = NULL;
	const char *result, *message;
	int ret;

	ret = c->be->command(c->be->ctx, CTL_PRIMARY, 0, cmd, 0, &reply);
	if (ret == -ENOENT) {
		ctl_reply_text(c, 404, "primary not found.");
		return -1;
	}
	if (ret < 0 || !json_is_object(reply)) {
		json_decref(reply);
		ctl_reply_500(c);
		return -1;
	}
	result = json_string_value(json_object_get(reply, "result"));
	message = json_string_value(json_object_get(reply, "message"));
	/* status carries no "result": any object that is not a failure. */
	if (result == NULL || strcmp(result, "succeeded") == 0) {
		if (out != NULL)
			*out = reply;
		else
			json_decref(reply);
		return 0;
	}
	ctl_reply_text(c, 400, "command error: %s", message != NULL ? message : result);
	json_decref(reply);
	return -1;
}

/* --- authorization --- */

bool
ctl_rest_authorized(const char *authorization, const char *token)
{
	size_t len, tlen;
	unsigned char diff = 0;

	if (token == NULL)
		return true;
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
		return false;
	authorization += 7;
	while (*authorization == ' ')
		authorization++;
	len = strlen(authorization);
	while (len > 0 && (authorization[len - 1] == ' ' || authorization[len - 1] == '\t'))
		len--;
	tlen = strlen(token);
	/* Constant time in the token's length: no early exit on a mismatch. */
	diff = len != tlen;
	for (size_t i = 0; i < tlen; i++)
		diff |= (unsigned char)(token[i] ^ (i < len ? authorization[i] : 0));
	return diff == 0;
}
