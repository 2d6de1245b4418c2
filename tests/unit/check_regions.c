#include "common.h"

#include <check.h>

#include "regions.h"

START_TEST(table_is_sorted_and_unique)
{
	ck_assert_uint_ge(region_count(), 56);
	for (size_t i = 1; i < region_count(); i++)
		ck_assert_msg(strcmp(region_at(i - 1), region_at(i)) < 0, "%s",
			      region_at(i));
	for (size_t i = 0; i < region_count(); i++)
		ck_assert(region_known(region_at(i)));
}
END_TEST

START_TEST(known_names)
{
	ck_assert(region_known("westeurope"));
	ck_assert(region_known("northeurope"));
	ck_assert(region_known("eastus2"));
	ck_assert(region_known("swedencentral"));
	ck_assert(region_known("australiacentral2"));
	ck_assert(!region_known("WestEurope")); /* programmatic names are lower case */
	ck_assert(!region_known("west europe"));
	ck_assert(!region_known("westeurop"));
	ck_assert(!region_known(""));
}
END_TEST

START_TEST(hints)
{
	ck_assert_str_eq(region_hint("West Europe"), "westeurope");
	ck_assert_str_eq(region_hint("west-europe"), "westeurope");
	ck_assert_str_eq(region_hint("EastUS2"), "eastus2");
	ck_assert_str_eq(region_hint("westeurop"), "westeurope");
	ck_assert_str_eq(region_hint("northeurpoe"), "northeurope");
	ck_assert_str_eq(region_hint("swedencentrl"), "swedencentral");
	ck_assert_str_eq(region_hint("uksoth"), "uksouth");
	ck_assert_ptr_null(region_hint("mars"));
	ck_assert_ptr_null(region_hint("antarcticasouth"));
	ck_assert_ptr_null(region_hint(""));
	ck_assert_ptr_null(region_hint("a-very-long-name-that-is-no-region-at-all-"
				       "and-longer-than-any-region-could-be"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("regions");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, table_is_sorted_and_unique);
	tcase_add_test(tc, known_names);
	tcase_add_test(tc, hints);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
