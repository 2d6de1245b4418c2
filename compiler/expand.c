/* Expansion: peer, hub and mesh statements become peerings (one per pair,
 * merged when two statements declare the same pair), and transit hubs get
 * their route tables. Part of the resolution pass (resolve.c). */
#include "common.h"

#include "ast.h"
#include "diag.h"
#include "resolve.h"
#include "resolve_int.h"
#include "util.h"

static const char *const peer_attrs[] = {
	"access", "forwarded", "gateway", "name", NULL,
};
static const char *const mesh_attrs[] = {
	"access", "forwarded", "name", NULL,
};
static const char *const hub_attrs[] = {
	"access", "forwarded", "gateway", "name", "transit", "direct", NULL,
};
static const char *const side_attrs[] = {
	"access", "forwarded", "gateway_transit", "remote_gateway", "name", NULL,
};

/* ------------------------------------------------ peerings */

/* The settings one statement gives to each pair it declares. side[0] is the
 * first-named VNet of a peer, the hub of a hub, and the first of a pair of a
 * mesh or of direct spokes. */
struct side_spec {
	bool access, forwarded, gateway_transit, remote_gateway;
	struct loc access_loc, forwarded_loc, gateway_transit_loc, remote_gateway_loc;
	/* `A.name`: this side's own name pattern (live peerings that peerc
	 * import adopts often have unrelated names), else NULL. */
	const char *pattern;
	struct loc pattern_loc;
};

struct pair_spec {
	const struct stmt *st;
	struct loc head;       /* sema_stmt_head(st), made once: a hub has many pairs */
	struct side_spec side[2];
	struct side_spec both;  /* what the unqualified attributes say */
	const char *pattern;   /* the peering name pattern */
	struct loc name_loc;   /* the statement's `name`, else its head */
	struct loc pattern_loc; /* where the pattern is written; LOC_NONE: built in */
};

static void spec_init(struct resolver *r, struct pair_spec *ps, const struct stmt *st)
{
	struct loc head = sema_stmt_head(st);

	memset(ps, 0, sizeof(*ps));
	ps->st = st;
	ps->head = head;
	for (int k = 0; k < 2; k++) {
		ps->side[k].access = true;
		ps->side[k].access_loc = head;
		ps->side[k].forwarded_loc = head;
		ps->side[k].gateway_transit_loc = head;
		ps->side[k].remote_gateway_loc = head;
	}
	ps->both = ps->side[0];
	ps->pattern = "{local}-to-{remote}";
	ps->name_loc = head;
	ps->pattern_loc = LOC_NONE;
	if (r->dflt.peering_name) {
		ps->pattern = r->dflt.peering_name;
		ps->pattern_loc = r->dflt.peering_name_loc;
	}
}

/* Sets one of the four side settings by name; false when there is none. */
static bool set_side(struct side_spec *sd, const char *name, bool val, struct loc loc)
{
	if (strcmp(name, "access") == 0) {
		sd->access = val;
		sd->access_loc = loc;
	} else if (strcmp(name, "forwarded") == 0) {
		sd->forwarded = val;
		sd->forwarded_loc = loc;
	} else if (strcmp(name, "gateway_transit") == 0) {
		sd->gateway_transit = val;
		sd->gateway_transit_loc = loc;
	} else if (strcmp(name, "remote_gateway") == 0) {
		sd->remote_gateway = val;
		sd->remote_gateway_loc = loc;
	} else {
		return false;
	}
	return true;
}

/* `gateway = X`: X's side offers transit, the other side uses it. */
static void set_gateway_pair(struct pair_spec *ps, int offer, bool on, struct loc loc)
{
	set_side(&ps->side[offer], "gateway_transit", on, loc);
	set_side(&ps->side[1 - offer], "remote_gateway", on, loc);
}

/* An attribute any peering block has: unqualified access, forwarded, name.
 * Returns false when it is not one of them. */
static bool common_peer_attr(struct resolver *r, struct pair_spec *ps,
			     const struct attr *at)
{
	const char *n = at->name;

	if (strcmp(n, "access") == 0 || strcmp(n, "forwarded") == 0) {
		if (res_value_ok(r, at, W_FLAG)) {
			for (int k = 0; k < 2; k++)
				set_side(&ps->side[k], n, res_flag(at), at->loc);
			set_side(&ps->both, n, res_flag(at), at->loc);
		}
		return true;
	}
	if (strcmp(n, "name") == 0) {
		if (res_value_ok(r, at, W_STRING)) {
			ps->pattern = res_text(at);
			ps->name_loc = ps->pattern_loc = at->values->loc;
		}
		return true;
	}
	return false;
}

/* `Q.setting = value`: side is the side Q names, or -1 (reported). */
static void qualified_attr(struct resolver *r, struct pair_spec *ps,
			   const struct attr *at, int side)
{
	if (side < 0)
		return;
	if (!res_known_attr(side_attrs, at->name)) {
		res_unknown_attr(r, at, side_attrs, "a side of a peering");
		return;
	}
	if (strcmp(at->name, "name") == 0) {
		if (res_value_ok(r, at, W_STRING)) {
			ps->side[side].pattern = res_text(at);
			ps->side[side].pattern_loc = at->values->loc;
		}
		return;
	}
	if (res_value_ok(r, at, W_FLAG))
		set_side(&ps->side[side], at->name, res_flag(at), at->loc);
}

static int qual_side(struct resolver *r, const struct attr *at,
		     const char *q0, const char *q1)
{
	if (strcmp(at->qual, q0) == 0)
		return 0;
	if (strcmp(at->qual, q1) == 0)
		return 1;
	res_error(r, "unknown-attribute", at->qual_loc,
		  "'%s.%s': the side must be '%s' or '%s'", at->qual, at->name, q0, q1);
	return -1;
}

/* peer A <-> B { ... } */
static void peer_block(struct resolver *r, struct pair_spec *ps, const struct stmt *st)
{
	const char *a = st->names->name, *b = st->names->next->name;
	struct strmap seen;

	strmap_init(&seen, r->a);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (res_repeated(r, &seen, at))
			continue;
		if (at->qual) {
			qualified_attr(r, ps, at, qual_side(r, at, a, b));
			continue;
		}
		if (common_peer_attr(r, ps, at))
			continue;
		if (strcmp(at->name, "gateway") != 0) {
			res_unknown_attr(r, at, peer_attrs, "a peer block");
			continue;
		}
		if (!res_value_ok(r, at, W_IDENT))
			continue;
		const char *g = res_text(at);
		if (strcmp(g, a) == 0 || strcmp(g, b) == 0)
			set_gateway_pair(ps, strcmp(g, a) == 0 ? 0 : 1, true, at->loc);
		else if (strcmp(g, "none") != 0)
			res_error(r, "invalid-value", at->values->loc,
				  "'gateway' is '%s', '%s' or 'none'", a, b);
	}
}

/* ------------------------------------------------ the pair map */

static const char *pair_key(struct arena *a, const struct m_vnet *x,
			    const struct m_vnet *y)
{
	size_t lo = x->index < y->index ? x->index : y->index;
	size_t hi = x->index < y->index ? y->index : x->index;

	return arena_printf(a, "%zu:%zu", lo, hi);
}

ptrdiff_t sema_peering_between(const struct sema *s, const struct m_vnet *a,
			       const struct m_vnet *b)
{
	char key[48];
	size_t lo = a->index < b->index ? a->index : b->index;
	size_t hi = a->index < b->index ? b->index : a->index;

	snprintf(key, sizeof(key), "%zu:%zu", lo, hi);
	void *v = strmap_get(&s->pair_index, key);
	return v ? (ptrdiff_t)((uintptr_t)v - 1) : -1;
}

/* "{local}" and "{remote}" replaced by the Azure names. */
static const char *expand_name(struct arena *a, const char *pattern,
			       const struct m_vnet *local, const struct m_vnet *remote)
{
	struct strbuf sb;
	char *out;

	sb_init(&sb);
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{local}", 7) == 0) {
			sb_puts(&sb, local->name);
			p += 7;
		} else if (strncmp(p, "{remote}", 8) == 0) {
			sb_puts(&sb, remote->name);
			p += 8;
		} else {
			sb_putc(&sb, *p++);
		}
	}
	out = arena_strndup(a, sb.buf, sb.len);
	sb_free(&sb);
	return out;
}

static void fill_side(struct resolver *r, struct m_side *md, struct s_side *sd,
		      const struct side_spec *sp, const struct pair_spec *ps,
		      struct m_vnet *me, struct m_vnet *other)
{
	md->vnet = me;
	md->name = expand_name(r->a, sp->pattern ? sp->pattern : ps->pattern, me, other);
	md->access = sp->access;
	md->forwarded = sp->forwarded;
	md->gateway_transit = sp->gateway_transit;
	md->remote_gateway = sp->remote_gateway;
	sd->access = sp->access_loc;
	sd->forwarded = sp->forwarded_loc;
	sd->gateway_transit = sp->gateway_transit_loc;
	sd->remote_gateway = sp->remote_gateway_loc;
	sd->name = sp->pattern ? sp->pattern_loc : ps->name_loc;
	sd->pattern = sp->pattern ? sp->pattern_loc : ps->pattern_loc;
}

/* The first setting in which an existing side differs from a new one. */
static const char *side_differs(const struct m_side *old, const struct m_side *new)
{
	if (old->access != new->access)
		return "access";
	if (old->forwarded != new->forwarded)
		return "forwarded";
	if (old->gateway_transit != new->gateway_transit)
		return "gateway_transit";
	if (old->remote_gateway != new->remote_gateway)
		return "remote_gateway";
	if (strcmp(old->name, new->name) != 0)
		return "name";
	return NULL;
}

static void push_stmt(struct resolver *r, struct s_peering *sp, const struct stmt *st)
{
	size_t cap = sp->nstmts; /* grows by one: pairs are rarely declared twice */
	const struct stmt **n = arena_alloc(r->a, (cap + 1) * sizeof(*n));

	if (cap)
		memcpy(n, sp->stmts, cap * sizeof(*n));
	n[cap] = st;
	sp->stmts = n;
	sp->nstmts = cap + 1;
}

static void merge_pair(struct resolver *r, size_t pi, const struct m_peering *np,
		       const struct pair_spec *ps)
{
	struct m_peering *p = &r->s->model.peerings[pi];
	struct s_peering *sp = &r->s->peerings[pi];

	for (int k = 0; k < 2; k++) {
		int nk = np->side[0].vnet == p->side[k].vnet ? 0 : 1;
		const char *what = side_differs(&p->side[k], &np->side[nk]);
		if (!what)
			continue;
		struct diag *d = res_error(r, "peering-conflict", ps->head,
					   "'%s' <-> '%s' is declared again with a different '%s.%s'",
					   p->side[0].vnet->handle, p->side[1].vnet->handle,
					   p->side[k].vnet->handle, what);
		diag_note(r->diags, d, sema_stmt_head(sp->stmts[0]), "first declared here");
		return;
	}
	push_stmt(r, sp, ps->st);
}

/* Declares the pair x, y with the statement's settings (x takes side[0]). */
static void add_pair(struct resolver *r, struct m_vnet *x, struct m_vnet *y,
		     const struct pair_spec *ps)
{
	struct sema *s = r->s;
	struct m_peering np = { .first = -1, .loc = ps->head };
	struct s_peering nsp = { 0 };
	const char *key = pair_key(r->a, x, y);
	size_t idx = s->model.npeerings;
	void *prev = strmap_put(&s->pair_index, key, (void *)(uintptr_t)(idx + 1));

	fill_side(r, &np.side[0], &nsp.side[0], &ps->side[0], ps, x, y);
	fill_side(r, &np.side[1], &nsp.side[1], &ps->side[1], ps, y, x);
	if (prev) {
		merge_pair(r, (uintptr_t)prev - 1, &np, ps);
		return;
	}
	for (int k = 0; k < 2; k++)
		if (np.side[k].remote_gateway && np.side[1 - k].gateway_transit)
			np.first = 1 - k;
	size_t cap = r->peerings_cap;
	ARENA_PUSH(r->a, s->model.peerings, s->model.npeerings, r->peerings_cap);
	s->peerings = cap == r->peerings_cap ? s->peerings :
		arena_grow(r->a, s->peerings, cap * sizeof(*s->peerings),
			   r->peerings_cap * sizeof(*s->peerings));
	s->model.peerings[idx] = np;
	s->peerings[idx] = nsp;
	push_stmt(r, &s->peerings[idx], ps->st);
}

static bool not_self(struct resolver *r, const struct m_vnet *x,
		     const struct m_vnet *y, const struct ident *at)
{
	if (x != y)
		return true;
	res_error(r, "self-peering", at->loc, "VNet '%s' is peered with itself", x->handle);
	return false;
}

void expand_peer(struct resolver *r, const struct stmt *st)
{
	const struct ident *ia = st->names, *ib = ia->next;
	struct m_vnet *a = res_lookup_vnet(r, ia), *b = res_lookup_vnet(r, ib);
	struct pair_spec ps;

	spec_init(r, &ps, st);
	peer_block(r, &ps, st);
	if (a && b && not_self(r, a, b, ib))
		add_pair(r, a, b, &ps);
}

/* The VNets of a name list: unknown names and repeats reported and left out. */
static struct m_vnet **member_list(struct resolver *r, const struct ident *first,
				   size_t *n_out)
{
	size_t n = 0, k = 0;
	struct strmap seen;

	for (const struct ident *id = first; id; id = id->next)
		n++;
	struct m_vnet **out = arena_alloc(r->a, (n ? n : 1) * sizeof(*out));
	strmap_init(&seen, r->a);
	for (const struct ident *id = first; id; id = id->next) {
		struct m_vnet *v = res_lookup_vnet(r, id);
		if (!v)
			continue;
		struct loc *here = arena_alloc(r->a, sizeof(*here));
		*here = id->loc;
		const struct loc *prev = strmap_put(&seen, id->name, here);
		if (prev) {
			struct diag *d = res_error(r, "duplicate-vnet", id->loc,
						   "'%s' is listed twice", id->name);
			diag_note(r->diags, d, *prev, "first listed here");
			continue;
		}
		out[k++] = v;
	}
	*n_out = k;
	return out;
}

/* k members peered pairwise need k - 1 peerings each. */
static bool small_enough(struct resolver *r, const struct stmt *st, size_t k,
			 const char *what)
{
	if (k <= SEMA_MAX_PEERINGS + 1)
		return true;
	res_error(r, "peering-limit", sema_stmt_head(st),
		  "%s of %zu VNets gives each %zu peerings; Azure allows at most %d",
		  what, k, k - 1, SEMA_MAX_PEERINGS);
	return false;
}

static void all_pairs(struct resolver *r, struct m_vnet **v, size_t n,
		      const struct pair_spec *ps)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			add_pair(r, v[i], v[j], ps);
}

void expand_mesh(struct resolver *r, const struct stmt *st)
{
	size_t n;
	struct m_vnet **v = member_list(r, st->names, &n);
	struct pair_spec ps;

	struct strmap seen;

	spec_init(r, &ps, st);
	strmap_init(&seen, r->a);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (res_repeated(r, &seen, at) || !res_unqualified(r, at, "a mesh block"))
			continue;
		if (!common_peer_attr(r, &ps, at))
			res_unknown_attr(r, at, mesh_attrs, "a mesh block");
	}
	if (small_enough(r, st, n, "a mesh"))
		all_pairs(r, v, n, &ps);
}

/* ------------------------------------------------ hubs */

struct hub_block {
	const struct attr *gateway; /* the gateway attribute, or NULL */
	bool gateway_none;
};

static void hub_transit(struct resolver *r, struct s_hub *h, const struct attr *at)
{
	if (!res_value_ok(r, at, W_IDENT))
		return;
	const char *t = res_text(at);
	if (strcmp(t, "nva") == 0)
		h->transit = TRANSIT_NVA;
	else if (strcmp(t, "gateway") == 0)
		h->transit = TRANSIT_GATEWAY;
	else if (strcmp(t, "none") != 0)
		res_error(r, "invalid-value", at->values->loc,
			  "'transit' is 'nva', 'gateway' or 'none'");
	if (h->transit != TRANSIT_NONE)
		h->transit_loc = at->loc;
}

static void hub_attr(struct resolver *r, struct s_hub *h, struct pair_spec *ps,
		     struct hub_block *hb, const struct attr *at)
{
	const char *n = at->name;

	if (common_peer_attr(r, ps, at))
		return;
	if (strcmp(n, "transit") == 0) {
		hub_transit(r, h, at);
	} else if (strcmp(n, "direct") == 0) {
		if (res_value_ok(r, at, W_FLAG))
			h->direct = res_flag(at);
	} else if (strcmp(n, "gateway") == 0) {
		if (!res_value_ok(r, at, W_IDENT))
			return;
		const char *g = res_text(at);
		if (strcmp(g, "none") == 0)
			hb->gateway_none = true;
		else if (strcmp(g, h->stmt->names->name) == 0)
			hb->gateway = at;
		else
			res_error(r, "invalid-value", at->values->loc,
				  "'gateway' in a hub block is '%s' or 'none'",
				  h->stmt->names->name);
	} else {
		res_unknown_attr(r, at, hub_attrs, "a hub block");
	}
}

/* Returns whether gateway = H is in effect only by default. */
static bool hub_block(struct resolver *r, struct s_hub *h, struct pair_spec *ps)
{
	const struct stmt *st = h->stmt;
	struct hub_block hb = { NULL, false };
	struct strmap seen;

	strmap_init(&seen, r->a);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (res_repeated(r, &seen, at))
			continue;
		if (at->qual)
			qualified_attr(r, ps, at, qual_side(r, at, "hub", "spokes"));
		else
			hub_attr(r, h, ps, &hb, at);
	}
	h->gateway_loc = hb.gateway ? hb.gateway->loc : sema_stmt_head(st);
	h->gateway = hb.gateway || (!hb.gateway_none && h->hub && h->hub->gateway != GW_NONE);
	if (h->gateway)
		set_gateway_pair(ps, 0, true, h->gateway_loc);
	/* Transit needs the spokes to accept what the hub forwards. */
	if (h->transit != TRANSIT_NONE)
		set_side(&ps->side[1], "forwarded", true, h->transit_loc);
	return h->gateway && !hb.gateway;
}

/* The spoke-to-spoke peerings of `direct` carry access and forwarded as the
 * block sets them unqualified, and nothing about gateways. */
static void direct_spec(const struct pair_spec *ps, struct pair_spec *dps)
{
	*dps = *ps;
	dps->side[0] = dps->side[1] = ps->both;
}

/* A default gateway = H is for the spokes that can use it: one with a
 * gateway of its own cannot (an explicit gateway = H still says so). */
static void hub_pairs(struct resolver *r, struct s_hub *h, const struct pair_spec *ps,
		      bool implied)
{
	struct pair_spec own = *ps;

	own.side[0].gateway_transit = false;
	own.side[1].remote_gateway = false;
	for (size_t i = 0; i < h->nspokes; i++) {
		bool skip = implied && h->spokes[i]->gateway != GW_NONE;
		add_pair(r, h->hub, h->spokes[i], skip ? &own : ps);
	}
	if (h->direct && small_enough(r, h->stmt, h->nspokes, "direct spokes")) {
		struct pair_spec dps;
		direct_spec(ps, &dps);
		all_pairs(r, h->spokes, h->nspokes, &dps);
	}
}

void expand_hub(struct resolver *r, const struct stmt *st)
{
	struct sema *s = r->s;
	struct m_vnet *hub = res_lookup_vnet(r, st->names);
	size_t n;
	struct m_vnet **spokes = member_list(r, st->names->next, &n);
	struct pair_spec ps;

	ARENA_PUSH(r->a, s->hubs, s->nhubs, r->hubs_cap);
	struct s_hub *h = &s->hubs[s->nhubs - 1];
	memset(h, 0, sizeof(*h));
	h->stmt = st;
	h->hub = hub;
	h->transit_loc = LOC_NONE;
	spec_init(r, &ps, st);
	bool implied = hub_block(r, h, &ps);
	h->spokes = spokes;
	for (size_t i = 0; i < n; i++) {
		const struct ident *id = st->names->next;
		if (hub && spokes[i] == hub) {
			while (strcmp(id->name, hub->handle) != 0)
				id = id->next;
			not_self(r, hub, hub, id);
			continue;
		}
		h->spokes[h->nspokes++] = spokes[i];
	}
	if (hub)
		hub_pairs(r, h, &ps, implied);
}

/* ------------------------------------------------ transit route tables */

size_t sema_routes_to(const struct s_hub *h, const struct m_vnet *to)
{
	size_t n = 0;

	for (size_t k = 0; k < to->nspace; k++)
		n += h->transit != TRANSIT_NVA ||
		     to->space[k].addr.family == h->hub->nva.family;
	return n;
}

/* The routes toward one spoke, for every other spoke's table. */
static struct m_route *routes_to(struct resolver *r, const struct s_hub *h,
				 const struct m_vnet *to, struct m_route *out)
{
	size_t n = sema_routes_to(h, to);

	for (size_t k = 0; k < to->nspace; k++) {
		/* A route's next hop and prefix share a family. */
		if (h->transit == TRANSIT_NVA &&
		    to->space[k].addr.family != h->hub->nva.family)
			continue;
		out->name = n == 1 ? arena_printf(r->a, "to-%s", to->name) :
			arena_printf(r->a, "to-%s-%zu", to->name, k + 1);
		out->prefix = to->space[k];
		out->hop = h->transit == TRANSIT_NVA ? HOP_VIRTUAL_APPLIANCE :
						       HOP_VIRTUAL_NETWORK_GATEWAY;
		if (h->transit == TRANSIT_NVA)
			out->next_hop_ip = h->hub->nva;
		out++;
	}
	return out;
}

static struct m_route_table *new_route_table(struct resolver *r, size_t hi)
{
	struct sema *s = r->s;
	size_t old = r->route_tables_cap;

	ARENA_PUSH(r->a, s->model.route_tables, s->model.nroute_tables,
		   r->route_tables_cap);
	if (old != r->route_tables_cap)
		s->route_table_hub = arena_grow(r->a, s->route_table_hub,
			old * sizeof(size_t), r->route_tables_cap * sizeof(size_t));
	s->route_table_hub[s->model.nroute_tables - 1] = hi;
	struct m_route_table *rt = &s->model.route_tables[s->model.nroute_tables - 1];
	memset(rt, 0, sizeof(*rt));
	return rt;
}

/* One table per spoke: a route to every other spoke's prefixes. The hub's
 * routes are made once (all[], spoke i's at first[i] .. first[i + 1]) and
 * each table copies all but its own. A hub past the peering or route limit
 * gets none: that is an error, and its tables would be large for nothing. */
void expand_route_tables(struct resolver *r, size_t hi)
{
	const struct s_hub *h = &r->s->hubs[hi];
	size_t n = h->nspokes, total = 0, most = 0;

	if (!h->hub || h->transit == TRANSIT_NONE || n > SEMA_MAX_PEERINGS)
		return;
	size_t *first = arena_alloc(r->a, (n + 1) * sizeof(*first));
	for (size_t i = 0; i < n; i++) {
		first[i] = total;
		total += sema_routes_to(h, h->spokes[i]);
	}
	first[n] = total;
	for (size_t i = 0; i < n; i++)
		if (total - (first[i + 1] - first[i]) > most)
			most = total - (first[i + 1] - first[i]);
	if (most > SEMA_MAX_ROUTES)
		return;
	struct m_route *all = arena_alloc(r->a, (total ? total : 1) * sizeof(*all));
	for (size_t i = 0; i < n; i++)
		routes_to(r, h, h->spokes[i], all + first[i]);
	for (size_t i = 0; i < n; i++) {
		struct m_route_table *rt = new_route_table(r, hi);
		rt->vnet = h->spokes[i];
		rt->hub = h->hub;
		rt->name = arena_printf(r->a, "rt-%s-via-%s", rt->vnet->name, h->hub->name);
		rt->nroutes = total - (first[i + 1] - first[i]);
		rt->routes = arena_alloc(r->a, (rt->nroutes ? rt->nroutes : 1) *
					 sizeof(*rt->routes));
		memcpy(rt->routes, all, first[i] * sizeof(*all));
		memcpy(rt->routes + first[i], all + first[i + 1],
		       (total - first[i + 1]) * sizeof(*all));
	}
}
