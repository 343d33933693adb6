/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "spp_cmd.h"
#include "spp_ctlconn.h"
#include "spp_drop_watch.h"
#include "spp_log.h"
#include "spp_manager.h"
#include "spp_reply.h"
#include "spp_setup.h"
#include "spp_shm.h"
#include "spp_vhost.h"

#define PRIMARY_CHECK_NS	1000000000ull
#define POLL_TIMEOUT_MS		100
/*
 * While captures run the manager drains their rings at least this often:
 * a 4 MiB ring then holds 10 ms of 5 Mpps of 64-byte frames, 80 bytes a
 * record (SPEC §9.4).
 */
#define CAPTURE_POLL_MS		10

struct app_opts {
	long client_id;			/* -1 until given */
	struct sockaddr_in ctl_addr;
	bool ctl_given;
	uint32_t update_timeout_ms;
	uint32_t idle_sleep_us;
	uint8_t copy_mode;
	uint32_t mirror_pool_size;
	bool vhost_client;
	const char *vhost_sock_prefix;
	uint16_t vhost_queues;
	const char *capture_dir;	/* NULL: SPP_CAPTURE_DIR_DEFAULT */
	bool standalone;
	struct spp_setup_opts setup;
	bool setup_opt_given;
};

struct manager {
	const struct spp_app_desc *app;
	struct app_opts opts;
	struct spp_shared_info *shm;
	uint64_t owner;
	struct spp_stats_region *stats_region;	/* this client id's counters */
	struct spp_drop_watch drop_watch;	/* rate-limited drop warnings */
	struct spp_port_env env;
	struct spp_model *model;
	struct spp_model *next;
	struct spp_port_table ports;
	struct spp_dataplane dp;
	struct spp_ctlconn conn;
	bool exit_requested;
	int exit_code;
};

static volatile sig_atomic_t signal_received;

static void
on_signal(int sig)
{
	signal_received = sig;
}

static void
usage(const struct spp_app_desc *app, FILE *f)
{
	fprintf(f,
		"Usage: %s <EAL options> --proc-type=secondary -- --client-id ID -s IP:PORT\n"
		"           [--update-timeout-ms N] [--idle-sleep-us N] [--vhost-client]\n"
		"           [--vhost-sock-prefix P] [--vhost-queues Q] [--capture-dir DIR]%s\n"
		"       %s <EAL options> -- --standalone -p PORTMASK -n NUM_RINGS\n"
		"           [--port-num PORT rxq R txq T]... [--ring-size N] [--ring-sync mpmc|rts]\n"
		"           [--nb-mbufs N] --client-id ID -s IP:PORT [options above]\n",
		app->name, app->is_mirror ? " [--copy-mode shallow|deep] [--mirror-pool-size N]" : "",
		app->name);
}

static int
parse_uint_opt(const char *opt, const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	if (spp_parse_uint(v, max, out) < 0 || *out < min) {
		fprintf(stderr, "invalid value for %s: '%s' (%" PRIu64 "..%" PRIu64 ")\n", opt,
			v != NULL ? v : "", min, max);
		return -1;
	}
	return 0;
}

/* Application options after "--" (SPEC §2.2). Returns 0, or -1 after one line on stderr. */
static int
parse_app_args(const struct spp_app_desc *app, struct app_opts *o, int argc, char **argv)
{
	uint64_t v;

	o->client_id = -1;
	o->update_timeout_ms = 1000;
	o->mirror_pool_size = 8191;
	o->vhost_sock_prefix = SPP_VHOST_SOCK_PREFIX;
	o->vhost_queues = 1;
	spp_setup_opts_init(&o->setup);
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r;

		if (strcmp(opt, "--client-id") == 0) {
			if (parse_uint_opt(opt, val, 1, SPP_MAX_CLIENTS - 1, &v) < 0)
				return -1;
			o->client_id = (long)v;
			i++;
		} else if (strcmp(opt, "-s") == 0) {
			if (spp_ctlconn_parse_addr(val, &o->ctl_addr) < 0)
				return -1;
			o->ctl_given = true;
			i++;
		} else if (strcmp(opt, "--update-timeout-ms") == 0) {
			if (parse_uint_opt(opt, val, 10, 5000, &v) < 0)
				return -1;
			o->update_timeout_ms = (uint32_t)v;
			i++;
		} else if (strcmp(opt, "--idle-sleep-us") == 0) {
			if (parse_uint_opt(opt, val, 0, 10000, &v) < 0)
				return -1;
			o->idle_sleep_us = (uint32_t)v;
			i++;
		} else if (app->is_mirror && strcmp(opt, "--copy-mode") == 0) {
			if (val != NULL && strcmp(val, "shallow") == 0) {
				o->copy_mode = SPP_COPY_SHALLOW;
			} else if (val != NULL && strcmp(val, "deep") == 0) {
				o->copy_mode = SPP_COPY_DEEP;
			} else {
				fprintf(stderr, "invalid value for --copy-mode: '%s'\n",
					val != NULL ? val : "");
				return -1;
			}
			i++;
		} else if (app->is_mirror && strcmp(opt, "--mirror-pool-size") == 0) {
			if (parse_uint_opt(opt, val, 1023, 1048575, &v) < 0)
				return -1;
			o->mirror_pool_size = (uint32_t)v;
			i++;
		} else if (strcmp(opt, "--vhost-client") == 0) {
			o->vhost_client = true;
		} else if (strcmp(opt, "--vhost-queues") == 0) {
			if (parse_uint_opt(opt, val, 1, SPP_MAX_QUEUES, &v) < 0)
				return -1;
			o->vhost_queues = (uint16_t)v;
			i++;
		} else if (strcmp(opt, "--vhost-sock-prefix") == 0 ||
			   strcmp(opt, "--capture-dir") == 0) {
			bool vhost = strcmp(opt, "--vhost-sock-prefix") == 0;
			size_t max = vhost ? 100 : 4095;

			if (val == NULL || val[0] != '/' || strlen(val) > max) {
				fprintf(stderr, "invalid value for %s: an absolute path of at most "
					"%zu bytes\n", opt, max);
				return -1;
			}
			if (vhost)
				o->vhost_sock_prefix = val;
			else
				o->capture_dir = val;
			i++;
		} else if (strcmp(opt, "--standalone") == 0) {
			o->standalone = true;
		} else if ((r = spp_setup_parse_opt(&o->setup, argc, argv, &i)) != 0) {
			if (r < 0)
				return -1;
			o->setup_opt_given = true;
		} else {
			fprintf(stderr, "unknown option '%s' (see %s --help)\n", opt, app->name);
			return -1;
		}
	}
	if (o->client_id < 0 || !o->ctl_given) {
		fprintf(stderr, "--client-id ID and -s IP:PORT are required\n");
		return -1;
	}
	if (o->setup_opt_given && !o->standalone) {
		fprintf(stderr, "-p, -n, --port-num, --ring-* and --nb-mbufs need --standalone\n");
		return -1;
	}
	if (o->standalone && spp_setup_check_opts(&o->setup) < 0)
		return -1;
	return 0;
}

/* ---- start-up (SPEC §1.5 step 2, §2.2) ---- */

static int
attach_shared_info(struct manager *mgr, uint64_t t0)
{
	const struct rte_memzone *mz = rte_memzone_lookup(SPP_SHM_NAME);
	struct spp_shared_info *shm;
	uint64_t ready;

	if (mz == NULL) {
		fprintf(stderr, "no %s: is spp_primary running with this --file-prefix?\n",
			SPP_SHM_NAME);
		return -1;
	}
	shm = mz->addr;
	if (shm->magic != SPP_SHM_MAGIC || shm->version != SPP_SHM_VERSION) {
		fprintf(stderr, "%s has another layout: spp_primary is of another build\n",
			SPP_SHM_NAME);
		return -1;
	}
	if (shm->standalone) {
		fprintf(stderr, "the primary is a --standalone process; nothing may attach to it\n");
		return -1;
	}
	ready = __atomic_load_n(&shm->ready_ns, __ATOMIC_ACQUIRE);
	if (ready == 0 || ready > t0) {
		fprintf(stderr, "spp_primary was not ready when this process started; "
			"start it again\n");
		return -1;
	}
	for (uint32_t n = 0; n < shm->nb_phy; n++) {
		char name[RTE_ETH_NAME_MAX_LEN];
		uint16_t id = shm->phy[n].ethdev_id;

		if (!rte_eth_dev_is_valid_port(id) ||
		    rte_eth_dev_get_name_by_port(id, name) != 0 ||
		    strcmp(name, shm->phy[n].name) != 0) {
			fprintf(stderr, "phy:%u (%s) is not probed in this process; "
				"give it the primary's device options\n", n, shm->phy[n].name);
			return -1;
		}
	}
	mgr->shm = shm;
	return 0;
}

static int
take_startup_claims(struct manager *mgr)
{
	struct spp_shared_info *shm = mgr->shm;
	unsigned int lcore;
	uint64_t holder;

	if (spp_claim(&shm->client_slots[mgr->opts.client_id], mgr->owner, &holder) < 0) {
		fprintf(stderr, "client id %ld is already used by pid %u\n", mgr->opts.client_id,
			spp_owner_pid(holder));
		return -1;
	}
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (spp_claim(&shm->lcore_claims[lcore], mgr->owner, &holder) < 0) {
			uint16_t c = spp_owner_client(holder);

			if (c == SPP_PRIMARY_CLIENT_ID)
				fprintf(stderr, "lcore %u is already used by spp_primary\n", lcore);
			else
				fprintf(stderr, "lcore %u is already used by client %u\n", lcore, c);
			return -1;
		}
	}
	return 0;
}

/*
 * This client id's counter region, reset for this process (SPEC §9.1: zero
 * at process start). After the client slot claim: no other live process
 * runs as this id, so nobody else writes the region. Returns 0 or -1.
 */
static int
open_stats_region(struct manager *mgr)
{
	uint16_t id = (uint16_t)mgr->opts.client_id;

	mgr->stats_region = spp_stats_region_obtain(id);
	if (mgr->stats_region == NULL) {
		fprintf(stderr, "cannot obtain the counter region " SPP_STATS_NAME_FMT ": %s\n",
			id, rte_strerror(rte_errno));
		return -1;
	}
	spp_stats_region_reset(mgr->stats_region, id, mgr->app->process_type, mgr->owner);
	return 0;
}

static bool
claimed_elsewhere(void *ctx, const struct spp_port_id *id, enum spp_dir dir)
{
	struct manager *mgr = ctx;

	return spp_claimed_by_other(spp_queue_claim(mgr->shm, id, dir), mgr->owner);
}

static bool
vhost_elsewhere(void *ctx, uint16_t num)
{
	struct manager *mgr = ctx;

	return spp_claimed_by_other(&mgr->shm->vhost_claims[num], mgr->owner);
}

static const char *
capture_dir(const struct manager *mgr)
{
	return mgr->opts.capture_dir != NULL ? mgr->opts.capture_dir : SPP_CAPTURE_DIR_DEFAULT;
}

/* [EXT] FILE already in --capture-dir (SPEC §9.4 step 4)? */
static bool
capture_file_exists(void *ctx, const char *file)
{
	struct manager *mgr = ctx;
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", capture_dir(mgr), file) >= (int)sizeof(path))
		return false;
	return lstat(path, &st) == 0;
}

static void
fill_env(struct manager *mgr)
{
	struct spp_port_env *env = &mgr->env;
	unsigned int lcore;

	memset(env, 0, sizeof(*env));
	env->client_id = (uint16_t)mgr->opts.client_id;
	env->main_lcore = (uint16_t)rte_get_main_lcore();
	RTE_LCORE_FOREACH_WORKER(lcore)
		if (lcore < SPP_MAX_LCORES)
			env->worker_lcore[lcore] = true;
	env->nb_phy = (uint16_t)mgr->shm->nb_phy;
	for (uint32_t n = 0; n < mgr->shm->nb_phy; n++) {
		env->phy_rxq[n] = mgr->shm->phy[n].rxq;
		env->phy_txq[n] = mgr->shm->phy[n].txq;
	}
	env->nb_rings = (uint16_t)mgr->shm->nb_rings;
	env->vhost_queues = mgr->opts.vhost_queues;
	for (int k = 0; k < SPP_COMP_KIND_MAX; k++)
		if (mgr->app->run_burst[k] != NULL)
			env->kinds |= 1u << k;
	env->default_copy_mode = mgr->opts.copy_mode;
	env->claimed_elsewhere = claimed_elsewhere;
	env->vhost_elsewhere = vhost_elsewhere;
	env->capture_file_exists = capture_file_exists;
	env->ctx = mgr;
}

/*
 * The copy pool of mode (SPEC §8.7): looked up first, so a restarted
 * spp_mirror with the same client id reuses it, created only if absent,
 * never freed (copies may outlive this process in rings and elsewhere).
 * Returns 0, or -1 with errno set.
 */
static int
obtain_copy_pool(struct manager *mgr, uint8_t mode)
{
	uint32_t size = mgr->opts.mirror_pool_size;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	if (mgr->dp.copy_pools[mode] != NULL)
		return 0;
	snprintf(name, sizeof(name), mode == SPP_COPY_DEEP ? SPP_MIRROR_DPOOL_FMT :
		 SPP_MIRROR_POOL_FMT, (unsigned int)mgr->opts.client_id);
	mp = rte_mempool_lookup(name);
	if (mp != NULL) {
		if (mp->size != size)
			SPP_LOG(APP, WARNING, "reusing %s with %u mbufs (--mirror-pool-size %u)",
				name, mp->size, size);
	} else {
		/* Cache <= size/16: a few lcores' caches must not hold the whole pool. */
		mp = rte_pktmbuf_pool_create(name, size, RTE_MIN(256u, size / 16), 0,
					     mode == SPP_COPY_DEEP ? RTE_MBUF_DEFAULT_BUF_SIZE : 0,
					     rte_socket_id());
		if (mp == NULL) {
			errno = rte_errno;
			return -1;
		}
		SPP_LOG(APP, INFO, "created %s with %u mbufs", name, size);
	}
	__atomic_store_n(&mgr->dp.copy_pools[mode], mp, __ATOMIC_RELEASE);
	return 0;
}

/* ---- commands (SPEC §5.10: validate, prepare, publish, commit) ---- */

static void
reply(struct manager *mgr, json_t *j)
{
	char *text = spp_reply_format(j);

	if (text == NULL) {
		SPP_LOG(APP, ERR, "cannot format a reply: out of memory");
		return;
	}
	spp_ctlconn_send(&mgr->conn, text);
	free(text);
}

static void
reply_error(struct manager *mgr, const char *cmd, const char *message, const char *detail)
{
	SPP_LOG(APP, INFO, "'%s': %s%s%s", cmd, message, detail[0] != '\0' ? ": " : "", detail);
	reply(mgr, spp_reply_error(message, detail));
}

static bool
attached_in(const struct spp_model *m, const struct spp_port_id *port, enum spp_dir dir)
{
	return spp_model_port_user(m, port, dir, NULL) >= 0;
}

typedef int (*attach_fn)(struct manager *mgr, const struct spp_attach_cfg *a,
			 enum spp_dir dir, void *arg);

/* Call fn for every attachment of m, stopping at the first error. */
static int
for_each_attach(struct manager *mgr, const struct spp_model *m, attach_fn fn, void *arg)
{
	for (int i = 0; i < m->nb_comps; i++) {
		const struct spp_comp_cfg *c = &m->comps[i];
		int ret;

		for (int k = 0; k < c->nb_rx; k++)
			if ((ret = fn(mgr, &c->rx[k], SPP_DIR_RX, arg)) != 0)
				return ret;
		for (int k = 0; k < c->nb_tx; k++)
			if ((ret = fn(mgr, &c->tx[k], SPP_DIR_TX, arg)) != 0)
				return ret;
	}
	return 0;
}

/* Claim phy queues attached in next but not in model; undo is a release. */
static int
claim_new(struct manager *mgr, const struct spp_attach_cfg *a, enum spp_dir dir, void *arg)
{
	bool undo = arg != NULL;

	if (a->port.type != SPP_PORT_PHY || attached_in(mgr->model, &a->port, dir))
		return 0;
	if (undo) {
		spp_release(spp_queue_claim(mgr->shm, &a->port, dir), mgr->owner);
		return 0;
	}
	return spp_claim(spp_queue_claim(mgr->shm, &a->port, dir), mgr->owner, NULL);
}

/* Release phy queues attached in model but no longer in next. */
static int
release_gone(struct manager *mgr, const struct spp_attach_cfg *a, enum spp_dir dir,
	     void *arg)
{
	(void)arg;
	if (a->port.type == SPP_PORT_PHY && !attached_in(mgr->next, &a->port, dir))
		spp_release(spp_queue_claim(mgr->shm, &a->port, dir), mgr->owner);
	return 0;
}

static int
prepare_port(struct manager *mgr, const struct spp_attach_cfg *a, enum spp_dir dir,
	     void *arg)
{
	const size_t size = sizeof(((struct spp_cmd_result *)0)->detail);
	char *detail = arg;
	char uid[SPP_UID_STR_SIZE];
	int len;

	(void)dir;
	/* One process owns a vhost device and its socket (SPEC §1.2). */
	if (a->port.type == SPP_PORT_VHOST &&
	    spp_claim(&mgr->shm->vhost_claims[a->port.num], mgr->owner, NULL) < 0) {
		snprintf(detail, size, "vhost:%u is owned by another process", a->port.num);
		return -1;
	}
	/* The reason follows the prefix in the same buffer. */
	len = snprintf(detail, size, "cannot use %s: ",
		       spp_uid_format(&a->port, uid, sizeof(uid)));
	if (spp_port_prepare(&mgr->ports, &a->port, detail + len, size - (size_t)len) != NULL) {
		detail[0] = '\0';
		return 0;
	}
	return -1;
}

/* A failed command leaves no vhost device, socket or claim it created. */
static void
undo_vhost(struct manager *mgr)
{
	spp_vhost_undo();
	for (uint16_t n = 0; n < SPP_MAX_VHOST; n++)
		if (spp_vhost_lookup(n) == NULL)
			spp_release(&mgr->shm->vhost_claims[n], mgr->owner);
}

static int
mark_attached(struct manager *mgr, const struct spp_attach_cfg *a, enum spp_dir dir,
	      void *arg)
{
	(void)dir;
	(void)arg;
	spp_port_lookup(&mgr->ports, &a->port)->ever_attached = true;
	return 0;
}

static bool
has_stats(const struct spp_model *m, const struct spp_comp_stats *s)
{
	for (int i = 0; i < m->nb_comps; i++)
		if (m->comps[i].stats == s)
			return true;
	return false;
}

/* Free the counter slots of components of from that are not in to. */
static void
free_dropped_stats(struct manager *mgr, const struct spp_model *from, const struct spp_model *to)
{
	for (int i = 0; i < from->nb_comps; i++)
		if (from->comps[i].stats != NULL && !has_stats(to, from->comps[i].stats))
			spp_stats_comp_free(mgr->stats_region, from->comps[i].stats);
}

/* Counter slots of new components (zero, SPEC §9.1). Returns 0 or -1 (full). */
static int
alloc_new_stats(struct manager *mgr, struct spp_model *next)
{
	for (int i = 0; i < next->nb_comps; i++) {
		struct spp_comp_cfg *c = &next->comps[i];

		if (c->stats != NULL)
			continue;
		c->stats = spp_stats_comp_alloc(mgr->stats_region, c->name, c->kind, c->lcore);
		if (c->stats == NULL)
			return -1;
	}
	return 0;
}

/* ---- capture [EXT] (SPEC §9.4): files, rings and plans ---- */

static const char *
capture_dir_name(unsigned int dirs)
{
	return dirs == SPP_CAPTURE_BOTH ? "both" : dirs == SPP_CAPTURE_RX ? "rx" : "tx";
}

static bool
model_has_capture(const struct spp_model *m, const struct spp_capture *cap)
{
	for (int i = 0; i < m->nb_captures; i++)
		if (m->captures[i].cap == cap)
			return true;
	return false;
}

/* Create the file and rings of every capture next starts. Returns 0, or -1 with res set. */
static int
create_captures(struct manager *mgr, struct spp_model *next, struct spp_cmd_result *res)
{
	for (int i = 0; i < next->nb_captures; i++) {
		struct spp_capture_cfg *c = &next->captures[i];
		char uid[SPP_UID_STR_SIZE];
		struct timespec now;

		if (c->cap != NULL)
			continue;
		clock_gettime(CLOCK_REALTIME, &now);
		struct spp_capture_params p = {
			.dir = capture_dir(mgr),
			.file = c->file,
			.if_name = spp_uid_format(&c->port, uid, sizeof(uid)),
			.dirs = c->dirs,
			.max = c->max,
			.ring_size = SPP_CAPTURE_RING_SIZE,
			.clock = {
				.ts0 = rte_get_tsc_cycles(),
				.ns0 = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec,
				.hz = rte_get_tsc_hz(),
			},
		};

		c->cap = spp_capture_create(&p, res->detail, sizeof(res->detail));
		if (c->cap == NULL) {
			res->error = SPP_ERR_OCCUR;
			return -1;
		}
		SPP_LOG(APP, INFO, "capture of %s %s to %s", uid, capture_dir_name(c->dirs),
			spp_capture_path(c->cap));
	}
	return 0;
}

/* A failed command removes the files it created (SPEC §5.10). */
static void
abort_new_captures(struct spp_model *next, const struct spp_model *model)
{
	for (int i = 0; i < next->nb_captures; i++) {
		struct spp_capture_cfg *c = &next->captures[i];

		if (c->cap != NULL && !model_has_capture(model, c->cap)) {
			spp_capture_abort(c->cap);
			c->cap = NULL;
		}
	}
}

/* Drain what is left, close the file and free the rings: no plan holds them. */
static void
close_capture(const struct spp_capture_cfg *c)
{
	uint64_t packets, drops;
	char uid[SPP_UID_STR_SIZE];
	char path[PATH_MAX];
	int ret;

	spp_capture_drain(c->cap);
	packets = spp_capture_packets(c->cap);
	drops = spp_capture_drops(c->cap);
	snprintf(path, sizeof(path), "%s", spp_capture_path(c->cap));
	ret = spp_capture_destroy(c->cap);
	if (ret == 0)
		SPP_LOG(APP, INFO, "capture of %s %s closed: %s, %" PRIu64 " packets, %" PRIu64
			" drops", spp_uid_format(&c->port, uid, sizeof(uid)),
			capture_dir_name(c->dirs), path, packets, drops);
	else
		SPP_LOG(APP, ERR, "capture of %s %s closed on an I/O error: %s: %s, %" PRIu64
			" packets", spp_uid_format(&c->port, uid, sizeof(uid)),
			capture_dir_name(c->dirs), path, strerror(-ret), packets);
}

/* Close the captures model has and next no longer has (their plans are gone). */
static void
close_dropped_captures(const struct spp_model *model, const struct spp_model *next)
{
	for (int i = 0; i < model->nb_captures; i++)
		if (model->captures[i].cap != NULL &&
		    !model_has_capture(next, model->captures[i].cap))
			close_capture(&model->captures[i]);
}

/*
 * The second lcore of a change failed: give the first, lcore, the plan of
 * the current model back. Should that fail too, its worker keeps the new
 * plan and may write into the new capture rings: they are kept for ever.
 */
static void
rollback_plan(struct manager *mgr, struct spp_model *next, int lcore)
{
	struct spp_plan *plan = spp_plan_build(&mgr->dp, mgr->model, (unsigned int)lcore,
					       &mgr->ports);

	if (plan != NULL && spp_plan_publish(&mgr->dp, (unsigned int)lcore, plan) == 0)
		return;
	spp_plan_destroy(plan);
	SPP_LOG(APP, ERR, "lcore %d keeps a plan that could not be rolled back", lcore);
	for (int i = 0; i < next->nb_captures; i++) {
		struct spp_capture_cfg *c = &next->captures[i];

		if (c->cap != NULL && !model_has_capture(mgr->model, c->cap)) {
			spp_capture_abandon(c->cap);
			c->cap = NULL;
		}
	}
}

/*
 * Publish the plans of next on res->lcore, then on res->lcore2 (a "both"
 * capture may touch two lcores, SPEC §9.4), the first rolled back if the
 * second fails. Returns 0, -ENOMEM, or -ETIMEDOUT with res set.
 */
static int
publish_plans(struct manager *mgr, struct spp_model *next, struct spp_cmd_result *res)
{
	const int lcores[2] = { res->lcore, res->lcore2 };

	for (int k = 0; k < 2; k++) {
		struct spp_plan *plan;
		int ret = 0;

		if (lcores[k] < 0)
			continue;
		plan = spp_plan_build(&mgr->dp, next, (unsigned int)lcores[k], &mgr->ports);
		if (plan == NULL) {
			ret = -ENOMEM;
		} else if (spp_plan_publish(&mgr->dp, (unsigned int)lcores[k], plan) != 0) {
			spp_plan_destroy(plan);
			res->error = SPP_ERR_OCCUR;
			snprintf(res->detail, sizeof(res->detail),
				 "worker lcore %d did not take the new configuration in %u ms",
				 lcores[k], mgr->dp.update_timeout_ms);
			ret = -ETIMEDOUT;
		}
		if (ret == 0)
			continue;
		if (k == 1 && lcores[0] >= 0)
			rollback_plan(mgr, next, lcores[0]);
		return ret;
	}
	return 0;
}

static int
apply_change(struct manager *mgr, struct spp_cmd_result *res)
{
	struct spp_model *next = mgr->next;
	int ret;

	if (alloc_new_stats(mgr, next) < 0) {
		res->error = SPP_ERR_OCCUR;
		snprintf(res->detail, sizeof(res->detail), "no free counter slot");
		goto rollback;
	}
	if (for_each_attach(mgr, next, claim_new, NULL) != 0) {
		for_each_attach(mgr, next, claim_new, mgr);
		free_dropped_stats(mgr, next, mgr->model);
		res->error = SPP_ERR_PORT_RXTX;
		snprintf(res->detail, sizeof(res->detail), "the port is used by another process");
		return -1;
	}
	if (for_each_attach(mgr, next, prepare_port, res->detail) != 0) {
		res->error = SPP_ERR_OCCUR;
		goto rollback;
	}
	for (int i = 0; i < next->nb_comps; i++) {
		const struct spp_comp_cfg *c = &next->comps[i];

		if (c->kind == SPP_COMP_MIRROR && obtain_copy_pool(mgr, c->copy_mode) < 0) {
			res->error = SPP_ERR_OCCUR;
			snprintf(res->detail, sizeof(res->detail),
				 "cannot create the %s copy pool: %s",
				 c->copy_mode == SPP_COPY_DEEP ? "deep" : "shallow",
				 rte_strerror(errno));
			goto rollback;
		}
	}
	if (create_captures(mgr, next, res) < 0)
		goto rollback;
	ret = publish_plans(mgr, next, res);
	if (ret == -ENOMEM)
		goto nomem;
	if (ret < 0)
		goto rollback;
	/* Committed: the data plane runs next. */
	spp_vhost_commit();
	for_each_attach(mgr, next, mark_attached, NULL);
	for_each_attach(mgr, mgr->model, release_gone, NULL);
	free_dropped_stats(mgr, mgr->model, next);
	close_dropped_captures(mgr->model, next);
	mgr->next = mgr->model;
	mgr->model = next;
	return 0;

nomem:
	res->error = SPP_ERR_OCCUR;
	snprintf(res->detail, sizeof(res->detail), "out of memory");
rollback:
	for_each_attach(mgr, next, claim_new, mgr);
	undo_vhost(mgr);
	free_dropped_stats(mgr, next, mgr->model);
	abort_new_captures(next, mgr->model);
	return -1;
}

/* Write what every capture's rings hold to its file. */
static void
drain_captures(struct manager *mgr)
{
	for (int i = 0; i < mgr->model->nb_captures; i++)
		if (mgr->model->captures[i].cap != NULL)
			spp_capture_drain(mgr->model->captures[i].cap);
}

/*
 * Drain the captures, and take one that stopped by itself (MAX reached,
 * I/O error: its file is closed) out of the model and the plans; a failed
 * attempt is retried on the next call.
 */
static void
service_captures(struct manager *mgr)
{
	struct spp_cmd_result res;

	drain_captures(mgr);
	for (int i = 0; i < mgr->model->nb_captures; i++) {
		const struct spp_capture_cfg *c = &mgr->model->captures[i];

		if (c->cap == NULL || !spp_capture_done(c->cap))
			continue;
		memset(&res, 0, sizeof(res));
		res.changed = true;
		spp_model_capture_lcores(mgr->model, &c->port, c->dirs, &res.lcore, &res.lcore2);
		spp_model_copy(mgr->next, mgr->model);
		memmove(&mgr->next->captures[i], &mgr->next->captures[i + 1],
			sizeof(c[0]) * (size_t)(mgr->next->nb_captures - i - 1));
		mgr->next->nb_captures--;
		if (apply_change(mgr, &res) < 0)
			SPP_LOG(APP, WARNING, "capture to %s stopped; %s (retrying)", c->file,
				res.detail);
		return;
	}
}

/* Exit: no worker runs any more; drain and close every capture. */
static void
close_all_captures(struct manager *mgr)
{
	for (int i = 0; i < mgr->model->nb_captures; i++)
		if (mgr->model->captures[i].cap != NULL)
			close_capture(&mgr->model->captures[i]);
	mgr->model->nb_captures = 0;
}

/* The vhost devices of this process with their link state, for status. */
static unsigned int
collect_vhosts(struct spp_status_vhost *out)
{
	unsigned int n = 0;

	for (uint16_t num = 0; num < SPP_MAX_VHOST; num++) {
		const struct spp_vhost_dev *dev = spp_vhost_lookup(num);
		struct spp_status_vhost *v = &out[n];

		if (dev == NULL)
			continue;
		memset(v, 0, sizeof(*v));
		v->num = num;
		v->nb_queues = dev->nb_queues;
		v->path = dev->path;
		v->client = dev->client;
		v->connected = __atomic_load_n(&dev->connected, __ATOMIC_RELAXED) != 0;
		for (uint16_t q = 0; q < dev->nb_queues; q++) {
			if (__atomic_load_n(&dev->queues[q].rx.ready, __ATOMIC_RELAXED))
				v->rx_up |= 1ULL << q;
			if (__atomic_load_n(&dev->queues[q].tx.ready, __ATOMIC_RELAXED))
				v->tx_up |= 1ULL << q;
		}
		n++;
	}
	return n;
}

static json_t *
status_reply(struct manager *mgr)
{
	struct spp_status_port *ports = calloc(mgr->ports.nb_ports + 1u, sizeof(*ports));
	struct spp_status_vhost *vhosts = calloc(SPP_MAX_VHOST, sizeof(*vhosts));
	struct spp_status_input in = {
		.env = &mgr->env, .model = mgr->model, .ports = ports, .vhosts = vhosts,
		.vhost_links = true, .is_mirror = mgr->app->is_mirror,
	};
	json_t *j;

	if (ports == NULL || vhosts == NULL) {
		free(ports);
		free(vhosts);
		return spp_reply_error(SPP_ERR_OCCUR, "out of memory");
	}
	in.nb_vhosts = collect_vhosts(vhosts);
	for (unsigned int i = 0; i < mgr->ports.nb_ports; i++) {
		const struct spp_port_rt *p = mgr->ports.ports[i];

		if (!p->ever_attached)
			continue;
		ports[in.nb_ports].id = p->id;
		ports[in.nb_ports].stats = p->stats;
		in.nb_ports++;
	}
	j = spp_status_reply(&in);
	free(ports);
	free(vhosts);
	return j;
}

/*
 * log_level TYPE LEVEL [EXT]: rte_log_set_level_pattern, which also applies
 * to types registered later. Always succeeds once the arguments are valid.
 */
static void
set_log_level(struct manager *mgr, const char *text, const struct spp_cmd_result *res)
{
	if (rte_log_set_level_pattern(res->log_type, (uint32_t)res->log_level) < 0) {
		reply_error(mgr, text, SPP_ERR_OCCUR, "rte_log refused the pattern");
		return;
	}
	SPP_LOG(APP, INFO, "'%s': success", text);
	reply(mgr, spp_reply_success());
}

static void
handle_command(struct manager *mgr, const char *text)
{
	struct spp_cmd_result res;

	SPP_LOG(APP, DEBUG, "command '%s'", text);
	if (spp_cmd_parse(&mgr->env, mgr->model, text, mgr->next, &res) < 0) {
		reply_error(mgr, text, res.error, res.detail);
		return;
	}
	switch (res.kind) {
	case SPP_CMD_CLIENT_ID: {
		json_t *j = spp_reply_success();

		json_object_set_new(j, "client_id", json_integer(mgr->opts.client_id));
		json_object_set_new(j, "process_type", json_string(mgr->app->process_type));
		reply(mgr, j);
		return;
	}
	case SPP_CMD_STATUS:
		/* Counts of packets written are current as of the command. */
		drain_captures(mgr);
		reply(mgr, status_reply(mgr));
		return;
	case SPP_CMD_EXIT:
		SPP_LOG(APP, INFO, "'exit': shutting down");
		reply(mgr, spp_reply_success());
		mgr->exit_requested = true;
		return;
	case SPP_CMD_LOG_LEVEL:
		set_log_level(mgr, text, &res);
		return;
	default:
		break;
	}
	if (res.changed && apply_change(mgr, &res) < 0) {
		reply_error(mgr, text, res.error, res.detail);
		return;
	}
	SPP_LOG(APP, INFO, "'%s': success", text);
	reply(mgr, spp_reply_success());
}

static void
on_stream_event(void *arg, enum spp_stream_event ev, const char *text)
{
	struct manager *mgr = arg;

	if (mgr->exit_requested)
		return;
	if (ev == SPP_STREAM_COMMAND) {
		handle_command(mgr, text);
		return;
	}
	reply_error(mgr, ev == SPP_STREAM_BLANK ? "(blank)" : "(too long)", SPP_ERR_FORMAT,
		    ev == SPP_STREAM_BLANK ? "empty command" : "commands are at most 4095 bytes");
}

/* SPEC §1.5 step 4: leave when the primary is gone or stopping. */
static bool
primary_ok(const struct manager *mgr)
{
	return rte_eal_primary_proc_alive(NULL) &&
		spp_owner_alive(mgr->shm->primary_owner) &&
		__atomic_load_n(&mgr->shm->state, __ATOMIC_RELAXED) == SPP_STATE_RUNNING;
}

static void
run(struct manager *mgr)
{
	uint64_t next_check = spp_monotonic_ns() + PRIMARY_CHECK_NS;

	while (!mgr->exit_requested) {
		if (signal_received != 0) {
			SPP_LOG(APP, INFO, "signal %d: shutting down", (int)signal_received);
			break;
		}
		spp_ctlconn_poll(&mgr->conn, mgr->model->nb_captures > 0 ? CAPTURE_POLL_MS :
				 POLL_TIMEOUT_MS);
		if (mgr->model->nb_captures > 0)
			service_captures(mgr);
		spp_drop_watch_poll(&mgr->drop_watch, mgr->stats_region, spp_monotonic_ns(),
				    spp_logtype_app);
		if (!mgr->opts.standalone && spp_monotonic_ns() >= next_check) {
			next_check = spp_monotonic_ns() + PRIMARY_CHECK_NS;
			if (!primary_ok(mgr)) {
				SPP_LOG(APP, ERR, "spp_primary is gone or stopping; exiting");
				mgr->exit_code = 2;
				break;
			}
		}
	}
}

static struct manager the_manager;

int
spp_manager_main(const struct spp_app_desc *app, int argc, char **argv)
{
	/* Before rte_eal_init: see SPEC §1.5 step 2 on why t0 comes first. */
	uint64_t t0 = spp_monotonic_ns();
	struct manager *mgr;
	int sep, app_argc, ret;
	bool help;

	sep = spp_args_split(argc, argv, &help);
	if (help) {
		usage(app, stdout);
		return 0;
	}
	/* Static: lives as long as the process, and no exit path has to free it. */
	mgr = &the_manager;
	mgr->app = app;
	spp_logtype_app = *app->logtype;
	spp_app_name = app->name;
	app_argc = sep < argc ? argc - sep - 1 : 0;
	if (parse_app_args(app, &mgr->opts, app_argc, argv + argc - app_argc) < 0)
		return 1;
	if (mgr->opts.standalone && spp_setup_check_eal_args(argc, argv) < 0)
		return 1;

	ret = rte_eal_init(sep, argv);
	if (ret < 0) {
		fprintf(stderr, "cannot initialise EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (mgr->opts.standalone != (rte_eal_process_type() == RTE_PROC_PRIMARY)) {
		fprintf(stderr, mgr->opts.standalone ?
			"--standalone runs as a DPDK primary, but EAL resolved to secondary\n" :
			"%s is a DPDK secondary: give --proc-type=secondary and the primary's "
			"--file-prefix (or --standalone)\n", app->name);
		return 1;
	}
	mgr->owner = spp_owner_self((uint16_t)mgr->opts.client_id);
	if (mgr->opts.standalone) {
		mgr->shm = spp_setup_create(&mgr->opts.setup, true);
		if (mgr->shm == NULL)
			return 1;
	} else if (attach_shared_info(mgr, t0) < 0) {
		return 1;
	}
	if (take_startup_claims(mgr) < 0) {
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	if (open_stats_region(mgr) < 0) {
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	mgr->dp.pool = rte_mempool_lookup(SPP_POOL_NAME);
	if (mgr->dp.pool == NULL) {
		fprintf(stderr, "no mbuf pool %s\n", SPP_POOL_NAME);
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	if (app->is_mirror && obtain_copy_pool(mgr, mgr->opts.copy_mode) < 0) {
		fprintf(stderr, "cannot create the mirror copy pool: %s\n", rte_strerror(errno));
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	mgr->model = spp_model_create();
	mgr->next = spp_model_create();
	if (mgr->model == NULL || mgr->next == NULL) {
		fprintf(stderr, "out of memory\n");
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	fill_env(mgr);
	spp_port_table_init(&mgr->ports, mgr->shm, mgr->stats_region);
	spp_vhost_init(&(struct spp_vhost_opts){
		.sock_prefix = mgr->opts.vhost_sock_prefix,
		.client = mgr->opts.vhost_client,
		.nb_queues = mgr->opts.vhost_queues,
	});
	mgr->dp.shm = mgr->shm;
	mgr->dp.idle_sleep_us = mgr->opts.idle_sleep_us;
	mgr->dp.update_timeout_ms = mgr->opts.update_timeout_ms;
	memcpy(mgr->dp.kinds, app->run_burst, sizeof(mgr->dp.kinds));
	if (rte_lcore_count() < 2)
		SPP_LOG(APP, WARNING, "no worker lcore: component start will fail");

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (spp_dataplane_start(&mgr->dp) != 0) {
		fprintf(stderr, "cannot launch worker lcores\n");
		spp_release_all(mgr->shm, mgr->owner);
		return 1;
	}
	SPP_LOG(APP, INFO, "%s client %ld ready (%s mode)", app->name, mgr->opts.client_id,
		mgr->opts.standalone ? "standalone" : "secondary");
	spp_ctlconn_init(&mgr->conn, &mgr->opts.ctl_addr, on_stream_event, mgr);
	run(mgr);

	/* SPEC §1.5 step 3. */
	spp_ctlconn_close(&mgr->conn);
	spp_dataplane_stop(&mgr->dp);
	close_all_captures(mgr);
	spp_vhost_shutdown();
	spp_release_all(mgr->shm, mgr->owner);
	if (mgr->opts.standalone) {
		spp_setup_stop_ports(mgr->shm);
		rte_eal_cleanup();
	}
	SPP_LOG(APP, INFO, "%s client %ld exits (%d)", app->name, mgr->opts.client_id,
		mgr->exit_code);
	return mgr->exit_code;
}
