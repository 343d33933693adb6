/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture (SPEC §9.4): the SPSC byte ring (wrap-around, full ring -> drops,
 * quota, publication), the pcapng blocks byte for byte, the clock, and a
 * capture object writing a real file. Pure C, no DPDK.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "spp_capture.h"

#define SMALL_RING	(128u << 10)	/* the smallest ring: one 64 KiB record fits */

static void
fill(uint8_t *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed * 31 + i * 7);
}

/* ================= ring ================= */

static void
test_ring_rejects_a_size_that_is_not_a_power_of_two_or_too_small(void **state)
{
	(void)state;
	assert_null(spp_cap_ring_create(SMALL_RING + 8, UINT64_MAX));
	assert_int_equal(errno, EINVAL);
	assert_null(spp_cap_ring_create(64u << 10, UINT64_MAX));
	assert_int_equal(errno, EINVAL);
}

static void
test_ring_empty_has_nothing_to_pop(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, UINT64_MAX);
	struct spp_cap_rec rec;
	uint8_t data[8];

	(void)state;
	assert_non_null(r);
	spp_cap_ring_sync(r);
	assert_false(spp_cap_ring_peek(r, &rec));
	assert_false(spp_cap_ring_pop(r, &rec, data));
	assert_int_equal(spp_cap_ring_drops(r), 0);
	spp_cap_ring_destroy(r);
	spp_cap_ring_destroy(NULL);
}

static void
test_ring_records_wrap_around_the_end_many_times_intact(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, UINT64_MAX);
	uint8_t in[1500], out[1500];
	unsigned int straddled = 0;

	(void)state;
	assert_non_null(r);
	/* Odd sizes: records start at every alignment and straddle the end. */
	for (unsigned int i = 0; i < 2000; i++) {
		uint32_t len = 1 + (i * 37) % 1499;
		uint64_t start = r->prod_head;
		struct spp_cap_rec rec;

		fill(in, len, i);
		assert_true(spp_cap_ring_push(r, 1000 + i, len + 4, in, len));
		if ((start & r->mask) + SPP_CAP_REC_SIZE(len) > SMALL_RING)
			straddled++;
		spp_cap_ring_sync(r);
		assert_true(spp_cap_ring_peek(r, &rec));
		assert_int_equal(rec.caplen, len);
		memset(out, 0, sizeof(out));
		assert_true(spp_cap_ring_pop(r, &rec, out));
		assert_int_equal(rec.caplen, len);
		assert_int_equal(rec.orig_len, len + 4);
		assert_int_equal(rec.ts, 1000 + i);
		assert_memory_equal(in, out, len);
		assert_false(spp_cap_ring_peek(r, &rec));
	}
	/* ~1.5 MB went through a 128 KiB ring. */
	assert_true(r->tail > 10 * (uint64_t)SMALL_RING);
	assert_true(straddled >= 5);
	assert_int_equal(spp_cap_ring_drops(r), 0);
	spp_cap_ring_destroy(r);
}

static void
test_ring_keeps_fifo_order_across_a_batch(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, UINT64_MAX);
	uint8_t in[300], out[300];
	struct spp_cap_rec rec;

	(void)state;
	for (unsigned int round = 0; round < 20; round++) {
		for (unsigned int i = 0; i < 100; i++) {
			fill(in, 200 + i, round * 100 + i);
			assert_true(spp_cap_ring_push(r, round * 100 + i, 200 + i, in, 200 + i));
		}
		spp_cap_ring_sync(r);
		for (unsigned int i = 0; i < 100; i++) {
			assert_true(spp_cap_ring_pop(r, &rec, out));
			fill(in, 200 + i, round * 100 + i);
			assert_int_equal(rec.ts, round * 100 + i);
			assert_int_equal(rec.caplen, 200 + i);
			assert_memory_equal(in, out, 200 + i);
		}
		assert_false(spp_cap_ring_pop(r, &rec, out));
	}
	spp_cap_ring_destroy(r);
}

static void
test_ring_full_counts_drops_and_keeps_what_it_holds(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, UINT64_MAX);
	uint8_t in[990], out[990];
	struct spp_cap_rec rec;
	unsigned int pushed = 0;

	(void)state;
	fill(in, sizeof(in), 1);
	while (spp_cap_ring_push(r, pushed, 990, in, 990))
		pushed++;
	/* 1008 bytes per record: 130 fit in 131072 bytes, 32 are left. */
	assert_int_equal(pushed, 130);
	assert_int_equal(SMALL_RING / SPP_CAP_REC_SIZE(990), 130);
	assert_int_equal(spp_cap_ring_drops(r), 1);
	assert_false(spp_cap_ring_push(r, 0, 990, in, 990));
	assert_false(spp_cap_ring_push(r, 0, 990, in, 990));
	assert_int_equal(spp_cap_ring_drops(r), 3);
	/* A smaller record still fits in the slack: drops are per record. */
	assert_true(SMALL_RING - pushed * SPP_CAP_REC_SIZE(990) >= SPP_CAP_REC_SIZE(8));
	assert_true(spp_cap_ring_push(r, 999, 8, in, 8));
	/* What is in it is intact; freeing room lets the producer go on. */
	spp_cap_ring_sync(r);
	assert_true(spp_cap_ring_pop(r, &rec, out));
	assert_int_equal(rec.ts, 0);
	assert_memory_equal(in, out, 990);
	assert_true(spp_cap_ring_push(r, 1000, 990, in, 990));
	assert_int_equal(spp_cap_ring_drops(r), 3);
	spp_cap_ring_sync(r);
	for (unsigned int i = 1; i < pushed; i++) {
		assert_true(spp_cap_ring_pop(r, &rec, out));
		assert_int_equal(rec.ts, i);
	}
	assert_true(spp_cap_ring_pop(r, &rec, out));
	assert_int_equal(rec.ts, 999);
	assert_true(spp_cap_ring_pop(r, &rec, out));
	assert_int_equal(rec.ts, 1000);
	assert_false(spp_cap_ring_pop(r, &rec, out));
	spp_cap_ring_destroy(r);
}

static void
test_ring_quota_stops_accepting_without_counting_drops(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, 3);
	uint8_t in[64] = { 0 };

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_false(spp_cap_ring_quota_reached(r));
		assert_true(spp_cap_ring_push(r, (uint64_t)i, 64, in, 64));
	}
	assert_true(spp_cap_ring_quota_reached(r));
	assert_false(spp_cap_ring_push(r, 3, 64, in, 64));
	assert_int_equal(spp_cap_ring_drops(r), 0);
	spp_cap_ring_destroy(r);
}

static void
test_ring_consumer_sees_records_only_once_published_and_synced(void **state)
{
	struct spp_cap_ring *r = spp_cap_ring_create(SMALL_RING, UINT64_MAX);
	uint8_t in[10] = "abcdefghij", out[10];
	struct spp_cap_rec rec;

	(void)state;
	assert_true(spp_cap_ring_reserve(r, 10, 10, 7));
	spp_cap_ring_write(r, in, 4);
	spp_cap_ring_write(r, in + 4, 6);
	spp_cap_ring_sync(r);
	assert_false(spp_cap_ring_peek(r, &rec));
	spp_cap_ring_publish(r);
	assert_false(spp_cap_ring_peek(r, &rec));	/* not synced yet */
	spp_cap_ring_sync(r);
	assert_true(spp_cap_ring_pop(r, &rec, out));
	assert_memory_equal(in, out, 10);
	spp_cap_ring_destroy(r);
}

/* ================= pcapng blocks ================= */

static void
test_pcapng_shb_bytes(void **state)
{
	static const uint8_t expected[] = {
		0x0a, 0x0d, 0x0d, 0x0a,	/* block type */
		40, 0, 0, 0,		/* total length */
		0x4d, 0x3c, 0x2b, 0x1a,	/* byte-order magic */
		1, 0, 0, 0,		/* version 1.0 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* section length -1 */
		4, 0, 3, 0, 's', 'p', 'p', 0,	/* shb_userappl "spp", padded */
		0, 0, 0, 0,		/* opt_endofopt */
		40, 0, 0, 0,
	};
	uint8_t buf[64];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(spp_pcapng_shb(buf, sizeof(buf), "spp"), sizeof(expected));
	assert_memory_equal(buf, expected, sizeof(expected));
	assert_int_equal(spp_pcapng_shb(buf, sizeof(expected) - 1, "spp"), 0);
	/* Without options: 28 bytes. */
	assert_int_equal(spp_pcapng_shb(buf, sizeof(buf), NULL), 28);
	assert_int_equal(buf[4], 28);
	assert_int_equal(buf[24], 28);
}

static void
test_pcapng_idb_bytes_with_if_name_and_tsresol(void **state)
{
	static const uint8_t expected[] = {
		1, 0, 0, 0,		/* block type IDB */
		48, 0, 0, 0,		/* total length */
		1, 0,			/* linktype Ethernet */
		0, 0,			/* reserved */
		0xff, 0xff, 0, 0,	/* snaplen 65535 */
		2, 0, 10, 0,		/* if_name, 10 bytes, padded to 12 */
		'p', 'h', 'y', ':', '0', ' ', 'n', 'q', ' ', '1', 0, 0,
		9, 0, 1, 0, 9, 0, 0, 0,	/* if_tsresol 9: nanoseconds */
		0, 0, 0, 0,		/* opt_endofopt */
		48, 0, 0, 0,
	};
	uint8_t buf[64];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(spp_pcapng_idb(buf, sizeof(buf), "phy:0 nq 1", 65535), sizeof(expected));
	assert_memory_equal(buf, expected, sizeof(expected));
	/* A name of a multiple of 4 bytes needs no padding. */
	assert_int_equal(spp_pcapng_idb(buf, sizeof(buf), "ring", 65535), 40);
	assert_memory_equal(buf + 16, "\x02\x00\x04\x00ring\x09\x00\x01\x00\x09\0\0\0\0\0\0\0", 20);
	assert_int_equal(buf[36], 40);
	assert_int_equal(spp_pcapng_idb(buf, 39, "ring", 65535), 0);
}

static void
test_pcapng_epb_bytes_with_padding_and_flags(void **state)
{
	static const uint8_t expected[] = {
		6, 0, 0, 0,		/* block type EPB */
		52, 0, 0, 0,		/* total length */
		0, 0, 0, 0,		/* interface 0 */
		0x04, 0x03, 0x02, 0x01,	/* timestamp high */
		0x08, 0x07, 0x06, 0x05,	/* timestamp low */
		5, 0, 0, 0,		/* captured length */
		60, 0, 0, 0,		/* original length */
		'h', 'e', 'l', 'l', 'o', 0, 0, 0,	/* data, padded */
		2, 0, 4, 0, 2, 0, 0, 0,	/* epb_flags: outbound */
		0, 0, 0, 0,		/* opt_endofopt */
		52, 0, 0, 0,
	};
	uint8_t buf[64];

	(void)state;
	assert_int_equal(spp_pcapng_epb_size(5), 52);
	assert_int_equal(spp_pcapng_epb_size(8), 52);
	assert_int_equal(spp_pcapng_epb_size(9), 56);
	memset(buf, 0xee, sizeof(buf));
	memcpy(buf + 28, "hello", 5);
	assert_int_equal(spp_pcapng_epb_wrap(buf, 0x0102030405060708ull, 5, 60,
					     SPP_PCAPNG_EPB_OUTBOUND), 52);
	assert_memory_equal(buf, expected, sizeof(expected));
	/* 4-byte multiple: no padding, inbound. */
	memcpy(buf + 28, "abcd", 4);
	assert_int_equal(spp_pcapng_epb_wrap(buf, 1, 4, 4, SPP_PCAPNG_EPB_INBOUND), 48);
	assert_memory_equal(buf + 28, "abcd\x02\x00\x04\x00\x01\0\0\0\0\0\0\0\x30\0\0\0", 20);
}

/* ================= clock ================= */

static void
test_clock_converts_tsc_to_unix_nanoseconds_without_overflow(void **state)
{
	const struct spp_capture_clock clk = {
		.ts0 = 1000000, .ns0 = 1700000000000000000ull, .hz = 2000000000,
	};

	(void)state;
	assert_int_equal(spp_capture_clock_ns(&clk, 1000000), clk.ns0);
	assert_int_equal(spp_capture_clock_ns(&clk, 1002000), clk.ns0 + 1000);
	assert_int_equal(spp_capture_clock_ns(&clk, 998000), clk.ns0 - 1000);
	/* Ten hours of a 2 GHz TSC: (ts - ts0) * 1e9 needs more than 64 bits. */
	assert_int_equal(spp_capture_clock_ns(&clk, 1000000 + 36000ull * 2000000000),
			 clk.ns0 + 36000ull * 1000000000);
}

/* ================= capture object and file ================= */

struct tmp {
	char dir[64];
};

static int
setup_tmp(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/spp_capture_test.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	*state = t;
	return 0;
}

static int
teardown_tmp(void **state)
{
	struct tmp *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static struct spp_capture_params
params(const struct tmp *t, const char *file, unsigned int dirs, uint64_t max)
{
	return (struct spp_capture_params){
		.dir = t->dir, .file = file, .if_name = "ring:3", .dirs = dirs, .max = max,
		.ring_size = SMALL_RING,
		.clock = { .ts0 = 0, .ns0 = 1700000000000000000ull, .hz = 1000000000 },
	};
}

static uint8_t *
read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);

	assert_non_null(f);
	*size = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

struct epb {
	uint64_t ts;
	uint32_t caplen, orig_len, flags;
	const uint8_t *data;
};

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Walk the blocks; check SHB then IDB(if_name) then EPBs. Returns the EPB count. */
static int
parse(const uint8_t *buf, size_t size, const char *if_name, struct epb *out, int max)
{
	size_t o = 0;
	int n = 0;

	assert_int_equal(get32(buf), 0x0a0d0d0a);
	o += get32(buf + 4);
	assert_int_equal(get32(buf + o), 1);
	assert_int_equal(get32(buf + o + 16) & 0xffff, 2);	/* if_name first */
	assert_int_equal(get32(buf + o + 16) >> 16, strlen(if_name));
	assert_memory_equal(buf + o + 20, if_name, strlen(if_name));
	o += get32(buf + o + 4);
	while (o < size) {
		uint32_t len = get32(buf + o + 4);

		assert_int_equal(get32(buf + o), 6);
		assert_int_equal(get32(buf + o + len - 4), len);
		assert_true(n < max);
		out[n].ts = (uint64_t)get32(buf + o + 12) << 32 | get32(buf + o + 16);
		out[n].caplen = get32(buf + o + 20);
		out[n].orig_len = get32(buf + o + 24);
		out[n].data = buf + o + 28;
		out[n].flags = get32(buf + o + 28 + ((out[n].caplen + 3) & ~3u) + 4);
		n++;
		o += len;
	}
	assert_int_equal(o, size);
	return n;
}

static void
test_capture_both_writes_shb_idb_and_epbs_oldest_first(void **state)
{
	struct tmp *t = *state;
	struct spp_capture_params p = params(t, "both.pcapng", SPP_CAPTURE_BOTH, 0);
	char detail[160] = "", path[128];
	struct spp_capture *c = spp_capture_create(&p, detail, sizeof(detail));
	struct spp_cap_ring *rx, *tx;
	struct epb e[8];
	uint8_t pkt[100];
	size_t size;
	uint8_t *buf;

	assert_non_null(c);
	rx = spp_capture_ring(c, 0);
	tx = spp_capture_ring(c, 1);
	assert_non_null(rx);
	assert_non_null(tx);
	fill(pkt, sizeof(pkt), 9);
	assert_true(spp_cap_ring_push(rx, 10, 60, pkt, 60));
	assert_true(spp_cap_ring_push(rx, 30, 61, pkt + 1, 61));
	assert_true(spp_cap_ring_push(tx, 20, 62, pkt + 2, 62));
	/* A packet longer than what was kept of it. */
	assert_true(spp_cap_ring_push(tx, 40, 100, pkt + 3, 63));
	assert_int_equal(spp_capture_drain(c), 4);
	assert_int_equal(spp_capture_packets(c), 4);
	assert_int_equal(spp_capture_drops(c), 0);
	assert_false(spp_capture_done(c));
	snprintf(path, sizeof(path), "%s/both.pcapng", t->dir);
	assert_string_equal(spp_capture_path(c), path);
	/* Published after the drain: destroy writes it before closing. */
	assert_true(spp_cap_ring_push(rx, 50, 64, pkt + 4, 64));
	assert_int_equal(spp_capture_destroy(c), 0);

	buf = read_file(path, &size);
	assert_int_equal(parse(buf, size, "ring:3", e, 8), 5);
	/* Oldest first across the two rings; direction in epb_flags. */
	const uint64_t ts[] = { 10, 20, 30, 40, 50 };
	const uint32_t caplen[] = { 60, 62, 61, 63, 64 };
	const uint32_t orig[] = { 60, 62, 61, 100, 64 };
	const uint32_t flags[] = { 1, 2, 1, 2, 1 };
	const unsigned int off[] = { 0, 2, 1, 3, 4 };

	for (int i = 0; i < 5; i++) {
		assert_int_equal(e[i].ts, 1700000000000000000ull + ts[i]);
		assert_int_equal(e[i].caplen, caplen[i]);
		assert_int_equal(e[i].orig_len, orig[i]);
		assert_int_equal(e[i].flags, flags[i]);
		assert_memory_equal(e[i].data, pkt + off[i], caplen[i]);
	}
	free(buf);
}

static void
test_capture_max_closes_the_file_and_makes_it_done(void **state)
{
	struct tmp *t = *state;
	struct spp_capture_params p = params(t, "max.pcapng", SPP_CAPTURE_RX, 3);
	char detail[160] = "", path[128];
	struct spp_capture *c = spp_capture_create(&p, detail, sizeof(detail));
	struct spp_cap_ring *rx;
	struct epb e[8];
	uint8_t pkt[64] = { 1, 2, 3 };
	size_t size;
	uint8_t *buf;

	assert_non_null(c);
	rx = spp_capture_ring(c, 0);
	assert_null(spp_capture_ring(c, 1));
	for (int i = 0; i < 3; i++)
		assert_true(spp_cap_ring_push(rx, (uint64_t)i, 64, pkt, 64));
	/* The ring's quota is MAX: the producer stops by itself. */
	assert_true(spp_cap_ring_quota_reached(rx));
	assert_false(spp_cap_ring_push(rx, 3, 64, pkt, 64));
	assert_int_equal(spp_capture_drain(c), 3);
	assert_true(spp_capture_done(c));
	assert_int_equal(spp_capture_error(c), 0);
	assert_int_equal(spp_capture_drain(c), 0);
	snprintf(path, sizeof(path), "%s/max.pcapng", t->dir);
	buf = read_file(path, &size);
	assert_int_equal(parse(buf, size, "ring:3", e, 8), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(e[i].ts, 1700000000000000000ull + (uint64_t)i);
		assert_int_equal(e[i].flags, SPP_PCAPNG_EPB_INBOUND);
	}
	free(buf);
	assert_int_equal(spp_capture_destroy(c), 0);
	assert_int_equal(spp_capture_destroy(NULL), 0);
}

static void
test_capture_create_refuses_an_existing_file_and_leaves_it(void **state)
{
	struct tmp *t = *state;
	struct spp_capture_params p = params(t, "x.pcapng", SPP_CAPTURE_TX, 0);
	char detail[160] = "", path[128];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/x.pcapng", t->dir);
	f = fopen(path, "w");
	fputs("keep", f);
	fclose(f);
	assert_null(spp_capture_create(&p, detail, sizeof(detail)));
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(detail, "x.pcapng"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);
}

static void
test_capture_create_makes_missing_directories_0750(void **state)
{
	struct tmp *t = *state;
	char dir[128], detail[160] = "";
	struct spp_capture_params p;
	struct spp_capture *c;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/a/b", t->dir);
	p = params(t, "f.pcapng", SPP_CAPTURE_RX, 0);
	p.dir = dir;
	umask(022);
	c = spp_capture_create(&p, detail, sizeof(detail));
	assert_non_null(c);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0750);
	spp_capture_abort(c);
	/* abort removes the file (a failed command leaves nothing). */
	snprintf(dir, sizeof(dir), "%s/a/b/f.pcapng", t->dir);
	assert_int_not_equal(stat(dir, &st), 0);
}

static void
test_capture_create_fails_when_the_directory_cannot_be_made(void **state)
{
	struct tmp *t = *state;
	char dir[128], detail[160] = "";
	struct spp_capture_params p;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/plain", t->dir);
	f = fopen(dir, "w");
	fclose(f);
	snprintf(dir, sizeof(dir), "%s/plain/sub", t->dir);
	p = params(t, "f.pcapng", SPP_CAPTURE_RX, 0);
	p.dir = dir;
	assert_null(spp_capture_create(&p, detail, sizeof(detail)));
	assert_int_equal(errno, ENOTDIR);
	assert_non_null(strstr(detail, "plain/sub"));
}

static void
test_capture_file_names(void **state)
{
	char name[80];

	(void)state;
	assert_true(spp_capture_file_valid("a"));
	assert_true(spp_capture_file_valid("A-z_0.9.pcapng"));
	assert_true(spp_capture_file_valid("x."));
	assert_false(spp_capture_file_valid(""));
	assert_false(spp_capture_file_valid(".x"));
	assert_false(spp_capture_file_valid("a/b"));
	assert_false(spp_capture_file_valid("a b"));
	assert_false(spp_capture_file_valid("a~"));
	assert_false(spp_capture_file_valid("\xc3\xa9"));
	memset(name, 'n', sizeof(name));
	name[64] = '\0';
	assert_true(spp_capture_file_valid(name));
	name[64] = 'n';
	name[65] = '\0';
	assert_false(spp_capture_file_valid(name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_rejects_a_size_that_is_not_a_power_of_two_or_too_small),
		cmocka_unit_test(test_ring_empty_has_nothing_to_pop),
		cmocka_unit_test(test_ring_records_wrap_around_the_end_many_times_intact),
		cmocka_unit_test(test_ring_keeps_fifo_order_across_a_batch),
		cmocka_unit_test(test_ring_full_counts_drops_and_keeps_what_it_holds),
		cmocka_unit_test(test_ring_quota_stops_accepting_without_counting_drops),
		cmocka_unit_test(test_ring_consumer_sees_records_only_once_published_and_synced),
		cmocka_unit_test(test_pcapng_shb_bytes),
		cmocka_unit_test(test_pcapng_idb_bytes_with_if_name_and_tsresol),
		cmocka_unit_test(test_pcapng_epb_bytes_with_padding_and_flags),
		cmocka_unit_test(test_clock_converts_tsc_to_unix_nanoseconds_without_overflow),
		cmocka_unit_test_setup_teardown(
			test_capture_both_writes_shb_idb_and_epbs_oldest_first,
			setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_capture_max_closes_the_file_and_makes_it_done,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
			test_capture_create_refuses_an_existing_file_and_leaves_it,
			setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_capture_create_makes_missing_directories_0750,
						setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
			test_capture_create_fails_when_the_directory_cannot_be_made,
			setup_tmp, teardown_tmp),
		cmocka_unit_test(test_capture_file_names),
	};

	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
