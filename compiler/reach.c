#include "common.h"

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "reach.h"
#include "routing.h"
#include "suggest.h"
#include "util.h"

/* The answer being made for one query. The sentence is the reason, then
 * the edit's words after sep: --explain --format=json gives them apart. */
struct answer {
	struct arena *ar;
	const struct sema *s;
	struct loc insert_at;   /* where a new statement goes, or LOC_NONE */
	struct reach_answer out;
	const char *reason;
	const char *edit;       /* NULL: none */
	const char *sep;
	struct reach_path *path; /* --explain's path, or NULL: not wanted */
};

static bool say(struct answer *ans, bool yes, struct loc where, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

static bool say(struct answer *ans, bool yes, struct loc where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ans->reason = arena_vprintf(ans->ar, fmt, ap);
	va_end(ap);
	ans->edit = NULL;
	ans->out.where = where;
	return yes;
}

/* The edit's words, after the reason say() gave and sep; none for NULL. */
static bool advise(struct answer *ans, bool yes, const char *sep, const char *edit)
{
	ans->edit = edit;
	ans->sep = sep;
	return yes;
}

/* "A, or B", A or B alone, or NULL. */
static const char *either(struct answer *ans, const char *a, const char *b)
{
	if (a && b)
		return arena_printf(ans->ar, "%s, or %s", a, b);
	return a ? a : b;
}

static const char *sentence(const struct answer *ans)
{
	return ans->edit ? arena_printf(ans->ar, "%s%s%s", ans->reason, ans->sep,
					ans->edit) : ans->reason;
}

/* ------------------------------------------------ the path, for --explain */

static void path_hop(struct answer *ans, struct reach_hop h)
{
	struct reach_path *rp = ans->path;

	if (!rp)
		return;
	ARENA_PUSH(ans->ar, rp->hops, rp->nhops, rp->hops_cap);
	rp->hops[rp->nhops - 1] = h;
}

static void path_vnet(struct answer *ans, const struct m_vnet *v)
{
	path_hop(ans, (struct reach_hop){ .kind = REACH_VNET, .vnet = v });
}

/* From `at` over peering pi; returns the VNet on the other side. */
static const struct m_vnet *path_peering(struct answer *ans, const struct m_vnet *at,
					 ptrdiff_t pi)
{
	const struct m_peering *p = &ans->s->model.peerings[pi];
	const struct m_vnet *far = p->side[1 - sema_side_of(p, at)].vnet;

	path_hop(ans, (struct reach_hop){ .kind = REACH_PEERING, .peering = p });
	path_vnet(ans, far);
	return far;
}

/* The hops of walk w from VNet `from` (already on the path): each peering
 * crossed, each NVA or gateway, and for a failed walk the peering that
 * refused the packet. A remote gateway is reached over the peering to its
 * VNet, which the routes do not cross as a step of their own. */
static void path_walk(struct answer *ans, const struct m_vnet *from, const struct walk *w)
{
	const struct m_vnet *at = from;

	if (!ans->path)
		return;
	for (size_t i = 0; i < w->nsteps; i++) {
		const struct walk_step *st = &w->steps[i];
		if (st->kind == STEP_PEERING) {
			at = path_peering(ans, at, st->peering);
			continue;
		}
		ptrdiff_t pi = st->vnet == at ? -1 : sema_peering_between(ans->s, at, st->vnet);
		if (pi >= 0)
			at = path_peering(ans, at, pi);
		path_hop(ans, (struct reach_hop){
			.kind = st->kind == STEP_NVA ? REACH_NVA : REACH_GATEWAY,
			.vnet = st->vnet,
			.nva = st->kind == STEP_NVA ? &st->route->next_hop_ip : NULL });
	}
	if ((w->result == WALK_ACCESS || w->result == WALK_FORWARDED) && w->peering >= 0)
		path_peering(ans, at, w->peering);
}

/* The pair a peering the edit adds would join. */
static void path_missing(struct answer *ans, const struct m_vnet *a, const struct m_vnet *b)
{
	if (ans->path) {
		ans->path->missing[0] = a;
		ans->path->missing[1] = b;
	}
}

static void add_edit(struct answer *ans, struct reach_edit e)
{
	if (!loc_is_none(e.at) && ans->out.nedits < REACH_MAX_EDITS)
		ans->out.edits[ans->out.nedits++] = e;
}

static const char *transit_word(enum transit_mode t)
{
	return t == TRANSIT_NVA ? "nva" : "gateway";
}

static const char *prefix_text(struct answer *ans, const struct ip_prefix *p)
{
	char buf[IP_STRLEN];

	return arena_strdup(ans->ar, ip_prefix_str(p, buf));
}

static const char *addr_text(struct answer *ans, const struct ip_addr *a)
{
	char buf[IP_STRLEN];

	return arena_strdup(ans->ar, ip_addr_str(a, buf));
}

/* The first hub both VNets are spokes of: with any_transit, the first with
 * transit; else the first at all. Both lists are in hub order, so one
 * merge walk finds it. */
static const struct s_hub *shared_hub(const struct sema *s, const struct m_vnet *a,
				      const struct m_vnet *b, bool any_transit)
{
	const struct s_vnet *sa = &s->vnets[a->index], *sb = &s->vnets[b->index];
	size_t i = 0, j = 0;

	while (i < sa->nspoke_of && j < sb->nspoke_of) {
		size_t ha = sa->spoke_of[i], hb = sb->spoke_of[j];
		if (ha < hb) {
			i++;
		} else if (hb < ha) {
			j++;
		} else {
			const struct s_hub *h = &s->hubs[ha];
			if (!any_transit || h->transit != TRANSIT_NONE)
				return h;
			i++;
			j++;
		}
	}
	return NULL;
}

/* The hub statement a route table comes from. */
static const struct s_hub *hub_of(const struct sema *s, const struct m_route_table *t)
{
	return &s->hubs[s->route_table_hub[t - s->model.route_tables]];
}

/* ------------------------------------------------ the edits offered */

/* "add 'peer A <-> B'" when that would compile, else NULL. */
static const char *offer_peer(struct answer *ans, const struct m_vnet *a,
			      const struct m_vnet *b)
{
	if (!suggest_peer_ok(ans->s, a, b))
		return NULL;
	const char *stmt = arena_printf(ans->ar, "peer %s <-> %s", a->handle, b->handle);
	if (!loc_is_none(ans->insert_at))
		add_edit(ans, (struct reach_edit){ ans->insert_at,
						   arena_printf(ans->ar, "%s\n", stmt) });
	path_missing(ans, a, b);
	return arena_printf(ans->ar, "add '%s'", stmt);
}

/* The edit that gives hub h transit for family f, and its words ("add
 * 'transit = nva' to the hub"), or NULL: none would compile. */
static const char *offer_transit(struct answer *ans, const struct s_hub *h,
				 enum ip_family f)
{
	static const enum transit_mode modes[] = { TRANSIT_NVA, TRANSIT_GATEWAY };
	bool dflt;

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		if (!suggest_transit_ok(ans->s, h, modes[i], f, &dflt))
			continue;
		const char *w = transit_word(modes[i]);
		/* with routes = default too, in the same place: one edit */
		if (dflt && suggest_has_attr(h->stmt, "routes"))
			continue;
		add_edit(ans, suggest_set(ans->ar, h->stmt, "transit", dflt ?
			 arena_printf(ans->ar, "%s routes = default", w) : w));
		return arena_printf(ans->ar, "add 'transit = %s%s' to the hub", w,
				    dflt ? " routes = default" : "");
	}
	return NULL;
}

/* The words and edit that make a use the gateway of g, over their peering
 * pi (or a new one, pi < 0), or NULL. */
static const char *offer_gateway(struct answer *ans, const struct m_vnet *a,
				 const struct m_vnet *g, ptrdiff_t pi)
{
	const struct sema *s = ans->s;

	if (!suggest_gateway_ok(s, a, g))
		return NULL;
	if (pi < 0) {
		if (!suggest_peer_ok(s, a, g))
			return NULL;
		const char *stmt = arena_printf(ans->ar, "peer %s <-> %s { gateway = %s }",
						a->handle, g->handle, g->handle);
		if (!loc_is_none(ans->insert_at))
			add_edit(ans, (struct reach_edit){ ans->insert_at,
				arena_printf(ans->ar, "%s\n", stmt) });
		path_missing(ans, a, g);
		return arena_printf(ans->ar, "add '%s'", stmt);
	}
	const struct s_peering *sp = &s->peerings[pi];
	const struct stmt *st = sp->stmts[0];
	if (sp->nstmts != 1)
		return NULL;
	if (st->kind == STMT_HUB) {
		/* gateway = G on a hub statement of G: every spoke takes it */
		const struct s_hub *h = NULL;
		for (size_t i = 0; i < s->nhubs && !h; i++)
			h = s->hubs[i].stmt == st ? &s->hubs[i] : NULL;
		if (!h || h->hub != g)
			return NULL;
		for (size_t i = 0; i < h->nspokes; i++)
			if (!suggest_gateway_ok(s, h->spokes[i], g))
				return NULL;
	} else if (st->kind != STMT_PEER) {
		return NULL;
	}
	add_edit(ans, suggest_set(ans->ar, st, "gateway", g->handle));
	if (st->kind == STMT_HUB)
		return arena_printf(ans->ar, "set 'gateway = %s' on hub '%s' (every spoke "
				    "uses it then)", g->handle, g->handle);
	return arena_printf(ans->ar, "set 'gateway = %s' on the peering '%s' <-> '%s'",
			    g->handle, a->handle, g->handle);
}

/* `routes = default` sends a hub's spokes' traffic for a site to the NVA,
 * which reaches it through the hub's gateway: when the hub is the site's,
 * its NVA carries the site's family, and no deny keeps a spoke from a
 * site of the hub. */
static const char *offer_default_route(struct answer *ans, const struct s_hub *h,
				       const struct m_site *site)
{
	struct m_route hop;

	if (h->transit == TRANSIT_NVA && h->hub == site->via && site->nprefixes &&
	    sema_next_hop(h, site->prefixes[0].addr.family, &hop) &&
	    suggest_no_deny_among(ans->s, (const struct m_vnet *const *)h->spokes,
				  h->nspokes, h->hub)) {
		add_edit(ans, suggest_set(ans->ar, h->stmt, "routes", "default"));
		return "set 'routes = default' on the hub, which sends the spokes' "
		       "traffic to the NVA";
	}
	return "send it to the NVA with 'routes = default' or a 'summary' that "
	       "covers the site";
}

/* ------------------------------------------------ why not: VNet to VNet */

/* The spokes of a hub without transit: the edits that give it transit. */
static bool no_transit(struct answer *ans, const struct s_hub *h, const struct m_vnet *a,
		       const struct m_vnet *b, enum ip_family f)
{
	const char *t = offer_transit(ans, h, f);
	/* no NVA to suggest transit through: say what it takes, unless a deny
	 * rules transit out anyway */
	const char *advice = t ? t : h->hub->nnvas ||
		!suggest_no_deny_among(ans->s, (const struct m_vnet *const *)h->spokes,
				       h->nspokes, NULL) ? NULL :
		"give the hub an 'nva' and add 'transit = nva'";
	const char *peer = offer_peer(ans, a, b);

	say(ans, false, sema_stmt_head(h->stmt),
	    "both are spokes of hub '%s', which has no transit, and peering is not "
	    "transitive", h->hub->handle);
	advise(ans, false, "; ", either(ans, advice, peer));
	ans->out.note = arena_printf(ans->ar, "hub '%s' is declared here without transit",
				     h->hub->handle);
	return false;
}

/* Spokes of hub h with transit, and the route table of a has no route for
 * dst (of b): why. */
static bool no_transit_route(struct answer *ans, const struct s_hub *h,
			     const struct m_vnet *a, const struct m_vnet *b,
			     const struct ip_prefix *dst)
{
	const struct sema *s = ans->s;
	const struct m_route_table *t = s->vnets[a->index].transit_table;
	struct m_route hop;
	enum ip_family f = dst->addr.family;

	if (t && hub_of(s, t) != h)
		return say(ans, false, h->transit_loc, "the route table of '%s' is the one of "
			   "hub '%s', which has no route to %s of '%s'", a->handle,
			   t->hub->handle, prefix_text(ans, dst), b->handle);
	if (!t && (h->most_routes > SEMA_MAX_ROUTES || h->gateway_routes > SEMA_MAX_ROUTES))
		return say(ans, false, h->transit_loc, "hub '%s' writes no route tables: "
			   "they would pass Azure's limit of %d routes (route-limit)",
			   h->hub->handle, SEMA_MAX_ROUTES);
	if (h->transit == TRANSIT_NVA && !h->hub->nnvas)
		return say(ans, false, h->transit_loc, "transit = nva through hub '%s', "
			   "which has no NVA", h->hub->handle);
	if (t && !routing_table_of(s, a)) {
		const char *peer = offer_peer(ans, a, b);
		say(ans, false, a->loc, "no subnet of '%s' takes its transit route "
		    "table '%s' (each is opted out or one of Azure's special "
		    "subnets)", a->handle, t->name);
		return advise(ans, false, "; ", peer);
	}
	if (!sema_next_hop(h, f, &hop)) {
		const char *peer = offer_peer(ans, a, b);
		say(ans, false, h->transit_loc, "transit through hub '%s' carries no %s: "
		    "the NVA of '%s' has no %s address (give it one: 'nva = %s, "
		    "ADDRESS')", h->hub->handle, ip_family_name(f), h->hub->handle,
		    ip_family_name(f), addr_text(ans, &h->hub->nvas[0]));
		advise(ans, false, ", or ", peer);
		ans->out.note = arena_printf(ans->ar, "transit through '%s' is set here",
					     h->hub->handle);
		return false;
	}
	if (h->routes == ROUTES_SUMMARY) {
		const char *p = prefix_text(ans, dst);
		const struct value *last = h->summary_src;
		while (last->next)
			last = last->next;
		bool ok = suggest_no_deny_among(s, (const struct m_vnet *const *)h->spokes,
						h->nspokes, NULL);
		if (ok)
			add_edit(ans, (struct reach_edit){ { last->loc.end, last->loc.end },
				arena_printf(ans->ar, ", %s", p) });
		const char *peer = offer_peer(ans, a, b);
		say(ans, false, h->summary_loc, "the summary of hub '%s' does not "
		    "cover %s of '%s'", h->hub->handle, p, b->handle);
		return advise(ans, false, "; ", either(ans, ok ? arena_printf(ans->ar,
			      "add '%s' to 'summary'", p) : NULL, peer));
	}
	return say(ans, false, h->transit_loc, "the route table of '%s' has no route to "
		   "%s of '%s'", a->handle, prefix_text(ans, dst), b->handle);
}

static bool no_route(struct answer *ans, const struct m_vnet *a, const struct m_vnet *b,
		     const struct ip_prefix *dst)
{
	const struct s_hub *h = shared_hub(ans->s, a, b, true);

	if (h)
		return no_transit_route(ans, h, a, b, dst);
	h = shared_hub(ans->s, a, b, false);
	if (h)
		return no_transit(ans, h, a, b, dst->addr.family);
	const char *peer = offer_peer(ans, a, b);
	say(ans, false, LOC_NONE, "'%s' and '%s' are not peered and share no hub "
	    "with transit", a->handle, b->handle);
	return advise(ans, false, "; ", peer);
}

/* The attribute that set a side's access to false: `QUAL.access = false`
 * or `access = false` in one of the statements that declare the pair. */
static const struct attr *access_attr(const struct sema *s, ptrdiff_t pi, int k)
{
	struct loc at = s->peerings[pi].side[k].setting[SET_ACCESS];

	for (size_t i = 0; i < s->peerings[pi].nstmts; i++)
		for (const struct attr *a = s->peerings[pi].stmts[i]->attrs; a; a = a->next)
			if (a->loc.start == at.start && a->loc.end == at.end)
				return a;
	return NULL;
}

/* Removing access = false from its statement lets every pair of the
 * statement talk: no deny may stand between them. */
static const char *offer_access(struct answer *ans, ptrdiff_t pi, int k)
{
	const struct sema *s = ans->s;
	const struct attr *at = access_attr(s, pi, k);
	const struct stmt *st = s->peerings[pi].stmts[0];

	if (!at || s->peerings[pi].nstmts != 1)
		return NULL;
	size_t n = 0;
	for (const struct ident *id = st->names; id; id = id->next)
		n++;
	const struct m_vnet **ends = arena_alloc(ans->ar, n * sizeof(*ends));
	n = 0;
	for (const struct ident *id = st->names; id; id = id->next)
		ends[n++] = strmap_get(&s->vnet_by_handle, id->name);
	if (!suggest_no_deny_among(s, ends, n, NULL))
		return NULL;
	add_edit(ans, (struct reach_edit){ at->loc, "" });
	return arena_printf(ans->ar, "remove '%s%s%s = false'", at->qual ? at->qual : "",
			    at->qual ? "." : "", at->name);
}

/* "'name'" for a VNet, "site 'name'" for a site. */
static const char *end_words(struct answer *ans, const struct m_vnet *v,
			     const struct m_site *site)
{
	return v ? arena_printf(ans->ar, "'%s'", v->handle) :
		   arena_printf(ans->ar, "site '%s'", site->name);
}

/* Why the walk toward dst failed: from VNet a or site `from_site`, to VNet
 * b or site `to_site`. */
static bool walk_failed(struct answer *ans, const struct m_vnet *a,
			const struct m_site *from_site, const struct m_vnet *b,
			const struct m_site *to_site, const struct ip_prefix *dst,
			const struct walk *w)
{
	const struct sema *s = ans->s;
	const struct m_peering *p = w->peering >= 0 ? &s->model.peerings[w->peering] : NULL;
	const char *from = end_words(ans, a, from_site), *to = end_words(ans, b, to_site);

	switch (w->result) {
	case WALK_NO_ROUTE:
		if (a && b && w->at == a)
			return no_route(ans, a, b, dst);
		return say(ans, false, w->udr_table ? hub_of(s, w->udr_table)->transit_loc :
			   LOC_NONE, "the NVA of '%s' has no route to %s of %s",
			   w->at->handle, prefix_text(ans, dst), to);
	case WALK_ACCESS: {
		/* the pair as the query names it, when it is the one */
		bool ours = a && b && sema_peering_between(s, a, b) == w->peering;
		const char *fix = offer_access(ans, w->peering, w->side);
		say(ans, false, s->peerings[w->peering].side[w->side].setting[SET_ACCESS],
		    "the peering '%s' <-> '%s' has access = false on the side of '%s'",
		    ours ? a->handle : p->side[0].vnet->handle,
		    ours ? b->handle : p->side[1].vnet->handle,
		    p->side[w->side].vnet->handle);
		return advise(ans, false, "; ", fix);
	}
	case WALK_FORWARDED:
		return say(ans, false, s->peerings[w->peering].side[w->side].setting[SET_FORWARDED],
			   "'%s' does not accept the traffic that '%s' forwards from %s: the "
			   "peering '%s' <-> '%s' has forwarded = false on its side",
			   p->side[w->side].vnet->handle, p->side[1 - w->side].vnet->handle,
			   from, p->side[0].vnet->handle, p->side[1].vnet->handle);
	case WALK_ASTRAY:
		return say(ans, false, LOC_NONE, "traffic from %s to %s of %s ends in '%s', "
			   "whose address space overlaps it", from, prefix_text(ans, dst), to,
			   w->at->handle);
	case WALK_LOOP:
		return say(ans, false, LOC_NONE, "traffic from %s to %s of %s loops between "
			   "NVAs whose route tables send it on to each other", from,
			   prefix_text(ans, dst), to);
	case WALK_NOT_ADVERTISED:
	case WALK_DELIVERED:
		break;
	}
	BUG();
}

/* "hub 'H': 'A' -> 'H' -> 'B' (transit = nva)", and why the packets take
 * that way when a peering of A and B is there too. */
static bool via_hub(struct answer *ans, const struct m_vnet *a, const struct m_vnet *b,
		    const struct ip_prefix *dst, const struct walk *w)
{
	const struct s_hub *h = hub_of(ans->s, w->udr_table);
	const char *by = w->udr->prefix.len == dst->len ? "" :
		arena_printf(ans->ar, ", by the route %s", prefix_text(ans, &w->udr->prefix));

	if (w->beaten_peering < 0)
		return say(ans, true, h->transit_loc, "hub '%s': '%s' -> '%s' -> '%s' "
			   "(transit = %s%s)", h->hub->handle, a->handle, h->hub->handle,
			   b->handle, transit_word(h->transit), by);
	return say(ans, true, h->transit_loc, "hub '%s': '%s' -> '%s' -> '%s' (transit = %s%s), "
		   "not over their peering: the route table of '%s' sends %s to the %s, and "
		   "a user-defined route wins over a peering's route for the same prefix",
		   h->hub->handle, a->handle, h->hub->handle, b->handle,
		   transit_word(h->transit), by, a->handle, prefix_text(ans, dst),
		   w->udr->hop == HOP_VIRTUAL_APPLIANCE ?
		   arena_printf(ans->ar, "NVA %s", addr_text(ans, &w->udr->next_hop_ip)) :
		   "gateway");
}

/* The families a and b both have: the ones traffic must flow in. */
static size_t common_families(const struct m_vnet *a, const struct m_vnet *b,
			      enum ip_family out[2])
{
	static const enum ip_family both[] = { IP_V4, IP_V6 };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(both); i++)
		if (m_vnet_has_family(a, both[i]) && m_vnet_has_family(b, both[i]))
			out[n++] = both[i];
	return n;
}

/* "over IPv6, " before a reason, when the ends have two families. */
static void in_family(struct answer *ans, size_t nfam, enum ip_family f, bool back,
		      const struct m_vnet *from, const struct m_vnet *to)
{
	const char *lead = back ? arena_printf(ans->ar, "on the way back from '%s' to "
					       "'%s', ", from->handle, to->handle) : "";

	if (nfam > 1)
		lead = arena_printf(ans->ar, "%sover %s, ", lead, ip_family_name(f));
	if (*lead)
		ans->reason = arena_printf(ans->ar, "%s%s", lead, ans->reason);
}

static bool vnet_to_vnet(struct answer *ans, const struct m_vnet *a, const struct m_vnet *b)
{
	const struct sema *s = ans->s;
	enum ip_family fam[2];
	size_t nfam = common_families(a, b, fam);
	struct walk w, first = { .peering = -1 };
	const struct ip_prefix *first_dst = NULL;

	if (a == b) {
		path_vnet(ans, a);
		return say(ans, true, a->loc, "being the same VNet");
	}
	if (!nfam)
		return say(ans, false, LOC_NONE, "'%s' and '%s' have no address family in "
			   "common", a->handle, b->handle);
	for (size_t i = 0; i < nfam; i++)
		for (int dir = 0; dir < 2; dir++) {
			const struct m_vnet *from = dir ? b : a, *to = dir ? a : b;
			for (size_t k = 0; k < to->nspace; k++) {
				const struct ip_prefix *dst = &to->space[k];
				if (dst->addr.family != fam[i])
					continue;
				routing_walk(s, from, dst, to, NULL, &w);
				if (w.result != WALK_DELIVERED) {
					path_vnet(ans, from);
					path_walk(ans, from, &w);
					walk_failed(ans, from, NULL, to, NULL, dst, &w);
					in_family(ans, nfam, fam[i], dir, from, to);
					return false;
				}
				if (!first_dst) {
					first = w;
					first_dst = dst;
				}
			}
		}
	path_vnet(ans, a);
	path_walk(ans, a, &first);
	if (first.udr)
		return via_hub(ans, a, b, first_dst, &first);
	return say(ans, true, s->model.peerings[first.peering].loc,
		   "the peering '%s' <-> '%s'", a->handle, b->handle);
}

/* ------------------------------------------------ VNets and sites */

/* a gets no route toward site `site` (via g): a does not use g's gateway,
 * or its route table keeps the gateway's routes out. */
static bool no_gateway(struct answer *ans, const struct m_vnet *a,
		       const struct m_site *site, const struct walk *w)
{
	const struct sema *s = ans->s;
	const struct m_vnet *g = site->via, *used = routing_gateway_of(s, a);
	ptrdiff_t pi = sema_peering_between(s, a, g);

	if (used == g && w->no_gateway_routes) {
		const struct s_hub *h = hub_of(s, s->vnets[a->index].transit_table);
		const char *fix = offer_default_route(ans, h, site);
		say(ans, false, h->propagate_loc, "the route table of '%s' keeps the "
		    "gateway's routes out ('propagate_gateway_routes = false' on hub "
		    "'%s'), and none of its routes covers site '%s'", a->handle,
		    h->hub->handle, site->name);
		return advise(ans, false, "; ", fix);
	}
	if (g->gateway == GW_NONE)
		return say(ans, false, site->loc, "site '%s' is reached through the gateway "
			   "of '%s', which has none", site->name, g->handle);
	if (a->gateway != GW_NONE)
		return say(ans, false, site->loc, "site '%s' is reached through the gateway of "
			   "'%s', and '%s' has a gateway of its own: a VNet with a gateway "
			   "cannot use a remote one", site->name, g->handle, a->handle);
	if (used)
		return say(ans, false, site->loc, "site '%s' is reached through the gateway of "
			   "'%s', and '%s' uses the gateway of '%s': a VNet can use one "
			   "remote gateway", site->name, g->handle, a->handle, used->handle);
	const char *fix = offer_gateway(ans, a, g, pi);
	if (pi >= 0)
		say(ans, false, s->model.peerings[pi].loc,
		    "site '%s' is reached through the gateway of '%s', and '%s' "
		    "does not use it", site->name, g->handle, a->handle);
	else
		say(ans, false, site->loc,
		    "site '%s' is reached through '%s', and '%s' is not peered with it",
		    site->name, g->handle, a->handle);
	return advise(ans, false, "; ", fix);
}

static bool site_walk_failed(struct answer *ans, const struct m_vnet *a,
			     const struct m_site *site, const struct ip_prefix *dst,
			     const struct walk *w, bool back)
{
	if (w->result == WALK_NOT_ADVERTISED ||
	    (w->result == WALK_NO_ROUTE && w->at == a && !back))
		return no_gateway(ans, a, site, w);
	if (w->result == WALK_NO_ROUTE)
		return say(ans, false, LOC_NONE, "%s '%s' has no route to %s%s",
			   back ? "on the way back from the site, the gateway of" :
			   "the NVA of", w->at->handle, prefix_text(ans, dst),
			   back ? arena_printf(ans->ar, " of '%s'", a->handle) : "");
	return back ? walk_failed(ans, NULL, site, a, NULL, dst, w) :
		      walk_failed(ans, a, NULL, NULL, site, dst, w);
}

static bool site_families(const struct m_vnet *a, const struct m_site *site,
			  enum ip_family f)
{
	for (size_t k = 0; k < site->nprefixes; k++)
		if (site->prefixes[k].addr.family == f)
			return m_vnet_has_family(a, f);
	return false;
}

static bool vnet_to_site(struct answer *ans, const struct m_vnet *a,
			 const struct m_site *site)
{
	const struct sema *s = ans->s;
	const struct m_vnet *g = site->via;
	struct walk w, first = { .peering = -1 };
	bool any = false;

	/* the site learns only what g's gateway advertises: its VNet and the
	 * VNets that use it; nothing comes back otherwise */
	if (a != g && routing_gateway_of(s, a) != g) {
		/* the packets do not leave a: the path the reason names, over
		 * their peering through g's gateway, if they are peered */
		ptrdiff_t pi = sema_peering_between(s, a, g);
		path_vnet(ans, a);
		if (pi >= 0) {
			path_peering(ans, a, pi);
			if (g->gateway != GW_NONE)
				path_hop(ans, (struct reach_hop){ .kind = REACH_GATEWAY,
								  .vnet = g });
			path_hop(ans, (struct reach_hop){ .kind = REACH_SITE, .site = site });
		}
		memset(&w, 0, sizeof(w));
		return no_gateway(ans, a, site, &w);
	}

	for (size_t k = 0; k < site->nprefixes; k++) {
		const struct ip_prefix *dst = &site->prefixes[k];
		if (!m_vnet_has_family(a, dst->addr.family))
			continue;
		routing_walk(s, a, dst, NULL, site, &w);
		if (w.result != WALK_DELIVERED) {
			path_vnet(ans, a);
			path_walk(ans, a, &w);
			return site_walk_failed(ans, a, site, dst, &w, false);
		}
		if (!any)
			first = w;
		any = true;
	}
	struct walk back = { .peering = -1 };
	bool back_any = false;
	for (size_t k = 0; k < a->nspace; k++) {
		if (!site_families(a, site, a->space[k].addr.family))
			continue;
		routing_walk_from_site(s, site, &a->space[k], a, &w);
		if (w.result != WALK_DELIVERED) {
			path_hop(ans, (struct reach_hop){ .kind = REACH_SITE, .site = site });
			path_hop(ans, (struct reach_hop){ .kind = REACH_GATEWAY, .vnet = g });
			path_vnet(ans, g);
			path_walk(ans, g, &w);
			return site_walk_failed(ans, a, site, &a->space[k], &w, true);
		}
		if (!back_any)
			back = w;
		back_any = true;
	}
	if (!any)
		return say(ans, false, site->loc, "'%s' and site '%s' have no address family "
			   "in common", a->handle, site->name);
	path_vnet(ans, a);
	path_walk(ans, a, &first);
	path_hop(ans, (struct reach_hop){ .kind = REACH_SITE, .site = site });
	if (first.udr) {
		const struct s_hub *h = hub_of(s, first.udr_table);
		return say(ans, true, h->transit_loc, "'%s' -> '%s' (NVA %s) -> site '%s', "
			   "through the gateway of '%s'; back %s", a->handle, h->hub->handle,
			   addr_text(ans, &first.udr->next_hop_ip), site->name, g->handle,
			   back.udr ? "through the NVA too (the GatewaySubnet's route table)" :
			   "from the gateway directly, not through the NVA "
			   "[-Wasymmetric-routing]");
	}
	if (back.udr)
		return say(ans, true, hub_of(s, back.udr_table)->gateway_subnet_routes_loc,
			   "'%s' -> '%s' -> site '%s', using the gateway of '%s'; back through "
			   "the NVA %s of '%s' (the GatewaySubnet's route table) "
			   "[-Wasymmetric-routing]", a->handle, g->handle, site->name,
			   g->handle, addr_text(ans, &back.udr->next_hop_ip), g->handle);
	if (a == g)
		return say(ans, true, site->loc, "'%s' -> site '%s' through the gateway of '%s'",
			   a->handle, site->name, g->handle);
	return say(ans, true, s->model.peerings[sema_peering_between(s, a, g)].loc,
		   "'%s' -> '%s' -> site '%s', using the gateway of '%s'",
		   a->handle, g->handle, site->name, g->handle);
}

static bool ends(struct answer *ans, const struct s_end *a, const struct s_end *b)
{
	if (a->vnet && b->vnet)
		return vnet_to_vnet(ans, a->vnet, b->vnet);
	if (a->vnet)
		return vnet_to_site(ans, a->vnet, b->site);
	if (b->vnet) {
		bool yes = vnet_to_site(ans, b->vnet, a->site);
		/* the path is found from the VNet; a whole one is told from A */
		for (size_t i = 0; yes && ans->path && i < ans->path->nhops / 2; i++) {
			struct reach_hop *h = ans->path->hops;
			struct reach_hop t = h[i];
			h[i] = h[ans->path->nhops - 1 - i];
			h[ans->path->nhops - 1 - i] = t;
		}
		return yes;
	}
	return say(ans, false, b->site->loc,
		   "'%s' and '%s' are both sites; peerc knows only paths that start "
		   "in a VNet", a->site->name, b->site->name);
}

bool reach_ends(const struct sema *s, const struct s_end *a,
		const struct s_end *b, struct arena *ar, struct loc insert_at,
		struct reach_answer *out)
{
	struct answer ans = { .ar = ar, .s = s, .insert_at = insert_at };

	ans.out.where = LOC_NONE;
	bool yes = ends(&ans, a, b);
	ans.out.why = sentence(&ans);
	*out = ans.out;
	return yes;
}

/* ------------------------------------------------ who reaches a site */

void reach_site_each(const struct sema *s, const struct m_site *site,
		     reach_fn *fn, void *ctx)
{
	const struct m_vnet *h = site->via;
	const struct s_vnet *sh = &s->vnets[h->index];

	fn(ctx, h);
	for (size_t i = 0; i < sh->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sh->peerings[i]];
		int k = sema_side_of(p, h);
		if (p->side[k].setting[SET_GATEWAY_TRANSIT] &&
		    p->side[1 - k].setting[SET_REMOTE_GATEWAY])
			fn(ctx, p->side[1 - k].vnet);
	}
}

/* ------------------------------------------------ explain */

static bool find_end(const struct sema *s, const char *name, struct s_end *e)
{
	e->vnet = strmap_get(&s->vnet_by_handle, name);
	e->site = e->vnet ? NULL : strmap_get(&s->site_by_name, name);
	e->loc = LOC_NONE;
	return e->vnet || e->site;
}

void reach_path(const struct sema *s, const char *a, const char *b,
		struct arena *ar, struct reach_path *out)
{
	struct s_end ea, eb;
	struct answer ans = { .ar = ar, .s = s, .insert_at = LOC_NONE, .path = out };

	memset(out, 0, sizeof(*out));
	if (!find_end(s, a, &ea) || !find_end(s, b, &eb)) {
		out->reason = arena_printf(ar, "'%s' is not a VNet or site of the file",
					   find_end(s, a, &ea) ? b : a);
		out->answer = arena_printf(ar, "no, because %s", out->reason);
		return;
	}
	out->known = true;
	ans.out.where = LOC_NONE;
	out->reachable = ends(&ans, &ea, &eb);
	out->reason = ans.reason;
	out->edit = ans.edit;
	out->answer = arena_printf(ar, "%s, %s %s", out->reachable ? "yes" : "no",
				   out->reachable ? "by" : "because", sentence(&ans));
}

const char *reach_explain(const struct sema *s, const char *a, const char *b,
			  struct arena *ar, bool *reachable)
{
	struct reach_path rp;

	reach_path(s, a, b, ar, &rp);
	*reachable = rp.reachable;
	return rp.answer;
}

/* ------------------------------------------------ require and deny */

static const char *end_name(const struct s_end *e)
{
	return e->vnet ? e->vnet->handle : e->site->name;
}

static void check_rules(struct check_ctx *ctx, bool deny)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nrules; i++) {
		const struct s_rule *rule = &s->rules[i];
		struct reach_answer ans;
		if (rule->deny != deny)
			continue;
		struct loc at = { rule->stmt->loc.start, rule->stmt->loc.start };
		bool yes = reach_ends(s, &rule->a, &rule->b, ctx->arena, at, &ans);
		if (yes != deny)
			continue;
		struct diag *d = check_report(ctx, rule->stmt->loc, "%s: '%s' %s '%s' %s %s",
			deny ? "deny fails" : "require fails", end_name(&rule->a),
			deny ? "reaches" : "cannot reach", end_name(&rule->b),
			deny ? "by" : "because", ans.why);
		for (size_t k = 0; !deny && k < ans.nedits; k++)
			diag_fixit(ctx->diags, d, ans.edits[k].at, ans.edits[k].text);
		if (!loc_is_none(ans.where))
			diag_note(ctx->diags, d, ans.where, "%s", ans.note ? ans.note :
				  deny ? "the path is made here" :
				  "the nearest path is here");
	}
}

void check_require_failed(struct check_ctx *ctx)
{
	check_rules(ctx, false);
}

void check_deny_failed(struct check_ctx *ctx)
{
	check_rules(ctx, true);
}
