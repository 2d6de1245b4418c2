#include "common.h"

#include "routing.h"

/* Where the next lookup happens: a VNet, the route table of the subnet the
 * packet leaves (NULL: system routes only), whether gateway routes reach
 * that subnet, and whether the packet is forwarded (it passed an NVA or a
 * gateway, so a peering must accept forwarded traffic). */
struct origin {
	const struct m_vnet *vnet;
	const struct m_route_table *table;
	bool bgp;
	bool forwarded;
	/* From a site, straight out of the gateway: gateway transit, which
	 * the remote-gateway settings govern, not access (language.md's
	 * rule 3). */
	bool from_gateway;
};

/* The route chosen for one lookup. The sources are in Azure's order of
 * preference for routes of the same prefix. */
enum route_source { SRC_NONE, SRC_LOCAL, SRC_PEERING, SRC_GATEWAY, SRC_USER };

struct pick {
	enum route_source src;
	unsigned len;
	const struct m_route *udr;        /* SRC_USER */
	ptrdiff_t peering;                /* SRC_PEERING */
	const struct m_vnet *gateway;     /* SRC_GATEWAY: whose */
	/* The best system route (local or peering) whatever won: a system
	 * route beats a more specific BGP route, and a user route may beat
	 * a peering's. */
	enum route_source sys_src;
	unsigned sys_len;
	ptrdiff_t sys_peering;
};

static bool prefers(enum route_source src, unsigned len, const struct pick *best)
{
	return best->src == SRC_NONE || len > best->len ||
	       (len == best->len && src > best->src);
}

static void consider(struct pick *p, enum route_source src, unsigned len,
		     const struct m_route *udr, ptrdiff_t peering,
		     const struct m_vnet *gateway)
{
	if ((src == SRC_LOCAL || src == SRC_PEERING) &&
	    (p->sys_src == SRC_NONE || len > p->sys_len)) {
		p->sys_src = src;
		p->sys_len = len;
		p->sys_peering = peering;
	}
	if (!prefers(src, len, p))
		return;
	p->src = src;
	p->len = len;
	p->udr = udr;
	p->peering = peering;
	p->gateway = gateway;
}

/* The longest user route of table t that contains dst, or NULL. */
static const struct m_route *user_route(const struct m_route_table *t,
					const struct ip_prefix *dst)
{
	const struct m_route *best = NULL;

	for (size_t i = 0; t && i < t->nroutes; i++)
		if (ip_prefix_contains(&t->routes[i].prefix, dst) &&
		    (!best || t->routes[i].prefix.len > best->prefix.len))
			best = &t->routes[i];
	return best;
}

const struct m_vnet *routing_gateway_of(const struct sema *s, const struct m_vnet *v)
{
	const struct s_vnet *sv = &s->vnets[v->index];

	if (v->gateway != GW_NONE)
		return v;
	for (size_t i = 0; i < sv->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sv->peerings[i]];
		int k = sema_side_of(p, v);
		if (p->side[k].setting[SET_REMOTE_GATEWAY] &&
		    p->side[1 - k].setting[SET_GATEWAY_TRANSIT])
			return p->side[1 - k].vnet;
	}
	return NULL;
}

const struct m_route_table *routing_table_of(const struct sema *s, const struct m_vnet *v)
{
	const struct m_route_table *t = s->vnets[v->index].transit_table;

	if (!t || v->nsubnets == 0)
		return t;
	for (size_t i = 0; i < v->nsubnets; i++)
		if (v->subnets[i].route_table == t)
			return t;
	return NULL;
}

static void space_routes(struct pick *p, const struct m_vnet *v, enum route_source src,
			 ptrdiff_t peering, const struct ip_prefix *dst)
{
	for (size_t k = 0; k < v->nspace; k++)
		if (ip_prefix_contains(&v->space[k], dst))
			consider(p, src, v->space[k].len, NULL, peering, NULL);
}

/* Azure's choice for dst at origin o. */
static struct pick choose(const struct sema *s, const struct origin *o,
			  const struct ip_prefix *dst)
{
	struct pick p = { .peering = -1, .sys_peering = -1 };
	const struct s_vnet *sv = &s->vnets[o->vnet->index];
	const struct m_route *udr = user_route(o->table, dst);
	const struct m_vnet *g = o->bgp ? routing_gateway_of(s, o->vnet) : NULL;

	space_routes(&p, o->vnet, SRC_LOCAL, -1, dst);
	for (size_t i = 0; i < sv->npeerings; i++) {
		const struct m_peering *pr = &s->model.peerings[sv->peerings[i]];
		space_routes(&p, pr->side[1 - sema_side_of(pr, o->vnet)].vnet, SRC_PEERING,
			     (ptrdiff_t)sv->peerings[i], dst);
	}
	for (size_t i = 0; g && i < s->vnets[g->index].nsites; i++) {
		const struct m_site *site = &s->model.sites[s->vnets[g->index].sites[i]];
		for (size_t k = 0; k < site->nprefixes; k++)
			if (ip_prefix_contains(&site->prefixes[k], dst))
				consider(&p, SRC_GATEWAY, site->prefixes[k].len, NULL, -1, g);
	}
	if (udr)
		consider(&p, SRC_USER, udr->prefix.len, udr, -1, NULL);
	/* the VNet's and its peerings' routes over any BGP route */
	if (p.src == SRC_GATEWAY && p.sys_src != SRC_NONE) {
		p.src = p.sys_src;
		p.len = p.sys_len;
		p.peering = p.sys_peering;
	}
	return p;
}

static bool both_access(const struct m_peering *p, int *side)
{
	for (int k = 0; k < 2; k++)
		if (!p->side[k].setting[SET_ACCESS]) {
			*side = k;
			return false;
		}
	return true;
}

/* The table of the subnet of hub h that holds address a (the NVA's), or
 * NULL: the NVA's own outbound routes. */
static const struct m_route_table *table_at(const struct m_vnet *h, const struct ip_addr *a)
{
	for (size_t i = 0; i < h->nsubnets; i++)
		for (size_t k = 0; k < h->subnets[i].nprefixes; k++)
			if (ip_prefix_contains_addr(&h->subnets[i].prefixes[k], a))
				return h->subnets[i].route_table;
	return NULL;
}

static void step(struct walk *w, struct walk_step st)
{
	if (w->nsteps == WALK_MAX_STEPS)
		BUG(); /* WALK_MAX_STEPS counts what walk_from can take */
	w->steps[w->nsteps++] = st;
}

/* The packet crosses peering pi from o->vnet; false (w says why) when the
 * peering does not let it. */
static bool cross(const struct sema *s, const struct origin *o, ptrdiff_t pi,
		  struct walk *w)
{
	const struct m_peering *p = &s->model.peerings[pi];
	int far = 1 - sema_side_of(p, o->vnet);

	w->peering = pi;
	if (!o->from_gateway && !both_access(p, &w->side)) {
		w->result = WALK_ACCESS;
		return false;
	}
	if (o->forwarded && !p->side[far].setting[SET_FORWARDED]) {
		w->side = far;
		w->result = WALK_FORWARDED;
		return false;
	}
	w->at = p->side[far].vnet;
	step(w, (struct walk_step){ STEP_PEERING, pi, NULL, NULL });
	return true;
}

/* The hop a user route makes: to the NVA (or gateway) of its table's hub,
 * over the peering toward the hub unless the packet is there already. */
static bool hop(const struct sema *s, struct origin *o, const struct m_route *r,
		const struct m_route_table *t, struct walk *w)
{
	const struct m_vnet *h = t->hub;

	if (!w->udr) {
		w->udr = r;
		w->udr_table = t;
	}
	if (o->vnet != h) {
		ptrdiff_t pi = sema_peering_between(s, o->vnet, h);
		if (pi < 0) {
			w->result = WALK_NO_ROUTE;
			return false;
		}
		if (!cross(s, o, pi, w))
			return false;
	}
	o->vnet = h;
	step(w, (struct walk_step){ r->hop == HOP_VIRTUAL_APPLIANCE ? STEP_NVA :
				    STEP_GATEWAY, -1, h, r });
	o->forwarded = true;
	o->from_gateway = false;
	if (r->hop == HOP_VIRTUAL_APPLIANCE) {
		o->table = table_at(h, &r->next_hop_ip);
	} else {
		const struct m_subnet *gs = sema_gateway_subnet(h);
		o->table = gs ? gs->route_table : NULL;
	}
	o->bgp = !o->table || o->table->propagate;
	return true;
}

static void walk_from(const struct sema *s, struct origin o, const struct ip_prefix *dst,
		      const struct m_vnet *to, const struct m_site *to_site,
		      struct walk *w)
{
	for (int hops = 0; hops <= WALK_MAX_HOPS; hops++) {
		struct pick p = choose(s, &o, dst);
		w->at = o.vnet;
		switch (p.src) {
		case SRC_NONE:
			w->result = WALK_NO_ROUTE;
			w->no_gateway_routes = !o.bgp && routing_gateway_of(s, o.vnet);
			return;
		case SRC_LOCAL:
			w->result = o.vnet == to ? WALK_DELIVERED : WALK_ASTRAY;
			return;
		case SRC_PEERING:
			if (!cross(s, &o, p.peering, w))
				return;
			w->result = w->at == to ? WALK_DELIVERED : WALK_ASTRAY;
			return;
		case SRC_GATEWAY:
			w->gateway = p.gateway;
			step(w, (struct walk_step){ STEP_GATEWAY, -1, p.gateway, NULL });
			w->result = to_site && to_site->via == p.gateway ?
				    WALK_DELIVERED : WALK_ASTRAY;
			return;
		case SRC_USER:
			if (hops == 0 && p.sys_src == SRC_PEERING)
				w->beaten_peering = p.sys_peering;
			if (!hop(s, &o, p.udr, o.table, w))
				return;
			break;
		}
	}
	w->result = WALK_LOOP;
}

static void walk_init(struct walk *w)
{
	memset(w, 0, sizeof(*w));
	w->beaten_peering = w->peering = -1;
}

void routing_walk(const struct sema *s, const struct m_vnet *from,
		  const struct ip_prefix *dst, const struct m_vnet *to,
		  const struct m_site *to_site, struct walk *w)
{
	const struct m_route_table *t = routing_table_of(s, from);
	struct origin o = { from, t, !t || t->propagate, false, false };

	walk_init(w);
	walk_from(s, o, dst, to, to_site, w);
}

/* A site learns the prefixes its gateway's VNet advertises: its own, and
 * those of the VNets that use its gateway (gateway transit). */
void routing_walk_from_site(const struct sema *s, const struct m_site *site,
			    const struct ip_prefix *dst, const struct m_vnet *to,
			    struct walk *w)
{
	const struct m_vnet *g = site->via;
	const struct m_subnet *gs = sema_gateway_subnet(g);
	struct origin o = { g, gs ? gs->route_table : NULL, true, false, true };

	walk_init(w);
	w->at = g;
	if (routing_gateway_of(s, to) != g) {
		w->result = WALK_NOT_ADVERTISED;
		return;
	}
	walk_from(s, o, dst, to, NULL, w);
}
