#include "common.h"

#include <check.h>

#include "diag.h"
#include "srcpos.h"
#include "util.h"

/* Print one list to a string, the way the command line would. */
static char *render(const struct source *src, const struct diag_list *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diag_print_all(f, src, l, false);
	fclose(f);
	return buf;
}

static struct loc at(const struct source *src, const char *needle)
{
	const char *p = strstr(src->text, needle);
	ck_assert_ptr_nonnull(p);
	uint32_t start = (uint32_t)(p - src->text);
	return (struct loc){ start, start + (uint32_t)strlen(needle) };
}

START_TEST(linecol_is_one_based)
{
	struct arena *a = arena_new();
	struct source src;
	ck_assert(source_init(&src, a, "t.peer", "ab\ncd\r\n\nxyz", 11));
	unsigned l, c;
	source_linecol(&src, 0, &l, &c);
	ck_assert_uint_eq(l, 1);
	ck_assert_uint_eq(c, 1);
	source_linecol(&src, 4, &l, &c);
	ck_assert_uint_eq(l, 2);
	ck_assert_uint_eq(c, 2);
	source_linecol(&src, 9, &l, &c);
	ck_assert_uint_eq(l, 4);
	ck_assert_uint_eq(c, 2);
	size_t n;
	const char *line = source_line(&src, 2, &n);
	ck_assert_uint_eq(n, 2); /* the \r is not part of the line */
	ck_assert(strncmp(line, "cd", 2) == 0);
	source_line(&src, 3, &n);
	ck_assert_uint_eq(n, 0);
	arena_free(a);
}
END_TEST

START_TEST(error_with_caret_and_note)
{
	struct arena *a = arena_new();
	struct source src;
	const char *text = "vnet hub 10.0.0.0/16\nhub hub -> spok1\n";
	source_init(&src, a, "t.peer", text, strlen(text));
	struct diag_list l;
	diag_list_init(&l, a, NULL, 0);
	struct diag *d = diag_add(&l, DIAG_ERROR, "unknown-name", at(&src, "spok1"),
				  "unknown VNet '%s'", "spok1");
	diag_fixit(&l, d, at(&src, "spok1"), "spoke1");
	diag_note(&l, d, at(&src, "hub 10"), "'%s' is declared here", "hub");
	char *out = render(&src, &l);
	ck_assert_str_eq(out,
		"t.peer:2:12: error: unknown VNet 'spok1'\n"
		"    2 | hub hub -> spok1\n"
		"      |            ^~~~~\n"
		"      |            spoke1\n"
		"t.peer:1:6: note: 'hub' is declared here\n"
		"    1 | vnet hub 10.0.0.0/16\n"
		"      |      ^~~~~~\n");
	free(out);
	ck_assert_uint_eq(l.nerrors, 1);
	arena_free(a);
}
END_TEST

START_TEST(tabs_are_kept_under_the_caret)
{
	struct arena *a = arena_new();
	struct source src;
	const char *text = "\tvnet\tx";
	source_init(&src, a, "t.peer", text, strlen(text));
	struct diag_list l;
	diag_list_init(&l, a, NULL, 0);
	diag_add(&l, DIAG_ERROR, "syntax", at(&src, "x"), "bad");
	char *out = render(&src, &l);
	ck_assert_str_eq(out, "t.peer:1:7: error: bad\n"
			      "    1 | \tvnet\tx\n"
			      "      | \t    \t^\n");
	free(out);
	arena_free(a);
}
END_TEST

/* One error at needle in text, with its fix-it when there is one, printed. */
static char *render_one(const struct strbuf *text, const char *needle,
			const char *fixit)
{
	struct arena *a = arena_new();
	struct source src;
	source_init(&src, a, "t.peer", text->buf, text->len);
	struct diag_list l;
	diag_list_init(&l, a, NULL, 0);
	struct diag *d = diag_add(&l, DIAG_ERROR, "syntax", at(&src, needle),
				  "bad");
	if (fixit)
		diag_fixit(&l, d, at(&src, needle), fixit);
	char *out = render(&src, &l);
	arena_free(a);
	return out;
}

/* A one-line file with a problem on every token must not print the whole
 * line for each: a long line is shown as a window around the column. */
START_TEST(long_lines_are_cut_around_the_column)
{
	struct strbuf text, want;
	sb_init(&text);
	sb_init(&want);
	for (int i = 0; i < 400; i++)
		sb_putc(&text, 'x');
	sb_puts(&text, " spok1 ");
	for (int i = 0; i < 400; i++)
		sb_putc(&text, 'y');

	/* 200 bytes before the column, 512 in all */
	sb_puts(&want, "t.peer:1:402: error: bad\n    1 | ...");
	sb_putn(&want, text.buf + 201, 512);
	sb_puts(&want, "...\n      |    ");
	sb_indent(&want, 200);
	sb_puts(&want, "^~~~~\n      |    ");
	sb_indent(&want, 200);
	sb_puts(&want, "spoke1\n");
	char *out = render_one(&text, "spok1", "spoke1");
	ck_assert_str_eq(out, want.buf);
	free(out);
	sb_free(&text);
	sb_free(&want);
}
END_TEST

START_TEST(long_lines_are_cut_between_characters)
{
	struct strbuf text, want;
	sb_init(&text);
	sb_init(&want);
	for (int i = 0; i < 200; i++)
		sb_puts(&text, "\xe2\x82\xac"); /* a Euro sign */
	sb_puts(&text, " x");

	/* byte 400 is inside a '€': the window starts at the next one */
	sb_puts(&want, "t.peer:1:601: error: bad\n    1 | ...");
	sb_puts(&want, text.buf + 402);
	sb_puts(&want, "\n      |    ");
	sb_indent(&want, 66);
	sb_puts(&want, "^~\n");
	char *out = render_one(&text, " x", NULL);
	ck_assert_str_eq(out, want.buf);
	free(out);
	sb_free(&text);
	sb_free(&want);
}
END_TEST

START_TEST(unprintable_bytes_keep_the_caret_in_place)
{
	struct arena *a = arena_new();
	struct source src;
	/* An invalid byte, a stray continuation byte, a control character and
	 * a two-byte character before the range: each is one column. */
	const char text[] = "a\xff\x80\x01\xc3\xa9 bad";
	source_init(&src, a, "t.peer", text, sizeof(text) - 1);
	struct diag_list l;
	diag_list_init(&l, a, NULL, 0);
	diag_add(&l, DIAG_ERROR, "lexical", at(&src, "bad"), "here");
	char *out = render(&src, &l);
	ck_assert_str_eq(out, "t.peer:1:8: error: here\n"
			      "    1 | a???\xc3\xa9 bad\n"
			      "      |       ^~~\n");
	free(out);
	arena_free(a);
}
END_TEST

/* A quoted text of more than 100 characters is cut to 100 and "...", in a
 * message, a note and the fix-it shown; the location is the whole name.
 * An apostrophe inside a word is not a quote. */
START_TEST(long_quoted_text_is_shortened)
{
	struct arena *a = arena_new();
	struct source src;
	char name[301], want100[101];
	memset(name, 'n', 300);
	name[300] = '\0';
	memset(want100, 'n', 100);
	want100[100] = '\0';
	char *text = arena_printf(a, "peer a <-> %s\n", name);
	source_init(&src, a, "t.peer", text, strlen(text));
	struct diag_list l;
	diag_list_init(&l, a, NULL, 0);
	struct diag *d = diag_add(&l, DIAG_ERROR, "x", at(&src, name),
				  "unknown VNet '%s'; it's not '%s' or 'b'", name, name);
	diag_fixit(&l, d, at(&src, name), name);
	diag_note(&l, d, LOC_NONE, "'%s' can't be '%.100s'", name, name);
	ck_assert_uint_eq(d->loc.end - d->loc.start, 300);
	ck_assert_str_eq(d->fixits[0].text, name); /* kept whole for editors */
	char *out = render(&src, &l);
	char *want = arena_printf(a,
		"t.peer:1:12: error: unknown VNet '%s...'; it's not '%s...' or 'b'\n"
		"    1 | peer a <-> %s\n"
		"      |            ^%s\n"
		"      |            %s...\n"
		"t.peer: note: '%s...' can't be '%s'\n",
		want100, want100, name, arena_strndup(a, "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
		"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
		"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
		"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
		"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
		299), want100, want100, want100);
	ck_assert_str_eq(out, want);
	free(out);
	arena_free(a);
}
END_TEST

START_TEST(warning_options)
{
	struct arena *a = arena_new();
	struct source src;
	source_init(&src, a, "t.peer", "x", 1);
	struct warn_rule rules[] = {
		{ "public-address", WARN_DISABLE },
		{ "unpeered-vnet", WARN_AS_ERROR },
		{ "public-address", WARN_ENABLE },
		{ "region", WARN_DISABLE },
	};
	struct warn_opts opts = { false, rules, ARRAY_SIZE(rules) };
	struct diag_list l;
	diag_list_init(&l, a, &opts, 0);

	ck_assert_ptr_null(diag_add(&l, DIAG_WARNING, "region", LOC_NONE, "r"));
	struct diag *d = diag_add(&l, DIAG_WARNING, "public-address", LOC_NONE, "p");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	d = diag_add(&l, DIAG_WARNING, "unpeered-vnet", (struct loc){ 0, 1 }, "u");
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert(d->promoted);
	ck_assert_uint_eq(l.nerrors, 1);
	ck_assert_uint_eq(l.nwarnings, 1);

	char *out = render(&src, &l);
	ck_assert_str_eq(out, "t.peer: warning: p [-Wpublic-address]\n"
			      "t.peer:1:1: error: u [-Werror=unpeered-vnet]\n"
			      "    1 | x\n"
			      "      | ^\n");
	free(out);

	ck_assert(!warn_enabled(&opts, "region", true));
	ck_assert(warn_enabled(&opts, "public-address", false));
	ck_assert(!warn_enabled(&opts, "something-else", false));

	struct warn_opts all = { true, NULL, 0 };
	diag_list_init(&l, a, &all, 0);
	d = diag_add(&l, DIAG_WARNING, "region", LOC_NONE, "r");
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	arena_free(a);
}
END_TEST

START_TEST(error_cap)
{
	struct arena *a = arena_new();
	struct source src;
	source_init(&src, a, "t.peer", "", 0);
	struct diag_list l;
	diag_list_init(&l, a, NULL, 3);
	for (int i = 0; i < 10; i++)
		diag_add(&l, DIAG_ERROR, "syntax", LOC_NONE, "e%d", i);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_uint_eq(l.nerrors, 10);
	ck_assert(l.capped);
	char *out = render(&src, &l);
	ck_assert_str_eq(out, "t.peer: error: e0\nt.peer: error: e1\n"
			      "t.peer: error: e2\n"
			      "t.peer: note: too many errors; the rest are not shown\n");
	free(out);
	arena_free(a);
}
END_TEST

/* Whatever found them, diagnostics come out in the order of the file; a
 * note stays with its diagnostic, ties keep the order they were found in. */
START_TEST(sorted_in_file_order)
{
	struct arena *a = arena_new();
	struct source src, tmpl;
	struct diag_list l;
	const char *text = "vnet a\nvnet b\nvnet c\n";
	ck_assert(source_init(&src, a, "t.peer", text, strlen(text)));
	ck_assert(source_init(&tmpl, a, "x.tmpl", "{{x}}", 5));
	diag_list_init(&l, a, NULL, 0);
	struct diag *d = diag_add(&l, DIAG_ERROR, "late", at(&src, "c"), "third");
	d->src = &tmpl;
	diag_add(&l, DIAG_ERROR, "c", at(&src, "vnet c"), "on c");
	d = diag_add(&l, DIAG_WARNING, "a", at(&src, "vnet a"), "on a");
	diag_note(&l, d, at(&src, "vnet c"), "note of a");
	diag_add(&l, DIAG_ERROR, "b1", at(&src, "vnet b"), "first on b");
	diag_add(&l, DIAG_ERROR, "whole", LOC_NONE, "about everything");
	diag_add(&l, DIAG_ERROR, "b2", at(&src, "vnet b"), "second on b");
	diag_sort(&l);
	const char *want[] = { "whole", "a", "b1", "b2", "c", "late" };
	ck_assert_uint_eq(l.n, ARRAY_SIZE(want));
	for (size_t i = 0; i < l.n; i++)
		ck_assert_str_eq(l.items[i].name, want[i]);
	ck_assert_uint_eq(l.items[1].nnotes, 1);
	ck_assert_str_eq(l.items[1].notes[0].msg, "note of a");
	arena_free(a);
}
END_TEST

START_TEST(color_only_when_asked)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diag_print_plain(f, DIAG_ERROR, true, "no input");
	fclose(f);
	ck_assert_str_eq(buf, "\033[1mpeerc:\033[m \033[1;31merror:\033[m no input\n");
	free(buf);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, linecol_is_one_based);
	tcase_add_test(tc, error_with_caret_and_note);
	tcase_add_test(tc, tabs_are_kept_under_the_caret);
	tcase_add_test(tc, long_lines_are_cut_around_the_column);
	tcase_add_test(tc, long_lines_are_cut_between_characters);
	tcase_add_test(tc, unprintable_bytes_keep_the_caret_in_place);
	tcase_add_test(tc, long_quoted_text_is_shortened);
	tcase_add_test(tc, warning_options);
	tcase_add_test(tc, error_cap);
	tcase_add_test(tc, sorted_in_file_order);
	tcase_add_test(tc, color_only_when_asked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diag_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
