/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the CLI unit tests: run a formatting function into a string.
 */
#ifndef CLI_TEST_H
#define CLI_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

/* Parse JSON text that the test itself wrote; fails the test if bad. */
static inline json_t *
load(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL)
		fail_msg("bad test JSON: %s at %d", err.text, err.position);
	return j;
}

/* A memory stream; read the text with mem_text() after fclose. */
struct mem {
	FILE *f;
	char *buf;
	size_t size;
};

static inline void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->size = 0;
	m->f = open_memstream(&m->buf, &m->size);
	assert_non_null(m->f);
}

static inline char *
mem_text(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

#endif /* CLI_TEST_H */
