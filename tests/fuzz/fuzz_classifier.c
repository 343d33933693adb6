/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the classifier's per-frame parse and lookup
 * (spp_cls_frame_verdict() in spp_cls_table.h, which spp_vf's classifier
 * runs on every packet) over a table built by spp_cls_table_create().
 *
 * Input: byte 0: tx ports (1..64); byte 1: entries; 10 bytes per entry
 * (flags: default bit and port, VID, MAC; an entry may be on a port that
 * is not a tx port of the classifier, so inactive); then frames: a header
 * byte (bit 7: destination MAC of entry k, bit 6: an 802.1Q tag of entry
 * k's VLAN, k = low 6 bits), a length byte, and that many bytes.
 * Entries that the command checks refuse (a (VID, MAC) active twice in the
 * classifier, an entry twice) are skipped, as spp_cmd_parse would refuse
 * them (fuzz_cmd checks that it does).
 * Oracle: the verdict, the VLAN and, for group addresses, the flood set
 * equal those of a linear search over the model's entries written from
 * SPEC §8.5; frames are copied to buffers of exactly their length, so a
 * read past a frame is an AddressSanitizer error.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "spp_cls_table.h"
#include "spp_model.h"

static int
tx_index(const struct spp_comp_cfg *c, const struct spp_port_id *p)
{
	for (int i = 0; i < c->nb_tx; i++)
		if (spp_uid_equal(&c->tx[i].port, p))
			return i;
	return -1;
}

/* Tx index of each entry of the model (or -1: inactive), for reference(). */
static int entry_idx[SPP_MAX_CLS_ENTRIES];

/* SPEC §8.5 as a linear search: verdict, *vid, *flood. */
static int
reference(const struct spp_model *m, const uint8_t *eth, uint32_t len, uint16_t *vid,
	  uint64_t *flood)
{
	int dflt = SPP_CLS_NO_DEST, general = SPP_CLS_NO_DEST;

	*flood = 0;
	if (len < 14)
		return SPP_CLS_MALFORMED;
	*vid = 0;
	if (len >= 18 && eth[12] == 0x81 && eth[13] == 0x00)
		*vid = (uint16_t)((eth[14] << 8 | eth[15]) & 0xfff);
	if (*vid == 4095)
		return SPP_CLS_MALFORMED;
	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &m->entries[i];
		int idx = entry_idx[i];

		if (idx < 0)
			continue;
		if (e->vid == *vid)
			*flood |= UINT64_C(1) << idx;
		if (e->is_default && e->vid == *vid)
			dflt = idx;
		if (e->is_default && e->vid == SPP_VID_UNTAGGED)
			general = idx;
		if (!e->is_default && e->vid == *vid && memcmp(e->mac, eth, 6) == 0 &&
		    !(eth[0] & 1))
			return idx;
	}
	if (*vid != SPP_VID_UNTAGGED && general != SPP_CLS_NO_DEST)
		*flood |= UINT64_C(1) << general;
	if (eth[0] & 1)
		return *flood != 0 ? SPP_CLS_FLOOD : SPP_CLS_NO_DEST;
	if (dflt != SPP_CLS_NO_DEST)
		return dflt;
	return *vid != SPP_VID_UNTAGGED ? general : SPP_CLS_NO_DEST;
}

static bool
same_key(const struct spp_cls_entry *a, const struct spp_cls_entry *b)
{
	return a->vid == b->vid && a->is_default == b->is_default &&
		memcmp(a->mac, b->mac, 6) == 0;
}

/* Would spp_cmd_parse accept e after the entries already in m? */
static bool
acceptable(const struct spp_model *m, const struct spp_comp_cfg *c, const struct spp_cls_entry *e)
{
	bool active = tx_index(c, &e->port) >= 0;

	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *o = &m->entries[i];

		if (!same_key(o, e))
			continue;
		if (spp_uid_equal(&o->port, &e->port))
			return false;
		if (active && tx_index(c, &o->port) >= 0)
			return false;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spp_model *m;
	struct fuzz_in in = { data, size };
	struct spp_comp_cfg *c;
	struct spp_cls_table *t;
	unsigned int nb;

	if (m == NULL) {
		m = spp_model_create();
		FUZZ_CHECK(m != NULL, "out of memory");
	}
	m->nb_comps = 1;
	m->nb_entries = 0;
	m->nb_captures = 0;
	c = &m->comps[0];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "cls");
	c->lcore = 1;
	c->kind = SPP_COMP_CLASSIFIER;
	c->nb_rx = 1;
	c->rx[0].port = (struct spp_port_id){ .type = SPP_PORT_PHY, .num = 0,
					      .queue = SPP_NO_QUEUE };
	c->nb_tx = (uint16_t)(1 + (fuzz_u8(&in) & 63));
	for (int i = 0; i < c->nb_tx; i++)
		c->tx[i].port = (struct spp_port_id){ .type = SPP_PORT_RING, .num = (uint16_t)i,
						      .queue = SPP_NO_QUEUE };

	nb = fuzz_u8(&in);
	for (unsigned int i = 0; i < nb; i++) {
		struct spp_cls_entry e = { 0 };
		uint8_t f = fuzz_u8(&in);
		uint16_t v = fuzz_u16(&in);

		e.is_default = f & 1;
		/* Ports past the tx ports hold inactive entries. */
		e.port = (struct spp_port_id){ .type = SPP_PORT_RING,
			.num = (uint16_t)((f >> 1) % (c->nb_tx + 4)), .queue = SPP_NO_QUEUE };
		/* Few VLANs most of the time, so that entries meet. */
		e.vid = (v & 0x8000) ? (uint16_t)(v & 3) : (uint16_t)(v % 4095);
		fuzz_bytes(&in, e.mac, 6);
		if (e.is_default) {
			memset(e.mac, 0, 6);
		} else {
			e.mac[0] &= 0xfe;
			if (spp_cls_mac48(e.mac) == 0)
				e.mac[5] = 1;
		}
		if (acceptable(m, c, &e))
			m->entries[m->nb_entries++] = e;
	}

	t = spp_cls_table_create(m, c);
	FUZZ_CHECK(t != NULL, "table not built");
	const struct spp_cls_view lk = spp_cls_table_view(t);
	uint32_t nb_macs = 0;

	for (int i = 0; i < m->nb_entries; i++) {
		const struct spp_cls_entry *e = &m->entries[i];
		int idx = tx_index(c, &e->port);

		entry_idx[i] = idx;
		if (idx >= 0 && !e->is_default) {
			nb_macs++;
			FUZZ_CHECK(spp_cls_table_lookup(t, e->vid, e->mac) == idx, "entry %d", i);
		}
	}
	FUZZ_CHECK(t->nb_entries == nb_macs, "%u keys for %u active MAC entries", t->nb_entries,
		   nb_macs);

	while (in.n > 0) {
		uint8_t h = fuzz_u8(&in);
		uint32_t len = fuzz_u8(&in);
		uint8_t *eth = malloc(len > 0 ? len : 1);
		uint16_t vid = 0xffff, ref_vid = 0xffff;
		uint64_t ref_flood;
		int got, want;

		FUZZ_CHECK(eth != NULL, "out of memory");
		fuzz_bytes(&in, eth, len);
		if (m->nb_entries > 0) {
			const struct spp_cls_entry *e = &m->entries[(h & 63) % m->nb_entries];

			if ((h & 0x80) && len >= 6)
				memcpy(eth, e->mac, 6);
			if ((h & 0x40) && len >= 18) {
				eth[12] = 0x81;
				eth[13] = 0x00;
				eth[14] = (uint8_t)((eth[14] & 0xf0) | e->vid >> 8);
				eth[15] = (uint8_t)e->vid;
			}
		}
		got = spp_cls_frame_verdict(t, &lk, eth, len, &vid);
		want = reference(m, eth, len, &ref_vid, &ref_flood);
		FUZZ_CHECK(got == want, "verdict %d, SPEC §8.5 says %d (len %u)", got, want, len);
		if (want != SPP_CLS_MALFORMED)
			FUZZ_CHECK(vid == ref_vid, "VLAN %u, expected %u", vid, ref_vid);
		if (want == SPP_CLS_FLOOD)
			FUZZ_CHECK(t->flood[vid] == ref_flood, "flood set %#llx, expected %#llx",
				   (unsigned long long)t->flood[vid],
				   (unsigned long long)ref_flood);
		free(eth);
	}
	spp_cls_table_destroy(t);
	return 0;
}
