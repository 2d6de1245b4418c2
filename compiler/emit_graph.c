/* The topology as a picture: -t dot (Graphviz) and -t mermaid. Both read
 * the same values, built here from the model and listed in
 * templates/README.md; what each kind of node and edge looks like is the
 * templates' (templates/dot/, templates/mermaid/). VNets are grouped by
 * subscription, then region, in the order the file first names them, so
 * the output is as deterministic as the model. */
#include "common.h"

#include "addr.h"
#include "emit.h"
#include "model.h"
#include "reach.h"
#include "resolve.h"
#include "util.h"

/* --explain A B: what the picture highlights, parallel to the model's
 * arrays; the pair a missing peering would join. */
struct graph_marks {
	bool *vnets, *peerings, *route_tables, *sites;
	struct tval *missing_a, *missing_b;
	const char *missing_label;
	const char *answer;
	bool reachable;
};

struct graph {
	struct arena *a;
	const struct model *m;
	bool *is_hub, *is_spoke;       /* parallel to model.vnets */
	const struct graph_marks *marks;
};

/* ---------------------------------------------------------------- labels */

static const char *prefixes(struct arena *a, const struct ip_prefix *p, size_t n)
{
	struct strbuf sb;
	char buf[IP_STRLEN];

	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", ip_prefix_str(&p[i], buf));
	const char *s = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return s;
}

/* The handle, the Azure name when it differs, the address space. */
static const char *vnet_label(struct arena *a, const struct m_vnet *v)
{
	const char *space = prefixes(a, v->space, v->nspace);

	if (strcmp(v->name, v->handle) != 0)
		return arena_printf(a, "%s\n%s\n%s%s", v->handle, v->name, space,
				    v->existing ? "\n(existing)" : "");
	return arena_printf(a, "%s\n%s%s", v->handle, space,
			    v->existing ? "\n(existing)" : "");
}

static const char *gateway_label(enum gateway_kind k)
{
	return k == GW_VPN ? "VPN gateway" :
	       k == GW_EXPRESSROUTE ? "ExpressRoute gateway" : "gateway";
}

static bool is_global(const struct m_peering *p)
{
	const char *x = p->side[0].vnet->location, *y = p->side[1].vnet->location;
	return x && y && strcmp(x, y) != 0;
}

/* One line per setting that is not what a plain peering has: who uses
 * whose gateway (the edge's arrow shows it too), which sides accept
 * forwarded traffic, which sides have access off, and "global". */
static const char *peering_label(struct arena *a, const struct m_peering *p)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int k = 0; k < 2; k++)
		if (p->side[k].setting[SET_REMOTE_GATEWAY])
			sb_printf(&sb, "\n%s uses the gateway of %s",
				  p->side[k].vnet->handle, p->side[1 - k].vnet->handle);
	if (p->side[0].setting[SET_FORWARDED] && p->side[1].setting[SET_FORWARDED])
		sb_puts(&sb, "\nforwarded traffic both ways");
	for (int k = 0; k < 2; k++)
		if (p->side[k].setting[SET_FORWARDED] &&
		    !p->side[1 - k].setting[SET_FORWARDED])
			sb_printf(&sb, "\nforwarded traffic into %s", p->side[k].vnet->handle);
	for (int k = 0; k < 2; k++)
		if (!p->side[k].setting[SET_ACCESS])
			sb_printf(&sb, "\nno access from %s", p->side[k].vnet->handle);
	if (is_global(p))
		sb_puts(&sb, "\nglobal");
	const char *s = arena_strdup(a, sb.len ? sb.buf + 1 : "");
	sb_free(&sb);
	return s;
}

/* ------------------------------------------------------------- node ids */

static struct tval *vnet_id(struct arena *a, const struct m_vnet *v)
{
	return tv_raw(a, arena_printf(a, "v%zu", v->index));
}

/* Where transit and sites attach: the VNet's gateway or NVA node. */
static struct tval *part_id(struct arena *a, const struct m_vnet *v,
			    const char *part)
{
	return tv_raw(a, arena_printf(a, "v%zu_%s", v->index, part));
}

/* ---------------------------------------------------------------- values */

static bool marked(const bool *set, size_t i)
{
	return set && set[i];
}

/* "NVA" and its address, one line per family (dual stack: two). */
static const char *nva_label(struct arena *a, const struct m_vnet *v)
{
	const char *label = "NVA";
	char buf[IP_STRLEN];

	for (size_t i = 0; i < v->nnvas; i++)
		label = arena_printf(a, "%s\n%s", label, ip_addr_str(&v->nvas[i], buf));
	return v->nnvas ? label : "";
}

static struct tval *vnet_values(struct graph *g, const struct m_vnet *v)
{
	struct arena *a = g->a;
	struct tval *o = tv_object(a);
	bool hub = g->is_hub[v->index], spoke = g->is_spoke[v->index];

	tv_set(a, o, "id", vnet_id(a, v));
	tv_set(a, o, "handle", tv_string(a, v->handle));
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "label", tv_string(a, vnet_label(a, v)));
	tv_set(a, o, "role", tv_raw(a, hub ? "hub" : spoke ? "spoke" : "vnet"));
	tv_set(a, o, "hub", tv_bool(a, hub));
	tv_set(a, o, "spoke", tv_bool(a, spoke && !hub));
	tv_set(a, o, "existing", tv_bool(a, v->existing));
	tv_set(a, o, "gateway", tv_bool(a, v->gateway != GW_NONE));
	tv_set(a, o, "gateway_id", part_id(a, v, "gw"));
	tv_set(a, o, "gateway_label", tv_string(a, gateway_label(v->gateway)));
	tv_set(a, o, "nva", tv_bool(a, v->nnvas > 0));
	tv_set(a, o, "nva_id", part_id(a, v, "nva"));
	tv_set(a, o, "nva_label", tv_string(a, nva_label(a, v)));
	tv_set(a, o, "highlight", tv_bool(a, marked(g->marks ? g->marks->vnets : NULL,
						  v->index)));
	return o;
}

/* A subscription or a region: its values and the list it fills. */
struct cluster {
	struct tval *obj, *children;
	size_t n; /* regions so far, in a subscription */
};

static struct cluster *cluster_new(struct graph *g, struct tval *list,
				   const char *id, const char *label,
				   const char *children)
{
	struct arena *a = g->a;
	struct cluster *c = arena_alloc(a, sizeof(*c));

	c->obj = tv_object(a);
	c->children = tv_list(a);
	tv_set(a, c->obj, "id", tv_raw(a, id));
	tv_set(a, c->obj, "label", tv_string(a, label));
	tv_set(a, c->obj, children, c->children);
	tv_push(a, list, c->obj);
	return c;
}

/* Subscriptions, then regions within each, in the order the file first
 * names them; one map lookup per VNet. */
static struct tval *clusters(struct graph *g, struct tval *all)
{
	struct arena *a = g->a;
	struct tval *subs = tv_list(a);
	struct strmap sub_map, region_map;

	strmap_init(&sub_map, a);
	strmap_init(&region_map, a);
	for (size_t i = 0; i < g->m->nvnets; i++) {
		const struct m_vnet *v = &g->m->vnets[i];
		const char *loc = v->location ? v->location : "";
		struct cluster *sub = strmap_get(&sub_map, v->subscription);
		if (!sub) {
			sub = cluster_new(g, subs, arena_printf(a, "cluster_s%zu", subs->u.list.n),
					  arena_printf(a, "subscription %s", v->subscription),
					  "regions");
			tv_set(a, sub->obj, "subscription", tv_string(a, v->subscription));
			strmap_put(&sub_map, v->subscription, sub);
		}
		char *key = arena_printf(a, "%s\n%s", v->subscription, loc);
		struct cluster *reg = strmap_get(&region_map, key);
		if (!reg) {
			reg = cluster_new(g, sub->children,
					  arena_printf(a, "%s_r%zu", tv_get(sub->obj, "id")->u.str,
						       sub->n++),
					  *loc ? loc : "location not given", "vnets");
			strmap_put(&region_map, key, reg);
		}
		struct tval *vv = vnet_values(g, v);
		tv_push(a, reg->children, vv);
		tv_push(a, all, vv);
	}
	return subs;
}

static struct tval *peering_values(struct graph *g)
{
	struct arena *a = g->a;
	struct tval *list = tv_list(a);

	for (size_t i = 0; i < g->m->npeerings; i++) {
		const struct m_peering *p = &g->m->peerings[i];
		struct tval *o = tv_object(a);
		/* An arrow from the side whose gateway is shared to the side
		 * that uses it. */
		int from = p->side[0].setting[SET_REMOTE_GATEWAY] ? 1 : 0;
		bool gw = p->side[0].setting[SET_REMOTE_GATEWAY] ||
			  p->side[1].setting[SET_REMOTE_GATEWAY];
		tv_set(a, o, "a", vnet_id(a, p->side[0].vnet));
		tv_set(a, o, "b", vnet_id(a, p->side[1].vnet));
		tv_set(a, o, "from", vnet_id(a, p->side[from].vnet));
		tv_set(a, o, "to", vnet_id(a, p->side[1 - from].vnet));
		tv_set(a, o, "label", tv_string(a, peering_label(a, p)));
		tv_set(a, o, "gateway", tv_bool(a, gw));
		tv_set(a, o, "global", tv_bool(a, is_global(p)));
		tv_set(a, o, "no_access", tv_bool(a, !p->side[0].setting[SET_ACCESS] ||
						   !p->side[1].setting[SET_ACCESS]));
		tv_set(a, o, "highlight", tv_bool(a, marked(g->marks ?
			g->marks->peerings : NULL, i)));
		tv_push(a, list, o);
	}
	return list;
}

/* Each transit route table as the path it opens: from the spoke to the
 * hub's NVA or gateway, which forwards to the other spokes. */
static struct tval *transit_values(struct graph *g)
{
	struct arena *a = g->a;
	struct tval *list = tv_list(a);

	for (size_t i = 0; i < g->m->nroute_tables; i++) {
		const struct m_route_table *rt = &g->m->route_tables[i];
		struct tval *o = tv_object(a);
		bool nva = rt->nroutes == 0 || rt->routes[0].hop == HOP_VIRTUAL_APPLIANCE;
		tv_set(a, o, "spoke", vnet_id(a, rt->vnet));
		tv_set(a, o, "via", part_id(a, rt->hub, nva ? "nva" : "gw"));
		tv_set(a, o, "label", tv_string(a, arena_printf(a, "%s: %zu route%s",
			rt->name, rt->nroutes, rt->nroutes == 1 ? "" : "s")));
		tv_set(a, o, "highlight", tv_bool(a, marked(g->marks ?
			g->marks->route_tables : NULL, i)));
		tv_push(a, list, o);
	}
	return list;
}

static struct tval *site_values(struct graph *g)
{
	struct arena *a = g->a;
	struct tval *list = tv_list(a);

	for (size_t i = 0; i < g->m->nsites; i++) {
		const struct m_site *s = &g->m->sites[i];
		struct tval *o = tv_object(a);
		tv_set(a, o, "id", tv_raw(a, arena_printf(a, "t%zu", i)));
		tv_set(a, o, "name", tv_string(a, s->name));
		tv_set(a, o, "label", tv_string(a, arena_printf(a, "site %s\n%s",
			s->name, prefixes(a, s->prefixes, s->nprefixes))));
		tv_set(a, o, "via", s->via->gateway != GW_NONE ?
		       part_id(a, s->via, "gw") : vnet_id(a, s->via));
		tv_set(a, o, "highlight", tv_bool(a, marked(g->marks ?
			g->marks->sites : NULL, i)));
		tv_push(a, list, o);
	}
	return list;
}

static void roles(struct graph *g)
{
	g->is_hub = arena_alloc(g->a, g->m->nvnets + 1);
	g->is_spoke = arena_alloc(g->a, g->m->nvnets + 1);
	for (size_t i = 0; i < g->m->nhubs; i++) {
		const struct m_hub *h = &g->m->hubs[i];
		g->is_hub[h->hub->index] = true;
		for (size_t j = 0; j < h->nspokes; j++)
			g->is_spoke[h->spokes[j]->index] = true;
	}
}

static struct tval *missing_values(struct graph *g)
{
	struct arena *a = g->a;
	struct tval *list = tv_list(a);
	const struct graph_marks *mk = g->marks;

	if (mk && mk->missing_a) {
		struct tval *o = tv_object(a);
		tv_set(a, o, "a", mk->missing_a);
		tv_set(a, o, "b", mk->missing_b);
		tv_set(a, o, "label", tv_string(a, mk->missing_label));
		tv_push(a, list, o);
	}
	return list;
}

static struct tval *graph_values(const struct model *m,
				 const struct peerc_options *opts,
				 struct peerc_result *r, const char *dflt_output,
				 const struct graph_marks *marks)
{
	struct arena *a = r->arena;
	struct graph g = { .a = a, .m = m, .marks = marks };
	struct tval *root = tv_object(a);
	struct tval *all = tv_list(a);

	roles(&g);
	tv_set(a, root, "peerc", emit_peerc_values(r, opts, dflt_output));
	tv_set(a, root, "subscriptions", clusters(&g, all));
	tv_set(a, root, "vnets", all);
	tv_set(a, root, "peerings", peering_values(&g));
	tv_set(a, root, "transits", transit_values(&g));
	tv_set(a, root, "sites", site_values(&g));
	tv_set(a, root, "missing", missing_values(&g));
	tv_set(a, root, "explain", tv_string(a, marks ? marks->answer : ""));
	tv_set(a, root, "reachable", tv_bool(a, marks && marks->reachable));
	return root;
}

/* --------------------------------------------------------- --explain */

/* The VNet of the path nearest to hop i, before it (step -1) or after it
 * (step 1), other than the hub whose NVA or gateway hop i is; or NULL. */
static const struct m_vnet *spoke_near(const struct reach_path *rp, size_t i, int step)
{
	const struct m_vnet *hub = rp->hops[i].vnet;

	for (size_t k = i; step < 0 ? k-- > 0 : ++k < rp->nhops;)
		if (rp->hops[k].kind == REACH_VNET && rp->hops[k].vnet != hub)
			return rp->hops[k].vnet;
	return NULL;
}

/* The transit route tables a hub's NVA or gateway hop uses: those of the
 * spokes before and after it, the way there and the way back. */
static void mark_transit(const struct model *m, struct graph_marks *mk,
			 const struct reach_path *rp, size_t i)
{
	const struct m_vnet *hub = rp->hops[i].vnet;
	const struct m_vnet *from = spoke_near(rp, i, -1);
	const struct m_vnet *to = spoke_near(rp, i, 1);

	for (size_t t = 0; t < m->nroute_tables; t++) {
		const struct m_route_table *rt = &m->route_tables[t];
		if (rt->hub == hub && (rt->vnet == from || rt->vnet == to))
			mk->route_tables[t] = true;
	}
}

static void mark_hops(const struct model *m, struct graph_marks *mk,
		      const struct reach_path *rp)
{
	for (size_t i = 0; i < rp->nhops; i++) {
		const struct reach_hop *h = &rp->hops[i];
		switch (h->kind) {
		case REACH_VNET:
			mk->vnets[h->vnet->index] = true;
			break;
		case REACH_PEERING:
			mk->peerings[h->peering - m->peerings] = true;
			break;
		case REACH_NVA:
		case REACH_GATEWAY:
			mark_transit(m, mk, rp, i);
			break;
		case REACH_SITE:
			mk->sites[h->site - m->sites] = true;
			break;
		}
	}
}

/* NULL without --explain, or after reporting that a name is unknown. */
static const struct graph_marks *graph_explain(const struct model *m,
					       const struct peerc_options *opts,
					       struct peerc_result *r)
{
	struct arena *a = r->arena;
	struct reach_path rp;
	struct graph_marks *mk;

	if (!opts->explain[0] || !r->sema)
		return NULL;
	reach_path(r->sema, opts->explain[0], opts->explain[1], a, &rp);
	if (!rp.known) {
		diag_add(&r->diags, DIAG_ERROR, "explain", LOC_NONE, "%s", rp.reason);
		return NULL;
	}
	mk = arena_alloc(a, sizeof(*mk));
	mk->vnets = arena_alloc(a, m->nvnets + 1);
	mk->peerings = arena_alloc(a, m->npeerings + 1);
	mk->route_tables = arena_alloc(a, m->nroute_tables + 1);
	mk->sites = arena_alloc(a, m->nsites + 1);
	mark_hops(m, mk, &rp);
	if (rp.missing[0]) {
		mk->missing_a = vnet_id(a, rp.missing[0]);
		mk->missing_b = vnet_id(a, rp.missing[1]);
		mk->missing_label = rp.edit ? rp.edit : rp.reason;
	}
	mk->reachable = rp.reachable;
	mk->answer = arena_printf(a, "%s and %s: %s", opts->explain[0],
				  opts->explain[1], rp.answer);
	return mk;
}

static void emit_graph(const struct model *m, const struct peerc_options *opts,
		       struct peerc_result *r, enum peerc_target target,
		       const char *file, enum tmpl_target t,
		       const char *dflt_output)
{
	const struct graph_marks *marks = graph_explain(m, opts, r);

	if (opts->explain[0] && !marks)
		return;
	emit_template(backend_find(target), opts, r, file, t,
		      graph_values(m, opts, r, dflt_output, marks), NULL);
}

void emit_dot(const struct model *m, const struct peerc_options *opts,
	      struct peerc_result *r)
{
	emit_graph(m, opts, r, PEERC_TARGET_DOT, "topology.dot.tmpl", TMPL_DOT,
		   "topology.dot");
}

void emit_mermaid(const struct model *m, const struct peerc_options *opts,
		  struct peerc_result *r)
{
	emit_graph(m, opts, r, PEERC_TARGET_MERMAID, "topology.mmd.tmpl",
		   TMPL_MERMAID, "topology.mmd");
}
