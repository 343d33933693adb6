/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spp_ctlconn.h"
#include "spp_log.h"
#include "spp_shm.h"
#include "spp_uid.h"

#define BACKOFF_MIN_MS		100
#define BACKOFF_MAX_MS		1000
#define SEND_TIMEOUT_MS		5000

int
spp_ctlconn_parse_addr(const char *str, struct sockaddr_in *addr)
{
	char host[64];
	const char *colon = str != NULL ? strrchr(str, ':') : NULL;
	uint64_t port;

	if (colon == NULL || (size_t)(colon - str) >= sizeof(host) ||
	    spp_parse_uint(colon + 1, 65535, &port) < 0 || port == 0)
		goto bad;
	memcpy(host, str, (size_t)(colon - str));
	host[colon - str] = '\0';
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
		goto bad;
	return 0;
bad:
	fprintf(stderr, "invalid -s '%s': expected IPv4:PORT or localhost:PORT\n",
		str != NULL ? str : "");
	return -1;
}

void
spp_ctlconn_init(struct spp_ctlconn *c, const struct sockaddr_in *addr,
		 spp_stream_cb on_event, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->addr = *addr;
	c->fd = -1;
	c->backoff_ms = BACKOFF_MIN_MS;
	c->who = "spp-ctl";
	c->on_event = on_event;
	c->arg = arg;
	spp_stream_init(&c->stream);
}

static void
disconnect(struct spp_ctlconn *c, const char *why)
{
	if (c->fd >= 0) {
		if (!c->connecting)
			SPP_LOG(APP, WARNING, "connection to %s lost (%s); reconnecting",
				c->who, why);
		close(c->fd);
	}
	c->fd = -1;
	c->connecting = false;
	spp_stream_init(&c->stream);
	c->retry_at_ns = spp_monotonic_ns() + (uint64_t)c->backoff_ms * 1000000ull;
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
}

static void
connected(struct spp_ctlconn *c)
{
	int one = 1;

	c->connecting = false;
	c->backoff_ms = BACKOFF_MIN_MS;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	SPP_LOG(APP, INFO, "connected to %s at %s:%u", c->who, inet_ntoa(c->addr.sin_addr),
		ntohs(c->addr.sin_port));
}

static void
try_connect(struct spp_ctlconn *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		disconnect(c, strerror(errno));
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&c->addr, sizeof(c->addr)) == 0) {
		connected(c);
		return;
	}
	if (errno == EINPROGRESS) {
		c->connecting = true;
		return;
	}
	c->connecting = true;	/* quiet: refused connects are routine */
	disconnect(c, strerror(errno));
}

/*
 * Input of a connection that is gone goes with it: once a reply could not
 * be sent (the peer closed or reset the connection in the middle of a
 * burst of commands), the rest of that burst runs no command, and no
 * unterminated tail is left over to become a command, answered on the next
 * connection, where spp-ctl takes it for the reply to _get_client_id.
 */
static void
on_stream_event(void *arg, enum spp_stream_event ev, const char *text)
{
	struct spp_ctlconn *c = arg;

	if (c->fd >= 0)
		c->on_event(c->arg, ev, text);
}

static void
read_input(struct spp_ctlconn *c)
{
	char buf[4096];

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

		if (n > 0) {
			c->last_rx_ns = spp_monotonic_ns();
			spp_stream_feed(&c->stream, buf, (size_t)n, on_stream_event, c);
			/* on_event may have closed the connection: drop what
			 * the stream kept of this connection's bytes. */
			if (c->fd < 0) {
				spp_stream_init(&c->stream);
				return;
			}
			continue;
		}
		if (n == 0) {
			disconnect(c, "closed by peer");
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			disconnect(c, strerror(errno));
		return;
	}
}

void
spp_ctlconn_poll(struct spp_ctlconn *c, int timeout_ms)
{
	uint64_t now = spp_monotonic_ns();
	struct pollfd pfd;

	if (c->fd < 0) {
		if (now >= c->retry_at_ns)
			try_connect(c);
		if (c->fd < 0) {
			uint64_t wait_ms = (c->retry_at_ns - now) / 1000000ull;

			spp_sleep_us((wait_ms < (uint64_t)timeout_ms ? wait_ms : (uint64_t)timeout_ms)
				     * 1000);
			return;
		}
	}
	/* Unterminated input becomes a command after 2 ms of silence. */
	if (!c->connecting && spp_stream_pending(&c->stream)) {
		uint64_t silent_at = c->last_rx_ns + SPP_STREAM_SILENCE_MS * 1000000ull;

		if (now >= silent_at) {
			spp_stream_silence(&c->stream, on_stream_event, c);
			return;
		}
		timeout_ms = (int)((silent_at - now) / 1000000ull) + 1;
	}
	pfd.fd = c->fd;
	pfd.events = c->connecting ? POLLOUT : POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return;
	if (c->connecting) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0)
			disconnect(c, strerror(err));
		else
			connected(c);
		return;
	}
	read_input(c);
}

int
spp_ctlconn_send(struct spp_ctlconn *c, const char *text)
{
	size_t len = strlen(text), off = 0;
	uint64_t deadline = spp_monotonic_ns() + SEND_TIMEOUT_MS * 1000000ull;

	while (off < len && c->fd >= 0) {
		ssize_t n = send(c->fd, text + off, len - off, MSG_NOSIGNAL);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    spp_monotonic_ns() < deadline) {
			struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };

			poll(&pfd, 1, 100);
			continue;
		}
		disconnect(c, n < 0 ? strerror(errno) : "send timed out");
		return -1;
	}
	return c->fd >= 0 ? 0 : -1;
}

void
spp_ctlconn_close(struct spp_ctlconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
