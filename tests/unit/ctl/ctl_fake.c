/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctl_fake.h"
#include "ctl_openapi.h"

struct fake fake;

static bool
exists(void *ctx, enum ctl_ptype type, unsigned int id)
{
	(void)ctx;
	if (type == CTL_PRIMARY)
		return fake.primary;
	if (type == CTL_VF)
		return id == 2 && fake.vf2;
	return id == 3 && fake.mirror3;
}

static int
command(void *ctx, enum ctl_ptype type, unsigned int id, const char *cmd, unsigned int flags,
	json_t **reply)
{
	const char *text;

	if (!exists(ctx, type, id))
		return -ENOENT;
	if (fake.nb_cmds < 8) {
		snprintf(fake.cmds[fake.nb_cmds], sizeof(fake.cmds[0]), "%s", cmd);
		fake.types[fake.nb_cmds] = type;
		fake.ids[fake.nb_cmds] = id;
		fake.flags[fake.nb_cmds] = flags;
		fake.nb_cmds++;
	}
	if (fake.ret != 0)
		return fake.ret;
	text = fake.reply;
	if (text == NULL)
		text = type == CTL_PRIMARY ? "{\"result\":\"succeeded\",\"command\":\"x\"}" :
		       "{\"results\":[{\"result\":\"success\"}]}";
	*reply = json_loads(text, 0, NULL);
	return *reply != NULL ? 0 : -EIO;
}

static json_t *
processes(void *ctx)
{
	json_t *list = json_array();

	(void)ctx;
	if (fake.primary)
		json_array_append_new(list, json_pack("{s:s}", "type", "primary"));
	if (fake.vf2)
		json_array_append_new(list, json_pack("{s:s,s:i}", "type", "vf", "client-id", 2));
	if (fake.mirror3)
		json_array_append_new(list, json_pack("{s:s,s:i}", "type", "mirror",
						      "client-id", 3));
	return list;
}

const struct ctl_backend fake_backend = {
	.exists = exists,
	.command = command,
	.processes = processes,
	.sysfs_cpu = "/nonexistent",
	.openapi = ctl_openapi_json,
};

void
fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.primary = true;
	fake.vf2 = true;
	fake.mirror3 = true;
}

void
fake_call(const char *method, const char *path, const char *body, struct ctl_response *resp)
{
	struct ctl_backend be = fake_backend;
	struct ctl_request req = {
		.method = method,
		.path = path,
		.body = body,
		.body_size = body != NULL ? strlen(body) : 0,
	};

	be.openapi_size = ctl_openapi_json_size;
	if (fake.sysfs != NULL)
		be.sysfs_cpu = fake.sysfs;
	ctl_rest_handle(&be, &req, resp);
}
