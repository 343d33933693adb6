/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp: the interactive CLI of spp, a REST client of one or more spp-ctl
 * (SPEC §2.4, §7.8).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_edit.h"
#include "cli_shell.h"

#define MAX_COMMANDS	256

enum {
	OPT_WAIT_PRI = 256,
	OPT_CONFIG,
	OPT_JSON,
	OPT_TOKEN_FILE,
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: spp [-b ADDR[:PORT]]... [--wait-pri] [--config FILE] [-c COMMAND]...\n"
		"           [--json] [--token-file FILE]\n"
		"  -b, --bind-addr ADDR[:PORT]  spp-ctl REST address (repeatable; the first is\n"
		"                               current), default 127.0.0.1:7777\n"
		"  --wait-pri                   wait up to 20 s for spp_primary\n"
		"  --config FILE                prompt and sec_wait_launch\n"
		"  -c, --command COMMAND        run COMMAND (repeatable) and exit\n"
		"  --json                       print REST JSON bodies instead of text\n"
		"  --token-file FILE            send 'Authorization: Bearer <token in FILE>'\n"
		"Without -c and with stdin not a terminal, commands are read from stdin.\n"
		"Exit status: 0 when every command succeeded, else 1.\n");
}

static char *
read_token(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[512];
	size_t len;

	if (f == NULL)
		return NULL;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	len = strcspn(buf, " \t\r\n");
	buf[len] = '\0';
	return len > 0 ? strdup(buf) : NULL;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --wait-pri (SPEC §2.4): poll GET /v1/processes every 0.5 s up to 20 s. */
static int
wait_primary(struct cli_shell *sh)
{
	const struct timespec half = { 0, 500000000L };
	double t0 = now_s();

	printf("Waiting for spp_primary is ready ...");
	fflush(stdout);
	for (;;) {
		json_t *procs = cli_shell_get_json(sh, "/v1/processes");
		bool found = false;
		size_t i;
		json_t *p;

		json_array_foreach(procs, i, p) {
			const char *t = json_string_value(json_object_get(p, "type"));

			if (t != NULL && strcmp(t, "primary") == 0)
				found = true;
		}
		json_decref(procs);
		if (found) {
			printf(" OK! (%.1f[sec])\n", now_s() - t0);
			return 0;
		}
		if (now_s() - t0 >= 20.0) {
			printf(" Timeout! (%.1f[sec])\n", now_s() - t0);
			return -1;
		}
		printf(".");
		fflush(stdout);
		nanosleep(&half, NULL);
	}
}

static int
run_stdin(struct cli_shell *sh)
{
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (!sh->quit && getline(&line, &cap, stdin) >= 0)
		if (cli_shell_exec(sh, line) < 0)
			ret = -1;
	free(line);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bind-addr", required_argument, NULL, 'b' },
		{ "command", required_argument, NULL, 'c' },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
		{ "wait-pri", no_argument, NULL, OPT_WAIT_PRI },
		{ NULL, 0, NULL, 0 },
	};
	const char *commands[MAX_COMMANDS];
	const char *addrs[CLI_MAX_SERVERS];
	const char *config = NULL, *token_file = NULL;
	int nb_commands = 0, nb_addrs = 0, opt, ret = 0;
	bool json = false, wait_pri = false;
	struct cli_shell sh;
	char *token = NULL;

	while ((opt = getopt_long(argc, argv, "b:c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			if (nb_addrs == CLI_MAX_SERVERS) {
				fprintf(stderr, "spp: at most %d -b options\n", CLI_MAX_SERVERS);
				return 1;
			}
			addrs[nb_addrs++] = optarg;
			break;
		case 'c':
			if (nb_commands == MAX_COMMANDS) {
				fprintf(stderr, "spp: at most %d -c options\n", MAX_COMMANDS);
				return 1;
			}
			commands[nb_commands++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_TOKEN_FILE:
			token_file = optarg;
			break;
		case OPT_WAIT_PRI:
			wait_pri = true;
			break;
		default:
			/* getopt printed the one line already. */
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "spp: unexpected argument '%s' (commands go after -c)\n",
			argv[optind]);
		return 1;
	}
	if (token_file != NULL) {
		token = read_token(token_file);
		if (token == NULL) {
			fprintf(stderr, "spp: cannot read a token from %s\n", token_file);
			return 1;
		}
	}
	if (cli_shell_init(&sh, token) < 0) {
		fprintf(stderr, "spp: cannot initialise libcurl\n");
		free(token);
		return 1;
	}
	free(token);
	sh.json = json;
	if (config != NULL && cli_shell_load_config(&sh, config) < 0) {
		fprintf(stderr, "spp: cannot read config %s: %s\n", config, strerror(errno));
		cli_shell_fini(&sh);
		return 1;
	}
	if (nb_addrs == 0)
		addrs[nb_addrs++] = "127.0.0.1:7777";
	for (int i = 0; i < nb_addrs; i++) {
		struct cli_server *srv = &sh.servers[sh.nb_servers];
		struct cli_resp resp;
		int rc;

		if (cli_server_parse(addrs[i], srv) < 0) {
			fprintf(stderr, "Error: Invalid address \"%s\"\n", addrs[i]);
			cli_shell_fini(&sh);
			return 1;
		}
		rc = cli_rest_call(&sh.rest, srv, "GET", "/v1/processes", NULL, &resp);
		if (rc < 0) {
			printf("Is not spp-ctl running on %s, nor correct IP address?\n",
			       srv->host);
			cli_resp_free(&resp);
			cli_shell_fini(&sh);
			return 1;
		}
		cli_resp_free(&resp);
		sh.nb_servers++;
	}
	if (wait_pri && wait_primary(&sh) < 0) {
		cli_shell_fini(&sh);
		return 1;
	}
	if (nb_commands > 0) {
		for (int i = 0; i < nb_commands && !sh.quit; i++)
			if (cli_shell_exec(&sh, commands[i]) < 0)
				ret = -1;
	} else if (isatty(STDIN_FILENO)) {
		ret = cli_edit_run(&sh);
	} else {
		ret = run_stdin(&sh);
	}
	cli_shell_fini(&sh);
	return ret < 0 ? 1 : 0;
}
