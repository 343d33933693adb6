/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>

#include <rte_log.h>

#include "spp_drop_watch.h"
#include "spp_log.h"

void
spp_drop_watch_poll(struct spp_drop_watch *w, const struct spp_stats_region *r,
		    uint64_t now_ns, int lt)
{
	if (now_ns < w->next_ns)
		return;
	w->next_ns = now_ns + SPP_DROP_WATCH_PERIOD_NS;
	for (int k = 0; k < SPP_DROP_MAX; k++) {
		uint64_t total = 0, top = 0;
		int top_slot = -1, nb_comps = 0;

		for (unsigned int i = 0; i < SPP_MAX_COMPONENTS; i++) {
			const struct spp_comp_slot *s = &r->comps[i];
			uint64_t cur, delta;

			if (__atomic_load_n(&s->used, __ATOMIC_ACQUIRE) == 0) {
				w->reported[i][k] = 0;
				continue;
			}
			cur = spp_stat_read(&s->stats.drops[k]);
			if (cur < w->reported[i][k])	/* the slot was reused */
				w->reported[i][k] = 0;
			delta = cur - w->reported[i][k];
			w->reported[i][k] = cur;
			if (delta == 0)
				continue;
			total += delta;
			nb_comps++;
			if (delta > top) {
				top = delta;
				top_slot = (int)i;
			}
		}
		if (total == 0)
			continue;
		w->lines++;
		rte_log(RTE_LOG_WARNING, lt, "%s: %s(): %" PRIu64 " packets dropped (%s) in the "
			"last second or more, %" PRIu64 " by component %s%s\n", spp_app_name,
			__func__, total, spp_drop_reason_names[k], top, r->comps[top_slot].name,
			nb_comps > 1 ? " and the rest by others" : "");
	}
}
