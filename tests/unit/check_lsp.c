/* The language server's two lowest layers: positions (byte offsets to LSP
 * lines and UTF-16 or UTF-8 characters and back) and the JSON-RPC framing
 * read from a pipe in pieces. The methods are tested with real clients
 * (tests/editors/) and raw streams (tests/lsp-protocol.sh). */
#include "common.h"

#include <check.h>
#include <unistd.h>

#include "lsp_pos.h"
#include "lsp_rpc.h"

/* "a\u00e9\U0001F680b": 1 + 2 + 4 + 1 bytes, 1 + 1 + 2 + 1 UTF-16 units. */
static const char mixed[] = "a\xc3\xa9\xf0\x9f\x9a\x80" "b\r\nx\ry\n";

static struct lsp_position at(const struct lsp_lines *l, uint32_t off,
			      enum lsp_encoding e)
{
	return lsp_position_of(l, off, e);
}

START_TEST(test_lines_end_three_ways)
{
	struct lsp_lines l;

	lsp_lines_init(&l, mixed, strlen(mixed));
	/* "\r\n" is one line end, a lone "\r" another, "\n" a third */
	ck_assert_uint_eq(l.n, 4);
	ck_assert_uint_eq(l.start[1], 10);
	ck_assert_uint_eq(l.start[2], 12);
	ck_assert_uint_eq(l.start[3], 14);
	ck_assert_uint_eq(at(&l, 11, LSP_UTF16).line, 1);
	ck_assert_uint_eq(at(&l, 13, LSP_UTF16).line, 2);
	lsp_lines_free(&l);
}
END_TEST

START_TEST(test_utf16_columns)
{
	struct lsp_lines l;

	lsp_lines_init(&l, mixed, strlen(mixed));
	ck_assert_uint_eq(at(&l, 1, LSP_UTF16).character, 1);  /* before é */
	ck_assert_uint_eq(at(&l, 3, LSP_UTF16).character, 2);  /* before the rocket */
	ck_assert_uint_eq(at(&l, 7, LSP_UTF16).character, 4);  /* after it: two units */
	ck_assert_uint_eq(at(&l, 8, LSP_UTF16).character, 5);
	ck_assert_uint_eq(at(&l, 7, LSP_UTF8).character, 7);
	/* and back */
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 4 }, LSP_UTF16), 7);
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 2 }, LSP_UTF16), 3);
	/* inside the surrogate pair: the character's start */
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 3 }, LSP_UTF16), 3);
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 7 }, LSP_UTF8), 7);
	lsp_lines_free(&l);
}
END_TEST

START_TEST(test_positions_past_the_end)
{
	struct lsp_lines l;

	lsp_lines_init(&l, mixed, strlen(mixed));
	/* a character past the line's end is its end, before "\r\n" */
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 99 }, LSP_UTF16), 8);
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 99 }, LSP_UTF8), 8);
	/* a line past the last is the end of the text */
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 9, 0 }, LSP_UTF16),
			  strlen(mixed));
	ck_assert_uint_eq(at(&l, 1000, LSP_UTF16).line, 3);
	lsp_lines_free(&l);
}
END_TEST

START_TEST(test_empty_text)
{
	struct lsp_lines l;

	lsp_lines_init(&l, "", 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(lsp_offset_of(&l, (struct lsp_position){ 0, 5 }, LSP_UTF16), 0);
	ck_assert_uint_eq(at(&l, 0, LSP_UTF16).character, 0);
	lsp_lines_free(&l);
}
END_TEST

/* ------------------------------------------------------------ framing */

static int feed(const char *bytes)
{
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], bytes, strlen(bytes)), (int)strlen(bytes));
	close(fd[1]);
	return fd[0];
}

START_TEST(test_two_messages_one_write)
{
	struct rpc_reader r;
	json_t *m;
	const char *err;

	rpc_reader_init(&r, feed("Content-Length: 7\r\n\r\n{\"a\":1}"
				 "content-length:2\r\nContent-Type: x\r\n\r\n[]"));
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_MESSAGE);
	ck_assert_int_eq(json_integer_value(json_object_get(m, "a")), 1);
	json_decref(m);
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_MESSAGE);
	ck_assert(json_is_array(m));
	json_decref(m);
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_EOF);
	close(r.fd);
	rpc_reader_free(&r);
}
END_TEST

START_TEST(test_bad_frames_are_skipped)
{
	struct rpc_reader r;
	json_t *m;
	const char *err;

	rpc_reader_init(&r, feed("Content-Length: 3\r\n\r\n{x}"
				 "X-Other: 1\r\n\r\n"
				 "Content-Length: 70000000\r\n\r\n{}"));
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_BAD);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_BAD);
	ck_assert_str_eq(err, "a message without a valid Content-Length header");
	/* past the limit: its body is skipped, not kept; the input ends in it */
	ck_assert_int_eq(rpc_read(&r, -1, &m, &err), RPC_EOF);
	close(r.fd);
	rpc_reader_free(&r);
}
END_TEST

START_TEST(test_timeout_and_broken_headers)
{
	struct rpc_reader r;
	int fd[2];
	json_t *m;
	const char *err;
	char junk[RPC_MAX_HEADER + 100];

	ck_assert_int_eq(pipe(fd), 0);
	rpc_reader_init(&r, fd[0]);
	ck_assert_int_eq(rpc_read(&r, 10, &m, &err), RPC_TIMEOUT);
	memset(junk, 'x', sizeof(junk));
	ck_assert_int_eq(write(fd[1], junk, sizeof(junk)), (int)sizeof(junk));
	ck_assert_int_eq(rpc_read(&r, 10, &m, &err), RPC_BROKEN);
	close(fd[0]);
	close(fd[1]);
	rpc_reader_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lsp");
	TCase *tc = tcase_create("positions");

	tcase_add_test(tc, test_lines_end_three_ways);
	tcase_add_test(tc, test_utf16_columns);
	tcase_add_test(tc, test_positions_past_the_end);
	tcase_add_test(tc, test_empty_text);
	suite_add_tcase(s, tc);
	tc = tcase_create("framing");
	tcase_add_test(tc, test_two_messages_one_write);
	tcase_add_test(tc, test_bad_frames_are_skipped);
	tcase_add_test(tc, test_timeout_and_broken_headers);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
