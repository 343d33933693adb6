/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl_log.h"

enum ctl_log_level ctl_log_threshold = CTL_LOG_INFO;

static const char *const names[] = { "error", "warning", "info", "debug" };

int
ctl_log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void
ctl_log(enum ctl_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (level > ctl_log_threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "spp-ctl: %s: %s\n", names[level], line);
}
