#include "common.h"

#include <check.h>

#include "apiversions.h"
#include "model.h"
#include "util.h"

START_TEST(arena_zeroes_and_aligns)
{
	struct arena *a = arena_new();
	for (size_t i = 1; i < 5000; i += 97) {
		unsigned char *p = arena_alloc(a, i);
		ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
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
