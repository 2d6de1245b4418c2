/* Overlapping prefixes among many, by sort and sweep: O(N log N) plus the
 * pairs found, never a comparison of every pair, so 100,000 VNets stay fast.
 *
 * Each entry is a prefix with the caller's tags: a group (entries of
 * different groups are never compared: one VNet's subnets, one connected
 * group of VNets...), an owner (a VNet, a site, a subnet: the caller's
 * index) and an item (which of the owner's prefixes). */
#ifndef PEERC_OVERLAP_H
#define PEERC_OVERLAP_H

#include "common.h"
#include "addr.h"

struct arena;

struct ov_entry {
	struct ip_prefix prefix; /* any valid length; host bits are ignored */
	uint32_t group;
	uint32_t owner;
	uint32_t item;
	/* Filled by overlap_find: the range as two 64-bit halves, for speed. */
	uint64_t first_hi, first_lo, last_hi, last_lo;
};

/* Two overlapping entries. Prefixes nest or are disjoint, so one of the two
 * always contains the other: `outer` is the shorter prefix (for equal
 * prefixes, the one that sorts first by owner, then item). */
struct ov_pair {
	const struct ov_entry *outer, *inner;
};

struct ov_query {
	/* Skip pairs of one owner (a VNet's own prefixes, in a check between
	 * VNets). */
	bool distinct_owners;
	/* Skip a pair when this returns false; NULL keeps every pair. Called
	 * only for pairs that overlap. */
	bool (*keep)(const struct ov_entry *a, const struct ov_entry *b,
		     const void *ctx);
	const void *ctx;
	/* Stop after this many pairs (0: OVERLAP_DEFAULT_MAX). Without a cap,
	 * N copies of one prefix would make N * (N - 1) / 2 pairs. */
	size_t max_pairs;
};

#define OVERLAP_DEFAULT_MAX 1000

struct ov_result {
	struct ov_pair *pairs; /* in the arena; ordered by inner's address */
	size_t npairs;
	bool truncated; /* max_pairs was reached: there may be more */
};

/* Sorts `entries` in place (by group, family, address, then length) and
 * finds the overlapping pairs within each group. The pairs point into
 * `entries`. */
struct ov_result overlap_find(struct arena *a, struct ov_entry *entries,
			      size_t n, const struct ov_query *q);

#endif
