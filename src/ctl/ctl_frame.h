/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reply framing on a process connection (SPEC §4.3): a reply ends with the
 * end of one complete JSON value, found by bracket depth outside strings
 * (escapes honoured); NULs and whitespace before it are skipped.
 *
 * Pure C, no I/O and no allocation: the caller owns the buffer and feeds
 * the scanner the bytes received so far. The scan is incremental, so a
 * reply of any size arriving in any number of pieces is scanned once.
 * Thread: the one thread that reads the connection.
 */
#ifndef CTL_FRAME_H
#define CTL_FRAME_H

#include <stdbool.h>
#include <stddef.h>

struct ctl_frame {
	size_t pos;		/* bytes of the buffer already scanned */
	size_t begin;		/* offset of the value's first byte, once started */
	unsigned long depth;	/* open brackets */
	bool started;
	bool in_str;
	bool esc;
};

enum ctl_frame_result {
	CTL_FRAME_MORE = 0,	/* no complete value yet: feed more bytes */
	CTL_FRAME_DONE = 1,	/* *begin .. *end (exclusive) is one value */
	CTL_FRAME_BAD = -1,	/* first non-blank byte is not '{' or '[' */
};

/* Forget everything scanned (a new reply starts at offset 0). */
void ctl_frame_reset(struct ctl_frame *f);

/*
 * Continue scanning buf[0, len); buf must hold the same bytes as at the
 * previous call, possibly followed by more. On CTL_FRAME_DONE the caller
 * consumes buf[0, *end) and resets the scanner before the next value.
 */
enum ctl_frame_result ctl_frame_scan(struct ctl_frame *f, const char *buf, size_t len,
				     size_t *begin, size_t *end);

#endif /* CTL_FRAME_H */
