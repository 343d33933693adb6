/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include "spp_shm.h"

/*
 * Owner word: client id (8 bits) | pid (22 bits, Linux pid_max) | process
 * start time in clock ticks since boot (low 34 bits: years at 100 Hz).
 */
#define OWNER_TIME_BITS	34
#define OWNER_PID_BITS	22
#define OWNER_TIME_MASK	((UINT64_C(1) << OWNER_TIME_BITS) - 1)
#define OWNER_PID_MASK	((UINT64_C(1) << OWNER_PID_BITS) - 1)

uint64_t
spp_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void
spp_sleep_us(uint64_t us)
{
	uint64_t deadline = spp_monotonic_ns() + us * 1000;
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ull),
		.tv_nsec = (long)(deadline % 1000000000ull),
	};

	/* Some PMDs signal the process (net_tap: SIGIO); sleep to the end. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Field 22 of /proc/<pid>/stat, or 0 if the process does not exist. */
static uint64_t
start_time(uint32_t pid)
{
	char path[64], buf[1024];
	unsigned long long t = 0;
	FILE *f;
	char *p;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields restart after the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	/* After ")": field 3 (state) ... field 22 (starttime) = 20th token. */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d"
		   " %*d %*d %*d %llu", &t) != 1)
		return 0;
	return t;
}

uint64_t
spp_owner_self(uint16_t client_id)
{
	uint32_t pid = (uint32_t)getpid();

	return (uint64_t)client_id << (OWNER_PID_BITS + OWNER_TIME_BITS) |
		((uint64_t)pid & OWNER_PID_MASK) << OWNER_TIME_BITS |
		(start_time(pid) & OWNER_TIME_MASK);
}

uint16_t
spp_owner_client(uint64_t owner)
{
	return (uint16_t)(owner >> (OWNER_PID_BITS + OWNER_TIME_BITS));
}

uint32_t
spp_owner_pid(uint64_t owner)
{
	return (uint32_t)((owner >> OWNER_TIME_BITS) & OWNER_PID_MASK);
}

bool
spp_owner_alive(uint64_t owner)
{
	uint64_t t;

	if (owner == 0)
		return false;
	t = start_time(spp_owner_pid(owner));
	return t != 0 && (t & OWNER_TIME_MASK) == (owner & OWNER_TIME_MASK);
}

int
spp_claim(uint64_t *slot, uint64_t owner, uint64_t *holder)
{
	uint64_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	for (;;) {
		if (cur == owner)
			return 0;
		if (cur != 0 && spp_owner_alive(cur)) {
			if (holder != NULL)
				*holder = cur;
			return -EBUSY;
		}
		/* Free, or its owner died: take it. On failure cur is reloaded. */
		if (__atomic_compare_exchange_n(slot, &cur, owner, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return 0;
	}
}

void
spp_release(uint64_t *slot, uint64_t owner)
{
	uint64_t expected = owner;

	__atomic_compare_exchange_n(slot, &expected, 0, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

bool
spp_claimed_by_other(const uint64_t *slot, uint64_t owner)
{
	uint64_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	return cur != 0 && cur != owner && spp_owner_alive(cur);
}

static void
release_array(uint64_t *slots, size_t n, uint64_t owner)
{
	for (size_t i = 0; i < n; i++)
		spp_release(&slots[i], owner);
}

void
spp_release_all(struct spp_shared_info *shm, uint64_t owner)
{
	release_array(shm->lcore_claims, SPP_MAX_LCORES, owner);
	release_array(&shm->queue_claims[0][0][0], SPP_MAX_PHY * SPP_MAX_QUEUES * 2, owner);
	release_array(shm->vhost_claims, SPP_MAX_VHOST, owner);
	release_array(shm->client_slots, SPP_MAX_CLIENTS, owner);
}

uint64_t *
spp_queue_claim(struct spp_shared_info *shm, const struct spp_port_id *id, enum spp_dir dir)
{
	int q = id->queue == SPP_NO_QUEUE ? 0 : id->queue;

	return &shm->queue_claims[id->num][q][dir];
}

struct spp_stats_region *
spp_stats_region_obtain(uint16_t client_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct spp_stats_region *r;

	snprintf(name, sizeof(name), SPP_STATS_NAME_FMT, client_id);
	mz = rte_memzone_lookup(name);
	if (mz == NULL) {
		mz = rte_memzone_reserve(name, sizeof(*r), SOCKET_ID_ANY, 0);
		if (mz == NULL)
			return NULL;
		memset(mz->addr, 0, sizeof(*r));
	}
	r = mz->addr;
	/* Reused only with this build's layout (reset keeps the generation). */
	if (mz->len < sizeof(*r) || (r->magic != 0 && !spp_stats_region_valid(r))) {
		rte_errno = EEXIST;
		return NULL;
	}
	return r;
}

struct spp_stats_region *
spp_stats_region_live(uint16_t client_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct spp_stats_region *r;

	snprintf(name, sizeof(name), SPP_STATS_NAME_FMT, client_id);
	mz = rte_memzone_lookup(name);
	if (mz == NULL || mz->len < sizeof(*r))
		return NULL;
	r = mz->addr;
	if (!spp_stats_region_valid(r) ||
	    !spp_owner_alive(__atomic_load_n(&r->owner, __ATOMIC_ACQUIRE)))
		return NULL;
	return r;
}
