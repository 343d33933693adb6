/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: command framing of the control connection (spp_stream.c,
 * SPEC §4.3).
 *
 * Input: byte 0 seeds the split; the rest is the byte stream.
 * Oracles: the events (commands, blanks, too-long errors) are the same
 * whether the stream arrives whole, one byte at a time or in pieces of
 * sizes drawn from the seed, and equal those of a reference written from
 * SPEC §4.3 alone; a command is never blank, never holds '\n', '\r' or
 * NUL, and is at most SPP_CMD_MAX_SIZE - 1 bytes.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "spp_stream.h"

/* Events as a byte string: kind, then the text and a NUL. */
struct events {
	char *buf;
	size_t len, cap;
};

static void
events_add(struct events *e, enum spp_stream_event ev, const char *text)
{
	size_t n = strlen(text) + 2;

	if (e->len + n > e->cap) {
		e->cap = (e->len + n) * 2;
		e->buf = realloc(e->buf, e->cap);
		FUZZ_CHECK(e->buf != NULL, "out of memory");
	}
	e->buf[e->len] = (char)('0' + ev);
	memcpy(e->buf + e->len + 1, text, n - 1);
	e->len += n;
}

static void
on_event(void *arg, enum spp_stream_event ev, const char *text)
{
	size_t len = strlen(text);

	if (ev == SPP_STREAM_COMMAND) {
		bool blank = true;

		FUZZ_CHECK(len > 0 && len < SPP_CMD_MAX_SIZE, "command of %zu bytes", len);
		for (size_t i = 0; i < len; i++) {
			FUZZ_CHECK(text[i] != '\n' && text[i] != '\r', "terminator in a command");
			if (text[i] != ' ' && text[i] != '\t')
				blank = false;
		}
		FUZZ_CHECK(!blank, "blank command '%s'", text);
	} else {
		FUZZ_CHECK(len == 0, "event %d with text", ev);
	}
	events_add(arg, ev, text);
}

/* SPEC §4.3 read directly: the expected events of the whole stream then silence. */
static void
reference(const uint8_t *data, size_t size, struct events *out)
{
	char *cur = malloc(size + 1);
	size_t len = 0;
	bool discarding = false;

	FUZZ_CHECK(cur != NULL, "out of memory");
	for (size_t i = 0; i <= size; i++) {
		bool end = i == size;	/* silence */
		bool term = !end && (data[i] == '\n' || data[i] == '\0');

		if (!end && data[i] == '\r')
			continue;
		if (end || term) {
			bool blank = true;

			for (size_t k = 0; k < len; k++)
				if (cur[k] != ' ' && cur[k] != '\t')
					blank = false;
			cur[len] = '\0';
			if (discarding)
				discarding = false;
			else if (!blank)
				events_add(out, SPP_STREAM_COMMAND, cur);
			else if (end && len > 0)
				events_add(out, SPP_STREAM_BLANK, "");
			len = 0;
			continue;
		}
		if (discarding)
			continue;
		cur[len++] = (char)data[i];
		if (len == SPP_CMD_MAX_SIZE) {
			events_add(out, SPP_STREAM_TOO_LONG, "");
			len = 0;
			discarding = true;
		}
	}
	free(cur);
}

/* Feed data in pieces: step 0 whole, 1 byte by byte, else sizes from seed. */
static void
run(const uint8_t *data, size_t size, int mode, uint8_t seed, struct events *out)
{
	static struct spp_stream s;	/* 4 KiB: off the stack */
	uint32_t x = seed * 2654435761u + 1;
	size_t off = 0;

	spp_stream_init(&s);
	while (off < size) {
		size_t n;

		if (mode == 0) {
			n = size;
		} else if (mode == 1) {
			n = 1;
		} else {
			x = x * 1103515245u + 12345u;
			n = 1 + (x >> 16) % 16;
			if ((x & 0x300) == 0)
				n += (x >> 4) % 5000;	/* now and then a large piece */
		}
		if (n > size - off)
			n = size - off;
		spp_stream_feed(&s, (const char *)data + off, n, on_event, out);
		off += n;
	}
	spp_stream_silence(&s, on_event, out);
	FUZZ_CHECK(!spp_stream_pending(&s), "bytes pending after silence");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct events ref = { 0 }, got[3] = { { 0 } };
	uint8_t seed;

	if (size == 0)
		return 0;
	seed = data[0];
	data++;
	size--;
	reference(data, size, &ref);
	for (int mode = 0; mode < 3; mode++) {
		run(data, size, mode, seed, &got[mode]);
		FUZZ_CHECK(got[mode].len == ref.len &&
			   (ref.len == 0 || memcmp(got[mode].buf, ref.buf, ref.len) == 0),
			   "split mode %d: events differ from SPEC §4.3's", mode);
		free(got[mode].buf);
	}
	free(ref.buf);
	return 0;
}
