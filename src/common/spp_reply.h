/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON replies of spp_vf / spp_mirror (SPEC §5.8, §5.9), built with
 * jansson in the key order the SPEC lists and dumped compact.
 *
 * Pure C + jansson, no DPDK. Thread: manager only.
 */
#ifndef SPP_REPLY_H
#define SPP_REPLY_H

#include <jansson.h>

#include "spp_model.h"
#include "spp_stats.h"

/* A string value; bytes that are not valid UTF-8 become U+FFFD. */
json_t *spp_json_string(const char *s);

/* {"results":[{"result":"success"}]} */
json_t *spp_reply_success(void);

/* {"results":[{"result":"error","error_details":{"message":M[,"detail":D]}}]} */
json_t *spp_reply_error(const char *message, const char *detail);

/*
 * Dump reply compact with a trailing '\n' and release it.
 * Returns a malloc'd string the caller frees, or NULL on ENOMEM.
 */
char *spp_reply_format(json_t *reply);

/* A port this process attached at least once, with its counters. */
struct spp_status_port {
	struct spp_port_id id;
	const struct spp_port_stats *stats;
};

/* A vhost device this process created (SPEC §1.3), with its link state. */
struct spp_status_vhost {
	uint16_t num;
	uint16_t nb_queues;	/* > 1: listed per queue, "N nq Q" */
	const char *path;
	bool client;		/* --vhost-client */
	bool connected;		/* a vhost-user peer is connected */
	uint64_t rx_up;		/* bit Q: queue Q's guest-TX vring is ready */
	uint64_t tx_up;		/* bit Q: queue Q's guest-RX vring is ready */
};

struct spp_status_input {
	const struct spp_port_env *env;
	const struct spp_model *model;
	const struct spp_status_port *ports;	/* any order */
	unsigned int nb_ports;
	const struct spp_status_vhost *vhosts;	/* devices created, any order */
	unsigned int nb_vhosts;
	bool vhost_links;			/* add "vhost_links" (EXT) if any */
	bool is_mirror;
};

/* The full status reply: success envelope plus "info" (SPEC §5.9). */
json_t *spp_status_reply(const struct spp_status_input *in);

/* Counters of one component in status order (SPEC §9.2). */
json_t *spp_comp_stats_json(const struct spp_comp_stats *s);

#endif /* SPP_REPLY_H */
