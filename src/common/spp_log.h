/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log types spp.primary, spp.vf, spp.mirror, spp.worker, spp.vhost
 * (SPEC §9.5). Any thread may log; the fast path never logs per packet.
 */
#ifndef SPP_LOG_H
#define SPP_LOG_H

#include <rte_log.h>

extern int spp_logtype_primary;
extern int spp_logtype_vf;
extern int spp_logtype_mirror;
extern int spp_logtype_worker;
extern int spp_logtype_vhost;
/* The log type of this process's own code: spp.vf or spp.mirror. */
extern int spp_logtype_app;

/* The name this process logs its own lines under ("spp_vf", ...). */
extern const char *spp_app_name;

#define SPP_LOGTYPE_PRIMARY	spp_logtype_primary
#define SPP_LOGTYPE_WORKER	spp_logtype_worker
#define SPP_LOGTYPE_VHOST	spp_logtype_vhost
#define SPP_LOGTYPE_APP		spp_logtype_app

/* SPP_LOG(APP, INFO, "...") -> "spp_vf: handle_command(): ...\n" */
#define SPP_LOG(type, level, fmt, ...) \
	rte_log(RTE_LOG_##level, SPP_LOGTYPE_##type, "%s: %s(): " fmt "\n", \
		spp_app_name, __func__, ##__VA_ARGS__)

#endif /* SPP_LOG_H */
