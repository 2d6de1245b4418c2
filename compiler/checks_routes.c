/* The routing options of a hub with transit, and what its route tables do
 * to the packets (routing.h): options that need what the hub lacks, and
 * tables that send traffic where the file does not expect it.
 *
 * Sources:
 *   [UDR] Microsoft, "Virtual network traffic routing", How Azure selects a
 *         route: a user-defined route wins over a system route (a
 *         peering's) of the same prefix; the longest prefix wins first.
 *   [FWM] Microsoft, "Tutorial: Secure your hub virtual network using Azure
 *         Firewall Manager" (azure-docs articles/firewall-manager/
 *         secure-hybrid-network.md): the spokes' route tables send 0.0.0.0/0
 *         to the firewall with gateway route propagation off, and a route
 *         table on the hub's GatewaySubnet sends the spokes' prefixes to
 *         it; "Traffic between directly peered VNets is routed directly
 *         even if a UDR points to Azure Firewall as the default gateway". */
#include "common.h"

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "resolve.h"
#include "routing.h"
#include "util.h"

/* ------------------------------------------------ options a hub lacks for */

static void needs_transit(struct check_ctx *ctx, const struct s_hub *h,
			  struct loc at, const char *what, const char *why)
{
	struct diag *d = check_report(ctx, at, "'%s' needs 'transit = nva'%s: %s",
				      what, h->transit == TRANSIT_NONE ? "" :
				      ", not 'transit = gateway'", why);
	diag_note(ctx->diags, d, sema_stmt_head(h->stmt), "hub '%s' is declared here",
		  h->hub->handle);
}

/* The options shape the route tables of transit; a default route and the
 * GatewaySubnet's table send traffic to an NVA, which only `nva` has (a
 * default route to a gateway would send the spokes' Internet traffic
 * on-premises). */
void check_routing_needs_transit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		bool none = h->transit == TRANSIT_NONE;
		if (!h->hub || h->transit == TRANSIT_NVA)
			continue;
		if (h->routes == ROUTES_DEFAULT)
			needs_transit(ctx, h, h->routes_loc, "routes = default",
				      "it sends the spokes' traffic to the hub's NVA");
		if (none && h->nsummary)
			needs_transit(ctx, h, h->summary_loc, "summary",
				      "the hub writes no route tables without transit");
		if (none && !h->propagate)
			needs_transit(ctx, h, h->propagate_loc, "propagate_gateway_routes",
				      "it is a setting of the spokes' transit route tables");
		if (h->gateway_subnet_routes)
			needs_transit(ctx, h, h->gateway_subnet_routes_loc,
				      "gateway_subnet_routes", "it sends on-premises "
				      "traffic for the spokes to the hub's NVA");
	}
}

/* [FWM]: the table goes on the GatewaySubnet, where the gateway is. */
void check_gateway_routes_without_gateway(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (!h->hub || !h->gateway_subnet_routes || h->transit != TRANSIT_NVA)
			continue;
		struct diag *d;
		if (h->hub->gateway == GW_NONE)
			d = check_report(ctx, h->gateway_subnet_routes_loc,
				"'gateway_subnet_routes' routes on-premises traffic that "
				"comes in through the gateway of '%s', which has none",
				h->hub->handle);
		else if (!sema_gateway_subnet(h->hub))
			d = check_report(ctx, h->gateway_subnet_routes_loc,
				"'gateway_subnet_routes' puts a route table on the "
				SEMA_GATEWAY_SUBNET " of '%s', and '%s' declares none; add "
				"'" SEMA_GATEWAY_SUBNET " = PREFIX' to its subnets",
				h->hub->handle, h->hub->handle);
		else
			continue;
		diag_note(ctx->diags, d, h->hub->loc, "'%s' is declared here",
			  h->hub->handle);
	}
}

/* ------------------------------------------------ tables that miss */

static bool summarised(const struct s_hub *h, const struct ip_prefix *p)
{
	for (size_t i = 0; i < h->nsummary; i++)
		if (ip_prefix_contains(&h->summary[i], p))
			return true;
	return false;
}

/* A spoke prefix outside the summary gets no route toward the NVA from
 * the other spokes (routes = summary). */
void check_summary_gap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];
	struct m_route hop;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (!h->hub || h->routes != ROUTES_SUMMARY || h->transit == TRANSIT_NONE)
			continue;
		for (size_t j = 0; j < h->nspokes; j++) {
			const struct m_vnet *v = h->spokes[j];
			for (size_t k = 0; k < v->nspace; k++) {
				const struct ip_prefix *p = &v->space[k];
				if (summarised(h, p) || !sema_next_hop(h, p->addr.family, &hop))
					continue;
				struct diag *d = check_report(ctx,
					s->vnets[v->index].space_src[k]->loc,
					"%s of spoke '%s' is not inside the summary of hub "
					"'%s': the other spokes' route tables send no "
					"traffic for it to the NVA", ip_prefix_str(p, buf),
					v->handle, h->hub->handle);
				diag_note(ctx->diags, d, h->summary_loc, "the summary is here");
			}
		}
	}
}

/* Two spokes of a family the NVA has no address of: transit carries none
 * of that family between them (a route's next hop and prefix share a
 * family), and nothing else in the file would say so before a require. */
void check_transit_family_gap(struct check_ctx *ctx)
{
	static const enum ip_family fams[] = { IP_V4, IP_V6 };
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (!h->hub || h->transit != TRANSIT_NVA || !h->hub->nnvas)
			continue;
		for (size_t f = 0; f < ARRAY_SIZE(fams); f++) {
			const struct m_vnet *two[2] = { NULL, NULL };
			size_t n = 0;
			if (m_vnet_nva(h->hub, fams[f]))
				continue;
			for (size_t j = 0; j < h->nspokes; j++)
				if (m_vnet_has_family(h->spokes[j], fams[f]) && n++ < 2)
					two[n - 1] = h->spokes[j];
			if (n < 2)
				continue;
			char buf[IP_STRLEN];
			struct diag *d = check_report(ctx, h->transit_loc,
				"%zu spokes of hub '%s' ('%s', '%s'%s) have %s address "
				"space, and its NVA has no %s address: transit carries "
				"no %s between them", n, h->hub->handle, two[0]->handle,
				two[1]->handle, n > 2 ? ", ..." : "", ip_family_name(fams[f]),
				ip_family_name(fams[f]), ip_family_name(fams[f]));
			diag_note(ctx->diags, d, s->vnets[h->hub->index].nva_src->loc,
				  "give the NVA an %s address too: 'nva = %s, ADDRESS'",
				  ip_family_name(fams[f]), ip_addr_str(&h->hub->nvas[0], buf));
		}
	}
}

/* ------------------------------------------------ tables that override */

/* A peering from the `direct` of hub statement st (between two of its
 * spokes, not its hub). */
static bool from_direct(const struct sema *s, size_t pi, const struct stmt *st)
{
	const struct m_peering *p = &s->model.peerings[pi];
	const char *hub = st->names->name;

	return strcmp(p->side[0].vnet->handle, hub) != 0 &&
	       strcmp(p->side[1].vnet->handle, hub) != 0;
}

/* The pair of hub h's spokes whose traffic a transit route takes off their
 * direct peering, found from the pattern: `routes = spokes` takes every
 * pair, a summary the spokes whose prefix it matches or splits, a default
 * route none. *dst gets the prefix. */
static bool overridden_pair(const struct s_hub *h, const struct m_vnet **a,
			    const struct m_vnet **b, const struct ip_prefix **dst)
{
	struct m_route hop;

	for (size_t j = 0; h->routes != ROUTES_DEFAULT && j < h->nspokes; j++) {
		const struct m_vnet *v = h->spokes[j];
		for (size_t k = 0; k < v->nspace; k++) {
			const struct ip_prefix *p = &v->space[k];
			bool hit = h->routes == ROUTES_SPOKES &&
				   sema_next_hop(h, p->addr.family, &hop);
			for (size_t i = 0; !hit && h->routes == ROUTES_SUMMARY &&
					   i < h->nsummary; i++)
				hit = h->summary[i].len >= p->len &&
				      ip_prefix_overlap(&h->summary[i], p) &&
				      sema_next_hop(h, p->addr.family, &hop);
			if (!hit)
				continue;
			*b = v;
			*a = h->spokes[j ? 0 : 1];
			*dst = p;
			return true;
		}
	}
	return false;
}

static void report_override(struct check_ctx *ctx, struct loc at, const struct m_vnet *a,
			    const struct m_vnet *b, const struct ip_prefix *dst,
			    const struct walk *w, const char *what)
{
	char p[IP_STRLEN], nh[IP_STRLEN];

	check_report(ctx, at, "%s, but the route table of '%s' sends %s of '%s' to the "
		     "%s%s: a user-defined route wins over a peering's route for the same "
		     "prefix, so their traffic goes through the hub and not over the "
		     "peering; with 'routes = default' (or a shorter summary) the "
		     "peering's more specific route carries it", what, a->handle,
		     ip_prefix_str(dst, p), b->handle,
		     w->udr->hop == HOP_VIRTUAL_APPLIANCE ? "NVA " : "gateway",
		     w->udr->hop == HOP_VIRTUAL_APPLIANCE ?
		     ip_addr_str(&w->udr->next_hop_ip, nh) : "");
}

/* [UDR], [FWM]: peered spokes of a hub with transit whose route tables
 * hold the other's prefix: the traffic goes through the NVA, the peering
 * carries none. Once per hub for its `direct` peerings; once per peering
 * for the others. Each report is a walk that confirms it. */
void check_transit_overrides_peering(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	const struct m_vnet *a, *b;
	const struct ip_prefix *dst;
	struct walk w;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (!h->hub || !h->direct || h->transit == TRANSIT_NONE ||
		    !overridden_pair(h, &a, &b, &dst))
			continue;
		routing_walk(s, a, dst, b, NULL, &w);
		if (w.result == WALK_DELIVERED && w.udr && w.beaten_peering >= 0)
			report_override(ctx, h->transit_loc, a, b, dst, &w,
				arena_printf(ctx->arena, "'direct' peers the spokes of hub '%s'",
					     h->hub->handle));
	}
	for (size_t pi = 0; pi < s->model.npeerings; pi++) {
		const struct m_peering *p = &s->model.peerings[pi];
		const struct s_peering *sp = &s->peerings[pi];
		bool direct = false;
		for (size_t k = 0; k < sp->nstmts && !direct; k++)
			direct = sp->stmts[k]->kind == STMT_HUB && from_direct(s, pi, sp->stmts[k]);
		if (direct)
			continue;
		for (int k = 0; k < 2; k++) {
			const struct m_vnet *x = p->side[k].vnet, *y = p->side[1 - k].vnet;
			if (!routing_table_of(s, x) || !y->nspace)
				continue;
			routing_walk(s, x, &y->space[0], y, NULL, &w);
			if (w.result != WALK_DELIVERED || !w.udr || w.beaten_peering != (ptrdiff_t)pi)
				continue;
			report_override(ctx, p->loc, x, y, &y->space[0], &w,
				arena_printf(ctx->arena, "'%s' and '%s' are peered",
					     x->handle, y->handle));
			break;
		}
	}
}

/* ------------------------------------------------ sites */

/* The spoke of hub h that uses h's gateway and has space of the family of
 * the site's first prefix, or NULL: the one whose walks stand for all
 * (the hub's options are the same for each). */
static const struct m_vnet *gateway_spoke(const struct sema *s, const struct s_hub *h,
					  const struct m_site *site)
{
	for (size_t j = 0; j < h->nspokes; j++)
		if (routing_gateway_of(s, h->spokes[j]) == h->hub && h->spokes[j]->nspace &&
		    site->nprefixes &&
		    h->spokes[j]->space[0].addr.family == site->prefixes[0].addr.family)
			return h->spokes[j];
	return NULL;
}

/* [FWM]: with gateway routes kept out, a spoke reaches on-premises only by
 * a route of its own table (the default route, or a summary that covers
 * the site). */
void check_site_without_route(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		const struct s_vnet *sh = h->hub ? &s->vnets[h->hub->index] : NULL;
		if (!sh || h->transit == TRANSIT_NONE || h->propagate)
			continue;
		for (size_t k = 0; k < sh->nsites; k++) {
			const struct m_site *site = &s->model.sites[sh->sites[k]];
			const struct m_vnet *spoke = gateway_spoke(s, h, site);
			struct walk w;
			if (!spoke)
				continue;
			routing_walk(s, spoke, &site->prefixes[0], NULL, site, &w);
			if (w.result != WALK_NO_ROUTE || !w.no_gateway_routes)
				continue;
			check_report(ctx, h->propagate_loc, "the spokes of hub '%s' keep the "
				     "gateway's routes out, and no route of their tables covers "
				     "%s of site '%s': they cannot reach it; add 'routes = "
				     "default', or a 'summary' that covers it", h->hub->handle,
				     ip_prefix_str(&site->prefixes[0], buf), site->name);
		}
	}
}

/* ------------------------------------------------ the way back */

/* [FWM]: a stateful firewall drops the replies of a flow it saw one way
 * only. Spokes that use the hub's gateway and a site via the hub: out
 * through the NVA (their tables keep gateway routes out) while on-premises
 * comes back directly, or in through the NVA (the GatewaySubnet's table)
 * while the spokes answer by the gateway's routes. One walk each way, for
 * the first such spoke and site: the hub's options are the same for all. */
void check_asymmetric_routing(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		const struct s_vnet *sh = h->hub ? &s->vnets[h->hub->index] : NULL;
		if (!sh || h->transit != TRANSIT_NVA || !sh->nsites)
			continue;
		const struct m_site *site = &s->model.sites[sh->sites[0]];
		const struct m_vnet *spoke = gateway_spoke(s, h, site);
		if (!spoke)
			continue;
		struct walk out, back;
		routing_walk(s, spoke, &site->prefixes[0], NULL, site, &out);
		routing_walk_from_site(s, site, &spoke->space[0], spoke, &back);
		if (out.result != WALK_DELIVERED || back.result != WALK_DELIVERED ||
		    !out.udr == !back.udr)
			continue;
		struct loc at = !out.udr ? h->gateway_subnet_routes_loc :
				loc_is_none(h->propagate_loc) ? h->transit_loc : h->propagate_loc;
		check_report(ctx, at,
			"traffic between spoke '%s' of hub '%s' and site '%s' passes the NVA "
			"one way only: %s; a stateful firewall drops the replies: %s",
			spoke->handle, h->hub->handle, site->name,
			out.udr ? "out through it, back from the gateway directly" :
				  "in through it, out by the gateway's routes directly",
			out.udr ? "add 'gateway_subnet_routes' to the hub" :
				  "add 'propagate_gateway_routes = false' and a route to "
				  "the NVA ('routes = default') to the hub");
	}
}
