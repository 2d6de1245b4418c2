/* Resolution, expansion and the semantic checks, through peerc_compile: small
 * buffers in, the model and the diagnostics' names and places out. */
#include "common.h"

#include <check.h>

#include "diag.h"
#include "model.h"
#include "peerc.h"
#include "diag_helpers.h"
#include "reach.h"
#include "resolve.h"
#include "util.h"

#define SUB_ID "11111111-1111-1111-1111-111111111111"
#define SUB "\"" SUB_ID "\""
#define DEFAULTS "defaults { subscription = " SUB " resource_group = rg location = westeurope }\n"

/* The text a location covers. */
static bool has_msg(const struct peerc_result *r, const char *msg)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (strcmp(r->diags.items[i].msg, msg) == 0)
			return true;
	return false;
}

static char *text_at(const struct peerc_result *r, struct loc l)
{
	static char buf[256];
	size_t n = l.end - l.start;

	ck_assert(!loc_is_none(l));
	ck_assert_uint_lt(n, sizeof(buf));
	memcpy(buf, r->source.text + l.start, n);
	buf[n] = '\0';
	return buf;
}

static void no_diags(const struct peerc_result *r)
{
	for (size_t i = 0; i < r->diags.n; i++)
		ck_abort_msg("unexpected [%s] %s", r->diags.items[i].name,
			     r->diags.items[i].msg);
	ck_assert_ptr_nonnull(r->model);
}

static const struct m_vnet *vnet(const struct model *m, const char *handle)
{
	for (size_t i = 0; i < m->nvnets; i++)
		if (strcmp(m->vnets[i].handle, handle) == 0)
			return &m->vnets[i];
	ck_abort_msg("no VNet %s", handle);
	return NULL;
}

static const struct m_side *side(const struct model *m, const char *a, const char *b)
{
	for (size_t i = 0; i < m->npeerings; i++) {
		const struct m_peering *p = &m->peerings[i];
		for (int k = 0; k < 2; k++)
			if (strcmp(p->side[k].vnet->handle, a) == 0 &&
			    strcmp(p->side[1 - k].vnet->handle, b) == 0)
				return &p->side[k];
	}
	ck_abort_msg("no peering %s -> %s", a, b);
	return NULL;
}

/* ------------------------------------------------ resolution */

START_TEST(defaults_and_tags)
{
	struct peerc_result *r = compile(
		"defaults { subscription = " SUB " resource_group = rg-net\n"
		"  location = westeurope tags { env = \"prod\" owner = \"net\" } }\n"
		"vnet aa 10.0.0.0/16 { tags { owner = \"app\" \"cost center\" = \"42\" } }\n"
		"vnet bb 10.1.0.0/16 in northeurope { resource_group = \"rg-bb\" }\n"
		"peer aa <-> bb\n");
	no_diags(r);
	const struct m_vnet *a = vnet(r->model, "aa"), *b = vnet(r->model, "bb");
	ck_assert_str_eq(a->location, "westeurope");
	ck_assert_str_eq(a->resource_group, "rg-net");
	ck_assert_str_eq(a->subscription, "11111111-1111-1111-1111-111111111111");
	ck_assert_uint_eq(a->ntags, 3);
	ck_assert_str_eq(a->tags[0].key, "owner");
	ck_assert_str_eq(a->tags[0].value, "app");
	ck_assert_str_eq(a->tags[1].key, "cost center");
	ck_assert_str_eq(a->tags[2].key, "env");
	ck_assert_str_eq(b->location, "northeurope");
	ck_assert_str_eq(b->resource_group, "rg-bb");
	ck_assert_uint_eq(b->ntags, 2);
	/* (host bits are an error of prefix-host-bits, so no model has them) */
	char buf[IP_STRLEN];
	ck_assert_str_eq(ip_prefix_str(&b->space[0], buf), "10.1.0.0/16");
	ck_assert_uint_eq(r->model->nsubscriptions, 1);
	/* the deployment's group: the defaults', though bb lives elsewhere */
	ck_assert_str_eq(r->model->resource_group, "rg-net");
	ck_assert_str_eq(r->model->api_version, PEERC_DEFAULT_API_VERSION);
	ck_assert_str_eq(side(r->model, "aa", "bb")->name, "aa-to-bb");
	ck_assert_str_eq(side(r->model, "bb", "aa")->name, "bb-to-aa");
	peerc_result_free(r);
}
END_TEST

/* The groups ARM and Bicep deploy to: the home group first, then first
 * use (their deployments' names: check_plan.c). */
START_TEST(deployment_groups)
{
	struct peerc_result *r = compile(
		"defaults { subscription = " SUB " resource_group = rg-home location = westeurope }\n"
		"vnet aa 10.0.0.0/16 { resource_group = \"RG-App\" }\n"
		"vnet bb 10.1.0.0/16 { resource_group = \"rg-app\" }\n"
		"vnet cc 10.2.0.0/16\n"
		"vnet dd 10.3.0.0/16 { resource_group = \"rg-a-name-far-too-long-for-a-deployment\" }\n"
		"vnet ee 10.4.0.0/16 { resource_group = \"RG-App\"\n"
		"  subscription = \"22222222-2222-2222-2222-222222222222\" }\n"
		"mesh aa, bb, cc, dd, ee\n");
	no_diags(r);
	const struct model *m = r->model;
	ck_assert_uint_eq(m->ngroups, 5);
	ck_assert_str_eq(m->groups[0].resource_group, "rg-home");
	ck_assert_str_eq(m->groups[1].resource_group, "RG-App");
	ck_assert_str_eq(m->groups[2].resource_group, "rg-app");
	/* same group name, another subscription: another group */
	ck_assert_str_eq(m->groups[4].subscription, "22222222-2222-2222-2222-222222222222");
	ck_assert_uint_eq(vnet(m, "aa")->group, 1);
	ck_assert_uint_eq(vnet(m, "bb")->group, 2);
	ck_assert_uint_eq(vnet(m, "cc")->group, 0);
	ck_assert_uint_eq(vnet(m, "ee")->group, 4);
	peerc_result_free(r);
}
END_TEST

START_TEST(unknown_name_hint_and_fixit)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16\nvnet spoke1 10.1.0.0/16\n"
		"hub hub -> spok1\n");
	const struct diag *d = first(r, "unknown-name");
	ck_assert_str_eq(d->msg, "unknown VNet 'spok1'; did you mean 'spoke1'?");
	ck_assert_str_eq(text_at(r, d->loc), "spok1");
	ck_assert_uint_eq(d->nfixits, 1);
	ck_assert_str_eq(d->fixits[0].text, "spoke1");
	ck_assert_ptr_null(r->model);
	/* the checks do not run on a file that did not resolve */
	ck_assert_uint_eq(count(r, "unpeered-vnet"), 0);
	peerc_result_free(r);
}
END_TEST

START_TEST(duplicates_point_at_the_first)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet aa 10.2.0.0/16\n"
		"site bb 192.168.0.0/16 via aa\n"
		"site s 192.168.0.0/16 via aa\nsite s 192.168.0.0/16 via aa\n");
	const struct diag *d = first(r, "duplicate-vnet");
	ck_assert_str_eq(d->msg, "VNet 'aa' is declared twice");
	ck_assert_uint_eq(d->nnotes, 1);
	ck_assert_uint_eq(d->notes[0].loc.start, strlen(DEFAULTS) + 5);
	ck_assert_str_eq(d->notes[0].msg, "first declared here");
	ck_assert_uint_eq(count(r, "duplicate-site"), 2);
	peerc_result_free(r);
}
END_TEST

START_TEST(self_peering_and_sites_are_not_vnets)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nsite s 192.168.0.0/16 via aa\n"
		"peer aa <-> aa\nhub aa -> s\nmesh aa, aa\n");
	ck_assert_uint_eq(count(r, "self-peering"), 1);
	ck_assert_str_eq(first(r, "self-peering")->msg, "VNet 'aa' is peered with itself");
	ck_assert_uint_eq(count(r, "not-a-vnet"), 1);
	ck_assert_uint_eq(count(r, "duplicate-vnet"), 1); /* mesh a, a */
	peerc_result_free(r);
}
END_TEST

START_TEST(attributes_and_kinds)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16 { gatway nva = \"10.0.0.4\" dns_servers = 10.0.0.0/24 }\n"
		"vnet bb 10.1.0.0/16 in westeurope { location = westeurope address = 10.1.0.0/16 }\n"
		"peer aa <-> bb { forwarded = 3 cc.access = false aa.acess gateway = cc }\n"
		"hub aa -> bb { transit = bridge spokes.forwarded hubb.access }\n"
		"defaults { location = x }\n");
	const struct diag *d = first(r, "unknown-attribute");
	ck_assert_str_eq(d->msg, "unknown attribute 'gatway' in a vnet; did you mean 'gateway'?");
	ck_assert_str_eq(d->fixits[0].text, "gateway");
	ck_assert_uint_eq(count(r, "unknown-attribute"), 4); /* gatway c. acess hubb. */
	ck_assert_uint_eq(count(r, "invalid-value"), 5); /* nva dns forwarded gateway transit */
	ck_assert_str_eq(first(r, "invalid-value")->msg, "'nva' takes an address, or an IPv4 and an IPv6 address, not a string");
	ck_assert_uint_eq(count(r, "duplicate-attribute"), 2); /* location, address */
	ck_assert_uint_eq(count(r, "duplicate-defaults"), 1);
	peerc_result_free(r);
}
END_TEST

/* The parser's missing-'=' hint asks the blocks' tables which attributes
 * always take a value: one that may stand bare in some block does not. */
START_TEST(attributes_that_take_a_value)
{
	static const char *const value[] = {
		"address", "address_space", "api_version", "dns_servers", "id",
		"location", "name", "nva", "peering_name", "resource_group",
		"subscription", "transit", "route_table_name",
		/* a subnet's and a gateway's blocks */
		"prefix", "type", "sku", "generation", "bgp_asn",
	};
	static const char *const bare[] = {
		"gateway", "existing", "access", "forwarded", "direct",
		"gateway_transit", "remote_gateway", "tags", "subnets", "locaton", "",
		"create_resource_groups", "transit_routes", "active_active",
	};
	for (size_t i = 0; i < ARRAY_SIZE(value); i++)
		ck_assert_msg(resolve_attr_takes_value(value[i]), "%s", value[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bare); i++)
		ck_assert_msg(!resolve_attr_takes_value(bare[i]), "%s", bare[i]);
}
END_TEST

/* ------------------------------------------------ expansion */

START_TEST(hub_with_gateway_defaults_to_transit)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.0/27 } }\n"
		"vnet s1 10.1.0.0/16\nvnet s2 10.2.0.0/16\n"
		"hub hh -> s1, s2\n");
	no_diags(r);
	ck_assert_uint_eq(r->model->npeerings, 2);
	const struct m_peering *p = &r->model->peerings[0];
	ck_assert_str_eq(p->side[0].vnet->handle, "hh");
	ck_assert(p->side[0].setting[SET_GATEWAY_TRANSIT]);
	ck_assert(!p->side[0].setting[SET_REMOTE_GATEWAY]);
	ck_assert(p->side[1].setting[SET_REMOTE_GATEWAY]);
	ck_assert(!p->side[1].setting[SET_FORWARDED]);
	ck_assert_int_eq(p->first, 0);
	ck_assert_uint_eq(r->model->nroute_tables, 0);
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet hh 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		    "vnet s1 10.1.0.0/16\nhub hh -> s1 { gateway = none }\n");
	no_diags(r);
	ck_assert(!side(r->model, "hh", "s1")->setting[SET_GATEWAY_TRANSIT]);
	ck_assert(!side(r->model, "s1", "hh")->setting[SET_REMOTE_GATEWAY]);
	ck_assert_int_eq(r->model->peerings[0].first, -1);
	peerc_result_free(r);
}
END_TEST

START_TEST(hub_direct_and_qualifiers)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16\nvnet s1 10.1.0.0/16\nvnet s2 10.2.0.0/16\n"
		"vnet s3 10.3.0.0/16\n"
		"hub hh -> s1, s2, s3 { direct hub.forwarded spokes.access = false }\n");
	no_diags(r);
	ck_assert_uint_eq(r->model->npeerings, 6);
	ck_assert(side(r->model, "hh", "s2")->setting[SET_FORWARDED]);
	ck_assert(side(r->model, "hh", "s2")->setting[SET_ACCESS]);
	ck_assert(!side(r->model, "s2", "hh")->setting[SET_ACCESS]);
	ck_assert(!side(r->model, "s2", "hh")->setting[SET_FORWARDED]);
	/* spoke to spoke: unqualified settings only */
	ck_assert(side(r->model, "s1", "s3")->setting[SET_ACCESS]);
	ck_assert(!side(r->model, "s3", "s1")->setting[SET_FORWARDED]);
	ck_assert_str_eq(side(r->model, "s3", "s1")->name, "s3-to-s1");
	peerc_result_free(r);
}
END_TEST

/* `A.name` is a row of the side table: each side its own name or pattern,
 * over the statement's; a misspelt one is unknown with the hint. */
START_TEST(side_qualified_names)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet hh 10.9.0.0/16\n"
		"peer aa <-> bb { name = \"p-{local}\" bb.name = \"LinkBack\" }\n"
		"hub hh -> aa, bb { spokes.name = \"{local}-up-{remote}\" }\n");
	no_diags(r);
	ck_assert_str_eq(side(r->model, "aa", "bb")->name, "p-aa");
	ck_assert_str_eq(side(r->model, "bb", "aa")->name, "LinkBack");
	ck_assert_str_eq(side(r->model, "hh", "aa")->name, "hh-to-aa");
	ck_assert_str_eq(side(r->model, "bb", "hh")->name, "bb-up-hh");
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\n"
		    "peer aa <-> bb { aa.nmae = \"x\" bb.name = true }\n");
	ck_assert_str_eq(first(r, "unknown-attribute")->msg,
			 "unknown attribute 'nmae' in a side of a peering; did you mean 'name'?");
	ck_assert(has_msg(r, "'name' takes a string, not true or false"));
	peerc_result_free(r);
}
END_TEST

START_TEST(mesh_peers_every_pair_once)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet cc 10.2.0.0/16\n"
		"vnet dd 10.3.0.0/16\n"
		"mesh aa, bb, cc, dd { forwarded name = \"peer-{local}-{remote}\" }\n"
		"peer bb <-> aa { forwarded name = \"peer-{local}-{remote}\" }\n");
	no_diags(r);
	ck_assert_uint_eq(r->model->npeerings, 6);
	ck_assert_str_eq(side(r->model, "dd", "cc")->name, "peer-dd-cc");
	ck_assert(side(r->model, "dd", "cc")->setting[SET_FORWARDED]);
	peerc_result_free(r);
}
END_TEST

START_TEST(conflicting_pair_names_both_places)
{
	const char *text = DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\n"
		"mesh aa, bb\n"
		"peer bb <-> aa { bb.forwarded }\n";
	struct peerc_result *r = compile(text);
	const struct diag *d = first(r, "peering-conflict");
	ck_assert_str_eq(d->msg,
		"'aa' <-> 'bb' is declared again with a different 'bb.forwarded'");
	ck_assert_str_eq(text_at(r, d->loc), "peer bb <-> aa");
	ck_assert_uint_eq(d->nnotes, 1);
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "mesh aa, bb");
	peerc_result_free(r);
}
END_TEST

START_TEST(transit_nva_builds_route_tables)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { nva = 10.0.1.4 }\n"
		"vnet s1 10.1.0.0/16 { subnets { app = 10.1.0.0/24 } }\n"
		"vnet s2 10.2.0.0/16, 10.12.0.0/16, fd00::/48 { subnets { app = 10.2.0.0/24 } }\n"
		"vnet s3 10.3.0.0/16 { subnets { app = 10.3.0.0/24 } }\n"
		"hub hh -> s1, s2, s3 { transit = nva }\n");
	no_diags(r);
	const struct model *m = r->model;
	ck_assert(side(m, "s1", "hh")->setting[SET_FORWARDED]);
	ck_assert(!side(m, "hh", "s1")->setting[SET_FORWARDED]);
	ck_assert_uint_eq(m->nroute_tables, 3);
	const struct m_route_table *rt = &m->route_tables[0];
	ck_assert_str_eq(rt->vnet->handle, "s1");
	ck_assert_str_eq(rt->hub->handle, "hh");
	ck_assert_str_eq(rt->name, "rt-s1-via-hh");
	/* s2's IPv6 prefix cannot have an IPv4 next hop */
	ck_assert_uint_eq(rt->nroutes, 3);
	char buf[IP_STRLEN];
	ck_assert_str_eq(rt->routes[0].name, "to-s2-1");
	ck_assert_str_eq(ip_prefix_str(&rt->routes[1].prefix, buf), "10.12.0.0/16");
	ck_assert_str_eq(rt->routes[2].name, "to-s3");
	ck_assert_int_eq(rt->routes[2].hop, HOP_VIRTUAL_APPLIANCE);
	ck_assert_str_eq(ip_addr_str(&rt->routes[2].next_hop_ip, buf), "10.0.1.4");
	ck_assert_uint_eq(m->route_tables[1].nroutes, 2);
	peerc_result_free(r);
}
END_TEST

START_TEST(transit_gateway_and_unassociated_tables)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { gateway = vpn subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet s1 10.1.0.0/16 { subnets { app = 10.1.0.0/24 } }\n"
		"vnet s2 10.2.0.0/16\n"
		"hub hh -> s1, s2 { transit = gateway }\n");
	ck_assert_uint_eq(r->diags.n, 1);
	const struct diag *d = first(r, "unassociated-route-table");
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	ck_assert_str_eq(d->msg, "spoke 's2' has no subnets: its transit route table "
				 "'rt-s2-via-hh' is not associated with any");
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "transit = gateway");
	ck_assert_int_eq(r->model->route_tables[0].routes[0].hop,
			 HOP_VIRTUAL_NETWORK_GATEWAY);
	peerc_result_free(r);
}
END_TEST

START_TEST(existing_vnet_by_id)
{
	struct peerc_result *r = compile(
		"defaults { location = westeurope }\n"
		"vnet aa 10.0.0.0/16 { subscription = " SUB " resource_group = rg }\n"
		"vnet bb 10.1.0.0/16 { id = \"/subscriptions/22222222-2222-2222-2222-222222222222"
		"/resourceGroups/rg-bb/providers/Microsoft.Network/virtualNetworks/vnet-bb\" }\n"
		"peer aa <-> bb\n");
	no_diags(r);
	const struct m_vnet *b = vnet(r->model, "bb");
	ck_assert(b->existing);
	ck_assert_str_eq(b->name, "vnet-bb");
	ck_assert_str_eq(b->resource_group, "rg-bb");
	ck_assert_str_eq(b->subscription, "22222222-2222-2222-2222-222222222222");
	ck_assert_uint_eq(r->model->nsubscriptions, 2);
	/* no default group: the first VNet's in the first subscription */
	ck_assert_str_eq(r->model->subscriptions[0], "11111111-1111-1111-1111-111111111111");
	ck_assert_str_eq(r->model->resource_group, "rg");
	ck_assert_str_eq(side(r->model, "aa", "bb")->name, "aa-to-vnet-bb");
	peerc_result_free(r);

	/* a name given as the handle's own text is given: the id's does not
	 * replace it (names are interned, so it is the handle's pointer) */
	r = compile(DEFAULTS "vnet bb 10.1.0.0/16 { name = bb id = \"/subscriptions/" SUB_ID
		    "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-bb\" }\n");
	ck_assert_str_eq(vnet(r->model, "bb")->name, "bb");
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet aa 10.0.0.0/16 { id = \"/subscriptions/x\" }\n");
	ck_assert_uint_eq(count(r, "invalid-value"), 1);
	peerc_result_free(r);
}
END_TEST

/* ------------------------------------------------ checks */

START_TEST(remote_gateway_checks)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\n"
		"peer aa <-> bb { gateway = bb }\n");
	const struct diag *d = first(r, "remote-gateway-unavailable");
	ck_assert_str_eq(d->msg, "'aa' uses the gateway of 'bb', which has no gateway "
				 "(Azure: RemoteVnetHasNoGateways)");
	ck_assert_str_eq(text_at(r, d->loc), "gateway = bb");
	/* the error says it all: no warning about the other side */
	ck_assert_uint_eq(count(r, "gateway-transit-without-gateway"), 0);
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16 { gateway subnets { GatewaySubnet = 10.1.255.224/27 } }\n"
		    "peer aa <-> bb { aa.remote_gateway }\n");
	d = first(r, "remote-gateway-unavailable");
	ck_assert_str_eq(text_at(r, d->loc), "aa.remote_gateway");
	ck_assert_uint_eq(r->diags.n, 1);
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet aa 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		    "vnet bb 10.1.0.0/16 { gateway subnets { GatewaySubnet = 10.1.255.224/27 } }\nvnet cc 10.2.0.0/16 { gateway subnets { GatewaySubnet = 10.2.255.224/27 } }\n"
		    "peer aa <-> bb { gateway = bb }\npeer aa <-> cc { gateway = cc }\n");
	ck_assert_uint_eq(count(r, "remote-gateway-own-gateway"), 2);
	ck_assert_uint_eq(count(r, "remote-gateway-multiple"), 1);
	ck_assert_str_eq(first(r, "remote-gateway-multiple")->msg,
			 "'aa' already uses the gateway of 'bb'; a VNet may use only one "
			 "remote gateway");
	peerc_result_free(r);
}
END_TEST

/* language.md: remote_gateway on a VNet with its own gateway is an error,
 * also when a hub statement gives it by default (it used to be dropped
 * silently). The caret is on the spoke's name in the list. */
START_TEST(hub_default_gateway_and_a_spoke_with_its_own)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet s1 10.1.0.0/16 { gateway subnets { GatewaySubnet = 10.1.255.224/27 } }\n"
		"vnet s2 10.2.0.0/16\nhub hh -> s2, s1\n");
	const struct diag *d = first(r, "remote-gateway-own-gateway");
	ck_assert_uint_eq(count(r, "remote-gateway-own-gateway"), 1);
	ck_assert_str_eq(d->msg, "'s1' has its own gateway and cannot use the gateway of 'hh'");
	ck_assert_str_eq(text_at(r, d->loc), "s1");
	ck_assert_uint_eq(d->nnotes, 2);
	ck_assert_str_eq(text_at(r, d->notes[1].loc), "hub hh");
	ck_assert_str_eq(d->notes[1].msg, "every spoke of this hub statement uses the gateway "
			 "of 'hh' by default: write 'gateway = none' in its block, or peer "
			 "'s1' with 'hh' in a statement of its own");
	peerc_result_free(r);
	r = compile(DEFAULTS "vnet hh 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		    "vnet s1 10.1.0.0/16 { gateway subnets { GatewaySubnet = 10.1.255.224/27 } }\n"
		    "hub hh -> s1 { gateway = none }\n");
	no_diags(r);
	ck_assert(!side(r->model, "s1", "hh")->setting[SET_REMOTE_GATEWAY]);
	peerc_result_free(r);
}
END_TEST

/* gateway: created on a VNet peerc creates (with defaults), read when the
 * file names an existing one, assumed in an existing VNet. */
START_TEST(gateways_created_read_or_assumed)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet er 10.1.0.0/16 { gateway = expressroute subnets { GatewaySubnet = 10.1.255.0/26 } }\n"
		"vnet v1 10.2.0.0/16 { gateway { sku = VpnGw1AZ  active_active  bgp_asn = 65010 "
		"name = \"vgw-one\" } subnets { GatewaySubnet = 10.2.255.224/27 } }\n"
		"vnet ex 10.3.0.0/16 { existing gateway }\n"
		"vnet rd 10.4.0.0/16 { existing gateway { name = \"gw\" } }\n"
		"vnet id 10.5.0.0/16 { gateway { id = \"/subscriptions/22222222-2222-2222-2222-22222222222B"
		"/resourcegroups/rg-x/providers/microsoft.network/virtualnetworkgateways/gw-x\" } }\n"
		"mesh hh, er, v1, ex, rd, id\n");
	no_diags(r);
	const struct m_gateway *g = r->model->vnets[0].gw;
	ck_assert_int_eq(g->source, GWSRC_CREATED);
	ck_assert_int_eq(r->model->vnets[0].gateway, GW_VPN);
	ck_assert_str_eq(g->sku, "VpnGw2AZ");
	ck_assert_str_eq(g->generation, "Generation2");
	ck_assert_str_eq(g->name, "vgw-hh");
	ck_assert_str_eq(g->public_ips[0], "pip-vgw-hh");
	ck_assert_uint_eq(g->npublic_ips, 1);
	ck_assert(g->zones); /* westeurope has availability zones */
	g = r->model->vnets[1].gw;
	ck_assert_str_eq(g->sku, "ErGw1AZ");
	ck_assert_ptr_null(g->generation);
	g = r->model->vnets[2].gw;
	ck_assert_str_eq(g->generation, "Generation1");
	ck_assert(g->active_active);
	ck_assert_uint_eq(g->bgp_asn, 65010);
	ck_assert_uint_eq(g->npublic_ips, 2);
	ck_assert_str_eq(g->public_ips[1], "pip-vgw-one-2");
	ck_assert_int_eq(r->model->vnets[3].gw->source, GWSRC_ASSUMED);
	ck_assert_int_eq(r->model->vnets[3].gateway, GW_ANY);
	ck_assert_int_eq(r->model->vnets[4].gw->source, GWSRC_READ);
	g = r->model->vnets[5].gw;
	ck_assert_int_eq(g->source, GWSRC_READ);
	ck_assert_str_eq(g->id, "/subscriptions/22222222-2222-2222-2222-22222222222b/"
			 "resourceGroups/rg-x/providers/Microsoft.Network/"
			 "virtualNetworkGateways/gw-x");
	ck_assert_str_eq(g->name, "gw-x");
	ck_assert_str_eq(g->resource_group, "rg-x");
	peerc_result_free(r);
}
END_TEST

START_TEST(gateway_settings_are_checked)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16 { gateway { sku = VpnGw2az  generation = 3  bgp_asn = 65515 } "
		"subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet bb 10.1.0.0/16 { existing gateway { sku = VpnGw1 } }\n"
		"vnet cc 10.2.0.0/16 { gateway { existing } }\n"
		"vnet dd 10.3.0.0/16 { gateway { type = expressroute  bgp_asn = 65010 } }\n"
		"vnet ee 10.4.0.0/16 { gateway { sku = VpnGw4  generation = 1 } }\n");
	ck_assert_uint_eq(count(r, "invalid-value"), 6);
	ck_assert_str_eq(first(r, "invalid-value")->msg, "a gateway's generation is 1 or 2");
	ck_assert(has_msg(r, "ASN 65515 is reserved by Azure (8074, 8075, 12076, 65515 to 65520)"));
	ck_assert(has_msg(r, "'sku' describes a gateway peerc creates, but the gateway of 'bb' "
			  "exists (the VNet is existing)"));
	ck_assert(has_msg(r, "an existing gateway of a VNet peerc creates needs its 'name' "
			  "or 'id', so that it can be read"));
	ck_assert(has_msg(r, "an ExpressRoute gateway takes no generation, active_active or "
			  "bgp_asn (Azure sets them)"));
	ck_assert(has_msg(r, "gateway SKU 'VpnGw4' has no generation 1"));
	peerc_result_free(r);
	/* checks run only without resolution errors: the SKU alone */
	r = compile(DEFAULTS "vnet aa 10.0.0.0/16 { gateway { sku = VpnGw2az } "
		    "subnets { GatewaySubnet = 10.0.255.224/27 } }\n");
	const struct diag *d = first(r, "invalid-value");
	ck_assert_str_eq(d->msg, "'VpnGw2az' is not a VPN gateway SKU; did you mean 'VpnGw2AZ'?");
	ck_assert_str_eq(d->fixits[0].text, "VpnGw2AZ");
	peerc_result_free(r);
}
END_TEST

/* The GatewaySubnet a created gateway needs, its size, and Basic SKU
 * transit. */
START_TEST(gateway_subnet_and_sku_checks)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16 { gateway subnets { gatewaysubnet = 10.0.255.224/27 } }\n"
		"vnet bb 10.1.0.0/16 { gateway subnets { GatewaySubnet = 10.1.255.240/28 } }\n"
		"vnet cc 10.2.0.0/16 { gateway { sku = Basic } subnets { GatewaySubnet = 10.2.255.224/27 } }\n"
		"vnet dd 10.3.0.0/16 { existing gateway }\nvnet ee 10.4.0.0/16\n"
		"peer aa <-> dd\npeer bb <-> dd\npeer cc <-> ee { gateway = cc }\n");
	const struct diag *d = first(r, "gateway-subnet-missing");
	ck_assert_uint_eq(count(r, "gateway-subnet-missing"), 1);
	ck_assert_str_eq(d->msg, "peerc creates the gateway of 'aa' in its subnet named "
			 "'GatewaySubnet', and 'aa' has none");
	ck_assert_str_eq(d->notes[0].msg, "the name must be 'GatewaySubnet', exactly");
	d = first(r, "gateway-subnet-size");
	ck_assert_uint_eq(count(r, "gateway-subnet-size"), 1);
	ck_assert_str_eq(d->msg, "the GatewaySubnet of 'bb' is a /28; Microsoft recommends "
			 "a /27 or larger");
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	d = first(r, "basic-gateway-transit");
	ck_assert_str_eq(d->msg, "'cc' offers gateway transit to 'ee', and its Basic gateway "
			 "cannot");
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "Basic");
	peerc_result_free(r);
}
END_TEST

/* Azure's special subnets and `transit_routes = false` stay out of the
 * transit route table. */
START_TEST(special_subnets_take_no_transit_routes)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { nva = 10.0.1.4 }\n"
		"vnet s1 10.1.0.0/16 { subnets { app = 10.1.0.0/24  AzureBastionSubnet = 10.1.1.0/26 "
		"GatewaySubnet = 10.1.2.0/27  dmz { prefix = 10.1.3.0/24  transit_routes = false } } }\n"
		"vnet s2 10.2.0.0/16 { subnets { AzureFirewallSubnet = 10.2.0.0/26 } }\n"
		"hub hh -> s1, s2 { transit = nva }\n");
	const struct m_vnet *s1 = &r->model->vnets[1];
	ck_assert(s1->subnets[0].routed);
	ck_assert(!s1->subnets[1].routed);
	ck_assert(!s1->subnets[2].routed);
	ck_assert(!s1->subnets[3].routed);
	ck_assert_str_eq(s1->subnets[3].name, "dmz");
	ck_assert_uint_eq(count(r, "unassociated-route-table"), 1);
	ck_assert_str_eq(first(r, "unassociated-route-table")->msg,
			 "spoke 's2' has no subnets that take transit routes: its transit "
			 "route table 'rt-s2-via-hh' is not associated with any");
	peerc_result_free(r);
	r = compile(DEFAULTS "vnet s1 10.1.0.0/16 { subnets { dmz { transit_routes = false } "
		    "app { prefix = 10.1.0.0/24  prefixes = 1 } } }\n");
	ck_assert(has_msg(r, "subnet 'dmz' needs a 'prefix'"));
	ck_assert(has_msg(r, "unknown attribute 'prefixes' in a subnet block; did you mean 'prefix'?"));
	peerc_result_free(r);
}
END_TEST

/* The routing patterns of a hub with a firewall: a default route or a
 * summary to the NVA, the same few routes in every spoke's table (one
 * array, shared); gateway route propagation off on the spokes' tables; a
 * table on the hub's GatewaySubnet with the spokes' prefixes or the
 * summary; every subnet names the table it takes. */
START_TEST(routing_patterns)
{
	char buf[IP_STRLEN];
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16, fd00::/48 { gateway nva = 10.0.1.4, fd00:0:0:1::4\n"
		"  subnets { GatewaySubnet = 10.0.255.224/27  AzureFirewallSubnet = 10.0.1.0/26 } }\n"
		"vnet s1 10.1.0.0/16, fd00:1::/48 { subnets { app = 10.1.0.0/24, fd00:1::/64 } }\n"
		"vnet s2 10.2.0.0/16 { subnets { app = 10.2.0.0/24  dmz { prefix = 10.2.1.0/24 "
		"transit_routes = false } } }\n"
		"hub hh -> s1, s2 { transit = nva  routes = default  propagate_gateway_routes = false\n"
		"  gateway_subnet_routes }\n");
	no_diags(r);
	const struct model *m = r->model;
	ck_assert_uint_eq(m->nroute_tables, 3);
	const struct m_route_table *t1 = &m->route_tables[0], *t2 = &m->route_tables[1];
	const struct m_route_table *gw = &m->route_tables[2];
	ck_assert_int_eq(t1->kind, RT_TRANSIT);
	ck_assert(!t1->propagate && !t2->propagate);
	ck_assert_uint_eq(t1->nroutes, 2);
	ck_assert_ptr_eq(t1->routes, t2->routes);
	ck_assert_str_eq(t1->routes[0].name, "default");
	ck_assert_str_eq(ip_prefix_str(&t1->routes[0].prefix, buf), "0.0.0.0/0");
	ck_assert_str_eq(ip_addr_str(&t1->routes[0].next_hop_ip, buf), "10.0.1.4");
	ck_assert_str_eq(t1->routes[1].name, "default-ipv6");
	ck_assert_str_eq(ip_prefix_str(&t1->routes[1].prefix, buf), "::/0");
	ck_assert_str_eq(ip_addr_str(&t1->routes[1].next_hop_ip, buf), "fd00:0:0:1::4");
	/* the GatewaySubnet's: every spoke prefix, with propagation on */
	ck_assert_int_eq(gw->kind, RT_GATEWAY_SUBNET);
	ck_assert_str_eq(gw->vnet->handle, "hh");
	ck_assert_str_eq(gw->name, "rt-hh-gateway");
	ck_assert(gw->propagate);
	ck_assert_uint_eq(gw->nroutes, 3);
	ck_assert_str_eq(gw->routes[0].name, "to-s1-1");
	ck_assert_str_eq(ip_prefix_str(&gw->routes[1].prefix, buf), "fd00:1::/48");
	ck_assert_str_eq(gw->routes[2].name, "to-s2");
	const struct m_vnet *hh = vnet(m, "hh"), *s2 = vnet(m, "s2");
	ck_assert_ptr_eq(hh->subnets[0].route_table, gw);
	ck_assert_ptr_null(hh->subnets[1].route_table);
	ck_assert_ptr_eq(s2->subnets[0].route_table, t2);
	ck_assert_ptr_null(s2->subnets[1].route_table);
	ck_assert_ptr_eq(r->sema->vnets[s2->index].transit_table, t2);
	peerc_result_free(r);

	/* summary alone means routes = summary; the gateway table takes the
	 * spokes' prefixes all the same (a summary would lose to the peerings) */
	r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { gateway nva = 10.0.1.4 subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet s1 10.1.0.0/16 { subnets { app = 10.1.0.0/24 } }\n"
		"vnet s2 10.2.0.0/16 { subnets { app = 10.2.0.0/24 } }\n"
		"hub hh -> s1, s2 { transit = nva  summary = 10.1.0.0/16, 10.2.0.0/15, fd00::/8 "
		"gateway_subnet_routes }\n");
	no_diags(r);
	m = r->model;
	ck_assert_uint_eq(m->route_tables[0].nroutes, 2); /* no IPv6 next hop */
	ck_assert_str_eq(m->route_tables[0].routes[0].name, "summary-1");
	ck_assert_str_eq(ip_prefix_str(&m->route_tables[0].routes[1].prefix, buf), "10.2.0.0/15");
	ck_assert(m->route_tables[0].propagate);
	ck_assert_uint_eq(m->route_tables[2].nroutes, 2);
	ck_assert_str_eq(m->route_tables[2].routes[1].name, "to-s2");
	peerc_result_free(r);

	r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { nva = 10.0.1.4 }\nvnet s1 10.1.0.0/16\n"
		"hub hh -> s1 { transit = nva  routes = summary  routes = spokes }\n"
		"hub hh -> s1 { transit = nva  routes = default  summary = 10.0.0.0/8 }\n");
	ck_assert(has_msg(r, "'routes = summary' sends the prefixes of 'summary' to the "
			  "next hop: add 'summary = PREFIXES' to the hub block"));
	ck_assert(has_msg(r, "'summary' gives the routes of 'routes = summary', and this "
			  "hub has 'routes = default'"));
	ck_assert_uint_eq(count(r, "duplicate-attribute"), 1);
	peerc_result_free(r);
}
END_TEST

/* A subnet takes an IPv4 and an IPv6 prefix, an NVA an address of each
 * family; two of one family, or three, are refused at the value too many. */
START_TEST(dual_stack_subnets_and_nva)
{
	char buf[IP_STRLEN];
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16, fd00::/48 { nva = fd00::4, 10.0.1.4 }\n"
		"vnet s1 10.1.0.0/16, fd00:1::/48 { subnets { app = 10.1.0.0/24, fd00:1:0:1::/64\n"
		"  db { prefix = fd00:1:0:2::/64, 10.1.1.0/24  transit_routes = false } } }\n"
		"vnet s2 10.2.0.0/16, fd00:2::/48 { subnets { app = 10.2.0.0/24, fd00:2::/64 } }\n"
		"hub hh -> s1, s2 { transit = nva }\n");
	no_diags(r);
	const struct m_vnet *hh = vnet(r->model, "hh"), *s1 = vnet(r->model, "s1");
	ck_assert_uint_eq(hh->nnvas, 2);
	ck_assert_str_eq(ip_addr_str(m_vnet_nva(hh, IP_V4), buf), "10.0.1.4");
	ck_assert_str_eq(ip_addr_str(m_vnet_nva(hh, IP_V6), buf), "fd00::4");
	ck_assert_uint_eq(s1->subnets[0].nprefixes, 2);
	ck_assert_str_eq(ip_prefix_str(&s1->subnets[0].prefixes[1], buf), "fd00:1:0:1::/64");
	ck_assert_str_eq(ip_prefix_str(&s1->subnets[1].prefixes[0], buf), "fd00:1:0:2::/64");
	ck_assert(!s1->subnets[1].routed);
	/* each family's routes go to that family's NVA address */
	const struct m_route_table *rt = &r->model->route_tables[0];
	ck_assert_uint_eq(rt->nroutes, 2);
	ck_assert_str_eq(rt->routes[0].name, "to-s2-1");
	ck_assert_str_eq(ip_addr_str(&rt->routes[0].next_hop_ip, buf), "10.0.1.4");
	ck_assert_str_eq(ip_prefix_str(&rt->routes[1].prefix, buf), "fd00:2::/48");
	ck_assert_str_eq(ip_addr_str(&rt->routes[1].next_hop_ip, buf), "fd00::4");
	peerc_result_free(r);

	r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16 { nva = 10.0.1.4, 10.0.1.5\n"
		"  subnets { a = 10.0.2.0/24, 10.0.3.0/24  b = 10.0.4.0/24, fd00::/64, 10.0.5.0/24\n"
		"            c { prefix = fd00:0:0:1::/64, fd00:0:0:2::/64 } } }\n");
	ck_assert_uint_eq(count(r, "invalid-value"), 4);
	ck_assert(has_msg(r, "'nva' takes at most one IPv4 and one IPv6 address"));
	ck_assert(has_msg(r, "subnet 'a' takes at most one IPv4 and one IPv6 prefix"));
	ck_assert_str_eq(text_at(r, r->diags.items[1].loc), "10.0.3.0/24");
	ck_assert_str_eq(text_at(r, r->diags.items[2].loc), "10.0.5.0/24");
	ck_assert_str_eq(text_at(r, r->diags.items[3].loc), "fd00:0:0:2::/64");
	peerc_result_free(r);
}
END_TEST

/* An ID in any case is written with Azure's segment names; subscription
 * GUIDs that differ only in case are one subscription. */
START_TEST(ids_and_guids_are_canonical)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16 { subscription = \"11111111-1111-1111-1111-11111111111A\" }\n"
		"vnet bb 10.1.0.0/16 { id = \"/SUBSCRIPTIONS/11111111-1111-1111-1111-11111111111a/"
		"resourcegroups/Rg-B/providers/microsoft.network/virtualnetworks/Vnet-B\" }\n"
		"peer aa <-> bb\n");
	no_diags(r);
	ck_assert_uint_eq(r->model->nsubscriptions, 2);
	ck_assert_str_eq(r->model->vnets[0].subscription, "11111111-1111-1111-1111-11111111111a");
	ck_assert_str_eq(r->model->vnets[1].id, "/subscriptions/11111111-1111-1111-1111-"
			 "11111111111a/resourceGroups/Rg-B/providers/Microsoft.Network/"
			 "virtualNetworks/Vnet-B");
	ck_assert_str_eq(r->model->vnets[1].subscription, r->model->vnets[0].subscription);
	peerc_result_free(r);
}
END_TEST

START_TEST(transit_needs_its_device)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hh 10.0.0.0/16\nvnet ss 10.1.0.0/16 { subnets { aa = 10.1.0.0/24 } }\n"
		"vnet h2 10.2.0.0/16 { gateway = expressroute subnets { GatewaySubnet = 10.2.255.224/27 } }\n"
		"vnet s2 10.3.0.0/16 { subnets { aa = 10.3.0.0/24 } }\n"
		"hub hh -> ss { transit = nva }\nhub h2 -> s2 { transit = gateway }\n"
		"hub hh -> s2 { transit = gateway }\n");
	const struct diag *d = first(r, "transit-without-nva");
	ck_assert_str_eq(d->msg, "transit = nva needs an NVA in hub 'hh'");
	ck_assert_str_eq(text_at(r, d->loc), "transit = nva");
	ck_assert_uint_eq(count(r, "transit-without-gateway"), 2);
	ck_assert_str_eq(first(r, "transit-without-gateway")->msg,
			 "transit = gateway needs a VPN gateway: the ExpressRoute gateway "
			 "of 'h2' cannot be a route's next hop");
	peerc_result_free(r);
}
END_TEST

START_TEST(names_and_required_settings)
{
	struct peerc_result *r = compile(
		"defaults { subscription = \"not-aa-guid\" resource_group = \"rg.\" }\n"
		"vnet aa 10.0.0.0/16 { name = \"-bad\" location = westeurope }\n"
		"vnet bb 10.1.0.0/16 { location = westeurope subnets { \"x y\" = 10.1.0.0/24 } }\n"
		"vnet cc { location = westeurope resource_group = ok subscription = " SUB " }\n"
		"vnet dd 10.3.0.0/16 { resource_group = ok subscription = " SUB " }\n"
		"mesh aa, bb, cc, dd { name = \"{local}-to-{remote}.\" }\n");
	ck_assert_str_eq(first(r, "invalid-vnet-name")->msg,
			 "'-bad' is not a valid Azure VNet name: it must start with a "
			 "letter or digit");
	ck_assert_uint_eq(count(r, "invalid-subscription"), 1); /* once, at defaults */
	ck_assert_uint_eq(count(r, "invalid-resource-group"), 1);
	ck_assert_str_eq(first(r, "invalid-resource-group")->msg,
			 "'rg.' is not a valid resource group name: it must not end with '.'");
	ck_assert_uint_eq(count(r, "invalid-subnet-name"), 1);
	/* a bad VNet name makes bad peering names: that check waits */
	ck_assert_uint_eq(count(r, "invalid-peering-name"), 0);
	ck_assert_uint_eq(count(r, "vnet-incomplete"), 2); /* c: space, d: location */
	ck_assert_str_eq(first(r, "vnet-incomplete")->msg,
			 "VNet 'cc' has no address space: give its prefixes after the "
			 "name, or 'address = PREFIX'");
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet cc 10.2.0.0/16\n"
		    "mesh aa, bb, cc { name = \"{local}-to-{remote}.\" }\n");
	ck_assert_uint_eq(count(r, "invalid-peering-name"), 6);
	const struct diag *d = first(r, "invalid-peering-name");
	ck_assert_str_eq(text_at(r, d->loc), "\"{local}-to-{remote}.\"");
	ck_assert_str_eq(d->msg, "the peering of 'aa' to 'bb' would be named 'aa-to-bb.', "
				 "not a valid Azure name: it must end with a letter, a digit or '_'");
	peerc_result_free(r);
}
END_TEST

START_TEST(duplicate_peering_names)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet cc 10.2.0.0/16\n"
		"hub aa -> bb, cc { name = \"to-{remote}\" hub.access }\n"
		"peer bb <-> cc { name = \"Peering\" }\n");
	ck_assert_uint_eq(count(r, "duplicate-peering-name"), 0);
	peerc_result_free(r);
	r = compile(DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet cc 10.2.0.0/16\n"
		    "hub aa -> bb, cc { name = \"{remote}\" }\n");
	ck_assert_uint_eq(count(r, "duplicate-peering-name"), 0);
	peerc_result_free(r);
	r = compile(DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\nvnet cc 10.2.0.0/16\n"
		    "hub aa -> bb, cc { name = \"hub\" }\n");
	ck_assert_uint_eq(count(r, "duplicate-peering-name"), 1);
	ck_assert_str_eq(first(r, "duplicate-peering-name")->msg,
			 "VNet 'aa' has two peerings named 'hub': to 'bb' and to 'cc'");
	peerc_result_free(r);
}
END_TEST

START_TEST(warnings_and_w_options)
{
	const char *text = DEFAULTS "vnet aa 10.0.0.0/16\nvnet bb 10.1.0.0/16\n";
	struct peerc_result *r = compile(text);
	ck_assert_uint_eq(count(r, "unpeered-vnet"), 2);
	ck_assert_str_eq(first(r, "unpeered-vnet")->msg, "VNet 'aa' is not peered with any VNet");
	ck_assert_ptr_nonnull(r->model); /* warnings do not stop output */
	peerc_result_free(r);

	struct warn_rule off = { "unpeered-vnet", WARN_DISABLE };
	struct warn_opts w = { false, &off, 1 };
	r = compile_with(text, &w);
	no_diags(r);
	peerc_result_free(r);

	struct warn_rule err = { "unpeered-vnet", WARN_AS_ERROR };
	w.rules = &err;
	r = compile_with(text, &w);
	ck_assert_int_eq(first(r, "unpeered-vnet")->severity, DIAG_ERROR);
	ck_assert_ptr_null(r->model);
	peerc_result_free(r);
}
END_TEST

START_TEST(mesh_past_the_limit_is_refused)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, DEFAULTS);
	for (int i = 0; i < 502; i++)
		sb_printf(&sb, "vnet v%d 10.%d.%d.0/24\n", i, i / 256, i % 256);
	sb_puts(&sb, "mesh v0");
	for (int i = 1; i < 502; i++)
		sb_printf(&sb, ", v%d", i);
	sb_puts(&sb, "\nhub v0 -> v1");
	for (int i = 2; i < 502; i++)
		sb_printf(&sb, ", v%d", i);
	sb_putc(&sb, '\n');
	struct peerc_result *r = compile(sb.buf);
	ck_assert_uint_eq(count(r, "peering-limit"), 1);
	ck_assert_str_eq(first(r, "peering-limit")->msg,
			 "a mesh of 502 VNets gives each 501 peerings; Azure allows at most 500");
	peerc_result_free(r);

	/* the hub alone: 501 peerings on v0, found by the check */
	char *hub = strstr(sb.buf, "mesh");
	char *end = strchr(hub, '\n');
	memset(hub, ' ', (size_t)(end - hub));
	r = compile(sb.buf);
	ck_assert_uint_eq(count(r, "peering-limit"), 1);
	ck_assert_str_eq(first(r, "peering-limit")->msg,
			 "VNet 'v0' has 501 peerings; Azure allows at most 500");
	peerc_result_free(r);
	sb_free(&sb);
}
END_TEST

/* 402 spokes: each spoke's table needs a route to 401 others. */
START_TEST(route_limit)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, DEFAULTS "vnet hub 10.255.0.0/16 { gateway = vpn subnets { GatewaySubnet = 10.255.255.224/27 } }\n");
	for (int i = 0; i < 402; i++)
		sb_printf(&sb, "vnet v%d 10.%d.%d.0/24\n", i, i / 256, i % 256);
	sb_puts(&sb, "hub hub -> v0");
	for (int i = 1; i < 402; i++)
		sb_printf(&sb, ", v%d", i);
	sb_puts(&sb, " { transit = gateway }\n");
	struct peerc_result *r = compile(sb.buf);
	ck_assert_uint_eq(r->diags.nerrors, 1);
	ck_assert_str_eq(first(r, "route-limit")->msg,
			 "transit through hub 'hub' needs 401 routes in the route table "
			 "of 'v0'; Azure allows at most 400 in one table: send the spokes' traffic to the "
			 "NVA with 'routes = default' or a 'summary'");
	peerc_result_free(r);

	/* one spoke fewer: 400 routes each, and the tables are built */
	char *last = strstr(sb.buf, ", v401 {");
	memcpy(last, "       ", 7);
	r = compile(sb.buf);
	ck_assert_uint_eq(r->diags.nerrors, 0);
	ck_assert_uint_eq(r->model->nroute_tables, 401);
	ck_assert_uint_eq(r->model->route_tables[400].nroutes, 400);
	ck_assert_str_eq(r->model->route_tables[400].routes[399].name, "to-v399");
	peerc_result_free(r);
	sb_free(&sb);
}
END_TEST

/* ------------------------------------------------ reachability */

#define SPOKES DEFAULTS \
	"vnet hub 10.0.0.0/16 { nva = 10.0.1.4 subnets { fw = 10.0.1.0/26 } }\n" \
	"vnet spoke2 10.2.0.0/16 { subnets { app = 10.2.0.0/24 } }\n" \
	"vnet spoke4 10.4.0.0/16 { subnets { app = 10.4.0.0/24 } }\n"

START_TEST(require_without_transit_fails)
{
	struct peerc_result *r = compile(SPOKES "hub hub -> spoke2, spoke4\n"
					 "require spoke2 <-> spoke4\n");
	const struct diag *d = first(r, "require-failed");
	ck_assert_str_eq(d->msg,
		"require fails: 'spoke2' cannot reach 'spoke4' because both are "
		"spokes of hub 'hub', which has no transit, and peering is not "
		"transitive; add 'transit = nva' to the hub, or add "
		"'peer spoke2 <-> spoke4'");
	ck_assert_str_eq(text_at(r, d->loc), "require spoke2 <-> spoke4");
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "hub hub -> spoke2, spoke4");
	bool yes;
	ck_assert_str_eq(peerc_explain(r, "spoke2", "spoke4", &yes),
			 "no, because both are spokes of hub 'hub', which has no "
			 "transit, and peering is not transitive; add 'transit = nva' "
			 "to the hub, or add 'peer spoke2 <-> spoke4'");
	ck_assert(!yes);
	ck_assert_str_eq(peerc_explain(r, "spoke2", "hub", &yes),
			 "yes, by the peering 'spoke2' <-> 'hub'");
	ck_assert(yes);
	ck_assert_str_eq(peerc_explain(r, "spoke2", "nowhere", &yes),
			 "no, because 'nowhere' is not a VNet or site of the file");
	peerc_result_free(r);

	r = compile(SPOKES "hub hub -> spoke2, spoke4 { transit = nva }\n"
		    "require spoke2 <-> spoke4\n");
	no_diags(r);
	ck_assert_str_eq(peerc_explain(r, "spoke4", "spoke2", &yes),
			 "yes, by hub 'hub': 'spoke4' -> 'hub' -> 'spoke2' (transit = nva)");
	peerc_result_free(r);
}
END_TEST

START_TEST(deny_names_the_path)
{
	struct peerc_result *r = compile(SPOKES "peer spoke2 <-> spoke4 { spoke4.access = false }\n"
					 "peer hub <-> spoke2\n"
					 "deny spoke2 <-> spoke4\nrequire spoke2 <-> spoke4\n"
					 "deny hub <-> spoke2\n");
	ck_assert_uint_eq(count(r, "deny-failed"), 1);
	const struct diag *d = first(r, "deny-failed");
	ck_assert_str_eq(d->msg, "deny fails: 'hub' reaches 'spoke2' by the peering "
				 "'hub' <-> 'spoke2'");
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "peer hub <-> spoke2");
	d = first(r, "require-failed");
	ck_assert_str_eq(d->msg, "require fails: 'spoke2' cannot reach 'spoke4' because "
				 "the peering 'spoke2' <-> 'spoke4' has access = false on the "
				 "side of 'spoke4'");
	ck_assert_str_eq(text_at(r, d->notes[0].loc), "spoke4.access = false");
	peerc_result_free(r);
}
END_TEST

START_TEST(sites_are_reached_through_the_gateway)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet s1 10.1.0.0/16\nvnet s2 10.2.0.0/16\n"
		"site onprem 192.168.0.0/16 via hub\n"
		"hub hub -> s1\npeer hub <-> s2\n"
		"require s1 <-> onprem\nrequire onprem <-> hub\nrequire s2 <-> onprem\n");
	ck_assert_uint_eq(count(r, "require-failed"), 1);
	ck_assert_str_eq(first(r, "require-failed")->msg,
		"require fails: 's2' cannot reach 'onprem' because site 'onprem' is reached "
		"through the gateway of 'hub', and 's2' does not use it; set 'gateway = "
		"hub' on the peering 's2' <-> 'hub'");
	bool yes;
	ck_assert_str_eq(peerc_explain(r, "onprem", "s1", &yes),
			 "yes, by 's1' -> 'hub' -> site 'onprem', using the gateway of 'hub'");
	ck_assert_str_eq(peerc_explain(r, "hub", "onprem", &yes),
			 "yes, by 'hub' -> site 'onprem' through the gateway of 'hub'");
	peerc_result_free(r);
}
END_TEST

/* The query the site-overlap check uses: who reaches a site. */
static void collect(void *ctx, const struct m_vnet *v)
{
	struct strbuf *sb = ctx;

	sb_printf(sb, "%s ", v->handle);
}

START_TEST(who_reaches_whom)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16 { gateway nva = 10.0.1.4 subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet s1 10.1.0.0/16 { subnets { a = 10.1.0.0/24 } }\n"
		"vnet s2 10.2.0.0/16 { subnets { a = 10.2.0.0/24 } }\n"
		"vnet s3 10.3.0.0/16 { subnets { a = 10.3.0.0/24 } }\n"
		"vnet far 10.4.0.0/16\nvnet off 10.5.0.0/16\n"
		"site onprem 192.168.0.0/16 via hub\n"
		"hub hub -> s1, s2, s3 { transit = nva }\n"
		"peer s1 <-> far\npeer hub <-> off { off.access = false }\n");
	no_diags(r);
	const struct sema *s = r->sema;
	struct strbuf sb;
	sb_init(&sb);
	reach_site_each(s, &r->model->sites[0], collect, &sb);
	ck_assert_str_eq(sb.buf, "hub s1 s2 s3 ");
	sb_free(&sb);
	peerc_result_free(r);
}
END_TEST

/* 100,000 VNets in a chain: resolution and checks stay linear. */
/* The command line's compile: the text compiled in place, and the AST
 * and sema dropped after the checks. Every string of the model must be
 * its own (under ASan a string left in the AST's nodes is a
 * use-after-free), and the diagnostics still show the caller's text. */
START_TEST(the_model_outlives_a_dropped_ast)
{
	static const char text[] =
		"defaults { subscription = " SUB " resource_group = rg-net\n"
		"  location = westeurope tags { env = \"prod\" } }\n"
		"vnet hub 10.0.0.0/16 { subnets { GatewaySubnet = 10.0.0.0/27 }\n"
		"  gateway = vpn tags { \"cost center\" = \"42\" } }\n"
		"vnet aa 10.1.0.0/16 { name = \"vnet-aa\" subnets { app = 10.1.0.0/24 } }\n"
		"hub hub -> aa { name = \"{local}-peers-{remote}\" }\n\0";
	static const char bad[] = DEFAULTS "vnet aa 10.1.0.0/16\npeer aa <-> zz\n\0";
	struct peerc_options o = { .target = PEERC_TARGET_NONE, .text_kept = true,
				   .ast_dropped = true };
	/* each text followed by two NUL bytes, as text_kept asks */
	struct peerc_result *r = peerc_compile(&o, "t.peer", text, sizeof(text) - 2);

	no_diags(r);
	ck_assert_ptr_null(r->ast);
	ck_assert_ptr_null(r->sema);
	ck_assert_ptr_eq(r->source.text, text);
	const struct m_vnet *h = vnet(r->model, "hub"), *a = vnet(r->model, "aa");
	ck_assert_str_eq(h->name, "hub");
	ck_assert_str_eq(a->name, "vnet-aa");
	ck_assert_str_eq(h->tags[0].key, "cost center");
	ck_assert_str_eq(h->tags[1].value, "prod");
	ck_assert_str_eq(h->subnets[0].name, "GatewaySubnet");
	ck_assert_str_eq(a->subnets[0].name, "app");
	ck_assert_str_eq(h->resource_group, "rg-net");
	ck_assert_str_eq(side(r->model, "hub", "aa")->name, "hub-peers-vnet-aa");
	peerc_result_free(r);

	/* with an error: the message and its place still read the text */
	r = peerc_compile(&o, "t.peer", bad, sizeof(bad) - 2);
	ck_assert_uint_eq(r->diags.nerrors, 1);
	ck_assert_ptr_null(r->ast);
	ck_assert_str_eq(text_at(r, r->diags.items[0].loc), "zz");
	peerc_result_free(r);
}
END_TEST

START_TEST(a_hundred_thousand_vnets)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, DEFAULTS);
	for (unsigned i = 0; i < 100000; i++) {
		unsigned off = i * 16;
		sb_printf(&sb, "vnet v%u 10.%u.%u.%u/28\n", i, off >> 16, (off >> 8) & 255,
			  off & 255);
	}
	for (int i = 1; i < 100000; i++)
		sb_printf(&sb, "peer v%d <-> v%d\n", i - 1, i);
	sb_puts(&sb, "require v0 <-> v1\n");
	struct peerc_result *r = compile(sb.buf);
	ck_assert_uint_eq(r->diags.nerrors, 0);
	ck_assert_uint_eq(r->model->npeerings, 99999);
	peerc_result_free(r);
	sb_free(&sb);
}
END_TEST

static Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("resolve");
	tcase_add_test(tc, defaults_and_tags);
	tcase_add_test(tc, deployment_groups);
	tcase_add_test(tc, unknown_name_hint_and_fixit);
	tcase_add_test(tc, duplicates_point_at_the_first);
	tcase_add_test(tc, self_peering_and_sites_are_not_vnets);
	tcase_add_test(tc, attributes_and_kinds);
	tcase_add_test(tc, attributes_that_take_a_value);
	tcase_add_test(tc, hub_with_gateway_defaults_to_transit);
	tcase_add_test(tc, hub_direct_and_qualifiers);
	tcase_add_test(tc, side_qualified_names);
	tcase_add_test(tc, mesh_peers_every_pair_once);
	tcase_add_test(tc, conflicting_pair_names_both_places);
	tcase_add_test(tc, transit_nva_builds_route_tables);
	tcase_add_test(tc, transit_gateway_and_unassociated_tables);
	tcase_add_test(tc, existing_vnet_by_id);
	suite_add_tcase(s, tc);
	tc = tcase_create("checks");
	tcase_add_test(tc, remote_gateway_checks);
	tcase_add_test(tc, hub_default_gateway_and_a_spoke_with_its_own);
	tcase_add_test(tc, gateways_created_read_or_assumed);
	tcase_add_test(tc, gateway_settings_are_checked);
	tcase_add_test(tc, gateway_subnet_and_sku_checks);
	tcase_add_test(tc, special_subnets_take_no_transit_routes);
	tcase_add_test(tc, dual_stack_subnets_and_nva);
	tcase_add_test(tc, routing_patterns);
	tcase_add_test(tc, ids_and_guids_are_canonical);
	tcase_add_test(tc, transit_needs_its_device);
	tcase_add_test(tc, names_and_required_settings);
	tcase_add_test(tc, duplicate_peering_names);
	tcase_add_test(tc, warnings_and_w_options);
	tcase_add_test(tc, mesh_past_the_limit_is_refused);
	tcase_add_test(tc, route_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("reach");
	tcase_add_test(tc, require_without_transit_fails);
	tcase_add_test(tc, deny_names_the_path);
	tcase_add_test(tc, sites_are_reached_through_the_gateway);
	tcase_add_test(tc, who_reaches_whom);
	tcase_add_test(tc, the_model_outlives_a_dropped_ast);
	tcase_add_test(tc, a_hundred_thousand_vnets);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(resolve_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
