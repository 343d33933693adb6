/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_cmd.h"
#include "cli_util.h"

#define LINE_SIZE	4096

const char *const cli_cmd_names[] = {
	"bye",
	"exit",
	"help",
	"history",
	"mirror",
	"playback",
	"pri",
	"record",
	"redo",
	"server",
	"status",
	"top",
	"topo",
	"vf",
	NULL,
};

/* Upstream commands spp does not implement (SPEC §7.8). */
static const char *const unsupported[] = {
	"inspect",
	"load_cmd",
	"nfv",
	"pcap",
	"topo_resize",
	"topo_subgraph",
	NULL,
};

/* Not inlined: with the argument's size unknown, long input is simply
 * truncated to the message buffer, which is what we want. */
static __attribute__((noinline)) void
set_error(struct cli_cmd *cmd, const char *fmt, const char *a)
{
	cmd->kind = CLI_CMD_ERROR;
	snprintf(cmd->text, sizeof(cmd->text), fmt, a);
}

static int
set_body(struct cli_cmd *cmd, json_t *obj)
{
	if (obj == NULL)
		return -ENOMEM;
	cmd->body = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return cmd->body == NULL ? -ENOMEM : 0;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* A number as a JSON integer when it is one, else as the string typed,
 * so that spp-ctl answers "invalid key(...)" for it (SPEC §7.2). */
static json_t *
num_or_str(const char *s)
{
	long v;

	if (cli_parse_uint(s, 0, 2147483647L, &v) == 0)
		return json_integer(v);
	return json_string(s);
}

/*
 * "UID [nq Q]" at words[*i]: stores "phy:0nq1" (SPEC §3.1) in uid and
 * moves *i past it. Returns 0, or -EINVAL when words run out.
 */
static int
take_uid(char **words, int n, int *i, char *uid, size_t size)
{
	if (*i >= n)
		return -EINVAL;
	if (*i + 2 < n && strcmp(words[*i + 1], "nq") == 0) {
		snprintf(uid, size, "%snq%s", words[*i], words[*i + 2]);
		*i += 3;
	} else {
		snprintf(uid, size, "%s", words[*i]);
		*i += 1;
	}
	return 0;
}

/* --- pri ------------------------------------------------------------ */

/* ["-l", "1-2", "--no-pci", ...] -> {"-l": "1-2", "--no-pci": null}. */
static json_t *
opts_object(char **words, int n)
{
	json_t *obj = json_object();
	const char *key = NULL;

	if (obj == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (words[i][0] == '-') {
			json_object_set_new(obj, words[i], json_null());
			key = words[i];
		} else if (key != NULL) {
			json_object_set_new(obj, key, json_string(words[i]));
			key = NULL;
		}
	}
	return obj;
}

static int
parse_launch(struct cli_cmd *cmd, char **w, int n)
{
	char type[32], proc_name[40];
	const char *id = NULL;
	char **args;
	int nargs, sep = -1, eal_n, app_n;
	bool has_proc_type = false;
	json_t *eal, *app, *body;
	long idv;

	if (n < 3) {
		set_error(cmd, "Invalid syntax! Proc type, ID and options are required.\n"
			  "E.g. \"vf 2 -l 1,4-5 -m 512 -- --client-id 2 -s 127.0.0.1:6666\"%s",
			  "");
		return 0;
	}
	if (strncmp(w[1], "spp_", 4) == 0)
		snprintf(type, sizeof(type), "%s", w[1] + 4);
	else
		snprintf(type, sizeof(type), "%s", w[1]);
	if (strcmp(type, "vf") != 0 && strcmp(type, "mirror") != 0) {
		set_error(cmd, "'%s' is not supported in launch cmd.", type);
		return 0;
	}
	snprintf(proc_name, sizeof(proc_name), "spp_%s", type);
	if (w[2][0] == '-') {
		args = w + 2;
		nargs = n - 2;
	} else {
		id = w[2];
		args = w + 3;
		nargs = n - 3;
	}
	for (int i = 0; i < nargs; i++) {
		if (sep < 0 && strcmp(args[i], "--") == 0)
			sep = i;
		else if (sep < 0 && strncmp(args[i], "--proc-type", 11) == 0)
			has_proc_type = true;
	}
	if (sep < 0) {
		set_error(cmd, "Arguments should include separator \"--\".%s", "");
		return 0;
	}
	eal_n = sep;
	app_n = nargs - sep - 1;
	eal = opts_object(args, eal_n);
	app = opts_object(args + sep + 1, app_n);
	if (eal == NULL || app == NULL) {
		json_decref(eal);
		json_decref(app);
		return -ENOMEM;
	}
	if (!has_proc_type)
		json_object_set_new(eal, "--proc-type", json_string("secondary"));
	if (id == NULL) {
		id = json_string_value(json_object_get(app, "--client-id"));
		if (id == NULL) {
			json_decref(eal);
			json_decref(app);
			set_error(cmd, "Secondary ID is required!%s", "");
			return 0;
		}
	}
	if (cli_parse_uint(id, 1, 127, &idv) < 0) {
		json_decref(eal);
		json_decref(app);
		set_error(cmd, "Invalid secondary ID '%s'.", id);
		return 0;
	}
	json_object_set_new(app, "--client-id", json_string(id));
	body = json_object();
	if (body == NULL) {
		json_decref(eal);
		json_decref(app);
		return -ENOMEM;
	}
	json_object_set_new(body, "client_id", json_integer(idv));
	json_object_set_new(body, "proc_name", json_string(proc_name));
	json_object_set_new(body, "eal", eal);
	json_object_set_new(body, "app", app);
	cmd->op = CLI_OP_PRI_LAUNCH;
	cmd->method = "PUT";
	snprintf(cmd->path, sizeof(cmd->path), "/v1/primary/launch");
	snprintf(cmd->text, sizeof(cmd->text), "Send request to launch %s:%ld.", type, idv);
	return set_body(cmd, body);
}

static int
parse_pri(struct cli_cmd *cmd, char *rest)
{
	char *w[CLI_MAX_WORDS];
	int n;

	cmd->kind = CLI_CMD_PRI;
	if (rest[0] != ';') {
		set_error(cmd, "Invalid pri command: '%s'", rest[0] == ' ' ? rest + 1 : rest);
		return 0;
	}
	n = cli_split(rest + 1, w, CLI_MAX_WORDS);
	if (n <= 0) {
		set_error(cmd, "Invalid pri command: '%s'", n == 0 ? "" : rest + 1);
		return 0;
	}
	if (strcmp(w[0], "status") == 0) {
		cmd->op = CLI_OP_PRI_STATUS;
		cmd->method = "GET";
		snprintf(cmd->path, sizeof(cmd->path), "/v1/primary/status");
	} else if (strcmp(w[0], "clear") == 0) {
		cmd->op = CLI_OP_PRI_CLEAR;
		cmd->method = "DELETE";
		snprintf(cmd->path, sizeof(cmd->path), "/v1/primary/status");
		snprintf(cmd->text, sizeof(cmd->text), "Clear port statistics.");
	} else if (strcmp(w[0], "launch") == 0) {
		return parse_launch(cmd, w, n);
	} else if (strcmp(w[0], "add") == 0 || strcmp(w[0], "del") == 0 ||
		   strcmp(w[0], "patch") == 0 || strcmp(w[0], "forward") == 0 ||
		   strcmp(w[0], "stop") == 0) {
		cmd->op = CLI_OP_PRI_NOFWD;
		cmd->method = "GET";
		snprintf(cmd->path, sizeof(cmd->path), "/v1/primary/status");
		snprintf(cmd->text, sizeof(cmd->text), "No forwarder is running.");
	} else if (strcmp(w[0], "flow") == 0) {
		cmd->kind = CLI_CMD_UNSUPPORTED;
		snprintf(cmd->text, sizeof(cmd->text), "pri; flow");
	} else {
		set_error(cmd, "Invalid pri command: '%s'", w[0]);
	}
	return 0;
}

/* --- vf / mirror ---------------------------------------------------- */

static int
parse_component(struct cli_cmd *cmd, char **w, int n, bool mirror, const char *base)
{
	json_t *body;
	long core;

	if (n >= 2 && strcmp(w[1], "start") == 0) {
		if (n != 5 && !(mirror && n == 6)) {
			if (mirror)
				set_error(cmd, "Error: usage: component start NAME CORE mirror "
					  "[shallow|deep]%s", "");
			else
				set_error(cmd, "Error: usage: component start NAME CORE "
					  "TYPE%s", "");
			return 0;
		}
		body = json_object();
		if (body == NULL)
			return -ENOMEM;
		json_object_set_new(body, "name", json_string(w[2]));
		json_object_set_new(body, "core", num_or_str(w[3]));
		json_object_set_new(body, "type", json_string(w[4]));
		if (n == 6)
			json_object_set_new(body, "copy_mode", json_string(w[5]));
		cmd->method = "POST";
		snprintf(cmd->path, sizeof(cmd->path), "%s/components", base);
		if (cli_parse_uint(w[3], 0, 2147483647L, &core) == 0)
			snprintf(cmd->text, sizeof(cmd->text),
				 "Succeeded to start component '%s' on core:%ld", w[2], core);
		else
			snprintf(cmd->text, sizeof(cmd->text),
				 "Succeeded to start component '%s' on core:%s", w[2], w[3]);
		return set_body(cmd, body);
	}
	if (n >= 2 && strcmp(w[1], "stop") == 0) {
		char *enc;

		if (n != 3) {
			set_error(cmd, "Error: usage: component stop NAME%s", "");
			return 0;
		}
		enc = cli_url_encode(w[2]);
		if (enc == NULL)
			return -ENOMEM;
		cmd->method = "DELETE";
		snprintf(cmd->path, sizeof(cmd->path), "%s/components/%s", base, enc);
		free(enc);
		snprintf(cmd->text, sizeof(cmd->text), "Succeeded to delete component '%s'", w[2]);
		return 0;
	}
	set_error(cmd, "Error: Invalid action '%s' (start or stop).", n >= 2 ? w[1] : "");
	return 0;
}

static int
parse_port(struct cli_cmd *cmd, char **w, int n, const char *base)
{
	char uid[128];
	const char *dir, *name;
	json_t *body, *vlan;
	char *enc;
	bool add;
	int i = 2;

	if (n < 2 || (strcmp(w[1], "add") != 0 && strcmp(w[1], "del") != 0)) {
		set_error(cmd, "Error: Invalid action.%s", "");
		return 0;
	}
	add = strcmp(w[1], "add") == 0;
	if (take_uid(w, n, &i, uid, sizeof(uid)) < 0 || i + 2 > n) {
		set_error(cmd, "Error: Not enough parameters.%s", "");
		return 0;
	}
	dir = w[i++];
	name = w[i++];
	vlan = json_object();
	if (vlan == NULL)
		return -ENOMEM;
	if (i < n) {
		if (strcmp(w[i], "add_vlantag") == 0 && i + 3 == n) {
			json_object_set_new(vlan, "operation", json_string("add"));
			if (!cli_is_digits(w[i + 1])) {
				json_decref(vlan);
				set_error(cmd, "Error: vid is not a number.%s", "");
				return 0;
			}
			if (!cli_is_digits(w[i + 2])) {
				json_decref(vlan);
				set_error(cmd, "Error: pcp is not a number.%s", "");
				return 0;
			}
			json_object_set_new(vlan, "id", num_or_str(w[i + 1]));
			json_object_set_new(vlan, "pcp", num_or_str(w[i + 2]));
		} else if (strcmp(w[i], "del_vlantag") == 0 && i + 1 == n) {
			json_object_set_new(vlan, "operation", json_string("del"));
		} else if (strcmp(w[i], "add_vlantag") == 0 ||
			   strcmp(w[i], "del_vlantag") == 0) {
			json_decref(vlan);
			set_error(cmd, "Error: usage: port add RES_UID [nq Q] DIR NAME "
				  "[add_vlantag VID PCP|del_vlantag]%s", "");
			return 0;
		} else {
			json_decref(vlan);
			set_error(cmd, "Error: vlantag is Only add_vlantag or del_vlantag.%s", "");
			return 0;
		}
	}
	body = json_object();
	if (body == NULL) {
		json_decref(vlan);
		return -ENOMEM;
	}
	json_object_set_new(body, "action", json_string(add ? "attach" : "detach"));
	json_object_set_new(body, "port", json_string(uid));
	json_object_set_new(body, "dir", json_string(dir));
	json_object_set_new(body, "vlan", vlan);
	enc = cli_url_encode(name);
	if (enc == NULL) {
		json_decref(body);
		return -ENOMEM;
	}
	cmd->method = "PUT";
	snprintf(cmd->path, sizeof(cmd->path), "%s/components/%s/ports", base, enc);
	free(enc);
	snprintf(cmd->text, sizeof(cmd->text), "Succeeded to %s port", w[1]);
	return set_body(cmd, body);
}

static int
parse_cls_table(struct cli_cmd *cmd, char **w, int n, const char *base)
{
	char uid[128];
	const char *vid = NULL, *mac;
	json_t *body;
	int i = 3;

	if (n < 2 || (strcmp(w[1], "add") != 0 && strcmp(w[1], "del") != 0)) {
		set_error(cmd, "Error: Invalid action.%s", "");
		return 0;
	}
	if (n < 3 || (strcmp(w[2], "mac") != 0 && strcmp(w[2], "vlan") != 0)) {
		set_error(cmd, "Error: Type is only vlan or mac%s", "");
		return 0;
	}
	if (strcmp(w[2], "vlan") == 0) {
		if (i >= n) {
			set_error(cmd, "Error: Not enough parameters.%s", "");
			return 0;
		}
		vid = w[i++];
	}
	if (i >= n) {
		set_error(cmd, "Error: Not enough parameters.%s", "");
		return 0;
	}
	mac = w[i++];
	if (take_uid(w, n, &i, uid, sizeof(uid)) < 0) {
		set_error(cmd, "Error: Not enough parameters.%s", "");
		return 0;
	}
	if (i != n) {
		set_error(cmd, "Error: Too many parameters.%s", "");
		return 0;
	}
	body = json_object();
	if (body == NULL)
		return -ENOMEM;
	json_object_set_new(body, "action", json_string(w[1]));
	json_object_set_new(body, "type", json_string(w[2]));
	if (vid != NULL)
		json_object_set_new(body, "vlan", num_or_str(vid));
	json_object_set_new(body, "mac_address", json_string(mac));
	json_object_set_new(body, "port", json_string(uid));
	cmd->method = "PUT";
	snprintf(cmd->path, sizeof(cmd->path), "%s/classifier_table", base);
	snprintf(cmd->text, sizeof(cmd->text), "Succeeded to %s", w[1]);
	return set_body(cmd, body);
}

static int
parse_capture(struct cli_cmd *cmd, char **w, int n, const char *base)
{
	char uid[128];
	json_t *body;
	bool start;
	int i = 2;

	if (n < 2 || (strcmp(w[1], "start") != 0 && strcmp(w[1], "stop") != 0)) {
		set_error(cmd, "Error: Invalid action '%s' (start or stop).", n >= 2 ? w[1] : "");
		return 0;
	}
	start = strcmp(w[1], "start") == 0;
	if (take_uid(w, n, &i, uid, sizeof(uid)) < 0 ||
	    (start && (n - i < 2 || n - i > 3)) || (!start && n - i != 1)) {
		set_error(cmd, start ?
			  "Error: usage: capture start RES_UID [nq Q] DIR FILE [MAX]%s" :
			  "Error: usage: capture stop RES_UID [nq Q] DIR%s", "");
		return 0;
	}
	body = json_object();
	if (body == NULL)
		return -ENOMEM;
	json_object_set_new(body, "action", json_string(w[1]));
	json_object_set_new(body, "port", json_string(uid));
	json_object_set_new(body, "dir", json_string(w[i]));
	if (start) {
		json_object_set_new(body, "file", json_string(w[i + 1]));
		if (n - i == 3)
			json_object_set_new(body, "max", num_or_str(w[i + 2]));
	}
	cmd->method = "PUT";
	snprintf(cmd->path, sizeof(cmd->path), "%s/captures", base);
	snprintf(cmd->text, sizeof(cmd->text), "Succeeded to %s capture", w[1]);
	return set_body(cmd, body);
}

static int
parse_sec(struct cli_cmd *cmd, const char *proc, char *rest)
{
	bool mirror = strcmp(proc, "mirror") == 0;
	char *semi = strchr(rest, ';');
	char *w[CLI_MAX_WORDS];
	char base[64];
	char *id;
	int n;

	cmd->kind = CLI_CMD_SEC;
	snprintf(cmd->proc, sizeof(cmd->proc), "%s", mirror ? "mirror" : "vf");
	if (semi == NULL) {
		set_error(cmd, "Required an ID and ';' before the command.%s", "");
		return 0;
	}
	*semi = '\0';
	id = rest[0] == ' ' ? rest + 1 : rest;
	if (cli_parse_uint(id, 0, 2147483647L, &cmd->sec_id) < 0) {
		*semi = ';';
		set_error(cmd, "Invalid command: %s", id);
		return 0;
	}
	snprintf(base, sizeof(base), "/v1/%s/%ld", mirror ? "mirrors" : "vfs", cmd->sec_id);
	n = cli_split(semi + 1, w, CLI_MAX_WORDS);
	if (n <= 0) {
		set_error(cmd, "Invalid command \"%s\".", "");
		return 0;
	}
	if (strcmp(w[0], "status") == 0 && n == 1) {
		cmd->op = CLI_OP_SEC_STATUS;
		cmd->method = "GET";
		snprintf(cmd->path, sizeof(cmd->path), "%s", base);
		return 0;
	}
	if (strcmp(w[0], "exit") == 0 && n == 1) {
		cmd->op = CLI_OP_SEC_EXIT;
		cmd->method = "DELETE";
		snprintf(cmd->path, sizeof(cmd->path), "%s", base);
		snprintf(cmd->text, sizeof(cmd->text), "Exit %s %ld.", proc, cmd->sec_id);
		return 0;
	}
	if (strcmp(w[0], "component") == 0) {
		cmd->op = CLI_OP_SEC_COMPONENT;
		return parse_component(cmd, w, n, mirror, base);
	}
	if (strcmp(w[0], "port") == 0) {
		cmd->op = CLI_OP_SEC_PORT;
		return parse_port(cmd, w, n, base);
	}
	if (strcmp(w[0], "classifier_table") == 0 && !mirror) {
		cmd->op = CLI_OP_SEC_CLS_TABLE;
		return parse_cls_table(cmd, w, n, base);
	}
	if (strcmp(w[0], "capture") == 0) {
		cmd->op = CLI_OP_SEC_CAPTURE;
		return parse_capture(cmd, w, n, base);
	}
	set_error(cmd, "Invalid command \"%s\".", w[0]);
	return 0;
}

/* --- top level ------------------------------------------------------ */

static void
set_arg(struct cli_cmd *cmd, enum cli_cmd_kind kind, const char *rest)
{
	cmd->kind = kind;
	snprintf(cmd->arg, sizeof(cmd->arg), "%s", rest[0] == ' ' ? rest + 1 : rest);
}

/* Seconds as typed for "top -d": decimal, 0.1 .. 3600. */
static int
parse_seconds(const char *s, double *val)
{
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtod(s, &end);
	if (*end != '\0' || !(v >= 0.1 && v <= 3600))
		return -EINVAL;
	*val = v;
	return 0;
}

/* "top [-n COUNT] [-d SECONDS] [COUNT]": 1 s between refreshes by default. */
static void
parse_top(struct cli_cmd *cmd, const char *rest)
{
	char buf[LINE_SIZE];
	char *w[8];
	int n;

	cmd->kind = CLI_CMD_TOP;
	cmd->num = 0;
	cmd->interval = 1.0;
	snprintf(buf, sizeof(buf), "%s", rest[0] == ' ' ? rest + 1 : rest);
	n = cli_split(buf, w, 8);
	for (int i = 0; i < n; i++) {
		if (strcmp(w[i], "-n") == 0 && i + 1 < n &&
		    cli_parse_uint(w[i + 1], 1, 1000000L, &cmd->num) == 0) {
			i++;
		} else if (strcmp(w[i], "-d") == 0 && i + 1 < n &&
			   parse_seconds(w[i + 1], &cmd->interval) == 0) {
			i++;
		} else if (cli_parse_uint(w[i], 1, 1000000L, &cmd->num) < 0) {
			set_error(cmd, "Error: usage: top [-n COUNT] [-d SECONDS] [COUNT]%s", "");
			return;
		}
	}
	if (n < 0)
		set_error(cmd, "Error: usage: top [-n COUNT] [-d SECONDS] [COUNT]%s", "");
}

int
cli_cmd_parse(const char *line, struct cli_cmd *cmd)
{
	char buf[LINE_SIZE];
	char word[64];
	char *rest;
	size_t wl;

	memset(cmd, 0, sizeof(*cmd));
	if (cli_normalize(line, buf, sizeof(buf)) < 0) {
		set_error(cmd, "Error: command too long.%s", "");
		return 0;
	}
	if (buf[0] == '\0')
		return 0;
	if (buf[0] == '#') {
		const char *p = line;

		cmd->kind = CLI_CMD_COMMENT;
		while (*p == ' ' || *p == '\t')
			p++;
		snprintf(cmd->text, sizeof(cmd->text), "%s", p);
		wl = strlen(cmd->text);
		while (wl > 0 && strchr(" \t\r\n", cmd->text[wl - 1]) != NULL)
			cmd->text[--wl] = '\0';
		return 0;
	}
	wl = strcspn(buf, " ;");
	if (wl >= sizeof(word)) {
		set_error(cmd, "*** Unknown syntax: %s", buf);
		return 0;
	}
	memcpy(word, buf, wl);
	word[wl] = '\0';
	rest = buf + wl;

	if (strcmp(word, "status") == 0 && rest[0] == '\0') {
		cmd->kind = CLI_CMD_STATUS;
		cmd->method = "GET";
		snprintf(cmd->path, sizeof(cmd->path), "/v1/processes");
	} else if (strcmp(word, "pri") == 0) {
		return parse_pri(cmd, rest);
	} else if (strcmp(word, "vf") == 0 || strcmp(word, "mirror") == 0) {
		return parse_sec(cmd, word, rest);
	} else if (strcmp(word, "server") == 0) {
		set_arg(cmd, CLI_CMD_SERVER, rest);
	} else if (strcmp(word, "bye") == 0) {
		set_arg(cmd, CLI_CMD_BYE, rest);
		if (cmd->arg[0] != '\0' && strcmp(cmd->arg, "sec") != 0 &&
		    strcmp(cmd->arg, "all") != 0)
			set_error(cmd, "Invalid bye command: '%s' (sec or all).", cmd->arg);
	} else if (strcmp(word, "exit") == 0 && rest[0] == '\0') {
		cmd->kind = CLI_CMD_EXIT;
	} else if (strcmp(word, "help") == 0 || strcmp(word, "?") == 0) {
		set_arg(cmd, CLI_CMD_HELP, rest);
	} else if (strcmp(word, "history") == 0 && rest[0] == '\0') {
		cmd->kind = CLI_CMD_HISTORY;
	} else if (strcmp(word, "redo") == 0) {
		set_arg(cmd, CLI_CMD_REDO, rest);
		if (cli_parse_uint(cmd->arg, 1, 1000000000L, &cmd->num) < 0)
			set_error(cmd, "Error: redo needs a history number, not '%s'.", cmd->arg);
	} else if (strcmp(word, "record") == 0 || strcmp(word, "playback") == 0) {
		set_arg(cmd, word[0] == 'r' ? CLI_CMD_RECORD : CLI_CMD_PLAYBACK, rest);
		if (cmd->arg[0] == '\0')
			set_error(cmd, "Record file is required!%s", "");
	} else if (strcmp(word, "topo") == 0) {
		set_arg(cmd, CLI_CMD_TOPO, rest);
		if (strchr(cmd->arg, ' ') != NULL)
			set_error(cmd, "Error: usage: topo [FILE.svg|FILE.png|FILE.dot]%s", "");
	} else if (strcmp(word, "top") == 0) {
		parse_top(cmd, rest);
	} else if (in_list(unsupported, word)) {
		cmd->kind = CLI_CMD_UNSUPPORTED;
		snprintf(cmd->text, sizeof(cmd->text), "%s", word);
	} else {
		set_error(cmd, "*** Unknown syntax: %s", buf);
	}
	return 0;
}

void
cli_cmd_free(struct cli_cmd *cmd)
{
	free(cmd->body);
	cmd->body = NULL;
}
