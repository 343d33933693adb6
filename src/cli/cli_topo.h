/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "topo": the live topology as Graphviz DOT text or as a text listing.
 * Pure functions of one JSON document the shell assembles from REST
 * answers:
 *
 *   {"primary": <GET /v1/primary/status> or null,
 *    "secondaries": [{"type": "vf", "client-id": 1,
 *                     "status": <GET /v1/vfs/1>}, ...]}
 *
 * Nodes: phy, ring and vhost ports (shared by every process, so a ring
 * links components of different processes) and one node per component,
 * grouped in a cluster per process; edges rx port -> component -> tx port,
 * labelled with the attachment's VLAN op (and "copy" for a mirror's
 * second tx port).
 */
#ifndef CLI_TOPO_H
#define CLI_TOPO_H

#include <stdio.h>

#include <jansson.h>

/*
 * DOT text of topo. Returns a malloc'd string the caller frees, or NULL
 * when out of memory.
 */
char *cli_topo_dot(const json_t *topo);

/* Text rendering of topo to f, one line per process and component. */
void cli_topo_text(FILE *f, const json_t *topo);

#endif /* CLI_TOPO_H */
