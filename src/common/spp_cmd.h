/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The spp_vf / spp_mirror command language (SPEC §5): tokenizer, command
 * table with arity ranges, and the checks of every command in the order
 * the SPEC lists, against a model and a port environment.
 *
 * spp_cmd_parse() never changes the current model. For a mutating command
 * it writes the would-be model into next; the caller (the manager) then
 * prepares resources, publishes plans and commits (SPEC §5.10).
 *
 * Pure C, no DPDK. Thread: manager only.
 */
#ifndef SPP_CMD_H
#define SPP_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "spp_model.h"

/* Error messages of SPEC §5.7, exactly as sent on the wire. */
#define SPP_ERR_FORMAT		"Wrong message format"
#define SPP_ERR_COMMAND		"Invalid value (command)"
#define SPP_ERR_ACTION		"Invalid value (action)"
#define SPP_ERR_COMP_NAME	"Invalid value (component name)"
#define SPP_ERR_CORE		"Invalid value (core)"
#define SPP_ERR_COMP_TYPE	"Invalid value (component type)"
#define SPP_ERR_PORT		"Invalid value (port)"
#define SPP_ERR_PORT_RXTX	"Invalid value (port rxtx)"
#define SPP_ERR_VLAN_OP		"Invalid value (port vlan operation)"
#define SPP_ERR_PORT_VID	"Invalid value (port vid)"
#define SPP_ERR_PORT_PCP	"Invalid value (port pcp)"
#define SPP_ERR_TYPE		"Invalid value (type)"
#define SPP_ERR_VLAN_ID		"Invalid value (vlan id)"
#define SPP_ERR_MAC		"Invalid value (mac address)"
#define SPP_ERR_DIRECTION	"Invalid value (direction)"	/* [EXT] capture, §9.4 */
#define SPP_ERR_FILE		"Invalid value (file)"		/* [EXT] capture, §9.4 */
#define SPP_ERR_LOG_TYPE	"Invalid value (log type)"	/* [EXT] log_level */
#define SPP_ERR_LOG_LEVEL	"Invalid value (log level)"	/* [EXT] log_level */
#define SPP_ERR_OCCUR		"error occur"

/* Longest log type pattern of `log_level`, bytes (rte_log names are short). */
#define SPP_LOG_TYPE_MAX_LEN	63

enum spp_cmd_kind {
	SPP_CMD_CLIENT_ID,	/* _get_client_id */
	SPP_CMD_STATUS,
	SPP_CMD_EXIT,
	SPP_CMD_COMPONENT,
	SPP_CMD_PORT,
	SPP_CMD_CLASSIFIER,
	SPP_CMD_CAPTURE,	/* [EXT] SPEC §9.4 */
	SPP_CMD_LOG_LEVEL,	/* [EXT] log_level TYPE LEVEL (docs/observability.md) */
};

struct spp_cmd_result {
	enum spp_cmd_kind kind;
	/* NULL on success, else one of SPP_ERR_*. */
	const char *error;
	/* Optional human-readable reason for error_details.detail. */
	char detail[160];
	/* A mutating command that changes the model: next holds the result. */
	bool changed;
	/* The worker lcore whose plan the change touches, or -1 (SPEC §8.8). */
	int lcore;
	/*
	 * A second lcore, or -1: only "capture ... both" whose rx and tx
	 * attachments run on different lcores (SPEC §9.4).
	 */
	int lcore2;
	/* SPP_CMD_LOG_LEVEL: the checked pattern and its rte_log level (1..8). */
	char log_type[SPP_LOG_TYPE_MAX_LEN + 1];
	int log_level;
};

/*
 * Split line into at most max tokens at runs of spaces and tabs, in place.
 * Returns the token count, or max + 1 when there are more (the rest are
 * not stored).
 */
int spp_cmd_tokenize(char *line, char **tokens, int max);

/*
 * Parse and check one command (without terminator) against cur and env.
 * For a mutating command that changes something, next receives a copy of
 * cur with the change applied and res->changed is set; next is scratch
 * otherwise. Never modifies cur.
 * Returns 0 on success, -EINVAL with res->error set on failure.
 */
int spp_cmd_parse(const struct spp_port_env *env, const struct spp_model *cur,
		  const char *line, struct spp_model *next, struct spp_cmd_result *res);

/*
 * Check the two arguments of `log_level TYPE LEVEL` [EXT]: TYPE a log type
 * or fnmatch pattern ("spp.*", "spp.worker", "*"), 1..SPP_LOG_TYPE_MAX_LEN
 * bytes of [A-Za-z0-9._*?-]; LEVEL a name of rte_log's levels (emerg,
 * alert, crit, err or error, warning, notice, info, debug; any case) or its
 * number 1..8. Shared by spp_vf, spp_mirror and spp_primary.
 * Returns 0 with *level set (RTE_LOG_EMERG 1 .. RTE_LOG_DEBUG 8), or the
 * error message to reply: SPP_ERR_LOG_TYPE (checked first) or
 * SPP_ERR_LOG_LEVEL, through *error.
 */
int spp_log_level_parse(const char *type, const char *level, int *value, const char **error);

/*
 * Parse a MAC in the strict form of SPEC §5.5 ("52:54:00:12:34:56", any
 * case). Returns 0, or -EINVAL (also for all-zero and group addresses).
 */
int spp_mac_parse(const char *str, uint8_t mac[6]);

#endif /* SPP_CMD_H */
