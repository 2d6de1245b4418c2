/* The check functions of the table in checks.c, by the file that defines
 * them. A new check: write `void check_NAME(struct check_ctx *ctx)` in the
 * file of its domain, declare it here, add one row to the table. */
#ifndef PEERC_CHECK_FNS_H
#define PEERC_CHECK_FNS_H

#include "checks.h"

/* checks_names.c */
check_fn check_invalid_vnet_name;
check_fn check_invalid_subnet_name;
check_fn check_invalid_gateway_name;
check_fn check_invalid_peering_name;
check_fn check_duplicate_peering_name;
check_fn check_invalid_resource_group;
check_fn check_invalid_subscription;
check_fn check_duplicate_vnet_name;
check_fn check_invalid_route_table_name;
check_fn check_duplicate_route_table_name;

/* checks_peering.c */
check_fn check_vnet_incomplete;
check_fn check_unknown_api_version;
check_fn check_remote_gateway_unavailable;
check_fn check_remote_gateway_own_gateway;
check_fn check_remote_gateway_multiple;
check_fn check_transit_without_nva;
check_fn check_transit_without_gateway;
check_fn check_peering_limit;
check_fn check_route_limit;
check_fn check_route_table_conflict;
check_fn check_site_without_gateway;
check_fn check_dns_server_limit;
check_fn check_gateway_transit_without_gateway;
check_fn check_unpeered_vnet;
check_fn check_unassociated_route_table;
check_fn check_basic_gateway_transit;

/* checks_routes.c */
check_fn check_routing_needs_transit;
check_fn check_gateway_routes_without_gateway;
check_fn check_summary_gap;
check_fn check_transit_family_gap;
check_fn check_transit_overrides_peering;
check_fn check_site_without_route;
check_fn check_asymmetric_routing;

/* reach.c */
check_fn check_require_failed;
check_fn check_deny_failed;

/* checks_address.c */
check_fn check_prefix_length;
check_fn check_prefix_host_bits;
check_fn check_forbidden_address_space;
check_fn check_subnet_outside_vnet;
check_fn check_nva_outside_vnet;
check_fn check_vnet_prefix_overlap;
check_fn check_subnet_overlap;
check_fn check_peered_overlap;
check_fn check_shared_peer_overlap;
check_fn check_require_overlap;
check_fn check_site_overlap;
check_fn check_public_address_space;
check_fn check_connected_group_overlap;
check_fn check_misspelt_region;
check_fn check_unknown_region;

/* checks_subnets.c */
check_fn check_vnet_size;
check_fn check_subnet_size;
check_fn check_ipv6_only;
check_fn check_nva_reserved_address;
check_fn check_firewall_subnet_size;
check_fn check_gateway_subnet_missing;
check_fn check_gateway_subnet_size;

#endif
