/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "spp_log.h"
#include "spp_worker.h"

#define NO_WORK_SLEEP_US	100

static const struct spp_plan empty_plan;

static int
worker_main(void *arg)
{
	struct spp_dataplane *dp = arg;
	struct spp_worker *w = &dp->workers[rte_lcore_id()];
	const struct spp_plan *cur = &empty_plan;

	while (!__atomic_load_n(&dp->stop, __ATOMIC_RELAXED)) {
		/* Burst boundary: no packet is held, so switching loses none. */
		if (__atomic_load_n(&w->pending, __ATOMIC_RELAXED) != NULL) {
			struct spp_plan *next = __atomic_exchange_n(&w->pending, NULL,
								    __ATOMIC_ACQ_REL);

			if (next != NULL) {
				cur = next;
				__atomic_store_n(&w->active_gen, next->gen, __ATOMIC_RELEASE);
			}
		}
		w->phy_ok = __atomic_load_n(&dp->shm->state, __ATOMIC_RELAXED) ==
			SPP_STATE_RUNNING;
		if (cur->nb_comps == 0) {
			spp_sleep_us(NO_WORK_SLEEP_US);
			continue;
		}

		uint32_t moved = 0;

		for (uint16_t i = 0; i < cur->nb_comps; i++)
			moved += cur->comps[i].run_burst(w, &cur->comps[i]);
		if (moved == 0 && dp->idle_sleep_us != 0)
			spp_sleep_us(dp->idle_sleep_us);
	}
	/* Give this lcore's cached mbufs back, so leak checks compare exactly
	 * and the next owner of this lcore id starts clean (SPEC §8.9). */
	rte_mempool_cache_flush(rte_mempool_default_cache(dp->pool, rte_lcore_id()), dp->pool);
	for (int i = 0; i < 2; i++) {
		struct rte_mempool *mp = __atomic_load_n(&dp->copy_pools[i], __ATOMIC_ACQUIRE);

		if (mp != NULL)
			rte_mempool_cache_flush(rte_mempool_default_cache(mp, rte_lcore_id()), mp);
	}
	return 0;
}

int
spp_dataplane_start(struct spp_dataplane *dp)
{
	unsigned int lcore;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct spp_worker *w = &dp->workers[lcore];

		w->lcore = lcore;
		w->pool = dp->pool;
		w->phy_ok = true;
	}
	RTE_LCORE_FOREACH_WORKER(lcore) {
		int ret = rte_eal_remote_launch(worker_main, dp, lcore);

		if (ret != 0)
			return ret;
	}
	return 0;
}

void
spp_dataplane_stop(struct spp_dataplane *dp)
{
	unsigned int lcore;

	/* Empty plans first: every worker ends between two polls. */
	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct spp_plan *p = calloc(1, sizeof(*p));

		if (p == NULL || spp_plan_publish(dp, lcore, p) != 0)
			spp_plan_destroy(p);
	}
	__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
	RTE_LCORE_FOREACH_WORKER(lcore) {
		spp_plan_destroy(dp->workers[lcore].installed);
		dp->workers[lcore].installed = NULL;
	}
}

static void
resolve(struct spp_attach_rt *out, const struct spp_attach_cfg *in,
	const struct spp_port_table *ports)
{
	out->port = spp_port_lookup(ports, &in->port);
	out->op = in->op;
}

/* [EXT] The ring capturing (port, dir) in m, or NULL (SPEC §9.4). */
static struct spp_cap_ring *
capture_ring(const struct spp_model *m, const struct spp_port_id *port, enum spp_dir dir)
{
	int i = spp_model_find_capture(m, port, 1u << dir, false);

	if (i < 0 || m->captures[i].cap == NULL)
		return NULL;
	return spp_capture_ring(m->captures[i].cap, dir);
}

struct spp_plan *
spp_plan_build(const struct spp_dataplane *dp, const struct spp_model *m, unsigned int lcore,
	       const struct spp_port_table *ports)
{
	uint16_t nb = 0;
	struct spp_plan *p;

	/* Room for every component of the lcore; only runnable ones are filled. */
	for (int i = 0; i < m->nb_comps; i++)
		if (m->comps[i].lcore == lcore)
			nb++;
	p = calloc(1, sizeof(*p) + sizeof(p->comps[0]) * nb);
	if (p == NULL)
		return NULL;
	for (int i = 0; i < m->nb_comps; i++) {
		const struct spp_comp_cfg *c = &m->comps[i];
		struct spp_comp_rt *rt;

		if (c->lcore != lcore || !spp_model_comp_runnable(m, c))
			continue;
		rt = &p->comps[p->nb_comps++];
		rt->run_burst = dp->kinds[c->kind];
		rt->stats = c->stats;
		rt->nb_rx = c->nb_rx;
		rt->nb_tx = c->nb_tx;
		for (int k = 0; k < c->nb_rx; k++) {
			resolve(&rt->rx[k], &c->rx[k], ports);
			rt->rx[k].cap = capture_ring(m, &c->rx[k].port, SPP_DIR_RX);
		}
		for (int k = 0; k < c->nb_tx; k++) {
			resolve(&rt->tx[k], &c->tx[k], ports);
			rt->tx[k].cap = capture_ring(m, &c->tx[k].port, SPP_DIR_TX);
		}
		rt->copy_mode = c->copy_mode;
		rt->copy_pool = dp->copy_pools[c->copy_mode];
		if (c->kind == SPP_COMP_CLASSIFIER) {
			rt->cls = spp_cls_table_create(m, c);
			if (rt->cls == NULL) {
				spp_plan_destroy(p);
				errno = ENOMEM;
				return NULL;
			}
		}
	}
	return p;
}

void
spp_plan_destroy(struct spp_plan *p)
{
	if (p == NULL)
		return;
	for (uint16_t i = 0; i < p->nb_comps; i++)
		spp_cls_table_destroy((struct spp_cls_table *)(uintptr_t)p->comps[i].cls);
	free(p);
}

/* Wait for active_gen == gen, sleeping 10-50 us per check, until deadline (0: none). */
static bool
wait_ack(struct spp_worker *w, uint64_t gen, uint64_t deadline_ns)
{
	uint64_t sleep_us = 10;

	while (__atomic_load_n(&w->active_gen, __ATOMIC_ACQUIRE) != gen) {
		if (deadline_ns != 0 && spp_monotonic_ns() > deadline_ns)
			return false;
		spp_sleep_us(sleep_us);
		if (sleep_us < 50)
			sleep_us += 10;
	}
	return true;
}

int
spp_plan_publish(struct spp_dataplane *dp, unsigned int lcore, struct spp_plan *p)
{
	struct spp_worker *w = &dp->workers[lcore];
	uint64_t deadline = spp_monotonic_ns() + dp->update_timeout_ms * 1000000ull;

	p->gen = ++w->next_gen;
	__atomic_store_n(&w->pending, p, __ATOMIC_RELEASE);
	if (!wait_ack(w, p->gen, deadline)) {
		/* Take it back, unless the worker took it in the meantime. */
		if (__atomic_exchange_n(&w->pending, NULL, __ATOMIC_ACQ_REL) == p) {
			SPP_LOG(WORKER, ERR, "lcore %u did not adopt plan %" PRIu64 " within %u ms",
				lcore, p->gen, dp->update_timeout_ms);
			return -ETIMEDOUT;
		}
		/* Adopted: its acknowledgement follows at once. */
		wait_ack(w, p->gen, 0);
	}
	spp_plan_destroy(w->installed);
	w->installed = p;
	return 0;
}
