/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_vf and spp_mirror endpoints (SPEC §7.4, §7.5): /v1/vfs/{id}... and
 * /v1/mirrors/{id}...; c->arg is the process type. The id is resolved
 * (404) before the body is checked (SPEC §7.2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_api.h"

#define CMD_SIZE	512

/* Resolve the {id} argument; 404 "sec_id <n> not found." otherwise. */
static int
sec_id(struct ctl_call *c, unsigned int *id)
{
	if (!ctl_arg_id(c, 0, id)) {
		const char *s = c->args[0];

		/* Shown as a number, as upstream's int() conversion does. */
		while (s[0] == '0' && s[1] != '\0')
			s++;
		ctl_reply_text(c, 404, "sec_id %s not found.", s);
		return -1;
	}
	if (!c->be->exists(c->be->ctx, (enum ctl_ptype)c->arg, *id)) {
		ctl_reply_text(c, 404, "sec_id %u not found.", *id);
		return -1;
	}
	return 0;
}

/* The {name} argument, URL-decoded and checked (SPEC §5.3). */
static int
comp_name(struct ctl_call *c, char *name, size_t size)
{
	json_t *shown;

	if (ctl_url_decode(c->args[1], name, size) == 0 && ctl_name_valid(name))
		return 0;
	if (ctl_url_decode(c->args[1], name, size) != 0)
		snprintf(name, size, "%s", c->args[1]);
	shown = json_string(name);
	if (shown == NULL)
		shown = json_string(c->args[1]);
	ctl_reply_invalid(c, "name", shown);
	json_decref(shown);
	return -1;
}

static bool
one_of(const json_t *v, const char *const values[])
{
	const char *s = ctl_json_str(v);

	if (s == NULL)
		return false;
	for (int i = 0; values[i] != NULL; i++)
		if (strcmp(s, values[i]) == 0)
			return true;
	return false;
}

static int
send_204(struct ctl_call *c, unsigned int id, const char *cmd)
{
	if (ctl_sec_command(c, id, cmd, NULL) < 0)
		return -1;
	ctl_reply_204(c);
	return 0;
}

/* --- GET, DELETE --- */

static void
add_ports(json_t *ports, const json_t *items, const char *type)
{
	size_t i;
	json_t *item;

	json_array_foreach(items, i, item) {
		const char *s = json_string_value(item);
		char buf[64];

		if (s == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s:%s", type, s);
		json_array_append_new(ports, json_string(buf));
	}
}

/* SPEC §7.4 GET conversion of a status reply's info. */
static json_t *
convert_status(const json_t *info, bool is_vf)
{
	static const char *const own[] = {
		"client-id", "phy", "vhost", "ring", "master-lcore", "core", "classifier_table",
		NULL,
	};
	json_t *out = json_object();
	json_t *ports = json_array();
	json_t *v;
	const char *key;

	json_object_set(out, "client-id", json_object_get(info, "client-id"));
	add_ports(ports, json_object_get(info, "phy"), "phy");
	add_ports(ports, json_object_get(info, "vhost"), "vhost");
	add_ports(ports, json_object_get(info, "ring"), "ring");
	json_object_set_new(out, "ports", ports);
	json_object_set(out, "master-lcore", json_object_get(info, "master-lcore"));
	v = json_object_get(info, "core");
	json_object_set(out, "components", v != NULL ? v : json_array());
	if (is_vf) {
		v = json_object_get(info, "classifier_table");
		json_object_set_new(out, "classifier_table",
				    v != NULL ? json_incref(v) : json_array());
	}
	json_object_foreach((json_t *)info, key, v) {
		bool skip = false;

		for (int i = 0; own[i] != NULL; i++)
			if (strcmp(key, own[i]) == 0)
				skip = true;
		if (!skip)
			json_object_set(out, key, v);
	}
	return out;
}

void
ctl_api_sec_get(struct ctl_call *c)
{
	json_t *reply, *info;
	unsigned int id;

	if (sec_id(c, &id) < 0 || ctl_sec_command(c, id, "status", &reply) < 0)
		return;
	info = json_object_get(reply, "info");
	if (!json_is_object(info)) {
		json_decref(reply);
		ctl_reply_500(c);
		return;
	}
	ctl_reply_json(c, convert_status(info, c->arg == CTL_VF));
	json_decref(reply);
}

void
ctl_api_sec_exit(struct ctl_call *c)
{
	const char *result, *message;
	json_t *reply = NULL;
	unsigned int id;
	int ret;

	if (sec_id(c, &id) < 0)
		return;
	ret = c->be->command(c->be->ctx, (enum ctl_ptype)c->arg, id, "exit",
			     CTL_CMD_REMOVE_FIRST, &reply);
	if (ret == -ENOENT) {
		ctl_reply_text(c, 404, "sec_id %u not found.", id);
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
	result = json_string_value(json_object_get(json_array_get(
			json_object_get(reply, "results"), 0), "result"));
	message = json_string_value(json_object_get(json_object_get(json_array_get(
			json_object_get(reply, "results"), 0), "error_details"), "message"));
	if (result != NULL && strcmp(result, "error") == 0)
		ctl_reply_text(c, 400, "command error: %s", message != NULL ? message : "");
	else
		ctl_reply_204(c);
	json_decref(reply);
}

/* --- components --- */

void
ctl_api_sec_comp_start(struct ctl_call *c)
{
	static const char *const keys[] = { "name", "core", "type", NULL };
	static const char *const vf_types[] = { "forward", "merge", "classifier", NULL };
	static const char *const mirror_types[] = { "mirror", NULL };
	static const char *const modes[] = { "shallow", "deep", NULL };
	bool vf = c->arg == CTL_VF;
	json_t *body, *name, *core, *type, *mode = NULL;
	char cmd[CMD_SIZE];
	unsigned int id;

	if (sec_id(c, &id) < 0 || (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	name = json_object_get(body, "name");
	core = json_object_get(body, "core");
	type = json_object_get(body, "type");
	if (!ctl_name_valid(ctl_json_str(name))) {
		ctl_reply_invalid(c, "name", name);
		goto out;
	}
	if (!ctl_json_is_int(core)) {
		ctl_reply_invalid(c, "core", core);
		goto out;
	}
	if (!one_of(type, vf ? vf_types : mirror_types)) {
		ctl_reply_invalid(c, "type", type);
		goto out;
	}
	if (!vf) {
		mode = json_object_get(body, "copy_mode");
		if (mode != NULL && !one_of(mode, modes)) {
			ctl_reply_invalid(c, "copy_mode", mode);
			goto out;
		}
	}
	snprintf(cmd, sizeof(cmd), "component start %s %" JSON_INTEGER_FORMAT " %s%s%s",
		 json_string_value(name), json_integer_value(core), json_string_value(type),
		 mode != NULL ? " " : "", mode != NULL ? json_string_value(mode) : "");
	send_204(c, id, cmd);
out:
	json_decref(body);
}

void
ctl_api_sec_comp_stop(struct ctl_call *c)
{
	char name[64], cmd[CMD_SIZE];
	unsigned int id;

	if (sec_id(c, &id) < 0 || comp_name(c, name, sizeof(name)) < 0)
		return;
	snprintf(cmd, sizeof(cmd), "component stop %s", name);
	send_204(c, id, cmd);
}

/* --- ports --- */

/* The " add_vlantag ID PCP" / " del_vlantag" suffix of an attach, or -1. */
static int
vlan_suffix(struct ctl_call *c, const json_t *vlan, char *out, size_t size)
{
	const char *op;
	char vid[24], pcp[24];

	out[0] = '\0';
	if (vlan == NULL || json_is_null(vlan) ||
	    (json_is_object(vlan) && json_object_size(vlan) == 0))
		return 0;
	if (!json_is_object(vlan))
		goto bad;
	op = ctl_json_str(json_object_get(vlan, "operation"));
	if (op == NULL)
		goto bad;
	if (strcmp(op, "none") == 0)
		return 0;
	if (strcmp(op, "del") == 0) {
		snprintf(out, size, " del_vlantag");
		return 0;
	}
	if (strcmp(op, "add") != 0 ||
	    ctl_int_or_decimal(json_object_get(vlan, "id"), vid, sizeof(vid)) < 0 ||
	    ctl_int_or_decimal(json_object_get(vlan, "pcp"), pcp, sizeof(pcp)) < 0)
		goto bad;
	snprintf(out, size, " add_vlantag %s %s", vid, pcp);
	return 0;
bad:
	ctl_reply_invalid(c, "vlan", vlan);
	return -1;
}

void
ctl_api_sec_ports(struct ctl_call *c)
{
	static const char *const keys[] = { "action", "port", "dir", NULL };
	static const char *const actions[] = { "attach", "detach", NULL };
	static const char *const dirs[] = { "rx", "tx", NULL };
	json_t *body, *action, *port, *dir;
	char name[64], cmd[CMD_SIZE], suffix[64] = "";
	unsigned int id;
	bool attach;

	if (sec_id(c, &id) < 0 || comp_name(c, name, sizeof(name)) < 0 ||
	    (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	action = json_object_get(body, "action");
	port = json_object_get(body, "port");
	dir = json_object_get(body, "dir");
	if (!one_of(action, actions)) {
		ctl_reply_invalid(c, "action", action);
		goto out;
	}
	if (!ctl_port_valid(ctl_json_str(port))) {
		ctl_reply_invalid(c, "port", port);
		goto out;
	}
	if (!one_of(dir, dirs)) {
		ctl_reply_invalid(c, "dir", dir);
		goto out;
	}
	attach = strcmp(json_string_value(action), "attach") == 0;
	/* spp_mirror: VLAN ops only through the command protocol (upstream). */
	if (attach && c->arg == CTL_VF &&
	    vlan_suffix(c, json_object_get(body, "vlan"), suffix, sizeof(suffix)) < 0)
		goto out;
	snprintf(cmd, sizeof(cmd), "port %s %s %s %s%s", attach ? "add" : "del",
		 json_string_value(port), json_string_value(dir), name, suffix);
	send_204(c, id, cmd);
out:
	json_decref(body);
}

/* --- classifier_table --- */

void
ctl_api_sec_classifier(struct ctl_call *c)
{
	static const char *const keys[] = { "action", "type", "port", "mac_address", NULL };
	static const char *const vlan_key[] = { "vlan", NULL };
	static const char *const actions[] = { "add", "del", NULL };
	static const char *const types[] = { "mac", "vlan", NULL };
	json_t *body, *action, *type, *port, *mac_v;
	char mac[24], vid[24], cmd[CMD_SIZE];
	unsigned int id;

	if (sec_id(c, &id) < 0 || (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	action = json_object_get(body, "action");
	type = json_object_get(body, "type");
	port = json_object_get(body, "port");
	mac_v = json_object_get(body, "mac_address");
	if (!one_of(action, actions)) {
		ctl_reply_invalid(c, "action", action);
		goto out;
	}
	if (!one_of(type, types)) {
		ctl_reply_invalid(c, "type", type);
		goto out;
	}
	if (!ctl_port_valid(ctl_json_str(port))) {
		ctl_reply_invalid(c, "port", port);
		goto out;
	}
	if (ctl_mac_normalize(ctl_json_str(mac_v), mac, sizeof(mac)) < 0) {
		ctl_reply_invalid(c, "mac_address", mac_v);
		goto out;
	}
	if (strcmp(json_string_value(type), "vlan") == 0) {
		if (ctl_body_require(c, body, vlan_key) < 0)
			goto out;
		if (ctl_int_or_decimal(json_object_get(body, "vlan"), vid, sizeof(vid)) < 0) {
			ctl_reply_invalid(c, "vlan", json_object_get(body, "vlan"));
			goto out;
		}
		snprintf(cmd, sizeof(cmd), "classifier_table %s vlan %s %s %s",
			 json_string_value(action), vid, mac, json_string_value(port));
	} else {
		snprintf(cmd, sizeof(cmd), "classifier_table %s mac %s %s",
			 json_string_value(action), mac, json_string_value(port));
	}
	send_204(c, id, cmd);
out:
	json_decref(body);
}

/* --- captures [EXT] --- */

static bool
file_valid(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 255)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return true;
}

void
ctl_api_sec_captures(struct ctl_call *c)
{
	static const char *const keys[] = { "action", "port", "dir", NULL };
	static const char *const file_key[] = { "file", NULL };
	static const char *const actions[] = { "start", "stop", NULL };
	static const char *const dirs[] = { "rx", "tx", "both", NULL };
	json_t *body, *action, *port, *dir, *file, *max;
	char cmd[CMD_SIZE], maxs[32] = "";
	unsigned int id;

	if (sec_id(c, &id) < 0 || (body = ctl_body_object(c)) == NULL)
		return;
	if (ctl_body_require(c, body, keys) < 0)
		goto out;
	action = json_object_get(body, "action");
	port = json_object_get(body, "port");
	dir = json_object_get(body, "dir");
	if (!one_of(action, actions)) {
		ctl_reply_invalid(c, "action", action);
		goto out;
	}
	if (!ctl_port_valid(ctl_json_str(port))) {
		ctl_reply_invalid(c, "port", port);
		goto out;
	}
	if (!one_of(dir, dirs)) {
		ctl_reply_invalid(c, "dir", dir);
		goto out;
	}
	if (strcmp(json_string_value(action), "stop") == 0) {
		snprintf(cmd, sizeof(cmd), "capture stop %s %s", json_string_value(port),
			 json_string_value(dir));
		send_204(c, id, cmd);
		goto out;
	}
	if (ctl_body_require(c, body, file_key) < 0)
		goto out;
	file = json_object_get(body, "file");
	if (!file_valid(ctl_json_str(file))) {
		ctl_reply_invalid(c, "file", file);
		goto out;
	}
	max = json_object_get(body, "max");
	if (max != NULL) {
		if (!ctl_json_is_int(max)) {
			ctl_reply_invalid(c, "max", max);
			goto out;
		}
		snprintf(maxs, sizeof(maxs), " %" JSON_INTEGER_FORMAT, json_integer_value(max));
	}
	snprintf(cmd, sizeof(cmd), "capture start %s %s %s%s", json_string_value(port),
		 json_string_value(dir), json_string_value(file), maxs);
	send_204(c, id, cmd);
out:
	json_decref(body);
}
