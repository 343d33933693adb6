/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "top": rates per component and per port of every process, computed from
 * two samples of the document cli_topo.h describes. Each sample also
 * carries the time its parts were read, in seconds of any monotonic clock:
 *
 *   {"primary": <GET /v1/primary/status> or null, "primary_t": 12.5,
 *    "secondaries": [{"type": "vf", "client-id": 1, "t": 12.5,
 *                     "status": <GET /v1/vfs/1>}, ...]}
 *
 * A rate is (counter now - counter before) / (t now - t before) of the
 * same process, so a slow GET of one process does not skew the others.
 * A counter that went backwards (component restarted, primary "clear")
 * counts from zero: its rate is its new value over the interval.
 *
 * Pure functions, no I/O but the given stream; any thread.
 */
#ifndef CLI_TOP_H
#define CLI_TOP_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/*
 * Drop reasons: the six of a component's stats.drops (SPEC §9.1), then
 * rx_missed of a primary phy port (packets the NIC had no room for).
 */
#define CLI_TOP_NB_REASONS	7
extern const char *const cli_top_reasons[CLI_TOP_NB_REASONS];

/* One line of the table: a component, or a port as one process counts it. */
struct cli_top_row {
	char proc[24];		/* "vf:1", "mirror:3" or "primary" */
	char name[48];		/* component name, or port UID */
	char type[16];		/* component type, or "port" */
	bool known;		/* in both samples: the rates below are valid */
	unsigned int reasons;	/* bit i set: cli_top_reasons[i] applies to the row */
	double rx_pps;
	double rx_bps;		/* bits per second of the counted bytes */
	double tx_pps;
	double tx_bps;
	double drop_pps;
	double reason_pps[CLI_TOP_NB_REASONS];
};

struct cli_top {
	struct cli_top_row *rows;	/* malloc'd */
	int nb_rows;
};

/*
 * Rows of cur, in its order: the primary's phy then ring ports, then per
 * secondary its components (unused lcores skipped) then its port_stats.
 * prev may be NULL (first sample): every row is then !known.
 * Ownership: top is overwritten; release it with cli_top_free() in every
 *   case.
 * Returns: 0, or -ENOMEM (top then empty).
 */
int cli_top_compute(const json_t *prev, const json_t *cur, struct cli_top *top);

void cli_top_free(struct cli_top *top);

/*
 * v as at most 6 characters: "0", "0.50", "12", "999", "1.23K", "45.6M",
 * "789G" (SI steps of 1000).
 */
const char *cli_top_human(double v, char *buf, size_t size);

/*
 * The table: a column header line, then one line per row; rates of rows
 * that are not known print "-". Drops per reason are listed as
 * "reason=rate" for the reasons whose rate is not 0. Lines longer than
 * width are cut (width <= 0: never).
 */
void cli_top_format(FILE *f, const struct cli_top *top, int width);

/*
 * The rows as JSON, for --json: an array of {"process", "name", "type",
 * "rx_pps", "rx_bps", "tx_pps", "tx_bps", "drop_pps", "drops": {reason:
 * rate, ...}} (every reason of the row's kind: the six of a component,
 * rx_missed of a primary phy port, none for other ports); the rates are
 * numbers, or null for a row that is not known.
 * Returns a new reference, or NULL when out of memory.
 */
json_t *cli_top_json(const struct cli_top *top);

#endif /* CLI_TOP_H */
