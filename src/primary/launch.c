/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"

#define DELETED_SUFFIX		" (deleted)"
#define BUILD_TREE_DIR		"/src/primary"

extern char **environ;

static int
fail(char *err, size_t err_size, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return ret;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
launch_self_dir(char *dir, size_t size)
{
	ssize_t n;
	char *slash;

	if (size < 2)
		return -ENAMETOOLONG;
	n = readlink("/proc/self/exe", dir, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	dir[n] = '\0';
	/* The executable was replaced (rebuilt) while we run: same place. */
	if (ends_with(dir, DELETED_SUFFIX))
		dir[n - strlen(DELETED_SUFFIX)] = '\0';
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return -EINVAL;
	if (slash == dir)
		slash++;	/* "/spp_primary" lives in "/" */
	*slash = '\0';
	return 0;
}

static int
copy_str(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, len + 1);
	return 0;
}

int
launch_init(struct launch_ctx *ctx, const char *exe_dir, const char *log_dir,
	    launch_exit_cb on_exit, void *arg)
{
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->on_exit = on_exit;
	ctx->arg = arg;
	ret = copy_str(ctx->exe_dir, sizeof(ctx->exe_dir), exe_dir);
	if (ret == 0)
		ret = copy_str(ctx->log_dir, sizeof(ctx->log_dir),
			       log_dir != NULL ? log_dir : LAUNCH_DEFAULT_LOG_DIR);
	if (ret < 0)
		return ret;
	/* An empty set means "keep the spawning thread's" (launch_spawn). */
	CPU_ZERO(&ctx->cpus);
	if (sched_getaffinity(0, sizeof(ctx->cpus), &ctx->cpus) < 0) {
		ret = -errno;
		CPU_ZERO(&ctx->cpus);
		return ret;
	}
	return 0;
}

static bool
is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/*
 * Where the secondaries are, in this order:
 *  1. next to spp_primary, as SPEC §6.3 says: an installed tree (meson
 *     install puts all three in one bindir);
 *  2. only when spp_primary runs from a meson build tree (its directory
 *     ends in /src/primary), the sibling build directory src/vf or
 *     src/mirror, where ninja leaves them.
 * No PATH search and no other place: the command only names the program.
 */
int
launch_resolve(const struct launch_ctx *ctx, const char *name, char *path, size_t size)
{
	static const struct {
		const char *name;
		const char *build_dir;
	} progs[] = {
		{ "spp_vf", "vf" },
		{ "spp_mirror", "mirror" },
	};
	const char *build_dir = NULL;
	size_t base;
	int n;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		if (strcmp(name, progs[i].name) == 0)
			build_dir = progs[i].build_dir;
	if (build_dir == NULL)
		return -EINVAL;
	/* Unknown (no /proc): never "/NAME". */
	if (ctx->exe_dir[0] != '/') {
		snprintf(path, size, "own directory unknown");
		return -ENOENT;
	}
	n = snprintf(path, size, "%s/%s", ctx->exe_dir, name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	if (is_executable(path))
		return 0;
	if (!ends_with(ctx->exe_dir, BUILD_TREE_DIR))
		return -ENOENT;
	base = strlen(ctx->exe_dir) - strlen("primary");
	n = snprintf(path, size, "%.*s%s/%s", (int)base, ctx->exe_dir, build_dir, name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return is_executable(path) ? 0 : -ENOENT;
}

/* mkdir -p with mode 0750 for what it creates. Returns 0 or -errno. */
static int
make_dir(const char *dir)
{
	char buf[PATH_MAX];
	struct stat st;
	int ret = copy_str(buf, sizeof(buf), dir);

	if (ret < 0)
		return ret;
	if (buf[0] == '\0')
		return -ENOENT;
	for (char *p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(buf, 0750) == 0) {
			/* The umask must not narrow or widen it. */
			if (chmod(buf, 0750) < 0)
				return -errno;
		} else if (errno != EEXIST) {
			return -errno;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* One line per launch in the log, so its output can be told apart. */
static void
log_header(int fd, const char *path, const struct launch_argv *la)
{
	char when[32] = "";
	struct tm tm;
	time_t now = time(NULL);

	if (gmtime_r(&now, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dprintf(fd, "spp_primary: %s launch client %u: %s", when, la->client_id, path);
	for (int i = 1; i < la->argc; i++)
		dprintf(fd, " %s", la->argv[i]);
	dprintf(fd, "\n");
}

/*
 * posix_spawn with the attributes of SPEC §6.3. Returns 0 or an errno.
 * glibc (2.36) still leaves its two internal signals (32, 33) ignored in
 * the child: no program can name them, and glibc installs its handlers
 * over that when it uses them.
 */
static int
spawn(pid_t *pid, const char *path, int log_fd, const struct launch_argv *la)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int ret;

	ret = posix_spawnattr_init(&attr);
	if (ret != 0)
		return ret;
	ret = posix_spawn_file_actions_init(&fa);
	if (ret != 0) {
		posix_spawnattr_destroy(&attr);
		return ret;
	}
	sigemptyset(&none);
	sigfillset(&all);
	/* No blocked or ignored signal of ours reaches the child; its own
	 * session, so a signal to our process group never reaches it. */
	ret = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
				       POSIX_SPAWN_SETSID);
	if (ret == 0)
		ret = posix_spawnattr_setsigmask(&attr, &none);
	if (ret == 0)
		ret = posix_spawnattr_setsigdefault(&attr, &all);
	if (ret == 0)
		ret = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (ret == 0)
		ret = posix_spawn_file_actions_adddup2(&fa, log_fd, STDOUT_FILENO);
	if (ret == 0)
		ret = posix_spawn_file_actions_adddup2(&fa, log_fd, STDERR_FILENO);
	/* Our control socket, hugepage and DPDK fds stay ours. */
	if (ret == 0)
		ret = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	if (ret == 0)
		ret = posix_spawn(pid, path, &fa, &attr, (char *const *)la->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return ret;
}

/*
 * spawn() with ctx->cpus as the calling thread's affinity for the time of
 * the call: the child inherits this thread's, which rte_eal_init narrowed
 * to the main lcore; it gets the one spp_primary started with, from which
 * its own EAL computes its control threads' cpuset.
 * Returns 0, or an errno with the reason in err.
 */
static int
spawn_unpinned(const struct launch_ctx *ctx, pid_t *pid, const char *path, int log_fd,
	       const struct launch_argv *la, char *err, size_t err_size)
{
	pthread_t self = pthread_self();
	cpu_set_t mine;
	int ret;

	if (CPU_COUNT(&ctx->cpus) == 0) {
		/* Not known (launch_init): the child gets this thread's. */
		ret = spawn(pid, path, log_fd, la);
	} else {
		ret = pthread_getaffinity_np(self, sizeof(mine), &mine);
		if (ret == 0)
			ret = pthread_setaffinity_np(self, sizeof(ctx->cpus), &ctx->cpus);
		if (ret != 0)
			return fail(err, err_size, ret,
				    "cannot give %s the CPU affinity of spp_primary: %s",
				    la->name, strerror(ret));
		ret = spawn(pid, path, log_fd, la);
		/* Back to the main lcore's CPUs, ours a moment ago. */
		pthread_setaffinity_np(self, sizeof(mine), &mine);
	}
	if (ret != 0)
		fail(err, err_size, ret, "cannot start %s: %s", path, strerror(ret));
	return ret;
}

pid_t
launch_spawn(struct launch_ctx *ctx, const struct launch_argv *la, char *err, size_t err_size)
{
	char path[PATH_MAX], log[PATH_MAX];
	pid_t pid = 0;
	int fd, ret, n;

	if (la->client_id < 1 || la->client_id >= SPP_MAX_CLIENTS)
		return fail(err, err_size, -EINVAL, "invalid client id %u", la->client_id);
	ret = launch_resolve(ctx, la->name, path, sizeof(path));
	if (ret < 0)
		return fail(err, err_size, ret, "cannot find %s next to spp_primary (%s): %s",
			    la->name, path, strerror(-ret));
	ret = make_dir(ctx->log_dir);
	if (ret < 0)
		return fail(err, err_size, ret, "cannot create log directory %s: %s",
			    ctx->log_dir, strerror(-ret));
	n = snprintf(log, sizeof(log), "%s/%s-%u.log", ctx->log_dir, la->name, la->client_id);
	if (n < 0 || (size_t)n >= sizeof(log))
		return fail(err, err_size, -ENAMETOOLONG, "log file name too long in %s",
			    ctx->log_dir);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0640);
	if (fd < 0) {
		ret = -errno;
		return fail(err, err_size, ret, "cannot open log file %s: %s", log,
			    strerror(-ret));
	}
	log_header(fd, path, la);
	ret = spawn_unpinned(ctx, &pid, path, fd, la, err, err_size);
	if (ret != 0)
		dprintf(fd, "spp_primary: launch failed: %s\n", err);
	close(fd);
	if (ret != 0)
		return -ret;
	ctx->children[la->client_id] = pid;
	return pid;
}

int
launch_reap(struct launch_ctx *ctx)
{
	int reaped = 0;

	for (unsigned int id = 1; id < SPP_MAX_CLIENTS; id++) {
		pid_t pid = ctx->children[id];
		int status = 0;
		pid_t r;

		if (pid <= 0)
			continue;
		r = waitpid(pid, &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		/* r < 0 (ECHILD): already reaped, e.g. SIGCHLD ignored. */
		ctx->children[id] = 0;
		reaped++;
		if (r == pid && ctx->on_exit != NULL)
			ctx->on_exit(ctx->arg, id, pid, status);
	}
	return reaped;
}

pid_t
launch_child(const struct launch_ctx *ctx, unsigned int client_id)
{
	return client_id < SPP_MAX_CLIENTS ? ctx->children[client_id] : 0;
}
