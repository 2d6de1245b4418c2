#include "common.h"

#include "overlap.h"
#include "util.h"

static uint64_t load_be64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static void set_range(struct ov_entry *e)
{
	struct ip_addr first, last;

	ip_prefix_range(&e->prefix, &first, &last);
	e->first_hi = load_be64(first.b);
	e->first_lo = load_be64(first.b + 8);
	e->last_hi = load_be64(last.b);
	e->last_lo = load_be64(last.b + 8);
}

#define CMP(x, y)                                 \
	do {                                      \
		if ((x) != (y))                   \
			return (x) < (y) ? -1 : 1; \
	} while (0)

/* Group, family, first address, then the shorter prefix (the larger range)
 * first, so every entry comes after all entries that contain it. Owner and
 * item make the order total, hence the output deterministic. */
static int entry_cmp(const void *pa, const void *pb)
{
	const struct ov_entry *a = pa, *b = pb;

	CMP(a->group, b->group);
	CMP(a->prefix.addr.family, b->prefix.addr.family);
	CMP(a->first_hi, b->first_hi);
	CMP(a->first_lo, b->first_lo);
	CMP(a->prefix.len, b->prefix.len);
	CMP(a->owner, b->owner);
	CMP(a->item, b->item);
	return 0;
}

static bool same_space(const struct ov_entry *a, const struct ov_entry *b)
{
	return a->group == b->group && a->prefix.addr.family == b->prefix.addr.family;
}

/* Whether the range of `outer` reaches the start of `e`. */
static bool reaches(const struct ov_entry *outer, const struct ov_entry *e)
{
	return outer->last_hi > e->first_hi ||
	       (outer->last_hi == e->first_hi && outer->last_lo >= e->first_lo);
}

struct sweep {
	struct arena *arena;
	const struct ov_query *q;
	size_t max;
	size_t examined, max_examined;
	size_t cap;
	struct ov_result res;
};

/* Records the pair; returns false when the sweep must stop. */
static bool consider(struct sweep *s, const struct ov_entry *outer,
		     const struct ov_entry *inner)
{
	/* Pairs the caller filters out cost time too: bound them as well. */
	if (++s->examined > s->max_examined) {
		s->res.truncated = true;
		return false;
	}
	if (s->q->distinct_owners && outer->owner == inner->owner)
		return true;
	if (s->q->keep && !s->q->keep(outer, inner, s->q->ctx))
		return true;
	if (s->res.npairs == s->max) {
		s->res.truncated = true;
		return false;
	}
	ARENA_PUSH(s->arena, s->res.pairs, s->res.npairs, s->cap);
	s->res.pairs[s->res.npairs - 1] = (struct ov_pair){ outer, inner };
	return true;
}

/* Prefixes nest or are disjoint. In sorted order, the entries that contain
 * the current one are exactly those still on a stack of nested ranges once
 * the ranges that end before it are popped; each of them overlaps it. */
static void sweep(struct sweep *s, struct ov_entry *e, size_t n)
{
	const struct ov_entry **stack = xmalloc((n ? n : 1) * sizeof(*stack));
	size_t depth = 0;

	for (size_t i = 0; i < n; i++) {
		while (depth > 0 && (!same_space(stack[depth - 1], &e[i]) ||
				     !reaches(stack[depth - 1], &e[i])))
			depth--;
		for (size_t k = depth; k-- > 0;)
			if (!consider(s, stack[k], &e[i]))
				goto out;
		stack[depth++] = &e[i];
	}
out:
	free(stack);
}

struct ov_result overlap_find(struct arena *a, struct ov_entry *entries,
			      size_t n, const struct ov_query *q)
{
	struct sweep s = { .arena = a, .q = q };

	s.max = q->max_pairs ? q->max_pairs : OVERLAP_DEFAULT_MAX;
	s.max_examined = 64 * s.max + n;
	for (size_t i = 0; i < n; i++)
		set_range(&entries[i]);
	if (n > 1) /* qsort's array must not be NULL, even when empty */
		qsort(entries, n, sizeof(*entries), entry_cmp);
	sweep(&s, entries, n);
	return s.res;
}
