/* Expansion: peer, hub and mesh statements become peerings (one per pair,
 * merged when two statements declare the same pair), and transit hubs get
 * their route tables. Part of the resolution pass (resolve.c). */
#include "common.h"

#include "ast.h"
#include "diag.h"
#include "names.h"
#include "resolve.h"
#include "resolve_int.h"
#include "util.h"

/* ------------------------------------------------ peerings */

/* The settings one statement gives to each pair it declares. side[0] is the
 * first-named VNet of a peer, the hub of a hub, and the first of a pair of a
 * mesh or of direct spokes. */
struct side_spec {
	bool on[PEERING_SETTINGS];
	struct loc at[PEERING_SETTINGS];
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
		ps->side[k].on[SET_ACCESS] = true;
		for (int i = 0; i < PEERING_SETTINGS; i++)
			ps->side[k].at[i] = head;
	}
	ps->both = ps->side[0];
	ps->pattern = "{local}-to-{remote}";
	ps->name_loc = head;
	ps->pattern_loc = LOC_NONE;
	if (r->dflt.text[DFLT_PEERING_NAME]) {
		ps->pattern = r->dflt.text[DFLT_PEERING_NAME];
		ps->pattern_loc = r->dflt.text_loc[DFLT_PEERING_NAME];
	}
}

static void set_side(struct side_spec *sd, int k, bool val, struct loc loc)
{
	sd->on[k] = val;
	sd->at[k] = loc;
}

/* `gateway = X`: X's side offers transit, the other side uses it. */
static void set_gateway_pair(struct pair_spec *ps, int offer, bool on, struct loc loc)
{
	set_side(&ps->side[offer], SET_GATEWAY_TRANSIT, on, loc);
	set_side(&ps->side[1 - offer], SET_REMOTE_GATEWAY, on, loc);
}

/* ------------------------------------------------ the blocks */

/* A peer, hub or mesh block being read. */
struct pair_block {
	struct pair_spec *ps;
	struct s_hub *h;              /* a hub's, else NULL */
	const struct attr *gateway;   /* a hub's `gateway = H`, or NULL */
	bool gateway_none;            /* a hub's `gateway = none` */
};

/* `Q.setting = value`: one side's setting (key). */
static void side_setting(struct resolver *r, void *obj, const struct attr *at, int key)
{
	set_side(obj, key, res_flag(at), at->loc);
}

/* `Q.name = "..."`: one side's own peering name pattern. */
static void side_name(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct side_spec *sp = obj;

	sp->pattern = res_text(at);
	sp->pattern_loc = at->values->loc;
}

/* The language's names of the settings, in enum order, then the side's
 * own name. */
static const struct attr_row side_attrs[PEERING_SETTINGS + 1] = {
	[SET_ACCESS] = { "access", W_FLAG, NULL, side_setting, SET_ACCESS },
	[SET_FORWARDED] = { "forwarded", W_FLAG, NULL, side_setting, SET_FORWARDED },
	[SET_GATEWAY_TRANSIT] = { "gateway_transit", W_FLAG, NULL, side_setting,
				  SET_GATEWAY_TRANSIT },
	[SET_REMOTE_GATEWAY] = { "remote_gateway", W_FLAG, NULL, side_setting,
				 SET_REMOTE_GATEWAY },
	[PEERING_SETTINGS] = { "name", W_STRING, NULL, side_name, 0 },
};
const struct attr_table res_side_table = {
	"a side of a peering", side_attrs, ARRAY_SIZE(side_attrs)
};

const char *sema_setting_name(enum peering_setting k)
{
	return side_attrs[k].name;
}

/* Unqualified access or forwarded (key): both sides. */
static void both_sides(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct pair_spec *ps = ((struct pair_block *)obj)->ps;

	for (int k = 0; k < 2; k++)
		set_side(&ps->side[k], key, res_flag(at), at->loc);
	set_side(&ps->both, key, res_flag(at), at->loc);
}

static void name_pattern(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct pair_spec *ps = ((struct pair_block *)obj)->ps;

	ps->pattern = res_text(at);
	ps->name_loc = ps->pattern_loc = at->values->loc;
}

/* peer A <-> B { gateway = A | B | none } */
static void peer_gateway(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct pair_spec *ps = ((struct pair_block *)obj)->ps;
	const char *a = ps->st->names->name, *b = ps->st->names->next->name;
	const char *g = res_text(at);

	if (strcmp(g, a) == 0 || strcmp(g, b) == 0)
		set_gateway_pair(ps, strcmp(g, a) == 0 ? 0 : 1, true, at->loc);
	else if (strcmp(g, "none") != 0)
		res_error(r, "invalid-value", at->values->loc,
			  "'gateway' is '%s', '%s' or 'none'", a, b);
}

static const char *const transit_choices[] = { "nva", "gateway", "none", NULL };

static void hub_transit(struct resolver *r, void *obj, const struct attr *at, int key)
{
	static const enum transit_mode modes[] = {
		TRANSIT_NVA, TRANSIT_GATEWAY, TRANSIT_NONE,
	};
	struct s_hub *h = ((struct pair_block *)obj)->h;

	h->transit = modes[res_choice(transit_choices, at)];
	if (h->transit != TRANSIT_NONE)
		h->transit_loc = at->loc;
}

static void hub_rt_name(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct s_hub *h = ((struct pair_block *)obj)->h;

	h->rt_pattern = res_text(at);
	h->rt_pattern_loc = at->values->loc;
}

static void hub_direct(struct resolver *r, void *obj, const struct attr *at, int key)
{
	((struct pair_block *)obj)->h->direct = res_flag(at);
}

static const char *const route_choices[] = { "spokes", "default", "summary", NULL };

static void hub_routes(struct resolver *r, void *obj, const struct attr *at, int key)
{
	static const enum route_pattern patterns[] = {
		ROUTES_SPOKES, ROUTES_DEFAULT, ROUTES_SUMMARY,
	};
	struct s_hub *h = ((struct pair_block *)obj)->h;

	h->routes = patterns[res_choice(route_choices, at)];
	h->routes_loc = at->loc;
}

static void hub_summary(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct s_hub *h = ((struct pair_block *)obj)->h;
	size_t n = 0;

	for (const struct value *p = at->values; p; p = p->next)
		n++;
	h->summary = arena_alloc(r->a, n * sizeof(*h->summary));
	for (const struct value *p = at->values; p; p = p->next)
		h->summary[h->nsummary++] = ip_prefix_len_ok(&p->u.prefix) ?
			ip_prefix_masked(&p->u.prefix) : p->u.prefix;
	h->summary_src = at->values;
	h->summary_loc = at->loc;
}

static void hub_propagate(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct s_hub *h = ((struct pair_block *)obj)->h;

	h->propagate = res_flag(at);
	h->propagate_loc = at->loc;
}

static void hub_gateway_subnet_routes(struct resolver *r, void *obj,
				      const struct attr *at, int key)
{
	struct s_hub *h = ((struct pair_block *)obj)->h;

	h->gateway_subnet_routes = res_flag(at);
	h->gateway_subnet_routes_loc = at->loc;
}

/* hub H -> ... { gateway = H | none } */
static void hub_gateway(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct pair_block *pb = obj;
	const char *g = res_text(at), *hub = pb->h->stmt->names->name;

	if (strcmp(g, "none") == 0)
		pb->gateway_none = true;
	else if (strcmp(g, hub) == 0)
		pb->gateway = at;
	else
		res_error(r, "invalid-value", at->values->loc,
			  "'gateway' in a hub block is '%s' or 'none'", hub);
}

static const struct attr_row peer_attrs[] = {
	{ "access", W_FLAG, NULL, both_sides, SET_ACCESS },
	{ "forwarded", W_FLAG, NULL, both_sides, SET_FORWARDED },
	{ "gateway", W_IDENT, NULL, peer_gateway, 0 },
	{ "name", W_STRING, NULL, name_pattern, 0 },
};
const struct attr_table res_peer_table = {
	"a peer block", peer_attrs, ARRAY_SIZE(peer_attrs)
};

static const struct attr_row mesh_attrs[] = {
	{ "access", W_FLAG, NULL, both_sides, SET_ACCESS },
	{ "forwarded", W_FLAG, NULL, both_sides, SET_FORWARDED },
	{ "name", W_STRING, NULL, name_pattern, 0 },
};
const struct attr_table res_mesh_table = {
	"a mesh block", mesh_attrs, ARRAY_SIZE(mesh_attrs)
};

static const struct attr_row hub_attrs[] = {
	{ "access", W_FLAG, NULL, both_sides, SET_ACCESS },
	{ "forwarded", W_FLAG, NULL, both_sides, SET_FORWARDED },
	{ "gateway", W_IDENT, NULL, hub_gateway, 0 },
	{ "name", W_STRING, NULL, name_pattern, 0 },
	{ "transit", W_CHOICE, transit_choices, hub_transit, 0 },
	{ "direct", W_FLAG, NULL, hub_direct, 0 },
	{ "route_table_name", W_STRING, NULL, hub_rt_name, 0 },
	{ "routes", W_CHOICE, route_choices, hub_routes, 0 },
	{ "summary", W_PREFIXES, NULL, hub_summary, 0 },
	{ "propagate_gateway_routes", W_FLAG, NULL, hub_propagate, 0 },
	{ "gateway_subnet_routes", W_FLAG, NULL, hub_gateway_subnet_routes, 0 },
};
const struct attr_table res_hub_table = {
	"a hub block", hub_attrs, ARRAY_SIZE(hub_attrs)
};

/* peer A <-> B { ... } */
static void peer_block(struct resolver *r, struct pair_spec *ps, const struct stmt *st)
{
	struct pair_block pb = { .ps = ps };
	struct attr_block b = {
		.table = &res_peer_table, .obj = &pb,
		.qual = { st->names->name, st->names->next->name },
		.side = { &ps->side[0], &ps->side[1] },
	};

	res_block(r, &b, st->attrs);
}

/* ------------------------------------------------ the pair map */

ptrdiff_t sema_peering_between(const struct sema *s, const struct m_vnet *a,
			       const struct m_vnet *b)
{
	uintptr_t v = idmap_get(&s->pair_index, idmap_pair(a->index, b->index));

	return v ? (ptrdiff_t)(v - 1) : -1;
}

/* A name pattern with its two placeholders, "{local}" and "{remote}" of a
 * peering or "{spoke}" and "{hub}" of a route table, replaced by the Azure
 * names of the two VNets. */
/* Which placeholder p starts with: 0, 1 or -1. */
static int placeholder(const char *p, const char *const key[2], const size_t klen[2])
{
	if (*p != '{')
		return -1;
	return strncmp(p, key[0], klen[0]) == 0 ? 0 :
	       strncmp(p, key[1], klen[1]) == 0 ? 1 : -1;
}

/* Measured, then written straight into the arena: one per side of each
 * of 100,000s of peerings. */
static const char *expand_name(struct arena *a, const char *pattern,
			       const char *const key[2], const struct m_vnet *v0,
			       const struct m_vnet *v1)
{
	const char *name[2] = { v0->name, v1->name };
	size_t klen[2] = { strlen(key[0]), strlen(key[1]) };
	size_t nlen[2] = { strlen(name[0]), strlen(name[1]) };
	size_t n = 0;
	int k;

	for (const char *p = pattern; *p; p += k < 0 ? 1 : klen[k])
		n += (k = placeholder(p, key, klen)) < 0 ? 1 : nlen[k];
	char *out = arena_alloc(a, n + 1), *o = out;
	for (const char *p = pattern; *p; p += k < 0 ? 1 : klen[k]) {
		if ((k = placeholder(p, key, klen)) < 0) {
			*o++ = *p;
			continue;
		}
		memcpy(o, name[k], nlen[k]);
		o += nlen[k];
	}
	return out;
}

static const char *const peering_keys[2] = { "{local}", "{remote}" };
static const char *const route_table_keys[2] = { "{spoke}", "{hub}" };

static void fill_side(struct resolver *r, struct m_side *md, struct s_side *sd,
		      const struct side_spec *sp, const struct pair_spec *ps,
		      struct m_vnet *me, struct m_vnet *other)
{
	md->vnet = me;
	md->name = expand_name(r->a, sp->pattern ? sp->pattern : ps->pattern,
			       peering_keys, me, other);
	for (int i = 0; i < PEERING_SETTINGS; i++) {
		md->setting[i] = sp->on[i];
		sd->setting[i] = sp->at[i];
	}
	sd->name = sp->pattern ? sp->pattern_loc : ps->name_loc;
	sd->pattern = sp->pattern ? sp->pattern_loc : ps->pattern_loc;
}

/* The first setting in which an existing side differs from a new one. */
static const char *side_differs(const struct m_side *old, const struct m_side *new)
{
	for (int i = 0; i < PEERING_SETTINGS; i++)
		if (old->setting[i] != new->setting[i])
			return side_attrs[i].name;
	if (strcmp(old->name, new->name) != 0)
		return "name";
	return NULL;
}

static void push_stmt(struct resolver *r, struct s_peering *sp, const struct stmt *st)
{
	size_t cap = sp->nstmts; /* grows by one: pairs are rarely declared twice */
	const struct stmt **n = arena_alloc(r->sa, (cap + 1) * sizeof(*n));

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
	size_t idx = s->model.npeerings;
	uintptr_t prev = idmap_put(&s->pair_index, idmap_pair(x->index, y->index),
				   idx + 1);

	fill_side(r, &np.side[0], &nsp.side[0], &ps->side[0], ps, x, y);
	fill_side(r, &np.side[1], &nsp.side[1], &ps->side[1], ps, y, x);
	if (prev) {
		merge_pair(r, prev - 1, &np, ps);
		return;
	}
	for (int k = 0; k < 2; k++)
		if (np.side[k].setting[SET_REMOTE_GATEWAY] &&
		    np.side[1 - k].setting[SET_GATEWAY_TRANSIT])
			np.first = 1 - k;
	size_t cap = r->peerings_cap;
	ARENA_PUSH(r->a, s->model.peerings, s->model.npeerings, r->peerings_cap);
	s->peerings = cap == r->peerings_cap ? s->peerings :
		arena_grow(r->sa, s->peerings, cap * sizeof(*s->peerings),
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

/* The VNets of a name list: unknown names and repeats reported and left out.
 * When locs is given, it gets where each kept name is written. */
static struct m_vnet **member_list(struct resolver *r, const struct ident *first,
				   size_t *n_out, struct loc **locs)
{
	size_t n = 0, k = 0;
	struct idmap seen; /* VNet index -> 1 + where in the list it stands */

	for (const struct ident *id = first; id; id = id->next)
		n++;
	struct m_vnet **out = arena_alloc(r->a, (n ? n : 1) * sizeof(*out));
	struct loc *at = arena_alloc(locs ? r->a : r->sa, (n ? n : 1) * sizeof(*at));
	if (locs)
		*locs = at;
	/* one name, one VNet: the VNets' indexes are compared, not the names */
	idmap_init(&seen, r->sa, n);
	for (const struct ident *id = first; id; id = id->next) {
		struct m_vnet *v = res_lookup_vnet(r, id);
		if (!v)
			continue;
		at[k] = id->loc;
		uintptr_t prev = idmap_put(&seen, v->index, k + 1);
		if (prev) {
			struct diag *d = res_error(r, "duplicate-vnet", id->loc,
						   "'%s' is listed twice", id->name);
			diag_note(r->diags, d, at[prev - 1], "first listed here");
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
	struct m_vnet **v = member_list(r, st->names, &n, NULL);
	struct pair_spec ps;
	struct pair_block pb = { .ps = &ps };
	struct attr_block b = { .table = &res_mesh_table, .obj = &pb };

	spec_init(r, &ps, st);
	res_block(r, &b, st->attrs);
	if (small_enough(r, st, n, "a mesh"))
		all_pairs(r, v, n, &ps);
}

/* ------------------------------------------------ hubs */

/* Returns whether gateway = H is in effect only by default. */
static bool hub_block(struct resolver *r, struct s_hub *h, struct pair_spec *ps)
{
	const struct stmt *st = h->stmt;
	struct pair_block pb = { .ps = ps, .h = h };
	struct attr_block b = {
		.table = &res_hub_table, .obj = &pb, .qual = { "hub", "spokes" },
		.side = { &ps->side[0], &ps->side[1] },
	};

	res_block(r, &b, st->attrs);
	/* summary alone asks for the summary routes */
	if (h->nsummary && loc_is_none(h->routes_loc))
		h->routes = ROUTES_SUMMARY;
	if (h->routes == ROUTES_SUMMARY && !h->nsummary)
		res_error(r, "invalid-value", h->routes_loc,
			  "'routes = summary' sends the prefixes of 'summary' to the "
			  "next hop: add 'summary = PREFIXES' to the hub block");
	if (h->routes != ROUTES_SUMMARY && h->nsummary)
		res_error(r, "invalid-value", h->summary_loc,
			  "'summary' gives the routes of 'routes = summary', and this hub "
			  "has 'routes = %s'", route_choices[h->routes]);
	h->gateway_loc = pb.gateway ? pb.gateway->loc : sema_stmt_head(st);
	h->gateway = pb.gateway || (!pb.gateway_none && h->hub &&
				    h->hub->gateway != GW_NONE);
	if (h->gateway)
		set_gateway_pair(ps, 0, true, h->gateway_loc);
	/* Transit needs the spokes to accept what the hub forwards. */
	if (h->transit != TRANSIT_NONE)
		set_side(&ps->side[1], SET_FORWARDED, true, h->transit_loc);
	return h->gateway && !pb.gateway;
}

/* The spoke-to-spoke peerings of `direct` carry access and forwarded as the
 * block sets them unqualified, and nothing about gateways. */
static void direct_spec(const struct pair_spec *ps, struct pair_spec *dps)
{
	*dps = *ps;
	dps->side[0] = dps->side[1] = ps->both;
}

/* A spoke with a gateway of its own cannot use the hub's (language.md):
 * when gateway = H is only the hub's default, the remote-gateway-own-gateway
 * error points at the spoke's name in the list rather than at the whole
 * statement. */
static void hub_pairs(struct resolver *r, struct s_hub *h, const struct pair_spec *ps,
		      bool implied, const struct loc *spoke_locs)
{
	struct pair_spec own = *ps;

	for (size_t i = 0; i < h->nspokes; i++) {
		bool here = implied && h->spokes[i]->gateway != GW_NONE;
		own.side[1].at[SET_REMOTE_GATEWAY] = spoke_locs[i];
		add_pair(r, h->hub, h->spokes[i], here ? &own : ps);
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
	struct loc *locs;
	struct m_vnet **spokes = member_list(r, st->names->next, &n, &locs);
	struct pair_spec ps;

	ARENA_PUSH(r->a, s->hubs, s->nhubs, r->hubs_cap);
	struct s_hub *h = &s->hubs[s->nhubs - 1];
	memset(h, 0, sizeof(*h));
	h->stmt = st;
	h->hub = hub;
	h->transit_loc = LOC_NONE;
	h->routes_loc = h->summary_loc = h->propagate_loc = LOC_NONE;
	h->gateway_subnet_routes_loc = LOC_NONE;
	h->propagate = true;
	h->rt_pattern = r->dflt.text[DFLT_ROUTE_TABLE_NAME];
	h->rt_pattern_loc = h->rt_pattern ? r->dflt.text_loc[DFLT_ROUTE_TABLE_NAME] :
					    LOC_NONE;
	spec_init(r, &ps, st);
	bool implied = hub_block(r, h, &ps);
	h->gateway_implied = implied;
	h->spokes = spokes;
	for (size_t i = 0; i < n; i++) {
		const struct ident *id = st->names->next;
		if (hub && spokes[i] == hub) {
			while (strcmp(id->name, hub->handle) != 0)
				id = id->next;
			not_self(r, hub, hub, id);
			continue;
		}
		locs[h->nspokes] = locs[i];
		h->spokes[h->nspokes++] = spokes[i];
	}
	if (hub)
		hub_pairs(r, h, &ps, implied, locs);
}

/* ------------------------------------------------ transit route tables */

bool sema_next_hop(const struct s_hub *h, enum ip_family f, struct m_route *out)
{
	const struct ip_addr *nva = m_vnet_nva(h->hub, f);

	if (h->transit == TRANSIT_GATEWAY) {
		out->hop = HOP_VIRTUAL_NETWORK_GATEWAY;
		return true;
	}
	if (!nva)
		return false;
	out->hop = HOP_VIRTUAL_APPLIANCE;
	out->next_hop_ip = *nva;
	return true;
}

/* How many routes toward VNet `to` a table of hub h holds: one per prefix
 * of `to` that the next hop can carry. */
static size_t routes_to_count(const struct s_hub *h, const struct m_vnet *to)
{
	struct m_route hop;
	size_t n = 0;

	for (size_t k = 0; k < to->nspace; k++)
		n += sema_next_hop(h, to->space[k].addr.family, &hop);
	return n;
}

/* The routes toward one spoke, for every other spoke's table. */
static struct m_route *routes_to(struct resolver *r, const struct s_hub *h,
				 const struct m_vnet *to, struct m_route *out)
{
	size_t n = routes_to_count(h, to);

	for (size_t k = 0; k < to->nspace; k++) {
		/* A route's next hop and prefix share a family. */
		if (!sema_next_hop(h, to->space[k].addr.family, out))
			continue;
		out->name = n == 1 ? arena_printf(r->a, "to-%s", to->name) :
			arena_printf(r->a, "to-%s-%zu", to->name, k + 1);
		out->prefix = to->space[k];
		out++;
	}
	return out;
}

/* The routes of ROUTES_DEFAULT (0.0.0.0/0 and ::/0) or of the summary:
 * the same for every spoke's table. */
static struct m_route *fixed_routes(struct resolver *r, const struct s_hub *h,
				    bool summary, size_t *n_out)
{
	static const char *const any[2] = { "0.0.0.0/0", "::/0" };
	size_t cap = summary ? h->nsummary : 2, n = 0;
	struct m_route *out = arena_alloc(r->a, (cap ? cap : 1) * sizeof(*out));

	for (size_t i = 0; i < cap; i++) {
		struct m_route *rt = &out[n];
		if (summary)
			rt->prefix = h->summary[i];
		else if (!ip_parse_prefix(any[i], strlen(any[i]), &rt->prefix))
			BUG();
		if (!sema_next_hop(h, rt->prefix.addr.family, rt))
			continue;
		rt->name = summary ? (h->nsummary == 1 ? "summary" :
				      arena_printf(r->a, "summary-%zu", i + 1)) :
			   i == 0 ? "default" : "default-ipv6";
		n++;
	}
	*n_out = n;
	return out;
}

static struct m_route_table *new_route_table(struct resolver *r, size_t hi,
					     enum route_table_kind kind,
					     struct m_vnet *vnet, const char *name)
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
	rt->kind = kind;
	rt->vnet = vnet;
	rt->hub = s->hubs[hi].hub;
	rt->name = name;
	rt->propagate = true;
	return rt;
}

/* The pattern's name, or the built-in rt-SPOKE-via-HUB; when that is past
 * Azure's limit, rt-SPOKE, which is within it (a VNet name has at most 64
 * characters) and still names the table: a spoke takes one transit table. */
static const char *route_table_name(struct arena *a, const struct s_hub *h,
				    const struct m_vnet *spoke)
{
	const char *name = expand_name(a, h->rt_pattern ? h->rt_pattern :
				       "rt-{spoke}-via-{hub}", route_table_keys,
				       spoke, h->hub);

	if (!h->rt_pattern && strlen(name) > name_rule(NAME_ROUTE_TABLE)->max)
		name = arena_printf(a, "rt-%s", spoke->name);
	return name;
}

/* Every spoke's routes toward it, once: spoke i's at first[i] .. first[i + 1]
 * of the result, the names unique in a table ignoring case (two spokes of
 * one name in two resource groups would both want to-NAME; made of a
 * valid VNet name, "to-NAME-N" is a valid route name too). */
static struct m_route *spoke_routes(struct resolver *r, const struct s_hub *h,
				    const size_t *first)
{
	size_t n = h->nspokes, total = first[n];
	struct m_route *all = arena_alloc(r->a, (total ? total : 1) * sizeof(*all));
	struct strmap used;

	for (size_t i = 0; i < n; i++)
		routes_to(r, h, h->spokes[i], all + first[i]);
	strmap_init(&used, r->a);
	for (size_t i = 0; i < total; i++)
		all[i].name = unique_name(r->a, &used, all[i].name, "-", true, NULL);
	return all;
}

/* The spokes' tables of hub hi and, with gateway_subnet_routes, the table
 * of the hub's GatewaySubnet: a route for each spoke prefix, never a
 * summary, which would lose to the peerings' longer routes (the gateway's
 * subnet has them too) and take nothing to the NVA. ROUTES_SPOKES gives
 * each spoke a route to
 * every other spoke's prefixes: the hub's routes are made once and each
 * table copies all but its own (n - 1 spokes' worth each: quadratic in the
 * hub). ROUTES_DEFAULT and ROUTES_SUMMARY give every spoke the same few
 * routes, one array shared by the tables: linear. A hub past the peering
 * or route limit gets none: that is an error (route-limit), and its tables
 * would be large for nothing. */
void expand_route_tables(struct resolver *r, size_t hi)
{
	struct s_hub *h = &r->s->hubs[hi];
	size_t n = h->nspokes, total = 0, nfixed = 0;
	bool gateway = h->gateway_subnet_routes && h->transit == TRANSIT_NVA;

	if (!h->hub || h->transit == TRANSIT_NONE || n > SEMA_MAX_PEERINGS)
		return;
	size_t *first = arena_alloc(r->a, (n + 1) * sizeof(*first));
	for (size_t i = 0; i < n; i++) {
		first[i] = total;
		total += routes_to_count(h, h->spokes[i]);
	}
	first[n] = total;
	struct m_route *fixed = h->routes == ROUTES_SPOKES ? NULL :
		fixed_routes(r, h, h->routes == ROUTES_SUMMARY, &nfixed);
	for (size_t i = 0; i < n; i++) {
		size_t size = fixed ? nfixed : total - (first[i + 1] - first[i]);
		if (size > h->most_routes || !h->most_routes_spoke) {
			h->most_routes = size;
			h->most_routes_spoke = h->spokes[i];
		}
	}
	h->gateway_routes = gateway ? total : 0;
	if (h->most_routes > SEMA_MAX_ROUTES || h->gateway_routes > SEMA_MAX_ROUTES)
		return;
	struct m_route *all = !fixed || gateway ? spoke_routes(r, h, first) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct m_route_table *rt = new_route_table(r, hi, RT_TRANSIT, h->spokes[i],
			route_table_name(r->a, h, h->spokes[i]));
		rt->propagate = h->propagate;
		if (fixed) {
			rt->routes = fixed;
			rt->nroutes = nfixed;
			continue;
		}
		struct m_route *own = arena_alloc(r->a, (total ? total : 1) * sizeof(*own));
		rt->nroutes = total - (first[i + 1] - first[i]);
		memcpy(own, all, first[i] * sizeof(*all));
		memcpy(own + first[i], all + first[i + 1],
		       (total - first[i + 1]) * sizeof(*all));
		rt->routes = own;
	}
	if (gateway) {
		struct m_route_table *rt = new_route_table(r, hi, RT_GATEWAY_SUBNET, h->hub,
			arena_printf(r->a, "rt-%s-gateway", h->hub->name));
		rt->routes = all;
		rt->nroutes = total;
	}
}

/* Each subnet takes the first table that is its: a spoke's routed subnets
 * its transit table, a hub's GatewaySubnet the hub's GatewaySubnet table
 * (a subnet's second table is route-table-conflict's error). Made once
 * every table is, so the pointers are final. */
void expand_link_route_tables(struct resolver *r)
{
	struct model *m = &r->s->model;

	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_route_table *rt = &m->route_tables[i];
		struct m_vnet *v = rt->vnet;
		struct s_vnet *sv = &r->s->vnets[v->index];
		if (rt->kind == RT_TRANSIT && !sv->transit_table)
			sv->transit_table = rt;
		for (size_t k = 0; k < v->nsubnets; k++) {
			struct m_subnet *sn = &v->subnets[k];
			bool mine = rt->kind == RT_TRANSIT ? sn->routed :
				    strcmp(sn->name, SEMA_GATEWAY_SUBNET) == 0;
			if (mine && !sn->route_table)
				sn->route_table = rt;
		}
	}
}
