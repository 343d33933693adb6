/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command framing (SPEC §4.3): terminators, '\r', blank and padding
 * commands, silence, and the 4096-byte limit (terminator included).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spp_stream.h"

#define MAX_EVENTS	16

struct event {
	enum spp_stream_event ev;
	char text[SPP_CMD_MAX_SIZE + 1];
};

struct fixture {
	struct spp_stream s;
	int nb_events;
	struct event events[MAX_EVENTS];
};

static void
record(void *arg, enum spp_stream_event ev, const char *text)
{
	struct fixture *f = arg;

	assert_true(f->nb_events < MAX_EVENTS);
	assert_non_null(text);
	f->events[f->nb_events].ev = ev;
	assert_true(strlen(text) <= SPP_CMD_MAX_SIZE);
	strcpy(f->events[f->nb_events].text, text);
	f->nb_events++;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	/* Garbage first: init must not rely on a zeroed struct. */
	memset(&f->s, 0x5a, sizeof(f->s));
	spp_stream_init(&f->s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
feed(struct fixture *f, const char *data, size_t size)
{
	spp_stream_feed(&f->s, data, size, record, f);
}

/* Feed a C string (without its NUL). */
static void
feed_str(struct fixture *f, const char *str)
{
	feed(f, str, strlen(str));
}

static void
silence(struct fixture *f)
{
	spp_stream_silence(&f->s, record, f);
}

static void
assert_command(const struct fixture *f, int i, const char *text)
{
	assert_true(i < f->nb_events);
	assert_int_equal(f->events[i].ev, SPP_STREAM_COMMAND);
	assert_string_equal(f->events[i].text, text);
}

#define FIX	struct fixture *f = *state

static void
test_newline_terminated_command_is_one_command(void **state)
{
	FIX;
	feed_str(f, "status\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
	assert_false(spp_stream_pending(&f->s));
}

static void
test_unterminated_command_waits_for_silence(void **state)
{
	FIX;
	feed_str(f, "status");
	assert_int_equal(f->nb_events, 0);
	assert_true(spp_stream_pending(&f->s));
	silence(f);
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
	assert_false(spp_stream_pending(&f->s));
}

static void
test_silence_without_pending_bytes_is_no_event(void **state)
{
	FIX;
	silence(f);
	feed_str(f, "status\n");
	silence(f);
	assert_int_equal(f->nb_events, 1);
}

static void
test_two_commands_in_one_read_run_in_order(void **state)
{
	FIX;
	feed_str(f, "a\nb\n");
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "a");
	assert_command(f, 1, "b");
}

static void
test_terminated_then_unterminated_command(void **state)
{
	FIX;
	feed_str(f, "status\ncomponent stop x");
	assert_int_equal(f->nb_events, 1);
	silence(f);
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "status");
	assert_command(f, 1, "component stop x");
}

static void
test_crlf_terminated_command_drops_cr(void **state)
{
	FIX;
	feed_str(f, "status\r\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
}

static void
test_cr_inside_command_is_dropped(void **state)
{
	FIX;
	feed_str(f, "sta\rtus\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
}

static void
test_cr_alone_does_not_terminate(void **state)
{
	FIX;
	feed_str(f, "status\r");
	assert_int_equal(f->nb_events, 0);
	feed_str(f, "\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
}

static void
test_one_byte_feeds_form_the_same_commands(void **state)
{
	FIX;
	const char *in = "port add ring:0 rx fwd\r\nstatus\n";

	for (size_t i = 0; i < strlen(in); i++)
		feed(f, in + i, 1);
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "port add ring:0 rx fwd");
	assert_command(f, 1, "status");
}

static void
test_command_split_across_reads_is_one_command(void **state)
{
	FIX;
	feed_str(f, "comp");
	feed_str(f, "onent sta");
	feed_str(f, "rt fwd 3 forward\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "component start fwd 3 forward");
}

static void
test_nul_terminates_a_command(void **state)
{
	FIX;
	feed(f, "status\0exit\0", 12);
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "status");
	assert_command(f, 1, "exit");
}

static void
test_newline_then_nul_gives_one_reply(void **state)
{
	FIX;
	feed(f, "status\n\0", 8);
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
}

static void
test_crlf_then_newline_gives_one_reply(void **state)
{
	FIX;
	feed_str(f, "status\r\n\n");
	assert_int_equal(f->nb_events, 1);
	assert_command(f, 0, "status");
}

static void
test_nul_padding_is_no_event(void **state)
{
	FIX;
	char pad[64];

	memset(pad, 0, sizeof(pad));
	feed(f, pad, sizeof(pad));
	silence(f);
	assert_int_equal(f->nb_events, 0);
}

static void
test_command_after_nul_padding_is_intact(void **state)
{
	FIX;
	char in[40] = "status";

	/* Upstream's primary padded replies with NULs: "status" + 33 NULs. */
	feed(f, in, sizeof(in));
	feed_str(f, "exit\n");
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "status");
	assert_command(f, 1, "exit");
}

static void
test_terminated_blank_command_is_no_event(void **state)
{
	FIX;
	feed_str(f, " \t \n");
	assert_int_equal(f->nb_events, 0);
	assert_false(spp_stream_pending(&f->s));
}

static void
test_terminated_cr_only_command_is_no_event(void **state)
{
	FIX;
	feed_str(f, "\r\n");
	assert_int_equal(f->nb_events, 0);
}

static void
test_empty_lines_are_no_event(void **state)
{
	FIX;
	feed_str(f, "\n\n\n");
	assert_int_equal(f->nb_events, 0);
}

static void
test_unterminated_blanks_and_silence_is_blank(void **state)
{
	FIX;
	feed_str(f, "  \t ");
	assert_int_equal(f->nb_events, 0);
	silence(f);
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_BLANK);
	assert_false(spp_stream_pending(&f->s));
}

static void
fill(struct fixture *f, size_t n, char c)
{
	char *buf = malloc(n);

	assert_non_null(buf);
	memset(buf, c, n);
	feed(f, buf, n);
	free(buf);
}

static void
test_4095_byte_command_is_accepted(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE - 1, 'a');
	assert_int_equal(f->nb_events, 0);
	feed_str(f, "\n");
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_COMMAND);
	assert_int_equal(strlen(f->events[0].text), SPP_CMD_MAX_SIZE - 1);
}

static void
test_4095_unterminated_bytes_and_silence_is_a_command(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE - 1, 'a');
	silence(f);
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_COMMAND);
	assert_int_equal(strlen(f->events[0].text), SPP_CMD_MAX_SIZE - 1);
}

static void
test_4096_bytes_without_terminator_is_too_long_at_once(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE, 'a');
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_TOO_LONG);
}

static void
test_cr_does_not_count_toward_the_limit(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE - 1, 'a');
	fill(f, 10, '\r');
	feed_str(f, "\n");
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_COMMAND);
}

static void
test_too_long_is_reported_once_while_discarding(void **state)
{
	FIX;
	fill(f, 3 * SPP_CMD_MAX_SIZE, 'a');
	assert_int_equal(f->nb_events, 1);
	assert_int_equal(f->events[0].ev, SPP_STREAM_TOO_LONG);
	assert_true(spp_stream_pending(&f->s));
}

static void
test_discard_ends_at_the_terminator_and_next_command_runs(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE + 100, 'a');
	feed_str(f, "tail of the long one\nstatus\n");
	assert_int_equal(f->nb_events, 2);
	assert_int_equal(f->events[0].ev, SPP_STREAM_TOO_LONG);
	assert_command(f, 1, "status");
}

static void
test_discard_ends_at_nul(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE + 1, 'a');
	feed(f, "x\0status\n", 9);
	assert_int_equal(f->nb_events, 2);
	assert_int_equal(f->events[0].ev, SPP_STREAM_TOO_LONG);
	assert_command(f, 1, "status");
}

static void
test_discard_ends_on_silence(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE + 50, 'a');
	silence(f);
	/* Silence ends the discard without a second reply. */
	assert_int_equal(f->nb_events, 1);
	assert_false(spp_stream_pending(&f->s));
	feed_str(f, "status\n");
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 1, "status");
}

static void
test_terminator_right_after_too_long_ends_the_discard(void **state)
{
	FIX;
	fill(f, SPP_CMD_MAX_SIZE + 1, 'a');
	feed_str(f, "\nexit\n");
	assert_int_equal(f->nb_events, 2);
	assert_int_equal(f->events[0].ev, SPP_STREAM_TOO_LONG);
	assert_command(f, 1, "exit");
}

static void
test_commands_before_an_over_long_one_still_run(void **state)
{
	FIX;
	feed_str(f, "status\n");
	fill(f, SPP_CMD_MAX_SIZE + 1, 'b');
	assert_int_equal(f->nb_events, 2);
	assert_command(f, 0, "status");
	assert_int_equal(f->events[1].ev, SPP_STREAM_TOO_LONG);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_newline_terminated_command_is_one_command),
		T(test_unterminated_command_waits_for_silence),
		T(test_silence_without_pending_bytes_is_no_event),
		T(test_two_commands_in_one_read_run_in_order),
		T(test_terminated_then_unterminated_command),
		T(test_crlf_terminated_command_drops_cr),
		T(test_cr_inside_command_is_dropped),
		T(test_cr_alone_does_not_terminate),
		T(test_one_byte_feeds_form_the_same_commands),
		T(test_command_split_across_reads_is_one_command),
		T(test_nul_terminates_a_command),
		T(test_newline_then_nul_gives_one_reply),
		T(test_crlf_then_newline_gives_one_reply),
		T(test_nul_padding_is_no_event),
		T(test_command_after_nul_padding_is_intact),
		T(test_terminated_blank_command_is_no_event),
		T(test_terminated_cr_only_command_is_no_event),
		T(test_empty_lines_are_no_event),
		T(test_unterminated_blanks_and_silence_is_blank),
		T(test_4095_byte_command_is_accepted),
		T(test_4095_unterminated_bytes_and_silence_is_a_command),
		T(test_4096_bytes_without_terminator_is_too_long_at_once),
		T(test_cr_does_not_count_toward_the_limit),
		T(test_too_long_is_reported_once_while_discarding),
		T(test_discard_ends_at_the_terminator_and_next_command_runs),
		T(test_discard_ends_at_nul),
		T(test_discard_ends_on_silence),
		T(test_terminator_right_after_too_long_ends_the_discard),
		T(test_commands_before_an_over_long_one_still_run),
	};

	return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}
