/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_mirror: port mirroring for Tap-as-a-Service (SPEC §1.1, §8.7).
 * Everything but the mirror component lives in the shared manager.
 */
#include "mirror.h"
#include "spp_log.h"
#include "spp_manager.h"

int
main(int argc, char **argv)
{
	static const struct spp_app_desc app = {
		.name = "spp_mirror",
		.process_type = "mirror",
		.logtype = &spp_logtype_mirror,
		.is_mirror = true,
		.run_burst = {
			[SPP_COMP_MIRROR] = spp_mirror_burst,
		},
	};

	return spp_manager_main(&app, argc, argv);
}
