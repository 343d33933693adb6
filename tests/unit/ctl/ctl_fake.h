/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fake struct ctl_backend for the router tests: a primary, vf 2 and
 * mirror 3 are registered; every command is recorded and answered with a
 * canned reply (success by default). Single-threaded tests only.
 */
#ifndef CTL_FAKE_H
#define CTL_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "ctl_rest.h"

struct fake {
	bool primary;
	bool vf2, mirror3;
	int nb_cmds;
	char cmds[8][4096];		/* commands sent, in order */
	enum ctl_ptype types[8];
	unsigned int ids[8];
	unsigned int flags[8];
	const char *reply;		/* next reply text; NULL: default success */
	int ret;			/* next command's return value (0: reply) */
	const char *sysfs;
};

extern struct fake fake;
extern const struct ctl_backend fake_backend;

void fake_reset(void);

/* Run one request; resp must be released by the caller. */
void fake_call(const char *method, const char *path, const char *body,
	       struct ctl_response *resp);

#endif /* CTL_FAKE_H */
