/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include "spp_log.h"
#include "spp_vhost.h"

/*
 * Offloads are disabled before rte_vhost_driver_start (SPEC §1.3): frames
 * cross spp complete, checksummed and unsegmented, whatever the peer is.
 */
#define DISABLED_FEATURES ( \
	(1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) | \
	(1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) | \
	(1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) | \
	(1ULL << VIRTIO_NET_F_HOST_UFO) | (1ULL << VIRTIO_NET_F_GUEST_UFO) | \
	(1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_ECN))

static struct {
	struct spp_vhost_opts opts;
	/* Written by the manager (release) before the driver starts; the
	 * callbacks find their device here by socket path. */
	struct spp_vhost_dev *devs[SPP_MAX_VHOST];
	/* Serialises the callbacks (rte_vhost runs them on its event thread,
	 * and new_connection also on its reconnect thread in client mode). */
	pthread_mutex_t lock;
} vh = { .lock = PTHREAD_MUTEX_INITIALIZER };

void
spp_vhost_init(const struct spp_vhost_opts *opts)
{
	vh.opts = *opts;
	if (vh.opts.nb_queues < 1)
		vh.opts.nb_queues = 1;
}

/* ---- callbacks (rte_vhost threads, under vh.lock) ---- */

static struct spp_vhost_dev *
dev_of_vid(int vid)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

	if (rte_vhost_get_ifname(vid, path, sizeof(path)) != 0)
		return NULL;
	for (unsigned int n = 0; n < SPP_MAX_VHOST; n++) {
		struct spp_vhost_dev *d = __atomic_load_n(&vh.devs[n], __ATOMIC_ACQUIRE);

		if (d != NULL && strcmp(d->path, path) == 0)
			return d;
	}
	return NULL;
}

static void
set_dir_ready(struct spp_vhost_dir *d, bool ready, int vid)
{
	if (ready) {
		d->vid = vid;
		__atomic_store_n(&d->ready, 1, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&d->ready, 0, __ATOMIC_SEQ_CST);
	}
}

/* Recompute every queue's ready flags from the device state. */
static void
update_ready(struct spp_vhost_dev *dev)
{
	bool present = __atomic_load_n(&dev->present, __ATOMIC_RELAXED) != 0;

	for (uint16_t q = 0; q < dev->nb_queues; q++) {
		struct spp_vhost_queue *vq = &dev->queues[q];

		set_dir_ready(&vq->rx, present && dev->vring_enabled[vq->rx.vring], dev->vid);
		set_dir_ready(&vq->tx, present && dev->vring_enabled[vq->tx.vring], dev->vid);
	}
}

static int
on_new_connection(int vid)
{
	struct spp_vhost_dev *dev;

	pthread_mutex_lock(&vh.lock);
	dev = dev_of_vid(vid);
	if (dev != NULL) {
		/* A peer without protocol features never sends SET_VRING_ENABLE:
		 * its vrings are enabled once set up. */
		memset(dev->vring_enabled, 1, sizeof(dev->vring_enabled));
		__atomic_store_n(&dev->connected, 1, __ATOMIC_RELAXED);
		SPP_LOG(VHOST, INFO, "vhost:%u: peer connected on %s", dev->num, dev->path);
	}
	pthread_mutex_unlock(&vh.lock);
	return 0;
}

static void
on_destroy_connection(int vid)
{
	struct spp_vhost_dev *dev;

	pthread_mutex_lock(&vh.lock);
	dev = dev_of_vid(vid);
	if (dev != NULL) {
		__atomic_store_n(&dev->connected, 0, __ATOMIC_RELAXED);
		SPP_LOG(VHOST, INFO, "vhost:%u: peer disconnected", dev->num);
	}
	pthread_mutex_unlock(&vh.lock);
}

static int
on_new_device(int vid)
{
	struct spp_vhost_dev *dev;
	uint16_t nr_vring;

	pthread_mutex_lock(&vh.lock);
	dev = dev_of_vid(vid);
	if (dev == NULL) {
		pthread_mutex_unlock(&vh.lock);
		return -1;
	}
	nr_vring = rte_vhost_get_vring_num(vid);
	/* Vrings the peer has not set up yet wait for their enable message. */
	for (unsigned int v = nr_vring; v < RTE_DIM(dev->vring_enabled); v++)
		dev->vring_enabled[v] = 0;
	/* spp polls: the guest need not kick us. */
	for (uint16_t v = 0; v < nr_vring; v++)
		rte_vhost_enable_guest_notification(vid, v, 0);
	dev->vid = vid;
	__atomic_store_n(&dev->present, 1, __ATOMIC_RELAXED);
	update_ready(dev);
	SPP_LOG(VHOST, INFO, "vhost:%u: device ready (%u vrings)", dev->num, nr_vring);
	pthread_mutex_unlock(&vh.lock);
	return 0;
}

static void
on_destroy_device(int vid)
{
	struct spp_vhost_dev *dev;

	pthread_mutex_lock(&vh.lock);
	dev = dev_of_vid(vid);
	if (dev == NULL) {
		pthread_mutex_unlock(&vh.lock);
		return;
	}
	__atomic_store_n(&dev->present, 0, __ATOMIC_RELAXED);
	update_ready(dev);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* Wait out bursts that saw `ready` before it was cleared. */
	for (uint16_t q = 0; q < dev->nb_queues; q++) {
		while (__atomic_load_n(&dev->queues[q].rx.busy, __ATOMIC_ACQUIRE))
			rte_pause();
		while (__atomic_load_n(&dev->queues[q].tx.busy, __ATOMIC_ACQUIRE))
			rte_pause();
	}
	dev->vid = -1;
	SPP_LOG(VHOST, INFO, "vhost:%u: device stopped", dev->num);
	pthread_mutex_unlock(&vh.lock);
}

static int
on_vring_state_changed(int vid, uint16_t vring, int enable)
{
	struct spp_vhost_dev *dev;

	pthread_mutex_lock(&vh.lock);
	dev = dev_of_vid(vid);
	if (dev != NULL && vring < RTE_DIM(dev->vring_enabled)) {
		dev->vring_enabled[vring] = enable != 0;
		/* No wait for `busy` here: see spp_vhost.h. */
		update_ready(dev);
	}
	pthread_mutex_unlock(&vh.lock);
	return 0;
}

static const struct rte_vhost_device_ops vhost_ops = {
	.new_device = on_new_device,
	.destroy_device = on_destroy_device,
	.vring_state_changed = on_vring_state_changed,
	.new_connection = on_new_connection,
	.destroy_connection = on_destroy_connection,
};

/* ---- manager side ---- */

/*
 * May path be used? Server mode: absent, or a stale socket of ours (no
 * listener: unlinked here). Client mode: absent (rte_vhost retries) or a
 * socket. Anything else, or another user's file, is refused.
 */
static int
check_path(const char *path, bool client, char *detail, size_t size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(detail, size, "cannot check %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(detail, size, "%s is a symbolic link", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(detail, size, "%s exists and is not a socket", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(detail, size, "%s belongs to uid %u", path, (unsigned int)st.st_uid);
		return -1;
	}
	if (client)
		return 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(detail, size, "cannot probe %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	if (ret == 0) {
		snprintf(detail, size, "%s is in use by another process", path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		snprintf(detail, size, "cannot probe %s: %s", path, strerror(errno));
		return -1;
	}
	/* Left behind by a process that died: nobody listens. */
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(detail, size, "cannot remove the stale socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	SPP_LOG(VHOST, INFO, "removed the stale socket %s", path);
	return 0;
}

static struct spp_vhost_dev *
dev_alloc(uint16_t num)
{
	uint16_t nbq = vh.opts.nb_queues;
	struct spp_vhost_dev *dev = calloc(1, sizeof(*dev));

	if (dev == NULL)
		return NULL;
	dev->queues = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*dev->queues) * nbq);
	if (dev->queues == NULL) {
		free(dev);
		return NULL;
	}
	memset(dev->queues, 0, sizeof(*dev->queues) * nbq);
	for (uint16_t q = 0; q < nbq; q++) {
		dev->queues[q].rx.vring = (uint16_t)(2 * q + 1);	/* guest TX */
		dev->queues[q].tx.vring = (uint16_t)(2 * q);		/* guest RX */
		dev->queues[q].rx.vid = -1;
		dev->queues[q].tx.vid = -1;
	}
	dev->num = num;
	dev->nb_queues = nbq;
	dev->vid = -1;
	dev->client = vh.opts.client;
	snprintf(dev->path, sizeof(dev->path), "%s%u", vh.opts.sock_prefix, num);
	return dev;
}

struct spp_vhost_dev *
spp_vhost_obtain(uint16_t num, char *detail, size_t size)
{
	struct spp_vhost_dev *dev = vh.devs[num];
	uint64_t flags = vh.opts.client ? RTE_VHOST_USER_CLIENT : 0;

	if (dev != NULL && dev->registered)
		return dev;
	if (dev == NULL) {
		dev = dev_alloc(num);
		if (dev == NULL) {
			snprintf(detail, size, "out of memory");
			return NULL;
		}
		__atomic_store_n(&vh.devs[num], dev, __ATOMIC_RELEASE);
	}
	if (check_path(dev->path, dev->client, detail, size) < 0)
		return NULL;
	if (rte_vhost_driver_register(dev->path, flags) != 0) {
		snprintf(detail, size, "rte_vhost cannot register %s", dev->path);
		return NULL;
	}
	if (rte_vhost_driver_disable_features(dev->path, DISABLED_FEATURES) != 0 ||
	    rte_vhost_driver_callback_register(dev->path, &vhost_ops) != 0 ||
	    rte_vhost_driver_start(dev->path) != 0) {
		snprintf(detail, size, "rte_vhost cannot %s %s", dev->client ?
			 "connect to" : "listen on", dev->path);
		rte_vhost_driver_unregister(dev->path);
		return NULL;
	}
	dev->registered = true;
	dev->committed = false;
	SPP_LOG(VHOST, INFO, "vhost:%u: %s on %s, %u queue pair(s)", num,
		dev->client ? "client" : "server", dev->path, dev->nb_queues);
	return dev;
}

static void
unregister(struct spp_vhost_dev *dev)
{
	/* Destroys a live connection first (destroy_device runs). */
	if (rte_vhost_driver_unregister(dev->path) != 0)
		SPP_LOG(VHOST, WARNING, "vhost:%u: cannot unregister %s", dev->num, dev->path);
	dev->registered = false;
	dev->committed = false;
	__atomic_store_n(&dev->connected, 0, __ATOMIC_RELAXED);
}

void
spp_vhost_commit(void)
{
	for (unsigned int n = 0; n < SPP_MAX_VHOST; n++)
		if (vh.devs[n] != NULL && vh.devs[n]->registered)
			vh.devs[n]->committed = true;
}

void
spp_vhost_undo(void)
{
	for (unsigned int n = 0; n < SPP_MAX_VHOST; n++) {
		struct spp_vhost_dev *dev = vh.devs[n];

		if (dev != NULL && dev->registered && !dev->committed) {
			unregister(dev);
			SPP_LOG(VHOST, INFO, "vhost:%u: removed (the command failed)", dev->num);
		}
	}
}

const struct spp_vhost_dev *
spp_vhost_lookup(uint16_t num)
{
	const struct spp_vhost_dev *dev = vh.devs[num];

	return dev != NULL && dev->registered ? dev : NULL;
}

void
spp_vhost_shutdown(void)
{
	for (unsigned int n = 0; n < SPP_MAX_VHOST; n++)
		if (vh.devs[n] != NULL && vh.devs[n]->registered)
			unregister(vh.devs[n]);
}
