/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "spp_stream.h"

void
spp_stream_init(struct spp_stream *s)
{
	s->len = 0;
	s->discarding = false;
}

static bool
is_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t')
			return false;
	return true;
}

static void
end_command(struct spp_stream *s, bool terminated, spp_stream_cb cb, void *arg)
{
	bool blank = is_blank(s->buf, s->len);

	s->buf[s->len] = '\0';
	if (!blank)
		cb(arg, SPP_STREAM_COMMAND, s->buf);
	else if (!terminated)
		cb(arg, SPP_STREAM_BLANK, "");
	/* A terminated blank command gets no reply: it is padding. */
	s->len = 0;
}

void
spp_stream_feed(struct spp_stream *s, const char *data, size_t size,
		spp_stream_cb cb, void *arg)
{
	for (size_t i = 0; i < size; i++) {
		char c = data[i];

		if (c == '\r')
			continue;
		if (c == '\n' || c == '\0') {
			if (s->discarding)
				s->discarding = false;
			else
				end_command(s, true, cb, arg);
			continue;
		}
		if (s->discarding)
			continue;
		s->buf[s->len++] = c;
		if (s->len == SPP_CMD_MAX_SIZE) {
			cb(arg, SPP_STREAM_TOO_LONG, "");
			s->len = 0;
			s->discarding = true;
		}
	}
}

void
spp_stream_silence(struct spp_stream *s, spp_stream_cb cb, void *arg)
{
	if (s->discarding) {
		s->discarding = false;
		return;
	}
	if (s->len > 0)
		end_command(s, false, cb, arg);
}

bool
spp_stream_pending(const struct spp_stream *s)
{
	return s->len > 0 || s->discarding;
}
