/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_primary: creates the shared objects and starts the phy ports
 * (spp_setup.h), then answers spp-ctl (SPEC §6). It forwards nothing:
 * secondaries poll every port.
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <jansson.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "launch.h"
#include "spp_cmd.h"
#include "spp_ctlconn.h"
#include "spp_log.h"
#include "spp_reply.h"
#include "spp_setup.h"
#include "spp_shm.h"
#include "telemetry.h"

#define POLL_TIMEOUT_MS		100
#define STOP_WAIT_NS		2000000000ull

/* Counter values at the last `clear`; status reports the difference. */
struct phy_base {
	uint64_t rx, tx, tx_drop, rx_bytes, tx_bytes, rx_missed;
};
struct ring_base {
	uint64_t rx, tx, tx_drop, rx_bytes, tx_bytes;
};

struct primary {
	struct spp_setup_opts setup;
	struct sockaddr_in ctl_addr;
	bool ctl_given;
	struct spp_shared_info *shm;
	struct spp_ctlconn conn;
	bool exit_requested;
	struct phy_base phy_base[SPP_MAX_PHY];
	struct ring_base ring_base[SPP_MAX_RINGS];
	/* launch (SPEC §6.3) */
	const char *sec_log_dir;	/* --sec-log-dir, NULL: default */
	struct launch_ctx launch;
	char file_prefix[LAUNCH_PREFIX_SIZE];	/* of this EAL, for the children's */
	const char *iova_mode;		/* "pa" / "va" */
	struct launch_argv launch_argv;	/* scratch of one launch command */
};

static volatile sig_atomic_t signal_received;

static void
on_signal(int sig)
{
	signal_received = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: spp_primary <EAL options> -- -p PORTMASK -n NUM_RINGS -s IP:PORT\n"
		"           [--port-num PORT rxq R txq T]... [--disp-stats] [--ring-size N]\n"
		"           [--ring-sync mpmc|rts] [--nb-mbufs N] [--sec-log-dir DIR]\n");
}

static int
parse_args(struct primary *pri, int argc, char **argv)
{
	spp_setup_opts_init(&pri->setup);
	for (int i = 0; i < argc; i++) {
		int r = spp_setup_parse_opt(&pri->setup, argc, argv, &i);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "-s") == 0) {
			if (spp_ctlconn_parse_addr(i + 1 < argc ? argv[i + 1] : NULL,
						   &pri->ctl_addr) < 0)
				return -1;
			pri->ctl_given = true;
			i++;
		} else if (strcmp(argv[i], "--disp-stats") == 0) {
			fprintf(stderr, "--disp-stats is accepted and ignored\n");
		} else if (strcmp(argv[i], "--sec-log-dir") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				fprintf(stderr, "invalid value for --sec-log-dir: ''\n");
				return -1;
			}
			pri->sec_log_dir = argv[++i];
		} else {
			fprintf(stderr, "unknown option '%s' (see spp_primary --help)\n", argv[i]);
			return -1;
		}
	}
	if (!pri->ctl_given) {
		fprintf(stderr, "-s IP:PORT is required\n");
		return -1;
	}
	return spp_setup_check_opts(&pri->setup);
}

static uint64_t
rel(uint64_t *base, uint64_t value)
{
	return value - *base;
}

static json_t *
phy_json(struct primary *pri, uint32_t n)
{
	const struct spp_phy_info *phy = &pri->shm->phy[n];
	const struct spp_port_totals *t = &pri->shm->phy_totals[n];
	struct phy_base *b = &pri->phy_base[n];
	struct rte_eth_stats st;
	struct rte_eth_link link;
	char mac[RTE_ETHER_ADDR_FMT_SIZE], uid[16];

	memset(&st, 0, sizeof(st));
	rte_eth_stats_get(phy->ethdev_id, &st);
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(phy->ethdev_id, &link);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", phy->mac[0], phy->mac[1],
		 phy->mac[2], phy->mac[3], phy->mac[4], phy->mac[5]);
	snprintf(uid, sizeof(uid), "phy:%u", n);
	return json_pack("{s:i,s:s,s:I,s:I,s:I,s:{s:i,s:i},s:[],s:s,s:I,s:I,s:I,s:s}",
		"id", phy->ethdev_id, "eth", mac,
		"rx", (json_int_t)rel(&b->rx, st.ipackets),
		"tx", (json_int_t)rel(&b->tx, st.opackets),
		"tx_drop", (json_int_t)rel(&b->tx_drop,
			__atomic_load_n(&t->tx.drop_packets, __ATOMIC_RELAXED)),
		"nof_queues", "rx", phy->rxq, "tx", phy->txq,
		"flow", "port", uid,
		"rx_bytes", (json_int_t)rel(&b->rx_bytes, st.ibytes),
		"tx_bytes", (json_int_t)rel(&b->tx_bytes, st.obytes),
		"rx_missed", (json_int_t)rel(&b->rx_missed, st.imissed),
		"link", link.link_status == RTE_ETH_LINK_UP ? "up" : "down");
}

static struct rte_ring *
ring_of(uint32_t r)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), SPP_RING_NAME_FMT, r);
	return rte_ring_lookup(name);
}

static json_t *
ring_json(struct primary *pri, uint32_t r)
{
	const struct spp_port_totals *t = &pri->shm->ring_totals[r];
	struct ring_base *b = &pri->ring_base[r];
	struct rte_ring *ring = ring_of(r);

	return json_pack("{s:i,s:I,s:i,s:I,s:I,s:I,s:I,s:I,s:I}",
		"id", (int)r,
		"rx", (json_int_t)rel(&b->rx, __atomic_load_n(&t->rx.packets, __ATOMIC_RELAXED)),
		"rx_drop", 0,
		"tx", (json_int_t)rel(&b->tx, __atomic_load_n(&t->tx.packets, __ATOMIC_RELAXED)),
		"tx_drop", (json_int_t)rel(&b->tx_drop,
			__atomic_load_n(&t->tx.drop_packets, __ATOMIC_RELAXED)),
		"rx_bytes", (json_int_t)rel(&b->rx_bytes,
			__atomic_load_n(&t->rx.bytes, __ATOMIC_RELAXED)),
		"tx_bytes", (json_int_t)rel(&b->tx_bytes,
			__atomic_load_n(&t->tx.bytes, __ATOMIC_RELAXED)),
		"occupancy", (json_int_t)(ring != NULL ? rte_ring_count(ring) : 0),
		"capacity", (json_int_t)(ring != NULL ? rte_ring_get_capacity(ring) : 0));
}

static json_t *
status_json(struct primary *pri)
{
	json_t *lcores = json_array(), *phys = json_array(), *rings = json_array();
	unsigned int lcore;

	RTE_LCORE_FOREACH(lcore)
		json_array_append_new(lcores, json_integer(lcore));
	for (uint32_t n = 0; n < pri->shm->nb_phy; n++)
		json_array_append_new(phys, phy_json(pri, n));
	for (uint32_t r = 0; r < pri->shm->nb_rings; r++)
		json_array_append_new(rings, ring_json(pri, r));
	return json_pack("{s:i,s:o,s:o,s:o,s:[]}", "master-lcore", (int)rte_get_main_lcore(),
			 "lcores", lcores, "phy_ports", phys, "ring_ports", rings, "pipes");
}

/* Take the current counters as the new zero (SPEC §6.2). */
static void
clear_stats(struct primary *pri)
{
	for (uint32_t n = 0; n < pri->shm->nb_phy; n++) {
		const struct spp_port_totals *t = &pri->shm->phy_totals[n];
		struct phy_base *b = &pri->phy_base[n];
		struct rte_eth_stats st;

		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(pri->shm->phy[n].ethdev_id, &st);
		b->rx = st.ipackets;
		b->tx = st.opackets;
		b->rx_bytes = st.ibytes;
		b->tx_bytes = st.obytes;
		b->rx_missed = st.imissed;
		b->tx_drop = __atomic_load_n(&t->tx.drop_packets, __ATOMIC_RELAXED);
	}
	for (uint32_t r = 0; r < pri->shm->nb_rings; r++) {
		const struct spp_port_totals *t = &pri->shm->ring_totals[r];
		struct ring_base *b = &pri->ring_base[r];

		b->rx = __atomic_load_n(&t->rx.packets, __ATOMIC_RELAXED);
		b->tx = __atomic_load_n(&t->tx.packets, __ATOMIC_RELAXED);
		b->tx_drop = __atomic_load_n(&t->tx.drop_packets, __ATOMIC_RELAXED);
		b->rx_bytes = __atomic_load_n(&t->rx.bytes, __ATOMIC_RELAXED);
		b->tx_bytes = __atomic_load_n(&t->tx.bytes, __ATOMIC_RELAXED);
	}
}

static void
send_json(struct primary *pri, json_t *j)
{
	char *text = spp_reply_format(j);

	if (text != NULL) {
		spp_ctlconn_send(&pri->conn, text);
		free(text);
	}
}

static void
reply_result(struct primary *pri, const char *result, const char *command, const char *msg)
{
	json_t *j = json_pack("{s:s,s:o}", "result", result, "command", spp_json_string(command));

	/* A launch message may quote the command's bytes: keep it valid UTF-8. */
	if (msg != NULL)
		json_object_set_new(j, "message", spp_json_string(msg));
	send_json(pri, j);
}

static void
on_child_exit(void *arg, unsigned int client_id, pid_t pid, int status)
{
	(void)arg;
	if (WIFEXITED(status))
		SPP_LOG(PRIMARY, INFO, "launched client %u (pid %d) exited with code %d",
			client_id, (int)pid, WEXITSTATUS(status));
	else
		SPP_LOG(PRIMARY, WARNING, "launched client %u (pid %d) killed by signal %d",
			client_id, (int)pid, WTERMSIG(status));
}

/* Pid of the live process holding client_id: one we launched and is not
 * reaped yet (it may not have claimed its slot), or the slot's owner. */
static long
client_holder(void *arg, unsigned int client_id)
{
	struct primary *pri = arg;
	pid_t child = launch_child(&pri->launch, client_id);
	uint64_t owner;

	if (child > 0)
		return child;
	owner = __atomic_load_n(&pri->shm->client_slots[client_id], __ATOMIC_ACQUIRE);
	return spp_owner_alive(owner) ? (long)spp_owner_pid(owner) : 0;
}

static void
handle_launch(struct primary *pri, const char *text)
{
	struct launch_env env = {
		.file_prefix = pri->file_prefix,
		.iova_mode = pri->iova_mode,
		.client_holder = client_holder,
		.arg = pri,
	};
	struct launch_argv *la = &pri->launch_argv;
	char err[256];
	pid_t pid;

	launch_reap(&pri->launch);
	if (launch_argv_build(text, &env, la, err, sizeof(err)) < 0 ||
	    (pid = launch_spawn(&pri->launch, la, err, sizeof(err))) < 0) {
		SPP_LOG(PRIMARY, ERR, "launch refused: %s", err);
		reply_result(pri, "failed", "launch", err);
		return;
	}
	SPP_LOG(PRIMARY, INFO, "launched %s as client %u, pid %d, log in %s", la->name,
		la->client_id, (int)pid, pri->launch.log_dir);
	reply_result(pri, "succeeded", "launch", NULL);
}

/* log_level TYPE LEVEL [EXT]: the same checks as spp_vf's (spp_cmd.h). */
static void
handle_log_level(struct primary *pri, int argc, char **argv)
{
	const char *error;
	int level;

	if (argc != 3) {
		reply_result(pri, "failed", "log_level", "log_level takes 3 tokens");
		return;
	}
	if (spp_log_level_parse(argv[1], argv[2], &level, &error) < 0) {
		reply_result(pri, "failed", "log_level", error);
		return;
	}
	if (rte_log_set_level_pattern(argv[1], (uint32_t)level) < 0) {
		reply_result(pri, "failed", "log_level", "error occur");
		return;
	}
	SPP_LOG(PRIMARY, INFO, "log level of '%s' is now %d", argv[1], level);
	reply_result(pri, "succeeded", "log_level", NULL);
}

static void
handle_command(struct primary *pri, const char *text)
{
	static const char *const forwarder_cmds[] = { "add", "del", "patch", "forward", "stop" };
	char buf[SPP_CMD_MAX_SIZE + 1];
	char *argv[SPP_CMD_MAX_TOKENS];
	const char *cmd;
	int argc;

	snprintf(buf, sizeof(buf), "%s", text);
	argc = spp_cmd_tokenize(buf, argv, SPP_CMD_MAX_TOKENS);
	cmd = argv[0];
	SPP_LOG(PRIMARY, INFO, "command '%s'", text);
	if (strcmp(cmd, "status") == 0) {
		SPP_LOG(PRIMARY, DEBUG, "status of %u phy ports and %u rings", pri->shm->nb_phy,
			pri->shm->nb_rings);
		send_json(pri, status_json(pri));
	} else if (strcmp(cmd, "log_level") == 0) {
		handle_log_level(pri, argc, argv);
	} else if (strcmp(cmd, "clear") == 0) {
		clear_stats(pri);
		reply_result(pri, "succeeded", "clear", NULL);
	} else if (strcmp(cmd, "exit") == 0) {
		reply_result(pri, "succeeded", "exit", NULL);
		pri->exit_requested = true;
	} else if (strcmp(cmd, "flow") == 0) {
		send_json(pri, json_pack("{s:s,s:s}", "result", "error",
					 "message", "flow rules are not supported"));
	} else if (strcmp(cmd, "launch") == 0) {
		handle_launch(pri, text);
	} else {
		for (size_t i = 0; i < RTE_DIM(forwarder_cmds); i++) {
			if (strcmp(cmd, forwarder_cmds[i]) == 0) {
				reply_result(pri, "failed", cmd, "spp_primary has no forwarder");
				return;
			}
		}
		reply_result(pri, "failed", cmd, "unknown command");
	}
}

static void
on_stream_event(void *arg, enum spp_stream_event ev, const char *text)
{
	struct primary *pri = arg;

	if (pri->exit_requested)
		return;
	switch (ev) {
	case SPP_STREAM_COMMAND:
		handle_command(pri, text);
		break;
	case SPP_STREAM_BLANK:
		reply_result(pri, "failed", "", "unknown command");
		break;
	case SPP_STREAM_TOO_LONG:
		reply_result(pri, "failed", "", "command too long");
		break;
	}
}

static bool
clients_live(const struct spp_shared_info *shm)
{
	for (int c = 1; c < SPP_MAX_CLIENTS; c++)
		if (spp_owner_alive(__atomic_load_n(&shm->client_slots[c], __ATOMIC_ACQUIRE)))
			return true;
	return false;
}

/* What launched children must share with this EAL (SPEC §6.3). */
static void
launch_eal_params(struct primary *pri)
{
	char dir[PATH_MAX];

	/* The runtime directory is <base>/<file prefix>, whatever spelling
	 * or default gave the prefix. */
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	snprintf(pri->file_prefix, sizeof(pri->file_prefix), "%s", basename(dir));
	pri->iova_mode = rte_eal_iova_mode() == RTE_IOVA_PA ? "pa" : "va";
}

static struct primary the_primary;

int
main(int argc, char **argv)
{
	struct primary *pri;
	char exe_dir[PATH_MAX];
	int sep, app_argc, ret;
	uint64_t deadline;
	bool help;

	sep = spp_args_split(argc, argv, &help);
	if (help) {
		usage(stdout);
		return 0;
	}
	/* Static: lives as long as the process, and no exit path has to free it. */
	pri = &the_primary;
	spp_logtype_app = spp_logtype_primary;
	spp_app_name = "spp_primary";
	app_argc = sep < argc ? argc - sep - 1 : 0;
	if (parse_args(pri, app_argc, argv + argc - app_argc) < 0 ||
	    spp_setup_check_eal_args(argc, argv) < 0)
		return 1;
	/* Before rte_eal_init pins this thread: children start unpinned. */
	ret = launch_self_dir(exe_dir, sizeof(exe_dir));
	if (ret < 0) {
		/* Only `launch` needs it; it then fails with "cannot find". */
		fprintf(stderr, "warning: cannot read /proc/self/exe: %s\n", strerror(-ret));
		exe_dir[0] = '\0';
	}
	ret = launch_init(&pri->launch, exe_dir, pri->sec_log_dir, on_child_exit, pri);
	if (ret == -ENAMETOOLONG) {
		fprintf(stderr, "invalid value for --sec-log-dir: too long\n");
		return 1;
	}
	if (ret < 0)
		fprintf(stderr, "warning: launched secondaries keep spp_primary's main lcore "
			"affinity: %s\n", strerror(-ret));
	if (rte_eal_init(sep, argv) < 0) {
		fprintf(stderr, "cannot initialise EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		fprintf(stderr, "spp_primary must run as the DPDK primary process\n");
		return 1;
	}
	launch_eal_params(pri);
	if (rte_lcore_count() > 1)
		SPP_LOG(PRIMARY, WARNING, "%u lcores given; spp_primary uses only the main lcore",
			rte_lcore_count());
	pri->shm = spp_setup_create(&pri->setup, false);
	if (pri->shm == NULL) {
		rte_eal_cleanup();
		return 1;
	}
	ret = spp_telemetry_register(pri->shm);
	if (ret != 0)
		SPP_LOG(PRIMARY, WARNING, "no /spp/... telemetry commands: %s", strerror(-ret));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	SPP_LOG(PRIMARY, INFO, "ready: %u phy ports, %u rings", pri->shm->nb_phy,
		pri->shm->nb_rings);
	spp_ctlconn_init(&pri->conn, &pri->ctl_addr, on_stream_event, pri);
	while (!pri->exit_requested && signal_received == 0) {
		spp_ctlconn_poll(&pri->conn, POLL_TIMEOUT_MS);
		launch_reap(&pri->launch);
	}

	/* SPEC §1.5 step 4: let secondaries leave before the ports stop. */
	SPP_LOG(PRIMARY, INFO, "shutting down");
	__atomic_store_n(&pri->shm->state, SPP_STATE_STOPPING, __ATOMIC_RELEASE);
	deadline = spp_monotonic_ns() + STOP_WAIT_NS;
	while (clients_live(pri->shm) && spp_monotonic_ns() < deadline) {
		spp_sleep_us(10000);
		launch_reap(&pri->launch);
	}
	launch_reap(&pri->launch);
	spp_ctlconn_close(&pri->conn);
	spp_setup_stop_ports(pri->shm);
	rte_eal_cleanup();
	return 0;
}
