/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: spp-ctl's REST request decoding and routing (ctl_rest.c,
 * ctl_body.c, ctl_api_*.c; SPEC §7), through ctl_rest_handle() with a fake
 * backend: a primary, vf 2 and mirror 3 are registered.
 *
 * Input (text): "METHOD PATH" on the first line; then the body, up to an
 * optional line "#reply"; after it, what every process answers: JSON text,
 * or "!EIO", "!ENOENT", "!ECONNRESET" for those errors. Without it,
 * secondaries answer success and the primary "succeeded".
 * Oracles: the response is complete: a status of SPEC §7.2, a body (none
 * for 204) whose size is its length, JSON that parses when the type says
 * JSON, an Allow header exactly on 405, an X-Spp-Error-Detail without
 * control characters; every command sent to a process is one line with no
 * control character, so no request can inject a second command or split
 * a token (SPEC §4.3, §7.6); a public path is only a page of the live
 * view.
 */
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include <jansson.h>

#include "ctl_rest.h"
#include "fuzz.h"

static const char *reply_text;	/* NULL: default success */

static bool
exists(void *ctx, enum ctl_ptype type, unsigned int id)
{
	(void)ctx;
	return type == CTL_PRIMARY || (type == CTL_VF && id == 2) ||
		(type == CTL_MIRROR && id == 3);
}

static int
command(void *ctx, enum ctl_ptype type, unsigned int id, const char *cmd, unsigned int flags,
	json_t **reply)
{
	const char *text = reply_text;

	for (const unsigned char *p = (const unsigned char *)cmd; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in command '%s'", *p,
			   cmd);
	FUZZ_CHECK(cmd[0] != '\0', "empty command");
	(void)flags;
	if (!exists(ctx, type, id))
		return -ENOENT;
	if (text == NULL)
		text = type == CTL_PRIMARY ? "{\"result\":\"succeeded\",\"command\":\"x\"}" :
		       "{\"results\":[{\"result\":\"success\"}]}";
	if (strcmp(text, "!EIO") == 0)
		return -EIO;
	if (strcmp(text, "!ENOENT") == 0)
		return -ENOENT;
	if (strcmp(text, "!ECONNRESET") == 0)
		return -ECONNRESET;
	/* ctl_conn.c hands over only complete JSON; anything else is -EIO. */
	*reply = json_loads(text, JSON_DECODE_ANY, NULL);
	return *reply != NULL ? 0 : -EIO;
}

static json_t *
processes(void *ctx)
{
	(void)ctx;
	return json_pack("[{s:s},{s:s,s:i},{s:s,s:i}]", "type", "primary", "type", "vf",
			 "client-id", 2, "type", "mirror", "client-id", 3);
}

static void
check_response(const struct ctl_response *r)
{
	static const unsigned int codes[] = { 200, 204, 400, 404, 405, 413, 500 };
	bool known = false;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		known |= r->status == codes[i];
	FUZZ_CHECK(known, "status %u", r->status);
	if (r->status == 204) {
		FUZZ_CHECK(r->body == NULL && r->content_type == NULL, "204 with a body");
	} else {
		FUZZ_CHECK(r->body != NULL && r->content_type != NULL, "%u without a body",
			   r->status);
		FUZZ_CHECK(strlen(r->body) == r->body_size, "body size %zu, length %zu",
			   r->body_size, strlen(r->body));
	}
	if (r->content_type != NULL && strcmp(r->content_type, "application/json") == 0) {
		json_t *v = json_loadb(r->body, r->body_size, JSON_DECODE_ANY, NULL);

		FUZZ_CHECK(v != NULL, "JSON body does not parse: %.200s", r->body);
		json_decref(v);
	}
	FUZZ_CHECK((r->status == 405) == (r->allow[0] != '\0'), "Allow '%s' on %u", r->allow,
		   r->status);
	if (r->error_detail != NULL)
		for (const unsigned char *p = (const unsigned char *)r->error_detail; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f, "control byte in a header");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char marker[] = "\n#reply\n";
	struct ctl_backend be = {
		.exists = exists, .command = command, .processes = processes,
		.sysfs_cpu = "/nonexistent", .openapi = "{}", .openapi_size = 2,
	};
	struct ctl_response resp;
	char *text = malloc(size + 1), *nl, *sp, *body, *rep;
	const char *method, *path;

	FUZZ_CHECK(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	/* Method and path are C strings in the HTTP layer: they end at a NUL. */
	nl = memchr(text, '\n', size);
	body = nl != NULL ? nl + 1 : text + size;
	if (nl != NULL)
		*nl = '\0';
	sp = strchr(text, ' ');
	method = text;
	path = "/";
	if (sp != NULL) {
		*sp = '\0';
		path = sp + 1;
	}
	size_t body_size = (size_t)(text + size - body);

	rep = memmem(body, body_size, marker, sizeof(marker) - 1);
	reply_text = NULL;
	if (rep != NULL) {
		reply_text = rep + sizeof(marker) - 1;
		body_size = (size_t)(rep - body);
	}
	struct ctl_request req = {
		.method = method, .path = path, .body = body_size > 0 ? body : NULL,
		.body_size = body_size,
	};

	ctl_rest_handle(&be, &req, &resp);
	check_response(&resp);
	ctl_response_release(&resp);

	if (ctl_rest_is_public(method, path))
		FUZZ_CHECK((strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
			   (strcmp(path, "/") == 0 || strncmp(path, "/ui/", 4) == 0),
			   "%s %s is public", method, path);
	/* The bearer check never grants a token's access to another value. */
	if (ctl_rest_authorized(path, "s3cret"))
		FUZZ_CHECK(strncasecmp(path, "Bearer ", 7) == 0 && strstr(path, "s3cret") != NULL,
			   "'%s' authorized", path);
	free(text);
	return 0;
}
