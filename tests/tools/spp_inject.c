/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_inject: a DPDK secondary used by the system tests to put frames of a
 * pcap file into an spp ring as mbuf layouts no vdev produces: chains with
 * a chosen first-segment size and segment size, and first segments with
 * little or no headroom.
 *
 *   spp_inject --lcores 9@0 --proc-type=secondary --file-prefix=<primary's> \
 *       -- --ring N --pcap FILE [--first F] [--seg K] [--headroom H]
 *
 * Each frame of FILE (classic pcap, as tests/system/conftest.write_pcap
 * writes it) becomes one packet: the first segment holds min(F, len) bytes
 * and starts H bytes into its buffer (default RTE_PKTMBUF_HEADROOM), later
 * segments hold K bytes each (the last one the rest). F and K default to
 * the data room, so a frame that fits is one segment. Packets are enqueued
 * in file order; a full ring is retried for up to 10 s. mbufs come from
 * MProc_pktmbuf_pool; run it on an lcore id no other process uses (its
 * mempool cache is flushed before exit).
 *
 * Output: {"sent":N} on stdout. Exit 0 when every frame was enqueued, 1 on
 * bad options, a missing ring/pool or a file it cannot read, 2 when frames
 * could not be enqueued (no mbuf, ring full for 10 s).
 */

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define POOL_NAME "MProc_pktmbuf_pool"
#define MAX_FRAME 65535

static unsigned int opt_ring = UINT32_MAX;
static const char *opt_pcap;
static unsigned int opt_first;
static unsigned int opt_seg;
static int opt_headroom = -1;

static void
usage(void)
{
	fprintf(stderr, "usage: spp_inject <EAL> -- --ring N --pcap FILE [--first F] "
		"[--seg K] [--headroom H]\n");
	exit(1);
}

static unsigned int
parse_uint(const char *s, unsigned int max)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		usage();
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		usage();
	return (unsigned int)v;
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ring", required_argument, NULL, 'r' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "first", required_argument, NULL, 'f' },
		{ "seg", required_argument, NULL, 's' },
		{ "headroom", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt_ring = parse_uint(optarg, 1023);
			break;
		case 'p':
			opt_pcap = optarg;
			break;
		case 'f':
			opt_first = parse_uint(optarg, UINT16_MAX);
			break;
		case 's':
			opt_seg = parse_uint(optarg, UINT16_MAX);
			break;
		case 'h':
			opt_headroom = (int)parse_uint(optarg, UINT16_MAX);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || opt_ring == UINT32_MAX || opt_pcap == NULL)
		usage();
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* One packet of len bytes laid out per the options; NULL: no mbuf. */
static struct rte_mbuf *
build(struct rte_mempool *pool, const uint8_t *data, unsigned int len)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	unsigned int off = 0;

	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		unsigned int room, n;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (head == NULL && opt_headroom >= 0)
			m->data_off = (uint16_t)RTE_MIN((unsigned int)opt_headroom,
							(unsigned int)m->buf_len);
		room = rte_pktmbuf_tailroom(m);
		n = len - off;
		if (head == NULL && opt_first != 0 && n > opt_first)
			n = opt_first;
		if (head != NULL && opt_seg != 0 && n > opt_seg)
			n = opt_seg;
		if (n > room)
			n = room;
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), data + off, n);
		m->data_len = (uint16_t)n;
		off += n;
		if (head == NULL) {
			head = tail = m;
			head->pkt_len = n;
		} else {
			tail->next = m;
			tail = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
	} while (off < len);
	return head;
}

int
main(int argc, char **argv)
{
	static uint8_t frame[MAX_FRAME];
	struct rte_mempool *pool;
	struct rte_ring *ring;
	char name[RTE_RING_NAMESIZE];
	uint32_t hdr[6], rec[4];
	unsigned long sent = 0;
	int rc = 0;
	FILE *f;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "spp_inject: rte_eal_init failed\n");
		return 1;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		fprintf(stderr, "spp_inject: must run with --proc-type=secondary\n");
		return 1;
	}
	parse_args(argc - ret, argv + ret);
	pool = rte_mempool_lookup(POOL_NAME);
	snprintf(name, sizeof(name), "eth_ring%u", opt_ring);
	ring = rte_ring_lookup(name);
	if (pool == NULL || ring == NULL) {
		fprintf(stderr, "spp_inject: %s not found\n", pool == NULL ? POOL_NAME : name);
		return 1;
	}
	f = fopen(opt_pcap, "rb");
	if (f == NULL || fread(hdr, 4, 6, f) != 6 || hdr[0] != 0xa1b2c3d4) {
		fprintf(stderr, "spp_inject: %s: not a little-endian pcap file\n", opt_pcap);
		return 1;
	}
	while (rc == 0 && fread(rec, 4, 4, f) == 4) {
		struct rte_mbuf *m;
		uint64_t deadline;

		if (rec[2] > MAX_FRAME || fread(frame, 1, rec[2], f) != rec[2]) {
			fprintf(stderr, "spp_inject: %s: truncated record\n", opt_pcap);
			rc = 1;
			break;
		}
		m = build(pool, frame, rec[2]);
		if (m == NULL) {
			fprintf(stderr, "spp_inject: no mbuf\n");
			rc = 2;
			break;
		}
		deadline = now_ms() + 10000;
		while (rte_ring_enqueue(ring, m) != 0) {
			struct timespec ts = { 0, 100000 };

			if (now_ms() > deadline) {
				fprintf(stderr, "spp_inject: %s full for 10 s\n", name);
				rte_pktmbuf_free(m);
				rc = 2;
				break;
			}
			nanosleep(&ts, NULL);
		}
		if (rc == 0)
			sent++;
	}
	fclose(f);
	{
		struct rte_mempool_cache *cache = rte_mempool_default_cache(pool,
									   rte_lcore_id());

		if (cache != NULL)
			rte_mempool_cache_flush(cache, pool);
	}
	printf("{\"sent\":%lu}\n", sent);
	fflush(stdout);
	/* No rte_eal_cleanup(): see spp_pktgen. */
	return rc;
}
