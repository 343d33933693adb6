/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp-ctl (SPEC §2.3): listeners for the primary, the secondaries and
 * REST; then the main thread only waits for SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl_conn.h"
#include "ctl_http.h"
#include "ctl_log.h"
#include "ctl_openapi.h"
#include "ctl_rest.h"

#define TOKEN_MAX	4096

struct options {
	const char *bind_addr;
	unsigned int pri_port, sec_port, api_port;
	unsigned int cmd_timeout_s;
	bool replay;
	const char *token_file;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: spp-ctl [-b BIND_ADDR] [-p PRI_PORT] [-s SEC_PORT] [-a API_PORT]\n"
		"               [--cmd-timeout SEC] [--replay] [--log-level LEVEL]\n"
		"               [--token-file FILE]\n"
		"  -b, --bind-addr ADDR  address of all three listeners (default localhost)\n"
		"  -p, --pri-port PORT   primary port (default 5555)\n"
		"  -s, --sec-port PORT   secondaries' port (default 6666)\n"
		"  -a, --api-port PORT   REST API port (default 7777)\n"
		"  --cmd-timeout SEC     reply timeout, 6..3600 (default 10)\n"
		"  --replay              re-apply a restarted secondary's configuration\n"
		"  --log-level LEVEL     error, warning, info (default) or debug\n"
		"  --token-file FILE     require 'Authorization: Bearer <token in FILE>'\n");
}

static int
parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_TIMEOUT = 256, OPT_REPLAY, OPT_LOG, OPT_TOKEN };
	static const struct option longs[] = {
		{ "bind-addr", required_argument, NULL, 'b' },
		{ "pri-port", required_argument, NULL, 'p' },
		{ "sec-port", required_argument, NULL, 's' },
		{ "api-port", required_argument, NULL, 'a' },
		{ "cmd-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "replay", no_argument, NULL, OPT_REPLAY },
		{ "log-level", required_argument, NULL, OPT_LOG },
		{ "token-file", required_argument, NULL, OPT_TOKEN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, level;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":b:p:s:a:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'b':
			o->bind_addr = optarg;
			break;
		case 'p':
		case 's':
		case 'a':
			if (parse_uint(optarg, 1, 65535, opt == 'p' ? &o->pri_port :
				       opt == 's' ? &o->sec_port : &o->api_port) < 0) {
				fprintf(stderr, "spp-ctl: invalid port for -%c: '%s'\n", opt,
					optarg);
				return -1;
			}
			break;
		case OPT_TIMEOUT:
			if (parse_uint(optarg, 6, 3600, &o->cmd_timeout_s) < 0) {
				fprintf(stderr, "spp-ctl: --cmd-timeout must be 6..3600, "
					"not '%s'\n", optarg);
				return -1;
			}
			break;
		case OPT_REPLAY:
			o->replay = true;
			break;
		case OPT_LOG:
			level = ctl_log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "spp-ctl: --log-level must be error, warning, info "
					"or debug, not '%s'\n", optarg);
				return -1;
			}
			ctl_log_threshold = (enum ctl_log_level)level;
			break;
		case OPT_TOKEN:
			o->token_file = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "spp-ctl: option '%s' needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "spp-ctl: unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "spp-ctl: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* The token of --token-file: read once, surrounding whitespace trimmed. */
static char *
read_token(const char *path)
{
	char *buf = calloc(1, TOKEN_MAX + 1), *start, *end;
	FILE *f = fopen(path, "r");
	size_t n;

	if (buf == NULL || f == NULL) {
		fprintf(stderr, "spp-ctl: cannot read token file '%s': %s\n", path,
			strerror(errno));
		goto fail;
	}
	n = fread(buf, 1, TOKEN_MAX + 1, f);
	if (ferror(f) || n > TOKEN_MAX) {
		fprintf(stderr, "spp-ctl: token file '%s' unreadable or over %d bytes\n", path,
			TOKEN_MAX);
		goto fail;
	}
	buf[n] = '\0';
	fclose(f);
	f = NULL;
	for (start = buf; *start == ' ' || *start == '\t' || *start == '\n' || *start == '\r';)
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
			       end[-1] == '\r'))
		end--;
	*end = '\0';
	if (*start == '\0' || strlen(start) != (size_t)(end - start)) {
		fprintf(stderr, "spp-ctl: token file '%s' holds no token\n", path);
		goto fail;
	}
	for (const char *p = start; *p; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f) {
			fprintf(stderr, "spp-ctl: token in '%s' has a blank or non-ASCII byte\n",
				path);
			goto fail;
		}
	}
	memmove(buf, start, strlen(start) + 1);
	return buf;
fail:
	if (f != NULL)
		fclose(f);
	free(buf);
	return NULL;
}

static int
listen_on(const char *addr, unsigned int port, const char *what)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int fd, one = 1, ret;

	ret = getaddrinfo(addr, NULL, &hints, &res);
	if (ret != 0) {
		fprintf(stderr, "spp-ctl: bind address '%s': %s\n", addr, gai_strerror(ret));
		return -1;
	}
	((struct sockaddr_in *)res->ai_addr)->sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 128) < 0) {
		fprintf(stderr, "spp-ctl: cannot listen on %s:%u (%s port): %s\n", addr, port,
			what, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int
main(int argc, char **argv)
{
	struct options o = {
		.bind_addr = "localhost",
		.pri_port = 5555,
		.sec_port = 6666,
		.api_port = 7777,
		.cmd_timeout_s = 10,
	};
	static struct ctl_backend be = {
		.exists = ctl_conn_exists,
		.command = ctl_conn_command,
		.processes = ctl_conn_processes,
		.sysfs_cpu = "/sys/devices/system/cpu",
	};
	struct ctl_conn_opts copts;
	char *token = NULL;
	int pri_fd, sec_fd, api_fd, sig;
	sigset_t set;

	if (parse_options(argc, argv, &o) < 0)
		return 1;
	if (o.token_file != NULL && (token = read_token(o.token_file)) == NULL)
		return 1;
	pri_fd = listen_on(o.bind_addr, o.pri_port, "primary");
	sec_fd = pri_fd < 0 ? -1 : listen_on(o.bind_addr, o.sec_port, "secondary");
	api_fd = sec_fd < 0 ? -1 : listen_on(o.bind_addr, o.api_port, "REST");
	if (api_fd < 0)
		return 1;

	/* Every thread inherits this mask; only the main thread takes the signals. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	copts.cmd_timeout_ms = o.cmd_timeout_s * 1000;
	copts.reg_timeout_ms = 5000;
	copts.replay = o.replay;
	be.openapi = ctl_openapi_json;
	be.openapi_size = ctl_openapi_json_size;
	if (ctl_conn_start(&copts, pri_fd, sec_fd) < 0 || ctl_http_start(api_fd, &be, token) < 0) {
		fprintf(stderr, "spp-ctl: cannot start its threads\n");
		return 1;
	}
	CTL_LOG(INFO, "listening on %s: primary %u, secondaries %u, REST %u%s%s", o.bind_addr,
		o.pri_port, o.sec_port, o.api_port, o.replay ? ", replay on" : "",
		token != NULL ? ", token required" : "");

	while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	/*
	 * Exit at once: nothing needs flushing, and stopping libmicrohttpd
	 * would wait for REST threads blocked on a process reply for up to
	 * --cmd-timeout. The processes reconnect to the next spp-ctl.
	 */
	CTL_LOG(INFO, "signal %d: exiting", sig);
	return 0;	/* token stays: REST threads may still read it */
}
