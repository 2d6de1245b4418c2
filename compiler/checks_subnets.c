/* Subnets and address spaces Azure accepts and can use: their sizes, the
 * addresses Azure keeps in every subnet, and the subnets a service needs.
 *
 * Sources (each check says which it relies on):
 *   [FAQ]  Azure Virtual Network FAQ, learn.microsoft.com/azure/
 *          virtual-network/virtual-networks-faq: "How small and how large
 *          can virtual networks and subnets be?" (the smallest IPv4 subnet
 *          is /29, the largest /2; IPv6 subnets are exactly /64) and "Are
 *          there any restrictions on using IP addresses within these
 *          subnets?" (the first four and the last address are reserved).
 *   [IPV6] "What is IPv6 for Azure Virtual Network?", learn.microsoft.com/
 *          azure/virtual-network/ip-services/ipv6-overview, Limitations:
 *          "IPv6-only Virtual Machines or Virtual Machines Scale Sets aren't
 *          supported, each NIC must include at least one IPv4 IP
 *          configuration"; "Azure Firewall doesn't currently support IPv6
 *          ... the firewall subnet must be IPv4-only".
 *   [AFW]  Azure Firewall FAQ, learn.microsoft.com/azure/firewall/
 *          firewall-faq: "Why does Azure Firewall need a /26 subnet size?"
 *   [AFWM] "Azure Firewall Management NIC", learn.microsoft.com/azure/
 *          firewall/management-nic: management traffic goes "via the
 *          AzureFirewallManagementSubnet (minimum subnet size /26)".
 *   [VPN]  "About VPN Gateway configuration settings", learn.microsoft.com/
 *          azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings,
 *          Gateway subnet: a gateway's instances go in the subnet named
 *          GatewaySubnet, and only there (azurerm validates subnet_id with
 *          IsGatewaySubnet); a /27 or larger is recommended. */
#include "common.h"

#include <strings.h>

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "resolve.h"
#include "util.h"

/* [FAQ] */
#define SMALLEST_V4 29
#define LARGEST_V4 2
#define V6_SUBNET 64
/* [AFW], [AFWM] */
#define FIREWALL_SUBNET_V4 26
#define FIREWALL_SUBNET "AzureFirewallSubnet"
#define FIREWALL_MANAGEMENT_SUBNET "AzureFirewallManagementSubnet"
/* [VPN] */
#define GATEWAY_SUBNET SEMA_GATEWAY_SUBNET
#define GATEWAY_SUBNET_V4 27

/* [FAQ]: no subnet fits in an address space smaller than the smallest. */
void check_vnet_size(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		for (size_t k = 0; k < v->nspace; k++)
			if (v->space[k].addr.family == IP_V4 &&
			    v->space[k].len > SMALLEST_V4)
				check_report(ctx, s->vnets[i].space_src[k]->loc,
					     "address space %s of '%s' is smaller than "
					     "/%d, the smallest subnet Azure allows",
					     ip_prefix_str(&v->space[k], buf), v->handle,
					     SMALLEST_V4);
	}
}

typedef void subnet_fn(struct check_ctx *ctx, const struct m_vnet *v,
		       const struct m_subnet *sn, const struct ip_prefix *p,
		       struct loc at);

/* fn for every prefix of every declared subnet, with where it is written. */
static void each_subnet_prefix(struct check_ctx *ctx, subnet_fn *fn)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		for (size_t k = 0; k < v->nsubnets; k++)
			for (size_t j = 0; j < v->subnets[k].nprefixes; j++)
				fn(ctx, v, &v->subnets[k], &v->subnets[k].prefixes[j],
				   sema_value_at(s->vnets[i].subnet_src[k], j)->loc);
	}
}

/* A subnet's prefix of a family, or NULL. */
static const struct ip_prefix *subnet_prefix(const struct m_subnet *sn, enum ip_family f)
{
	for (size_t j = 0; j < sn->nprefixes; j++)
		if (sn->prefixes[j].addr.family == f)
			return &sn->prefixes[j];
	return NULL;
}

/* [FAQ] */
static void subnet_size(struct check_ctx *ctx, const struct m_vnet *v,
			const struct m_subnet *sn, const struct ip_prefix *p,
			struct loc at)
{
	char buf[IP_STRLEN];
	bool v4 = p->addr.family == IP_V4;

	if (v4 && p->len <= SMALLEST_V4 && p->len >= LARGEST_V4)
		return;
	if (!v4 && p->len == V6_SUBNET)
		return;
	ip_prefix_str(p, buf);
	if (!v4)
		check_report(ctx, at, "subnet '%s' %s of '%s' is not a /%d: Azure's "
			     "IPv6 subnets are exactly /%d", sn->name, buf, v->handle,
			     V6_SUBNET, V6_SUBNET);
	else
		check_report(ctx, at, "subnet '%s' %s of '%s' is %s than /%d, the "
			     "%s IPv4 subnet Azure allows", sn->name, buf, v->handle,
			     p->len > SMALLEST_V4 ? "smaller" : "larger",
			     p->len > SMALLEST_V4 ? SMALLEST_V4 : LARGEST_V4,
			     p->len > SMALLEST_V4 ? "smallest" : "largest");
}

void check_subnet_size(struct check_ctx *ctx)
{
	each_subnet_prefix(ctx, subnet_size);
}

/* [IPV6]: a NIC needs an IPv4 configuration, so an IPv6-only VNet or
 * subnet deploys but nothing can run in it. A warning: Azure creates it. */
void check_ipv6_only(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		if (v->nspace && !m_vnet_has_family(v, IP_V4)) {
			check_report(ctx, s->vnets[i].space_loc,
				     "VNet '%s' has no IPv4 address space: no VM or "
				     "scale set can use it, since each NIC needs an IPv4 "
				     "configuration", v->handle);
			continue;
		}
		for (size_t k = 0; k < v->nsubnets; k++)
			if (!subnet_prefix(&v->subnets[k], IP_V4))
				check_report(ctx, s->vnets[i].subnet_src[k]->loc,
					     "subnet '%s' %s of '%s' is IPv6-only: no VM "
					     "or scale set can use it, since each NIC needs "
					     "an IPv4 configuration; give it an IPv4 prefix "
					     "too", v->subnets[k].name,
					     ip_prefix_str(&v->subnets[k].prefixes[0], buf),
					     v->handle);
	}
}

static uint32_t v4(const struct ip_addr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
	       (uint32_t)a->b[2] << 8 | a->b[3];
}

/* What Azure keeps the address at `offset` of a subnet of `size` for, or
 * NULL when it is free [FAQ]. */
static const char *reserved_for(uint64_t offset, uint64_t size)
{
	if (offset == 0)
		return "the network address";
	if (offset == 1)
		return "the default gateway's address";
	if (offset <= 3)
		return "an address of Azure DNS";
	if (offset == size - 1)
		return "the broadcast address";
	return NULL;
}

/* [FAQ]: the NVA's IPv4 address in the declared subnet that holds it.
 * (The FAQ says nothing of IPv6 subnets: an IPv6 NVA is not checked.) */
void check_nva_reserved_address(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char a[IP_STRLEN], p[IP_STRLEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct ip_addr *nva = m_vnet_nva(v, IP_V4);
		if (!nva)
			continue;
		for (size_t k = 0; k < v->nsubnets; k++) {
			const struct m_subnet *sn = &v->subnets[k];
			const struct ip_prefix *sp = subnet_prefix(sn, IP_V4);
			if (!sp || !ip_prefix_contains_addr(sp, nva))
				continue;
			const char *what = reserved_for(v4(nva) - v4(&sp->addr),
							(uint64_t)1 << (32 - sp->len));
			if (!what)
				break;
			struct diag *d = check_report(ctx, sema_value_at(s->vnets[i].nva_src,
				(size_t)(nva - v->nvas))->loc,
				"NVA address %s is %s in subnet '%s' %s, which Azure "
				"reserves (the first four and the last address of every "
				"subnet)", ip_addr_str(nva, a), what, sn->name,
				ip_prefix_str(sp, p));
			diag_note(ctx->diags, d, sn->loc, "subnet '%s' is declared here",
				  sn->name);
			break;
		}
	}
}

/* [AFW], [AFWM], [IPV6]: the firewall's two subnets, its data and its
 * management NIC, each a /26 or larger and IPv4 only. */
static void firewall_subnet(struct check_ctx *ctx, const struct m_vnet *v,
			    const struct m_subnet *sn, const struct ip_prefix *p,
			    struct loc at)
{
	char buf[IP_STRLEN];
	const char *why;

	if (strcasecmp(sn->name, FIREWALL_SUBNET) == 0)
		why = "the size Azure Firewall needs to scale out";
	else if (strcasecmp(sn->name, FIREWALL_MANAGEMENT_SUBNET) == 0)
		why = "the smallest Azure Firewall's management NIC takes";
	else
		return;
	ip_prefix_str(p, buf); /* rare: two subnets per hub */
	if (p->addr.family != IP_V4)
		check_report(ctx, at, "%s %s of '%s' is IPv6: Azure Firewall's subnets "
			     "must be IPv4-only", sn->name, buf, v->handle);
	else if (p->len > FIREWALL_SUBNET_V4)
		check_report(ctx, at, "%s %s of '%s' is smaller than /%d, %s",
			     sn->name, buf, v->handle, FIREWALL_SUBNET_V4, why);
}

void check_firewall_subnet_size(struct check_ctx *ctx)
{
	each_subnet_prefix(ctx, firewall_subnet);
}

/* [VPN] */
void check_gateway_subnet_missing(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		if (!v->gw || v->gw->source != GWSRC_CREATED || sema_gateway_subnet(v))
			continue;
		const struct m_subnet *near = NULL;
		for (size_t k = 0; k < v->nsubnets && !near; k++)
			if (strcasecmp(v->subnets[k].name, GATEWAY_SUBNET) == 0)
				near = &v->subnets[k];
		struct diag *d = check_report(ctx, s->vnets[i].gateway_loc,
			"peerc creates the gateway of '%s' in its subnet named "
			"'" GATEWAY_SUBNET "', and '%s' has none", v->handle, v->handle);
		if (near)
			diag_note(ctx->diags, d, near->loc,
				  "the name must be '" GATEWAY_SUBNET "', exactly");
		else
			diag_note(ctx->diags, d, v->loc,
				  "add '" GATEWAY_SUBNET " = PREFIX' (a /%d or larger) to "
				  "the subnets of '%s'", GATEWAY_SUBNET_V4, v->handle);
	}
}

/* [VPN]: a smaller GatewaySubnet leaves no room for active-active,
 * coexisting ExpressRoute and VPN gateways or a SKU migration, which
 * deploys a second gateway beside the first. */
void check_gateway_subnet_size(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct m_subnet *gs = sema_gateway_subnet(v);
		const struct ip_prefix *p = gs ? subnet_prefix(gs, IP_V4) : NULL;
		if (v->existing || !p || p->len <= GATEWAY_SUBNET_V4)
			continue;
		check_report(ctx, gs->loc, "the " GATEWAY_SUBNET " of '%s' is a /%u; "
			     "Microsoft recommends a /%d or larger", v->handle,
			     (unsigned)p->len, GATEWAY_SUBNET_V4);
	}
}
