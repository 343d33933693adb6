/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spp_vf: pseudo SR-IOV with classifier, merge and forward components
 * (SPEC §1.1). Everything but the components lives in the shared manager.
 */
#include "components.h"
#include "spp_log.h"
#include "spp_manager.h"

int
main(int argc, char **argv)
{
	static const struct spp_app_desc app = {
		.name = "spp_vf",
		.process_type = "vf",
		.logtype = &spp_logtype_vf,
		.run_burst = {
			[SPP_COMP_FORWARD] = spp_forward_burst,
			[SPP_COMP_MERGE] = spp_forward_burst,
			[SPP_COMP_CLASSIFIER] = spp_classifier_burst,
		},
	};

	return spp_manager_main(&app, argc, argv);
}
