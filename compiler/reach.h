/* Reachability: who can talk to whom, by the rules of language.md "site and
 * reachability". Peering is not transitive: A and B talk only when
 *   1. they are peered with access on both sides, or
 *   2. both are spokes of one hub whose transit is nva or gateway, or
 *   3. B is a site via H, and A is H or uses H's gateway over their peering
 *      (A.remote_gateway with H.gateway_transit).
 * Every query costs the size of its answer or the two VNets' own lists,
 * never the size of the file. */
#ifndef PEERC_REACH_H
#define PEERC_REACH_H

#include "common.h"
#include "resolve.h"

struct arena;

/* Whether a and b (VNets or sites) can talk. *why gets a sentence (in the
 * arena) that completes "yes, by ..." when they can and "no, because ..."
 * when they cannot; *where a place in the file the sentence is about (the
 * peering, the hub statement, the site); *note what a note at that place
 * should say, or NULL for the caller's own words. Any may be NULL. */
bool reach_ends(const struct sema *s, const struct s_end *a,
		const struct s_end *b, struct arena *ar, const char **why,
		struct loc *where, const char **note);

typedef void reach_fn(void *ctx, const struct m_vnet *v);

/* Calls fn once for every other VNet that can reach v. */
void reach_vnet_each(const struct sema *s, const struct m_vnet *v,
		     struct arena *ar, reach_fn *fn, void *ctx);

/* Calls fn once for every VNet that can reach the site: its hub, then each
 * VNet that uses the hub's gateway. */
void reach_site_each(const struct sema *s, const struct m_site *site,
		     reach_fn *fn, void *ctx);

/* One step of a path: a VNet, the peering to the next VNet, the NVA or
 * gateway that forwards the traffic, or a site at the end. */
enum reach_hop_kind { REACH_VNET, REACH_PEERING, REACH_NVA, REACH_GATEWAY, REACH_SITE };
struct reach_hop {
	enum reach_hop_kind kind;
	const struct m_vnet *vnet;       /* REACH_VNET, REACH_NVA, REACH_GATEWAY */
	const struct m_peering *peering; /* REACH_PEERING */
	const struct m_site *site;       /* REACH_SITE */
};

/* `peerc --explain A B` as data. */
struct reach_path {
	bool known;       /* both names are VNets or sites of the file */
	bool reachable;
	const char *reason; /* completes "yes, by ..." or "no, because ..." */
	const char *edit;   /* no: the edit that would make it yes, or NULL */
	/* yes: the path from A to B; no: the nearest path that was looked
	 * for, from A (may be empty) */
	struct reach_hop *hops;
	size_t nhops, hops_cap;
	const struct m_vnet *missing[2]; /* no: the pair a peering would join */
};

/* The answer for names as written in the file. */
void reach_path(const struct sema *s, const char *a, const char *b,
		struct arena *ar, struct reach_path *out);

/* `peerc --explain A B`: "yes, by PATH" or "no, because REASON", for names
 * as written in the file (an unknown name is a "no"). */
const char *reach_explain(const struct sema *s, const char *a, const char *b,
			  struct arena *ar, bool *reachable);

#endif
