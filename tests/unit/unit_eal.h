/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL for unit tests that need real mbufs: no hugepages, no PCI, no shared
 * config, no telemetry, one lcore, and a file prefix of the test's own, so
 * tests run beside any spp process and leave nothing behind.
 */
#ifndef SPP_UNIT_EAL_H
#define SPP_UNIT_EAL_H

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

/* rte_eal_init for test `name`. Returns 0 or -1 (reason printed). */
static inline int
unit_eal_init(const char *name)
{
	char prefix[64];
	char *argv[] = {
		(char *)(uintptr_t)name, "--no-huge", "--no-pci", "-m", "128", "--no-shconf",
		"--no-telemetry", "--file-prefix", prefix, "-l", "0", "--log-level=*:error",
	};

	snprintf(prefix, sizeof(prefix), "unit_%s_%d", name, (int)getpid());
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* rte_eal_cleanup, then remove the runtime directory --no-shconf still creates. */
static inline void
unit_eal_cleanup(void)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(dir);
}

#endif /* SPP_UNIT_EAL_H */
