/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rate-limited data-path warnings (SPEC §9.5, issue 7): workers never log;
 * the manager thread compares the drop counters of the process's counter
 * region (spp_stats_region.h) with what it last reported and logs at most
 * one line per drop reason per second, with the count since the previous
 * line and the component that dropped most.
 *
 * Thread: manager only.
 */
#ifndef SPP_DROP_WATCH_H
#define SPP_DROP_WATCH_H

#include <stdint.h>

#include "spp_limits.h"
#include "spp_stats.h"
#include "spp_stats_region.h"

#define SPP_DROP_WATCH_PERIOD_NS	1000000000ull

struct spp_drop_watch {
	uint64_t next_ns;				/* no look before this */
	uint64_t reported[SPP_MAX_COMPONENTS][SPP_DROP_MAX];	/* per slot */
	uint64_t lines;					/* lines logged */
};

/*
 * Look at r if a period has passed since the last look (now_ns is
 * CLOCK_MONOTONIC); log one WARNING line per reason that counted drops
 * since, on log type lt. A slot whose counters went down was reused by a
 * new component and counts from zero. Cheap enough for every manager loop.
 */
void spp_drop_watch_poll(struct spp_drop_watch *w, const struct spp_stats_region *r,
			 uint64_t now_ns, int lt);

#endif /* SPP_DROP_WATCH_H */
