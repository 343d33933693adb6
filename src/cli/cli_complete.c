/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmd.h"
#include "cli_complete.h"
#include "cli_util.h"

#define LINE_SIZE	4096

struct builder {
	struct cli_cands *out;
	const json_t *pri;	/* primary status or NULL */
	const char *prefix;
	int err;
};

static void
add(struct builder *b, const char *w)
{
	char **nw;
	char *dup;

	if (b->err != 0 || strncmp(w, b->prefix, strlen(b->prefix)) != 0)
		return;
	for (int i = 0; i < b->out->nb; i++)
		if (strcmp(b->out->words[i], w) == 0)
			return;
	dup = strdup(w);
	nw = realloc(b->out->words, sizeof(char *) * (b->out->nb + 1));
	if (dup == NULL || nw == NULL) {
		free(dup);
		if (nw != NULL)
			b->out->words = nw;
		b->err = -ENOMEM;
		return;
	}
	b->out->words = nw;
	b->out->words[b->out->nb++] = dup;
}

static void
add_list(struct builder *b, const char *const *list)
{
	for (; *list != NULL; list++)
		add(b, *list);
}

/* Secondary ids of type proc, as "N;". */
static void
add_ids(struct builder *b, const json_t *procs, const char *proc)
{
	size_t i;
	json_t *p;

	json_array_foreach(procs, i, p) {
		const char *t = cli_json_str(p, "type");
		char w[32];

		if (t == NULL || strcmp(t, proc) != 0)
			continue;
		snprintf(w, sizeof(w), "%lld;",
			 (long long)json_integer_value(json_object_get(p, "client-id")));
		add(b, w);
	}
}

/* Port UIDs of status "ports" without their " nq Q" part, and every phy
 * and ring port of the primary (a process lists only rings it attached). */
static void
add_uids(struct builder *b, const json_t *st)
{
	size_t i;
	json_t *p;

	json_array_foreach(json_object_get(b->pri, "phy_ports"), i, p) {
		char w[32];

		if (json_string_value(json_object_get(p, "port")) != NULL)
			snprintf(w, sizeof(w), "%s", json_string_value(json_object_get(p, "port")));
		else
			snprintf(w, sizeof(w), "phy:%zu", i);
		add(b, w);
	}
	json_array_foreach(json_object_get(b->pri, "ring_ports"), i, p) {
		char w[32];

		snprintf(w, sizeof(w), "ring:%lld",
			 (long long)json_integer_value(json_object_get(p, "id")));
		add(b, w);
	}

	json_array_foreach(json_object_get(st, "ports"), i, p) {
		const char *s = json_string_value(p);
		char w[64];

		if (s == NULL)
			continue;
		snprintf(w, sizeof(w), "%.*s", (int)strcspn(s, " "), s);
		add(b, w);
	}
}

/* Queues of uid: "phy:0 nq 1" -> "1". Adds them when b is not NULL.
 * Returns how many there are. */
static int
uid_queues(struct builder *b, const json_t *st, const char *uid)
{
	size_t i, ul = strlen(uid);
	json_t *p;
	int n = 0;

	json_array_foreach(json_object_get(st, "ports"), i, p) {
		const char *s = json_string_value(p);

		if (s == NULL || strncmp(s, uid, ul) != 0 || strncmp(s + ul, " nq ", 4) != 0)
			continue;
		n++;
		if (b != NULL)
			add(b, s + ul + 4);
	}
	return n;
}

static void
add_names(struct builder *b, const json_t *st)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(st, "components"), i, c)
		if (cli_json_str(c, "name") != NULL)
			add(b, cli_json_str(c, "name"));
}

/* Worker lcores with no component ("type": "unuse"). */
static void
add_free_cores(struct builder *b, const json_t *st)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(st, "components"), i, c) {
		const char *t = cli_json_str(c, "type");
		char w[32];

		if (t == NULL || strcmp(t, "unuse") != 0)
			continue;
		snprintf(w, sizeof(w), "%lld", (long long)json_integer_value(
				 json_object_get(c, "core")));
		add(b, w);
	}
}

static void
add_cls_macs(struct builder *b, const json_t *st)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(st, "classifier_table"), i, e) {
		const char *v = cli_json_str(e, "value");
		const char *slash;

		if (v == NULL)
			continue;
		slash = strchr(v, '/');
		add(b, slash != NULL ? slash + 1 : v);
	}
}

/*
 * Position after "UID [nq Q]" starting at w[pos]: returns the index of the
 * word after it, or -1 when the completion point is inside it (candidates
 * added).
 */
static int
uid_step(struct builder *b, const json_t *st, char **w, int c, int pos)
{
	if (c == pos) {
		add_uids(b, st);
		return -1;
	}
	if (uid_queues(NULL, st, w[pos]) > 0) {
		if (c == pos + 1) {
			add(b, "nq");
			return -1;
		}
		if (c == pos + 2) {
			uid_queues(b, st, w[pos]);
			return -1;
		}
		return pos + 3;
	}
	return pos + 1;
}

static void
complete_sec(struct builder *b, bool mirror, const json_t *st, char **w, int c)
{
	static const char *const vf_cmds[] = {
		"capture", "classifier_table", "component", "exit", "port", "status", NULL,
	};
	static const char *const mirror_cmds[] = {
		"capture", "component", "exit", "port", "status", NULL,
	};
	static const char *const vf_types[] = { "classifier", "forward", "merge", NULL };
	static const char *const add_del[] = { "add", "del", NULL };
	static const char *const start_stop[] = { "start", "stop", NULL };
	static const char *const rxtx[] = { "rx", "tx", NULL };
	int pos;

	if (c == 0) {
		add_list(b, mirror ? mirror_cmds : vf_cmds);
		return;
	}
	if (strcmp(w[0], "component") == 0) {
		if (c == 1)
			add_list(b, start_stop);
		else if (strcmp(w[1], "stop") == 0 && c == 2)
			add_names(b, st);
		else if (strcmp(w[1], "start") == 0 && c == 3)
			add_free_cores(b, st);
		else if (strcmp(w[1], "start") == 0 && c == 4)
			mirror ? add(b, "mirror") : add_list(b, vf_types);
		else if (strcmp(w[1], "start") == 0 && c == 5 && mirror) {
			add(b, "deep");
			add(b, "shallow");
		}
		return;
	}
	if (strcmp(w[0], "port") == 0) {
		if (c == 1) {
			add_list(b, add_del);
			return;
		}
		pos = uid_step(b, st, w, c, 2);
		if (pos < 0)
			return;
		if (c == pos)
			add_list(b, rxtx);
		else if (c == pos + 1)
			add_names(b, st);
		else if (c == pos + 2 && strcmp(w[1], "add") == 0) {
			add(b, "add_vlantag");
			add(b, "del_vlantag");
		}
		return;
	}
	if (strcmp(w[0], "classifier_table") == 0 && !mirror) {
		if (c == 1) {
			add_list(b, add_del);
			return;
		}
		if (c == 2) {
			add(b, "mac");
			add(b, "vlan");
			return;
		}
		pos = strcmp(w[2], "vlan") == 0 ? 4 : 3;
		if (c == pos) {
			add(b, "default");
			if (strcmp(w[1], "del") == 0)
				add_cls_macs(b, st);
			return;
		}
		if (c > pos)
			uid_step(b, st, w, c, pos + 1);
		return;
	}
	if (strcmp(w[0], "capture") == 0) {
		if (c == 1) {
			add_list(b, start_stop);
			return;
		}
		pos = uid_step(b, st, w, c, 2);
		if (pos >= 0 && c == pos) {
			add(b, "both");
			add_list(b, rxtx);
		}
	}
}

static void
complete_line(struct builder *b, const struct cli_compl_ctx *ctx, char *head)
{
	static const char *const top[] = {
		"bye", "exit", "help", "history", "mirror", "playback", "pri;", "record",
		"redo", "server", "status", "top", "topo", "vf", NULL,
	};
	static const char *const pri_cmds[] = {
		"add", "clear", "del", "forward", "launch", "patch", "status", "stop", NULL,
	};
	char *semi = strchr(head, ';');
	char *w[CLI_MAX_WORDS];
	int n;

	if (semi == NULL) {
		n = cli_split(head, w, CLI_MAX_WORDS);
		if (n < 0)
			return;
		if (n == 0) {
			add_list(b, top);
		} else if (n == 1 && (strcmp(w[0], "vf") == 0 || strcmp(w[0], "mirror") == 0)) {
			add_ids(b, ctx->procs, w[0]);
		} else if (n == 1 && strcmp(w[0], "server") == 0) {
			for (int i = 0; i < ctx->nb_servers; i++) {
				char s[16];

				snprintf(s, sizeof(s), "%d", i + 1);
				add(b, s);
			}
			add(b, "add");
			add(b, "del");
			add(b, "list");
		} else if (n == 2 && strcmp(w[0], "server") == 0 && strcmp(w[1], "del") == 0) {
			for (int i = 0; i < ctx->nb_servers; i++) {
				char s[16];

				if (i == ctx->cur_server)
					continue;
				snprintf(s, sizeof(s), "%d", i + 1);
				add(b, s);
				add(b, ctx->servers[i]);
			}
		} else if (n == 1 && strcmp(w[0], "bye") == 0) {
			add(b, "all");
			add(b, "sec");
		} else if (n == 1 && strcmp(w[0], "help") == 0) {
			add_list(b, cli_cmd_names);
		}
		return;
	}
	*semi = '\0';
	n = cli_split(head, w, CLI_MAX_WORDS);
	if (n == 1 && strcmp(w[0], "pri") == 0) {
		n = cli_split(semi + 1, w, CLI_MAX_WORDS);
		if (n == 0)
			add_list(b, pri_cmds);
		else if (n == 1 && strcmp(w[0], "launch") == 0) {
			add(b, "mirror");
			add(b, "vf");
		}
		return;
	}
	if (n == 2 && (strcmp(w[0], "vf") == 0 || strcmp(w[0], "mirror") == 0)) {
		bool mirror = w[0][0] == 'm';

		n = cli_split(semi + 1, w, CLI_MAX_WORDS);
		if (n >= 0)
			complete_sec(b, mirror, ctx->sec_status, w, n);
	}
}

static int
cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cli_complete(const char *line, const struct cli_compl_ctx *ctx, struct cli_cands *out,
	     size_t *word_start)
{
	struct builder b = { .out = out, .pri = ctx->pri_status };
	char head[LINE_SIZE];
	size_t ws = strlen(line);
	char *raw;

	memset(out, 0, sizeof(*out));
	while (ws > 0 && strchr(" \t;", line[ws - 1]) == NULL)
		ws--;
	*word_start = ws;
	b.prefix = line + ws;
	raw = strndup(line, ws);
	if (raw == NULL)
		return -ENOMEM;
	if (cli_normalize(raw, head, sizeof(head)) >= 0)
		complete_line(&b, ctx, head);
	free(raw);
	if (b.err != 0) {
		cli_cands_free(out);
		return b.err;
	}
	if (out->nb > 1)
		qsort(out->words, out->nb, sizeof(char *), cmp_words);
	return out->nb;
}

int
cli_complete_target(const char *line, char *proc, long *id)
{
	char head[LINE_SIZE];
	char *semi, *w[3];
	int n;

	if (cli_normalize(line, head, sizeof(head)) < 0)
		return -ENOENT;
	semi = strchr(head, ';');
	if (semi == NULL)
		return -ENOENT;
	*semi = '\0';
	n = cli_split(head, w, 3);
	if (n != 2 || (strcmp(w[0], "vf") != 0 && strcmp(w[0], "mirror") != 0) ||
	    cli_parse_uint(w[1], 0, 2147483647L, id) < 0)
		return -ENOENT;
	snprintf(proc, 8, "%s", w[0]);
	return 0;
}

bool
cli_complete_wants_file(const char *line)
{
	static const char *const cmds[] = { "playback", "record", "topo" };
	size_t wl;

	while (*line == ' ' || *line == '\t')
		line++;
	wl = strcspn(line, " \t;");
	if (line[wl] != ' ' && line[wl] != '\t')
		return false;
	/* Only the first argument: no blank after it yet. */
	if (strpbrk(line + wl + strspn(line + wl, " \t"), " \t") != NULL)
		return false;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strlen(cmds[i]) == wl && strncmp(line, cmds[i], wl) == 0)
			return true;
	return false;
}

size_t
cli_cands_common(const struct cli_cands *c)
{
	size_t len;

	if (c->nb == 0)
		return 0;
	len = strlen(c->words[0]);
	for (int i = 1; i < c->nb; i++) {
		size_t k = 0;

		while (k < len && c->words[i][k] == c->words[0][k])
			k++;
		len = k;
	}
	return len;
}

void
cli_cands_free(struct cli_cands *c)
{
	for (int i = 0; i < c->nb; i++)
		free(c->words[i]);
	free(c->words);
	c->words = NULL;
	c->nb = 0;
}
