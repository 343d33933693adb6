/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [EXT] PUT /v1/vfs/{id}/log_level, /v1/mirrors/{id}/log_level and
 * /v1/primary/log_level (docs/observability.md "Logging"): body
 * {"type": "spp.*", "level": "debug"} becomes the process command
 * `log_level TYPE LEVEL`; the process checks the values (its error message
 * comes back as 400 "command error: ..."), spp-ctl only refuses what could
 * not be one token. c->arg is the process type (CTL_PRIMARY for the
 * primary's route).
 */
#include <stdio.h>
#include <string.h>

#include "ctl_api.h"

/* A string of 1..63 bytes without whitespace or control bytes: one token. */
static const char *
token_of(const json_t *v)
{
	const char *s = ctl_json_str(v);

	if (s == NULL || s[0] == '\0' || strlen(s) > 63)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return NULL;
	return s;
}

void
ctl_api_log_level(struct ctl_call *c)
{
	static const char *const keys[] = { "type", "level", NULL };
	const char *type, *level;
	unsigned int id = 0;
	char cmd[160];
	json_t *body;

	if (c->arg != CTL_PRIMARY) {
		/* The id first (404), then the body (SPEC §7.2). */
		if (!ctl_arg_id(c, 0, &id) ||
		    !c->be->exists(c->be->ctx, (enum ctl_ptype)c->arg, id)) {
			ctl_reply_text(c, 404, "sec_id %s not found.", c->args[0]);
			return;
		}
	}
	body = ctl_body_object(c);
	if (body == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	type = token_of(json_object_get(body, "type"));
	if (type == NULL) {
		ctl_reply_invalid(c, "type", json_object_get(body, "type"));
		goto out;
	}
	level = token_of(json_object_get(body, "level"));
	if (level == NULL) {
		ctl_reply_invalid(c, "level", json_object_get(body, "level"));
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "log_level %s %s", type, level);
	if (c->arg == CTL_PRIMARY) {
		if (ctl_pri_command(c, cmd, NULL) == 0)
			ctl_reply_204(c);
	} else if (ctl_sec_command(c, id, cmd, NULL) == 0) {
		ctl_reply_204(c);
	}
out:
	json_decref(body);
}
