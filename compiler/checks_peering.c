#include "common.h"

#include <ctype.h>
#include <strings.h>

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

/* A value the defaults block gives every VNet is the same string at the same
 * place: it is checked once, not once per VNet. */
struct once {
	bool done;
};

static bool first_time(struct once *o, const struct s_origin *org)
{
	if (!org->from_defaults)
		return true;
	if (o->done)
		return false;
	o->done = true;
	return true;
}

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

/* ------------------------------------------------ Azure names */

static bool name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

/* Why name breaks the rule shared by VNets, subnets and peerings (azure.md
 * 4.6: letters, digits, _ . -; starts with a letter or digit; ends with a
 * letter, digit or _), or NULL when it does not. */
static const char *name_problem(const char *name, size_t min, size_t max,
				char *buf, size_t bufsz)
{
	size_t n = strlen(name);

	if (n < min) {
		snprintf(buf, bufsz, "it is shorter than %zu characters", min);
		return buf;
	}
	if (n > max) {
		snprintf(buf, bufsz, "it is longer than %zu characters", max);
		return buf;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (name_char(c))
			continue;
		if (c < 0x20 || c >= 0x7f)
			snprintf(buf, bufsz, "it has the byte 0x%02x", c);
		else
			snprintf(buf, bufsz, "it has the character '%c'", c);
		return buf;
	}
	if (!isalnum((unsigned char)name[0]))
		return "it must start with a letter or digit";
	if (!isalnum((unsigned char)name[n - 1]) && name[n - 1] != '_')
		return "it must end with a letter, a digit or '_'";
	return NULL;
}

void check_invalid_vnet_name(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[64];

	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		const char *why = name_problem(v->name, 2, 64, buf, sizeof(buf));
		if (why)
			check_report(ctx, svnet(ctx->sema, v)->name.loc,
				     "'%s' is not a valid Azure VNet name: %s",
				     v->name, why);
	}
}

void check_invalid_subnet_name(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[64];

	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		for (size_t k = 0; k < v->nsubnets; k++) {
			const char *why = name_problem(v->subnets[k].name, 1, 80,
						       buf, sizeof(buf));
			if (why)
				check_report(ctx, v->subnets[k].loc,
					     "'%s' is not a valid Azure subnet name: %s",
					     v->subnets[k].name, why);
		}
	}
}

void check_invalid_peering_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[64];

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_side *sd = &p->side[k];
			const struct s_side *ss = &s->peerings[i].side[k];
			const char *why = name_problem(sd->name, 1, 80, buf, sizeof(buf));
			if (!why)
				continue;
			struct diag *d = check_report(ctx, ss->name,
				"the peering of '%s' to '%s' would be named '%s', not a "
				"valid Azure name: %s%s", sd->vnet->handle,
				p->side[1 - k].vnet->handle, sd->name, why,
				loc_is_none(ss->pattern) ?
					"; set a shorter 'name' pattern" : "");
			if (!loc_is_none(ss->pattern) && ss->pattern.start != ss->name.start)
				diag_note(ctx->diags, d, ss->pattern,
					  "the name pattern is given here");
		}
	}
}

/* Peering names are unique within their VNet, ignoring case as Azure does. */
void check_duplicate_peering_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strmap seen;

	strmap_init(&seen, ctx->arena);
	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			char *key = arena_printf(ctx->arena, "%zu/%s",
						 p->side[k].vnet->index, p->side[k].name);
			for (char *c = key; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			/* the value is 1 + 2 * peering + side, never NULL */
			uintptr_t me = 1 + 2 * i + (uintptr_t)k;
			uintptr_t prev = (uintptr_t)strmap_put(&seen, key, (void *)me);
			if (!prev)
				continue;
			size_t pi = (prev - 1) / 2;
			int pk = (int)((prev - 1) % 2);
			struct loc there = s->peerings[pi].side[pk].name;
			struct diag *d = check_report(ctx, s->peerings[i].side[k].name,
				"VNet '%s' has two peerings named '%s': to '%s' and to '%s'",
				p->side[k].vnet->handle, p->side[k].name,
				s->model.peerings[pi].side[1 - pk].vnet->handle,
				p->side[1 - k].vnet->handle);
			if (there.start != s->peerings[i].side[k].name.start)
				diag_note(ctx->diags, d, there, "the other one is named here");
		}
	}
}

static bool group_char(unsigned char c)
{
	/* \w of .NET includes every Unicode letter: any non-ASCII byte passes. */
	return isalnum(c) || c >= 0x80 || strchr("-_.()", c);
}

static const char *group_problem(const char *rg, char *buf, size_t bufsz)
{
	size_t n = strlen(rg);

	if (n == 0)
		return "it is empty";
	if (n > 90)
		return "it is longer than 90 characters";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)rg[i];
		if (group_char(c))
			continue;
		if (c < 0x20 || c == 0x7f)
			snprintf(buf, bufsz, "it has the byte 0x%02x", c);
		else
			snprintf(buf, bufsz, "it has the character '%c'", c);
		return buf;
	}
	if (rg[n - 1] == '.')
		return "it must not end with '.'";
	return NULL;
}

void check_invalid_resource_group(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct once defaults = { false };
	char buf[64];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct s_origin *org = &s->vnets[i].resource_group;
		if (!v->resource_group || !first_time(&defaults, org))
			continue;
		const char *why = group_problem(v->resource_group, buf, sizeof(buf));
		if (why)
			check_report(ctx, org->loc,
				     "'%s' is not a valid resource group name: %s",
				     v->resource_group, why);
	}
}

static bool is_guid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		bool ok = shape[i] == '-' ? s[i] == '-' : isxdigit((unsigned char)s[i]);
		if (!ok)
			return false;
	}
	return s[sizeof(shape) - 1] == '\0';
}

void check_invalid_subscription(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct once defaults = { false };

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct s_origin *org = &s->vnets[i].subscription;
		if (!v->subscription || !first_time(&defaults, org))
			continue;
		if (!is_guid(v->subscription))
			check_report(ctx, org->loc,
				     "subscription '%s' is not a GUID "
				     "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				     v->subscription);
	}
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
		d = check_report(ctx, sp->side[k].remote_gateway,
				 "'%s' uses the gateway of '%s', which has no gateway "
				 "(Azure: RemoteVnetHasNoGateways)",
				 me->handle, other->handle);
		note_declared(ctx, d, other);
	} else if (!p->side[1 - k].gateway_transit) {
		check_report(ctx, sp->side[k].remote_gateway,
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
			if (m->peerings[i].side[k].remote_gateway)
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
			if (!p->side[k].remote_gateway || me->gateway == GW_NONE)
				continue;
			struct diag *d = check_report(ctx, s->peerings[i].side[k].remote_gateway,
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
			if (!p->side[k].remote_gateway)
				continue;
			const struct loc *here = &s->peerings[pi].side[k].remote_gateway;
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
		if (h->transit != TRANSIT_NVA || h->hub->has_nva)
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

/* A spoke's transit table holds a route per prefix of every other spoke. */
void check_route_limit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nhubs; i++) {
		const struct s_hub *h = &s->hubs[i];
		size_t total = 0, fewest = SIZE_MAX, worst = 0;
		if (h->transit == TRANSIT_NONE || h->nspokes == 0)
			continue;
		for (size_t j = 0; j < h->nspokes; j++) {
			size_t own = sema_routes_to(h, h->spokes[j]);
			total += own;
			if (own < fewest) {
				fewest = own;
				worst = j;
			}
		}
		if (total - fewest <= SEMA_MAX_ROUTES)
			continue;
		check_report(ctx, h->transit_loc,
			     "transit through hub '%s' needs %zu routes in the route "
			     "table of '%s'; Azure allows at most %d in one table",
			     h->hub->handle, total - fewest, h->spokes[worst]->handle,
			     SEMA_MAX_ROUTES);
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
			if (!p->side[k].gateway_transit || me->gateway != GW_NONE ||
			    p->side[1 - k].remote_gateway)
				continue;
			struct diag *d = check_report(ctx, s->peerings[i].side[k].gateway_transit,
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
		if (any_routed(rt->vnet))
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

/* ------------------------------------------------ gateways peerc creates */

static const struct m_subnet *gateway_subnet(const struct m_vnet *v)
{
	for (size_t i = 0; i < v->nsubnets; i++)
		if (strcmp(v->subnets[i].name, "GatewaySubnet") == 0)
			return &v->subnets[i];
	return NULL;
}

/* Azure puts a gateway's instances in the subnet named GatewaySubnet, and
 * only there (Microsoft's "About VPN Gateway configuration settings",
 * Gateway subnet; azurerm validates subnet_id with IsGatewaySubnet). */
void check_gateway_subnet_missing(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		if (!v->gw || v->gw->source != GWSRC_CREATED || gateway_subnet(v))
			continue;
		const struct m_subnet *near = NULL;
		for (size_t k = 0; k < v->nsubnets && !near; k++)
			if (strcasecmp(v->subnets[k].name, "GatewaySubnet") == 0)
				near = &v->subnets[k];
		struct diag *d = check_report(ctx, s->vnets[i].gateway_loc,
			"peerc creates the gateway of '%s' in its subnet named "
			"'GatewaySubnet', and '%s' has none", v->handle, v->handle);
		if (near)
			diag_note(ctx->diags, d, near->loc,
				  "the name must be 'GatewaySubnet', exactly");
		else
			diag_note(ctx->diags, d, v->loc,
				  "add 'GatewaySubnet = PREFIX' (a /27 or larger) to the "
				  "subnets of '%s'", v->handle);
	}
}

/* Microsoft recommends a /27 or larger GatewaySubnet: smaller ones leave
 * no room for active-active, coexisting ExpressRoute and VPN gateways or a
 * SKU migration, which deploys a second gateway beside the first ("About
 * VPN Gateway configuration settings", Gateway subnet). */
void check_gateway_subnet_size(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct m_subnet *gs = gateway_subnet(v);
		if (v->existing || !gs || gs->prefix.addr.family != 4 || gs->prefix.len <= 27)
			continue;
		check_report(ctx, gs->loc, "the GatewaySubnet of '%s' is a /%u; "
			     "Microsoft recommends a /27 or larger", v->handle,
			     (unsigned)gs->prefix.len);
	}
}

/* The Basic VPN SKU does not support gateway transit (Microsoft's "Configure
 * VPN gateway transit for virtual network peering", azure.md 4.3). */
void check_basic_gateway_transit(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_vnet *me = p->side[k].vnet;
			if (!p->side[k].gateway_transit || !me->gw || !me->gw->sku ||
			    strcmp(me->gw->sku, "Basic") != 0)
				continue;
			struct diag *d = check_report(ctx, s->peerings[i].side[k].gateway_transit,
				"'%s' offers gateway transit to '%s', and its Basic "
				"gateway cannot", me->handle, p->side[1 - k].vnet->handle);
			diag_note(ctx->diags, d, svnet(s, me)->gateway_sku_loc,
				  "the SKU is set here; VpnGw1AZ or larger can");
			break;
		}
	}
}
