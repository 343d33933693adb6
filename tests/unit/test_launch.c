/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_primary's `launch` (SPEC §6.3): the checks and normalisation of the
 * command (launch_argv.c), and the spawn (launch.c): executable lookup,
 * log file, signals, fds, session, affinity, reaping.
 *
 * The spawn tests start this very executable under the name spp_vf or
 * spp_mirror (a symlink in a temporary directory); started so, it is a
 * stand-in secondary that prints what it received and inherited, one
 * "key=value" line each, to the log file it was given as stdout/stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "launch.h"
#include "launch_argv.h"

#define PREFIX		"sppt"
#define WAIT_MS		10000

static char self_exe[PATH_MAX];
static char top_dir[PATH_MAX];		/* removed at the end */
static long holders[SPP_MAX_CLIENTS];	/* client_holder() answers */
static unsigned int holder_asked;

/* ---- the stand-in secondary ---- */

static void
print_status_line(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			printf("%s", line);
	fclose(f);
}

static int
fake_secondary(int argc, char **argv)
{
	char link[PATH_MAX];
	cpu_set_t cpus;
	struct dirent *e;
	DIR *d;
	ssize_t n;

	printf("pid=%d\nsid=%d\n", (int)getpid(), (int)getsid(0));
	for (int i = 0; i < argc; i++)
		printf("arg%d=%s\n", i, argv[i]);
	d = opendir("/proc/self/fd");
	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			printf("fd=%s\n", e->d_name);
	if (d != NULL)
		closedir(d);
	n = readlink("/proc/self/fd/0", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("stdin=%s\n", link);
	print_status_line("SigBlk:");
	print_status_line("SigIgn:");
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) {
		printf("cpus=");
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &cpus))
				printf("%d,", c);
		printf("\n");
	}
	fprintf(stderr, "stderr=ok\n");
	fflush(stdout);
	if (getenv("LAUNCH_TEST_SLEEP") != NULL)
		for (;;)
			pause();	/* until SIGTERM, at its default action */
	return getenv("LAUNCH_TEST_RC") != NULL ? atoi(getenv("LAUNCH_TEST_RC")) : 0;
}

/* ---- helpers ---- */

/* snprintf that fails the test rather than truncate. */
static void
line_of(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < size);
}

static long
fake_holder(void *arg, unsigned int client_id)
{
	(void)arg;
	holder_asked = client_id;
	return holders[client_id];
}

static const struct launch_env env = {
	.file_prefix = PREFIX,
	.iova_mode = "va",
	.client_holder = fake_holder,
};

static struct launch_argv la;

static void
expect_argv(const char *line, const char *const expected[])
{
	char err[256] = "";
	int n = 0;

	if (launch_argv_build(line, &env, &la, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
	for (; expected[n] != NULL; n++) {
		if (n >= la.argc)
			fail_msg("'%s': argv ends at %d, expected '%s'", line, n, expected[n]);
		if (strcmp(la.argv[n], expected[n]) != 0)
			fail_msg("'%s': argv[%d] = '%s', expected '%s'", line, n, la.argv[n],
				 expected[n]);
	}
	assert_int_equal(la.argc, n);
	assert_null(la.argv[n]);
}

static void
expect_refused(const char *line, const char *message)
{
	char err[256] = "";

	assert_int_equal(launch_argv_build(line, &env, &la, err, sizeof(err)), -EINVAL);
	if (strcmp(err, message) != 0)
		fail_msg("'%s': message '%s', expected '%s'", line, err, message);
}

/*
 * glibc's own signals 32 and 33 (SIGCANCEL, SIGSETXID): its posix_spawn
 * (2.36) leaves them ignored in the child whatever the attributes, and
 * no program can name them (sigaddset refuses); glibc installs its
 * handlers over that when it uses them.
 */
#define GLIBC_INTERNAL_SIGS	(UINT64_C(3) << 31)

/* The child's SigIgn mask (bit n-1 = signal n) from its log. */
static uint64_t
sig_ignored(const char *log)
{
	const char *p = strstr(log, "SigIgn:\t");

	assert_non_null(p);
	return strtoull(p + strlen("SigIgn:\t"), NULL, 16);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A fresh directory under top_dir, path into dir. */
static void
make_tmp(char *dir, const char *name)
{
	static int seq;

	line_of(dir, PATH_MAX, "%s/%d-%s", top_dir, seq++, name);
	assert_int_equal(mkdir(dir, 0755), 0);
}

static void
path_join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	assert_true(n > 0 && n < PATH_MAX);
}

/* dir/name -> this executable, so it runs as the stand-in. */
static void
link_fake(const char *dir, const char *name)
{
	char path[PATH_MAX];

	path_join(path, dir, name);
	assert_int_equal(symlink(self_exe, path), 0);
}

static char *
read_file(const char *path)
{
	static char buf[1 << 16];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int
count_lines(const char *text, const char *line)
{
	int n = 0;
	size_t len = strlen(line);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
			n++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

struct exit_record {
	unsigned int client_id;
	pid_t pid;
	int status;
	int calls;
};

static void
record_exit(void *arg, unsigned int client_id, pid_t pid, int status)
{
	struct exit_record *r = arg;

	r->client_id = client_id;
	r->pid = pid;
	r->status = status;
	r->calls++;
}

/* Reap until one child was reaped; fails after WAIT_MS. */
static void
reap_one(struct launch_ctx *ctx)
{
	for (int ms = 0; ms < WAIT_MS; ms += 5) {
		if (launch_reap(ctx) > 0)
			return;
		usleep(5000);
	}
	fail_msg("no child reaped within %d ms", WAIT_MS);
}

/* A context with exe_dir/spp_vf and exe_dir/spp_mirror as stand-ins,
 * logs in <dir>/logs, exits recorded in *rec. */
static void
fake_ctx(struct launch_ctx *ctx, char *dir, struct exit_record *rec)
{
	char logs[PATH_MAX];

	make_tmp(dir, "bin");
	link_fake(dir, "spp_vf");
	link_fake(dir, "spp_mirror");
	path_join(logs, dir, "logs");
	memset(rec, 0, sizeof(*rec));
	assert_int_equal(launch_init(ctx, dir, logs, record_exit, rec), 0);
}

/* Build, spawn and reap one stand-in; returns its log's text. */
static char *
run_fake(struct launch_ctx *ctx, struct exit_record *rec, const char *line)
{
	char err[256] = "", log[PATH_MAX + 32];
	pid_t pid;

	if (launch_argv_build(line, &env, &la, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
	pid = launch_spawn(ctx, &la, err, sizeof(err));
	if (pid <= 0)
		fail_msg("spawn failed: %s", err);
	assert_int_equal(launch_child(ctx, la.client_id), pid);
	reap_one(ctx);
	assert_int_equal(rec->pid, pid);
	assert_int_equal(launch_child(ctx, la.client_id), 0);
	snprintf(log, sizeof(log), "%s/%s-%u.log", ctx->log_dir, la.name, la.client_id);
	return read_file(log);
}

/* ---- normalisation ---- */

static void
test_launch_adds_proc_type_file_prefix_iova_mode_and_client_id(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf -l 1 -- -s 127.0.0.1:6666", (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"-l", "1", "--", "-s", "127.0.0.1:6666", "--client-id", "2", NULL });
}

static void
test_launch_accepts_spec_example_with_two_token_proc_type(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf -l 1,4-5 --proc-type secondary -m 512 -- --client-id 2 "
		    "-s 127.0.0.1:6666", (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"-l", "1,4-5", "-m", "512", "--", "--client-id", "2", "-s", "127.0.0.1:6666",
		NULL });
}

static void
test_launch_accepts_proc_type_secondary_with_equals_sign(void **state)
{
	(void)state;
	expect_argv("launch 3 spp_mirror --proc-type=secondary -l 0 -- -s 127.0.0.1:6666",
		    (const char *const[]){
		"spp_mirror", "--proc-type=secondary", "--file-prefix", PREFIX,
		"--iova-mode=va", "-l", "0", "--", "-s", "127.0.0.1:6666", "--client-id", "3",
		NULL });
}

static void
test_launch_refuses_proc_types_other_than_secondary(void **state)
{
	static const char *const lines[] = {
		"launch 2 spp_vf --proc-type primary -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --proc-type=primary -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --proc-type auto -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --proc-type=Secondary -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --proc-type= -- -s 127.0.0.1:6666",
		"launch 2 spp_vf -l 1 --proc-type -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --proc-type=secondary --proc-type=primary -- -s 1.2.3.4:5",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect_refused(lines[i], "proc-type must be secondary");
}

static void
test_launch_accepts_own_file_prefix_once_in_either_form(void **state)
{
	static const char *const expected[] = {
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"-l", "1", "--", "--client-id", "2", NULL };

	(void)state;
	expect_argv("launch 2 spp_vf -l 1 --file-prefix " PREFIX " -- --client-id 2", expected);
	expect_argv("launch 2 spp_vf --file-prefix=" PREFIX " -l 1 -- --client-id 2", expected);
}

static void
test_launch_refuses_another_file_prefix(void **state)
{
	static const char *const lines[] = {
		"launch 2 spp_vf --file-prefix other -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --file-prefix=other -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --file-prefix " PREFIX "x -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --file-prefix= -- -s 127.0.0.1:6666",
		"launch 2 spp_vf -l 1 --file-prefix -- -s 127.0.0.1:6666",
		"launch 2 spp_vf --file-prefix " PREFIX " --file-prefix=rte -- -s 1.2.3.4:5",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect_refused(lines[i], "file-prefix must be " PREFIX);
}

/* getopt_long takes "--file-pre x" for --file-prefix: it must not slip by. */
static void
test_launch_refuses_abbreviations_of_the_options_it_decides(void **state)
{
	(void)state;
	expect_refused("launch 2 spp_vf --file-pre other -- -s 1.2.3.4:5",
		       "abbreviated option '--file-pre': write --file-prefix in full");
	expect_refused("launch 2 spp_vf --fi=other -- -s 1.2.3.4:5",
		       "abbreviated option '--fi=other': write --file-prefix in full");
	expect_refused("launch 2 spp_vf --proc=primary -- -s 1.2.3.4:5",
		       "abbreviated option '--proc=primary': write --proc-type in full");
	expect_refused("launch 2 spp_vf --p secondary -- -s 1.2.3.4:5",
		       "abbreviated option '--p': write --proc-type in full");
	expect_refused("launch 2 spp_vf --iova pa -- -s 1.2.3.4:5",
		       "abbreviated option '--iova': write --iova-mode in full");
}

static void
test_launch_keeps_given_iova_mode_in_place(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf -l 1 --iova-mode pa -- -s 1.2.3.4:5",
		    (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX,
		"-l", "1", "--iova-mode", "pa", "--", "-s", "1.2.3.4:5", "--client-id", "2",
		NULL });
	expect_argv("launch 2 spp_vf --iova-mode=pa -- -s 1.2.3.4:5", (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX,
		"--iova-mode=pa", "--", "-s", "1.2.3.4:5", "--client-id", "2", NULL });
}

static void
test_launch_refuses_iova_mode_without_value(void **state)
{
	(void)state;
	expect_refused("launch 2 spp_vf -l 1 --iova-mode -- -s 1.2.3.4:5",
		       "--iova-mode needs a value");
	expect_refused("launch 2 spp_vf --iova-mode= -- -s 1.2.3.4:5",
		       "--iova-mode needs a value");
}

static void
test_launch_adds_no_iova_mode_when_primary_has_none(void **state)
{
	struct launch_env no_iova = env;
	char err[64];

	(void)state;
	no_iova.iova_mode = NULL;
	assert_int_equal(launch_argv_build("launch 2 spp_vf -- -s 1.2.3.4:5", &no_iova, &la,
					   err, sizeof(err)), 0);
	assert_int_equal(la.argc, 9);
	for (int i = 0; i < la.argc; i++)
		assert_null(strstr(la.argv[i], "iova"));
}

static void
test_launch_corrects_every_client_id_of_app(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf -- --client-id 9 -s 1.2.3.4:5 --client-id 2",
		    (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"--", "--client-id", "2", "-s", "1.2.3.4:5", "--client-id", "2", NULL });
	expect_argv("launch 4 spp_vf -- --client-id=9 -s 1.2.3.4:5", (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"--", "--client-id", "4", "-s", "1.2.3.4:5", NULL });
	expect_argv("launch 4 spp_vf -- -s 1.2.3.4:5 --client-id", (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"--", "-s", "1.2.3.4:5", "--client-id", "4", NULL });
}

static void
test_launch_writes_client_id_in_canonical_form(void **state)
{
	(void)state;
	expect_argv("launch 007 spp_mirror -- -s 1.2.3.4:5", (const char *const[]){
		"spp_mirror", "--proc-type=secondary", "--file-prefix", PREFIX,
		"--iova-mode=va", "--", "-s", "1.2.3.4:5", "--client-id", "7", NULL });
	assert_int_equal(la.client_id, 7);
	assert_string_equal(la.name, "spp_mirror");
}

/* No shell ever sees them: each is one argv entry, byte for byte. */
static void
test_launch_passes_shell_metacharacters_as_plain_tokens(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf --vdev=$(reboot) `id` ;sh -c|cat&& >/etc/passwd "
		    "'x\" * ~ $HOME \\n -- -s ${IFS}rm${IFS}-rf${IFS}/ <x &",
		    (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"--vdev=$(reboot)", "`id`", ";sh", "-c|cat&&", ">/etc/passwd", "'x\"", "*", "~",
		"$HOME", "\\n", "--", "-s", "${IFS}rm${IFS}-rf${IFS}/", "<x", "&",
		"--client-id", "2", NULL });
}

static void
test_launch_splits_only_at_spaces_and_tabs(void **state)
{
	(void)state;
	expect_argv("launch\t2  spp_vf\t-l\t1\x01x\xc3\xa9 -- \t-s 1.2.3.4:5\t",
		    (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"-l", "1\x01x\xc3\xa9", "--", "-s", "1.2.3.4:5", "--client-id", "2", NULL });
}

static void
test_launch_ends_eal_at_the_first_double_dash_only(void **state)
{
	(void)state;
	expect_argv("launch 2 spp_vf -l 1 -- -s 1.2.3.4:5 -- --file-prefix x",
		    (const char *const[]){
		"spp_vf", "--proc-type=secondary", "--file-prefix", PREFIX, "--iova-mode=va",
		"-l", "1", "--", "-s", "1.2.3.4:5", "--", "--file-prefix", "x",
		"--client-id", "2", NULL });
}

/* ---- validation ---- */

static void
test_launch_refuses_names_other_than_spp_vf_and_spp_mirror(void **state)
{
	static const char *const names[] = {
		"../spp_vf", "/bin/sh", "sh", "./spp_vf", "spp_vf/", "spp_vf;sh", "spp_vf\x01",
		"spp_primary", "spp_nfv", "SPP_VF", "spp_vf2", "spp-ctl", "--", "spp_mirror/../x",
	};
	char line[128], msg[160];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		line_of(line, sizeof(line), "launch 2 %s -l 1 -- -s 1.2.3.4:5", names[i]);
		line_of(msg, sizeof(msg), "invalid process name '%s' (spp_vf or spp_mirror)",
			names[i]);
		expect_refused(line, msg);
	}
}

static void
test_launch_refuses_client_ids_outside_1_to_127(void **state)
{
	static const char *const ids[] = {
		"0", "128", "-1", "+2", "2x", "0x2", "1e2", "99999999999999999999999", "x",
	};
	char line[128], msg[160];

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		line_of(line, sizeof(line), "launch %s spp_vf -l 1 -- -s 1.2.3.4:5", ids[i]);
		line_of(msg, sizeof(msg), "invalid client id '%s' (1..127)", ids[i]);
		expect_refused(line, msg);
	}
}

static void
test_launch_accepts_client_ids_1_and_127(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(launch_argv_build("launch 1 spp_vf -- -s 1.2.3.4:5", &env, &la, err,
					   sizeof(err)), 0);
	assert_int_equal(la.client_id, 1);
	assert_int_equal(launch_argv_build("launch 127 spp_vf -- -s 1.2.3.4:5", &env, &la, err,
					   sizeof(err)), 0);
	assert_int_equal(la.client_id, 127);
}

static void
test_launch_refuses_client_id_held_by_live_process(void **state)
{
	(void)state;
	holders[3] = 4242;
	holder_asked = 0;
	expect_refused("launch 3 spp_vf -l 1 -- -s 1.2.3.4:5",
		       "client id 3 is already used by pid 4242");
	assert_int_equal(holder_asked, 3);
	holders[3] = 0;
}

static void
test_launch_reports_syntax_before_live_client_id(void **state)
{
	(void)state;
	holders[3] = 4242;
	expect_refused("launch 3 /bin/sh -l 1 -- -s 1.2.3.4:5",
		       "invalid process name '/bin/sh' (spp_vf or spp_mirror)");
	expect_refused("launch 3 spp_vf --file-prefix=x -- -s 1.2.3.4:5",
		       "file-prefix must be " PREFIX);
	holders[3] = 0;
}

static void
test_launch_refuses_command_without_double_dash(void **state)
{
	(void)state;
	expect_refused("launch 2 spp_vf -l 1 -s 1.2.3.4:5",
		       "missing '--' between EAL and application options");
	expect_refused("launch 2 spp_vf --- -s 1.2.3.4:5",
		       "missing '--' between EAL and application options");
	expect_refused("launch 2 spp_vf", "missing '--' between EAL and application options");
}

static void
test_launch_refuses_too_few_tokens(void **state)
{
	(void)state;
	expect_refused("launch", "usage: launch ID NAME EAL... -- APP...");
	expect_refused("launch 2", "usage: launch ID NAME EAL... -- APP...");
	expect_refused("  launch\t2 ", "usage: launch ID NAME EAL... -- APP...");
	expect_refused("status 2 spp_vf -- -s 1.2.3.4:5", "usage: launch ID NAME EAL... -- APP...");
}

static void
make_tokens(char *line, size_t size, int nb_tokens)
{
	size_t len = (size_t)snprintf(line, size, "launch 2 spp_vf --");

	/* 4 tokens so far; the rest are application tokens. */
	for (int i = 4; i < nb_tokens; i++)
		len += (size_t)snprintf(line + len, size - len, " a%d", i);
}

static void
test_launch_accepts_64_tokens_and_refuses_65(void **state)
{
	char line[1024], err[64];

	(void)state;
	make_tokens(line, sizeof(line), 64);
	assert_int_equal(launch_argv_build(line, &env, &la, err, sizeof(err)), 0);
	/* NAME + 4 added EAL + "--" + 60 app tokens + --client-id ID */
	assert_int_equal(la.argc, 1 + 4 + 1 + 60 + 2);
	assert_string_equal(la.argv[la.argc - 3], "a63");
	make_tokens(line, sizeof(line), 65);
	expect_refused(line, "too many tokens (at most 64)");
}

static void
test_launch_refuses_command_of_4096_bytes(void **state)
{
	char line[SPP_CMD_MAX_SIZE + 1];

	(void)state;
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "launch 2 spp_vf -- -s ", 22);
	expect_refused(line, "command too long");
}

static void
test_launch_refuses_argv_that_outgrows_limit_when_normalised(void **state)
{
	char line[2048];
	size_t len = (size_t)snprintf(line, sizeof(line), "launch 2 spp_vf --");

	(void)state;
	/* Each --client-id=V becomes two tokens. */
	for (int i = 4; i < LAUNCH_MAX_TOKENS; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " --client-id=1");
	expect_refused(line, "too many tokens (at most 64)");
}

static void
test_launch_truncates_message_to_err_size(void **state)
{
	char err[8];

	(void)state;
	assert_int_equal(launch_argv_build("launch 0 spp_vf --", &env, &la, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "invalid");
}

/* ---- executable lookup ---- */

static void
test_resolve_prefers_own_directory(void **state)
{
	struct launch_ctx ctx;
	char dir[PATH_MAX], path[PATH_MAX], want[PATH_MAX];

	(void)state;
	make_tmp(dir, "bin");
	link_fake(dir, "spp_vf");
	assert_int_equal(launch_init(&ctx, dir, NULL, NULL, NULL), 0);
	assert_string_equal(ctx.log_dir, "/var/log/spp");
	assert_int_equal(launch_resolve(&ctx, "spp_vf", path, sizeof(path)), 0);
	path_join(want, dir, "spp_vf");
	assert_string_equal(path, want);
	assert_int_equal(launch_resolve(&ctx, "spp_mirror", path, sizeof(path)), -ENOENT);
}

static void
test_resolve_uses_build_tree_siblings_only_from_src_primary(void **state)
{
	struct launch_ctx ctx;
	char top[PATH_MAX], d[PATH_MAX], path[PATH_MAX], want[PATH_MAX];

	(void)state;
	make_tmp(top, "build");
	path_join(d, top, "src");
	assert_int_equal(mkdir(d, 0755), 0);
	path_join(d, top, "src/primary");
	assert_int_equal(mkdir(d, 0755), 0);
	path_join(d, top, "src/vf");
	assert_int_equal(mkdir(d, 0755), 0);
	link_fake(d, "spp_vf");
	path_join(d, top, "src/mirror");
	assert_int_equal(mkdir(d, 0755), 0);
	link_fake(d, "spp_mirror");

	path_join(d, top, "src/primary");
	assert_int_equal(launch_init(&ctx, d, NULL, NULL, NULL), 0);
	assert_int_equal(launch_resolve(&ctx, "spp_vf", path, sizeof(path)), 0);
	path_join(want, top, "src/vf/spp_vf");
	assert_string_equal(path, want);
	assert_int_equal(launch_resolve(&ctx, "spp_mirror", path, sizeof(path)), 0);
	path_join(want, top, "src/mirror/spp_mirror");
	assert_string_equal(path, want);

	/* From any other directory, siblings are never looked at. */
	path_join(d, top, "src/other");
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(launch_init(&ctx, d, NULL, NULL, NULL), 0);
	assert_int_equal(launch_resolve(&ctx, "spp_vf", path, sizeof(path)), -ENOENT);
}

static void
test_resolve_skips_directories_and_non_executables(void **state)
{
	struct launch_ctx ctx;
	char dir[PATH_MAX], p[PATH_MAX];
	int fd;

	(void)state;
	make_tmp(dir, "bin");
	path_join(p, dir, "spp_vf");
	assert_int_equal(mkdir(p, 0755), 0);
	path_join(p, dir, "spp_mirror");
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(launch_init(&ctx, dir, NULL, NULL, NULL), 0);
	assert_int_equal(launch_resolve(&ctx, "spp_vf", p, sizeof(p)), -ENOENT);
	assert_int_equal(launch_resolve(&ctx, "spp_mirror", p, sizeof(p)), -ENOENT);
}

static void
test_resolve_refuses_other_names_and_unknown_own_directory(void **state)
{
	struct launch_ctx ctx;
	char p[PATH_MAX];

	(void)state;
	assert_int_equal(launch_init(&ctx, "/usr/bin", NULL, NULL, NULL), 0);
	assert_int_equal(launch_resolve(&ctx, "../bin/sh", p, sizeof(p)), -EINVAL);
	assert_int_equal(launch_resolve(&ctx, "sh", p, sizeof(p)), -EINVAL);
	assert_int_equal(launch_init(&ctx, "", NULL, NULL, NULL), 0);
	assert_int_equal(launch_resolve(&ctx, "spp_vf", p, sizeof(p)), -ENOENT);
}

static void
test_self_dir_is_directory_of_this_executable(void **state)
{
	char dir[PATH_MAX], want[PATH_MAX];

	(void)state;
	assert_int_equal(launch_self_dir(dir, sizeof(dir)), 0);
	snprintf(want, sizeof(want), "%s", self_exe);
	*strrchr(want, '/') = '\0';
	assert_string_equal(dir, want);
	assert_int_equal(launch_self_dir(dir, 4), -ENAMETOOLONG);
}

/* ---- spawning ---- */

/* A shell would run these and create the files; argv only carries them. */
static void
test_spawn_passes_tokens_as_argv_without_any_shell(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX], line[1024], marker[PATH_MAX], want[PATH_MAX + 16];
	const char *log;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	line_of(line, sizeof(line),
		"launch 5 spp_vf --vdev=$(touch${IFS}%s/m1) `touch${IFS}%s/m2` "
		";touch${IFS}%s/m3 -- |touch${IFS}%s/m4 &&touch${IFS}%s/m5 >%s/m6 * '\"",
		dir, dir, dir, dir, dir, dir);
	log = run_fake(&ctx, &rec, line);
	assert_non_null(log);
	assert_true(WIFEXITED(rec.status) && WEXITSTATUS(rec.status) == 0);
	for (int i = 0; i < la.argc; i++) {
		snprintf(want, sizeof(want), "arg%d=%s", i, la.argv[i]);
		if (count_lines(log, want) != 1)
			fail_msg("'%s' not in the child's log:\n%s", want, log);
	}
	snprintf(want, sizeof(want), "arg%d=", la.argc);
	assert_null(strstr(log, want));
	for (int i = 1; i <= 6; i++) {
		line_of(marker, sizeof(marker), "%s/m%d", dir, i);
		assert_false(exists(marker));
	}
}

static void
test_spawn_child_has_no_blocked_or_ignored_signal_nor_our_fds(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	sigset_t usr1, old;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_usr2;
	char dir[PATH_MAX], want[64];
	const char *log;
	int stray;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	/* What spp_primary may hold: a blocked and an ignored signal, an fd
	 * without FD_CLOEXEC (as DPDK's are). */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	assert_int_equal(pthread_sigmask(SIG_BLOCK, &usr1, &old), 0);
	assert_int_equal(sigaction(SIGUSR2, &ign, &old_usr2), 0);
	stray = open("/dev/zero", O_RDONLY);
	assert_true(stray > 2);

	log = run_fake(&ctx, &rec, "launch 6 spp_mirror -l 0 -- -s 1.2.3.4:5");

	close(stray);
	sigaction(SIGUSR2, &old_usr2, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	assert_non_null(log);
	assert_int_equal(count_lines(log, "SigBlk:\t0000000000000000"), 1);
	assert_int_equal(sig_ignored(log) & ~GLIBC_INTERNAL_SIGS, 0);
	assert_int_equal(count_lines(log, "fd=0"), 1);
	assert_int_equal(count_lines(log, "fd=1"), 1);
	assert_int_equal(count_lines(log, "fd=2"), 1);
	assert_int_equal(count_lines(log, "stdin=/dev/null"), 1);
	/* No fourth fd: the scan's own is left out by the stand-in. */
	for (int fd = 3; fd < 64; fd++) {
		snprintf(want, sizeof(want), "fd=%d", fd);
		assert_int_equal(count_lines(log, want), 0);
	}
	/* Its own session: a signal to ours never reaches it. */
	snprintf(want, sizeof(want), "sid=%d", (int)rec.pid);
	assert_int_equal(count_lines(log, want), 1);
}

static void
test_spawn_child_gets_saved_affinity_not_the_callers(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	cpu_set_t all, one, now;
	char dir[PATH_MAX], want[CPU_SETSIZE * 5];
	size_t len = 0;
	int first = -1;
	const char *log;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	if (CPU_COUNT(&all) < 2)
		skip();
	fake_ctx(&ctx, dir, &rec);	/* records "all", as main() before EAL */
	len += (size_t)snprintf(want, sizeof(want), "cpus=");
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &all))
			continue;
		if (first < 0)
			first = c;
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%d,", c);
	}
	/* As rte_eal_init does to the main lcore's thread. */
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);

	log = run_fake(&ctx, &rec, "launch 7 spp_vf -- -s 1.2.3.4:5");

	assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(now), &now), 0);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(all), &all), 0);
	assert_true(CPU_EQUAL(&now, &one));
	assert_non_null(log);
	if (count_lines(log, want) != 1)
		fail_msg("expected '%s' in:\n%s", want, log);
}

static void
test_spawn_appends_stdout_and_stderr_to_name_id_log(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX], log[PATH_MAX + 32];
	const char *text;
	struct stat st;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	run_fake(&ctx, &rec, "launch 8 spp_vf -- -s 1.2.3.4:5");
	text = run_fake(&ctx, &rec, "launch 8 spp_vf -- -s 1.2.3.4:5");
	assert_non_null(text);
	/* Two runs, each: our header line, its stdout, its stderr. */
	assert_int_equal(count_lines(text, "stderr=ok"), 2);
	assert_int_equal(count_lines(text, "arg0=spp_vf"), 2);
	assert_non_null(strstr(text, "spp_primary: "));
	assert_non_null(strstr(text, " launch client 8: "));
	snprintf(log, sizeof(log), "%s/logs/spp_vf-8.log", dir);
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void
test_spawn_creates_missing_log_dirs_0750_whatever_the_umask(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX], logs[PATH_MAX], p[PATH_MAX];
	struct stat st;
	mode_t old;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	path_join(logs, dir, "a/b/c");
	snprintf(ctx.log_dir, sizeof(ctx.log_dir), "%s", logs);
	old = umask(077);
	run_fake(&ctx, &rec, "launch 9 spp_vf -- -s 1.2.3.4:5");
	umask(old);
	for (size_t i = 0; i < 3; i++) {
		static const char *const subs[] = { "a", "a/b", "a/b/c" };

		path_join(p, dir, subs[i]);
		assert_int_equal(stat(p, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
		assert_int_equal(st.st_mode & 0777, 0750);
	}
	path_join(p, logs, "spp_vf-9.log");
	assert_true(exists(p));
}

static void
test_spawn_fails_and_starts_nothing_when_log_dir_cannot_be_made(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX], file[PATH_MAX], err[256], want[PATH_MAX + 64];
	int fd;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	path_join(file, dir, "file");
	fd = open(file, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	line_of(ctx.log_dir, sizeof(ctx.log_dir), "%s/logs", file);
	assert_int_equal(launch_argv_build("launch 10 spp_vf -- -s 1.2.3.4:5", &env, &la, err,
					   sizeof(err)), 0);
	assert_int_equal(launch_spawn(&ctx, &la, err, sizeof(err)), -ENOTDIR);
	snprintf(want, sizeof(want), "cannot create log directory %s/logs: Not a directory",
		 file);
	assert_string_equal(err, want);
	assert_int_equal(launch_child(&ctx, 10), 0);
	assert_int_equal(launch_reap(&ctx), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void
test_spawn_fails_and_starts_nothing_without_executable(void **state)
{
	struct launch_ctx ctx;
	char dir[PATH_MAX], logs[PATH_MAX], err[PATH_MAX + 128], want[PATH_MAX + 128];

	(void)state;
	make_tmp(dir, "empty");
	path_join(logs, dir, "logs");
	assert_int_equal(launch_init(&ctx, dir, logs, NULL, NULL), 0);
	assert_int_equal(launch_argv_build("launch 11 spp_mirror -- -s 1.2.3.4:5", &env, &la,
					   err, sizeof(err)), 0);
	assert_int_equal(launch_spawn(&ctx, &la, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want),
		 "cannot find spp_mirror next to spp_primary (%s/spp_mirror): "
		 "No such file or directory", dir);
	assert_string_equal(err, want);
	assert_false(exists(logs));
	assert_int_equal(launch_child(&ctx, 11), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

static void
test_reap_reports_exit_code_and_leaves_no_zombie(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX];

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	setenv("LAUNCH_TEST_RC", "3", 1);
	run_fake(&ctx, &rec, "launch 12 spp_vf -- -s 1.2.3.4:5");
	unsetenv("LAUNCH_TEST_RC");
	assert_int_equal(rec.calls, 1);
	assert_int_equal(rec.client_id, 12);
	assert_true(WIFEXITED(rec.status));
	assert_int_equal(WEXITSTATUS(rec.status), 3);
	assert_int_equal(waitpid(rec.pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(launch_reap(&ctx), 0);
	assert_int_equal(rec.calls, 1);
}

static void
test_running_child_holds_its_id_until_reaped(void **state)
{
	struct launch_ctx ctx;
	struct exit_record rec;
	char dir[PATH_MAX], err[256];
	pid_t pid;

	(void)state;
	fake_ctx(&ctx, dir, &rec);
	setenv("LAUNCH_TEST_SLEEP", "1", 1);
	assert_int_equal(launch_argv_build("launch 13 spp_vf -- -s 1.2.3.4:5", &env, &la, err,
					   sizeof(err)), 0);
	pid = launch_spawn(&ctx, &la, err, sizeof(err));
	unsetenv("LAUNCH_TEST_SLEEP");
	assert_true(pid > 0);
	assert_int_equal(launch_reap(&ctx), 0);
	assert_int_equal(launch_child(&ctx, 13), pid);
	assert_int_equal(launch_child(&ctx, 14), 0);
	assert_int_equal(kill(pid, SIGTERM), 0);
	reap_one(&ctx);
	assert_int_equal(rec.pid, pid);
	assert_true(WIFSIGNALED(rec.status));
	assert_int_equal(WTERMSIG(rec.status), SIGTERM);
	assert_int_equal(launch_child(&ctx, 13), 0);
}

int
main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_launch_adds_proc_type_file_prefix_iova_mode_and_client_id),
		cmocka_unit_test(test_launch_accepts_spec_example_with_two_token_proc_type),
		cmocka_unit_test(test_launch_accepts_proc_type_secondary_with_equals_sign),
		cmocka_unit_test(test_launch_refuses_proc_types_other_than_secondary),
		cmocka_unit_test(test_launch_accepts_own_file_prefix_once_in_either_form),
		cmocka_unit_test(test_launch_refuses_another_file_prefix),
		cmocka_unit_test(test_launch_refuses_abbreviations_of_the_options_it_decides),
		cmocka_unit_test(test_launch_keeps_given_iova_mode_in_place),
		cmocka_unit_test(test_launch_refuses_iova_mode_without_value),
		cmocka_unit_test(test_launch_adds_no_iova_mode_when_primary_has_none),
		cmocka_unit_test(test_launch_corrects_every_client_id_of_app),
		cmocka_unit_test(test_launch_writes_client_id_in_canonical_form),
		cmocka_unit_test(test_launch_passes_shell_metacharacters_as_plain_tokens),
		cmocka_unit_test(test_launch_splits_only_at_spaces_and_tabs),
		cmocka_unit_test(test_launch_ends_eal_at_the_first_double_dash_only),
		cmocka_unit_test(test_launch_refuses_names_other_than_spp_vf_and_spp_mirror),
		cmocka_unit_test(test_launch_refuses_client_ids_outside_1_to_127),
		cmocka_unit_test(test_launch_accepts_client_ids_1_and_127),
		cmocka_unit_test(test_launch_refuses_client_id_held_by_live_process),
		cmocka_unit_test(test_launch_reports_syntax_before_live_client_id),
		cmocka_unit_test(test_launch_refuses_command_without_double_dash),
		cmocka_unit_test(test_launch_refuses_too_few_tokens),
		cmocka_unit_test(test_launch_accepts_64_tokens_and_refuses_65),
		cmocka_unit_test(test_launch_refuses_command_of_4096_bytes),
		cmocka_unit_test(test_launch_refuses_argv_that_outgrows_limit_when_normalised),
		cmocka_unit_test(test_launch_truncates_message_to_err_size),
		cmocka_unit_test(test_resolve_prefers_own_directory),
		cmocka_unit_test(test_resolve_uses_build_tree_siblings_only_from_src_primary),
		cmocka_unit_test(test_resolve_skips_directories_and_non_executables),
		cmocka_unit_test(test_resolve_refuses_other_names_and_unknown_own_directory),
		cmocka_unit_test(test_self_dir_is_directory_of_this_executable),
		cmocka_unit_test(test_spawn_passes_tokens_as_argv_without_any_shell),
		cmocka_unit_test(test_spawn_child_has_no_blocked_or_ignored_signal_nor_our_fds),
		cmocka_unit_test(test_spawn_child_gets_saved_affinity_not_the_callers),
		cmocka_unit_test(test_spawn_appends_stdout_and_stderr_to_name_id_log),
		cmocka_unit_test(test_spawn_creates_missing_log_dirs_0750_whatever_the_umask),
		cmocka_unit_test(test_spawn_fails_and_starts_nothing_when_log_dir_cannot_be_made),
		cmocka_unit_test(test_spawn_fails_and_starts_nothing_without_executable),
		cmocka_unit_test(test_reap_reports_exit_code_and_leaves_no_zombie),
		cmocka_unit_test(test_running_child_holds_its_id_until_reaped),
	};
	ssize_t n;
	int ret;

	if (strcmp(base, "spp_vf") == 0 || strcmp(base, "spp_mirror") == 0)
		return fake_secondary(argc, argv);
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	snprintf(top_dir, sizeof(top_dir), "/tmp/spp_test_launch_XXXXXX");
	if (mkdtemp(top_dir) == NULL)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nftw(top_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return ret;
}
