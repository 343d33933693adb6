/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vhost-user ports (vhost:N, vhost:NnqQ) built on rte_vhost inside the
 * secondary that owns them (SPEC §1.3; the vhost PMD cannot pass packets
 * in a secondary on DPDK 22.11).
 *
 * Three threads meet here:
 *  - the manager thread creates devices (spp_vhost_obtain), commits or
 *    undoes them with its transaction, reads link state for status and
 *    unregisters everything at exit;
 *  - rte_vhost's event thread runs the device callbacks (spp_vhost.c):
 *    it alone writes a device's connection state and the `ready` flags;
 *  - worker lcores call the burst functions below on a queue.
 *
 * Worker/callback handshake (per queue and direction): the worker sets
 * `busy`, full fence, reads `ready`, bursts, clears `busy`.
 * destroy_device clears `ready`, full fence, then waits for `busy` to clear
 * before the vid is forgotten, so no burst ever uses a destroyed device.
 * A vring disabled by vring_state_changed only clears `ready` (rte_vhost
 * holds the vring's lock during that message, and enqueue waits on that
 * lock: waiting for `busy` there could deadlock).
 *
 * A device and its queues live until the process exits (plans point at
 * queues); an undone device is unregistered but its memory stays.
 */
#ifndef SPP_VHOST_H
#define SPP_VHOST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_vhost.h>

#include "spp_limits.h"

/* One direction of one queue pair, as a worker sees it. */
struct spp_vhost_dir {
	uint32_t ready;		/* event thread: device present and vring enabled */
	uint32_t busy;		/* worker: inside a burst */
	int vid;		/* valid while ready */
	uint16_t vring;		/* rx: 2Q+1 (guest TX); tx: 2Q (guest RX) */
} __rte_cache_aligned;

struct spp_vhost_queue {
	struct spp_vhost_dir rx;
	struct spp_vhost_dir tx;
};

struct spp_vhost_dev {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	uint16_t num;
	uint16_t nb_queues;
	bool client;		/* RTE_VHOST_USER_CLIENT */
	bool registered;	/* manager: rte_vhost driver registered and started */
	bool committed;		/* manager: a successful command created it */
	/* Event thread writes, manager reads (relaxed): for status. */
	uint32_t connected;	/* a vhost-user connection exists */
	uint32_t present;	/* new_device .. destroy_device */
	int vid;
	uint8_t vring_enabled[2 * SPP_MAX_QUEUES];
	struct spp_vhost_queue *queues;	/* nb_queues, cache-line aligned */
};

struct spp_vhost_opts {
	const char *sock_prefix;	/* socket path = prefix + N */
	bool client;			/* --vhost-client */
	uint16_t nb_queues;		/* queue pairs per port, 1..SPP_MAX_QUEUES */
};

/* Process-wide settings; call once before any other function. Manager. */
void spp_vhost_init(const struct spp_vhost_opts *opts);

/*
 * The device of vhost:num: created, registered and started on first use
 * (server: the socket is listening when this returns; client: rte_vhost
 * connects in the background and retries). A new device stays
 * uncommitted until spp_vhost_commit(). Manager only.
 * Returns NULL with detail (a sentence for the error reply) filled when:
 * the path is a symlink, not a socket, owned by another user, or a live
 * listener (server mode), or rte_vhost refuses it.
 */
struct spp_vhost_dev *spp_vhost_obtain(uint16_t num, char *detail, size_t detail_size);

/* Make every device created since the last commit/undo permanent. Manager. */
void spp_vhost_commit(void);

/* Unregister devices created since the last commit (a failed command). Manager. */
void spp_vhost_undo(void);

/* The device of vhost:num if it is registered, else NULL. Manager. */
const struct spp_vhost_dev *spp_vhost_lookup(uint16_t num);

/* Unregister every device (server mode unlinks its socket). Manager, at exit,
 * after the workers stopped. */
void spp_vhost_shutdown(void);

/* ---- worker side (fast path) ---- */

static inline bool
spp_vhost_enter(struct spp_vhost_dir *d)
{
	__atomic_store_n(&d->busy, 1, __ATOMIC_RELAXED);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (likely(__atomic_load_n(&d->ready, __ATOMIC_ACQUIRE)))
		return true;
	__atomic_store_n(&d->busy, 0, __ATOMIC_RELEASE);
	return false;
}

static inline void
spp_vhost_leave(struct spp_vhost_dir *d)
{
	__atomic_store_n(&d->busy, 0, __ATOMIC_RELEASE);
}

/* Dequeue up to n packets the guest sent; 0 when the queue is not ready. */
static inline uint16_t
spp_vhost_rx_burst(struct spp_vhost_queue *q, struct rte_mempool *mp, struct rte_mbuf **pkts,
		   uint16_t n)
{
	uint16_t nb;

	if (!spp_vhost_enter(&q->rx))
		return 0;
	nb = rte_vhost_dequeue_burst(q->rx.vid, q->rx.vring, mp, pkts, n);
	spp_vhost_leave(&q->rx);
	return nb;
}

/*
 * Copy up to n packets into the guest. Ownership: the caller keeps all n
 * (rte_vhost copies) and frees them. Returns the packets the guest took;
 * *down is set when the queue was not ready (nothing taken).
 */
static inline uint16_t
spp_vhost_tx_burst(struct spp_vhost_queue *q, struct rte_mbuf **pkts, uint16_t n, bool *down)
{
	uint16_t sent;

	if (!spp_vhost_enter(&q->tx)) {
		*down = true;
		return 0;
	}
	sent = rte_vhost_enqueue_burst(q->tx.vid, q->tx.vring, pkts, n);
	spp_vhost_leave(&q->tx);
	*down = false;
	return sent;
}

#endif /* SPP_VHOST_H */
