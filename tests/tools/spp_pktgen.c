/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_pktgen: a DPDK secondary used by the system tests to push
 * sequence-numbered frames through spp rings and to check what comes out.
 *
 *   spp_pktgen <EAL> --proc-type=secondary --file-prefix=<primary's> -- \
 *       --stream RING,DSTMAC[,VID] [--stream ...] [--rx-ring N]... \
 *       [--src MAC] [--pps N] [--count N] [--duration-ms N] [--size N] \
 *       [--drain-timeout-ms N] [--quiet-ms N]
 *   spp_pktgen <EAL> ... -- --pool-stats
 *
 * One worker lcore (the first EAL worker; give it an lcore id no spp process
 * uses, since mempool caches are indexed by lcore id across processes)
 * sends frames round-robin over the streams into their rings at --pps, and
 * in the same loop drains every --rx-ring. Generation stops after --count
 * frames, after --duration-ms, or on the first SIGINT/SIGTERM/SIGUSR1.
 * Draining then goes on until every stream was seen whole and --quiet-ms
 * passed without a packet, or --drain-timeout-ms passed, or a second signal
 * arrives. The report (one JSON object) goes to stdout; logs to stderr.
 *
 * Frame: dst, src, [0x8100 TCI], ethertype 0x88B5 (local experimental),
 * "SPPG", run id (pid, u32), stream (u16), 0 (u16), seq (u64), zero padding
 * up to --size bytes (without FCS). Receivers skip up to two tags, so spp's
 * VLAN operations do not hide the payload.
 *
 * --pool-stats only prints {"in_use":N,"avail":N,"size":N} of the mbuf pool,
 * for leak checks once traffic stopped and the caches were flushed.
 *
 * Exit: 0 report printed, 1 bad options or missing shared objects.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define PKTGEN_ETHERTYPE 0x88B5
#define PKTGEN_MAGIC "SPPG"
#define MAX_STREAMS 64
#define MAX_RX_RINGS 64
#define RX_BURST 32
#define TX_BURST 32
#define POOL_NAME "MProc_pktmbuf_pool"

struct payload {
	char magic[4];
	uint32_t run_id;
	uint16_t stream;
	uint16_t zero;
	uint64_t seq;
} __attribute__((packed));

/* A set of sequence numbers, growing on demand (private libc memory). */
struct seqset {
	uint64_t *bits;
	uint64_t nb_words;
};

struct stream {
	unsigned int ring_id;
	struct rte_ring *ring;
	struct rte_ether_addr dst;
	int vid;		/* -1: untagged */
	uint64_t sent;		/* frames that entered the ring */
	uint64_t received;	/* over all rx rings */
	uint64_t unique;	/* distinct seqs over all rx rings */
	struct seqset seen;
};

struct rx_stream {
	uint64_t received;
	uint64_t unique;
	uint64_t dup;
	uint64_t reordered;
	int64_t first;
	int64_t last;
	int64_t max;
	struct seqset seen;
};

struct rx_ring {
	unsigned int ring_id;
	struct rte_ring *ring;
	uint64_t received;
	uint64_t foreign;
	struct rx_stream streams[MAX_STREAMS];
};

static struct stream streams[MAX_STREAMS];
static unsigned int nb_streams;
static struct rx_ring rx_rings[MAX_RX_RINGS];
static unsigned int nb_rx_rings;
static struct rte_ether_addr src_mac = {{0x02, 0x00, 0x00, 0x00, 0xaa, 0x01}};
static uint64_t opt_pps = 10000;
static uint64_t opt_count;
static uint64_t opt_duration_ms;
static unsigned int opt_size = 60;
static uint64_t opt_drain_timeout_ms = 10000;
static uint64_t opt_quiet_ms = 200;
static bool opt_pool_stats;

static struct rte_mempool *pool;
static uint32_t run_id;
static uint64_t nb_sent;
static uint64_t nb_nombuf;
static uint64_t nb_ring_full;
static bool drain_complete;
static volatile int worker_done;

/* Set by signal handlers: 1 = stop generating, 2 = stop draining too. */
static volatile sig_atomic_t stop_level;

static void
on_signal(int sig)
{
	(void)sig;
	if (stop_level < 2)
		stop_level++;
}

static int
seqset_add(struct seqset *s, uint64_t seq)
{
	uint64_t word = seq / 64;
	uint64_t mask = UINT64_C(1) << (seq % 64);

	if (word >= s->nb_words) {
		uint64_t n = s->nb_words ? s->nb_words : 1024;
		uint64_t *bits;

		while (n <= word)
			n *= 2;
		bits = realloc(s->bits, n * sizeof(*bits));
		if (bits == NULL) {
			fprintf(stderr, "spp_pktgen: out of memory\n");
			exit(1);
		}
		memset(bits + s->nb_words, 0, (n - s->nb_words) * sizeof(*bits));
		s->bits = bits;
		s->nb_words = n;
	}
	if (s->bits[word] & mask)
		return 0;
	s->bits[word] |= mask;
	return 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_us(unsigned int us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)us * 1000 };

	/* An interrupted sleep only makes the loop run early: harmless. */
	nanosleep(&ts, NULL);
}

/* Builds the frame for global index g; NULL when the pool is empty. */
static struct rte_mbuf *
build_frame(uint64_t g)
{
	unsigned int s = (unsigned int)(g % nb_streams);
	uint64_t seq = g / nb_streams;
	struct stream *st = &streams[s];
	struct rte_mbuf *m;
	struct payload pl;
	unsigned int len = opt_size;
	uint8_t *p;
	unsigned int off;

	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, len);
	memcpy(p, st->dst.addr_bytes, 6);
	memcpy(p + 6, src_mac.addr_bytes, 6);
	off = 12;
	if (st->vid >= 0) {
		uint16_t tpid = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		uint16_t tci = rte_cpu_to_be_16((uint16_t)st->vid);

		memcpy(p + off, &tpid, 2);
		memcpy(p + off + 2, &tci, 2);
		off += 4;
	}
	{
		uint16_t et = rte_cpu_to_be_16(PKTGEN_ETHERTYPE);

		memcpy(p + off, &et, 2);
		off += 2;
	}
	memcpy(pl.magic, PKTGEN_MAGIC, 4);
	pl.run_id = run_id;
	pl.stream = (uint16_t)s;
	pl.zero = 0;
	pl.seq = seq;
	memcpy(p + off, &pl, sizeof(pl));
	return m;
}

/*
 * Sends up to n frames, one enqueue each and in order, so that a stream
 * never has a gap: the first refused frame ends the burst and the same
 * index is built again on the next try.
 */
static unsigned int
send_frames(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t g = nb_sent;
		struct stream *st = &streams[g % nb_streams];
		struct rte_mbuf *m = build_frame(g);

		if (m == NULL) {
			nb_nombuf++;
			break;
		}
		if (rte_ring_enqueue(st->ring, m) != 0) {
			rte_pktmbuf_free(m);
			nb_ring_full++;
			break;
		}
		st->sent++;
		nb_sent++;
	}
	return i;
}

static void
account(struct rx_ring *rr, struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	unsigned int off = 12;
	uint16_t et;
	struct payload pl;
	struct rx_stream *rs;
	struct stream *st;
	int tags;

	rr->received++;
	for (tags = 0; tags <= 2; tags++) {
		if (len < off + 2)
			goto foreign;
		memcpy(&et, p + off, 2);
		et = rte_be_to_cpu_16(et);
		if (et != RTE_ETHER_TYPE_VLAN && et != RTE_ETHER_TYPE_QINQ)
			break;
		off += 4;
	}
	if (et != PKTGEN_ETHERTYPE || len < off + 2 + sizeof(pl))
		goto foreign;
	memcpy(&pl, p + off + 2, sizeof(pl));
	if (memcmp(pl.magic, PKTGEN_MAGIC, 4) != 0 || pl.run_id != run_id ||
	    pl.stream >= nb_streams)
		goto foreign;

	st = &streams[pl.stream];
	rs = &rr->streams[pl.stream];
	st->received++;
	st->unique += seqset_add(&st->seen, pl.seq);
	rs->received++;
	if (!seqset_add(&rs->seen, pl.seq)) {
		rs->dup++;
		return;
	}
	rs->unique++;
	if (rs->first < 0)
		rs->first = (int64_t)pl.seq;
	if (rs->max >= 0 && (int64_t)pl.seq < rs->max)
		rs->reordered++;
	else
		rs->max = (int64_t)pl.seq;
	rs->last = (int64_t)pl.seq;
	return;
foreign:
	rr->foreign++;
}

/* Drains every rx ring once (up to a few bursts each); returns packets. */
static unsigned int
drain_rings(void)
{
	unsigned int total = 0;
	unsigned int r;

	for (r = 0; r < nb_rx_rings; r++) {
		struct rx_ring *rr = &rx_rings[r];
		void *objs[RX_BURST];
		unsigned int n, i, k;

		for (k = 0; k < 8; k++) {
			n = rte_ring_dequeue_burst(rr->ring, objs, RX_BURST, NULL);
			for (i = 0; i < n; i++) {
				account(rr, objs[i]);
				/* Every received mbuf is ours to free (it may
				 * be one reference of a flooded packet). */
				rte_pktmbuf_free(objs[i]);
			}
			total += n;
			if (n < RX_BURST)
				break;
		}
	}
	return total;
}

static bool
all_streams_whole(void)
{
	unsigned int s;

	for (s = 0; s < nb_streams; s++)
		if (streams[s].unique < streams[s].sent)
			return false;
	return true;
}

static int
worker_main(void *arg)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t start = rte_get_tsc_cycles();
	uint64_t start_ms = now_ms();
	uint64_t end_ms, last_rx_ms;
	struct rte_mempool_cache *cache;

	(void)arg;
	/* Generation, with the output rings drained in the same loop. */
	while (stop_level == 0) {
		uint64_t elapsed = rte_get_tsc_cycles() - start;
		uint64_t target;
		unsigned int want, moved;

		if (opt_count != 0 && nb_sent >= opt_count)
			break;
		if (opt_duration_ms != 0 && now_ms() - start_ms >= opt_duration_ms)
			break;
		target = (uint64_t)((double)elapsed / (double)hz * (double)opt_pps);
		if (opt_count != 0 && target > opt_count)
			target = opt_count;
		want = target > nb_sent ? (unsigned int)RTE_MIN(target - nb_sent,
				(uint64_t)TX_BURST) : 0;
		moved = want ? send_frames(want) : 0;
		moved += drain_rings();
		if (moved == 0)
			sleep_us(50);	/* lcores share CPUs with spp workers */
	}

	/* Drain: whole streams then a quiet period, or the timeout. */
	end_ms = now_ms();
	last_rx_ms = end_ms;
	while (stop_level < 2) {
		uint64_t t = now_ms();

		if (drain_rings() > 0) {
			last_rx_ms = now_ms();
			continue;
		}
		if (all_streams_whole() && t - last_rx_ms >= opt_quiet_ms) {
			drain_complete = true;
			break;
		}
		if (t - end_ms >= opt_drain_timeout_ms)
			break;
		sleep_us(100);
	}

	/* Give the lcore's cached mbufs back, so leak checks in the primary
	 * see an exact count and the next user of this lcore id starts clean. */
	cache = rte_mempool_default_cache(pool, rte_lcore_id());
	if (cache != NULL)
		rte_mempool_cache_flush(cache, pool);
	__atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static struct rte_ring *
lookup_ring(unsigned int id)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "eth_ring%u", id);
	r = rte_ring_lookup(name);
	if (r == NULL) {
		fprintf(stderr, "spp_pktgen: ring %s not found\n", name);
		exit(1);
	}
	return r;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || *end != '\0') ? -1 : 0;
}

static int
parse_stream_tokens(char *arg, struct stream *st)
{
	char *ring = strtok(arg, ",");
	char *mac = strtok(NULL, ",");
	char *vid = strtok(NULL, ",");
	uint64_t v;

	if (ring == NULL || mac == NULL || strtok(NULL, ",") != NULL)
		return -1;
	if (parse_u64(ring, &v) < 0 || v > 1023)
		return -1;
	st->ring_id = (unsigned int)v;
	if (rte_ether_unformat_addr(mac, &st->dst) < 0)
		return -1;
	st->vid = -1;
	if (vid != NULL) {
		if (parse_u64(vid, &v) < 0 || v > 4095)
			return -1;
		st->vid = (int)v;
	}
	return 0;
}

/* RING,DSTMAC[,VID]; tokenised on a copy so argv stays readable in ps. */
static int
parse_stream(const char *arg, struct stream *st)
{
	char *copy = strdup(arg);
	int ret;

	if (copy == NULL)
		return -1;
	ret = parse_stream_tokens(copy, st);
	free(copy);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr, "usage: spp_pktgen <EAL> -- --stream RING,DSTMAC[,VID]... "
		"[--rx-ring N]... [--src MAC] [--pps N] [--count N] [--duration-ms N] "
		"[--size N] [--drain-timeout-ms N] [--quiet-ms N] | --pool-stats\n");
	exit(1);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "rx-ring", required_argument, NULL, 'r' },
		{ "src", required_argument, NULL, 'S' },
		{ "pps", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration-ms", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 'z' },
		{ "drain-timeout-ms", required_argument, NULL, 't' },
		{ "quiet-ms", required_argument, NULL, 'q' },
		{ "pool-stats", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (nb_streams == MAX_STREAMS ||
			    parse_stream(optarg, &streams[nb_streams]) < 0)
				usage();
			nb_streams++;
			break;
		case 'r':
			if (nb_rx_rings == MAX_RX_RINGS || parse_u64(optarg, &v) < 0 ||
			    v > 1023)
				usage();
			rx_rings[nb_rx_rings++].ring_id = (unsigned int)v;
			break;
		case 'S':
			if (rte_ether_unformat_addr(optarg, &src_mac) < 0)
				usage();
			break;
		case 'p':
			if (parse_u64(optarg, &opt_pps) < 0 || opt_pps == 0)
				usage();
			break;
		case 'c':
			if (parse_u64(optarg, &opt_count) < 0)
				usage();
			break;
		case 'd':
			if (parse_u64(optarg, &opt_duration_ms) < 0)
				usage();
			break;
		case 'z':
			if (parse_u64(optarg, &v) < 0 || v < 60 || v > 1514)
				usage();
			opt_size = (unsigned int)v;
			break;
		case 't':
			if (parse_u64(optarg, &opt_drain_timeout_ms) < 0)
				usage();
			break;
		case 'q':
			if (parse_u64(optarg, &opt_quiet_ms) < 0)
				usage();
			break;
		case 'P':
			opt_pool_stats = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (nb_streams == 0 && !opt_pool_stats))
		usage();
}

static void
print_report(void)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int s, r;

	printf("{\"run_id\":%" PRIu32 ",\"sent\":%" PRIu64 ",\"nombuf\":%" PRIu64
	       ",\"ring_full\":%" PRIu64 ",\"drain_complete\":%s,\"streams\":[",
	       run_id, nb_sent, nb_nombuf, nb_ring_full, drain_complete ? "true" : "false");
	for (s = 0; s < nb_streams; s++) {
		struct stream *st = &streams[s];

		rte_ether_format_addr(mac, sizeof(mac), &st->dst);
		printf("%s{\"stream\":%u,\"ring\":%u,\"dst\":\"%s\",\"vlan\":%d,"
		       "\"sent\":%" PRIu64 ",\"received\":%" PRIu64 ",\"unique\":%" PRIu64
		       ",\"lost\":%" PRIu64 ",\"dup\":%" PRIu64 "}",
		       s ? "," : "", s, st->ring_id, mac, st->vid, st->sent, st->received,
		       st->unique, st->sent - st->unique, st->received - st->unique);
	}
	printf("],\"rings\":[");
	for (r = 0; r < nb_rx_rings; r++) {
		struct rx_ring *rr = &rx_rings[r];

		printf("%s{\"ring\":%u,\"received\":%" PRIu64 ",\"foreign\":%" PRIu64
		       ",\"streams\":[", r ? "," : "", rr->ring_id, rr->received, rr->foreign);
		for (s = 0; s < nb_streams; s++) {
			struct rx_stream *rs = &rr->streams[s];

			printf("%s{\"stream\":%u,\"received\":%" PRIu64 ",\"lost\":%" PRIu64
			       ",\"dup\":%" PRIu64 ",\"reordered\":%" PRIu64 ",\"first\":%" PRId64
			       ",\"last\":%" PRId64 "}",
			       s ? "," : "", s, rs->received, streams[s].sent - rs->unique,
			       rs->dup, rs->reordered, rs->first, rs->last);
		}
		printf("]}");
	}
	printf("]}\n");
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned int worker, s, r, i;
	int ret;

	/* Handlers first: a signal that arrives during rte_eal_init must not
	 * kill the process (or be lost when the shell had it ignored). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "spp_pktgen: rte_eal_init failed\n");
		return 1;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		/* As a primary it would own (and at exit tear down) the
		 * objects it is meant to borrow. */
		fprintf(stderr, "spp_pktgen: must run with --proc-type=secondary\n");
		return 1;
	}
	parse_args(argc - ret, argv + ret);

	pool = rte_mempool_lookup(POOL_NAME);
	if (pool == NULL) {
		fprintf(stderr, "spp_pktgen: mempool %s not found\n", POOL_NAME);
		return 1;
	}
	if (opt_pool_stats) {
		printf("{\"in_use\":%u,\"avail\":%u,\"size\":%u}\n",
		       rte_mempool_in_use_count(pool), rte_mempool_avail_count(pool), pool->size);
		return 0;
	}
	for (s = 0; s < nb_streams; s++)
		streams[s].ring = lookup_ring(streams[s].ring_id);
	for (r = 0; r < nb_rx_rings; r++) {
		rx_rings[r].ring = lookup_ring(rx_rings[r].ring_id);
		for (i = 0; i < MAX_STREAMS; i++) {
			rx_rings[r].streams[i].first = -1;
			rx_rings[r].streams[i].last = -1;
			rx_rings[r].streams[i].max = -1;
		}
	}
	run_id = (uint32_t)getpid();

	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "spp_pktgen: needs one worker lcore\n");
		return 1;
	}
	ret = rte_eal_remote_launch(worker_main, NULL, worker);
	if (ret != 0) {
		fprintf(stderr, "spp_pktgen: cannot launch lcore %u\n", worker);
		return 1;
	}
	/* rte_eal_wait_lcore() spins; sleep instead, the CPUs are shared. */
	while (!__atomic_load_n(&worker_done, __ATOMIC_ACQUIRE))
		sleep_us(10000);
	rte_eal_wait_lcore(worker);
	print_report();
	/* No rte_eal_cleanup(): in a 22.11 secondary its bus cleanup calls the
	 * vdev drivers' remove, which can reset the primary's devices. */
	return 0;
}
