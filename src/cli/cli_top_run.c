/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli_top.h"
#include "cli_top_run.h"

/* Set by SIGINT while top runs; the handler is ours only for that time. */
static volatile sig_atomic_t stop;

static void
on_sigint(int sig)
{
	(void)sig;
	stop = 1;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Wait until deadline (CLOCK_MONOTONIC seconds). With keys, read the
 * terminal meanwhile: 'q' or 'Q' ends the wait early.
 * Returns true when the user asked to leave ('q' or Ctrl-C).
 */
static bool
wait_until(double deadline, bool keys)
{
	while (!stop) {
		double left = deadline - mono_s();
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		char c;

		if (left <= 0)
			return false;
		if (!keys) {
			struct timespec ts = {
				.tv_sec = (time_t)left,
				.tv_nsec = (long)((left - (double)(time_t)left) * 1e9),
			};

			nanosleep(&ts, NULL);	/* EINTR on Ctrl-C: checked above */
			continue;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1) {
			/* stdin closed: no key can come any more. */
			keys = false;
			continue;
		}
		if (c == 'q' || c == 'Q')
			return true;
	}
	return true;
}

static void
window_size(int *cols, int *lines)
{
	struct winsize ws;

	*cols = 0;
	*lines = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*lines = ws.ws_row;
	}
}

static void
print_frame(struct cli_shell *sh, const struct cli_top *top, bool screen, long n, long count,
	    double interval)
{
	char title[160], when[16];
	time_t now = time(NULL);
	struct tm tm;
	int cols = 0, lines = 0;

	if (sh->json) {
		/* One line per refresh: {"refresh": n, "rows": [...]}. */
		json_t *doc = json_pack("{s:I,s:o?}", "refresh", (json_int_t)n, "rows",
					cli_top_json(top));

		if (doc != NULL)
			json_dumpf(doc, sh->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fprintf(sh->out, "\n");
		fflush(sh->out);
		json_decref(doc);
		return;
	}
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (count > 0)
		snprintf(title, sizeof(title), "spp top - %s, every %.2f s, refresh %ld/%ld%s",
			 when, interval, n, count, screen ? ", q: quit" : "");
	else
		snprintf(title, sizeof(title), "spp top - %s, every %.2f s, refresh %ld%s", when,
			 interval, n, screen ? ", q: quit" : "");
	if (!screen) {
		fprintf(sh->out, "%s\n", title);
		cli_top_format(sh->out, top, 0);
		fprintf(sh->out, "\n");
		fflush(sh->out);
		return;
	}
	window_size(&cols, &lines);
	/* Home, clear the screen, then the title and as many rows as fit. */
	fprintf(sh->out, "\033[H\033[2J%.*s\n", cols > 0 ? cols : (int)sizeof(title), title);
	if (lines > 3 && top->nb_rows > lines - 3) {
		struct cli_top cut = { .rows = top->rows, .nb_rows = lines - 3 };

		cli_top_format(sh->out, &cut, cols);
		fprintf(sh->out, "(%d more rows)\n", top->nb_rows - cut.nb_rows);
	} else {
		cli_top_format(sh->out, top, cols);
	}
	fflush(sh->out);
}

int
cli_top_run(struct cli_shell *sh, long count, double interval)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old_sa;
	bool screen = !sh->json && isatty(fileno(sh->out));
	bool keys = screen && isatty(STDIN_FILENO);
	struct termios saved, raw;
	json_t *prev, *cur;
	double next;
	int ret = 0;

	prev = cli_shell_topo(sh, true);
	if (prev == NULL) {
		fprintf(sh->out, "Error: Failed to get the topology from spp-ctl.\n");
		return -1;
	}
	stop = 0;
	/* No SA_RESTART: poll() and nanosleep() return at once on Ctrl-C. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);
	if (keys && tcgetattr(STDIN_FILENO, &saved) == 0) {
		/* Keys one at a time, not echoed; Ctrl-C still raises SIGINT. */
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_lflag |= ISIG;
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	} else {
		keys = false;
	}
	next = mono_s();
	for (long n = 1; count == 0 || n <= count; n++) {
		struct cli_top top;

		next += interval;
		if (wait_until(next, keys))
			break;
		cur = cli_shell_topo(sh, true);
		if (cur == NULL) {
			fprintf(sh->out, "Error: Failed to get the topology from spp-ctl.\n");
			ret = -1;
			break;
		}
		if (cli_top_compute(prev, cur, &top) < 0) {
			fprintf(sh->out, "Error: out of memory.\n");
			json_decref(cur);
			ret = -1;
			break;
		}
		print_frame(sh, &top, screen, n, count, interval);
		cli_top_free(&top);
		json_decref(prev);
		prev = cur;
	}
	json_decref(prev);
	if (keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	sigaction(SIGINT, &old_sa, NULL);
	return ret;
}
