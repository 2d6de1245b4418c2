#include "common.h"

#include "apiversions.h"
#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "resolve.h"
#include "util.h"

static const struct s_vnet *svnet(const struct sema *s, const struct m_vnet *v)
{
	return &s->vnets[v->index];
}

static void note_declared(struct check_ctx *ctx, struct diag *d,
			  const struct m_vnet *v)
{
	diag_note(ctx->diags, d, v->loc, "'%s' is declared here", v->handle);
}

/* ------------------------------------------------ settings a VNet needs */

static void report_missing(struct check_ctx *ctx, const struct m_vnet *v,
			   const char *what, const char *how)
{
	check_report(ctx, v->loc, "VNet '%s' has no %s: %s", v->handle, what, how);
}

void check_vnet_incomplete(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;

	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		bool needs_group = !v->existing || !v->id;

		if (v->nspace == 0)
			report_missing(ctx, v, "address space",
				       "give its prefixes after the name, or 'address = PREFIX'");
		if (!v->existing && !v->location)
			report_missing(ctx, v, "location",
				       "add 'in REGION', or 'location' here or in defaults");
		if (needs_group && !v->resource_group)
			report_missing(ctx, v, "resource group",
				       "set 'resource_group' here or in defaults");
		if (needs_group && !v->subscription)
			report_missing(ctx, v, "subscription",
				       "set 'subscription' here or in defaults");
	}
}

/* defaults { api_version }: --unchecked-api-version is the way to write a
 * version peerc does not know (a newer one); the file takes known ones. */
void check_unknown_api_version(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strbuf sb;

	if (!s->api_version || api_version_known(s->api_version))
		return;
	sb_init(&sb);
	api_version_explain(&sb, s->api_version);
	struct diag *d = check_report(ctx, s->api_version_loc, "'%s' is not a "
				      "Microsoft.Network API version peerc knows (%s)",
				      s->api_version, sb.buf);
	diag_note(ctx->diags, d, LOC_NONE, "to write a version peerc does not know, "
		  "give it with --unchecked-api-version instead");
	sb_free(&sb);
}

/* ------------------------------------------------ gateways and transit */

/* Azure answers RemoteVnetHasNoGateways when either is missing (azure.md 4.3). */
static void remote_gateway_side(struct check_ctx *ctx, size_t i, int k)
{
	const struct m_peering *p = &ctx->sema->model.peerings[i];
	const struct s_peering *sp = &ctx->sema->peerings[i];
	const struct m_vnet *me = p->side[k].vnet, *other = p->side[1 - k].vnet;
	struct diag *d;

	if (other->gateway == GW_NONE) {
		d = check_report(ctx, sp->side[k].setting[SET_REMOTE_GATEWAY],
				 "'%s' uses the gateway of '%s', which has no gateway "
				 "(Azure: RemoteVnetHasNoGateways)",
				 me->handle, other->handle);
		note_declared(ctx, d, other);
	} else if (!p->side[1 - k].setting[SET_GATEWAY_TRANSIT]) {
		check_report(ctx, sp->side[k].setting[SET_REMOTE_GATEWAY],
			     "'%s' uses the gateway of '%s', but the peering does not "
			     "set '%s.gateway_transit' (Azure: RemoteVnetHasNoGateways); "
			     "'gateway = %s' sets both sides",
			     me->handle, other->handle, other->handle, other->handle);
	}
}

void check_remote_gateway_unavailable(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;

	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			if (m->peerings[i].side[k].setting[SET_REMOTE_GATEWAY])
				remote_gateway_side(ctx, i, k);
}

/* When the remote gateway is only a hub statement's default, the edits
 * that fit: turn the default off, or peer the spoke on its own. */
static void note_hub_default(struct check_ctx *ctx, struct diag *d,
			     const struct s_peering *sp, const struct m_vnet *spoke)
{
	const struct sema *s = ctx->sema;
	const struct s_vnet *sv = svnet(s, spoke);

	for (size_t j = 0; j < sv->nspoke_of; j++) {
		const struct s_hub *h = &s->hubs[sv->spoke_of[j]];
		if (h->stmt != sp->stmts[0] || !h->gateway_implied)
			continue;
		diag_note(ctx->diags, d, loc_span(h->stmt->kw_loc, h->stmt->names->loc),
			  "every spoke of this hub statement uses the gateway of '%s' "
			  "by default: write 'gateway = none' in its block, or peer "
			  "'%s' with '%s' in a statement of its own", h->hub->handle,
			  spoke->handle, h->hub->handle);
		return;
	}
}

void check_remote_gateway_own_gateway(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_vnet *me = p->side[k].vnet;
			if (!p->side[k].setting[SET_REMOTE_GATEWAY] || me->gateway == GW_NONE)
				continue;
			struct diag *d = check_report(ctx,
				s->peerings[i].side[k].setting[SET_REMOTE_GATEWAY],
				"'%s' has its own gateway and cannot use the gateway of '%s'",
				me->handle, p->side[1 - k].vnet->handle);
			diag_note(ctx->diags, d, svnet(s, me)->gateway_loc,
				  "'%s' has a gateway here", me->handle);
			note_hub_default(ctx, d, &s->peerings[i], me);
		}
	}
}

void check_remote_gateway_multiple(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct s_vnet *sv = &s->vnets[i];
		const struct loc *first = NULL;
		const char *first_remote = NULL;
		for (size_t j = 0; j < sv->npeerings; j++) {
			size_t pi = sv->peerings[j];
			const struct m_peering *p = &s->model.peerings[pi];
			int k = sema_side_of(p, v);
			if (!p->side[k].setting[SET_REMOTE_GATEWAY])
				continue;
			const struct loc *here = &s->peerings[pi].side[k].setting[SET_REMOTE_GATEWAY];
			if (!first) {
				first = here;
				first_remote = p->side[1 - k].vnet->handle;
				continue;
			}
			struct diag *d = check_report(ctx, *here,
				"'%s' already uses the gateway of '%s'; a VNet may use "
				"only one remote gateway", v->handle, first_remote);
			diag_note(ctx->diags, d, *first, "the first remote gateway is set here");
		}
	}
}

void check_transit_without_nva(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (h->transit != TRANSIT_NVA || h->hub->nnvas)
			continue;
		struct diag *d = check_report(ctx, h->transit_loc,
			"transit = nva needs an NVA in hub '%s'", h->hub->handle);
		diag_note(ctx->diags, d, h->hub->loc,
			  "add 'nva = ADDRESS' to '%s'", h->hub->handle);
	}
}

/* Only a VPN gateway can be a route's next hop (azure.md 4.2). */
void check_transit_without_gateway(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		struct diag *d;
		if (h->transit != TRANSIT_GATEWAY)
			continue;
		if (h->hub->gateway == GW_NONE) {
			d = check_report(ctx, h->transit_loc,
				"transit = gateway needs a gateway in hub '%s'",
				h->hub->handle);
			diag_note(ctx->diags, d, h->hub->loc,
				  "add 'gateway' to '%s'", h->hub->handle);
		} else if (h->hub->gateway == GW_EXPRESSROUTE) {
			d = check_report(ctx, h->transit_loc,
				"transit = gateway needs a VPN gateway: the ExpressRoute "
				"gateway of '%s' cannot be a route's next hop",
				h->hub->handle);
			diag_note(ctx->diags, d, svnet(s, h->hub)->gateway_loc,
				  "the gateway is declared here");
		}
	}
}

void check_peering_limit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++)
		if (s->vnets[i].npeerings > SEMA_MAX_PEERINGS)
			check_report(ctx, s->model.vnets[i].loc,
				     "VNet '%s' has %zu peerings; Azure allows at most %d",
				     s->model.vnets[i].handle, s->vnets[i].npeerings,
				     SEMA_MAX_PEERINGS);
}

/* The tables as expand_route_tables counted them (it makes none past the
 * limit): a spoke's routes are each other spoke's prefixes, or the default
 * route, or the summary; the GatewaySubnet table's the spokes' prefixes or
 * the summary. */
void check_route_limit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		if (h->most_routes > SEMA_MAX_ROUTES)
			check_report(ctx, h->transit_loc,
				     "transit through hub '%s' needs %zu routes in the "
				     "route table of '%s'; Azure allows at most %d in one "
				     "table: send the spokes' traffic to the NVA with "
				     "'routes = default' or a 'summary'", h->hub->handle,
				     h->most_routes, h->most_routes_spoke->handle,
				     SEMA_MAX_ROUTES);
		if (h->gateway_routes > SEMA_MAX_ROUTES)
			check_report(ctx, h->gateway_subnet_routes_loc,
				     "the GatewaySubnet route table of hub '%s' needs %zu "
				     "routes, one per spoke prefix (a summary would lose to "
				     "the spokes' peering routes, which are longer); Azure "
				     "allows at most %d in one table", h->hub->handle,
				     h->gateway_routes, SEMA_MAX_ROUTES);
	}
}

/* Each transit hub gives its spokes a route table, and a subnet takes one. */
void check_route_table_conflict(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct s_vnet *sv = &s->vnets[i];
		const struct s_hub *first = NULL;
		for (size_t j = 0; j < sv->nspoke_of; j++) {
			const struct s_hub *h = &s->hubs[sv->spoke_of[j]];
			if (h->transit == TRANSIT_NONE)
				continue;
			if (!first) {
				first = h;
				continue;
			}
			struct diag *d = check_report(ctx, h->transit_loc,
				"spoke '%s' already has a transit route table from hub "
				"'%s'; its subnets can take only one",
				s->model.vnets[i].handle, first->hub->handle);
			diag_note(ctx->diags, d, first->transit_loc,
				  "the first transit is set here");
		}
	}
}

/* A site is reached through its hub's VPN or ExpressRoute gateway. */
void check_site_without_gateway(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nsites; i++) {
		const struct m_site *site = &s->model.sites[i];
		if (site->via->gateway != GW_NONE)
			continue;
		struct diag *d = check_report(ctx, s->sites[i].via_loc,
			"site '%s' is reached through the gateway of '%s', which has "
			"no gateway", site->name, site->via->handle);
		diag_note(ctx->diags, d, site->via->loc, "add 'gateway' to '%s'",
			  site->via->handle);
	}
}

/* Azure allows 20 DNS servers per VNet (azure.md 4.5). */
#define MAX_DNS_SERVERS 20

void check_dns_server_limit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		if (v->ndns_servers <= MAX_DNS_SERVERS)
			continue;
		check_report(ctx, s->vnets[i].dns_src[MAX_DNS_SERVERS]->loc,
			     "VNet '%s' has %zu DNS servers; Azure allows at most %d",
			     v->handle, v->ndns_servers, MAX_DNS_SERVERS);
	}
}

void check_gateway_transit_without_gateway(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_vnet *me = p->side[k].vnet;
			/* When the other side uses it, remote-gateway-unavailable
			 * already says so, as an error. */
			if (!p->side[k].setting[SET_GATEWAY_TRANSIT] || me->gateway != GW_NONE ||
			    p->side[1 - k].setting[SET_REMOTE_GATEWAY])
				continue;
			struct diag *d = check_report(ctx,
				s->peerings[i].side[k].setting[SET_GATEWAY_TRANSIT],
				"'%s' offers gateway transit to '%s' but has no gateway",
				me->handle, p->side[1 - k].vnet->handle);
			note_declared(ctx, d, me);
		}
	}
}

void check_unpeered_vnet(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++)
		if (s->vnets[i].npeerings == 0)
			check_report(ctx, s->model.vnets[i].loc,
				     "VNet '%s' is not peered with any VNet",
				     s->model.vnets[i].handle);
}

static bool any_routed(const struct m_vnet *v)
{
	for (size_t i = 0; i < v->nsubnets; i++)
		if (v->subnets[i].routed)
			return true;
	return false;
}

void check_unassociated_route_table(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nroute_tables; i++) {
		const struct m_route_table *rt = &s->model.route_tables[i];
		/* a GatewaySubnet table's subnet is another check's */
		if (rt->kind != RT_TRANSIT || any_routed(rt->vnet))
			continue;
		const struct s_hub *h = &s->hubs[s->route_table_hub[i]];
		struct diag *d = check_report(ctx, rt->vnet->loc,
			"spoke '%s' has no subnets%s: its transit route table '%s' "
			"is not associated with any", rt->vnet->handle,
			rt->vnet->nsubnets ? " that take transit routes" : "", rt->name);
		diag_note(ctx->diags, d, h->transit_loc, "transit through '%s' is set here",
			  h->hub->handle);
	}
}

/* ------------------------------------------------ gateways */

/* The Basic VPN SKU does not support gateway transit (Microsoft's "Configure
 * VPN gateway transit for virtual network peering", azure.md 4.3). */
void check_basic_gateway_transit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_vnet *me = p->side[k].vnet;
			if (!p->side[k].setting[SET_GATEWAY_TRANSIT] || !me->gw || !me->gw->sku ||
			    strcmp(me->gw->sku, "Basic") != 0)
				continue;
			struct diag *d = check_report(ctx,
				s->peerings[i].side[k].setting[SET_GATEWAY_TRANSIT],
				"'%s' offers gateway transit to '%s', and its Basic "
				"gateway cannot", me->handle, p->side[1 - k].vnet->handle);
			diag_note(ctx->diags, d, svnet(s, me)->gateway_sku_loc,
				  "the SKU is set here; VpnGw1AZ or larger can");
			break;
		}
	}
}
