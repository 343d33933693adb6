/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port UIDs: "phy:0", "phy:0nq1", "ring:3", "vhost:1", "vhost:1nq1" (SPEC §3.1;
 * nq on vhost is issue 5's multi-queue vhost).
 *
 * Pure text <-> struct conversion, no DPDK: any thread may call these.
 * Whether a well-formed UID exists in this process is decided by the
 * caller's port environment (struct spp_port_env in spp_model.h).
 */
#ifndef SPP_UID_H
#define SPP_UID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The order of the values is the order of status listings: phy, vhost, ring. */
enum spp_port_type {
	SPP_PORT_PHY = 0,
	SPP_PORT_VHOST = 1,
	SPP_PORT_RING = 2,
};

#define SPP_NO_QUEUE	(-1)

struct spp_port_id {
	enum spp_port_type type;
	uint16_t num;
	int16_t queue;	/* SPP_NO_QUEUE, or 0..63 (phy and vhost) */
};

/* Longest canonical form, "vhost:255 nq 63", plus NUL. */
#define SPP_UID_STR_SIZE	16

/*
 * Parse the input form "type:num[nqQ]" (decimal, leading zeros allowed).
 * Checks syntax and the per-type number range only (phy 0..31, ring
 * 0..1023, vhost 0..255, queue 0..63, nq on phy and vhost).
 * Returns 0, or -EINVAL with *id unspecified.
 */
int spp_uid_parse(const char *str, struct spp_port_id *id);

/* Canonical output form: "phy:0", "ring:3", "phy:0 nq 1". Returns buf. */
char *spp_uid_format(const struct spp_port_id *id, char *buf, size_t size);

bool spp_uid_equal(const struct spp_port_id *a, const struct spp_port_id *b);

/* Total order of status listings: type (phy, vhost, ring), num, queue. */
int spp_uid_compare(const struct spp_port_id *a, const struct spp_port_id *b);

/*
 * Parse an unsigned decimal number (digits only, leading zeros allowed)
 * not greater than max. Returns 0 or -EINVAL.
 */
int spp_parse_uint(const char *str, uint64_t max, uint64_t *value);

#endif /* SPP_UID_H */
