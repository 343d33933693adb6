/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration model of an spp_vf / spp_mirror process: components,
 * their port attachments with VLAN ops, and the classifier table.
 *
 * This is the control path's single source of truth (SPEC §5.10). It is
 * plain data, no DPDK: the manager thread owns it, validates each command
 * against it (spp_cmd.h), applies a change to a copy, and only commits the
 * copy once the data plane adopted the plans built from it (spp_plan.h).
 * Workers never read it.
 *
 * Thread: manager only.
 */
#ifndef SPP_MODEL_H
#define SPP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "spp_capture.h"
#include "spp_limits.h"
#include "spp_stats.h"
#include "spp_uid.h"

enum spp_comp_kind {
	SPP_COMP_FORWARD,
	SPP_COMP_MERGE,
	SPP_COMP_CLASSIFIER,
	SPP_COMP_MIRROR,
	SPP_COMP_KIND_MAX,
};

enum spp_dir {
	SPP_DIR_RX = 0,
	SPP_DIR_TX = 1,
};

enum spp_vlan_kind {
	SPP_VLAN_NONE = 0,
	SPP_VLAN_ADD,
	SPP_VLAN_DEL,
};

/* One attachment's VLAN operation (SPEC §8.6). */
struct spp_vlan_op {
	uint8_t kind;	/* enum spp_vlan_kind */
	uint8_t pcp;	/* 0..7, ADD only */
	uint16_t vid;	/* 0..4094, ADD only */
};

enum spp_copy_mode {
	SPP_COPY_SHALLOW = 0,
	SPP_COPY_DEEP = 1,
};

struct spp_attach_cfg {
	struct spp_port_id port;
	struct spp_vlan_op op;
};

struct spp_comp_cfg {
	char name[SPP_MAX_NAME_LEN + 1];
	uint16_t lcore;
	uint8_t kind;		/* enum spp_comp_kind */
	uint8_t copy_mode;	/* enum spp_copy_mode, mirror only */
	uint16_t nb_rx;
	uint16_t nb_tx;
	struct spp_attach_cfg rx[SPP_MAX_PORTS_PER_DIR];
	struct spp_attach_cfg tx[SPP_MAX_PORTS_PER_DIR];
	/*
	 * Counters, written by the worker that runs the component. Owned by
	 * the process layer (spp_manager.c): copied with the model, NULL in
	 * a component that a command just created until it allocates them.
	 */
	struct spp_comp_stats *stats;
};

/* Untagged entries have vid 0 (VID 0 frames are priority-tagged = untagged). */
#define SPP_VID_UNTAGGED	0

struct spp_cls_entry {
	uint16_t vid;		/* SPP_VID_UNTAGGED or 1..4094 */
	bool is_default;	/* "default": mac is all zero */
	uint8_t mac[6];
	struct spp_port_id port;
};

struct spp_capture;

/* A running capture (SPEC §9.4): (port, directions) -> file. */
struct spp_capture_cfg {
	struct spp_port_id port;
	uint8_t dirs;		/* SPP_CAPTURE_RX / _TX / _BOTH (spp_capture.h) */
	uint32_t max;		/* packets, then it stops by itself; 0: no limit */
	char file[SPP_CAPTURE_FILE_MAX_LEN + 1];
	/*
	 * Rings and file. Owned by the process layer (spp_manager.c), like
	 * comps[].stats: copied with the model, NULL in a capture that a
	 * command just started until the manager creates it.
	 */
	struct spp_capture *cap;
};

struct spp_model {
	uint16_t nb_comps;
	uint16_t nb_entries;
	uint16_t nb_captures;
	struct spp_comp_cfg comps[SPP_MAX_COMPONENTS];	/* start order */
	struct spp_cls_entry entries[SPP_MAX_CLS_ENTRIES];	/* add order */
	struct spp_capture_cfg captures[SPP_MAX_CAPTURES];	/* start order */
};

/*
 * What this process has and may use, for validating commands. Filled once
 * by the process at start-up; the callbacks ask the shared claims.
 */
struct spp_port_env {
	uint16_t client_id;
	uint16_t main_lcore;
	bool worker_lcore[SPP_MAX_LCORES];
	uint16_t nb_phy;
	uint16_t phy_rxq[SPP_MAX_PHY];
	uint16_t phy_txq[SPP_MAX_PHY];
	uint16_t nb_rings;
	/* Queue pairs of every vhost port (--vhost-queues): nq as for phy. */
	uint16_t vhost_queues;
	/* Component types this process runs: bit i = enum spp_comp_kind i. */
	uint32_t kinds;
	/* Default copy mode of new mirror components (--copy-mode). */
	uint8_t default_copy_mode;
	/* (phy N, queue, dir) held by another live process? May be NULL. */
	bool (*claimed_elsewhere)(void *ctx, const struct spp_port_id *id, enum spp_dir dir);
	/* vhost:N owned by another live process? May be NULL. */
	bool (*vhost_elsewhere)(void *ctx, uint16_t num);
	/* FILE exists in --capture-dir (SPEC §9.4 step 4)? May be NULL. */
	bool (*capture_file_exists)(void *ctx, const char *file);
	void *ctx;
};

/* Allocates an empty model; NULL on ENOMEM. */
struct spp_model *spp_model_create(void);
/* destroy(NULL) is a no-op. Does not touch comps[].stats. */
void spp_model_destroy(struct spp_model *m);
/* Copy the used part of src into dst. */
void spp_model_copy(struct spp_model *dst, const struct spp_model *src);

/* Name of a component kind: "forward", "merge", "classifier", "mirror". */
const char *spp_comp_kind_name(enum spp_comp_kind kind);

/* Index of the component named name, or -1. */
int spp_model_find_comp(const struct spp_model *m, const char *name);

/*
 * Index of the attachment of (port, dir) in comp, or -1. With port->queue
 * SPP_NO_QUEUE the UID must match exactly (queues are part of the UID).
 */
int spp_comp_find_attach(const struct spp_comp_cfg *c, const struct spp_port_id *port,
			 enum spp_dir dir);

/*
 * The component of this process that has (port, dir) attached, or -1;
 * *attach_idx is set to the attachment index when found.
 */
int spp_model_port_user(const struct spp_model *m, const struct spp_port_id *port,
			enum spp_dir dir, int *attach_idx);

/*
 * Runnable per SPEC §8.3: the component polls only when this holds.
 * Needs the model for the classifier's "an active entry" condition.
 */
bool spp_model_comp_runnable(const struct spp_model *m, const struct spp_comp_cfg *c);

/*
 * Index of the capture of port whose directions overlap dirs, or -1.
 * exact: the directions must be equal instead.
 */
int spp_model_find_capture(const struct spp_model *m, const struct spp_port_id *port,
			   unsigned int dirs, bool exact);

/*
 * The worker lcores whose plans hold the attachments of port in dirs
 * (SPP_CAPTURE_*): *lcore and *lcore2 get them, -1 for none; *lcore2 only
 * when a second, different lcore is involved (a "both" capture).
 */
void spp_model_capture_lcores(const struct spp_model *m, const struct spp_port_id *port,
			      unsigned int dirs, int *lcore, int *lcore2);

/*
 * Remove the captures of m none of whose directions is attached any more
 * (SPEC §9.4: detaching the last attachment stops the capture).
 */
void spp_model_prune_captures(struct spp_model *m);

/*
 * True when entry e is active in component c: c is a classifier and the
 * entry's port is one of c's tx ports (SPEC §5.5). *tx_idx gets its index.
 */
bool spp_model_entry_active_in(const struct spp_cls_entry *e, const struct spp_comp_cfg *c,
			       int *tx_idx);

#endif /* SPP_MODEL_H */
