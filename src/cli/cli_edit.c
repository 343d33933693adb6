/* SPDX-License-Identifier: BSD-3-Clause */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <histedit.h>

#include "cli_complete.h"
#include "cli_edit.h"

/* libedit's file name completion (exported, declared in no public header). */
unsigned char _el_fn_complete(EditLine *el, int ch);

/*
 * Ctrl-C drops the line being typed instead of ending the shell. While
 * editing, the terminal does not turn it into SIGINT (-isig in libedit's
 * edit mode): it is a key bound to cancel_fn, which ends the line and
 * marks it dropped. While a command runs, SIGINT only sets the flag, so a
 * Ctrl-C then does not kill the CLI either.
 */
static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static unsigned char
cancel_fn(EditLine *el, int ch)
{
	(void)el;
	(void)ch;
	interrupted = 1;
	return CC_NEWLINE;
}

/* libedit's prompt callback gets no user pointer. */
static struct cli_shell *prompt_shell;

static char *
prompt_fn(EditLine *el)
{
	(void)el;
	return prompt_shell->prompt;
}

static void
print_columns(FILE *f, const struct cli_cands *c)
{
	size_t width = 0;
	int per_line, col = 0;

	for (int i = 0; i < c->nb; i++)
		if (strlen(c->words[i]) > width)
			width = strlen(c->words[i]);
	per_line = (int)(80 / (width + 2));
	if (per_line < 1)
		per_line = 1;
	fprintf(f, "\n");
	for (int i = 0; i < c->nb; i++) {
		fprintf(f, "%-*s", (int)(width + 2), c->words[i]);
		if (++col == per_line || i + 1 == c->nb) {
			fprintf(f, "\n");
			col = 0;
		}
	}
	fflush(f);
}

/* Tab: fetch what the line needs from spp-ctl, then complete the word
 * before the cursor: unique candidate -> the word and a space; several ->
 * their common prefix, or the list when there is none to add. */
static unsigned char
complete_fn(EditLine *el, int ch)
{
	struct cli_shell *sh = NULL;
	const LineInfo *li = el_line(el);
	struct cli_compl_ctx ctx = { 0 };
	const char *addrs[CLI_MAX_SERVERS];
	char addr_buf[CLI_MAX_SERVERS][300];
	struct cli_cands c;
	size_t ws, typed, common;
	char proc[8], path[64];
	unsigned char ret = CC_REFRESH;
	json_t *procs, *st = NULL, *pri = NULL;
	char *line;
	long id;

	el_get(el, EL_CLIENTDATA, &sh);
	line = strndup(li->buffer, (size_t)(li->cursor - li->buffer));
	if (line == NULL || sh == NULL) {
		free(line);
		return CC_ERROR;
	}
	if (cli_complete_wants_file(line)) {
		free(line);
		return _el_fn_complete(el, ch);
	}
	procs = cli_shell_get_json(sh, "/v1/processes");
	if (cli_complete_target(line, proc, &id) == 0) {
		snprintf(path, sizeof(path), "/v1/%ss/%ld", proc, id);
		st = cli_shell_get_json(sh, path);
		pri = cli_shell_get_json(sh, "/v1/primary/status");
	}
	for (int i = 0; i < sh->nb_servers; i++)
		addrs[i] = cli_shell_addr(sh, i, addr_buf[i], sizeof(addr_buf[i]));
	ctx.procs = procs;
	ctx.sec_status = st;
	ctx.pri_status = pri;
	ctx.servers = addrs;
	ctx.nb_servers = sh->nb_servers;
	ctx.cur_server = sh->cur;
	if (cli_complete(line, &ctx, &c, &ws) <= 0) {
		ret = CC_ERROR;
		goto out;
	}
	typed = strlen(line + ws);
	common = cli_cands_common(&c);
	if (c.nb == 1) {
		const char *w = c.words[0];
		size_t wl = strlen(w);
		char *ins = malloc(wl - typed + 2);

		if (ins != NULL) {
			memcpy(ins, w + typed, wl - typed);
			ins[wl - typed] = '\0';
			if (wl == 0 || w[wl - 1] != ';')
				strcat(ins, " ");
			el_insertstr(el, ins);
			free(ins);
		}
	} else if (common > typed) {
		char *ins = strndup(c.words[0] + typed, common - typed);

		if (ins != NULL)
			el_insertstr(el, ins);
		free(ins);
	} else {
		print_columns(stdout, &c);
		ret = CC_REDISPLAY;
	}
	cli_cands_free(&c);
out:
	json_decref(procs);
	json_decref(st);
	json_decref(pri);
	free(line);
	return ret;
}

static void
history_load(History *hist, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	HistEvent ev;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0')
			history(hist, &ev, H_ENTER, line);
	}
	fclose(f);
}

int
cli_edit_run(struct cli_shell *sh)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	EditLine *el;
	History *hist;
	HistEvent ev;

	prompt_shell = sh;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	el = el_init("spp", stdin, stdout, stderr);
	hist = history_init();
	if (el == NULL || hist == NULL) {
		if (el != NULL)
			el_end(el);
		if (hist != NULL)
			history_end(hist);
		return -1;
	}
	history(hist, &ev, H_SETSIZE, 1000);
	history_load(hist, sh->hist_path);
	el_set(el, EL_CLIENTDATA, sh);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SIGNAL, 1);
	el_set(el, EL_PROMPT, prompt_fn);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_ADDFN, "spp-complete", "Complete an spp command", complete_fn);
	el_set(el, EL_BIND, "^I", "spp-complete", NULL);
	el_set(el, EL_ADDFN, "spp-cancel", "Drop the line being typed", cancel_fn);
	el_set(el, EL_BIND, "^C", "spp-cancel", NULL);
	el_set(el, EL_SETTY, "-d", "-isig", NULL);

	fprintf(sh->out, "Welcome to the SPP CLI. Type `help` or `?` to list commands.\n\n");
	while (!sh->quit) {
		const char *line;
		int count = 0;
		char *copy;

		interrupted = 0;
		line = el_gets(el, &count);
		if (interrupted) {
			fprintf(sh->out, "\n");
			el_reset(el);
			continue;
		}
		if (line == NULL || count <= 0) {
			fprintf(sh->out, "\n");
			cli_shell_exec(sh, "exit");
			break;
		}
		copy = strdup(line);
		if (copy == NULL)
			break;
		copy[strcspn(copy, "\r\n")] = '\0';
		/* Completion leaves a blank after the last word; history keeps
		 * the command without it. */
		for (size_t len = strlen(copy); len > 0 && strchr(" \t", copy[len - 1]); len--)
			copy[len - 1] = '\0';
		if (copy[strspn(copy, " \t")] != '\0') {
			history(hist, &ev, H_ENTER, copy);
			cli_shell_history_add(sh, copy);
		}
		cli_shell_exec(sh, copy);
		free(copy);
	}
	history_end(hist);
	el_end(el);
	return 0;
}
