#include "common.h"

#include <check.h>

#include "textdiff.h"
#include "util.h"

/* The length of a longest common subsequence, the slow and obvious way. */
static size_t lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t *row = xcalloc(m + 1, sizeof(*row));

	for (size_t i = 1; i <= n; i++) {
		size_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			row[j] = a[i - 1] == b[j - 1] ? diag + 1 :
				 up > row[j - 1] ? up : row[j - 1];
			diag = up;
		}
	}
	size_t r = row[m];
	free(row);
	return r;
}

/* What the script keeps of a must be what it keeps of b, in order. */
static void assert_script_valid(const uint32_t *a, size_t n, const bool *adel,
				const uint32_t *b, size_t m, const bool *bins)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < n && adel[i])
			i++;
		while (j < m && bins[j])
			j++;
		if (i == n || j == m)
			break;
		ck_assert_uint_eq(a[i], b[j]);
		i++;
		j++;
	}
	ck_assert_uint_eq(i, n);
	ck_assert_uint_eq(j, m);
}

START_TEST(random_scripts_are_shortest)
{
	uint32_t seed = 12345;
	uint32_t a[60], b[60];
	bool adel[60], bins[60];

	for (int round = 0; round < 3000; round++) {
		/* A small alphabet makes many equal elements and many ties. */
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 16) % 40, m;
		seed = seed * 1103515245u + 12345u;
		m = (seed >> 16) % 40 + (round % 7 == 0 ? 20 : 0);
		uint32_t alphabet = 2 + round % 5;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (seed >> 16) % alphabet;
		}
		for (size_t j = 0; j < m; j++) {
			seed = seed * 1103515245u + 12345u;
			b[j] = (seed >> 16) % alphabet;
		}
		memset(adel, 0, sizeof(adel));
		memset(bins, 0, sizeof(bins));
		size_t d = diff_seq(a, n, b, m, adel, bins);
		ck_assert_uint_eq(d, n + m - 2 * lcs(a, n, b, m));
		assert_script_valid(a, n, adel, b, m, bins);
	}
}
END_TEST

START_TEST(large_inputs_with_few_changes_are_fast)
{
	/* 200,000 lines with three edits: O(ND) is instant, O(NM) is not. */
	size_t n = 200000;
	uint32_t *a = xcalloc(n, sizeof(*a)), *b = xcalloc(n, sizeof(*b));
	bool *adel = xcalloc(n, 1), *bins = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		a[i] = b[i] = (uint32_t)i;
	b[10] = 1000000;
	b[n / 2] = 1000001;
	ck_assert_uint_eq(diff_seq(a, n, b, n - 1, adel, bins), 5);
	ck_assert(adel[10] && adel[n / 2] && adel[n - 1]);
	ck_assert(bins[10] && bins[n / 2]);
	free(a);
	free(b);
	free(adel);
	free(bins);
}
END_TEST

START_TEST(large_inputs_with_many_changes_are_fast)
{
	/* Nothing in common, then a random mix with a few thousand edits:
	 * past DIFF_COST_LIMIT the search splits where it got to rather than
	 * spend time quadratic in the edits; the script stays valid. */
	size_t n = 30000;
	uint32_t *a = xcalloc(n, sizeof(*a)), *b = xcalloc(n, sizeof(*b));
	bool *adel = xcalloc(n, 1), *bins = xcalloc(n, 1);
	uint32_t seed = 7;
	for (size_t i = 0; i < n; i++) {
		a[i] = (uint32_t)i;
		b[i] = (uint32_t)(n + i);
	}
	ck_assert_uint_eq(diff_seq(a, n, b, n, adel, bins), 2 * n);
	assert_script_valid(a, n, adel, b, n, bins);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		a[i] = (seed >> 16) % 4;
		seed = seed * 1103515245u + 12345u;
		b[i] = (seed >> 16) % 4;
	}
	memset(adel, 0, n);
	memset(bins, 0, n);
	ck_assert_uint_gt(diff_seq(a, n, b, n, adel, bins), 2000);
	assert_script_valid(a, n, adel, b, n, bins);
	free(a);
	free(b);
	free(adel);
	free(bins);
}
END_TEST

static char *unified(const char *a, const char *b)
{
	struct strbuf sb;
	sb_init(&sb);
	textdiff_unified(&sb, "a/f", a, strlen(a), "b/f", b, strlen(b));
	return sb.buf;
}

START_TEST(equal_texts_have_no_diff)
{
	char *d = unified("x\ny\n", "x\ny\n");
	ck_assert_str_eq(d, "");
	free(d);
}
END_TEST

START_TEST(one_change_with_context)
{
	char *d = unified("1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			  "1\n2\n3\n4\nfive\n6\n7\n8\n9\n");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n"
			    "@@ -2,7 +2,7 @@\n"
			    " 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	free(d);
}
END_TEST

START_TEST(far_changes_make_two_hunks)
{
	char *d = unified("a\n1\n2\n3\n4\n5\n6\n7\nb\n",
			  "A\n1\n2\n3\n4\n5\n6\n7\nB\n");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n"
			    "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n"
			    "@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n");
	free(d);
}
END_TEST

START_TEST(near_changes_share_a_hunk)
{
	char *d = unified("a\n1\n2\n3\n4\n5\n6\nb\n",
			  "A\n1\n2\n3\n4\n5\n6\nB\n");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n"
			    "@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n");
	free(d);
}
END_TEST

START_TEST(empty_sides_and_missing_newline)
{
	char *d = unified("", "new\n");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+new\n");
	free(d);
	d = unified("x\ny", "x\ny\n");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n"
			    "-y\n\\ No newline at end of file\n+y\n");
	free(d);
	d = unified("gone\n", "");
	ck_assert_str_eq(d, "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-gone\n");
	free(d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("textdiff");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, random_scripts_are_shortest);
	tcase_add_test(tc, large_inputs_with_few_changes_are_fast);
	tcase_add_test(tc, large_inputs_with_many_changes_are_fast);
	tcase_add_test(tc, equal_texts_have_no_diff);
	tcase_add_test(tc, one_change_with_context);
	tcase_add_test(tc, far_changes_make_two_hunks);
	tcase_add_test(tc, near_changes_share_a_hunk);
	tcase_add_test(tc, empty_sides_and_missing_newline);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
