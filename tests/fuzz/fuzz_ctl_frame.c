/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: spp-ctl's reply framing (ctl_frame.c, SPEC §4.3), driven
 * the way ctl_conn.c's reader drives it: append what arrives, scan, take
 * a complete value off the front, reset.
 *
 * Input: byte 0 seeds the split; the rest is what the process sends.
 * Oracles: the values taken (and where a bad byte stops the reader) are
 * the same whether the bytes arrive whole, one at a time or in pieces;
 * every value starts with '{' or '[' and ends with the matching closer;
 * and where jansson reads a complete JSON object or array at the start of
 * the pending bytes, the framer cuts exactly that value.
 */
#include <stdbool.h>

#include <jansson.h>

#include "ctl_frame.h"
#include "fuzz.h"

struct out {
	char *buf;
	size_t len, cap;
};

static void
out_add(struct out *o, const char *p, size_t n, char tag)
{
	if (o->len + n + 9 > o->cap) {
		o->cap = (o->len + n + 9) * 2;
		o->buf = realloc(o->buf, o->cap);
		FUZZ_CHECK(o->buf != NULL, "out of memory");
	}
	o->buf[o->len++] = tag;
	memcpy(o->buf + o->len, &n, sizeof(n));
	o->len += sizeof(n);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

/*
 * jansson's view: the size of the object or array that starts after the
 * blanks at the front of buf[0, len), or 0 if jansson reads none there.
 */
static size_t
jansson_value_end(const char *buf, size_t len)
{
	size_t i = 0;
	json_error_t err;
	json_t *v;

	while (i < len && blank(buf[i]))
		i++;
	/* jansson would skip other whitespace rules or NUL differently: only
	 * compare where the value starts with what the framer requires. */
	if (i == len || (buf[i] != '{' && buf[i] != '['))
		return 0;
	v = json_loadb(buf + i, len - i, JSON_DISABLE_EOF_CHECK, &err);
	if (v == NULL)
		return 0;
	json_decref(v);
	return i + (size_t)err.position;
}

static void
run(const uint8_t *data, size_t size, int mode, uint8_t seed, struct out *o)
{
	struct ctl_frame f;
	char *buf = malloc(size + 1);
	size_t len = 0, off = 0;
	uint32_t x = seed * 2654435761u + 7;

	FUZZ_CHECK(buf != NULL, "out of memory");
	ctl_frame_reset(&f);
	for (;;) {
		size_t begin, end;
		enum ctl_frame_result r = ctl_frame_scan(&f, buf, len, &begin, &end);

		if (r == CTL_FRAME_DONE) {
			FUZZ_CHECK(begin < end && end <= len, "value [%zu, %zu) of %zu", begin,
				   end, len);
			FUZZ_CHECK((buf[begin] == '{' || buf[begin] == '[') &&
				   (buf[end - 1] == '}' || buf[end - 1] == ']'),
				   "value does not start and end with brackets");
			for (size_t i = 0; i < begin; i++)
				FUZZ_CHECK(blank(buf[i]), "non-blank byte before the value");
			/* jansson is only consulted on whole input (mode 0 sees the
			 * longest pending buffers); a shorter pending buffer may hold
			 * a prefix jansson would also accept. */
			if (mode == 0) {
				size_t jend = jansson_value_end(buf, len);

				FUZZ_CHECK(jend == 0 || jend == end,
					   "framer cut at %zu, jansson's value ends at %zu", end,
					   jend);
			}
			out_add(o, buf + begin, end - begin, 'V');
			memmove(buf, buf + end, len - end);
			len -= end;
			ctl_frame_reset(&f);
			continue;
		}
		if (r == CTL_FRAME_BAD) {
			out_add(o, "", 0, 'B');
			break;
		}
		if (!f.started) {
			len = 0;
			ctl_frame_reset(&f);
		}
		if (off == size) {
			out_add(o, "", 0, 'M');
			break;
		}
		size_t n = mode == 0 ? size : mode == 1 ? 1 : 1 + (x = x * 1103515245u + 12345u,
								   (x >> 16) % 23);

		if (n > size - off)
			n = size - off;
		memcpy(buf + len, data + off, n);
		len += n;
		off += n;
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out got[3] = { { 0 } };

	if (size == 0)
		return 0;
	for (int mode = 0; mode < 3; mode++)
		run(data + 1, size - 1, mode, data[0], &got[mode]);
	for (int mode = 1; mode < 3; mode++)
		FUZZ_CHECK(got[mode].len == got[0].len &&
			   memcmp(got[mode].buf, got[0].buf, got[0].len) == 0,
			   "split mode %d frames differently from whole input", mode);
	for (int mode = 0; mode < 3; mode++)
		free(got[mode].buf);
	return 0;
}
