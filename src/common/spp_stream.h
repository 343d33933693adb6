/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command framing of the control connection (SPEC §4.3).
 *
 * Upstream spp-ctl writes one unterminated command per request; our spp-ctl
 * terminates with '\n'. The stream splits any byte sequence into commands:
 * '\n' or NUL ends one, '\r' is dropped, terminated blank commands are
 * ignored, unterminated bytes become a command after 2 ms of silence, and
 * SPP_CMD_MAX_SIZE bytes without a terminator are an error at once.
 *
 * Pure C, no DPDK, no I/O: the owner feeds bytes and reports silence.
 * Thread: the thread that owns the connection.
 */
#ifndef SPP_STREAM_H
#define SPP_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "spp_limits.h"

/* Silence after which unterminated bytes form a command. */
#define SPP_STREAM_SILENCE_MS	2

enum spp_stream_event {
	SPP_STREAM_COMMAND,	/* text: one non-blank command, NUL-terminated */
	SPP_STREAM_BLANK,	/* unterminated blanks followed by silence */
	SPP_STREAM_TOO_LONG,	/* SPP_CMD_MAX_SIZE bytes without a terminator */
};

/* Called once per event, in input order; text is valid during the call. */
typedef void (*spp_stream_cb)(void *arg, enum spp_stream_event ev, const char *text);

struct spp_stream {
	size_t len;
	bool discarding;	/* dropping the rest of an over-long command */
	char buf[SPP_CMD_MAX_SIZE + 1];
};

void spp_stream_init(struct spp_stream *s);

/* Feed received bytes; calls cb for every command they complete. */
void spp_stream_feed(struct spp_stream *s, const char *data, size_t size,
		     spp_stream_cb cb, void *arg);

/*
 * Report SPP_STREAM_SILENCE_MS of silence: pending unterminated bytes
 * become a command (or SPP_STREAM_BLANK), and discarding ends.
 */
void spp_stream_silence(struct spp_stream *s, spp_stream_cb cb, void *arg);

/* True while unterminated bytes wait (the owner should time the silence). */
bool spp_stream_pending(const struct spp_stream *s);

#endif /* SPP_STREAM_H */
