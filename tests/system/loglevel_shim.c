/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD shim for the system tests' log oracle (conftest.py).
 *
 * DPDK 22.11 writes every log line to stderr without its level, and also
 * hands it to syslog(3) with priority = level - 1 (lib/eal/linux/eal_log.c,
 * console_log_write). This shim replaces syslog: each line of priority
 * LOG_WARNING or more severe is appended, as "PID PRIORITY message", to the
 * file named by $SPP_TEST_WARN_LOG; nothing goes to the system log. stderr
 * output is unchanged. Test-only: never built into spp.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static void
record(int pri, const char *fmt, va_list ap)
{
	const char *path = getenv("SPP_TEST_WARN_LOG");
	char buf[4096];
	int n, m, fd;

	if (path == NULL || LOG_PRI(pri) > LOG_WARNING)
		return;
	n = snprintf(buf, sizeof(buf), "%d %d ", (int)getpid(), LOG_PRI(pri));
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	if (n == 0 || buf[n - 1] != '\n')
		buf[n++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, buf, (size_t)n) < 0) {
		/* nothing to do: the oracle then misses this line */
	}
	close(fd);
}

void
openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

void
closelog(void)
{
}

void
vsyslog(int pri, const char *fmt, va_list ap)
{
	record(pri, fmt, ap);
}

void
syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(pri, fmt, ap);
	va_end(ap);
}

void
__vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	record(pri, fmt, ap);
}

void
__syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	record(pri, fmt, ap);
	va_end(ap);
}
