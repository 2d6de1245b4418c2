#include "common.h"

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "util.h"

/* The one table. A check's prerequisites come before it. Grouped by the file
 * that implements them; the name is the -W name and never changes. */
static const struct check check_table[] = {
	/* checks_peering.c: settings every VNet must have */
	{ "vnet-incomplete", CHECK_ERROR,
	  "a VNet lacks its address space, location, resource group or subscription",
	  check_vnet_incomplete, { NULL } },
	{ "unknown-api-version", CHECK_ERROR,
	  "api_version is not a Microsoft.Network API version peerc knows",
	  check_unknown_api_version, { NULL } },
	/* checks_names.c: Azure's rules for names, per kind (names.c) */
	{ "invalid-vnet-name", CHECK_ERROR,
	  "a VNet name breaks Azure's rules (2-64 letters, digits, _ . -)",
	  check_invalid_vnet_name, { NULL } },
	{ "invalid-subnet-name", CHECK_ERROR,
	  "a subnet name breaks Azure's rules (1-80 letters, digits, _ . -)",
	  check_invalid_subnet_name, { NULL } },
	/* A created gateway's default name is made of its VNet's. */
	{ "invalid-gateway-name", CHECK_ERROR,
	  "a gateway's name, or the name of its public IP, breaks Azure's rules "
	  "(1-80 letters, digits, _ . -)",
	  check_invalid_gateway_name, { "invalid-vnet-name" } },
	{ "invalid-peering-name", CHECK_ERROR,
	  "a peering name breaks Azure's rules (1-80 letters, digits, _ . -)",
	  check_invalid_peering_name, { "invalid-vnet-name" } },

	{ "invalid-resource-group", CHECK_ERROR,
	  "a resource group name breaks Azure's rules (1-90 characters)",
	  check_invalid_resource_group, { NULL } },
	{ "invalid-subscription", CHECK_ERROR,
	  "a subscription is not a GUID",
	  check_invalid_subscription, { NULL } },
	{ "duplicate-vnet-name", CHECK_ERROR,
	  "two VNets have one Azure name in one resource group (ignoring case)",
	  check_duplicate_vnet_name, { NULL } },
	/* Peering names are made of VNet names: two VNets of one name would
	 * also give them one peering name, a confusing echo of the above. */
	{ "duplicate-peering-name", CHECK_ERROR,
	  "two peerings of one VNet have the same name",
	  check_duplicate_peering_name, { "invalid-peering-name",
					  "duplicate-vnet-name" } },
	{ "invalid-route-table-name", CHECK_ERROR,
	  "a route_table_name pattern makes a name that breaks Azure's rules "
	  "(1-80 letters, digits, _ . -)",
	  check_invalid_route_table_name, { "invalid-vnet-name" } },
	{ "duplicate-route-table-name", CHECK_ERROR,
	  "two transit route tables have one name in one resource group",
	  check_duplicate_route_table_name, { "invalid-route-table-name" } },
	/* checks_peering.c: gateways, transit and limits */
	{ "remote-gateway-unavailable", CHECK_ERROR,
	  "remote_gateway toward a VNet without a gateway or without gateway_transit",
	  check_remote_gateway_unavailable, { NULL } },
	{ "remote-gateway-own-gateway", CHECK_ERROR,
	  "remote_gateway on a VNet that has its own gateway",
	  check_remote_gateway_own_gateway, { NULL } },
	{ "remote-gateway-multiple", CHECK_ERROR,
	  "more than one peering of one VNet uses a remote gateway",
	  check_remote_gateway_multiple, { NULL } },
	{ "transit-without-nva", CHECK_ERROR,
	  "transit = nva on a hub that has no nva",
	  check_transit_without_nva, { NULL } },
	{ "transit-without-gateway", CHECK_ERROR,
	  "transit = gateway on a hub without a VPN gateway",
	  check_transit_without_gateway, { NULL } },
	{ "peering-limit", CHECK_ERROR,
	  "more than 500 peerings on one VNet (Azure's limit)",
	  check_peering_limit, { NULL } },
	{ "route-limit", CHECK_ERROR,
	  "more than 400 routes in a spoke's transit route table (Azure's limit)",
	  check_route_limit, { "transit-without-nva", "transit-without-gateway" } },
	{ "route-table-conflict", CHECK_ERROR,
	  "a spoke of two hubs with transit would need two route tables",
	  check_route_table_conflict, { NULL } },
	{ "site-without-gateway", CHECK_WARNING,
	  "a site via a VNet that has no gateway",
	  check_site_without_gateway, { NULL } },
	{ "dns-server-limit", CHECK_ERROR,
	  "more than 20 DNS servers on one VNet (Azure's limit)",
	  check_dns_server_limit, { NULL } },
	{ "gateway-transit-without-gateway", CHECK_WARNING,
	  "gateway_transit on the side of a VNet that has no gateway",
	  check_gateway_transit_without_gateway, { NULL } },
	{ "unpeered-vnet", CHECK_WARNING,
	  "a declared VNet that nothing peers",
	  check_unpeered_vnet, { NULL } },
	{ "unassociated-route-table", CHECK_WARNING,
	  "a transit route table for a spoke with no subnets to associate it with",
	  check_unassociated_route_table, { NULL } },
	{ "basic-gateway-transit", CHECK_ERROR,
	  "gateway transit through a Basic VPN gateway, which cannot offer it",
	  check_basic_gateway_transit, { NULL } },
	/* reach.c: require and deny */
	{ "require-failed", CHECK_ERROR,
	  "the two ends of a require cannot talk",
	  check_require_failed, { NULL } },
	{ "deny-failed", CHECK_ERROR,
	  "the two ends of a deny can talk",
	  check_deny_failed, { NULL } },
	/* checks_address.c: prefixes, address spaces and their overlaps */
	{ "prefix-length", CHECK_ERROR,
	  "a prefix length beyond the address (32 bits for IPv4, 128 for IPv6)",
	  check_prefix_length, { NULL } },
	{ "prefix-host-bits", CHECK_ERROR,
	  "a prefix with host bits set (10.0.0.1/16 for 10.0.0.0/16)",
	  check_prefix_host_bits, { "prefix-length" } },
	{ "forbidden-address-space", CHECK_ERROR,
	  "a VNet address space in a range Azure does not allow (224.0.0.0/4, "
	  "255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16, 168.63.129.16/32)",
	  check_forbidden_address_space, { "prefix-length" } },
	{ "subnet-outside-vnet", CHECK_ERROR,
	  "a subnet not inside its VNet's address space",
	  check_subnet_outside_vnet, { "prefix-length" } },
	{ "nva-outside-vnet", CHECK_ERROR,
	  "an NVA address not inside its VNet's address space",
	  check_nva_outside_vnet, { "prefix-length" } },
	{ "vnet-prefix-overlap", CHECK_ERROR,
	  "two prefixes of one VNet's address space overlap",
	  check_vnet_prefix_overlap, { "prefix-length" } },
	{ "subnet-overlap", CHECK_ERROR,
	  "two subnets of one VNet overlap",
	  check_subnet_overlap, { "prefix-length" } },
	{ "peered-overlap", CHECK_ERROR,
	  "the address spaces of two peered VNets overlap (VnetAddressSpacesOverlap)",
	  check_peered_overlap, { "prefix-length" } },
	{ "shared-peer-overlap", CHECK_ERROR,
	  "the address spaces of two VNets peered with one VNet overlap "
	  "(VnetAddressSpaceOverlapsWithAlreadyPeeredVnet)",
	  check_shared_peer_overlap, { "prefix-length" } },
	{ "require-overlap", CHECK_ERROR,
	  "the two ends of a require have overlapping address spaces",
	  check_require_overlap, { "prefix-length" } },
	{ "site-overlap", CHECK_ERROR,
	  "a site overlaps the address space of a VNet that can reach it",
	  check_site_overlap, { "prefix-length" } },
	{ "public-address-space", CHECK_WARNING,
	  "a VNet address space outside RFC 1918 and RFC 6598 private IPv4 space",
	  check_public_address_space, { "prefix-length" } },
	{ "connected-group-overlap", CHECK_WARNING,
	  "overlapping address spaces in one connected group of peered VNets",
	  check_connected_group_overlap, { "prefix-length" } },
	{ "misspelt-region", CHECK_ERROR,
	  "a location one letter away from exactly one Azure region",
	  check_misspelt_region, { NULL } },
	{ "unknown-region", CHECK_WARNING,
	  "a location that is not a known Azure region",
	  check_unknown_region, { NULL } },
	/* checks_subnets.c: subnets Azure accepts and can use */
	{ "vnet-size", CHECK_ERROR,
	  "an IPv4 address space smaller than /29, the smallest subnet",
	  check_vnet_size, { "prefix-length" } },
	{ "subnet-size", CHECK_ERROR,
	  "an IPv4 subnet smaller than /29 or larger than /2, an IPv6 subnet not /64",
	  check_subnet_size, { "prefix-length" } },
	{ "firewall-subnet-size", CHECK_ERROR,
	  "an AzureFirewallSubnet smaller than /26, or not IPv4",
	  check_firewall_subnet_size, { "prefix-length" } },
	{ "gateway-subnet-missing", CHECK_ERROR,
	  "peerc creates a gateway in a VNet that has no GatewaySubnet",
	  check_gateway_subnet_missing, { NULL } },
	{ "gateway-subnet-size", CHECK_WARNING,
	  "a GatewaySubnet smaller than /27 (Microsoft's recommendation)",
	  check_gateway_subnet_size, { NULL } },
	{ "nva-reserved-address", CHECK_ERROR,
	  "an NVA address Azure reserves in its subnet (the first four, the last)",
	  check_nva_reserved_address, { "prefix-length", "subnet-overlap" } },
	{ "ipv6-only", CHECK_WARNING,
	  "a VNet or subnet without IPv4, which no VM can use",
	  check_ipv6_only, { "prefix-length" } },
	/* checks_routes.c: a hub's routing options and where its tables send
	 * the packets */
	{ "routing-needs-transit", CHECK_ERROR,
	  "routes, summary, propagate_gateway_routes or gateway_subnet_routes on a "
	  "hub without the transit they shape (default routes and the GatewaySubnet "
	  "table: transit = nva)",
	  check_routing_needs_transit, { NULL } },
	{ "gateway-routes-without-gateway", CHECK_ERROR,
	  "gateway_subnet_routes on a hub with no gateway or no declared GatewaySubnet",
	  check_gateway_routes_without_gateway, { NULL } },
	{ "summary-gap", CHECK_WARNING,
	  "a spoke prefix outside its hub's summary: no route to the NVA for it",
	  check_summary_gap, { "prefix-length" } },
	{ "transit-family-gap", CHECK_WARNING,
	  "spokes of an address family the hub's NVA has no address of: transit "
	  "carries none of it",
	  check_transit_family_gap, { NULL } },
	{ "transit-overrides-peering", CHECK_WARNING,
	  "peered spokes (direct, or a peer) whose transit route tables send each "
	  "other's prefixes to the NVA: the traffic skips the peering",
	  check_transit_overrides_peering, { "route-table-conflict" } },
	{ "site-without-route", CHECK_WARNING,
	  "spokes that keep gateway routes out and have no route of their own to "
	  "a site of their hub",
	  check_site_without_route, { "route-table-conflict" } },
	{ "asymmetric-routing", CHECK_WARNING,
	  "traffic between a hub's spokes and a site passes its NVA one way only",
	  check_asymmetric_routing, { "route-table-conflict" } },
};

size_t check_count(void)
{
	return ARRAY_SIZE(check_table);
}

const struct check *check_at(size_t i)
{
	return i < ARRAY_SIZE(check_table) ? &check_table[i] : NULL;
}

static ptrdiff_t table_find(const struct check *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

const struct check *check_find(const char *name)
{
	ptrdiff_t i = table_find(check_table, ARRAY_SIZE(check_table), name);

	return i < 0 ? NULL : &check_table[i];
}

struct diag *check_report(struct check_ctx *ctx, struct loc loc,
			  const char *fmt, ...)
{
	enum diag_severity sev = ctx->check->level == CHECK_ERROR ? DIAG_ERROR
								  : DIAG_WARNING;
	va_list ap;

	ctx->nproblems++;
	va_start(ap, fmt);
	struct diag *d = diag_vadd(ctx->diags, sev, ctx->check->name, loc, fmt, ap);
	va_end(ap);
	return d;
}

/* A prerequisite that is not in the table is a bug in the table, not input. */
static bool prereqs_passed(const struct check *table, size_t i,
			   const enum check_status *status)
{
	for (size_t k = 0; k < CHECK_MAX_PREREQS && table[i].prereqs[k]; k++) {
		ptrdiff_t p = table_find(table, i, table[i].prereqs[k]);
		if (p < 0)
			BUG();
		if (status[p] == CHECK_FAILED || status[p] == CHECK_SKIPPED)
			return false;
	}
	return true;
}

void checks_run_table(const struct check *table, size_t n,
		      const struct sema *sema, struct diag_list *diags,
		      enum check_status *status)
{
	/* What a check builds (maps, sorted copies, keys) is gone when it
	 * ends: in the run's arena it stayed through the back end, the
	 * largest part of the peak at 100,000 VNets. */
	struct check_ctx ctx = { .sema = sema, .diags = diags, .arena = arena_new() };

	arena_set_phase(ctx.arena, arena_phase(diags->arena));

	for (size_t i = 0; i < n; i++) {
		if (table[i].level == CHECK_OFF &&
		    !warn_enabled(diags->opts, table[i].name, false)) {
			status[i] = CHECK_NOT_RUN;
			continue;
		}
		if (!prereqs_passed(table, i, status)) {
			status[i] = CHECK_SKIPPED;
			continue;
		}
		ctx.check = &table[i];
		ctx.nproblems = 0;
		table[i].fn(&ctx);
		arena_clear(ctx.arena);
		status[i] = ctx.nproblems ? CHECK_FAILED : CHECK_PASSED;
	}
	arena_free(ctx.arena);
}

void checks_run(const struct sema *sema, struct diag_list *diags,
		enum check_status *status)
{
	enum check_status *st = status;

	if (!st)
		st = arena_alloc(diags->arena, sizeof(*st) * ARRAY_SIZE(check_table));
	checks_run_table(check_table, ARRAY_SIZE(check_table), sema, diags, st);
}
