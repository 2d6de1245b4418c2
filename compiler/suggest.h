/* The edits a failed require (or --explain) suggests, and whether each
 * would compile: an edit is offered only when the errors it could bring
 * are ruled out (the pair would overlap, a deny would then fail, a VNet
 * would have two remote gateways, a statement would conflict with
 * another, ...). tests/suggestions.sh applies every edit the fixtures get
 * and compiles the result. */
#ifndef PEERC_SUGGEST_H
#define PEERC_SUGGEST_H

#include "common.h"
#include "reach.h"
#include "resolve.h"

struct arena;

/* `peer a <-> b` would compile: the two do not overlap, neither overlaps a
 * VNet peered with the other, neither is at the peering limit, and no
 * deny keeps them apart. */
bool suggest_peer_ok(const struct sema *s, const struct m_vnet *a,
		     const struct m_vnet *b);

/* `transit = MODE` on hub h would compile and carry family f: h has the
 * NVA (with an address of f) or VPN gateway, no spoke of h is a transit
 * spoke of another hub, no deny keeps two of its spokes apart, no spoke's
 * peering with h is declared again with forwarded off. *routes_default
 * says the routes must be 'routes = default' to fit Azure's route limit. */
bool suggest_transit_ok(const struct sema *s, const struct s_hub *h,
			enum transit_mode mode, enum ip_family f,
			bool *routes_default);

/* VNet a could use the gateway of g: g has a gateway that can offer
 * transit, a has none of its own and uses no other, a does not overlap a
 * site via g, and no deny keeps a from a site via g. */
bool suggest_gateway_ok(const struct sema *s, const struct m_vnet *a,
			const struct m_vnet *g);

/* The edit that sets NAME = VALUE in statement st: the value of an
 * unqualified NAME already there replaced, else the attribute added to
 * its block (or a new block). */
struct reach_edit suggest_set(struct arena *ar, const struct stmt *st,
			      const char *name, const char *value);

/* Whether statement st's block has an unqualified attribute NAME. */
bool suggest_has_attr(const struct stmt *st, const char *name);

/* No deny would fail when every pair (x, y) of `ends` (VNets) and sites
 * via g (when g is given) could talk. */
bool suggest_no_deny_among(const struct sema *s, const struct m_vnet *const *ends,
			   size_t n, const struct m_vnet *g);

#endif
