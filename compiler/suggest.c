#include "common.h"

#include "suggest.h"
#include "util.h"

/* ------------------------------------------------ what would break */

static bool spaces_overlap(const struct m_vnet *a, const struct m_vnet *b)
{
	for (size_t i = 0; i < a->nspace; i++)
		for (size_t k = 0; k < b->nspace; k++)
			if (ip_prefix_overlap(&a->space[i], &b->space[k]))
				return true;
	return false;
}

/* a overlaps a VNet peered with b (other than a): Azure refuses the
 * peering (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet). */
static bool overlaps_peer_of(const struct sema *s, const struct m_vnet *a,
			     const struct m_vnet *b)
{
	const struct s_vnet *sb = &s->vnets[b->index];

	for (size_t i = 0; i < sb->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sb->peerings[i]];
		const struct m_vnet *x = p->side[1 - sema_side_of(p, b)].vnet;
		if (x != a && spaces_overlap(a, x))
			return true;
	}
	return false;
}

static bool in_list(const struct m_vnet *v, const struct m_vnet *const *l, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (l[i] == v)
			return true;
	return false;
}

bool suggest_no_deny_among(const struct sema *s, const struct m_vnet *const *ends,
			   size_t n, const struct m_vnet *g)
{
	for (size_t i = 0; i < s->nrules; i++) {
		const struct s_rule *r = &s->rules[i];
		if (!r->deny)
			continue;
		bool a = in_list(r->a.vnet, ends, n), b = in_list(r->b.vnet, ends, n);
		if ((a && b) || (a && g && r->b.site && r->b.site->via == g) ||
		    (b && g && r->a.site && r->a.site->via == g))
			return false;
	}
	return true;
}

bool suggest_peer_ok(const struct sema *s, const struct m_vnet *a,
		     const struct m_vnet *b)
{
	const struct m_vnet *ends[2] = { a, b };

	return a != b && !spaces_overlap(a, b) && !overlaps_peer_of(s, a, b) &&
	       !overlaps_peer_of(s, b, a) &&
	       s->vnets[a->index].npeerings < SEMA_MAX_PEERINGS &&
	       s->vnets[b->index].npeerings < SEMA_MAX_PEERINGS &&
	       suggest_no_deny_among(s, ends, 2, NULL);
}

/* A spoke's pair with its hub declared by another statement too must agree
 * with the hub's settings, and transit turns the spoke's forwarded on. */
static bool forwarded_agrees(const struct sema *s, const struct s_hub *h,
			     const struct m_vnet *spoke)
{
	ptrdiff_t pi = sema_peering_between(s, h->hub, spoke);

	if (pi < 0 || s->peerings[pi].nstmts < 2)
		return true;
	const struct m_peering *p = &s->model.peerings[pi];
	return p->side[sema_side_of(p, spoke)].setting[SET_FORWARDED];
}

/* How many routes the largest spoke table of h would hold with
 * `routes = spokes`: every other spoke's prefixes of a family it carries. */
static size_t spoke_routes_needed(const struct s_hub *h, enum transit_mode mode)
{
	size_t total = 0, fewest = SIZE_MAX;

	for (size_t i = 0; i < h->nspokes; i++) {
		size_t own = 0;
		for (size_t k = 0; k < h->spokes[i]->nspace; k++)
			own += mode == TRANSIT_GATEWAY ||
			       m_vnet_nva(h->hub, h->spokes[i]->space[k].addr.family);
		total += own;
		if (own < fewest)
			fewest = own;
	}
	return h->nspokes ? total - fewest : 0;
}

bool suggest_transit_ok(const struct sema *s, const struct s_hub *h,
			enum transit_mode mode, enum ip_family f,
			bool *routes_default)
{
	const struct m_vnet *hub = h->hub;

	if (mode == TRANSIT_NVA ? !m_vnet_nva(hub, f) :
	    hub->gateway != GW_VPN && hub->gateway != GW_ANY)
		return false;
	if (!suggest_no_deny_among(s, (const struct m_vnet *const *)h->spokes,
				   h->nspokes, NULL))
		return false;
	for (size_t i = 0; i < h->nspokes; i++) {
		const struct s_vnet *sv = &s->vnets[h->spokes[i]->index];
		if (!forwarded_agrees(s, h, h->spokes[i]))
			return false;
		for (size_t k = 0; k < sv->nspoke_of; k++) {
			const struct s_hub *o = &s->hubs[sv->spoke_of[k]];
			if (o != h && o->transit != TRANSIT_NONE)
				return false;
		}
	}
	/* past the route limit, the default route fits; only an NVA takes
	 * one (a default route to a gateway would force Internet traffic
	 * on-premises) */
	*routes_default = spoke_routes_needed(h, mode) > SEMA_MAX_ROUTES;
	return !*routes_default || mode == TRANSIT_NVA;
}

/* A Basic VPN gateway cannot offer gateway transit. */
static bool offers_transit(const struct m_vnet *g)
{
	return g->gateway != GW_NONE &&
	       !(g->gw && g->gw->sku && strcmp(g->gw->sku, "Basic") == 0);
}

static bool uses_other_gateway(const struct sema *s, const struct m_vnet *a,
			       const struct m_vnet *g)
{
	const struct s_vnet *sa = &s->vnets[a->index];

	for (size_t i = 0; i < sa->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sa->peerings[i]];
		int k = sema_side_of(p, a);
		if (p->side[k].setting[SET_REMOTE_GATEWAY] && p->side[1 - k].vnet != g)
			return true;
	}
	return false;
}

static bool overlaps_site_via(const struct sema *s, const struct m_vnet *a,
			      const struct m_vnet *g)
{
	const struct s_vnet *sg = &s->vnets[g->index];

	for (size_t i = 0; i < sg->nsites; i++) {
		const struct m_site *site = &s->model.sites[sg->sites[i]];
		for (size_t k = 0; k < site->nprefixes; k++)
			for (size_t j = 0; j < a->nspace; j++)
				if (ip_prefix_overlap(&site->prefixes[k], &a->space[j]))
					return true;
	}
	return false;
}

bool suggest_gateway_ok(const struct sema *s, const struct m_vnet *a,
			const struct m_vnet *g)
{
	return offers_transit(g) && a->gateway == GW_NONE &&
	       !uses_other_gateway(s, a, g) && !overlaps_site_via(s, a, g) &&
	       suggest_no_deny_among(s, &a, 1, g);
}

/* ------------------------------------------------ the edit */

static const struct attr *find_attr(const struct stmt *st, const char *name)
{
	for (const struct attr *at = st->attrs; at; at = at->next)
		if (!at->qual && strcmp(at->name, name) == 0)
			return at;
	return NULL;
}

bool suggest_has_attr(const struct stmt *st, const char *name)
{
	return find_attr(st, name) != NULL;
}

static const struct value *last_value(const struct value *v)
{
	while (v->next)
		v = v->next;
	return v;
}

struct reach_edit suggest_set(struct arena *ar, const struct stmt *st,
			      const char *name, const char *value)
{
	const struct attr *at = find_attr(st, name);
	const char *attr = arena_printf(ar, "%s = %s", name, value);
	const struct attr *last = st->attrs;

	if (at && at->values)
		return (struct reach_edit){ { at->values->loc.start,
					      last_value(at->values)->loc.end }, value };
	if (at)
		return (struct reach_edit){ at->loc, attr };
	if (!st->has_block)
		return (struct reach_edit){ { st->loc.end, st->loc.end },
					    arena_printf(ar, " { %s }", attr) };
	if (!last) /* an empty block: before its '}' */
		return (struct reach_edit){ { st->loc.end - 1, st->loc.end - 1 },
					    arena_printf(ar, "%s ", attr) };
	while (last->next)
		last = last->next;
	return (struct reach_edit){ { last->loc.end, last->loc.end },
				    arena_printf(ar, " %s", attr) };
}
