/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture of a port (SPEC §9.4): a private single-producer /
 * single-consumer byte ring per captured direction, and a pcapng writer.
 *
 * A worker lcore copies up to SPP_CAPTURE_SNAPLEN bytes of each captured
 * packet into the ring of its attachment (spp_capture_burst(), the only
 * DPDK part, lives with the worker: spp_worker.h); it never blocks, and a
 * full ring counts a drop. The manager thread drains the rings and writes
 * the file itself: a Section Header Block, one Interface Description Block
 * (if_name = the canonical UID, linktype 1, if_tsresol 9), then one
 * Enhanced Packet Block per packet.
 *
 * Why not rte_pcapng: in DPDK 22.11 it is experimental, describes an
 * interface only by ethdev (ring:N and vhost:N have none) and needs an mbuf
 * pool, a named shared object. This writer needs none of that.
 *
 * Pure C (libc only), no DPDK: unit tests build it without hugepages.
 *
 * Threads: the producer side of a ring (spp_cap_ring_reserve, _write,
 * _publish) belongs to the one worker lcore whose plan holds the ring; all
 * the rest is manager only, unless stated.
 */
#ifndef SPP_CAPTURE_H
#define SPP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SPP_CAPTURE_RING_SIZE	(4u << 20)	/* bytes per captured direction */
#define SPP_CAPTURE_SNAPLEN	65535		/* bytes kept of a packet */
#define SPP_CAPTURE_FILE_MAX_LEN	64	/* FILE of capture start, bytes */
#define SPP_CAPTURE_DIR_DEFAULT	"/var/tmp/spp"

/* Directions of a capture: a bit mask of (1 << enum spp_dir). */
#define SPP_CAPTURE_RX		1u
#define SPP_CAPTURE_TX		2u
#define SPP_CAPTURE_BOTH	3u

/* Header of one record in a ring; the data follows, padded to 8 bytes. */
struct spp_cap_rec {
	uint32_t caplen;	/* bytes of data that follow, <= SPP_CAPTURE_SNAPLEN */
	uint32_t orig_len;	/* the packet's length */
	uint64_t ts;		/* producer clock (TSC), see struct spp_capture_clock */
};

/* Bytes a record of caplen data bytes takes in a ring. */
#define SPP_CAP_REC_SIZE(caplen) \
	(sizeof(struct spp_cap_rec) + (((uint64_t)(caplen) + 7) & ~(uint64_t)7))

/*
 * The byte ring. head and tail are free-running byte offsets (never
 * wrapped); a record may wrap around the end of buf and is then copied in
 * two parts. Each side keeps its own cache line.
 */
struct spp_cap_ring {
	/* Producer (worker lcore). */
	uint64_t head __attribute__((aligned(64)));	/* published end, store-release */
	uint64_t prod_head;	/* end of what was reserved, not yet published */
	uint64_t wpos;		/* where spp_cap_ring_write copies next */
	uint64_t tail_cache;	/* last tail the producer read */
	uint64_t pushed;	/* records accepted so far */
	uint64_t drops;		/* records lost to a full ring (relaxed store) */
	/* Consumer (manager). */
	uint64_t tail __attribute__((aligned(64)));	/* store-release */
	uint64_t head_cache;	/* head as of the last spp_cap_ring_sync */
	/* Read-only after creation. */
	uint64_t quota __attribute__((aligned(64)));	/* records to accept at most */
	uint64_t mask;		/* size - 1 */
	uint8_t *buf;
};

/*
 * A ring of size bytes (a power of two, >= 128 KiB so the largest record
 * fits), accepting at most quota records (UINT64_MAX: no limit). Its pages
 * are touched here, so the worker never takes a page fault on them.
 * Returns NULL with errno set (EINVAL, ENOMEM).
 */
struct spp_cap_ring *spp_cap_ring_create(size_t size, uint64_t quota);

/* destroy(NULL) is a no-op. No producer may use the ring any more. */
void spp_cap_ring_destroy(struct spp_cap_ring *r);

/* ---- producer side: the worker lcore that holds the ring ---- */

/* True once the ring accepted its quota: the producer stops copying. */
static inline bool
spp_cap_ring_quota_reached(const struct spp_cap_ring *r)
{
	return r->pushed >= r->quota;
}

/* Copy len bytes of src into the ring at byte offset pos, wrapping. */
static inline void
spp_cap_ring_copy_in(struct spp_cap_ring *r, uint64_t pos, const void *src, uint64_t len)
{
	uint64_t off = pos & r->mask;
	uint64_t first = r->mask + 1 - off;

	if (len <= first) {
		memcpy(r->buf + off, src, len);
	} else {
		memcpy(r->buf + off, src, first);
		memcpy(r->buf, (const uint8_t *)src + first, len - first);
	}
}

/*
 * Reserve a record of caplen data bytes and write its header. The caller
 * then writes exactly caplen bytes with spp_cap_ring_write. Returns false,
 * counting a drop, when the ring has no room: the consumer is behind.
 * The caller checks the quota first (spp_cap_ring_quota_reached).
 */
static inline bool
spp_cap_ring_reserve(struct spp_cap_ring *r, uint32_t caplen, uint32_t orig_len, uint64_t ts)
{
	uint64_t need = SPP_CAP_REC_SIZE(caplen);
	uint64_t size = r->mask + 1;
	struct spp_cap_rec rec = { .caplen = caplen, .orig_len = orig_len, .ts = ts };

	if (size - (r->prod_head - r->tail_cache) < need) {
		r->tail_cache = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		if (size - (r->prod_head - r->tail_cache) < need) {
			__atomic_store_n(&r->drops, r->drops + 1, __ATOMIC_RELAXED);
			return false;
		}
	}
	spp_cap_ring_copy_in(r, r->prod_head, &rec, sizeof(rec));
	r->wpos = r->prod_head + sizeof(rec);
	r->prod_head += need;
	r->pushed++;
	return true;
}

/* Append len bytes of the reserved record's data. */
static inline void
spp_cap_ring_write(struct spp_cap_ring *r, const void *data, uint32_t len)
{
	spp_cap_ring_copy_in(r, r->wpos, data, len);
	r->wpos += len;
}

/* Make every reserved record visible to the consumer (once per burst). */
static inline void
spp_cap_ring_publish(struct spp_cap_ring *r)
{
	__atomic_store_n(&r->head, r->prod_head, __ATOMIC_RELEASE);
}

/* Reserve, write and publish one record from a flat buffer (tests, tools). */
bool spp_cap_ring_push(struct spp_cap_ring *r, uint64_t ts, uint32_t orig_len,
		       const void *data, uint32_t caplen);

/* ---- consumer side: manager ---- */

/* Take in what the producer published so far; peek/pop see only that. */
void spp_cap_ring_sync(struct spp_cap_ring *r);

/* The next record's header, or false when none is left (since the last sync). */
bool spp_cap_ring_peek(const struct spp_cap_ring *r, struct spp_cap_rec *rec);

/*
 * Copy the next record's data (rec->caplen bytes, as peeked) into data and
 * free its room. Returns false when there is no record.
 */
bool spp_cap_ring_pop(struct spp_cap_ring *r, struct spp_cap_rec *rec, void *data);

/* Records lost to a full ring; any thread (relaxed load). */
uint64_t spp_cap_ring_drops(const struct spp_cap_ring *r);

/* ---- pcapng blocks (SPEC §9.4), host byte order ---- */

#define SPP_PCAPNG_LINKTYPE_ETHERNET	1
#define SPP_PCAPNG_EPB_INBOUND		1u	/* epb_flags direction bits */
#define SPP_PCAPNG_EPB_OUTBOUND		2u

/*
 * Section Header Block with shb_userappl = userappl (may be NULL), into
 * buf of size bytes. Returns its length, or 0 if buf is too small.
 */
size_t spp_pcapng_shb(uint8_t *buf, size_t size, const char *userappl);

/*
 * Interface Description Block: linktype 1 (Ethernet), snaplen, if_name =
 * if_name, if_tsresol = 9 (nanoseconds). Returns its length, or 0 if buf
 * is too small.
 */
size_t spp_pcapng_idb(uint8_t *buf, size_t size, const char *if_name, uint32_t snaplen);

/* Length of an Enhanced Packet Block of caplen bytes (with epb_flags). */
static inline size_t
spp_pcapng_epb_size(uint32_t caplen)
{
	return 28 + (((size_t)caplen + 3) & ~(size_t)3) + 12 + 4;
}

/*
 * Enhanced Packet Block of interface 0 around the caplen bytes already at
 * buf + 28: writes the 28-byte head before them and the padding, the
 * epb_flags option (flags: SPP_PCAPNG_EPB_INBOUND / _OUTBOUND) and the
 * trailer after them. buf holds spp_pcapng_epb_size(caplen) bytes.
 * Returns that length.
 */
size_t spp_pcapng_epb_wrap(uint8_t *buf, uint64_t ts_ns, uint32_t caplen, uint32_t orig_len,
			   uint32_t flags);

/* ---- a capture: rings + file ---- */

/*
 * Converts a ring's timestamps to Unix-epoch nanoseconds:
 * ns = ns0 + (ts - ts0) * 1e9 / hz. The manager takes ts0 (TSC) and ns0
 * (CLOCK_REALTIME) together when it creates the capture.
 */
struct spp_capture_clock {
	uint64_t ts0;
	uint64_t ns0;
	uint64_t hz;
};

/* Unix-epoch nanoseconds of producer time ts. Any thread. */
uint64_t spp_capture_clock_ns(const struct spp_capture_clock *clk, uint64_t ts);

struct spp_capture;

struct spp_capture_params {
	const char *dir;	/* --capture-dir, absolute; created 0750 if missing */
	const char *file;	/* checked by the command: [A-Za-z0-9._-], not ".*" */
	const char *if_name;	/* canonical UID, "phy:0 nq 1" */
	unsigned int dirs;	/* SPP_CAPTURE_RX / _TX / _BOTH */
	uint64_t max;		/* packets to write, then stop; 0: no limit */
	size_t ring_size;	/* SPP_CAPTURE_RING_SIZE (tests: smaller) */
	struct spp_capture_clock clock;
};

/*
 * Create the file dir/file (exclusively: it must not exist) with its SHB
 * and IDB, and one ring per direction in p->dirs. Returns NULL with errno
 * set and detail (a sentence for the error reply) filled; nothing is left
 * behind then (no file, no memory).
 */
struct spp_capture *spp_capture_create(const struct spp_capture_params *p, char *detail,
				       size_t detail_size);

/* The ring of direction dir (0 = rx, 1 = tx), or NULL when not captured. */
struct spp_cap_ring *spp_capture_ring(const struct spp_capture *c, unsigned int dir);

/*
 * Write what the producers published so far to the file, oldest first
 * across both rings, and flush it. Stops at max packets: the file is
 * closed and the capture is done. An I/O error also closes the file and
 * makes it done (logged by the caller through spp_capture_error).
 * Returns packets written by this call.
 */
uint64_t spp_capture_drain(struct spp_capture *c);

/* True when the file is closed: max reached, or an I/O error. */
bool spp_capture_done(const struct spp_capture *c);

/* errno of the I/O error that closed the file, or 0. */
int spp_capture_error(const struct spp_capture *c);

/* Packets written to the file; drops lost to full rings (both directions). */
uint64_t spp_capture_packets(const struct spp_capture *c);
uint64_t spp_capture_drops(const struct spp_capture *c);

/* The path of the file ("dir/file"). */
const char *spp_capture_path(const struct spp_capture *c);

/*
 * Drain what is left and close the file, then free everything. Call only
 * once no worker's plan holds its rings any more. destroy(NULL) is a no-op.
 * Returns 0, or -errno of an I/O error (the file is closed anyway).
 */
int spp_capture_destroy(struct spp_capture *c);

/*
 * Undo a capture a failed command created: close and remove its file and
 * free everything. Only when no plan ever held its rings.
 */
void spp_capture_abort(struct spp_capture *c);

/*
 * Close and remove the file but keep the rings allocated for ever: a
 * worker may still hold them (a plan that could not be rolled back).
 */
void spp_capture_abandon(struct spp_capture *c);

/*
 * FILE of capture start (SPEC §9.4 step 4, without the existence check):
 * 1..64 bytes of [A-Za-z0-9._-], not starting with '.'. Any thread.
 */
bool spp_capture_file_valid(const char *file);

#endif /* SPP_CAPTURE_H */
