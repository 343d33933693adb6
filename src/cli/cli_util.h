/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small text helpers of the spp CLI: line normalisation, splitting into
 * words, percent-encoding and a growable string.
 *
 * Pure functions, no I/O: any caller, unit-tested in tests/unit/cli.
 */
#ifndef CLI_UTIL_H
#define CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Most words a command line is split into; more are an error. */
#define CLI_MAX_WORDS	64

/*
 * Copy in to out (size bytes) with leading/trailing blanks removed, every
 * run of blanks (space, tab, CR, LF) turned into one space and the blanks
 * around ';' dropped, as upstream's CLI does: " vf  1 ; status " ->
 * "vf 1;status".
 * Returns the length of out, or -ENOSPC when it does not fit.
 */
int cli_normalize(const char *in, char *out, size_t size);

/*
 * Split buf in place at spaces (buf must be normalised: single spaces, no
 * leading or trailing blank). Stores up to max pointers in words.
 * Returns the number of words, or -E2BIG when there are more than max.
 */
int cli_split(char *buf, char **words, int max);

/* True when s is a non-empty string of decimal digits. */
bool cli_is_digits(const char *s);

/*
 * Parse s as a decimal integer in [min, max] (digits only, no sign).
 * Returns 0 and stores it in *val, or -EINVAL.
 */
int cli_parse_uint(const char *s, long min, long max, long *val);

/*
 * Percent-encode s for one URL path segment (RFC 3986: everything but
 * ALPHA / DIGIT / "-" / "." / "_" / "~" is encoded).
 * Returns a malloc'd string the caller frees, or NULL when out of memory.
 */
char *cli_url_encode(const char *s);

/* An spp-ctl REST endpoint. */
struct cli_server {
	char host[256];
	int port;
};

/*
 * Parse "ADDR[:PORT]" (dotted IPv4 or a host name of letters, digits, '.'
 * and '-'; port 1..65535, default 7777) into srv. Returns 0 or -EINVAL.
 */
int cli_server_parse(const char *s, struct cli_server *srv);

/* A growable NUL-terminated string; zero-initialise before use. */
struct cli_str {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;	/* an allocation failed; buf holds what fitted */
};

/* Append printf-formatted text. Returns 0 or -ENOMEM (then s->failed). */
int cli_str_printf(struct cli_str *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Free the buffer; the string is empty and reusable after. */
void cli_str_free(struct cli_str *s);

/* obj[key] as a string; NULL when absent or not a string. Any thread. */
static inline const char *
cli_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* obj[key] as an integer; 0 when absent or not an integer. Any thread. */
static inline long long
cli_json_int(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

#endif /* CLI_UTIL_H */
