/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture rings and the pcapng writer (SPEC §9.4). Block layouts follow
 * the pcapng specification (draft-ietf-opsawg-pcapng): every block is
 * type, total length, body padded to 32 bits, total length again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spp_capture.h"

#define PCAPNG_SHB		0x0a0d0d0au
#define PCAPNG_IDB		0x00000001u
#define PCAPNG_EPB		0x00000006u
#define PCAPNG_BYTE_ORDER	0x1a2b3c4du
#define OPT_ENDOFOPT		0
#define OPT_SHB_USERAPPL	4
#define OPT_IF_NAME		2
#define OPT_IF_TSRESOL		9
#define OPT_EPB_FLAGS		2

/* Output buffer of the file: a drain writes in large chunks. */
#define FILE_BUFFER_SIZE	(256u << 10)

struct spp_capture {
	struct spp_cap_ring *rings[2];	/* [0] rx, [1] tx; NULL when not captured */
	FILE *f;			/* NULL once done */
	uint64_t max;
	uint64_t packets;		/* written; manager only */
	int error;			/* errno of the I/O error that closed f */
	struct spp_capture_clock clock;
	uint8_t *block;			/* one EPB of SPP_CAPTURE_SNAPLEN bytes */
	char path[PATH_MAX];
};

/* ---- ring ---- */

struct spp_cap_ring *
spp_cap_ring_create(size_t size, uint64_t quota)
{
	struct spp_cap_ring *r;

	/* The largest record must fit, and offsets are masked. */
	if (size < SPP_CAP_REC_SIZE(SPP_CAPTURE_SNAPLEN) || (size & (size - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	r = aligned_alloc(64, sizeof(*r));
	if (r == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->buf = aligned_alloc(64, size);
	if (r->buf == NULL) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	/* Touch every page now: a page fault on the worker would stall it. */
	memset(r->buf, 0, size);
	r->mask = size - 1;
	r->quota = quota;
	return r;
}

void
spp_cap_ring_destroy(struct spp_cap_ring *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

bool
spp_cap_ring_push(struct spp_cap_ring *r, uint64_t ts, uint32_t orig_len, const void *data,
		  uint32_t caplen)
{
	if (spp_cap_ring_quota_reached(r) || !spp_cap_ring_reserve(r, caplen, orig_len, ts))
		return false;
	spp_cap_ring_write(r, data, caplen);
	spp_cap_ring_publish(r);
	return true;
}

void
spp_cap_ring_sync(struct spp_cap_ring *r)
{
	r->head_cache = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
}

/* Copy len bytes at byte offset pos of the ring into dst, wrapping. */
static void
copy_out(const struct spp_cap_ring *r, uint64_t pos, void *dst, uint64_t len)
{
	uint64_t off = pos & r->mask;
	uint64_t first = r->mask + 1 - off;

	if (len <= first) {
		memcpy(dst, r->buf + off, len);
	} else {
		memcpy(dst, r->buf + off, first);
		memcpy((uint8_t *)dst + first, r->buf, len - first);
	}
}

bool
spp_cap_ring_peek(const struct spp_cap_ring *r, struct spp_cap_rec *rec)
{
	if (r->tail == r->head_cache)
		return false;
	copy_out(r, r->tail, rec, sizeof(*rec));
	return true;
}

bool
spp_cap_ring_pop(struct spp_cap_ring *r, struct spp_cap_rec *rec, void *data)
{
	if (!spp_cap_ring_peek(r, rec))
		return false;
	copy_out(r, r->tail + sizeof(*rec), data, rec->caplen);
	/* The producer may reuse the room once it sees the new tail. */
	__atomic_store_n(&r->tail, r->tail + SPP_CAP_REC_SIZE(rec->caplen), __ATOMIC_RELEASE);
	return true;
}

uint64_t
spp_cap_ring_drops(const struct spp_cap_ring *r)
{
	return __atomic_load_n(&r->drops, __ATOMIC_RELAXED);
}

/* ---- pcapng ---- */

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* One option (code, length, value padded to 32 bits) at p; returns its size. */
static size_t
put_option(uint8_t *p, uint16_t code, const void *value, uint16_t len)
{
	size_t n = 4 + pad4(len);

	put16(p, code);
	put16(p + 2, len);
	memset(p + 4, 0, pad4(len));
	if (len > 0)
		memcpy(p + 4, value, len);
	return n;
}

size_t
spp_pcapng_shb(uint8_t *buf, size_t size, const char *userappl)
{
	size_t applen = userappl != NULL ? strlen(userappl) : 0;
	size_t len = 24 + (applen > 0 ? 4 + pad4(applen) + 4 : 0) + 4;
	size_t o = 24;

	if (size < len || applen > UINT16_MAX)
		return 0;
	put32(buf, PCAPNG_SHB);
	put32(buf + 4, (uint32_t)len);
	put32(buf + 8, PCAPNG_BYTE_ORDER);
	put16(buf + 12, 1);	/* major version */
	put16(buf + 14, 0);	/* minor version */
	/* Section length -1: not given (the file grows while written). */
	memset(buf + 16, 0xff, 8);
	if (applen > 0) {
		o += put_option(buf + o, OPT_SHB_USERAPPL, userappl, (uint16_t)applen);
		o += put_option(buf + o, OPT_ENDOFOPT, NULL, 0);
	}
	put32(buf + o, (uint32_t)len);
	return len;
}

size_t
spp_pcapng_idb(uint8_t *buf, size_t size, const char *if_name, uint32_t snaplen)
{
	size_t namelen = strlen(if_name);
	const uint8_t tsresol = 9;	/* 10^-9 s */
	size_t len = 16 + 4 + pad4(namelen) + 4 + 4 + 4 + 4;
	size_t o = 16;

	if (size < len || namelen > UINT16_MAX)
		return 0;
	put32(buf, PCAPNG_IDB);
	put32(buf + 4, (uint32_t)len);
	put16(buf + 8, SPP_PCAPNG_LINKTYPE_ETHERNET);
	put16(buf + 10, 0);	/* reserved */
	put32(buf + 12, snaplen);
	o += put_option(buf + o, OPT_IF_NAME, if_name, (uint16_t)namelen);
	o += put_option(buf + o, OPT_IF_TSRESOL, &tsresol, 1);
	o += put_option(buf + o, OPT_ENDOFOPT, NULL, 0);
	put32(buf + o, (uint32_t)len);
	return len;
}

size_t
spp_pcapng_epb_wrap(uint8_t *buf, uint64_t ts_ns, uint32_t caplen, uint32_t orig_len,
		    uint32_t flags)
{
	size_t len = spp_pcapng_epb_size(caplen);
	size_t o = 28 + caplen;

	put32(buf, PCAPNG_EPB);
	put32(buf + 4, (uint32_t)len);
	put32(buf + 8, 0);	/* interface id: the file's only IDB */
	put32(buf + 12, (uint32_t)(ts_ns >> 32));
	put32(buf + 16, (uint32_t)ts_ns);
	put32(buf + 20, caplen);
	put32(buf + 24, orig_len);
	memset(buf + o, 0, pad4(caplen) - caplen);
	o = 28 + pad4(caplen);
	o += put_option(buf + o, OPT_EPB_FLAGS, &flags, sizeof(flags));
	o += put_option(buf + o, OPT_ENDOFOPT, NULL, 0);
	put32(buf + o, (uint32_t)len);
	return len;
}

/* ---- capture ---- */

uint64_t
spp_capture_clock_ns(const struct spp_capture_clock *clk, uint64_t ts)
{
	unsigned __int128 d;

	if (clk->hz == 0)
		return clk->ns0;
	/* 128 bits: an hour of a 3 GHz TSC times 1e9 overflows 64. */
	if (ts >= clk->ts0) {
		d = (unsigned __int128)(ts - clk->ts0) * 1000000000u / clk->hz;
		return clk->ns0 + (uint64_t)d;
	}
	d = (unsigned __int128)(clk->ts0 - ts) * 1000000000u / clk->hz;
	return clk->ns0 - (uint64_t)d;
}

bool
spp_capture_file_valid(const char *file)
{
	size_t len = strlen(file);

	if (len < 1 || len > SPP_CAPTURE_FILE_MAX_LEN || file[0] == '.')
		return false;
	for (const char *p = file; *p != '\0'; p++) {
		char ch = *p;

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* mkdir -p path with mode for every directory it creates. Returns 0 or -1 (errno). */
static int
make_dirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return -1;
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

static void
free_capture(struct spp_capture *c)
{
	spp_cap_ring_destroy(c->rings[0]);
	spp_cap_ring_destroy(c->rings[1]);
	free(c->block);
	free(c);
}

struct spp_capture *
spp_capture_create(const struct spp_capture_params *p, char *detail, size_t detail_size)
{
	struct spp_capture *c = calloc(1, sizeof(*c));
	uint8_t head[512];
	size_t n, m;
	int fd, err;

	if (c == NULL)
		goto nomem;
	c->max = p->max;
	c->clock = p->clock;
	c->block = malloc(spp_pcapng_epb_size(SPP_CAPTURE_SNAPLEN));
	if (c->block == NULL)
		goto nomem;
	for (unsigned int d = 0; d < 2; d++) {
		if ((p->dirs & (1u << d)) == 0)
			continue;
		/* Each ring stops after max: a file never needs more from one. */
		c->rings[d] = spp_cap_ring_create(p->ring_size, p->max != 0 ? p->max : UINT64_MAX);
		if (c->rings[d] == NULL)
			goto nomem;
	}
	n = spp_pcapng_shb(head, sizeof(head), "spp");
	m = spp_pcapng_idb(head + n, sizeof(head) - n, p->if_name, SPP_CAPTURE_SNAPLEN);
	if (n == 0 || m == 0) {
		snprintf(detail, detail_size, "interface name '%s' is too long", p->if_name);
		free_capture(c);
		errno = EINVAL;
		return NULL;
	}
	if (snprintf(c->path, sizeof(c->path), "%s/%s", p->dir, p->file) >=
	    (int)sizeof(c->path)) {
		snprintf(detail, detail_size, "capture path too long");
		free_capture(c);
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (make_dirs(p->dir, 0750) != 0) {
		err = errno;
		snprintf(detail, detail_size, "cannot create capture directory %s: %s", p->dir,
			 strerror(err));
		goto fail;
	}
	fd = open(c->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = errno;
		snprintf(detail, detail_size, "cannot create %s: %s", c->path, strerror(err));
		goto fail;
	}
	c->f = fdopen(fd, "wb");
	if (c->f == NULL) {
		err = errno;
		close(fd);
		unlink(c->path);
		snprintf(detail, detail_size, "cannot open %s: %s", c->path, strerror(err));
		goto fail;
	}
	setvbuf(c->f, NULL, _IOFBF, FILE_BUFFER_SIZE);
	if (fwrite(head, 1, n + m, c->f) != n + m || fflush(c->f) != 0) {
		err = errno != 0 ? errno : EIO;
		fclose(c->f);
		unlink(c->path);
		snprintf(detail, detail_size, "cannot write %s: %s", c->path, strerror(err));
		goto fail;
	}
	return c;

nomem:
	snprintf(detail, detail_size, "out of memory for the capture rings");
	err = ENOMEM;
fail:
	if (c != NULL)
		free_capture(c);
	errno = err;
	return NULL;
}

struct spp_cap_ring *
spp_capture_ring(const struct spp_capture *c, unsigned int dir)
{
	return dir < 2 ? c->rings[dir] : NULL;
}

bool
spp_capture_done(const struct spp_capture *c)
{
	return c->f == NULL;
}

int
spp_capture_error(const struct spp_capture *c)
{
	return c->error;
}

uint64_t
spp_capture_packets(const struct spp_capture *c)
{
	return c->packets;
}

uint64_t
spp_capture_drops(const struct spp_capture *c)
{
	uint64_t drops = 0;

	for (int d = 0; d < 2; d++)
		if (c->rings[d] != NULL)
			drops += spp_cap_ring_drops(c->rings[d]);
	return drops;
}

const char *
spp_capture_path(const struct spp_capture *c)
{
	return c->path;
}

/* Close the file; the first error wins. */
static void
close_file(struct spp_capture *c)
{
	if (c->f == NULL)
		return;
	if (fclose(c->f) != 0 && c->error == 0)
		c->error = errno != 0 ? errno : EIO;
	c->f = NULL;
}

uint64_t
spp_capture_drain(struct spp_capture *c)
{
	uint64_t written = 0;

	if (c->f == NULL)
		return 0;
	for (int d = 0; d < 2; d++)
		if (c->rings[d] != NULL)
			spp_cap_ring_sync(c->rings[d]);
	for (;;) {
		struct spp_cap_rec rec[2];
		bool has[2] = { false, false };
		uint32_t flags;
		size_t len;
		int d;

		for (d = 0; d < 2; d++)
			has[d] = c->rings[d] != NULL && spp_cap_ring_peek(c->rings[d], &rec[d]);
		if (!has[0] && !has[1])
			break;
		/* Oldest first, so a "both" file reads in time order. */
		d = has[0] && (!has[1] || rec[0].ts <= rec[1].ts) ? 0 : 1;
		spp_cap_ring_pop(c->rings[d], &rec[d], c->block + 28);
		flags = d == 0 ? SPP_PCAPNG_EPB_INBOUND : SPP_PCAPNG_EPB_OUTBOUND;
		len = spp_pcapng_epb_wrap(c->block, spp_capture_clock_ns(&c->clock, rec[d].ts),
					  rec[d].caplen, rec[d].orig_len, flags);
		if (fwrite(c->block, 1, len, c->f) != len) {
			c->error = errno != 0 ? errno : EIO;
			close_file(c);
			return written;
		}
		c->packets++;
		written++;
		if (c->max != 0 && c->packets >= c->max) {
			close_file(c);
			return written;
		}
	}
	if (written > 0 && fflush(c->f) != 0) {
		c->error = errno != 0 ? errno : EIO;
		close_file(c);
	}
	return written;
}

int
spp_capture_destroy(struct spp_capture *c)
{
	int err;

	if (c == NULL)
		return 0;
	spp_capture_drain(c);
	close_file(c);
	err = c->error;
	free_capture(c);
	return -err;
}

void
spp_capture_abort(struct spp_capture *c)
{
	if (c == NULL)
		return;
	close_file(c);
	unlink(c->path);
	free_capture(c);
}

void
spp_capture_abandon(struct spp_capture *c)
{
	if (c == NULL)
		return;
	close_file(c);
	unlink(c->path);
	/* The rings and c stay: a worker's plan may still point at them. */
}
