/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp-ctl's log: one line per event on stderr, "spp-ctl: LEVEL: ...".
 * Thread-safe (one fprintf per line); the level is set once in main().
 */
#ifndef CTL_LOG_H
#define CTL_LOG_H

enum ctl_log_level {
	CTL_LOG_ERROR = 0,
	CTL_LOG_WARNING = 1,
	CTL_LOG_INFO = 2,
	CTL_LOG_DEBUG = 3,
};

extern enum ctl_log_level ctl_log_threshold;

/* "error", "warning", "info", "debug" -> level; -1 if unknown. */
int ctl_log_level_parse(const char *name);

void ctl_log(enum ctl_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define CTL_LOG(level, fmt, ...) \
	ctl_log(CTL_LOG_##level, "%s(): " fmt, __func__, ##__VA_ARGS__)

#endif /* CTL_LOG_H */
