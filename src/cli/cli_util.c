/* SPDX-License-Identifier: BSD-3-Clause */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
cli_normalize(const char *in, char *out, size_t size)
{
	size_t n = 0;
	bool pending_space = false;

	for (; *in != '\0'; in++) {
		if (is_blank(*in)) {
			pending_space = n > 0;
			continue;
		}
		if (*in == ';') {
			pending_space = false;
		} else if (pending_space && out[n - 1] != ';') {
			if (n + 1 >= size)
				return -ENOSPC;
			out[n++] = ' ';
		}
		pending_space = false;
		if (n + 1 >= size)
			return -ENOSPC;
		out[n++] = *in;
	}
	if (size == 0)
		return -ENOSPC;
	out[n] = '\0';
	return (int)n;
}

int
cli_split(char *buf, char **words, int max)
{
	int n = 0;
	char *p = buf;

	if (*p == '\0')
		return 0;
	for (;;) {
		char *sp = strchr(p, ' ');

		if (n == max)
			return -E2BIG;
		words[n++] = p;
		if (sp == NULL)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return n;
}

bool
cli_is_digits(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int
cli_parse_uint(const char *s, long min, long max, long *val)
{
	long v = 0;

	if (!cli_is_digits(s) || strlen(s) > 10)
		return -EINVAL;
	for (; *s != '\0'; s++)
		v = v * 10 + (*s - '0');
	if (v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

char *
cli_url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1);
	char *o = out;

	if (out == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		}
	}
	*o = '\0';
	return out;
}

int
cli_server_parse(const char *s, struct cli_server *srv)
{
	const char *colon = strrchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	long port = 7777;

	if (hl == 0 || hl >= sizeof(srv->host))
		return -EINVAL;
	if (colon != NULL && cli_parse_uint(colon + 1, 1, 65535, &port) < 0)
		return -EINVAL;
	for (size_t i = 0; i < hl; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
			return -EINVAL;
	memcpy(srv->host, s, hl);
	srv->host[hl] = '\0';
	srv->port = (int)port;
	return 0;
}

int
cli_str_printf(struct cli_str *s, const char *fmt, ...)
{
	va_list ap;
	int need;

	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return -EINVAL;
	if (s->len + (size_t)need + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		char *nb;

		while (cap < s->len + (size_t)need + 1)
			cap *= 2;
		nb = realloc(s->buf, cap);
		if (nb == NULL) {
			s->failed = true;
			return -ENOMEM;
		}
		s->buf = nb;
		s->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	s->len += (size_t)need;
	return 0;
}

void
cli_str_free(struct cli_str *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = 0;
	s->cap = 0;
	s->failed = false;
}
