/* The check framework: the table, prerequisites, levels and -W options. */
#include "common.h"

#include <check.h>

#include "checks.h"
#include "diag.h"
#include "util.h"

static void report_one(struct check_ctx *ctx)
{
	check_report(ctx, LOC_NONE, "%s found a problem", ctx->check->name);
}

static void report_none(struct check_ctx *ctx)
{
	(void)ctx;
}

static const struct check test_table[] = {
	{ "always-fail", CHECK_ERROR, "fails", report_one, { NULL } },
	{ "needs-fail", CHECK_ERROR, "needs always-fail", report_one, { "always-fail" } },
	{ "needs-skipped", CHECK_WARNING, "needs needs-fail", report_one, { "needs-fail" } },
	{ "quiet", CHECK_ERROR, "finds nothing", report_none, { NULL } },
	{ "needs-quiet", CHECK_WARNING, "needs quiet", report_one, { "quiet" } },
	{ "off-by-default", CHECK_OFF, "only when asked", report_one, { NULL } },
	{ "needs-off", CHECK_WARNING, "needs a check that is off", report_one,
	  { "quiet", "off-by-default" } },
};
#define NTEST ARRAY_SIZE(test_table)

struct run {
	struct arena *a;
	struct diag_list diags;
	enum check_status status[NTEST];
};

static void run_with(struct run *r, const struct warn_opts *opts)
{
	r->a = arena_new();
	diag_list_init(&r->diags, r->a, opts, 0);
	checks_run_table(test_table, NTEST, NULL, &r->diags, r->status);
}

static const struct diag *fired(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (strcmp(r->diags.items[i].name, name) == 0)
			return &r->diags.items[i];
	return NULL;
}

START_TEST(prerequisites_hold_back_dependents)
{
	struct run r;
	run_with(&r, NULL);
	ck_assert_int_eq(r.status[0], CHECK_FAILED);
	ck_assert_int_eq(r.status[1], CHECK_SKIPPED);
	ck_assert_int_eq(r.status[2], CHECK_SKIPPED); /* a skipped prereq skips too */
	ck_assert_int_eq(r.status[3], CHECK_PASSED);
	ck_assert_int_eq(r.status[4], CHECK_FAILED);
	ck_assert_ptr_nonnull(fired(&r, "always-fail"));
	ck_assert_ptr_null(fired(&r, "needs-fail"));
	ck_assert_ptr_null(fired(&r, "needs-skipped"));
	ck_assert_ptr_nonnull(fired(&r, "needs-quiet"));
	arena_free(r.a);
}
END_TEST

START_TEST(levels_give_severity)
{
	struct run r;
	run_with(&r, NULL);
	ck_assert_int_eq(fired(&r, "always-fail")->severity, DIAG_ERROR);
	ck_assert_int_eq(fired(&r, "needs-quiet")->severity, DIAG_WARNING);
	ck_assert_str_eq(fired(&r, "always-fail")->msg, "always-fail found a problem");
	ck_assert_uint_eq(r.diags.nerrors, 1);
	ck_assert_uint_eq(r.diags.nwarnings, 2);
	arena_free(r.a);
}
END_TEST

START_TEST(off_checks_run_only_when_asked)
{
	struct run r;
	run_with(&r, NULL);
	ck_assert_int_eq(r.status[5], CHECK_NOT_RUN);
	ck_assert_ptr_null(fired(&r, "off-by-default"));
	/* a check that did not run holds nothing back */
	ck_assert_int_eq(r.status[6], CHECK_FAILED);
	arena_free(r.a);

	struct warn_rule on = { "off-by-default", WARN_ENABLE };
	struct warn_opts opts = { false, &on, 1 };
	run_with(&r, &opts);
	ck_assert_int_eq(r.status[5], CHECK_FAILED);
	ck_assert_int_eq(fired(&r, "off-by-default")->severity, DIAG_WARNING);
	ck_assert_int_eq(r.status[6], CHECK_SKIPPED);
	arena_free(r.a);
}
END_TEST

START_TEST(w_options_hide_and_promote)
{
	struct warn_rule rules[] = {
		{ "needs-quiet", WARN_DISABLE },
		{ "needs-off", WARN_AS_ERROR },
	};
	struct warn_opts opts = { false, rules, 2 };
	struct run r;
	run_with(&r, &opts);
	/* hidden, but it still found the problem */
	ck_assert_ptr_null(fired(&r, "needs-quiet"));
	ck_assert_int_eq(r.status[4], CHECK_FAILED);
	const struct diag *d = fired(&r, "needs-off");
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert(d->promoted);
	arena_free(r.a);

	struct warn_opts all = { true, NULL, 0 };
	run_with(&r, &all);
	ck_assert_int_eq(fired(&r, "needs-quiet")->severity, DIAG_ERROR);
	ck_assert_uint_eq(r.diags.nwarnings, 0);
	arena_free(r.a);
}
END_TEST

/* The real table: names are kebab-case and unique, prerequisites come first,
 * and check_find / check_at agree. */
START_TEST(builtin_table_is_well_formed)
{
	ck_assert_uint_gt(check_count(), 0);
	for (size_t i = 0; i < check_count(); i++) {
		const struct check *c = check_at(i);
		ck_assert_ptr_eq(check_find(c->name), c);
		ck_assert_ptr_nonnull(c->fn);
		ck_assert_ptr_nonnull(c->summary);
		for (const char *p = c->name; *p; p++)
			ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
					      *p == '-',
				      "%s is not kebab-case", c->name);
		for (size_t k = 0; k < CHECK_MAX_PREREQS && c->prereqs[k]; k++) {
			const struct check *p = check_find(c->prereqs[k]);
			ck_assert_msg(p && p < c, "%s: prerequisite %s must come first",
				      c->name, c->prereqs[k]);
		}
	}
	ck_assert_ptr_null(check_at(check_count()));
	ck_assert_ptr_null(check_find("no-such-check"));
	ck_assert_int_eq(check_find("peering-limit")->level, CHECK_ERROR);
	ck_assert_int_eq(check_find("unpeered-vnet")->level, CHECK_WARNING);
}
END_TEST

static Suite *checks_suite(void)
{
	Suite *s = suite_create("checks");
	TCase *tc = tcase_create("framework");
	tcase_add_test(tc, prerequisites_hold_back_dependents);
	tcase_add_test(tc, levels_give_severity);
	tcase_add_test(tc, off_checks_run_only_when_asked);
	tcase_add_test(tc, w_options_hide_and_promote);
	tcase_add_test(tc, builtin_table_is_well_formed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(checks_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
