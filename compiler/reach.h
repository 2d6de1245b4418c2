/* Reachability: who can talk to whom, by following the packets both ways
 * through the routes Azure has (routing.h): language.md "site and
 * reachability" says when: A and B can talk only if
 *   1. they are peered with access on both sides, or
 *   2. both are spokes of one hub whose transit is nva or gateway, or
 *   3. B is a site via H, and A is H or uses H's gateway over their peering
 *      (A.remote_gateway with H.gateway_transit);
 * and, as the packets go: for every address family both ends have, each
 * way, by the route Azure picks (a transit route table's route for a
 * peered VNet's prefix takes that traffic through the NVA; an NVA without
 * an IPv6 address carries no IPv6; a route table that keeps gateway routes
 * out needs a route of its own toward a site).
 *
 * A failed answer may come with edits (fix-its) that make it hold, each
 * checked not to break the file (suggest.h). Every query costs the route
 * tables and peering lists of the VNets on the path, never the size of
 * the file. */
#ifndef PEERC_REACH_H
#define PEERC_REACH_H

#include "common.h"
#include "resolve.h"

struct arena;

#define REACH_MAX_EDITS 2

/* Replace the bytes of `at` with text (an empty `at` inserts). */
struct reach_edit {
	struct loc at;
	const char *text;
};

struct reach_answer {
	/* A sentence that completes "yes, by ..." when the ends can talk and
	 * "no, because ..." when they cannot. */
	const char *why;
	struct loc where;   /* the place in the file it is about, or LOC_NONE */
	const char *note;   /* what a note there should say; NULL: the caller's */
	/* Each a whole alternative: an edit the sentence names. */
	struct reach_edit edits[REACH_MAX_EDITS];
	size_t nedits;
};

/* Whether a and b (VNets or sites) can talk. New statements an edit adds
 * go at insert_at (the start of the require; LOC_NONE: no edits of that
 * kind). */
bool reach_ends(const struct sema *s, const struct s_end *a,
		const struct s_end *b, struct arena *ar, struct loc insert_at,
		struct reach_answer *ans);

typedef void reach_fn(void *ctx, const struct m_vnet *v);

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
	const struct ip_addr *nva;       /* REACH_NVA: the address routed to */
};

/* `peerc --explain A B` as data. */
struct reach_path {
	bool known;         /* both names are VNets or sites of the file */
	bool reachable;
	const char *reason; /* completes "yes, by ..." or "no, because ..." */
	const char *edit;   /* no: the edit that would make it yes, or NULL */
	const char *answer; /* "yes, by REASON" or "no, because REASON; EDIT": the
			     * line --explain prints */
	/* The way the packets go, as routing.h walks them: yes, from A to B;
	 * no, the nearest path looked at: the walk that failed, as far as it
	 * got and in its own direction (from B when the way back fails), or,
	 * when the packets do not leave A for a site, the way the reason
	 * names. May be empty. */
	struct reach_hop *hops;
	size_t nhops, hops_cap;
	/* no: the pair the peering the edit adds would join, or NULL */
	const struct m_vnet *missing[2];
};

/* The answer for names as written in the file. */
void reach_path(const struct sema *s, const char *a, const char *b,
		struct arena *ar, struct reach_path *out);

/* `peerc --explain A B`: "yes, by PATH" or "no, because REASON", for names
 * as written in the file (an unknown name is a "no"). */
const char *reach_explain(const struct sema *s, const char *a, const char *b,
			  struct arena *ar, bool *reachable);

#endif
