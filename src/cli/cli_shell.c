/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_cmd.h"
#include "cli_fmt.h"
#include "cli_help.h"
#include "cli_shell.h"
#include "cli_top_run.h"
#include "cli_topo.h"
#include "cli_util.h"

#define MAX_DEPTH	8

extern char **environ;

int
cli_shell_init(struct cli_shell *sh, const char *token)
{
	const char *home = getenv("HOME");

	memset(sh, 0, sizeof(*sh));
	sh->out = stdout;
	sh->err = stderr;
	sh->sec_wait_launch = 0.5;
	snprintf(sh->prompt, sizeof(sh->prompt), "spp > ");
	snprintf(sh->hist_path, sizeof(sh->hist_path), "%s/.spp_history",
		 home != NULL ? home : ".");
	return cli_rest_init(&sh->rest, token);
}

void
cli_shell_fini(struct cli_shell *sh)
{
	if (sh->record != NULL)
		fclose(sh->record);
	sh->record = NULL;
	cli_rest_fini(&sh->rest);
}

static void
unquote(char *v)
{
	size_t len = strlen(v);

	while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r'))
		v[--len] = '\0';
	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		memmove(v, v + 1, len - 2);
		v[len - 2] = '\0';
	}
}

static void
config_set(struct cli_shell *sh, const char *key, char *val)
{
	unquote(val);
	if (strcmp(key, "prompt") == 0)
		snprintf(sh->prompt, sizeof(sh->prompt), "%s", val);
	else if (strcmp(key, "sec_wait_launch") == 0)
		sh->sec_wait_launch = strtod(val, NULL);
}

int
cli_shell_load_config(struct cli_shell *sh, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], key[64] = "";

	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');
		char *v;

		if (line[0] == '#' || colon == NULL)
			continue;
		v = colon + 1;
		while (*v == ' ')
			v++;
		if (line[0] != ' ' && line[0] != '\t') {
			*colon = '\0';
			snprintf(key, sizeof(key), "%.63s", line);
			if (*v != '\n' && *v != '\0')
				config_set(sh, key, v);
		} else {
			char *k = line;

			while (*k == ' ' || *k == '\t')
				k++;
			if (strncmp(k, "val:", 4) == 0 && key[0] != '\0')
				config_set(sh, key, v);
		}
	}
	fclose(f);
	return 0;
}

const char *
cli_shell_addr(const struct cli_shell *sh, int i, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%d", sh->servers[i].host, sh->servers[i].port);
	return buf;
}

static int
call(struct cli_shell *sh, const char *method, const char *path, const char *body,
     struct cli_resp *resp)
{
	return cli_rest_call(&sh->rest, &sh->servers[sh->cur], method, path, body, resp);
}

json_t *
cli_shell_get_json(struct cli_shell *sh, const char *path)
{
	struct cli_resp resp;
	json_t *j = NULL;

	if (sh->nb_servers > 0 && call(sh, "GET", path, NULL, &resp) == 0 && resp.code == 200)
		j = json_loads(resp.body, 0, NULL);
	cli_resp_free(&resp);
	return j;
}

/* Print a failed call; always returns -1. */
static int
report(struct cli_shell *sh, int rc, const struct cli_resp *resp)
{
	FILE *f = sh->json ? sh->err : sh->out;

	if (rc < 0)
		fprintf(f, "Error: Failed to connect to spp-ctl.\n");
	else
		cli_fmt_error(f, resp->code, resp->body, resp->detail);
	return -1;
}

static int
print_json_body(struct cli_shell *sh, const struct cli_resp *resp)
{
	if (resp->len > 0)
		fprintf(sh->out, "%s%s", resp->body,
			resp->body[resp->len - 1] == '\n' ? "" : "\n");
	return 0;
}

/* Body of a 200 answer formatted by fmt. */
static int
print_formatted(struct cli_shell *sh, const struct cli_resp *resp,
		int (*fmt)(FILE *, const json_t *))
{
	json_t *j;
	int ret;

	if (sh->json)
		return print_json_body(sh, resp);
	j = json_loads(resp->body, 0, NULL);
	if (j == NULL) {
		fprintf(sh->out, "Error: unknown response.\n");
		return -1;
	}
	ret = fmt(sh->out, j);
	json_decref(j);
	if (ret < 0) {
		fprintf(sh->out, "Error: unknown response.\n");
		return -1;
	}
	return 0;
}

static void
sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int
exec_status(struct cli_shell *sh, const struct cli_cmd *cmd)
{
	struct cli_resp resp;
	char addr[300];
	json_t *j;
	int rc = call(sh, cmd->method, cmd->path, NULL, &resp);
	int ret = 0;

	if (rc < 0 || resp.code != 200) {
		ret = report(sh, rc, &resp);
	} else if (sh->json) {
		print_json_body(sh, &resp);
	} else {
		j = json_loads(resp.body, 0, NULL);
		if (j == NULL || cli_fmt_status(sh->out, cli_shell_addr(sh, sh->cur, addr,
								       sizeof(addr)), j) < 0) {
			fprintf(sh->out, "Error: unknown response.\n");
			ret = -1;
		}
		json_decref(j);
	}
	cli_resp_free(&resp);
	return ret;
}

static int
exec_pri(struct cli_shell *sh, const struct cli_cmd *cmd)
{
	struct cli_resp resp;
	int rc = call(sh, cmd->method, cmd->path, cmd->body, &resp);
	int ret = 0;

	if (rc == 0 && resp.code == 404 && strstr(resp.body, "primary") != NULL) {
		fprintf(sh->json ? sh->err : sh->out, "No spp_primary is running.\n");
		ret = -1;
	} else if (rc < 0 || resp.code < 200 || resp.code >= 300) {
		ret = report(sh, rc, &resp);
	} else if (cmd->op == CLI_OP_PRI_STATUS) {
		ret = print_formatted(sh, &resp, cli_fmt_pri_status);
	} else if (cmd->op == CLI_OP_PRI_NOFWD) {
		json_t *j = json_loads(resp.body, 0, NULL);

		if (json_object_get(j, "forwarder") == NULL)
			fprintf(sh->json ? sh->err : sh->out, "%s\n", cmd->text);
		else
			fprintf(sh->json ? sh->err : sh->out,
				"Not supported in spp: primary forwarder commands\n");
		json_decref(j);
		ret = -1;
	} else {
		if (cmd->op == CLI_OP_PRI_LAUNCH)
			sleep_s(sh->sec_wait_launch);
		if (sh->json)
			print_json_body(sh, &resp);
		else
			fprintf(sh->out, "%s\n", cmd->text);
	}
	cli_resp_free(&resp);
	return ret;
}

/* Whether process type proc with id is registered; prints why not. */
static int
sec_exists(struct cli_shell *sh, const char *proc, long id)
{
	struct cli_resp resp;
	int rc = call(sh, "GET", "/v1/processes", NULL, &resp);
	json_t *j, *p;
	bool found = false;
	size_t i;

	if (rc < 0 || resp.code != 200) {
		report(sh, rc, &resp);
		cli_resp_free(&resp);
		return -1;
	}
	j = json_loads(resp.body, 0, NULL);
	cli_resp_free(&resp);
	json_array_foreach(j, i, p) {
		const char *t = json_string_value(json_object_get(p, "type"));

		if (t != NULL && strcmp(t, proc) == 0 &&
		    json_integer_value(json_object_get(p, "client-id")) == id)
			found = true;
	}
	json_decref(j);
	if (!found) {
		fprintf(sh->json ? sh->err : sh->out, "\"%s %ld\" does not exist.\n", proc, id);
		return -1;
	}
	return 0;
}

static int
exec_sec(struct cli_shell *sh, const struct cli_cmd *cmd)
{
	struct cli_resp resp;
	int rc, ret = 0;

	if (sec_exists(sh, cmd->proc, cmd->sec_id) < 0)
		return -1;
	rc = call(sh, cmd->method, cmd->path, cmd->body, &resp);
	if (rc < 0 || resp.code < 200 || resp.code >= 300)
		ret = report(sh, rc, &resp);
	else if (cmd->op == CLI_OP_SEC_STATUS)
		ret = print_formatted(sh, &resp, strcmp(cmd->proc, "mirror") == 0 ?
				      cli_fmt_mirror_status : cli_fmt_vf_status);
	else if (sh->json)
		print_json_body(sh, &resp);
	else
		fprintf(sh->out, "%s\n", cmd->text);
	cli_resp_free(&resp);
	return ret;
}

/* --- server --------------------------------------------------------- */

static int
server_find(const struct cli_shell *sh, const struct cli_server *srv)
{
	for (int i = 0; i < sh->nb_servers; i++)
		if (strcmp(sh->servers[i].host, srv->host) == 0 &&
		    sh->servers[i].port == srv->port)
			return i;
	return -1;
}

static int
server_list(struct cli_shell *sh)
{
	char addr[300];

	for (int i = 0; i < sh->nb_servers; i++)
		fprintf(sh->out, "  %d: %s %s\n", i + 1, cli_shell_addr(sh, i, addr, sizeof(addr)),
			i == sh->cur ? "*" : "");
	return 0;
}

static int
server_switch(struct cli_shell *sh, int idx)
{
	char addr[300];

	if (idx < 0 || idx >= sh->nb_servers) {
		fprintf(sh->out, "Cannot switch to no existing server \"%d\".\n", idx + 1);
		return -1;
	}
	sh->cur = idx;
	fprintf(sh->out, "Switch spp-ctl to \"%d: %s\".\n", idx + 1,
		cli_shell_addr(sh, idx, addr, sizeof(addr)));
	return 0;
}

static int
server_add(struct cli_shell *sh, const char *arg)
{
	struct cli_server srv;
	struct cli_resp resp;
	int rc;

	if (cli_server_parse(arg, &srv) < 0) {
		fprintf(sh->out, "Error: Invalid address \"%s\".\n", arg);
		return -1;
	}
	if (server_find(sh, &srv) >= 0) {
		fprintf(sh->out, "\"%s:%d\" is already registered.\n", srv.host, srv.port);
		return -1;
	}
	if (sh->nb_servers == CLI_MAX_SERVERS) {
		fprintf(sh->out, "Error: too many servers (%d).\n", CLI_MAX_SERVERS);
		return -1;
	}
	rc = cli_rest_call(&sh->rest, &srv, "GET", "/v1/processes", NULL, &resp);
	cli_resp_free(&resp);
	if (rc < 0) {
		fprintf(sh->out, "Is not spp-ctl on \"%s:%d\", nor correct address?\n",
			srv.host, srv.port);
		return -1;
	}
	sh->servers[sh->nb_servers++] = srv;
	fprintf(sh->out, "Registered spp-ctl \"%s:%d\".\n", srv.host, srv.port);
	return 0;
}

static int
server_del(struct cli_shell *sh, const char *arg)
{
	struct cli_server srv;
	char addr[300];
	long v;
	int idx;

	if (cli_parse_uint(arg, 0, 1000000, &v) == 0) {
		idx = (int)v - 1;
		if (idx < 0) {
			fprintf(sh->out, "Cannot del server of invalid ID \"%d\"!\n", idx + 1);
			return -1;
		}
		if (idx >= sh->nb_servers) {
			fprintf(sh->out, "Cannot del server \"%d\" not exist!\n", idx + 1);
			return -1;
		}
		if (idx == sh->cur) {
			fprintf(sh->out, "Cannot del server \"%d\" in use!\n", idx + 1);
			return -1;
		}
	} else {
		if (cli_server_parse(arg, &srv) < 0) {
			fprintf(sh->out, "Error: Invalid address \"%s\".\n", arg);
			return -1;
		}
		idx = server_find(sh, &srv);
		if (idx < 0) {
			fprintf(sh->out, "\"%s:%d\" is not registered.\n", srv.host, srv.port);
			return -1;
		}
		if (idx == sh->cur) {
			fprintf(sh->out, "Cannot del server \"%s:%d\" in use!\n", srv.host,
				srv.port);
			return -1;
		}
	}
	cli_shell_addr(sh, idx, addr, sizeof(addr));
	memmove(&sh->servers[idx], &sh->servers[idx + 1],
		sizeof(sh->servers[0]) * (sh->nb_servers - idx - 1));
	sh->nb_servers--;
	if (idx < sh->cur)
		sh->cur--;
	fprintf(sh->out, "Unregistered spp-ctl \"%s\".\n", addr);
	return 0;
}

static int
exec_server(struct cli_shell *sh, const char *arg)
{
	char buf[PATH_MAX];
	char *w[4];
	struct cli_server srv;
	long v;
	int n;

	snprintf(buf, sizeof(buf), "%s", arg);
	n = cli_split(buf, w, 4);
	if (n == 0 || (n == 1 && strcmp(w[0], "list") == 0))
		return server_list(sh);
	if (strcmp(w[0], "add") == 0) {
		if (n != 2) {
			fprintf(sh->out, "Error: server address is requiired.\n");
			return -1;
		}
		return server_add(sh, w[1]);
	}
	if (strcmp(w[0], "del") == 0) {
		if (n != 2) {
			fprintf(sh->out, "Error: server address or index is requiired.\n");
			return -1;
		}
		return server_del(sh, w[1]);
	}
	if (n == 1 && cli_parse_uint(w[0], 0, 1000000, &v) == 0) {
		if (v == 0) {
			fprintf(sh->out, "Server index should be > 0 !\n");
			return -1;
		}
		return server_switch(sh, (int)v - 1);
	}
	if (n == 1 && cli_server_parse(w[0], &srv) == 0 && server_find(sh, &srv) >= 0)
		return server_switch(sh, server_find(sh, &srv));
	fprintf(sh->out, "Invalid server command: '%s'\n", arg);
	return -1;
}

/* --- bye, history, record, playback -------------------------------- */

static void
close_record(struct cli_shell *sh)
{
	if (sh->record != NULL) {
		fprintf(sh->out, "Closing file\n");
		fclose(sh->record);
		sh->record = NULL;
	}
}

static int
exec_bye(struct cli_shell *sh, const char *arg)
{
	static const char *const order[] = { "nfv", "vf", "mirror", "pcap" };
	json_t *procs;
	size_t i;
	json_t *p;
	int ret = 0;

	if (arg[0] == '\0') {
		close_record(sh);
		fprintf(sh->out, "Thank you for using Soft Patch Panel\n");
		sh->quit = true;
		return 0;
	}
	procs = cli_shell_get_json(sh, "/v1/processes");
	if (procs == NULL) {
		fprintf(sh->out, "Error: Failed to connect to spp-ctl.\n");
		return -1;
	}
	fprintf(sh->out, "Closing secondary ...\n");
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		json_array_foreach(procs, i, p) {
			const char *t = json_string_value(json_object_get(p, "type"));
			long id = (long)json_integer_value(json_object_get(p, "client-id"));
			struct cli_resp resp;
			char path[64];
			int rc;

			if (t == NULL || strcmp(t, order[k]) != 0)
				continue;
			snprintf(path, sizeof(path), "/v1/%ss/%ld", t, id);
			rc = call(sh, "DELETE", path, NULL, &resp);
			if (rc == 0 && resp.code == 204)
				fprintf(sh->out, "Exit %s %ld.\n", t, id);
			else
				ret = report(sh, rc, &resp);
			cli_resp_free(&resp);
		}
	}
	json_decref(procs);
	if (strcmp(arg, "all") == 0) {
		struct cli_resp resp;
		int rc;

		fprintf(sh->out, "Closing primary ...\n");
		rc = call(sh, "DELETE", "/v1/primary", NULL, &resp);
		if (rc == 0 && resp.code == 204)
			fprintf(sh->out, "Exit primary\n");
		else if (rc == 0 && resp.code == 404)
			fprintf(sh->out, "No spp_primary is running.\n");
		else
			ret = report(sh, rc, &resp);
		cli_resp_free(&resp);
	}
	return ret;
}

static bool
history_excluded(const char *line)
{
	static const char *const except[] = { "bye", "exit", "history", "redo" };
	char buf[64];
	size_t wl;

	while (*line == ' ' || *line == '\t')
		line++;
	wl = strcspn(line, " \t;\r\n");
	if (wl == 0 || wl >= sizeof(buf))
		return wl == 0;
	memcpy(buf, line, wl);
	buf[wl] = '\0';
	for (size_t i = 0; i < sizeof(except) / sizeof(except[0]); i++)
		if (strcmp(buf, except[i]) == 0)
			return true;
	return false;
}

void
cli_shell_history_add(struct cli_shell *sh, const char *line)
{
	FILE *f;

	if (history_excluded(line))
		return;
	f = fopen(sh->hist_path, "a");
	if (f == NULL)
		return;
	fprintf(f, "%.*s\n", (int)strcspn(line, "\r\n"), line);
	fclose(f);
}

static int
exec_history(struct cli_shell *sh)
{
	FILE *f = fopen(sh->hist_path, "r");
	char line[4096];
	int n = 0, width = 1, cnt = 1;

	if (f == NULL) {
		fprintf(sh->out, "Error: Cannot open history file \"%s\"\n", sh->hist_path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		n++;
	for (int v = n; v >= 10; v /= 10)
		width++;
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		fprintf(sh->out, "  %*d  %s\n", width, cnt++, line);
	}
	fclose(f);
	return 0;
}

static int
exec_redo(struct cli_shell *sh, long num)
{
	FILE *f = fopen(sh->hist_path, "r");
	char line[4096];
	long cnt = 1;

	if (f == NULL) {
		fprintf(sh->out, "Error: Cannot open history file \"%s\"\n", sh->hist_path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (cnt++ == num) {
			fclose(f);
			line[strcspn(line, "\r\n")] = '\0';
			if (sh->depth >= MAX_DEPTH || history_excluded(line)) {
				fprintf(sh->out, "Error: cannot redo \"%s\".\n", line);
				return -1;
			}
			return cli_shell_exec(sh, line);
		}
	}
	fclose(f);
	fprintf(sh->out, "Error: no command %ld in history.\n", num);
	return -1;
}

static int
exec_record(struct cli_shell *sh, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(sh->out, "Error: Cannot open \"%s\": %s\n", path, strerror(errno));
		return -1;
	}
	if (sh->record != NULL)
		fclose(sh->record);
	sh->record = f;
	return 0;
}

static int
exec_playback(struct cli_shell *sh, const char *path)
{
	char line[4096];
	FILE *f;
	int ret = 0;

	close_record(sh);
	if (sh->depth >= MAX_DEPTH) {
		fprintf(sh->out, "Error: playback nested too deeply.\n");
		return -1;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(sh->out, "Error: File does not exist.\n");
		return -1;
	}
	while (!sh->quit && fgets(line, sizeof(line), f) != NULL) {
		const char *p = line;

		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			continue;
		if (*p != '#')
			fprintf(sh->out, "# %s\n", line);
		if (cli_shell_exec(sh, line) < 0)
			ret = -1;
		fflush(sh->out);
	}
	fclose(f);
	return ret;
}

/* --- topo ----------------------------------------------------------- */

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* GET path; *t (when timed) is the middle of the request on CLOCK_MONOTONIC. */
static json_t *
get_timed(struct cli_shell *sh, const char *path, bool timed, double *t)
{
	double t0 = timed ? mono_s() : 0;
	json_t *j = cli_shell_get_json(sh, path);

	if (timed)
		*t = (t0 + mono_s()) / 2;
	return j;
}

json_t *
cli_shell_topo(struct cli_shell *sh, bool timed)
{
	json_t *procs = cli_shell_get_json(sh, "/v1/processes");
	json_t *doc, *secs, *p;
	double t = 0;
	size_t i;

	if (procs == NULL)
		return NULL;
	doc = json_object();
	secs = json_array();
	json_object_set_new(doc, "primary", json_null());
	json_array_foreach(procs, i, p) {
		const char *type = json_string_value(json_object_get(p, "type"));
		json_int_t id = json_integer_value(json_object_get(p, "client-id"));
		char path[64];
		json_t *st, *s;

		if (type == NULL)
			continue;
		if (strcmp(type, "primary") == 0) {
			st = get_timed(sh, "/v1/primary/status", timed, &t);
			json_object_set_new(doc, "primary", st != NULL ? st : json_object());
			if (timed)
				json_object_set_new(doc, "primary_t", json_real(t));
			continue;
		}
		snprintf(path, sizeof(path), "/v1/%ss/%lld", type, (long long)id);
		st = get_timed(sh, path, timed, &t);
		s = json_object();
		json_object_set_new(s, "type", json_string(type));
		json_object_set_new(s, "client-id", json_integer(id));
		if (timed)
			json_object_set_new(s, "t", json_real(t));
		json_object_set_new(s, "status", st != NULL ? st : json_null());
		json_array_append_new(secs, s);
	}
	json_object_set_new(doc, "secondaries", secs);
	json_decref(procs);
	return doc;
}

static int
run_dot(struct cli_shell *sh, const char *dot_path, const char *fmt, const char *out_path)
{
	char tflag[16];
	char *argv[] = { "dot", tflag, "-o", (char *)out_path, (char *)dot_path, NULL };
	pid_t pid;
	int status, rc;

	snprintf(tflag, sizeof(tflag), "-T%s", fmt);
	rc = posix_spawnp(&pid, "dot", NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(sh->out, "Error: cannot run graphviz 'dot': %s\n", strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(sh->out, "Error: graphviz 'dot' failed to write \"%s\".\n", out_path);
		return -1;
	}
	return 0;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (f == NULL)
		return -errno;
	if (fputs(text, f) < 0)
		ret = -EIO;
	if (fclose(f) != 0)
		ret = -EIO;
	return ret;
}

static int
exec_topo(struct cli_shell *sh, const char *file)
{
	const char *ext = strrchr(file, '.');
	char tmp[] = "/tmp/spp-topo-XXXXXX";
	json_t *doc = cli_shell_topo(sh, false);
	char *dot;
	int fd, ret = 0;

	if (doc == NULL) {
		fprintf(sh->out, "Error: Failed to get the topology from spp-ctl.\n");
		return -1;
	}
	if (file[0] == '\0') {
		if (sh->json)
			json_dumpf(doc, sh->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		else
			cli_topo_text(sh->out, doc);
		if (sh->json)
			fprintf(sh->out, "\n");
		json_decref(doc);
		return 0;
	}
	dot = cli_topo_dot(doc);
	json_decref(doc);
	if (dot == NULL)
		return -1;
	if (ext == NULL || (strcmp(ext, ".dot") != 0 && strcmp(ext, ".svg") != 0 &&
			    strcmp(ext, ".png") != 0)) {
		fprintf(sh->out, "Error: topo writes FILE.svg, FILE.png or FILE.dot.\n");
		free(dot);
		return -1;
	}
	if (strcmp(ext, ".dot") == 0) {
		ret = write_file(file, dot);
	} else {
		fd = mkstemp(tmp);
		if (fd < 0) {
			ret = -errno;
		} else {
			close(fd);
			ret = write_file(tmp, dot);
			if (ret == 0 && run_dot(sh, tmp, ext + 1, file) < 0)
				ret = 1;
			unlink(tmp);
		}
	}
	free(dot);
	if (ret < 0)
		fprintf(sh->out, "Error: cannot write \"%s\": %s\n", file, strerror(-ret));
	if (ret != 0)
		return -1;
	fprintf(sh->out, "Create topology image \"%s\".\n", file);
	return 0;
}

/* --- dispatch ------------------------------------------------------- */

static bool
recorded(const char *line)
{
	return strstr(line, "playback") == NULL && strstr(line, "bye") == NULL &&
	       strstr(line, "exit") == NULL;
}

int
cli_shell_exec(struct cli_shell *sh, const char *line)
{
	struct cli_cmd cmd;
	int ret = 0;

	if (sh->record != NULL && recorded(line) && line[strspn(line, " \t\r\n")] != '\0') {
		fprintf(sh->record, "%.*s\n", (int)strcspn(line, "\r\n"), line);
		fflush(sh->record);
	}
	if (cli_cmd_parse(line, &cmd) < 0) {
		fprintf(sh->out, "Error: out of memory.\n");
		return -1;
	}
	sh->depth++;
	switch (cmd.kind) {
	case CLI_CMD_NONE:
		break;
	case CLI_CMD_COMMENT:
		fprintf(sh->out, "%s\n", cmd.text);
		break;
	case CLI_CMD_ERROR:
		fprintf(sh->json ? sh->err : sh->out, "%s\n", cmd.text);
		ret = -1;
		break;
	case CLI_CMD_UNSUPPORTED:
		fprintf(sh->json ? sh->err : sh->out, "Not supported in spp: %s\n", cmd.text);
		ret = -1;
		break;
	case CLI_CMD_STATUS:
		ret = exec_status(sh, &cmd);
		break;
	case CLI_CMD_PRI:
		ret = exec_pri(sh, &cmd);
		break;
	case CLI_CMD_SEC:
		ret = exec_sec(sh, &cmd);
		break;
	case CLI_CMD_SERVER:
		ret = exec_server(sh, cmd.arg);
		break;
	case CLI_CMD_BYE:
		ret = exec_bye(sh, cmd.arg);
		break;
	case CLI_CMD_EXIT:
		close_record(sh);
		fprintf(sh->out, "Thank you for using Soft Patch Panel\n");
		sh->quit = true;
		break;
	case CLI_CMD_HELP:
		ret = cli_help_print(sh->out, cmd.arg);
		break;
	case CLI_CMD_HISTORY:
		ret = exec_history(sh);
		break;
	case CLI_CMD_REDO:
		ret = exec_redo(sh, cmd.num);
		break;
	case CLI_CMD_RECORD:
		ret = exec_record(sh, cmd.arg);
		break;
	case CLI_CMD_PLAYBACK:
		ret = exec_playback(sh, cmd.arg);
		break;
	case CLI_CMD_TOPO:
		ret = exec_topo(sh, cmd.arg);
		break;
	case CLI_CMD_TOP:
		ret = cli_top_run(sh, cmd.num, cmd.interval);
		break;
	}
	sh->depth--;
	cli_cmd_free(&cmd);
	fflush(sh->out);
	return ret;
}
