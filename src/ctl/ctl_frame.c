/* SPDX-License-Identifier: BSD-3-Clause */
#include "ctl_frame.h"

void
ctl_frame_reset(struct ctl_frame *f)
{
	f->pos = 0;
	f->begin = 0;
	f->depth = 0;
	f->started = false;
	f->in_str = false;
	f->esc = false;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

enum ctl_frame_result
ctl_frame_scan(struct ctl_frame *f, const char *buf, size_t len, size_t *begin, size_t *end)
{
	size_t i = f->pos;

	if (!f->started) {
		while (i < len && is_blank(buf[i]))
			i++;
		if (i == len) {
			f->pos = i;
			return CTL_FRAME_MORE;
		}
		if (buf[i] != '{' && buf[i] != '[')
			return CTL_FRAME_BAD;
		f->started = true;
		f->begin = i;
	}
	for (; i < len; i++) {
		char c = buf[i];

		if (f->in_str) {
			if (f->esc)
				f->esc = false;
			else if (c == '\\')
				f->esc = true;
			else if (c == '"')
				f->in_str = false;
		} else if (c == '"') {
			f->in_str = true;
		} else if (c == '{' || c == '[') {
			f->depth++;
		} else if (c == '}' || c == ']') {
			if (--f->depth == 0) {
				*begin = f->begin;
				*end = i + 1;
				f->pos = i + 1;
				return CTL_FRAME_DONE;
			}
		}
	}
	f->pos = i;
	return CTL_FRAME_MORE;
}
