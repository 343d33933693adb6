/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Limits of the command protocol and the data plane (SPEC §3.1, §5.6, §8.1).
 * Pure constants: safe to include from any thread and from code that links
 * no DPDK (unit tests).
 */
#ifndef SPP_LIMITS_H
#define SPP_LIMITS_H

#define SPP_MAX_PHY		32	/* phy:0..31 */
#define SPP_MAX_QUEUES		64	/* nq 0..63 */
#define SPP_MAX_RINGS		1024	/* ring:0..1023 */
#define SPP_MAX_VHOST		256	/* vhost:0..255 */
#define SPP_VHOST_SOCK_PREFIX	"/tmp/sock"	/* vhost:N is /tmp/sock<N> (upstream) */
#define SPP_MAX_LCORES		128	/* lcore ids 0..127 */
#define SPP_MAX_CLIENTS		128	/* client ids 1..127; slot 0 unused */

#define SPP_MAX_COMPONENTS	128	/* per process */
#define SPP_MAX_NAME_LEN	31	/* component names, bytes */
#define SPP_MAX_CLS_ENTRIES	4096	/* classifier entries per process */
#define SPP_MAX_PORTS_PER_DIR	64	/* merge rx, classifier tx */
#define SPP_MAX_CAPTURES	16	/* running captures per process (4-8 MiB each) */

/*
 * Bytes of one command including its terminator (SPEC §4.3: 4096 bytes
 * accumulated without a terminator is an error at once), so at most 4095
 * bytes of text.
 */
#define SPP_CMD_MAX_SIZE	4096
#define SPP_CMD_MAX_TOKENS	8

#define SPP_BURST_SIZE		32	/* packets per rx port per poll */
#define SPP_VLAN_MAX_VID	4094	/* 4095 is reserved */

#endif /* SPP_LIMITS_H */
