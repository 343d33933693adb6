/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_primary endpoints (SPEC §7.6). The body is checked before the
 * primary is looked up, except for /patches and /forward (upstream order).
 * launch builds its command from whitelisted options only, in upstream's
 * order, and refuses any value that could split into more tokens.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"

#define CMD_SIZE	512

static bool
primary_found(struct ctl_call *c)
{
	if (c->be->exists(c->be->ctx, CTL_PRIMARY, 0))
		return true;
	ctl_reply_text(c, 404, "primary not found.");
	return false;
}

static void
send_204(struct ctl_call *c, const char *cmd)
{
	if (ctl_pri_command(c, cmd, NULL) == 0)
		ctl_reply_204(c);
}

void
ctl_api_pri_status(struct ctl_call *c)
{
	json_t *reply;

	if (ctl_pri_command(c, "status", &reply) == 0)
		ctl_reply_json(c, reply);
}

void
ctl_api_pri_clear(struct ctl_call *c)
{
	send_204(c, "clear");
}

void
ctl_api_pri_exit(struct ctl_call *c)
{
	json_t *reply = NULL;
	const char *result, *message;
	int ret;

	ret = c->be->command(c->be->ctx, CTL_PRIMARY, 0, "exit", CTL_CMD_REMOVE_FIRST, &reply);
	if (ret == -ENOENT) {
		ctl_reply_text(c, 404, "primary not found.");
		return;
	}
	if (ret == -ECONNRESET) {
		ctl_reply_204(c);
		return;
	}
	if (ret < 0) {
		ctl_reply_500(c);
		return;
	}
	result = json_string_value(json_object_get(reply, "result"));
	message = json_string_value(json_object_get(reply, "message"));
	if (result != NULL && strcmp(result, "failed") == 0)
		ctl_reply_text(c, 400, "command error: %s", message != NULL ? message : "");
	else
		ctl_reply_204(c);
	json_decref(reply);
}

/* --- launch --- */

static const char *const eal_whitelist[] = {
	"-c", "-l", "--lcores", "--master-lcore", "-s", "-b", "--pci-blacklist", "-w",
	"--pci-whitelist", "--vdev", "-d", "--no-pci", "--proc-type", "-n", "-r", "-m",
	"--in-memory", "--iova-mode", "--no-shconf", "--no-huge", "--log-level",
	"--file-prefix", "--create-uio-dev", "--vmware-tsc-map", "--no-hpet", "--vfio-intr",
	"--base-virtaddr", "--legacy-mem", "--socket-mem", "--socket-limit",
	"--single-file-segments", "--huge-dir", "--huge-unlink", "--match-allocations",
	"--syslog", "--main-lcore", "-a", "--allow", NULL,
};

static const char *const app_whitelist[] = { "--client-id", "-s", "--vhost-client", NULL };

struct strbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void
sb_add(struct strbuf *b, const char *text)
{
	size_t n = strlen(text);

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (s == NULL) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, text, n + 1);
	b->len += n;
}

/* Append " KEY[ VALUE]" of every whitelisted key of opts; -1 on a bad value. */
static int
add_options(struct strbuf *b, const json_t *opts, const char *const whitelist[])
{
	for (int i = 0; whitelist[i] != NULL; i++) {
		const json_t *v = json_object_get(opts, whitelist[i]);
		char num[32];
		const char *text;

		if (v == NULL)
			continue;
		sb_add(b, " ");
		sb_add(b, whitelist[i]);
		if (json_is_null(v) || json_is_true(v))
			continue;
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			text = num;
		} else if (json_is_string(v)) {
			text = ctl_json_str(v);
			if (text != NULL && text[0] == '\0')
				continue;
			if (!ctl_launch_value_safe(text))
				return -1;
		} else {
			return -1;	/* false, real, object, array */
		}
		sb_add(b, " ");
		sb_add(b, text);
	}
	return 0;
}

char *
ctl_launch_command(const json_t *body, const char **bad_key, const json_t **bad_value)
{
	const json_t *id = json_object_get(body, "client_id");
	const json_t *name = json_object_get(body, "proc_name");
	const json_t *eal = json_object_get(body, "eal");
	const json_t *app = json_object_get(body, "app");
	struct strbuf b = { 0 };
	const char *pname = ctl_json_str(name);
	char idtext[32];
	char head[64];

	*bad_key = NULL;
	*bad_value = NULL;
	/* Upstream's CLI sends the id as a string: integer or decimal string. */
	if (ctl_int_or_decimal(id, idtext, sizeof(idtext)) < 0 ||
	    strtoul(idtext, NULL, 10) < 1 || strtoul(idtext, NULL, 10) > 127 ||
	    strlen(idtext) > 3) {
		*bad_key = "client_id";
		*bad_value = id;
		return NULL;
	}
	if (pname == NULL || (strcmp(pname, "spp_vf") != 0 && strcmp(pname, "spp_mirror") != 0)) {
		*bad_key = "proc_name";
		*bad_value = name;
		return NULL;
	}
	if (!json_is_object(eal) || json_object_get(eal, "--proc-type") == NULL ||
	    (json_object_get(eal, "-c") == NULL && json_object_get(eal, "-l") == NULL &&
	     json_object_get(eal, "--lcores") == NULL)) {
		*bad_key = "eal";
		*bad_value = eal;
		return NULL;
	}
	if (!json_is_object(app)) {
		*bad_key = "app";
		*bad_value = app;
		return NULL;
	}
	snprintf(head, sizeof(head), "launch %lu %s", strtoul(idtext, NULL, 10), pname);
	sb_add(&b, head);
	if (add_options(&b, eal, eal_whitelist) < 0) {
		*bad_key = "eal";
		*bad_value = eal;
		goto fail;
	}
	sb_add(&b, " --");
	if (add_options(&b, app, app_whitelist) < 0) {
		*bad_key = "app";
		*bad_value = app;
		goto fail;
	}
	if (b.failed)
		goto fail;
	return b.s;
fail:
	free(b.s);
	return NULL;
}

void
ctl_api_pri_launch(struct ctl_call *c)
{
	static const char *const keys[] = { "client_id", "proc_name", "eal", "app", NULL };
	const char *bad_key;
	const json_t *bad_value;
	json_t *body;
	char *cmd;

	if ((body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	cmd = ctl_launch_command(body, &bad_key, &bad_value);
	if (cmd == NULL) {
		if (bad_key != NULL)
			ctl_reply_invalid(c, bad_key, bad_value);
		else
			ctl_reply_500(c);
		goto out;
	}
	send_204(c, cmd);
	free(cmd);
out:
	json_decref(body);
}

/* --- the forwarder's routes: our primary has none and says so (400) --- */

void
ctl_api_pri_forward(struct ctl_call *c)
{
	static const char *const keys[] = { "action", NULL };
	json_t *body, *action;
	const char *a;

	if (!primary_found(c) || (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	action = json_object_get(body, "action");
	a = ctl_json_str(action);
	if (a == NULL || (strcmp(a, "start") != 0 && strcmp(a, "stop") != 0)) {
		ctl_reply_invalid(c, "action", action);
		goto out;
	}
	send_204(c, strcmp(a, "start") == 0 ? "forward" : "stop");
out:
	json_decref(body);
}

void
ctl_api_pri_ports(struct ctl_call *c)
{
	static const char *const keys[] = { "action", "port", NULL };
	static const char *const pipe_keys[] = { "rx", "tx", NULL };
	json_t *body, *action, *port;
	const char *a, *p;
	char cmd[CMD_SIZE];

	if ((body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	action = json_object_get(body, "action");
	port = json_object_get(body, "port");
	a = ctl_json_str(action);
	p = ctl_json_str(port);
	if (a == NULL || (strcmp(a, "add") != 0 && strcmp(a, "del") != 0)) {
		ctl_reply_invalid(c, "action", action);
		goto out;
	}
	if (!ctl_port_valid(p)) {
		ctl_reply_invalid(c, "port", port);
		goto out;
	}
	if (strcmp(a, "add") == 0 && strncmp(p, "pipe:", 5) == 0) {
		json_t *rx, *tx;

		if (ctl_body_require(c, body, pipe_keys) < 0)
			goto out;
		rx = json_object_get(body, "rx");
		tx = json_object_get(body, "tx");
		if (!ctl_port_valid(ctl_json_str(rx))) {
			ctl_reply_invalid(c, "rx", rx);
			goto out;
		}
		if (!ctl_port_valid(ctl_json_str(tx))) {
			ctl_reply_invalid(c, "tx", tx);
			goto out;
		}
		snprintf(cmd, sizeof(cmd), "add %s %s %s", p, json_string_value(rx),
			 json_string_value(tx));
	} else {
		snprintf(cmd, sizeof(cmd), "%s %s", a, p);
	}
	send_204(c, cmd);
out:
	json_decref(body);
}

void
ctl_api_pri_patch(struct ctl_call *c)
{
	static const char *const keys[] = { "src", "dst", NULL };
	json_t *body, *src, *dst;
	char cmd[CMD_SIZE];

	if (!primary_found(c) || (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	src = json_object_get(body, "src");
	dst = json_object_get(body, "dst");
	if (!ctl_port_valid(ctl_json_str(src))) {
		ctl_reply_invalid(c, "src", src);
		goto out;
	}
	if (!ctl_port_valid(ctl_json_str(dst))) {
		ctl_reply_invalid(c, "dst", dst);
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "patch %s %s", json_string_value(src), json_string_value(dst));
	send_204(c, cmd);
out:
	json_decref(body);
}

void
ctl_api_pri_patch_reset(struct ctl_call *c)
{
	if (primary_found(c))
		send_204(c, "patch reset");
}

/*
 * Flow rules (c->arg: 0 create, 1 validate, 2 flush, 3 destroy): our
 * primary has none; its reply is passed through with 200 (SPEC §7.2).
 */
void
ctl_api_pri_flow(struct ctl_call *c)
{
	const char *port_id = c->args[c->nb_args - 1];
	json_t *body = NULL, *reply = NULL;
	char cmd[CMD_SIZE];
	int ret;

	if (c->arg <= 1) {
		static const char *const keys[] = { "rule", NULL };

		if ((body = ctl_body_object(c)) == NULL)
			return;
		if (ctl_body_require(c, body, keys) < 0)
			goto out;
	}
	switch (c->arg) {
	case 0:
		snprintf(cmd, sizeof(cmd), "flow create %s", port_id);
		break;
	case 1:
		snprintf(cmd, sizeof(cmd), "flow validate %s", port_id);
		break;
	case 2:
		snprintf(cmd, sizeof(cmd), "flow flush %s", port_id);
		break;
	default:
		snprintf(cmd, sizeof(cmd), "flow destroy %s %s", port_id, c->args[0]);
		break;
	}
	ret = c->be->command(c->be->ctx, CTL_PRIMARY, 0, cmd, 0, &reply);
	if (ret == -ENOENT)
		ctl_reply_text(c, 404, "primary not found.");
	else if (ret < 0)
		ctl_reply_500(c);
	else
		ctl_reply_json(c, reply);
out:
	json_decref(body);
}
