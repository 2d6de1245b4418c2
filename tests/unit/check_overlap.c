#include "common.h"

#include <check.h>

#include "overlap.h"
#include "util.h"

static struct ov_entry E(const char *s, uint32_t group, uint32_t owner)
{
	struct ov_entry e = { .group = group, .owner = owner };
	ck_assert_msg(ip_parse_prefix(s, strlen(s), &e.prefix), "%s", s);
	return e;
}

static const char *str(const struct ov_entry *e)
{
	static char buf[2][IP_STRLEN];
	static int k;
	k ^= 1;
	return ip_prefix_str(&e->prefix, buf[k]);
}

START_TEST(finds_nested_pairs_only)
{
	struct arena *a = arena_new();
	struct ov_entry e[] = {
		E("10.1.0.0/16", 0, 2), E("10.0.128.0/17", 0, 1),
		E("10.0.0.0/16", 0, 0), E("10.2.0.0/16", 0, 3),
	};
	struct ov_query q = { 0 };
	struct ov_result r = overlap_find(a, e, ARRAY_SIZE(e), &q);
	ck_assert_uint_eq(r.npairs, 1);
	ck_assert(!r.truncated);
	ck_assert_uint_eq(r.pairs[0].outer->owner, 0);
	ck_assert_uint_eq(r.pairs[0].inner->owner, 1);
	ck_assert_str_eq(str(r.pairs[0].outer), "10.0.0.0/16");
	ck_assert_str_eq(str(r.pairs[0].inner), "10.0.128.0/17");
	arena_free(a);
}
END_TEST

START_TEST(nothing_to_sweep)
{
	struct arena *a = arena_new();
	struct ov_query q = { 0 };
	struct ov_result r = overlap_find(a, NULL, 0, &q);
	ck_assert_uint_eq(r.npairs, 0);
	ck_assert(!r.truncated);
	arena_free(a);
}
END_TEST

START_TEST(chains_families_and_groups)
{
	struct arena *a = arena_new();
	struct ov_entry e[] = {
		E("10.0.0.0/24", 0, 2), E("10.0.0.0/8", 0, 0),
		E("10.0.0.0/16", 0, 1), E("::/0", 0, 3),
		E("fd00:0:0:1::/64", 0, 5), E("fd00::/48", 0, 4),
		E("10.0.0.0/8", 1, 6), /* another group: no pair with group 0 */
		E("10.0.0.0/30", 0, 7), E("10.0.0.4/30", 0, 8),
	};
	struct ov_query q = { 0 };
	struct ov_result r = overlap_find(a, e, ARRAY_SIZE(e), &q);
	/* /8-/16 /8-/24 /16-/24 and the two /30s in each of the three;
	 * ::/0 with the two IPv6 prefixes, /48 with the /64. */
	ck_assert_uint_eq(r.npairs, 3 + 6 + 3);
	for (size_t i = 0; i < r.npairs; i++) {
		ck_assert(ip_prefix_overlap(&r.pairs[i].outer->prefix,
					    &r.pairs[i].inner->prefix));
		ck_assert(ip_prefix_contains(&r.pairs[i].outer->prefix,
					     &r.pairs[i].inner->prefix));
		ck_assert_uint_eq(r.pairs[i].outer->group, 0);
		ck_assert_uint_eq(r.pairs[i].inner->group, 0);
	}
	arena_free(a);
}
END_TEST

START_TEST(ignores_host_bits)
{
	struct arena *a = arena_new();
	struct ov_entry e[] = { E("10.0.0.1/16", 0, 0), E("10.0.255.0/24", 0, 1) };
	struct ov_query q = { 0 };
	struct ov_result r = overlap_find(a, e, ARRAY_SIZE(e), &q);
	ck_assert_uint_eq(r.npairs, 1);
	ck_assert_uint_eq(r.pairs[0].outer->owner, 0);
	arena_free(a);
}
END_TEST

static bool not_owner_3(const struct ov_entry *x, const struct ov_entry *y,
			const void *ctx)
{
	const uint32_t *skip = ctx;
	return x->owner != *skip && y->owner != *skip;
}

START_TEST(filters_and_caps)
{
	struct arena *a = arena_new();
	struct ov_entry e[10];
	for (uint32_t i = 0; i < 10; i++)
		e[i] = E("10.0.0.0/16", 0, i / 2);
	struct ov_query q = { .max_pairs = 100 };
	struct ov_result r = overlap_find(a, e, 10, &q);
	ck_assert_uint_eq(r.npairs, 45);
	ck_assert(!r.truncated);

	q.distinct_owners = true;
	r = overlap_find(a, e, 10, &q);
	ck_assert_uint_eq(r.npairs, 45 - 5);
	for (size_t i = 0; i < r.npairs; i++)
		ck_assert_uint_ne(r.pairs[i].outer->owner, r.pairs[i].inner->owner);

	uint32_t skip = 3;
	q.keep = not_owner_3;
	q.ctx = &skip;
	r = overlap_find(a, e, 10, &q);
	/* 4 owners of 2 entries each, minus the pairs within an owner */
	ck_assert_uint_eq(r.npairs, 8 * 7 / 2 - 4);

	q = (struct ov_query){ .max_pairs = 5 };
	r = overlap_find(a, e, 10, &q);
	ck_assert_uint_eq(r.npairs, 5);
	ck_assert(r.truncated);
	arena_free(a);
}
END_TEST

/* A deterministic pseudo-random sequence (LCG), for reproducible tests. */
static uint32_t rnd(uint64_t *state)
{
	*state = *state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*state >> 33);
}

static struct ov_entry random_v4(uint64_t *st, uint32_t owner)
{
	struct ov_entry e = { .owner = owner };
	uint32_t v = 0x0a000000u | (rnd(st) & 0x0000ffffu) << 8;
	e.prefix.addr.family = IP_V4;
	for (int i = 0; i < 4; i++)
		e.prefix.addr.b[i] = (uint8_t)(v >> (24 - 8 * i));
	e.prefix.len = 14 + rnd(st) % 15;
	e.prefix = ip_prefix_masked(&e.prefix);
	return e;
}

START_TEST(agrees_with_brute_force)
{
	struct arena *a = arena_new();
	uint64_t st = 42;
	enum { N = 300 };
	struct ov_entry e[N], orig[N];
	for (uint32_t i = 0; i < N; i++)
		orig[i] = e[i] = random_v4(&st, i);
	size_t expect = 0;
	for (size_t i = 0; i < N; i++)
		for (size_t j = i + 1; j < N; j++)
			expect += ip_prefix_overlap(&orig[i].prefix, &orig[j].prefix);
	struct ov_query q = { .max_pairs = N * N };
	struct ov_result r = overlap_find(a, e, N, &q);
	ck_assert_uint_gt(expect, 0);
	ck_assert_uint_eq(r.npairs, expect);
	for (size_t i = 0; i < r.npairs; i++)
		ck_assert(ip_prefix_overlap(&r.pairs[i].outer->prefix,
					    &r.pairs[i].inner->prefix));
	arena_free(a);
}
END_TEST

static struct ov_entry v4_24(uint32_t k, uint32_t owner)
{
	struct ov_entry e = { .owner = owner };
	uint32_t v = 0x01000000u + (k << 8); /* 1.0.0.0 upwards, one /24 each */
	e.prefix.addr.family = IP_V4;
	for (int i = 0; i < 4; i++)
		e.prefix.addr.b[i] = (uint8_t)(v >> (24 - 8 * i));
	e.prefix.len = 24;
	return e;
}

/* 100,000 disjoint /24s in shuffled order and a few planted overlaps: the
 * sweep finds exactly the planted ones. */
START_TEST(large_disjoint_with_planted)
{
	struct arena *a = arena_new();
	enum { N = 100000 };
	struct ov_entry *e = xmalloc((N + 4) * sizeof(*e));
	for (uint32_t k = 0; k < N; k++)
		e[k] = v4_24(k, k);
	uint64_t st = 7;
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = rnd(&st) % (i + 1);
		struct ov_entry t = e[i];
		e[i] = e[j];
		e[j] = t;
	}
	e[N] = v4_24(500, N);         /* a duplicate of owner 500 */
	e[N].prefix.len = 25;          /* ... narrowed to its first half */
	e[N + 1] = v4_24(1000, N + 1); /* a /23 over 1000 and 1001 */
	e[N + 1].prefix.len = 23;
	e[N + 2] = v4_24(77777, N + 2); /* an exact copy of 77777 */
	e[N + 3] = E("fd00::/8", 0, N + 3); /* IPv6: overlaps nothing */
	struct ov_query q = { 0 };
	struct ov_result r = overlap_find(a, e, N + 4, &q);
	ck_assert_uint_eq(r.npairs, 4);
	ck_assert(!r.truncated);
	ck_assert_str_eq(str(r.pairs[0].outer), "1.1.244.0/24");
	ck_assert_str_eq(str(r.pairs[0].inner), "1.1.244.0/25");
	ck_assert_uint_eq(r.pairs[0].outer->owner, 500);
	ck_assert_uint_eq(r.pairs[1].outer->owner, N + 1);
	ck_assert_uint_eq(r.pairs[1].inner->owner, 1000);
	ck_assert_uint_eq(r.pairs[2].outer->owner, N + 1);
	ck_assert_uint_eq(r.pairs[2].inner->owner, 1001);
	ck_assert_uint_eq(r.pairs[3].outer->owner, 77777);
	ck_assert_uint_eq(r.pairs[3].inner->owner, N + 2);
	free(e);
	arena_free(a);
}
END_TEST

/* 100,000 copies of one prefix would be five billion pairs: the cap on
 * examined pairs stops the sweep early. */
START_TEST(pathological_copies_stop)
{
	struct arena *a = arena_new();
	enum { N = 100000 };
	struct ov_entry *e = xmalloc(N * sizeof(*e));
	for (uint32_t k = 0; k < N; k++)
		e[k] = E("10.0.0.0/16", 0, 0);
	struct ov_query q = { .distinct_owners = true, .max_pairs = 10 };
	struct ov_result r = overlap_find(a, e, N, &q);
	ck_assert_uint_eq(r.npairs, 0);
	ck_assert(r.truncated);
	free(e);
	arena_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overlap");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, finds_nested_pairs_only);
	tcase_add_test(tc, nothing_to_sweep);
	tcase_add_test(tc, chains_families_and_groups);
	tcase_add_test(tc, ignores_host_bits);
	tcase_add_test(tc, filters_and_caps);
	tcase_add_test(tc, agrees_with_brute_force);
	tcase_add_test(tc, large_disjoint_with_planted);
	tcase_add_test(tc, pathological_copies_stop);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
