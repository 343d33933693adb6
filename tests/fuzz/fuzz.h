/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): the libFuzzer entry
 * points, an oracle check that aborts with the failing condition, and a
 * reader that takes structured values from the front of an input.
 *
 * The same target sources build as libFuzzer binaries (-Dfuzz=true, clang)
 * and, linked with fuzz_replay_main.c, as `meson test` replays of their
 * corpus (suites unit and fuzz). Single-threaded.
 */
#ifndef SPP_FUZZ_H
#define SPP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional; called once before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An oracle: on failure print where and what, then abort (libFuzzer and
 * the replay both report the input that got here). */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* Bytes of an input, consumed from the front; reads past the end give 0. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fuzz_u8(struct fuzz_in *in)
{
	uint8_t v = 0;

	if (in->n > 0) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static inline uint16_t
fuzz_u16(struct fuzz_in *in)
{
	uint16_t hi = fuzz_u8(in);

	return (uint16_t)(hi << 8 | fuzz_u8(in));
}

/* Up to size bytes into out (zero-filled past the end); returns bytes read. */
static inline size_t
fuzz_bytes(struct fuzz_in *in, void *out, size_t size)
{
	size_t k = size < in->n ? size : in->n;

	memcpy(out, in->p, k);
	memset((uint8_t *)out + k, 0, size - k);
	in->p += k;
	in->n -= k;
	return k;
}

#endif /* SPP_FUZZ_H */
