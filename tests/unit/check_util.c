#include "common.h"

#include <check.h>

#include "apiversions.h"
#include "model.h"
#include "names.h"
#include "util.h"

START_TEST(arena_zeroes_and_aligns)
{
	struct arena *a = arena_new();
	for (size_t i = 1; i < 5000; i += 97) {
		unsigned char *p = arena_alloc(a, i);
		ck_assert_uint_eq((uintptr_t)p % ARENA_ALIGN, 0);
		for (size_t j = 0; j < i; j++)
			ck_assert_uint_eq(p[j], 0);
		memset(p, 0xAB, i);
	}
	/* A block larger than a chunk. */
	char *big = arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 1;
	ck_assert_str_eq(arena_printf(a, "%s-%d", "x", 42), "x-42");
	ck_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}
END_TEST

START_TEST(arena_push_grows)
{
	struct arena *a = arena_new();
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		ARENA_PUSH(a, v, n, cap);
		v[n - 1] = i;
	}
	ck_assert_uint_eq(n, 1000);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(v[i], i);
	arena_free(a);
}
END_TEST

START_TEST(strbuf_appends)
{
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 100; i++)
		sb_printf(&sb, "%d,", i % 10);
	ck_assert_uint_eq(sb.len, 200);
	ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
	sb_reset(&sb);
	sb_putn(&sb, "a\0b", 3);
	ck_assert_uint_eq(sb.len, 3);
	sb_indent(&sb, 2);
	ck_assert(memcmp(sb.buf, "a\0b  ", 6) == 0);
	sb_free(&sb);
}
END_TEST

START_TEST(strmap_stores_many)
{
	struct arena *a = arena_new();
	struct strmap m;
	strmap_init(&m, a);
	char *keys[5000];
	for (int i = 0; i < 5000; i++) {
		keys[i] = arena_printf(a, "vnet-%d", i);
		ck_assert_ptr_null(strmap_put(&m, keys[i], keys[i]));
	}
	ck_assert_ptr_eq(strmap_put(&m, "vnet-7", keys[8]), keys[7]);
	for (int i = 0; i < 5000; i++)
		ck_assert_ptr_eq(strmap_get(&m, keys[i]), keys[i]);
	ck_assert_ptr_null(strmap_get(&m, "vnet-5000"));
	arena_free(a);
}
END_TEST

START_TEST(edit_distance_caps)
{
	ck_assert_uint_eq(edit_distance("spoke1", "spoke1", 3), 0);
	ck_assert_uint_eq(edit_distance("spoke1", "spok1", 3), 1);
	ck_assert_uint_eq(edit_distance("hub", "bhu", 3), 2);
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 3), 3);
	ck_assert_uint_eq(edit_distance("a", "abcdefgh", 3), 4);
	ck_assert_uint_eq(edit_distance("westeurope", "eastus", 2), 3);
}
END_TEST

START_TEST(closest_match_policy)
{
	static const char *const names[] = {
		"location", "resource_group", "explain", "verbose", "version", "id",
	};
	size_t n = ARRAY_SIZE(names);

	/* A third of the given name, rounded up, may be wrong. */
	ck_assert_str_eq(closest_match("locaton", names, n), "location");
	ck_assert_str_eq(closest_match("lcoaton", names, n), "location");
	ck_assert_ptr_null(closest_match("lcatn", names, n));
	ck_assert_ptr_null(closest_match("xyzxtion", names, n));
	/* Never the whole candidate: "b" is not a slip of "a". */
	ck_assert_ptr_null(closest_match("b", (const char *const[]){ "a" }, 1));
	ck_assert_str_eq(closest_match("ix", names, n), "id");
	ck_assert_str_eq(closest_match("i", (const char *const[]){ "id" }, 1), "id");
	/* Ties go to the first offered. */
	ck_assert_str_eq(closest_match("spoke", (const char *const[]){ "spoke1", "spoke2" },
				       2), "spoke1");
	ck_assert_str_eq(closest_match("versio", names, n), "version");
	/* Nothing near: the one name that starts with it; none when several do. */
	ck_assert_str_eq(closest_match("expl", names, n), "explain");
	ck_assert_ptr_null(closest_match("ve", names, n));
	ck_assert_ptr_null(closest_match("ver", names, n));
	ck_assert_str_eq(closest_match("resource", names, n), "resource_group");
	ck_assert_ptr_null(closest_match("anything", names, 0));
}
END_TEST

START_TEST(lower_and_unique_names)
{
	struct arena *a = arena_new();
	struct strmap used;

	ck_assert_int_eq(ascii_lower('Q'), 'q');
	ck_assert_int_eq(ascii_lower('q'), 'q');
	ck_assert_int_eq(ascii_lower('-'), '-');
	ck_assert_int_eq(ascii_lower((char)0xC4), (char)0xC4);
	ck_assert_str_eq(arena_lower(a, "RG-Hub.Prod(1)"), "rg-hub.prod(1)");

	strmap_init(&used, a);
	ck_assert_str_eq(unique_name(a, &used, "hub", "_", false, NULL), "hub");
	ck_assert_str_eq(unique_name(a, &used, "hub", "_", false, NULL), "hub_2");
	ck_assert_str_eq(unique_name(a, &used, "HUB", "_", false, NULL), "HUB");
	ck_assert_str_eq(unique_name(a, &used, "hub", "_", false, NULL), "hub_3");

	strmap_init(&used, a);
	ck_assert_str_eq(unique_name(a, &used, "Hub", "", true, NULL), "Hub");
	ck_assert_str_eq(unique_name(a, &used, "hUB", "", true, NULL), "hUB2");
	ck_assert_ptr_nonnull(strmap_get(&used, "hub2"));
	arena_free(a);
}
END_TEST

static bool no_true(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "true2") == 0;
}

START_TEST(unique_names_skip_reserved)
{
	struct arena *a = arena_new();
	struct strmap used;

	strmap_init(&used, a);
	ck_assert_str_eq(unique_name(a, &used, "true", "", false, no_true), "true3");
	ck_assert_str_eq(unique_name(a, &used, "hub", "", false, no_true), "hub");
	arena_free(a);
}
END_TEST

START_TEST(azure_name_rules)
{
	char buf[64];

	ck_assert_ptr_null(name_problem(NAME_VNET, "vnet-hub_01", buf, sizeof(buf)));
	ck_assert_str_eq(name_problem(NAME_VNET, "v", buf, sizeof(buf)),
			 "it is shorter than 2 characters");
	ck_assert_str_eq(name_problem(NAME_SUBNET, "", buf, sizeof(buf)), "it is empty");
	ck_assert_str_eq(name_problem(NAME_VNET, "-hub", buf, sizeof(buf)),
			 "it must start with a letter or digit");
	ck_assert_str_eq(name_problem(NAME_PEERING, "a-to-b.", buf, sizeof(buf)),
			 "it must end with a letter, a digit or '_'");
	ck_assert_ptr_null(name_problem(NAME_ROUTE, "to-spoke_", buf, sizeof(buf)));
	ck_assert_str_eq(name_problem(NAME_ROUTE_TABLE, "rt spoke", buf, sizeof(buf)),
			 "it has the character ' '");
	ck_assert_str_eq(name_problem(NAME_ROUTE_TABLE, "rt\tx", buf, sizeof(buf)),
			 "it has the byte 0x09");
	ck_assert_str_eq(name_problem(NAME_VNET, "z\xc3\xbcrich", buf, sizeof(buf)),
			 "it has the byte 0xc3");
	/* 80 is the most for a route table, 64 for a VNet */
	char long_name[82];
	memset(long_name, 'r', 81);
	long_name[81] = '\0';
	ck_assert_str_eq(name_problem(NAME_ROUTE_TABLE, long_name, buf, sizeof(buf)),
			 "it is longer than 80 characters");
	long_name[80] = '\0';
	ck_assert_ptr_null(name_problem(NAME_ROUTE_TABLE, long_name, buf, sizeof(buf)));
	ck_assert_uint_eq(name_rule(NAME_VNET)->max, 64);
	/* resource groups: Unicode letters and parentheses, not a final '.' */
	ck_assert_ptr_null(name_problem(NAME_RESOURCE_GROUP, "rg-z\xc3\xbcrich(1)", buf,
					sizeof(buf)));
	ck_assert_str_eq(name_problem(NAME_RESOURCE_GROUP, "rg.", buf, sizeof(buf)),
			 "it must not end with '.'");
	ck_assert_str_eq(name_problem(NAME_DEPLOYMENT, "peerc-rg/x", buf, sizeof(buf)),
			 "it has the character '/'");
}
END_TEST

START_TEST(api_versions)
{
	struct model m = { 0 };
	ck_assert_str_eq(api_version_for(&m, "Microsoft.Network/virtualNetworks"),
			 PEERC_DEFAULT_API_VERSION);
	m.api_version = "2024-05-01";
	ck_assert_str_eq(api_version_for(&m, "Microsoft.Network/routeTables"),
			 "2024-05-01");
	ck_assert_str_eq(api_version_for(&m, "Microsoft.Resources/deployments"),
			 "2025-04-01");
	ck_assert(api_version_valid("2025-07-01"));
	ck_assert(!api_version_valid("2025-07-01-preview"));
	ck_assert(!api_version_valid("2025-7-01"));
	ck_assert(!api_version_valid("2025/07/01"));
	ck_assert(!api_version_valid(""));
}
END_TEST

/* ----------------------------------------------- running out of memory */

/* ASan reports an impossible allocation and aborts, unless told to return
 * NULL as malloc does: what these tests need. */
#ifdef __SANITIZE_ADDRESS__
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/* Each of these asks for more than any machine has: peerc says so and exits
 * with status 2 (Check's exit tests), never aborts. The exact message is
 * asserted by tests/hostile/hostile.sh. */
START_TEST(oom_xmalloc)
{
	ck_assert_ptr_null(xmalloc(SIZE_MAX / 4));
}
END_TEST

START_TEST(oom_xcalloc)
{
	ck_assert_ptr_null(xcalloc(SIZE_MAX / 4, 8));
}
END_TEST

START_TEST(oom_xrealloc)
{
	ck_assert_ptr_null(xrealloc(xmalloc(8), SIZE_MAX / 4));
}
END_TEST

START_TEST(oom_arena)
{
	struct arena *a = arena_new();
	arena_set_phase(a, "testing");
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX / 4));
}
END_TEST

START_TEST(oom_arena_size_overflows)
{
	ck_assert_ptr_null(arena_alloc(arena_new(), SIZE_MAX - 3));
}
END_TEST

START_TEST(oom_strbuf)
{
	struct strbuf sb;
	sb_init(&sb);
	sb.what = "testing";
	sb_indent(&sb, SIZE_MAX / 4);
	ck_assert_ptr_null(sb.buf);
}
END_TEST

START_TEST(oom_strbuf_size_overflows)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_putc(&sb, 'x');
	sb_indent(&sb, SIZE_MAX - 1);
	ck_assert_ptr_null(sb.buf);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, arena_zeroes_and_aligns);
	tcase_add_test(tc, arena_push_grows);
	tcase_add_test(tc, strbuf_appends);
	tcase_add_test(tc, strmap_stores_many);
	tcase_add_test(tc, edit_distance_caps);
	tcase_add_test(tc, closest_match_policy);
	tcase_add_test(tc, lower_and_unique_names);
	tcase_add_test(tc, unique_names_skip_reserved);
	tcase_add_test(tc, azure_name_rules);
	tcase_add_test(tc, api_versions);
	suite_add_tcase(s, tc);
	TCase *oom = tcase_create("out of memory");
	tcase_add_exit_test(oom, oom_xmalloc, 2);
	tcase_add_exit_test(oom, oom_xcalloc, 2);
	tcase_add_exit_test(oom, oom_xrealloc, 2);
	tcase_add_exit_test(oom, oom_arena, 2);
	tcase_add_exit_test(oom, oom_arena_size_overflows, 2);
	tcase_add_exit_test(oom, oom_strbuf, 2);
	tcase_add_exit_test(oom, oom_strbuf_size_overflows, 2);
	suite_add_tcase(s, oom);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
