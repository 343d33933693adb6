/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "spp_log.h"
#include "spp_setup.h"
#include "spp_uid.h"

#define NB_DESC			512
#define LINK_WAIT_MS		9000
#define POOL_CACHE_SIZE		256

void
spp_setup_opts_init(struct spp_setup_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ring_size = 1024;
	for (int i = 0; i < RTE_MAX_ETHPORTS; i++) {
		o->rxq[i] = 1;
		o->txq[i] = 1;
	}
}

static int
bad(const char *opt, const char *value)
{
	fprintf(stderr, "invalid value for %s: '%s'\n", opt, value != NULL ? value : "");
	return -1;
}

static const char *
next_arg(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

int
spp_setup_parse_opt(struct spp_setup_opts *o, int argc, char **argv, int *i)
{
	const char *opt = argv[*i];
	const char *v;
	uint64_t n;

	if (strcmp(opt, "-p") == 0) {
		v = next_arg(argc, argv, i);
		if (v == NULL)
			return bad(opt, v);
		if (strncmp(v, "0x", 2) == 0 || strncmp(v, "0X", 2) == 0)
			v += 2;
		char *end;

		errno = 0;
		o->portmask = strtoull(v, &end, 16);
		if (*v == '\0' || *end != '\0' || errno != 0 || o->portmask == 0 ||
		    (o->portmask >> RTE_MAX_ETHPORTS) != 0)
			return bad(opt, argv[*i]);
		return 1;
	}
	if (strcmp(opt, "-n") == 0) {
		v = next_arg(argc, argv, i);
		if (spp_parse_uint(v, SPP_MAX_RINGS, &n) < 0 || n < 1)
			return bad(opt, v);
		o->nb_rings = (uint32_t)n;
		return 1;
	}
	if (strcmp(opt, "--ring-size") == 0) {
		v = next_arg(argc, argv, i);
		if (spp_parse_uint(v, 65536, &n) < 0 || n < 64 || (n & (n - 1)) != 0)
			return bad(opt, v);
		o->ring_size = (uint32_t)n;
		return 1;
	}
	if (strcmp(opt, "--ring-sync") == 0) {
		v = next_arg(argc, argv, i);
		if (v != NULL && strcmp(v, "mpmc") == 0)
			o->ring_rts = false;
		else if (v != NULL && strcmp(v, "rts") == 0)
			o->ring_rts = true;
		else
			return bad(opt, v);
		return 1;
	}
	if (strcmp(opt, "--nb-mbufs") == 0) {
		v = next_arg(argc, argv, i);
		if (spp_parse_uint(v, UINT32_MAX, &n) < 0 || n < 4096)
			return bad(opt, v);
		o->nb_mbufs = (uint32_t)n;
		return 1;
	}
	if (strcmp(opt, "--port-num") == 0) {
		/* --port-num PORT rxq R txq T */
		uint64_t port, r, t;

		if (*i + 5 >= argc ||
		    spp_parse_uint(argv[*i + 1], RTE_MAX_ETHPORTS - 1, &port) < 0 ||
		    strcmp(argv[*i + 2], "rxq") != 0 ||
		    spp_parse_uint(argv[*i + 3], 64, &r) < 0 || r < 1 ||
		    strcmp(argv[*i + 4], "txq") != 0 ||
		    spp_parse_uint(argv[*i + 5], 64, &t) < 0 || t < 1) {
			fprintf(stderr, "invalid --port-num: expected PORT rxq R txq T (R, T 1..64)\n");
			return -1;
		}
		o->rxq[port] = (uint16_t)r;
		o->txq[port] = (uint16_t)t;
		o->port_num_given[port] = true;
		*i += 5;
		return 1;
	}
	return 0;
}

int
spp_setup_check_opts(const struct spp_setup_opts *o)
{
	if (o->portmask == 0) {
		fprintf(stderr, "-p PORTMASK is required\n");
		return -1;
	}
	if (o->nb_rings == 0) {
		fprintf(stderr, "-n NUM_RINGS is required\n");
		return -1;
	}
	for (int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (o->port_num_given[p] && (o->portmask & (UINT64_C(1) << p)) == 0) {
			fprintf(stderr, "--port-num %d: ethdev %d is not selected by -p\n", p, p);
			return -1;
		}
	}
	return 0;
}

int
spp_args_split(int argc, char **argv, bool *help)
{
	int sep = argc;

	*help = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			*help = true;
		if (sep == argc && strcmp(argv[i], "--") == 0)
			sep = i;
	}
	return sep;
}

int
spp_setup_check_eal_args(int argc, char **argv)
{
	static const char *const refused[] = { "--in-memory", "--no-shconf", "--no-huge" };

	for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		for (size_t r = 0; r < RTE_DIM(refused); r++)
			if (strcmp(argv[i], refused[r]) == 0) {
				fprintf(stderr, "%s is not supported: secondaries could not attach\n",
					refused[r]);
				return -1;
			}
	return 0;
}

static uint32_t
default_nb_mbufs(const struct spp_setup_opts *o)
{
	uint64_t n = (uint64_t)o->nb_rings * o->ring_size + 16384;
	uint64_t size = 1;

	for (int p = 0; p < RTE_MAX_ETHPORTS; p++)
		if ((o->portmask & (UINT64_C(1) << p)) != 0)
			n += (uint64_t)(o->rxq[p] + o->txq[p]) * NB_DESC;
	/* 2^k - 1: the ring under a mempool holds one entry less than 2^k. */
	while (size - 1 < n)
		size <<= 1;
	return (uint32_t)(size - 1);
}

static int
setup_port(uint16_t port, uint16_t rxq, uint16_t txq, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = NB_DESC, nb_txd = NB_DESC;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	if (rxq > info.max_rx_queues || txq > info.max_tx_queues) {
		SPP_LOG(PRIMARY, ERR, "ethdev %u supports %u rx / %u tx queues, %u / %u asked",
			port, info.max_rx_queues, info.max_tx_queues, rxq, txq);
		return -EINVAL;
	}
	if (rxq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
						    RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	/* Never MBUF_FAST_FREE: spp transmits shared and indirect mbufs. */
	if ((info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port, rxq, txq, &conf);
	if (ret != 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return ret;
	for (uint16_t q = 0; q < rxq; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, rte_eth_dev_socket_id(port),
					     NULL, pool);
		if (ret != 0)
			return ret;
	}
	for (uint16_t q = 0; q < txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, rte_eth_dev_socket_id(port), NULL);
		if (ret != 0)
			return ret;
	}
	/* Not every vdev knows promiscuous mode; that is not an error. */
	rte_eth_promiscuous_enable(port);
	return rte_eth_dev_start(port);
}

static void
wait_links(const struct spp_shared_info *shm)
{
	uint64_t deadline = spp_monotonic_ns() + LINK_WAIT_MS * 1000000ull;

	for (;;) {
		bool all_up = true;

		for (uint32_t n = 0; n < shm->nb_phy; n++) {
			struct rte_eth_link link;

			if (rte_eth_link_get_nowait(shm->phy[n].ethdev_id, &link) != 0 ||
			    link.link_status == RTE_ETH_LINK_DOWN)
				all_up = false;
		}
		if (all_up)
			return;
		if (spp_monotonic_ns() > deadline) {
			SPP_LOG(PRIMARY, WARNING, "some links are still down after %d ms; going on",
				LINK_WAIT_MS);
			return;
		}
		spp_sleep_us(100 * 1000);
	}
}

struct spp_shared_info *
spp_setup_create(const struct spp_setup_opts *o, bool standalone)
{
	const struct rte_memzone *mz;
	struct spp_shared_info *shm;
	struct rte_mempool *pool;
	uint32_t nb_mbufs;
	unsigned int lcore;

	for (int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if ((o->portmask & (UINT64_C(1) << p)) != 0 && !rte_eth_dev_is_valid_port(p)) {
			SPP_LOG(PRIMARY, ERR, "-p selects ethdev %d, which does not exist", p);
			return NULL;
		}
	}
	mz = rte_memzone_reserve(SPP_SHM_NAME, sizeof(*shm), rte_socket_id(),
				 RTE_MEMZONE_SIZE_HINT_ONLY);
	if (mz == NULL) {
		SPP_LOG(PRIMARY, ERR, "cannot create %s: %s", SPP_SHM_NAME,
			rte_strerror(rte_errno));
		return NULL;
	}
	shm = mz->addr;
	memset(shm, 0, sizeof(*shm));
	shm->magic = SPP_SHM_MAGIC;
	shm->version = SPP_SHM_VERSION;
	shm->standalone = standalone;
	shm->primary_owner = spp_owner_self(SPP_PRIMARY_CLIENT_ID);
	shm->nb_rings = o->nb_rings;
	shm->ring_size = o->ring_size;
	shm->state = SPP_STATE_RUNNING;
	/* The primary's lcores are its own: no secondary may reuse their ids. */
	if (!standalone)
		RTE_LCORE_FOREACH(lcore)
			shm->lcore_claims[lcore] = shm->primary_owner;

	nb_mbufs = o->nb_mbufs != 0 ? o->nb_mbufs : default_nb_mbufs(o);
	pool = rte_pktmbuf_pool_create(SPP_POOL_NAME, nb_mbufs, POOL_CACHE_SIZE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL) {
		SPP_LOG(PRIMARY, ERR, "cannot create %s with %u mbufs: %s", SPP_POOL_NAME,
			nb_mbufs, rte_strerror(rte_errno));
		return NULL;
	}
	for (uint32_t r = 0; r < o->nb_rings; r++) {
		char name[RTE_RING_NAMESIZE];
		unsigned int flags = o->ring_rts ? RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ : 0;

		snprintf(name, sizeof(name), SPP_RING_NAME_FMT, r);
		if (rte_ring_create(name, o->ring_size, rte_socket_id(), flags) == NULL) {
			SPP_LOG(PRIMARY, ERR, "cannot create ring %s: %s", name,
				rte_strerror(rte_errno));
			return NULL;
		}
	}
	for (int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct spp_phy_info *phy;
		struct rte_ether_addr mac;
		int ret;

		if ((o->portmask & (UINT64_C(1) << p)) == 0)
			continue;
		if (shm->nb_phy == SPP_MAX_PHY) {
			SPP_LOG(PRIMARY, ERR, "at most %d phy ports", SPP_MAX_PHY);
			return NULL;
		}
		phy = &shm->phy[shm->nb_phy];
		phy->ethdev_id = (uint16_t)p;
		phy->rxq = o->rxq[p];
		phy->txq = o->txq[p];
		rte_eth_dev_get_name_by_port((uint16_t)p, phy->name);
		ret = setup_port((uint16_t)p, phy->rxq, phy->txq, pool);
		if (ret != 0) {
			SPP_LOG(PRIMARY, ERR, "cannot start phy:%u (ethdev %d, %s): %s",
				shm->nb_phy, p, phy->name, strerror(-ret));
			return NULL;
		}
		if (rte_eth_macaddr_get((uint16_t)p, &mac) == 0)
			memcpy(phy->mac, mac.addr_bytes, sizeof(phy->mac));
		SPP_LOG(PRIMARY, INFO, "phy:%u is ethdev %d (%s), rxq %u txq %u", shm->nb_phy,
			p, phy->name, phy->rxq, phy->txq);
		shm->nb_phy++;
	}
	wait_links(shm);
	/* Last, with release: a secondary that sees ready_ns sees all of the above. */
	__atomic_store_n(&shm->ready_ns, spp_monotonic_ns(), __ATOMIC_RELEASE);
	return shm;
}

void
spp_setup_stop_ports(const struct spp_shared_info *shm)
{
	for (uint32_t n = 0; n < shm->nb_phy; n++) {
		rte_eth_dev_stop(shm->phy[n].ethdev_id);
		rte_eth_dev_close(shm->phy[n].ethdev_id);
	}
}
