/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The spp_vf / spp_mirror command language (SPEC §5.1-§5.7) and the
 * runnable conditions of components (SPEC §8.3).
 *
 * Each test drives spp_cmd_parse() like the manager does: a command that
 * succeeds with res.changed has its next model committed into cur. Every
 * error test checks the exact wire text, that res.changed is false, and
 * that cur is byte for byte what it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spp_cmd.h"
#include "spp_model.h"

/* The texts of SPEC §5.7, spelled out here rather than taken from spp_cmd.h. */
#define E_FORMAT	"Wrong message format"
#define E_COMMAND	"Invalid value (command)"
#define E_ACTION	"Invalid value (action)"
#define E_NAME		"Invalid value (component name)"
#define E_CORE		"Invalid value (core)"
#define E_TYPE_COMP	"Invalid value (component type)"
#define E_PORT		"Invalid value (port)"
#define E_RXTX		"Invalid value (port rxtx)"
#define E_VLAN_OP	"Invalid value (port vlan operation)"
#define E_VID		"Invalid value (port vid)"
#define E_PCP		"Invalid value (port pcp)"
#define E_TYPE		"Invalid value (type)"
#define E_VLAN_ID	"Invalid value (vlan id)"
#define E_MAC		"Invalid value (mac address)"
#define E_DIRECTION	"Invalid value (direction)"
#define E_FILE		"Invalid value (file)"
#define E_OCCUR		"error occur"

struct fixture {
	struct spp_port_env env;
	struct spp_model *cur;
	struct spp_model *next;
	struct spp_model *snap;
	/* What other processes hold (SPEC §3.4), seen through env callbacks. */
	bool phy_claimed[SPP_MAX_PHY][SPP_MAX_QUEUES + 1][2];
	bool vhost_owned[SPP_MAX_VHOST];
	/* A file already in --capture-dir (SPEC §9.4 step 4), or NULL. */
	const char *existing_file;
};

static bool
claimed_elsewhere(void *ctx, const struct spp_port_id *id, enum spp_dir dir)
{
	struct fixture *f = ctx;

	return f->phy_claimed[id->num][id->queue + 1][dir];
}

static bool
vhost_elsewhere(void *ctx, uint16_t num)
{
	struct fixture *f = ctx;

	return f->vhost_owned[num];
}

static bool
capture_file_exists(void *ctx, const char *file)
{
	struct fixture *f = ctx;

	return f->existing_file != NULL && strcmp(file, f->existing_file) == 0;
}

static int
setup_common(void **state, uint32_t kinds)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->cur = spp_model_create();
	f->next = spp_model_create();
	f->snap = spp_model_create();
	if (f->cur == NULL || f->next == NULL || f->snap == NULL)
		return -1;
	f->env.client_id = 2;
	f->env.main_lcore = 1;
	f->env.worker_lcore[2] = true;
	f->env.worker_lcore[3] = true;
	f->env.worker_lcore[4] = true;
	/* phy:0, phy:1 single queue; phy:2 2/2 queues; phy:3 1 rx, 4 tx queues. */
	f->env.nb_phy = 4;
	f->env.phy_rxq[0] = 1;
	f->env.phy_txq[0] = 1;
	f->env.phy_rxq[1] = 1;
	f->env.phy_txq[1] = 1;
	f->env.phy_rxq[2] = 2;
	f->env.phy_txq[2] = 2;
	f->env.phy_rxq[3] = 1;
	f->env.phy_txq[3] = 4;
	f->env.nb_rings = 4;
	f->env.kinds = kinds;
	f->env.default_copy_mode = SPP_COPY_DEEP;
	f->env.claimed_elsewhere = claimed_elsewhere;
	f->env.vhost_elsewhere = vhost_elsewhere;
	f->env.capture_file_exists = capture_file_exists;
	f->env.ctx = f;
	*state = f;
	return 0;
}

static int
setup_vf(void **state)
{
	return setup_common(state, 1u << SPP_COMP_FORWARD | 1u << SPP_COMP_MERGE |
				   1u << SPP_COMP_CLASSIFIER);
}

static int
setup_mirror(void **state)
{
	return setup_common(state, 1u << SPP_COMP_MIRROR);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	spp_model_destroy(f->cur);
	spp_model_destroy(f->next);
	spp_model_destroy(f->snap);
	free(f);
	return 0;
}

static struct spp_cmd_result
run_ok_at(struct fixture *f, const char *file, int lineno, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Run a command that must succeed; commit next into cur when it changed. */
static struct spp_cmd_result
run_ok_at(struct fixture *f, const char *file, int lineno, const char *fmt, ...)
{
	char line[SPP_CMD_MAX_SIZE + 64];
	struct spp_cmd_result res;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	memcpy(f->snap, f->cur, sizeof(*f->cur));
	ret = spp_cmd_parse(&f->env, f->cur, line, f->next, &res);
	if (ret != 0 || res.error != NULL) {
		print_error("%s:%d: '%s': ret %d, error '%s', expected success\n", file, lineno,
			    line, ret, res.error != NULL ? res.error : "(null)");
		_fail(file, lineno);
	}
	if (memcmp(f->snap, f->cur, sizeof(*f->cur)) != 0) {
		print_error("%s:%d: '%s' modified cur\n", file, lineno, line);
		_fail(file, lineno);
	}
	if (res.changed)
		spp_model_copy(f->cur, f->next);
	return res;
}

static void
expect_error_at(struct fixture *f, const char *file, int lineno, const char *msg,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
expect_error_at(struct fixture *f, const char *file, int lineno, const char *msg,
		const char *fmt, ...)
{
	char line[SPP_CMD_MAX_SIZE + 64];
	struct spp_cmd_result res;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	memcpy(f->snap, f->cur, sizeof(*f->cur));
	ret = spp_cmd_parse(&f->env, f->cur, line, f->next, &res);
	if (ret != -EINVAL || res.error == NULL || strcmp(res.error, msg) != 0 || res.changed) {
		print_error("%s:%d: '%s': ret %d, error '%s', changed %d; expected -EINVAL, '%s', "
			    "changed 0\n", file, lineno, line, ret,
			    res.error != NULL ? res.error : "(null)", res.changed, msg);
		_fail(file, lineno);
	}
	if (memcmp(f->snap, f->cur, sizeof(*f->cur)) != 0) {
		print_error("%s:%d: '%s' modified cur\n", file, lineno, line);
		_fail(file, lineno);
	}
}

#define OK(...)		run_ok_at(f, __FILE__, __LINE__, __VA_ARGS__)
#define ERR(msg, ...)	expect_error_at(f, __FILE__, __LINE__, msg, __VA_ARGS__)
#define FIX		struct fixture *f = *state

static const struct spp_comp_cfg *
comp_at(struct fixture *f, const char *name, const char *file, int lineno)
{
	int i = spp_model_find_comp(f->cur, name);

	if (i < 0) {
		print_error("%s:%d: no component '%s'\n", file, lineno, name);
		_fail(file, lineno);
	}
	return &f->cur->comps[i];
}

#define COMP(name)	comp_at(f, name, __FILE__, __LINE__)

static struct spp_port_id
uid(const char *str)
{
	struct spp_port_id id;

	assert_int_equal(spp_uid_parse(str, &id), 0);
	return id;
}

static void
assert_uid(const struct spp_port_id *id, const char *expected)
{
	char buf[SPP_UID_STR_SIZE];

	assert_string_equal(spp_uid_format(id, buf, sizeof(buf)), expected);
}

/* The spp_vf set-up most tests start from: one component of each kind. */
static void
given_three_components(struct fixture *f)
{
	OK("component start cls 2 classifier");
	OK("component start fwd 3 forward");
	OK("component start mrg 4 merge");
}

/* ================= §5.1 / §5.2: general rules and token counts ================= */

static void
test_status_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	res = OK("status");
	assert_int_equal(res.kind, SPP_CMD_STATUS);
	assert_false(res.changed);
}

static void
test_get_client_id_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res = OK("_get_client_id");

	assert_int_equal(res.kind, SPP_CMD_CLIENT_ID);
	assert_false(res.changed);
}

static void
test_exit_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res = OK("exit");

	assert_int_equal(res.kind, SPP_CMD_EXIT);
	assert_false(res.changed);
}

static void
test_status_with_two_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "status now");
}

static void
test_get_client_id_with_two_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "_get_client_id 2");
}

static void
test_exit_with_two_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "exit now");
}

static void
test_blank_command_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, " \t ");
}

static void
test_unknown_command_is_invalid_command(void **state)
{
	FIX;
	ERR(E_COMMAND, "launch ring:0");
}

static void
test_command_name_is_case_sensitive(void **state)
{
	FIX;
	ERR(E_COMMAND, "Status");
}

static void
test_nine_tokens_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx fwd add_vlantag 10 3 x");
}

static void
test_nine_tokens_of_unknown_command_is_wrong_message_format(void **state)
{
	FIX;
	/* The token limit is checked before the command name (SPEC §5.1). */
	ERR(E_FORMAT, "a b c d e f g h i");
}

static void
test_unknown_command_precedes_token_count(void **state)
{
	FIX;
	ERR(E_COMMAND, "nosuch a b c d e f g");
}

static void
test_command_over_4096_bytes_is_wrong_message_format(void **state)
{
	FIX;
	char line[SPP_CMD_MAX_SIZE + 2];

	memset(line, ' ', sizeof(line) - 1);
	memcpy(line, "status", 6);
	line[sizeof(line) - 1] = '\0';
	ERR(E_FORMAT, "%s", line);
}

static void
test_tokens_are_split_at_runs_of_spaces_and_tabs(void **state)
{
	FIX;
	struct spp_cmd_result res;

	res = OK("  component\t\tstart  \t fwd   3\tforward \t");
	assert_true(res.changed);
	assert_int_equal(COMP("fwd")->lcore, 3);
	assert_int_equal(COMP("fwd")->kind, SPP_COMP_FORWARD);
}

static void
test_classifier_table_in_mirror_is_invalid_command(void **state)
{
	FIX;
	ERR(E_COMMAND, "classifier_table add mac 52:54:00:12:34:56 ring:0");
}

static void
test_classifier_table_in_mirror_with_bad_count_is_invalid_command(void **state)
{
	FIX;
	ERR(E_COMMAND, "classifier_table add");
}

/* ================= §5.3 component ================= */

static void
test_component_start_creates_empty_component_on_its_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res = OK("component start fwd 3 forward");
	const struct spp_comp_cfg *c;

	assert_int_equal(res.kind, SPP_CMD_COMPONENT);
	assert_true(res.changed);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(f->cur->nb_comps, 1);
	c = COMP("fwd");
	assert_string_equal(c->name, "fwd");
	assert_int_equal(c->lcore, 3);
	assert_int_equal(c->kind, SPP_COMP_FORWARD);
	assert_int_equal(c->nb_rx, 0);
	assert_int_equal(c->nb_tx, 0);
}

static void
test_component_start_of_each_vf_type(void **state)
{
	FIX;
	given_three_components(f);
	assert_int_equal(COMP("cls")->kind, SPP_COMP_CLASSIFIER);
	assert_int_equal(COMP("fwd")->kind, SPP_COMP_FORWARD);
	assert_int_equal(COMP("mrg")->kind, SPP_COMP_MERGE);
}

static void
test_component_start_appends_in_start_order(void **state)
{
	FIX;
	OK("component start b 2 forward");
	OK("component start a 2 merge");
	OK("component start c 3 forward");
	assert_int_equal(f->cur->nb_comps, 3);
	assert_string_equal(f->cur->comps[0].name, "b");
	assert_string_equal(f->cur->comps[1].name, "a");
	assert_string_equal(f->cur->comps[2].name, "c");
}

static void
test_component_start_lcore_with_leading_zero_is_decimal(void **state)
{
	FIX;
	OK("component start fwd 03 forward");
	assert_int_equal(COMP("fwd")->lcore, 3);
}

static void
test_component_with_two_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start");
}

static void
test_component_with_six_tokens_in_vf_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start fwd 3 forward deep");
}

static void
test_component_bad_action_is_invalid_action(void **state)
{
	FIX;
	ERR(E_ACTION, "component begin fwd 3 forward");
}

static void
test_component_bad_action_precedes_exact_count(void **state)
{
	FIX;
	ERR(E_ACTION, "component begin fwd");
}

static void
test_component_start_with_three_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start fwd");
}

static void
test_component_start_with_four_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start fwd 3");
}

static void
test_component_stop_with_four_tokens_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "component stop fwd y");
}

static void
test_component_stop_with_five_tokens_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "component stop fwd 3 forward");
}

static void
test_component_name_of_31_bytes_is_accepted(void **state)
{
	FIX;
	const char *name = "abcdefghijklmnopqrstuvwxyz01234";

	assert_int_equal(strlen(name), 31);
	OK("component start %s 2 forward", name);
	assert_string_equal(f->cur->comps[0].name, name);
}

static void
test_component_name_of_32_bytes_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start abcdefghijklmnopqrstuvwxyz012345 2 forward");
}

static void
test_component_name_with_printable_punctuation_is_accepted(void **state)
{
	FIX;
	const char *name = "a-b.c:@!#$%&'()*+,<=>?[]^_`{|}~";

	assert_int_equal(strlen(name), 31);
	OK("component start %s 2 forward", name);
	assert_string_equal(f->cur->comps[0].name, name);
}

static void
test_component_name_with_double_quote_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a\"b 2 forward");
}

static void
test_component_name_with_backslash_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a\\b 2 forward");
}

static void
test_component_name_with_slash_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a/b 2 forward");
}

static void
test_component_name_with_semicolon_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a;b 2 forward");
}

static void
test_component_name_with_del_byte_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a\x7f" "b 2 forward");
}

static void
test_component_name_with_non_ascii_byte_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start caf\xc3\xa9 2 forward");
}

static void
test_component_name_with_control_byte_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component start a\x01" "b 2 forward");
}

static void
test_component_start_existing_name_is_invalid_component_name(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "component start fwd 4 forward");
}

static void
test_component_start_existing_name_precedes_bad_core(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "component start fwd 1 forward");
}

static void
test_component_bad_name_precedes_bad_core(void **state)
{
	FIX;
	ERR(E_NAME, "component start a;b 99 forward");
}

static void
test_component_start_on_main_lcore_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 1 forward");
}

static void
test_component_start_on_absent_lcore_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 5 forward");
}

static void
test_component_start_on_lcore_0_not_a_worker_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 0 forward");
}

static void
test_component_start_on_lcore_128_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 128 forward");
}

static void
test_component_start_on_huge_lcore_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 18446744073709551618 forward");
}

static void
test_component_start_on_non_numeric_lcore_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd three forward");
}

static void
test_component_start_on_negative_lcore_is_invalid_core(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd -3 forward");
}

static void
test_component_start_unknown_type_is_invalid_component_type(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start fwd 3 router");
}

static void
test_component_start_type_is_case_sensitive(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start fwd 3 Forward");
}

static void
test_component_start_mirror_in_vf_is_invalid_component_type(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start tap 3 mirror");
}

static void
test_component_start_bad_core_precedes_bad_type(void **state)
{
	FIX;
	ERR(E_CORE, "component start fwd 9 router");
}

static void
test_component_start_129th_is_error_occur(void **state)
{
	FIX;
	for (int i = 0; i < SPP_MAX_COMPONENTS; i++)
		OK("component start c%d %d forward", i, 2 + i % 3);
	assert_int_equal(f->cur->nb_comps, 128);
	ERR(E_OCCUR, "component start c128 2 forward");
}

static void
test_component_start_129th_with_bad_type_is_invalid_component_type(void **state)
{
	FIX;
	for (int i = 0; i < SPP_MAX_COMPONENTS; i++)
		OK("component start c%d %d forward", i, 2 + i % 3);
	ERR(E_TYPE_COMP, "component start c128 2 router");
}

static void
test_component_stop_removes_it_and_reports_its_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	res = OK("component stop fwd");
	assert_true(res.changed);
	assert_int_equal(res.kind, SPP_CMD_COMPONENT);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(f->cur->nb_comps, 2);
	assert_int_equal(spp_model_find_comp(f->cur, "fwd"), -1);
	/* The others keep their start order. */
	assert_string_equal(f->cur->comps[0].name, "cls");
	assert_string_equal(f->cur->comps[1].name, "mrg");
}

static void
test_component_stop_detaches_its_ports(void **state)
{
	FIX;
	struct spp_port_id ring0 = uid("ring:0");
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	OK("port add ring:1 tx fwd add_vlantag 5 1");
	OK("component stop fwd");
	assert_int_equal(spp_model_port_user(f->cur, &ring0, SPP_DIR_RX, NULL), -1);
	/* Both attachments are free for another component. */
	OK("port add ring:0 rx mrg");
	OK("port add ring:1 tx mrg");
	assert_int_equal(COMP("mrg")->tx[0].op.kind, SPP_VLAN_NONE);
}

static void
test_component_stop_keeps_classifier_entries(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx cls");
	OK("port add ring:1 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	OK("classifier_table add vlan 10 default ring:1");
	OK("component stop cls");
	assert_int_equal(f->cur->nb_entries, 2);
	assert_uid(&f->cur->entries[0].port, "ring:1");
	assert_int_equal(f->cur->entries[1].vid, 10);
	assert_true(f->cur->entries[1].is_default);
}

static void
test_component_stop_unknown_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	res = OK("component stop nosuch");
	assert_false(res.changed);
	assert_int_equal(f->cur->nb_comps, 3);
}

static void
test_component_stop_bad_name_is_invalid_component_name(void **state)
{
	FIX;
	ERR(E_NAME, "component stop abcdefghijklmnopqrstuvwxyz012345");
}

static void
test_component_start_after_stop_reuses_the_name(void **state)
{
	FIX;
	given_three_components(f);
	OK("component stop fwd");
	OK("component start fwd 4 merge");
	assert_int_equal(COMP("fwd")->kind, SPP_COMP_MERGE);
	assert_int_equal(COMP("fwd")->lcore, 4);
}

/* ================= §5.2 / §5.3 spp_mirror ================= */

static void
test_mirror_start_uses_the_process_copy_mode(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	assert_int_equal(COMP("tap")->kind, SPP_COMP_MIRROR);
	assert_int_equal(COMP("tap")->copy_mode, SPP_COPY_DEEP);
}

static void
test_mirror_start_shallow_overrides_the_process_copy_mode(void **state)
{
	FIX;
	struct spp_cmd_result res = OK("component start tap 2 mirror shallow");

	assert_true(res.changed);
	assert_int_equal(res.lcore, 2);
	assert_int_equal(COMP("tap")->copy_mode, SPP_COPY_SHALLOW);
}

static void
test_mirror_start_deep_sets_deep(void **state)
{
	FIX;
	f->env.default_copy_mode = SPP_COPY_SHALLOW;
	OK("component start tap 2 mirror deep");
	assert_int_equal(COMP("tap")->copy_mode, SPP_COPY_DEEP);
}

static void
test_mirror_start_bad_copy_mode_is_invalid_component_type(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start tap 2 mirror Deep");
}

static void
test_mirror_start_bad_core_precedes_bad_copy_mode(void **state)
{
	FIX;
	ERR(E_CORE, "component start tap 9 mirror bogus");
}

static void
test_mirror_start_forward_is_invalid_component_type(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start fwd 2 forward");
}

static void
test_mirror_start_classifier_is_invalid_component_type(void **state)
{
	FIX;
	ERR(E_TYPE_COMP, "component start cls 2 classifier");
}

static void
test_mirror_component_with_seven_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start tap 2 mirror deep x");
}

static void
test_mirror_component_stop_with_six_tokens_is_wrong_message_format(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	ERR(E_FORMAT, "component stop tap 2 mirror deep");
}

static void
test_mirror_component_start_with_four_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "component start tap 2");
}

static void
test_mirror_takes_one_rx_and_two_tx_in_attach_order(void **state)
{
	FIX;
	OK("component start tap 3 mirror");
	OK("port add ring:1 rx tap");
	OK("port add ring:3 tx tap");
	OK("port add ring:2 tx tap");
	assert_int_equal(COMP("tap")->nb_tx, 2);
	assert_uid(&COMP("tap")->tx[0].port, "ring:3");
	assert_uid(&COMP("tap")->tx[1].port, "ring:2");
}

static void
test_mirror_third_tx_is_error_occur(void **state)
{
	FIX;
	OK("component start tap 3 mirror");
	OK("port add ring:2 tx tap");
	OK("port add ring:3 tx tap");
	ERR(E_OCCUR, "port add vhost:0 tx tap");
}

static void
test_mirror_second_rx_is_error_occur(void **state)
{
	FIX;
	OK("component start tap 3 mirror");
	OK("port add ring:1 rx tap");
	ERR(E_OCCUR, "port add ring:2 rx tap");
}

static void
test_mirror_delete_first_tx_makes_second_first(void **state)
{
	FIX;
	OK("component start tap 3 mirror");
	OK("port add ring:2 tx tap");
	OK("port add ring:3 tx tap");
	OK("port del ring:2 tx tap");
	assert_int_equal(COMP("tap")->nb_tx, 1);
	assert_uid(&COMP("tap")->tx[0].port, "ring:3");
}

/* ================= §5.4 port ================= */

static void
test_port_add_attaches_without_vlan_op_and_reports_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	res = OK("port add ring:0 rx fwd");
	assert_int_equal(res.kind, SPP_CMD_PORT);
	assert_true(res.changed);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(COMP("fwd")->nb_rx, 1);
	assert_uid(&COMP("fwd")->rx[0].port, "ring:0");
	assert_int_equal(COMP("fwd")->rx[0].op.kind, SPP_VLAN_NONE);
	assert_int_equal(COMP("fwd")->nb_tx, 0);
}

static void
test_port_add_del_vlantag_sets_del_op(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add vhost:0 tx cls del_vlantag");
	assert_int_equal(COMP("cls")->tx[0].op.kind, SPP_VLAN_DEL);
}

static void
test_port_add_add_vlantag_sets_vid_and_pcp(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:1 tx fwd add_vlantag 100 3");
	assert_int_equal(COMP("fwd")->tx[0].op.kind, SPP_VLAN_ADD);
	assert_int_equal(COMP("fwd")->tx[0].op.vid, 100);
	assert_int_equal(COMP("fwd")->tx[0].op.pcp, 3);
}

static void
test_port_add_vid_4094_and_pcp_7_are_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd add_vlantag 4094 7");
	assert_int_equal(COMP("fwd")->rx[0].op.vid, 4094);
	assert_int_equal(COMP("fwd")->rx[0].op.pcp, 7);
}

static void
test_port_add_vid_0_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd add_vlantag 0 5");
	assert_int_equal(COMP("fwd")->rx[0].op.kind, SPP_VLAN_ADD);
	assert_int_equal(COMP("fwd")->rx[0].op.vid, 0);
	assert_int_equal(COMP("fwd")->rx[0].op.pcp, 5);
}

static void
test_port_add_keeps_attach_order_per_direction(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:2 rx mrg");
	OK("port add phy:0 rx mrg");
	OK("port add vhost:7 rx mrg");
	assert_int_equal(COMP("mrg")->nb_rx, 3);
	assert_uid(&COMP("mrg")->rx[0].port, "ring:2");
	assert_uid(&COMP("mrg")->rx[1].port, "phy:0");
	assert_uid(&COMP("mrg")->rx[2].port, "vhost:7");
}

static void
test_port_add_multi_queue_phy_with_queue(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:2nq1 rx fwd");
	OK("port add phy:2nq0 rx mrg");
	assert_uid(&COMP("fwd")->rx[0].port, "phy:2 nq 1");
	assert_uid(&COMP("mrg")->rx[0].port, "phy:2 nq 0");
}

static void
test_port_add_vhost_255_exists(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add vhost:255 rx fwd");
	assert_uid(&COMP("fwd")->rx[0].port, "vhost:255");
}

static void
test_port_with_four_tokens_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx");
}

static void
test_port_bad_action_is_invalid_action(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_ACTION, "port attach ring:0 rx fwd");
}

static void
test_port_bad_action_precedes_exact_count(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_ACTION, "port attach ring:0 rx fwd del_vlantag");
}

static void
test_port_del_with_six_tokens_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	ERR(E_FORMAT, "port del ring:0 rx fwd del_vlantag");
}

static void
test_port_del_count_precedes_bad_port(void **state)
{
	FIX;
	given_three_components(f);
	/* `port del` decides its count (5) at the action token. */
	ERR(E_FORMAT, "port del ring:99 rx fwd x");
}

static void
test_port_add_seven_tokens_add_vlantag_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx fwd add_vlantag 100");
}

static void
test_port_add_six_tokens_add_vlantag_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx fwd add_vlantag");
}

static void
test_port_add_seven_tokens_del_vlantag_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx fwd del_vlantag 1");
}

static void
test_port_add_eight_tokens_del_vlantag_is_wrong_message_format(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_FORMAT, "port add ring:0 rx fwd del_vlantag 1 2");
}

static void
test_port_add_malformed_uid_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add ring0 rx fwd");
}

static void
test_port_add_ring_beyond_the_rings_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add ring:4 rx fwd");
}

static void
test_port_add_phy_beyond_the_phys_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add phy:4 rx fwd");
}

static void
test_port_add_multi_queue_phy_without_queue_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add phy:2 rx fwd");
}

static void
test_port_add_single_queue_phy_with_queue_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add phy:0nq0 rx fwd");
}

static void
test_port_add_queue_beyond_the_port_queues_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add phy:2nq2 tx fwd");
}

static void
test_port_add_output_form_uid_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	/* "phy:2 nq 1" is three tokens; the 7-token form fails on its UID first. */
	ERR(E_PORT, "port add phy:2 nq 1 rx fwd");
}

static void
test_port_add_bad_uid_precedes_bad_direction(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port add ring:9 up nosuch");
}

static void
test_port_add_bad_direction_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_RXTX, "port add ring:0 up fwd");
}

static void
test_port_add_direction_is_case_sensitive(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_RXTX, "port add ring:0 RX fwd");
}

static void
test_port_add_rx_queue_beyond_rx_queues_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	/* phy:3 has 1 rx and 4 tx queues: nq 2 exists, but not for rx. */
	ERR(E_RXTX, "port add phy:3nq2 rx fwd");
}

static void
test_port_add_tx_queue_within_tx_queues_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:3nq2 tx fwd");
	assert_uid(&COMP("fwd")->tx[0].port, "phy:3 nq 2");
}

static void
test_port_add_queue_range_precedes_component_name(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_RXTX, "port add phy:3nq2 rx nosuch");
}

static void
test_port_del_rx_queue_beyond_rx_queues_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	res = OK("port del phy:3nq2 rx fwd");
	assert_false(res.changed);
}

static void
test_port_add_unknown_component_is_invalid_component_name(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "port add ring:0 rx nosuch");
}

static void
test_port_add_unknown_component_precedes_port_in_use(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	/* SPEC §5.4 step 4 [DIFF]: NAME before steps 9-10. */
	ERR(E_NAME, "port add ring:0 tx nosuch");
}

static void
test_port_add_unknown_component_precedes_bad_op(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "port add ring:0 rx nosuch strip");
}

static void
test_port_add_unknown_component_precedes_count_of_op(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "port add ring:0 rx nosuch add_vlantag 1");
}

static void
test_port_add_bad_op_is_invalid_port_vlan_operation(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VLAN_OP, "port add ring:0 rx fwd strip_vlantag");
}

static void
test_port_add_bad_op_in_eight_tokens_is_invalid_port_vlan_operation(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VLAN_OP, "port add ring:0 rx fwd push_vlantag 1 2");
}

static void
test_port_add_vid_4095_is_invalid_port_vid(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VID, "port add ring:0 rx fwd add_vlantag 4095 0");
}

static void
test_port_add_non_numeric_vid_is_invalid_port_vid(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VID, "port add ring:0 rx fwd add_vlantag 0x10 0");
}

static void
test_port_add_negative_vid_is_invalid_port_vid(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VID, "port add ring:0 rx fwd add_vlantag -1 0");
}

static void
test_port_add_bad_vid_precedes_bad_pcp(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_VID, "port add ring:0 rx fwd add_vlantag 4095 8");
}

static void
test_port_add_pcp_8_is_invalid_port_pcp(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PCP, "port add ring:0 rx fwd add_vlantag 100 8");
}

static void
test_port_add_non_numeric_pcp_is_invalid_port_pcp(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PCP, "port add ring:0 rx fwd add_vlantag 100 high");
}

/* Step 8: (UID, DIR) already attached to NAME. */

static void
test_port_readd_with_different_op_replaces_op(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:1 tx fwd add_vlantag 100 3");
	res = OK("port add ring:1 tx fwd add_vlantag 200 1");
	assert_true(res.changed);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(COMP("fwd")->nb_tx, 1);
	assert_int_equal(COMP("fwd")->tx[0].op.kind, SPP_VLAN_ADD);
	assert_int_equal(COMP("fwd")->tx[0].op.vid, 200);
	assert_int_equal(COMP("fwd")->tx[0].op.pcp, 1);
}

static void
test_port_readd_with_del_vlantag_replaces_add_vlantag(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:1 tx fwd add_vlantag 100 3");
	res = OK("port add ring:1 tx fwd del_vlantag");
	assert_true(res.changed);
	assert_int_equal(COMP("fwd")->nb_tx, 1);
	assert_int_equal(COMP("fwd")->tx[0].op.kind, SPP_VLAN_DEL);
}

static void
test_port_readd_with_op_on_plain_attachment_sets_op(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:1 rx fwd");
	res = OK("port add ring:1 rx fwd del_vlantag");
	assert_true(res.changed);
	assert_int_equal(COMP("fwd")->rx[0].op.kind, SPP_VLAN_DEL);
}

static void
test_port_readd_without_op_keeps_op_and_changes_nothing(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:1 tx fwd add_vlantag 100 3");
	res = OK("port add ring:1 tx fwd");
	assert_false(res.changed);
	assert_int_equal(COMP("fwd")->tx[0].op.kind, SPP_VLAN_ADD);
	assert_int_equal(COMP("fwd")->tx[0].op.vid, 100);
}

static void
test_port_readd_with_same_op_changes_nothing(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:1 tx fwd add_vlantag 100 3");
	res = OK("port add ring:1 tx fwd add_vlantag 100 3");
	assert_false(res.changed);
}

static void
test_port_readd_to_full_forward_is_success(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 rx fwd");
	/* Step 8 comes before the port limit of step 11. */
	res = OK("port add ring:0 rx fwd");
	assert_false(res.changed);
	assert_int_equal(COMP("fwd")->nb_rx, 1);
}

/* Step 9. */

static void
test_port_add_port_used_both_ways_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("port add ring:0 rx fwd");
	/* SPEC §5.11: step 9 comes before step 10's rxtx. */
	ERR(E_PORT, "port add ring:0 tx fwd");
}

static void
test_port_add_same_port_other_direction_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("port add ring:0 rx fwd");
	assert_uid(&COMP("fwd")->rx[0].port, "ring:0");
}

/* Step 10. */

static void
test_port_add_rx_used_by_other_component_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	ERR(E_RXTX, "port add ring:0 rx mrg");
}

static void
test_port_add_tx_used_by_other_component_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:1 tx fwd");
	ERR(E_RXTX, "port add phy:1 tx mrg");
}

static void
test_port_add_phy_claimed_by_other_process_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	f->phy_claimed[0][0][SPP_DIR_RX] = true;
	ERR(E_RXTX, "port add phy:0 rx fwd");
}

static void
test_port_add_phy_claimed_elsewhere_in_other_direction_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	f->phy_claimed[0][0][SPP_DIR_RX] = true;
	OK("port add phy:0 tx fwd");
}

static void
test_port_add_phy_queue_claimed_elsewhere_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	f->phy_claimed[2][1 + 1][SPP_DIR_RX] = true;
	ERR(E_RXTX, "port add phy:2nq1 rx fwd");
}

static void
test_port_add_other_queue_of_claimed_phy_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	f->phy_claimed[2][1 + 1][SPP_DIR_RX] = true;
	OK("port add phy:2nq0 rx fwd");
}

static void
test_port_add_vhost_owned_by_other_process_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	f->vhost_owned[3] = true;
	ERR(E_PORT, "port add vhost:3 rx fwd");
}

static void
test_port_add_in_use_precedes_port_limit(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	OK("port add ring:1 rx mrg");
	ERR(E_RXTX, "port add ring:1 rx fwd");
}

/* Step 10a. */

static void
test_port_add_classifier_tx_whose_entry_another_tx_has_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	/* Allowed: ring:1 is not a tx port of cls yet, so the entry is inactive. */
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	ERR(E_PORT, "port add ring:1 tx cls");
}

static void
test_port_add_classifier_tx_whose_default_another_tx_has_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add vlan 7 default ring:0");
	OK("classifier_table add vlan 7 default ring:1");
	ERR(E_PORT, "port add ring:1 tx cls");
}

/* A full table: 2,048 entries on each port, one key on both (the last). */
static void
test_port_add_classifier_tx_with_full_table_finds_the_one_shared_entry(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	for (int i = 0; i < 2048; i++)
		OK("classifier_table add mac 52:54:00:00:%02x:%02x ring:0", i >> 8, i & 0xff);
	for (int i = 2048; i < 4095; i++)
		OK("classifier_table add mac 52:54:00:00:%02x:%02x ring:1", i >> 8, i & 0xff);
	OK("classifier_table add mac 52:54:00:00:07:ff ring:1");	/* = ring:0's #2047 */
	ERR(E_PORT, "port add ring:1 tx cls");
	OK("classifier_table del mac 52:54:00:00:07:ff ring:1");
	OK("port add ring:1 tx cls");
	assert_int_equal(COMP("cls")->nb_tx, 2);
}

static void
test_port_add_classifier_tx_with_same_mac_in_other_vlan_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add vlan 5 52:54:00:12:34:56 ring:1");
	OK("port add ring:1 tx cls");
	assert_int_equal(COMP("cls")->nb_tx, 2);
}

static void
test_port_add_forward_tx_with_shared_entry_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	/* 10a applies to classifiers only. */
	OK("port add ring:1 tx fwd");
}

static void
test_port_add_tx_of_second_classifier_with_shared_entry_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("component start cls2 4 classifier");
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	OK("port add ring:1 tx cls2");
}

/* Step 11. */

static void
test_port_add_second_rx_on_forward_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	ERR(E_OCCUR, "port add ring:1 rx fwd");
}

static void
test_port_add_second_tx_on_forward_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx fwd");
	ERR(E_OCCUR, "port add ring:1 tx fwd");
}

static void
test_port_add_second_rx_on_classifier_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	ERR(E_OCCUR, "port add phy:1 rx cls");
}

static void
test_port_add_second_tx_on_merge_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx mrg");
	ERR(E_OCCUR, "port add ring:1 tx mrg");
}

static void
test_port_add_65th_rx_on_merge_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	for (int i = 0; i < 64; i++)
		OK("port add vhost:%d rx mrg", i);
	assert_int_equal(COMP("mrg")->nb_rx, 64);
	ERR(E_OCCUR, "port add vhost:64 rx mrg");
}

static void
test_port_add_65th_tx_on_classifier_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	for (int i = 0; i < 64; i++)
		OK("port add vhost:%d tx cls", i);
	assert_int_equal(COMP("cls")->nb_tx, 64);
	ERR(E_OCCUR, "port add vhost:64 tx cls");
}

/* port del. */

static void
test_port_del_detaches_and_shifts_later_ports_forward(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 rx mrg");
	OK("port add ring:1 rx mrg del_vlantag");
	OK("port add ring:2 rx mrg add_vlantag 9 2");
	res = OK("port del ring:1 rx mrg");
	assert_true(res.changed);
	assert_int_equal(res.kind, SPP_CMD_PORT);
	assert_int_equal(res.lcore, 4);
	assert_int_equal(COMP("mrg")->nb_rx, 2);
	assert_uid(&COMP("mrg")->rx[0].port, "ring:0");
	assert_uid(&COMP("mrg")->rx[1].port, "ring:2");
	assert_int_equal(COMP("mrg")->rx[1].op.kind, SPP_VLAN_ADD);
	assert_int_equal(COMP("mrg")->rx[1].op.vid, 9);
}

static void
test_port_del_then_add_to_other_component_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	OK("port del ring:0 rx fwd");
	OK("port add ring:0 rx mrg");
	assert_int_equal(COMP("fwd")->nb_rx, 0);
	assert_uid(&COMP("mrg")->rx[0].port, "ring:0");
}

static void
test_port_del_not_attached_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 rx mrg");
	res = OK("port del ring:0 rx fwd");
	assert_false(res.changed);
	assert_int_equal(COMP("mrg")->nb_rx, 1);
}

static void
test_port_del_other_direction_is_success_without_change(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 rx fwd");
	res = OK("port del ring:0 tx fwd");
	assert_false(res.changed);
	assert_int_equal(COMP("fwd")->nb_rx, 1);
}

static void
test_port_del_unknown_component_is_invalid_component_name(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_NAME, "port del ring:0 rx nosuch");
}

static void
test_port_del_absent_port_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_PORT, "port del ring:99 rx fwd");
}

static void
test_port_del_bad_direction_is_invalid_port_rxtx(void **state)
{
	FIX;
	given_three_components(f);
	ERR(E_RXTX, "port del ring:0 both fwd");
}

static void
test_port_del_leaves_classifier_entries(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("port del ring:0 tx cls");
	assert_int_equal(f->cur->nb_entries, 1);
}

/* ================= §5.5 classifier_table ================= */

static void
test_cls_add_mac_appends_untagged_entry(void **state)
{
	FIX;
	struct spp_cmd_result res;
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	given_three_components(f);
	res = OK("classifier_table add mac 52:54:00:12:34:56 vhost:0");
	assert_int_equal(res.kind, SPP_CMD_CLASSIFIER);
	assert_true(res.changed);
	/* vhost:0 is no classifier's tx port: no plan changes. */
	assert_int_equal(res.lcore, -1);
	assert_int_equal(f->cur->nb_entries, 1);
	assert_int_equal(f->cur->entries[0].vid, SPP_VID_UNTAGGED);
	assert_false(f->cur->entries[0].is_default);
	assert_memory_equal(f->cur->entries[0].mac, mac, 6);
	assert_uid(&f->cur->entries[0].port, "vhost:0");
}

static void
test_cls_add_vlan_appends_tagged_entry(void **state)
{
	FIX;
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };

	given_three_components(f);
	OK("classifier_table add vlan 100 52:54:00:12:34:57 ring:0");
	assert_int_equal(f->cur->entries[0].vid, 100);
	assert_false(f->cur->entries[0].is_default);
	assert_memory_equal(f->cur->entries[0].mac, mac, 6);
	assert_uid(&f->cur->entries[0].port, "ring:0");
}

static void
test_cls_add_default_sets_the_flag(void **state)
{
	FIX;
	given_three_components(f);
	OK("classifier_table add mac default ring:0");
	OK("classifier_table add vlan 4094 default ring:0");
	assert_int_equal(f->cur->nb_entries, 2);
	assert_true(f->cur->entries[0].is_default);
	assert_int_equal(f->cur->entries[0].vid, SPP_VID_UNTAGGED);
	assert_true(f->cur->entries[1].is_default);
	assert_int_equal(f->cur->entries[1].vid, 4094);
}

static void
test_cls_add_vlan_1_is_accepted(void **state)
{
	FIX;
	OK("classifier_table add vlan 1 52:54:00:12:34:56 ring:0");
	assert_int_equal(f->cur->entries[0].vid, 1);
}

static void
test_cls_add_on_classifier_tx_port_reports_its_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 tx cls");
	res = OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	assert_true(res.changed);
	assert_int_equal(res.lcore, 2);
}

static void
test_cls_add_on_forward_tx_port_changes_no_plan(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 tx fwd");
	res = OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	assert_true(res.changed);
	assert_int_equal(res.lcore, -1);
}

static void
test_cls_del_removes_entry_and_reports_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add mac 52:54:00:12:34:58 ring:0");
	res = OK("classifier_table del mac 52:54:00:12:34:56 ring:0");
	assert_true(res.changed);
	assert_int_equal(res.lcore, 2);
	assert_int_equal(f->cur->nb_entries, 1);
	assert_int_equal(f->cur->entries[0].mac[5], 0x58);
}

static void
test_cls_del_matches_mac_in_any_case(void **state)
{
	FIX;
	OK("classifier_table add vlan 3 0a:bc:de:f0:12:34 ring:0");
	OK("classifier_table del vlan 3 0A:BC:DE:F0:12:34 ring:0");
	assert_int_equal(f->cur->nb_entries, 0);
}

static void
test_cls_several_entries_per_port_are_accepted(void **state)
{
	FIX;
	OK("classifier_table add mac 52:54:00:00:00:01 ring:0");
	OK("classifier_table add mac 52:54:00:00:00:02 ring:0");
	OK("classifier_table add vlan 10 52:54:00:00:00:01 ring:0");
	OK("classifier_table add mac default ring:0");
	assert_int_equal(f->cur->nb_entries, 4);
}

static void
test_cls_bad_action_is_invalid_action(void **state)
{
	FIX;
	ERR(E_ACTION, "classifier_table put mac 52:54:00:12:34:56 ring:0");
}

static void
test_cls_bad_action_precedes_exact_count(void **state)
{
	FIX;
	ERR(E_ACTION, "classifier_table put vlan 52:54:00:12:34:56 ring:0");
}

static void
test_cls_bad_type_is_invalid_type(void **state)
{
	FIX;
	ERR(E_TYPE, "classifier_table add ip 52:54:00:12:34:56 ring:0");
}

static void
test_cls_with_four_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "classifier_table add mac 52:54:00:12:34:56");
}

static void
test_cls_with_seven_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "classifier_table add vlan 10 52:54:00:12:34:56 ring:0 x");
}

static void
test_cls_mac_with_six_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "classifier_table add mac 52:54:00:12:34:56 ring:0 x");
}

static void
test_cls_vlan_with_five_tokens_is_wrong_message_format(void **state)
{
	FIX;
	ERR(E_FORMAT, "classifier_table add vlan 52:54:00:12:34:56 ring:0");
}

static void
test_cls_vlan_0_is_invalid_vlan_id(void **state)
{
	FIX;
	ERR(E_VLAN_ID, "classifier_table add vlan 0 52:54:00:12:34:56 ring:0");
}

static void
test_cls_vlan_4095_is_invalid_vlan_id(void **state)
{
	FIX;
	ERR(E_VLAN_ID, "classifier_table add vlan 4095 52:54:00:12:34:56 ring:0");
}

static void
test_cls_non_numeric_vlan_is_invalid_vlan_id(void **state)
{
	FIX;
	ERR(E_VLAN_ID, "classifier_table add vlan ten 52:54:00:12:34:56 ring:0");
}

static void
test_cls_bad_vlan_precedes_bad_mac(void **state)
{
	FIX;
	ERR(E_VLAN_ID, "classifier_table add vlan 4095 zz ring:0");
}

static void
test_cls_mac_with_non_hex_digits_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac zz:54:00:12:34:56 ring:0");
}

static void
test_cls_mac_with_one_digit_group_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:0:12:34:56 ring:0");
}

static void
test_cls_mac_with_one_digit_groups_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 2:4:0:1:3:5 ring:0");
}

static void
test_cls_mac_without_separators_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 525400123456 ring:0");
}

static void
test_cls_mac_with_dashes_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52-54-00-12-34-56 ring:0");
}

static void
test_cls_mac_with_five_groups_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:00:12:34 ring:0");
}

static void
test_cls_mac_with_seven_groups_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:00:12:34:56:78 ring:0");
}

static void
test_cls_mac_with_trailing_colon_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:00:12:34:56: ring:0");
}

static void
test_cls_mac_with_three_digit_group_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:00:12:34:567 ring:0");
}

static void
test_cls_all_zero_mac_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 00:00:00:00:00:00 ring:0");
}

static void
test_cls_multicast_mac_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 01:00:5e:00:00:01 ring:0");
}

static void
test_cls_group_bit_on_odd_first_byte_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 53:54:00:12:34:56 ring:0");
}

static void
test_cls_broadcast_mac_is_invalid_mac_address(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac ff:ff:ff:ff:ff:ff ring:0");
}

static void
test_cls_default_is_case_sensitive(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac Default ring:0");
}

static void
test_cls_upper_case_mac_is_accepted(void **state)
{
	FIX;
	const uint8_t mac[6] = { 0x0a, 0xbc, 0xde, 0xf0, 0x12, 0x34 };

	OK("classifier_table add mac 0A:BC:DE:F0:12:34 ring:0");
	assert_memory_equal(f->cur->entries[0].mac, mac, 6);
}

static void
test_cls_lower_case_mac_is_accepted(void **state)
{
	FIX;
	const uint8_t mac[6] = { 0x0a, 0xbc, 0xde, 0xf0, 0x12, 0x34 };

	OK("classifier_table add mac 0a:bc:de:f0:12:34 ring:0");
	assert_memory_equal(f->cur->entries[0].mac, mac, 6);
}

static void
test_cls_same_mac_in_other_case_is_the_same_entry(void **state)
{
	FIX;
	OK("classifier_table add mac 0a:bc:de:f0:12:34 ring:0");
	ERR(E_PORT, "classifier_table add mac 0A:Bc:dE:F0:12:34 ring:0");
}

static void
test_cls_bad_mac_precedes_bad_port(void **state)
{
	FIX;
	ERR(E_MAC, "classifier_table add mac 52:54:00:12:34 ring:99");
}

static void
test_cls_malformed_port_is_invalid_port(void **state)
{
	FIX;
	ERR(E_PORT, "classifier_table add mac 52:54:00:12:34:56 ring");
}

static void
test_cls_absent_port_is_invalid_port(void **state)
{
	FIX;
	ERR(E_PORT, "classifier_table add mac 52:54:00:12:34:56 ring:4");
}

static void
test_cls_same_triple_twice_is_invalid_port(void **state)
{
	FIX;
	OK("classifier_table add vlan 10 52:54:00:12:34:56 ring:0");
	ERR(E_PORT, "classifier_table add vlan 10 52:54:00:12:34:56 ring:0");
}

static void
test_cls_same_default_twice_is_invalid_port(void **state)
{
	FIX;
	OK("classifier_table add mac default ring:0");
	ERR(E_PORT, "classifier_table add mac default ring:0");
}

static void
test_cls_same_mac_untagged_and_tagged_are_distinct(void **state)
{
	FIX;
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add vlan 10 52:54:00:12:34:56 ring:0");
	assert_int_equal(f->cur->nb_entries, 2);
}

static void
test_cls_same_mac_on_port_outside_classifier_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	assert_int_equal(f->cur->nb_entries, 2);
}

static void
test_cls_same_mac_on_two_tx_ports_of_one_classifier_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("port add ring:1 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	ERR(E_PORT, "classifier_table add mac 52:54:00:12:34:56 ring:1");
}

static void
test_cls_same_vlan_default_on_two_tx_ports_of_one_classifier_is_invalid_port(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("port add ring:1 tx cls");
	OK("classifier_table add vlan 20 default ring:0");
	ERR(E_PORT, "classifier_table add vlan 20 default ring:1");
}

static void
test_cls_same_mac_on_tx_ports_of_two_classifiers_is_accepted(void **state)
{
	FIX;
	given_three_components(f);
	OK("component start cls2 4 classifier");
	OK("port add ring:0 tx cls");
	OK("port add ring:1 tx cls2");
	OK("classifier_table add mac default ring:0");
	OK("classifier_table add mac default ring:1");
	assert_int_equal(f->cur->nb_entries, 2);
}

static void
test_cls_del_absent_entry_is_invalid_port(void **state)
{
	FIX;
	ERR(E_PORT, "classifier_table del mac 52:54:00:12:34:56 ring:0");
}

static void
test_cls_del_with_other_port_is_invalid_port(void **state)
{
	FIX;
	OK("classifier_table add mac 52:54:00:12:34:56 ring:0");
	ERR(E_PORT, "classifier_table del mac 52:54:00:12:34:56 ring:1");
}

static void
test_cls_del_with_other_vlan_is_invalid_port(void **state)
{
	FIX;
	OK("classifier_table add vlan 10 52:54:00:12:34:56 ring:0");
	ERR(E_PORT, "classifier_table del vlan 11 52:54:00:12:34:56 ring:0");
}

static void
fill_table(struct fixture *f)
{
	for (int i = 0; i < SPP_MAX_CLS_ENTRIES; i++)
		OK("classifier_table add mac 52:54:00:00:%02x:%02x ring:0", i >> 8, i & 0xff);
	assert_int_equal(f->cur->nb_entries, SPP_MAX_CLS_ENTRIES);
}

static void
test_cls_4097th_entry_is_error_occur(void **state)
{
	FIX;
	fill_table(f);
	ERR(E_OCCUR, "classifier_table add mac 52:54:00:01:00:00 ring:0");
}

static void
test_cls_duplicate_in_full_table_is_invalid_port(void **state)
{
	FIX;
	fill_table(f);
	/* Step 6 comes before the limit of step 7. */
	ERR(E_PORT, "classifier_table add mac 52:54:00:00:00:07 ring:0");
}

static void
test_cls_del_in_full_table_frees_a_slot(void **state)
{
	FIX;
	fill_table(f);
	OK("classifier_table del mac 52:54:00:00:00:07 ring:0");
	OK("classifier_table add mac 52:54:00:01:00:00 ring:0");
	assert_int_equal(f->cur->nb_entries, SPP_MAX_CLS_ENTRIES);
}

/* ================= spp_mac_parse ================= */

static void
test_mac_parse_mixed_case(void **state)
{
	uint8_t mac[6];
	const uint8_t expected[6] = { 0x52, 0x54, 0xab, 0xcd, 0xef, 0x0f };

	(void)state;
	assert_int_equal(spp_mac_parse("52:54:aB:Cd:eF:0F", mac), 0);
	assert_memory_equal(mac, expected, 6);
}

static void
test_mac_parse_rejects_group_address(void **state)
{
	uint8_t mac[6];

	(void)state;
	assert_int_equal(spp_mac_parse("33:33:00:00:00:01", mac), -EINVAL);
}

/* ================= §8.3 runnable conditions ================= */

static bool
runnable(struct fixture *f, const char *name)
{
	return spp_model_comp_runnable(f->cur, COMP(name));
}

static void
test_forward_without_ports_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	assert_false(runnable(f, "fwd"));
}

static void
test_forward_with_rx_only_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	assert_false(runnable(f, "fwd"));
}

static void
test_forward_with_tx_only_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx fwd");
	assert_false(runnable(f, "fwd"));
}

static void
test_forward_with_rx_and_tx_is_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx fwd");
	OK("port add ring:1 tx fwd");
	assert_true(runnable(f, "fwd"));
}

static void
test_merge_with_tx_only_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx mrg");
	assert_false(runnable(f, "mrg"));
}

static void
test_merge_with_rx_only_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx mrg");
	OK("port add ring:1 rx mrg");
	assert_false(runnable(f, "mrg"));
}

static void
test_merge_with_one_rx_and_tx_is_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx mrg");
	OK("port add ring:2 tx mrg");
	assert_true(runnable(f, "mrg"));
}

static void
test_merge_with_two_rx_and_tx_is_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 rx mrg");
	OK("port add ring:1 rx mrg");
	OK("port add ring:2 tx mrg");
	assert_true(runnable(f, "mrg"));
}

static void
test_classifier_without_entries_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	OK("port add ring:0 tx cls");
	assert_false(runnable(f, "cls"));
}

static void
test_classifier_with_entry_of_its_tx_port_is_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	OK("port add ring:0 tx cls");
	OK("classifier_table add vlan 5 52:54:00:12:34:56 ring:0");
	assert_true(runnable(f, "cls"));
}

static void
test_classifier_with_default_of_its_tx_port_is_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac default ring:0");
	assert_true(runnable(f, "cls"));
}

static void
test_classifier_with_only_inactive_entries_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac 52:54:00:12:34:56 ring:1");
	assert_false(runnable(f, "cls"));
}

static void
test_classifier_without_rx_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add ring:0 tx cls");
	OK("classifier_table add mac default ring:0");
	assert_false(runnable(f, "cls"));
}

static void
test_classifier_without_tx_is_not_runnable(void **state)
{
	FIX;
	given_three_components(f);
	OK("port add phy:0 rx cls");
	OK("classifier_table add mac default ring:0");
	assert_false(runnable(f, "cls"));
}

static void
test_mirror_with_one_tx_is_not_runnable(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	OK("port add ring:0 rx tap");
	OK("port add ring:1 tx tap");
	assert_false(runnable(f, "tap"));
}

static void
test_mirror_with_rx_and_two_tx_is_runnable(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	OK("port add ring:0 rx tap");
	OK("port add ring:1 tx tap");
	OK("port add ring:2 tx tap");
	assert_true(runnable(f, "tap"));
}

static void
test_mirror_without_rx_is_not_runnable(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	OK("port add ring:1 tx tap");
	OK("port add ring:2 tx tap");
	assert_false(runnable(f, "tap"));
}

/* ================= model helpers ================= */

static void
test_model_port_user_finds_the_component_and_index(void **state)
{
	FIX;
	struct spp_port_id id = uid("ring:2");
	int idx = -1;

	given_three_components(f);
	OK("port add ring:0 rx mrg");
	OK("port add ring:2 rx mrg");
	assert_int_equal(spp_model_port_user(f->cur, &id, SPP_DIR_RX, &idx),
			 spp_model_find_comp(f->cur, "mrg"));
	assert_int_equal(idx, 1);
	assert_int_equal(spp_model_port_user(f->cur, &id, SPP_DIR_TX, NULL), -1);
}

/* ================= [EXT] §9.4 capture ================= */

/* fwd (lcore 3): phy:0 rx, ring:0 tx; mrg (lcore 4): ring:1 rx, phy:0 tx. */
static void
given_captureable_ports(struct fixture *f)
{
	given_three_components(f);
	OK("port add phy:0 rx fwd");
	OK("port add ring:0 tx fwd");
	OK("port add ring:1 rx mrg");
	OK("port add phy:0 tx mrg");
}

static void
test_capture_token_counts_are_checked_first(void **state)
{
	FIX;
	given_captureable_ports(f);
	ERR(E_FORMAT, "capture");
	ERR(E_FORMAT, "capture start");
	ERR(E_FORMAT, "capture start phy:0");
	ERR(E_FORMAT, "capture go phy:0");		/* range before action */
	ERR(E_FORMAT, "capture start phy:0 rx f 1 x");	/* 7 > 6 */
	ERR(E_FORMAT, "capture start phy:0 rx f 1 x y z");	/* more than 8 */
	/* The action decides the exact count: start 5 or 6, stop 4. */
	ERR(E_FORMAT, "capture start phy:0 rx");
	ERR(E_FORMAT, "capture stop phy:0 rx f");
	ERR(E_FORMAT, "capture stop phy:0 rx f 1");
}

static void
test_capture_action_is_checked_before_the_port(void **state)
{
	FIX;
	given_captureable_ports(f);
	ERR(E_ACTION, "capture go phy:9 rx");
	ERR(E_ACTION, "capture go phy:9 rx f");
	ERR(E_ACTION, "capture START phy:0 rx f 1");
	ERR(E_ACTION, "capture add phy:0 rx f");
}

static void
test_capture_port_must_be_well_formed_and_exist(void **state)
{
	FIX;
	given_captureable_ports(f);
	ERR(E_PORT, "capture start phy:9 in .bad 0");	/* port before direction and file */
	ERR(E_PORT, "capture start eth:0 rx f");
	ERR(E_PORT, "capture start ring:4 rx f");
	ERR(E_PORT, "capture start phy:2 rx f");		/* multi-queue: nq required */
	ERR(E_PORT, "capture stop vhost:0nq1 rx");
}

static void
test_capture_direction_then_attachment(void **state)
{
	FIX;
	given_captureable_ports(f);
	ERR(E_DIRECTION, "capture start phy:0 in .bad 0");	/* direction before file */
	ERR(E_DIRECTION, "capture start phy:0 RX f");
	ERR(E_DIRECTION, "capture stop phy:0 rxtx");
	/* Attached in that direction (both: either) -> else port. */
	ERR(E_PORT, "capture start phy:1 rx .bad 0");	/* attachment before file */
	ERR(E_PORT, "capture start ring:0 rx f");		/* ring:0 is tx only */
	ERR(E_PORT, "capture start ring:1 tx f");		/* ring:1 is rx only */
	ERR(E_PORT, "capture start ring:2 both f");
	ERR(E_PORT, "capture stop ring:2 both");
	OK("capture start ring:0 both f0");
	OK("capture start ring:1 rx f1");
}

static void
test_capture_file_name_rules(void **state)
{
	FIX;
	char name[80];

	given_captureable_ports(f);
	f->existing_file = "old.pcapng";
	ERR(E_FILE, "capture start phy:0 rx .hidden");
	ERR(E_FILE, "capture start phy:0 rx ..");
	ERR(E_FILE, "capture start phy:0 rx a/b");
	ERR(E_FILE, "capture start phy:0 rx ../b");
	ERR(E_FILE, "capture start phy:0 rx a:b");
	ERR(E_FILE, "capture start phy:0 rx a\"b");
	ERR(E_FILE, "capture start phy:0 rx old.pcapng");
	ERR(E_FILE, "capture start phy:0 rx old.pcapng 5");
	memset(name, 'n', sizeof(name));
	name[65] = '\0';
	ERR(E_FILE, "capture start phy:0 rx %s", name);
	name[64] = '\0';
	OK("capture start phy:0 rx %s", name);
	assert_string_equal(f->cur->captures[0].file, name);
}

static void
test_capture_max_must_be_1_to_2_32_minus_1(void **state)
{
	FIX;
	given_captureable_ports(f);
	ERR(E_FILE, "capture start phy:0 rx f 0");
	ERR(E_FILE, "capture start phy:0 rx f 4294967296");
	ERR(E_FILE, "capture start phy:0 rx f 99999999999999999999999");
	ERR(E_FILE, "capture start phy:0 rx f -1");
	ERR(E_FILE, "capture start phy:0 rx f 1e3");
	ERR(E_FILE, "capture start phy:0 rx f 0x10");
	OK("capture start phy:0 rx f 4294967295");
	assert_int_equal(f->cur->captures[0].max, 4294967295u);
	OK("capture start phy:0 tx g 007");
	assert_int_equal(f->cur->captures[1].max, 7);
}

static void
test_capture_start_records_the_capture_and_its_lcore(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_captureable_ports(f);
	res = OK("capture start phy:0 rx a.pcapng");
	assert_int_equal(res.kind, SPP_CMD_CAPTURE);
	assert_true(res.changed);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(res.lcore2, -1);
	assert_int_equal(f->cur->nb_captures, 1);
	assert_uid(&f->cur->captures[0].port, "phy:0");
	assert_int_equal(f->cur->captures[0].dirs, SPP_CAPTURE_RX);
	assert_int_equal(f->cur->captures[0].max, 0);
	assert_string_equal(f->cur->captures[0].file, "a.pcapng");
	assert_null(f->cur->captures[0].cap);
	res = OK("capture start phy:0 tx b.pcapng 10");
	assert_int_equal(res.lcore, 4);
	assert_int_equal(res.lcore2, -1);
	assert_int_equal(f->cur->nb_captures, 2);
	assert_int_equal(f->cur->captures[1].dirs, SPP_CAPTURE_TX);
	assert_int_equal(f->cur->captures[1].max, 10);
}

static void
test_capture_both_touches_the_lcores_of_both_attachments(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_captureable_ports(f);
	res = OK("capture start phy:0 both a");
	assert_int_equal(res.lcore, 3);
	assert_int_equal(res.lcore2, 4);
	assert_int_equal(f->cur->captures[0].dirs, SPP_CAPTURE_BOTH);
	res = OK("capture stop phy:0 both");
	assert_true(res.changed);
	assert_int_equal(res.lcore, 3);
	assert_int_equal(res.lcore2, 4);
	assert_int_equal(f->cur->nb_captures, 0);
	/* Both attachments on one lcore: one plan. */
	OK("component start m2 3 merge");
	OK("port add ring:2 rx m2");
	OK("port add ring:3 tx m2");
	OK("component start m3 3 merge");
	OK("port add ring:3 rx m3");
	res = OK("capture start ring:3 both b");
	assert_int_equal(res.lcore, 3);
	assert_int_equal(res.lcore2, -1);
	/* One direction attached is enough for both. */
	res = OK("capture start ring:0 both c");
	assert_int_equal(res.lcore, 3);
	assert_int_equal(res.lcore2, -1);
}

static void
test_capture_already_running_or_overlapping_is_error_occur(void **state)
{
	FIX;
	given_captureable_ports(f);
	OK("capture start phy:0 rx a");
	ERR(E_OCCUR, "capture start phy:0 rx b");
	ERR(E_OCCUR, "capture start phy:0 both b");
	OK("capture start phy:0 tx b");
	ERR(E_OCCUR, "capture start phy:0 tx c 1");
	OK("capture start ring:0 both c");
	ERR(E_OCCUR, "capture start ring:0 tx d");
}

static void
test_capture_limit_is_error_occur(void **state)
{
	FIX;
	given_three_components(f);
	for (int i = 0; i <= SPP_MAX_CAPTURES; i++)
		OK("port add vhost:%d tx cls", i);
	for (int i = 0; i < SPP_MAX_CAPTURES; i++)
		OK("capture start vhost:%d tx f%d", i, i);
	ERR(E_OCCUR, "capture start vhost:%d tx g", SPP_MAX_CAPTURES);
	OK("capture stop vhost:0 tx");
	OK("capture start vhost:%d tx g", SPP_MAX_CAPTURES);
	assert_int_equal(f->cur->nb_captures, SPP_MAX_CAPTURES);
}

static void
test_capture_stop_of_what_does_not_run_changes_nothing(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_captureable_ports(f);
	res = OK("capture stop phy:0 rx");
	assert_false(res.changed);
	OK("capture start phy:0 both a");
	/* A capture is stopped by its own (port, direction) only. */
	res = OK("capture stop phy:0 rx");
	assert_false(res.changed);
	res = OK("capture stop phy:0 tx");
	assert_false(res.changed);
	assert_int_equal(f->cur->nb_captures, 1);
}

static void
test_capture_stop_keeps_the_others_in_start_order(void **state)
{
	FIX;
	given_captureable_ports(f);
	OK("capture start phy:0 tx a");
	OK("capture start ring:0 tx b");
	OK("capture start phy:0 rx c");
	OK("capture stop ring:0 tx");
	assert_int_equal(f->cur->nb_captures, 2);
	assert_string_equal(f->cur->captures[0].file, "a");
	assert_string_equal(f->cur->captures[1].file, "c");
}

static void
test_detaching_the_last_attachment_stops_the_capture(void **state)
{
	FIX;
	struct spp_cmd_result res;

	given_captureable_ports(f);
	OK("capture start phy:0 both a");
	OK("capture start ring:0 tx b");
	OK("capture start ring:1 rx c");
	/* phy:0 rx goes, its tx stays: the "both" capture runs on. */
	res = OK("port del phy:0 rx fwd");
	assert_int_equal(res.lcore, 3);
	assert_int_equal(f->cur->nb_captures, 3);
	OK("port del phy:0 tx mrg");
	assert_int_equal(f->cur->nb_captures, 2);
	assert_string_equal(f->cur->captures[0].file, "b");
	/* component stop detaches ring:0 tx. */
	OK("component stop fwd");
	assert_int_equal(f->cur->nb_captures, 1);
	assert_string_equal(f->cur->captures[0].file, "c");
	/* Detaching what is not attached changes nothing. */
	OK("port del ring:1 tx mrg");
	assert_int_equal(f->cur->nb_captures, 1);
}

static void
test_capture_in_spp_mirror(void **state)
{
	FIX;
	OK("component start tap 2 mirror");
	OK("port add ring:0 rx tap");
	OK("port add ring:1 tx tap");
	OK("capture start ring:1 tx a 3");
	ERR(E_PORT, "capture start ring:2 tx b");
	OK("capture stop ring:1 tx");
	assert_int_equal(f->cur->nb_captures, 0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup_vf, teardown)
#define TM(fn)	cmocka_unit_test_setup_teardown(fn, setup_mirror, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* §5.1, §5.2 */
		T(test_status_is_success_without_change),
		T(test_get_client_id_is_success_without_change),
		T(test_exit_is_success_without_change),
		T(test_status_with_two_tokens_is_wrong_message_format),
		T(test_get_client_id_with_two_tokens_is_wrong_message_format),
		T(test_exit_with_two_tokens_is_wrong_message_format),
		T(test_blank_command_is_wrong_message_format),
		T(test_unknown_command_is_invalid_command),
		T(test_command_name_is_case_sensitive),
		T(test_nine_tokens_is_wrong_message_format),
		T(test_nine_tokens_of_unknown_command_is_wrong_message_format),
		T(test_unknown_command_precedes_token_count),
		T(test_command_over_4096_bytes_is_wrong_message_format),
		T(test_tokens_are_split_at_runs_of_spaces_and_tabs),
		TM(test_classifier_table_in_mirror_is_invalid_command),
		TM(test_classifier_table_in_mirror_with_bad_count_is_invalid_command),
		/* §5.3 */
		T(test_component_start_creates_empty_component_on_its_lcore),
		T(test_component_start_of_each_vf_type),
		T(test_component_start_appends_in_start_order),
		T(test_component_start_lcore_with_leading_zero_is_decimal),
		T(test_component_with_two_tokens_is_wrong_message_format),
		T(test_component_with_six_tokens_in_vf_is_wrong_message_format),
		T(test_component_bad_action_is_invalid_action),
		T(test_component_bad_action_precedes_exact_count),
		T(test_component_start_with_three_tokens_is_wrong_message_format),
		T(test_component_start_with_four_tokens_is_wrong_message_format),
		T(test_component_stop_with_four_tokens_is_wrong_message_format),
		T(test_component_stop_with_five_tokens_is_wrong_message_format),
		T(test_component_name_of_31_bytes_is_accepted),
		T(test_component_name_of_32_bytes_is_invalid_component_name),
		T(test_component_name_with_printable_punctuation_is_accepted),
		T(test_component_name_with_double_quote_is_invalid_component_name),
		T(test_component_name_with_backslash_is_invalid_component_name),
		T(test_component_name_with_slash_is_invalid_component_name),
		T(test_component_name_with_semicolon_is_invalid_component_name),
		T(test_component_name_with_del_byte_is_invalid_component_name),
		T(test_component_name_with_non_ascii_byte_is_invalid_component_name),
		T(test_component_name_with_control_byte_is_invalid_component_name),
		T(test_component_start_existing_name_is_invalid_component_name),
		T(test_component_start_existing_name_precedes_bad_core),
		T(test_component_bad_name_precedes_bad_core),
		T(test_component_start_on_main_lcore_is_invalid_core),
		T(test_component_start_on_absent_lcore_is_invalid_core),
		T(test_component_start_on_lcore_0_not_a_worker_is_invalid_core),
		T(test_component_start_on_lcore_128_is_invalid_core),
		T(test_component_start_on_huge_lcore_is_invalid_core),
		T(test_component_start_on_non_numeric_lcore_is_invalid_core),
		T(test_component_start_on_negative_lcore_is_invalid_core),
		T(test_component_start_unknown_type_is_invalid_component_type),
		T(test_component_start_type_is_case_sensitive),
		T(test_component_start_mirror_in_vf_is_invalid_component_type),
		T(test_component_start_bad_core_precedes_bad_type),
		T(test_component_start_129th_is_error_occur),
		T(test_component_start_129th_with_bad_type_is_invalid_component_type),
		T(test_component_stop_removes_it_and_reports_its_lcore),
		T(test_component_stop_detaches_its_ports),
		T(test_component_stop_keeps_classifier_entries),
		T(test_component_stop_unknown_is_success_without_change),
		T(test_component_stop_bad_name_is_invalid_component_name),
		T(test_component_start_after_stop_reuses_the_name),
		/* spp_mirror */
		TM(test_mirror_start_uses_the_process_copy_mode),
		TM(test_mirror_start_shallow_overrides_the_process_copy_mode),
		TM(test_mirror_start_deep_sets_deep),
		TM(test_mirror_start_bad_copy_mode_is_invalid_component_type),
		TM(test_mirror_start_bad_core_precedes_bad_copy_mode),
		TM(test_mirror_start_forward_is_invalid_component_type),
		TM(test_mirror_start_classifier_is_invalid_component_type),
		TM(test_mirror_component_with_seven_tokens_is_wrong_message_format),
		TM(test_mirror_component_stop_with_six_tokens_is_wrong_message_format),
		TM(test_mirror_component_start_with_four_tokens_is_wrong_message_format),
		TM(test_mirror_takes_one_rx_and_two_tx_in_attach_order),
		TM(test_mirror_third_tx_is_error_occur),
		TM(test_mirror_second_rx_is_error_occur),
		TM(test_mirror_delete_first_tx_makes_second_first),
		/* §5.4 */
		T(test_port_add_attaches_without_vlan_op_and_reports_lcore),
		T(test_port_add_del_vlantag_sets_del_op),
		T(test_port_add_add_vlantag_sets_vid_and_pcp),
		T(test_port_add_vid_4094_and_pcp_7_are_accepted),
		T(test_port_add_vid_0_is_accepted),
		T(test_port_add_keeps_attach_order_per_direction),
		T(test_port_add_multi_queue_phy_with_queue),
		T(test_port_add_vhost_255_exists),
		T(test_port_with_four_tokens_is_wrong_message_format),
		T(test_port_bad_action_is_invalid_action),
		T(test_port_bad_action_precedes_exact_count),
		T(test_port_del_with_six_tokens_is_wrong_message_format),
		T(test_port_del_count_precedes_bad_port),
		T(test_port_add_seven_tokens_add_vlantag_is_wrong_message_format),
		T(test_port_add_six_tokens_add_vlantag_is_wrong_message_format),
		T(test_port_add_seven_tokens_del_vlantag_is_wrong_message_format),
		T(test_port_add_eight_tokens_del_vlantag_is_wrong_message_format),
		T(test_port_add_malformed_uid_is_invalid_port),
		T(test_port_add_ring_beyond_the_rings_is_invalid_port),
		T(test_port_add_phy_beyond_the_phys_is_invalid_port),
		T(test_port_add_multi_queue_phy_without_queue_is_invalid_port),
		T(test_port_add_single_queue_phy_with_queue_is_invalid_port),
		T(test_port_add_queue_beyond_the_port_queues_is_invalid_port),
		T(test_port_add_output_form_uid_is_invalid_port),
		T(test_port_add_bad_uid_precedes_bad_direction),
		T(test_port_add_bad_direction_is_invalid_port_rxtx),
		T(test_port_add_direction_is_case_sensitive),
		T(test_port_add_rx_queue_beyond_rx_queues_is_invalid_port_rxtx),
		T(test_port_add_tx_queue_within_tx_queues_is_accepted),
		T(test_port_add_queue_range_precedes_component_name),
		T(test_port_del_rx_queue_beyond_rx_queues_is_success_without_change),
		T(test_port_add_unknown_component_is_invalid_component_name),
		T(test_port_add_unknown_component_precedes_port_in_use),
		T(test_port_add_unknown_component_precedes_bad_op),
		T(test_port_add_unknown_component_precedes_count_of_op),
		T(test_port_add_bad_op_is_invalid_port_vlan_operation),
		T(test_port_add_bad_op_in_eight_tokens_is_invalid_port_vlan_operation),
		T(test_port_add_vid_4095_is_invalid_port_vid),
		T(test_port_add_non_numeric_vid_is_invalid_port_vid),
		T(test_port_add_negative_vid_is_invalid_port_vid),
		T(test_port_add_bad_vid_precedes_bad_pcp),
		T(test_port_add_pcp_8_is_invalid_port_pcp),
		T(test_port_add_non_numeric_pcp_is_invalid_port_pcp),
		T(test_port_readd_with_different_op_replaces_op),
		T(test_port_readd_with_del_vlantag_replaces_add_vlantag),
		T(test_port_readd_with_op_on_plain_attachment_sets_op),
		T(test_port_readd_without_op_keeps_op_and_changes_nothing),
		T(test_port_readd_with_same_op_changes_nothing),
		T(test_port_readd_to_full_forward_is_success),
		T(test_port_add_port_used_both_ways_is_invalid_port),
		T(test_port_add_same_port_other_direction_is_accepted),
		T(test_port_add_rx_used_by_other_component_is_invalid_port_rxtx),
		T(test_port_add_tx_used_by_other_component_is_invalid_port_rxtx),
		T(test_port_add_phy_claimed_by_other_process_is_invalid_port_rxtx),
		T(test_port_add_phy_claimed_elsewhere_in_other_direction_is_accepted),
		T(test_port_add_phy_queue_claimed_elsewhere_is_invalid_port_rxtx),
		T(test_port_add_other_queue_of_claimed_phy_is_accepted),
		T(test_port_add_vhost_owned_by_other_process_is_invalid_port),
		T(test_port_add_in_use_precedes_port_limit),
		T(test_port_add_classifier_tx_whose_entry_another_tx_has_is_invalid_port),
		T(test_port_add_classifier_tx_whose_default_another_tx_has_is_invalid_port),
		T(test_port_add_classifier_tx_with_full_table_finds_the_one_shared_entry),
		T(test_port_add_classifier_tx_with_same_mac_in_other_vlan_is_accepted),
		T(test_port_add_forward_tx_with_shared_entry_is_accepted),
		T(test_port_add_tx_of_second_classifier_with_shared_entry_is_accepted),
		T(test_port_add_second_rx_on_forward_is_error_occur),
		T(test_port_add_second_tx_on_forward_is_error_occur),
		T(test_port_add_second_rx_on_classifier_is_error_occur),
		T(test_port_add_second_tx_on_merge_is_error_occur),
		T(test_port_add_65th_rx_on_merge_is_error_occur),
		T(test_port_add_65th_tx_on_classifier_is_error_occur),
		T(test_port_del_detaches_and_shifts_later_ports_forward),
		T(test_port_del_then_add_to_other_component_is_accepted),
		T(test_port_del_not_attached_is_success_without_change),
		T(test_port_del_other_direction_is_success_without_change),
		T(test_port_del_unknown_component_is_invalid_component_name),
		T(test_port_del_absent_port_is_invalid_port),
		T(test_port_del_bad_direction_is_invalid_port_rxtx),
		T(test_port_del_leaves_classifier_entries),
		/* §5.5 */
		T(test_cls_add_mac_appends_untagged_entry),
		T(test_cls_add_vlan_appends_tagged_entry),
		T(test_cls_add_default_sets_the_flag),
		T(test_cls_add_vlan_1_is_accepted),
		T(test_cls_add_on_classifier_tx_port_reports_its_lcore),
		T(test_cls_add_on_forward_tx_port_changes_no_plan),
		T(test_cls_del_removes_entry_and_reports_lcore),
		T(test_cls_del_matches_mac_in_any_case),
		T(test_cls_several_entries_per_port_are_accepted),
		T(test_cls_bad_action_is_invalid_action),
		T(test_cls_bad_action_precedes_exact_count),
		T(test_cls_bad_type_is_invalid_type),
		T(test_cls_with_four_tokens_is_wrong_message_format),
		T(test_cls_with_seven_tokens_is_wrong_message_format),
		T(test_cls_mac_with_six_tokens_is_wrong_message_format),
		T(test_cls_vlan_with_five_tokens_is_wrong_message_format),
		T(test_cls_vlan_0_is_invalid_vlan_id),
		T(test_cls_vlan_4095_is_invalid_vlan_id),
		T(test_cls_non_numeric_vlan_is_invalid_vlan_id),
		T(test_cls_bad_vlan_precedes_bad_mac),
		T(test_cls_mac_with_non_hex_digits_is_invalid_mac_address),
		T(test_cls_mac_with_one_digit_group_is_invalid_mac_address),
		T(test_cls_mac_with_one_digit_groups_is_invalid_mac_address),
		T(test_cls_mac_without_separators_is_invalid_mac_address),
		T(test_cls_mac_with_dashes_is_invalid_mac_address),
		T(test_cls_mac_with_five_groups_is_invalid_mac_address),
		T(test_cls_mac_with_seven_groups_is_invalid_mac_address),
		T(test_cls_mac_with_trailing_colon_is_invalid_mac_address),
		T(test_cls_mac_with_three_digit_group_is_invalid_mac_address),
		T(test_cls_all_zero_mac_is_invalid_mac_address),
		T(test_cls_multicast_mac_is_invalid_mac_address),
		T(test_cls_group_bit_on_odd_first_byte_is_invalid_mac_address),
		T(test_cls_broadcast_mac_is_invalid_mac_address),
		T(test_cls_default_is_case_sensitive),
		T(test_cls_upper_case_mac_is_accepted),
		T(test_cls_lower_case_mac_is_accepted),
		T(test_cls_same_mac_in_other_case_is_the_same_entry),
		T(test_cls_bad_mac_precedes_bad_port),
		T(test_cls_malformed_port_is_invalid_port),
		T(test_cls_absent_port_is_invalid_port),
		T(test_cls_same_triple_twice_is_invalid_port),
		T(test_cls_same_default_twice_is_invalid_port),
		T(test_cls_same_mac_untagged_and_tagged_are_distinct),
		T(test_cls_same_mac_on_port_outside_classifier_is_accepted),
		T(test_cls_same_mac_on_two_tx_ports_of_one_classifier_is_invalid_port),
		T(test_cls_same_vlan_default_on_two_tx_ports_of_one_classifier_is_invalid_port),
		T(test_cls_same_mac_on_tx_ports_of_two_classifiers_is_accepted),
		T(test_cls_del_absent_entry_is_invalid_port),
		T(test_cls_del_with_other_port_is_invalid_port),
		T(test_cls_del_with_other_vlan_is_invalid_port),
		T(test_cls_4097th_entry_is_error_occur),
		T(test_cls_duplicate_in_full_table_is_invalid_port),
		T(test_cls_del_in_full_table_frees_a_slot),
		cmocka_unit_test(test_mac_parse_mixed_case),
		cmocka_unit_test(test_mac_parse_rejects_group_address),
		/* §8.3 */
		T(test_forward_without_ports_is_not_runnable),
		T(test_forward_with_rx_only_is_not_runnable),
		T(test_forward_with_tx_only_is_not_runnable),
		T(test_forward_with_rx_and_tx_is_runnable),
		T(test_merge_with_tx_only_is_not_runnable),
		T(test_merge_with_rx_only_is_not_runnable),
		T(test_merge_with_one_rx_and_tx_is_runnable),
		T(test_merge_with_two_rx_and_tx_is_runnable),
		T(test_classifier_without_entries_is_not_runnable),
		T(test_classifier_with_entry_of_its_tx_port_is_runnable),
		T(test_classifier_with_default_of_its_tx_port_is_runnable),
		T(test_classifier_with_only_inactive_entries_is_not_runnable),
		T(test_classifier_without_rx_is_not_runnable),
		T(test_classifier_without_tx_is_not_runnable),
		TM(test_mirror_with_one_tx_is_not_runnable),
		TM(test_mirror_with_rx_and_two_tx_is_runnable),
		TM(test_mirror_without_rx_is_not_runnable),
		T(test_model_port_user_finds_the_component_and_index),
		/* [EXT] §9.4 */
		T(test_capture_token_counts_are_checked_first),
		T(test_capture_action_is_checked_before_the_port),
		T(test_capture_port_must_be_well_formed_and_exist),
		T(test_capture_direction_then_attachment),
		T(test_capture_file_name_rules),
		T(test_capture_max_must_be_1_to_2_32_minus_1),
		T(test_capture_start_records_the_capture_and_its_lcore),
		T(test_capture_both_touches_the_lcores_of_both_attachments),
		T(test_capture_already_running_or_overlapping_is_error_occur),
		T(test_capture_limit_is_error_occur),
		T(test_capture_stop_of_what_does_not_run_changes_nothing),
		T(test_capture_stop_keeps_the_others_in_start_order),
		T(test_detaching_the_last_attachment_stops_the_capture),
		TM(test_capture_in_spp_mirror),
	};

	return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
