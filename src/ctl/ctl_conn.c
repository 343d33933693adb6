/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "ctl_conn.h"
#include "ctl_frame.h"
#include "ctl_log.h"

#define MAX_CLIENT_ID		127
#define MAX_REGISTERING		64		/* connections still in registration */
#define READ_CHUNK		65536
#define MAX_REPLY_SIZE		(256u << 20)	/* a reply larger than this is an error */
#define THREAD_STACK		(256 * 1024)

struct proc {
	int fd;
	enum ctl_ptype type;
	unsigned int id;
	char peer[64];
	int refs;			/* atomic: reader thread, table, commands */
	pthread_mutex_t cmd_lock;	/* one outstanding command */
	pthread_mutex_t mu;		/* the fields below */
	pthread_cond_t cond;
	bool waiting;			/* a command waits for its reply */
	char *reply;			/* handed over by the reader */
	bool dead;
	json_t *replay_errors;		/* written before the process is listed */
	/* Reader only. */
	char *buf;
	size_t len, cap;
	struct ctl_frame frame;
};

struct history {
	enum ctl_ptype type;
	char **cmds;
	size_t nb, cap;
};

static struct ctl_conn_opts opts;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct proc *primary;			/* table_lock */
static struct proc *secs[MAX_CLIENT_ID + 1];	/* table_lock */
static pthread_mutex_t hist_lock = PTHREAD_MUTEX_INITIALIZER;
static struct history hist[MAX_CLIENT_ID + 1];	/* hist_lock */
static int nb_registering;			/* atomic */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
proc_name(const struct proc *p, char *buf, size_t size)
{
	if (p->type == CTL_PRIMARY)
		snprintf(buf, size, "primary (%s)", p->peer);
	else if (p->id == 0)
		snprintf(buf, size, "secondary (%s)", p->peer);
	else
		snprintf(buf, size, "%s %u (%s)", ctl_ptype_name(p->type), p->id, p->peer);
	return buf;
}

/* --- life cycle --- */

static struct proc *
proc_create(int fd, enum ctl_ptype type)
{
	struct proc *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	if (p == NULL)
		return NULL;
	p->fd = fd;
	p->type = type;
	p->refs = 1;
	pthread_mutex_init(&p->cmd_lock, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	ctl_frame_reset(&p->frame);
	if (getpeername(fd, (struct sockaddr *)&sa, &sl) == 0 && sa.sin_family == AF_INET) {
		char ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
		snprintf(p->peer, sizeof(p->peer), "%s:%u", ip, ntohs(sa.sin_port));
	} else {
		snprintf(p->peer, sizeof(p->peer), "fd %d", fd);
	}
	return p;
}

static void
proc_ref(struct proc *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
}

static void
proc_unref(struct proc *p)
{
	if (p == NULL || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	close(p->fd);
	free(p->reply);
	free(p->buf);
	json_decref(p->replay_errors);
	pthread_mutex_destroy(&p->cmd_lock);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cond);
	free(p);
}

/* Mark dead and shut the socket: the reader sees EOF and cleans up. */
static void
proc_kill(struct proc *p)
{
	pthread_mutex_lock(&p->mu);
	p->dead = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
	shutdown(p->fd, SHUT_RDWR);
}

static struct proc **
slot_of(enum ctl_ptype type, unsigned int id)
{
	if (type == CTL_PRIMARY)
		return &primary;
	if (id < 1 || id > MAX_CLIENT_ID)
		return NULL;
	return &secs[id];
}

/* Drop p from the table if it is still there. */
static void
table_remove(struct proc *p)
{
	struct proc **slot;
	bool removed = false;

	pthread_mutex_lock(&table_lock);
	slot = slot_of(p->type, p->id);
	if (slot != NULL && *slot == p) {
		*slot = NULL;
		removed = true;
	}
	pthread_mutex_unlock(&table_lock);
	if (removed)
		proc_unref(p);
}

/* The registered process (type, id) with a reference, or NULL. */
static struct proc *
lookup(enum ctl_ptype type, unsigned int id, bool remove)
{
	struct proc **slot, *p = NULL;

	pthread_mutex_lock(&table_lock);
	slot = slot_of(type, id);
	if (slot != NULL && *slot != NULL && (*slot)->type == type) {
		p = *slot;
		if (remove)
			*slot = NULL;	/* the table's reference becomes ours */
		else
			proc_ref(p);
	}
	pthread_mutex_unlock(&table_lock);
	return p;
}

/* --- I/O --- */

static int
send_all(int fd, const char *data, size_t size)
{
	while (size > 0) {
		ssize_t n = send(fd, data, size, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

static int
send_command(struct proc *p, const char *cmd)
{
	size_t len = strlen(cmd);
	char *line = malloc(len + 2);
	int ret;

	if (line == NULL)
		return -ENOMEM;
	memcpy(line, cmd, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	ret = send_all(p->fd, line, len + 1);
	free(line);
	return ret;
}

/*
 * Read until one complete JSON value (SPEC §4.3); deadline_ms < 0: none.
 * Returns 0 with *out (malloc'd), -ETIMEDOUT, -ECONNRESET (EOF), -EPROTO
 * (not JSON) or another -errno. Reader only.
 */
static int
read_value(struct proc *p, int64_t deadline_ms, char **out)
{
	for (;;) {
		size_t begin, end;
		enum ctl_frame_result r;
		int timeout = -1;
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		ssize_t n;

		r = ctl_frame_scan(&p->frame, p->buf, p->len, &begin, &end);
		if (r == CTL_FRAME_DONE) {
			*out = strndup(p->buf + begin, end - begin);
			memmove(p->buf, p->buf + end, p->len - end);
			p->len -= end;
			ctl_frame_reset(&p->frame);
			return *out != NULL ? 0 : -ENOMEM;
		}
		if (r == CTL_FRAME_BAD)
			return -EPROTO;
		if (!p->frame.started) {
			/* Only blanks so far: nothing worth keeping. */
			p->len = 0;
			ctl_frame_reset(&p->frame);
		}
		if (deadline_ms >= 0) {
			int64_t left = deadline_ms - now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			timeout = (int)left;
		}
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (p->cap - p->len < READ_CHUNK) {
			size_t cap = p->cap ? p->cap * 2 : READ_CHUNK * 2;
			char *buf;

			if (cap > MAX_REPLY_SIZE)
				return -EMSGSIZE;
			buf = realloc(p->buf, cap);
			if (buf == NULL)
				return -ENOMEM;
			p->buf = buf;
			p->cap = cap;
		}
		n = recv(p->fd, p->buf + p->len, p->cap - p->len, 0);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p->len += (size_t)n;
	}
}

/* Send and read the reply in the calling (reader) thread; registration only. */
static int
sync_command(struct proc *p, const char *cmd, unsigned int timeout_ms, json_t **reply)
{
	char *text;
	int ret;

	ret = send_command(p, cmd);
	if (ret < 0)
		return ret;
	ret = read_value(p, now_ms() + timeout_ms, &text);
	if (ret < 0)
		return ret;
	*reply = json_loads(text, 0, NULL);
	free(text);
	return *reply != NULL ? 0 : -EPROTO;
}

/* --- replay history (SPEC §4.4) --- */

static bool
replayable(const char *cmd)
{
	static const char *const heads[] = {
		"component ", "port ", "classifier_table ", "capture ",
	};

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strncmp(cmd, heads[i], strlen(heads[i])) == 0)
			return true;
	return false;
}

static const char *
sec_result(const json_t *reply, const char **message)
{
	const json_t *first = json_array_get(json_object_get(reply, "results"), 0);

	if (message != NULL)
		*message = json_string_value(json_object_get(json_object_get(first,
						"error_details"), "message"));
	return json_string_value(json_object_get(first, "result"));
}

static void
history_clear_locked(struct history *h)
{
	for (size_t i = 0; i < h->nb; i++)
		free(h->cmds[i]);
	free(h->cmds);
	memset(h, 0, sizeof(*h));
}

static void
history_clear(unsigned int id)
{
	pthread_mutex_lock(&hist_lock);
	history_clear_locked(&hist[id]);
	pthread_mutex_unlock(&hist_lock);
}

static void
history_add(const struct proc *p, const char *cmd)
{
	struct history *h = &hist[p->id];

	pthread_mutex_lock(&hist_lock);
	if (h->nb > 0 && h->type != p->type)
		history_clear_locked(h);
	h->type = p->type;
	if (h->nb == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		char **cmds = realloc(h->cmds, cap * sizeof(*cmds));

		if (cmds == NULL)
			goto out;
		h->cmds = cmds;
		h->cap = cap;
	}
	h->cmds[h->nb] = strdup(cmd);
	if (h->cmds[h->nb] != NULL)
		h->nb++;
out:
	pthread_mutex_unlock(&hist_lock);
}

/* A copy of the history of (type, id); *nb 0 if none. */
static char **
history_copy(enum ctl_ptype type, unsigned int id, size_t *nb)
{
	struct history *h = &hist[id];
	char **copy = NULL;

	*nb = 0;
	pthread_mutex_lock(&hist_lock);
	if (h->nb > 0 && h->type == type && (copy = calloc(h->nb, sizeof(*copy))) != NULL) {
		for (size_t i = 0; i < h->nb; i++)
			copy[i] = strdup(h->cmds[i]);
		*nb = h->nb;
	}
	pthread_mutex_unlock(&hist_lock);
	return copy;
}

/* No component and no classifier entry: a process that (re)started empty. */
static bool
is_fresh(const json_t *status)
{
	const json_t *info = json_object_get(status, "info");
	const json_t *core;
	size_t i;

	if (!json_is_object(info))
		return false;
	json_array_foreach(json_object_get(info, "core"), i, core)
		if (json_object_get(core, "name") != NULL)
			return false;
	return json_array_size(json_object_get(info, "classifier_table")) == 0;
}

/* Replay the history of p's id if p is fresh. Returns 0 or an I/O error. */
static int
replay(struct proc *p)
{
	char name[128];
	size_t nb;
	char **cmds = history_copy(p->type, p->id, &nb);
	json_t *status = NULL;
	int ret = 0;

	if (nb == 0)
		return 0;
	ret = sync_command(p, "status", opts.cmd_timeout_ms, &status);
	if (ret < 0)
		goto out;
	if (!is_fresh(status)) {
		CTL_LOG(INFO, "%s is configured: no replay", proc_name(p, name, sizeof(name)));
		goto out;
	}
	CTL_LOG(INFO, "%s: replaying %zu commands", proc_name(p, name, sizeof(name)), nb);
	for (size_t i = 0; i < nb; i++) {
		const char *result, *message;
		json_t *reply;

		if (cmds[i] == NULL)
			continue;
		ret = sync_command(p, cmds[i], opts.cmd_timeout_ms, &reply);
		if (ret < 0)
			goto out;
		result = sec_result(reply, &message);
		if (result == NULL || strcmp(result, "success") != 0) {
			CTL_LOG(WARNING, "%s: replay of '%s' failed: %s", name, cmds[i],
				message != NULL ? message : "(no message)");
			if (p->replay_errors == NULL)
				p->replay_errors = json_array();
			json_array_append_new(p->replay_errors, json_pack("{s:s,s:s}",
				"command", cmds[i], "message",
				message != NULL ? message : "unexpected reply"));
		}
		json_decref(reply);
	}
out:
	json_decref(status);
	for (size_t i = 0; i < nb; i++)
		free(cmds[i]);
	free(cmds);
	return ret;
}

/* --- registration --- */

/*
 * _get_client_id (SPEC §4.2), conflicts, replay, then listing. Returns 0
 * once p is in the table (with a table reference), or -1 (p not listed).
 */
static int
register_secondary(struct proc *p)
{
	char name[128];
	json_t *reply = NULL;
	const json_t *cid;
	const char *result, *type;
	struct proc *old = NULL;
	int ret;

	ret = sync_command(p, "_get_client_id", opts.reg_timeout_ms, &reply);
	if (ret < 0) {
		CTL_LOG(WARNING, "%s: no registration reply (%s): closed",
			proc_name(p, name, sizeof(name)), strerror(-ret));
		return -1;
	}
	result = sec_result(reply, NULL);
	cid = json_object_get(reply, "client_id");
	type = json_string_value(json_object_get(reply, "process_type"));
	if (result == NULL || strcmp(result, "success") != 0 || !json_is_integer(cid) ||
	    json_integer_value(cid) < 1 || json_integer_value(cid) > MAX_CLIENT_ID ||
	    type == NULL || (strcmp(type, "vf") != 0 && strcmp(type, "mirror") != 0)) {
		char *text = json_dumps(reply, JSON_COMPACT);

		CTL_LOG(WARNING, "%s: bad registration reply %s: closed",
			proc_name(p, name, sizeof(name)), text != NULL ? text : "?");
		free(text);
		json_decref(reply);
		return -1;
	}
	p->id = (unsigned int)json_integer_value(cid);
	p->type = strcmp(type, "vf") == 0 ? CTL_VF : CTL_MIRROR;
	json_decref(reply);

	/* Same type: the old connection goes; other type: refused while open. */
	pthread_mutex_lock(&table_lock);
	if (secs[p->id] != NULL && secs[p->id]->type != p->type) {
		enum ctl_ptype holder = secs[p->id]->type;

		pthread_mutex_unlock(&table_lock);
		CTL_LOG(WARNING, "%s: id used by a live %s: refused",
			proc_name(p, name, sizeof(name)), ctl_ptype_name(holder));
		return -1;
	}
	old = secs[p->id];
	secs[p->id] = NULL;
	pthread_mutex_unlock(&table_lock);
	if (old != NULL) {
		CTL_LOG(INFO, "%s replaces its old connection (%s)",
			proc_name(p, name, sizeof(name)), old->peer);
		proc_kill(old);
		proc_unref(old);
	}

	if (opts.replay && (ret = replay(p)) < 0) {
		CTL_LOG(WARNING, "%s: replay broke off (%s): closed",
			proc_name(p, name, sizeof(name)), strerror(-ret));
		return -1;
	}

	pthread_mutex_lock(&table_lock);
	old = secs[p->id];
	if (old != NULL && old->type != p->type) {
		pthread_mutex_unlock(&table_lock);
		CTL_LOG(WARNING, "%s: id taken meanwhile: refused",
			proc_name(p, name, sizeof(name)));
		return -1;
	}
	proc_ref(p);
	secs[p->id] = p;
	pthread_mutex_unlock(&table_lock);
	if (old != NULL) {
		proc_kill(old);
		proc_unref(old);
	}
	CTL_LOG(INFO, "%s registered", proc_name(p, name, sizeof(name)));
	return 0;
}

static void
register_primary(struct proc *p)
{
	char name[128];
	struct proc *old;

	proc_ref(p);
	pthread_mutex_lock(&table_lock);
	old = primary;
	primary = p;
	pthread_mutex_unlock(&table_lock);
	if (old != NULL) {
		CTL_LOG(INFO, "new primary connection %s replaces %s", p->peer, old->peer);
		proc_kill(old);
		proc_unref(old);
	}
	CTL_LOG(INFO, "%s connected", proc_name(p, name, sizeof(name)));
}

/* --- connection thread --- */

static void *
conn_main(void *arg)
{
	struct proc *p = arg;
	char name[128];
	int ret;

	if (p->type == CTL_PRIMARY) {
		register_primary(p);
	} else {
		ret = register_secondary(p);
		__atomic_sub_fetch(&nb_registering, 1, __ATOMIC_RELAXED);
		if (ret < 0) {
			proc_kill(p);
			proc_unref(p);
			return NULL;
		}
	}
	for (;;) {
		char *text;

		ret = read_value(p, -1, &text);
		if (ret < 0)
			break;
		pthread_mutex_lock(&p->mu);
		if (p->waiting && p->reply == NULL) {
			p->reply = text;
			pthread_cond_broadcast(&p->cond);
			text = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		if (text != NULL) {
			CTL_LOG(WARNING, "%s: unsolicited data discarded: %.80s",
				proc_name(p, name, sizeof(name)), text);
			free(text);
		}
	}
	table_remove(p);
	proc_kill(p);
	if (ret == -ECONNRESET)
		CTL_LOG(INFO, "%s disconnected: removed", proc_name(p, name, sizeof(name)));
	else
		CTL_LOG(WARNING, "%s: %s: removed", proc_name(p, name, sizeof(name)),
			ret == -EPROTO ? "reply is not JSON" : strerror(-ret));
	proc_unref(p);
	return NULL;
}

static int
spawn(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	ret = pthread_create(&tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return -ret;
}

struct listener {
	int fd;
	enum ctl_ptype type;
};

static void *
accept_main(void *arg)
{
	struct listener *l = arg;

	for (;;) {
		int one = 1, fd;
		struct proc *p;

		fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				CTL_LOG(WARNING, "accept: %s", strerror(errno));
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) {
				struct timespec ts = { 0, 100 * 1000 * 1000 };

				nanosleep(&ts, NULL);
			}
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (l->type != CTL_PRIMARY &&
		    __atomic_add_fetch(&nb_registering, 1, __ATOMIC_RELAXED) > MAX_REGISTERING) {
			__atomic_sub_fetch(&nb_registering, 1, __ATOMIC_RELAXED);
			CTL_LOG(WARNING, "too many connections registering: one closed");
			close(fd);
			continue;
		}
		p = proc_create(fd, l->type);
		if (p == NULL || spawn(conn_main, p) < 0) {
			CTL_LOG(ERROR, "no memory or thread for a new connection: closed");
			if (l->type != CTL_PRIMARY)
				__atomic_sub_fetch(&nb_registering, 1, __ATOMIC_RELAXED);
			if (p != NULL)
				proc_unref(p);
			else
				close(fd);
		}
	}
	return NULL;
}

int
ctl_conn_start(const struct ctl_conn_opts *o, int pri_fd, int sec_fd)
{
	static struct listener ls[2];
	int ret;

	opts = *o;
	ls[0] = (struct listener){ pri_fd, CTL_PRIMARY };
	ls[1] = (struct listener){ sec_fd, CTL_VF };
	for (int i = 0; i < 2; i++) {
		ret = spawn(accept_main, &ls[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* --- backend --- */

bool
ctl_conn_exists(void *ctx, enum ctl_ptype type, unsigned int id)
{
	struct proc *p = lookup(type, id, false);

	(void)ctx;
	proc_unref(p);
	return p != NULL;
}

int
ctl_conn_command(void *ctx, enum ctl_ptype type, unsigned int id, const char *cmd,
		 unsigned int flags, json_t **reply)
{
	bool remove = flags & CTL_CMD_REMOVE_FIRST;
	struct proc *p;
	char name[128], *text = NULL;
	struct timespec deadline;
	int64_t dl;
	int ret = 0;

	(void)ctx;
	p = lookup(type, id, remove);
	if (p == NULL)
		return -ENOENT;
	if (remove && type != CTL_PRIMARY && strcmp(cmd, "exit") == 0)
		history_clear(id);
	proc_name(p, name, sizeof(name));
	pthread_mutex_lock(&p->cmd_lock);
	pthread_mutex_lock(&p->mu);
	if (p->dead) {
		pthread_mutex_unlock(&p->mu);
		ret = remove ? -ECONNRESET : -EIO;
		goto unlock;
	}
	p->waiting = true;
	free(p->reply);
	p->reply = NULL;
	pthread_mutex_unlock(&p->mu);

	CTL_LOG(DEBUG, "%s <- %s", name, cmd);
	if (send_command(p, cmd) < 0) {
		CTL_LOG(WARNING, "%s: send failed: removed", name);
		ret = remove ? -ECONNRESET : -EIO;
		table_remove(p);
		proc_kill(p);
		pthread_mutex_lock(&p->mu);
		goto done;
	}
	dl = now_ms() + opts.cmd_timeout_ms;
	deadline.tv_sec = dl / 1000;
	deadline.tv_nsec = (dl % 1000) * 1000000;
	pthread_mutex_lock(&p->mu);
	while (p->reply == NULL && !p->dead) {
		if (pthread_cond_timedwait(&p->cond, &p->mu, &deadline) == ETIMEDOUT &&
		    p->reply == NULL) {
			CTL_LOG(WARNING, "%s: no reply to '%s' within %u ms: removed", name, cmd,
				opts.cmd_timeout_ms);
			pthread_mutex_unlock(&p->mu);
			table_remove(p);
			proc_kill(p);
			pthread_mutex_lock(&p->mu);
			ret = -EIO;
			goto done;
		}
	}
	if (p->reply != NULL) {
		text = p->reply;
		p->reply = NULL;
	} else {
		ret = remove ? -ECONNRESET : -EIO;
	}
done:
	p->waiting = false;
	pthread_mutex_unlock(&p->mu);
	if (text != NULL) {
		CTL_LOG(DEBUG, "%s -> %.200s", name, text);
		*reply = json_loads(text, 0, NULL);
		free(text);
		if (*reply == NULL) {
			CTL_LOG(WARNING, "%s: reply to '%s' is not JSON: removed", name, cmd);
			table_remove(p);
			proc_kill(p);
			ret = -EIO;
		} else if (opts.replay && type != CTL_PRIMARY && replayable(cmd)) {
			const char *result = sec_result(*reply, NULL);

			/* Under cmd_lock: the history keeps the execution order. */
			if (result != NULL && strcmp(result, "success") == 0)
				history_add(p, cmd);
		}
	}
unlock:
	pthread_mutex_unlock(&p->cmd_lock);
	proc_unref(p);
	return ret;
}

json_t *
ctl_conn_processes(void *ctx)
{
	json_t *list = json_array();

	(void)ctx;
	pthread_mutex_lock(&table_lock);
	if (primary != NULL)
		json_array_append_new(list, json_pack("{s:s}", "type", "primary"));
	for (unsigned int id = 1; id <= MAX_CLIENT_ID; id++) {
		struct proc *p = secs[id];
		json_t *o;

		if (p == NULL)
			continue;
		o = json_pack("{s:s,s:I}", "type", ctl_ptype_name(p->type), "client-id",
			      (json_int_t)id);
		if (json_array_size(p->replay_errors) > 0)
			json_object_set(o, "replay_errors", p->replay_errors);
		json_array_append_new(list, o);
	}
	pthread_mutex_unlock(&table_lock);
	return list;
}
