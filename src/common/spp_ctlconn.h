/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TCP connection of a DPDK process to spp-ctl (SPEC §4): connects,
 * reconnects with back-off (100 ms doubling to 1 s), splits the input into
 * commands (spp_stream.h) and writes whole replies.
 *
 * The process only answers: spp-ctl speaks first. Data-plane work never
 * waits for this connection.
 *
 * Thread: the main lcore (control thread) only.
 */
#ifndef SPP_CTLCONN_H
#define SPP_CTLCONN_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "spp_stream.h"

struct spp_ctlconn {
	struct sockaddr_in addr;
	int fd;				/* -1 when not connected */
	bool connecting;		/* non-blocking connect in progress */
	uint64_t retry_at_ns;
	uint32_t backoff_ms;
	uint64_t last_rx_ns;
	const char *who;		/* for logs: "spp-ctl" */
	spp_stream_cb on_event;
	void *arg;
	struct spp_stream stream;
};

/*
 * Parse "IP:PORT" (dotted IPv4 or "localhost", port 1..65535).
 * Returns 0, or -1 with one line on stderr.
 */
int spp_ctlconn_parse_addr(const char *str, struct sockaddr_in *addr);

void spp_ctlconn_init(struct spp_ctlconn *c, const struct sockaddr_in *addr,
		      spp_stream_cb on_event, void *arg);

/*
 * Connect when due, wait up to timeout_ms for input, and dispatch the
 * commands it completes to on_event (which may call spp_ctlconn_send).
 * Returns early on a signal.
 */
void spp_ctlconn_poll(struct spp_ctlconn *c, int timeout_ms);

/*
 * Write all of text (a reply). A peer that does not read for 5 s, or an
 * I/O error, closes the connection (it is re-opened later).
 * Returns 0 or -1.
 */
int spp_ctlconn_send(struct spp_ctlconn *c, const char *text);

/* Close the connection for good (shutdown). */
void spp_ctlconn_close(struct spp_ctlconn *c);

#endif /* SPP_CTLCONN_H */
