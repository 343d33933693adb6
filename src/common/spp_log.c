/* SPDX-License-Identifier: BSD-3-Clause */
#include "spp_log.h"

RTE_LOG_REGISTER(spp_logtype_primary, spp.primary, INFO);
RTE_LOG_REGISTER(spp_logtype_vf, spp.vf, INFO);
RTE_LOG_REGISTER(spp_logtype_mirror, spp.mirror, INFO);
RTE_LOG_REGISTER(spp_logtype_worker, spp.worker, INFO);
RTE_LOG_REGISTER(spp_logtype_vhost, spp.vhost, INFO);

int spp_logtype_app;
const char *spp_app_name = "spp";
