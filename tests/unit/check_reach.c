/* Reachability that follows the packets: route selection (the longest
 * prefix, then a route table's route over a peering's), both address
 * families, the routing patterns of a hub with a firewall, the way back
 * from a site, the edits a failed require offers, and the routing checks.
 * Through peerc_compile and peerc_explain, as users get them. */
#include "common.h"

#include <check.h>

#include "diag.h"
#include "model.h"
#include "peerc.h"
#include "diag_helpers.h"
#include "resolve.h"
#include "routing.h"
#include "util.h"

#define SUB "\"11111111-1111-1111-1111-111111111111\""
#define DEFAULTS "defaults { subscription = " SUB " resource_group = rg location = westeurope }\n"
/* A hub with a VPN gateway, a firewall at 10.0.1.4 and a site; four spokes. */
#define HUB DEFAULTS \
	"vnet hub 10.0.0.0/16 { gateway  nva = 10.0.1.4\n" \
	"  subnets { GatewaySubnet = 10.0.255.0/27  AzureFirewallSubnet = 10.0.1.0/26 } }\n" \
	"vnet s1 10.1.0.0/16 { subnets { app = 10.1.0.0/24 } }\n" \
	"vnet s2 10.2.0.0/16 { subnets { app = 10.2.0.0/24 } }\n" \
	"vnet s3 10.3.0.0/16 { subnets { app = 10.3.0.0/24 } }\n" \
	"site onprem 192.168.0.0/16 via hub\n"

static void no_diags(const struct peerc_result *r)
{
	for (size_t i = 0; i < r->diags.n; i++)
		ck_abort_msg("unexpected [%s] %s", r->diags.items[i].name,
			     r->diags.items[i].msg);
}

static const char *explain(struct peerc_result *r, const char *a, const char *b,
			   bool want)
{
	bool yes;
	const char *why = peerc_explain(r, a, b, &yes);

	ck_assert_ptr_nonnull(why);
	ck_assert_msg(yes == want, "%s", why);
	return why;
}

/* The source with the fix-its of diagnostic d applied (one alternative:
 * fix-it k), for recompiling. */
static char *apply(const struct peerc_result *r, const struct diag *d, size_t k)
{
	const struct diag_fixit *f = &d->fixits[k];
	size_t len = r->source.len, n = strlen(f->text);
	char *out = xmalloc(len - (f->loc.end - f->loc.start) + n + 1);

	memcpy(out, r->source.text, f->loc.start);
	memcpy(out + f->loc.start, f->text, n);
	memcpy(out + f->loc.start + n, r->source.text + f->loc.end, len - f->loc.end);
	out[len - (f->loc.end - f->loc.start) + n] = '\0';
	return out;
}

/* ------------------------------------------------ route selection */

/* transit = nva with direct: the route table's route for the other spoke's
 * own prefix wins over the peering's, so the packets go through the NVA;
 * a default route is shorter than the peering's, which then wins. */
START_TEST(user_route_wins_over_the_peering)
{
	struct peerc_result *r = compile(HUB "hub hub -> s1, s2, s3 { transit = nva  direct }\n");
	ck_assert_str_eq(explain(r, "s1", "s2", true),
		"yes, by hub 'hub': 's1' -> 'hub' -> 's2' (transit = nva), not over their "
		"peering: the route table of 's1' sends 10.2.0.0/16 to the NVA 10.0.1.4, and "
		"a user-defined route wins over a peering's route for the same prefix");
	ck_assert_uint_eq(count(r, "transit-overrides-peering"), 1);
	ck_assert_str_eq(first(r, "transit-overrides-peering")->msg,
		"'direct' peers the spokes of hub 'hub', but the route table of 's2' sends "
		"10.1.0.0/16 of 's1' to the NVA 10.0.1.4: a user-defined route wins over a "
		"peering's route for the same prefix, so their traffic goes through the hub "
		"and not over the peering; with 'routes = default' (or a shorter summary) "
		"the peering's more specific route carries it");
	peerc_result_free(r);

	r = compile(HUB "hub hub -> s1, s2, s3 { transit = nva  direct  routes = default }\n");
	no_diags(r);
	ck_assert_str_eq(explain(r, "s1", "s2", true), "yes, by the peering 's1' <-> 's2'");
	/* the hub itself is reached over the peering: its prefix is longer */
	ck_assert_str_eq(explain(r, "s1", "hub", true), "yes, by the peering 's1' <-> 'hub'");
	peerc_result_free(r);

	/* a summary as long as a spoke's prefix takes it; a peer statement
	 * between two spokes is warned about at the peering */
	r = compile(HUB "vnet s4 10.4.0.0/16 { subnets { app = 10.4.0.0/24 } }\n"
		    "hub hub -> s1, s2, s3, s4 { transit = nva  summary = 10.0.0.0/14, 10.4.0.0/16 }\n"
		    "peer s1 <-> s4\npeer s1 <-> s2\n");
	ck_assert_uint_eq(count(r, "transit-overrides-peering"), 1);
	ck_assert_str_eq(first(r, "transit-overrides-peering")->msg,
		"'s1' and 's4' are peered, but the route table of 's1' sends 10.4.0.0/16 of "
		"'s4' to the NVA 10.0.1.4: a user-defined route wins over a peering's route "
		"for the same prefix, so their traffic goes through the hub and not over the "
		"peering; with 'routes = default' (or a shorter summary) the peering's more "
		"specific route carries it");
	ck_assert_str_eq(explain(r, "s2", "s1", true), "yes, by the peering 's2' <-> 's1'");
	ck_assert_str_eq(explain(r, "s4", "s3", true),
		"yes, by hub 'hub': 's4' -> 'hub' -> 's3' (transit = nva, by the route "
		"10.0.0.0/14)");
	peerc_result_free(r);
}
END_TEST

/* A route table only some subnets take: the VNet's traffic takes it when
 * one does; when each is opted out, there is no transit. */
START_TEST(opted_out_subnets_take_no_transit)
{
	struct peerc_result *r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16 { nva = 10.0.1.4 }\n"
		"vnet s1 10.1.0.0/16 { subnets { app { prefix = 10.1.0.0/24  transit_routes = false } "
		"AzureBastionSubnet = 10.1.1.0/26 } }\n"
		"vnet s2 10.2.0.0/16 { subnets { app = 10.2.0.0/24 } }\n"
		"hub hub -> s1, s2 { transit = nva }\nrequire s1 <-> s2\n");
	ck_assert_str_eq(first(r, "require-failed")->msg,
		"require fails: 's1' cannot reach 's2' because no subnet of 's1' takes its "
		"transit route table 'rt-s1-via-hub' (each is opted out or one of Azure's "
		"special subnets); add 'peer s1 <-> s2'");
	peerc_result_free(r);
}
END_TEST

/* ------------------------------------------------ both families */

START_TEST(each_family_needs_its_path)
{
	/* an IPv4 NVA: IPv6 has no path, IPv4 with the IPv4-only spoke does */
	struct peerc_result *r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16, fd00::/48 { nva = 10.0.1.4 }\n"
		"vnet s1 10.1.0.0/16, fd00:1::/48 { subnets { app = 10.1.0.0/24, fd00:1::/64 } }\n"
		"vnet s2 10.2.0.0/16, fd00:2::/48 { subnets { app = 10.2.0.0/24, fd00:2::/64 } }\n"
		"vnet v4 10.3.0.0/16 { subnets { app = 10.3.0.0/24 } }\n"
		"hub hub -> s1, s2, v4 { transit = nva }\nrequire s1 <-> s2\nrequire s1 <-> v4\n");
	ck_assert_uint_eq(count(r, "require-failed"), 1);
	ck_assert_str_eq(first(r, "require-failed")->msg,
		"require fails: 's1' cannot reach 's2' because over IPv6, transit through hub "
		"'hub' carries no IPv6: the NVA of 'hub' has no IPv6 address (give it one: "
		"'nva = 10.0.1.4, ADDRESS'), or add 'peer s1 <-> s2'");
	ck_assert_uint_eq(count(r, "transit-family-gap"), 1);
	ck_assert_str_eq(explain(r, "v4", "s1", true),
		"yes, by hub 'hub': 'v4' -> 'hub' -> 's1' (transit = nva)");
	peerc_result_free(r);

	/* an address of each family: both go through the NVA */
	r = compile(DEFAULTS
		"vnet hub 10.0.0.0/16, fd00::/48 { nva = 10.0.1.4, fd00::4 }\n"
		"vnet s1 10.1.0.0/16, fd00:1::/48 { subnets { app = 10.1.0.0/24, fd00:1::/64 } }\n"
		"vnet s2 10.2.0.0/16, fd00:2::/48 { subnets { app = 10.2.0.0/24, fd00:2::/64 } }\n"
		"hub hub -> s1, s2 { transit = nva }\nrequire s1 <-> s2\n");
	no_diags(r);
	peerc_result_free(r);
}
END_TEST

/* ------------------------------------------------ sites */

/* Gateway routes off: the spokes reach the site only by a route of their
 * own table; through the NVA out, and back through it only with the
 * GatewaySubnet's table (else -Wasymmetric-routing). */
START_TEST(sites_through_the_firewall)
{
	struct peerc_result *r = compile(HUB
		"hub hub -> s1, s2 { transit = nva  propagate_gateway_routes = false }\n"
		"require s1 <-> onprem\n");
	ck_assert_str_eq(first(r, "require-failed")->msg,
		"require fails: 's1' cannot reach 'onprem' because the route table of 's1' "
		"keeps the gateway's routes out ('propagate_gateway_routes = false' on hub "
		"'hub'), and none of its routes covers site 'onprem'; set 'routes = default' "
		"on the hub, which sends the spokes' traffic to the NVA");
	peerc_result_free(r);

	r = compile(HUB "hub hub -> s1, s2 { transit = nva  routes = default  "
		    "propagate_gateway_routes = false }\n");
	ck_assert_str_eq(explain(r, "s1", "onprem", true),
		"yes, by 's1' -> 'hub' (NVA 10.0.1.4) -> site 'onprem', through the gateway "
		"of 'hub'; back from the gateway directly, not through the NVA "
		"[-Wasymmetric-routing]");
	ck_assert_uint_eq(count(r, "asymmetric-routing"), 1);
	peerc_result_free(r);

	r = compile(HUB "hub hub -> s1, s2, s3 { transit = nva  routes = default  "
		    "propagate_gateway_routes = false  gateway_subnet_routes }\n");
	no_diags(r);
	ck_assert_str_eq(explain(r, "onprem", "s2", true),
		"yes, by 's2' -> 'hub' (NVA 10.0.1.4) -> site 'onprem', through the gateway "
		"of 'hub'; back through the NVA too (the GatewaySubnet's route table)");
	peerc_result_free(r);

	/* the GatewaySubnet's table alone: in through the NVA, out directly */
	r = compile(HUB "hub hub -> s1, s2 { transit = nva  gateway_subnet_routes }\n");
	ck_assert_uint_eq(count(r, "asymmetric-routing"), 1);
	ck_assert_str_eq(first(r, "asymmetric-routing")->msg,
		"traffic between spoke 's1' of hub 'hub' and site 'onprem' passes the NVA "
		"one way only: in through it, out by the gateway's routes directly; a "
		"stateful firewall drops the replies: add 'propagate_gateway_routes = false' "
		"and a route to the NVA ('routes = default') to the hub");
	peerc_result_free(r);
}
END_TEST

/* A VNet with a gateway of its own cannot use a remote one: no edit that
 * Azure would refuse; a spoke that uses another hub's gateway likewise. */
START_TEST(no_edit_azure_refuses)
{
	struct peerc_result *r = compile(HUB
		"vnet hub2 10.9.0.0/16 { gateway subnets { GatewaySubnet = 10.9.255.0/27 } }\n"
		"vnet s4 10.4.0.0/16\n"
		"hub hub -> s1\npeer hub2 <-> hub { gateway = none }\nhub hub2 -> s4\n"
		"peer s4 <-> hub\n"
		"require hub2 <-> onprem\nrequire s4 <-> onprem\n");
	const struct diag *d = first(r, "require-failed");
	ck_assert_str_eq(d->msg,
		"require fails: 'hub2' cannot reach 'onprem' because site 'onprem' is reached "
		"through the gateway of 'hub', and 'hub2' has a gateway of its own: a VNet with "
		"a gateway cannot use a remote one");
	ck_assert_uint_eq(d->nfixits, 0);
	d = nth(r, "require-failed", 1);
	ck_assert_str_eq(d->msg,
		"require fails: 's4' cannot reach 'onprem' because site 'onprem' is reached "
		"through the gateway of 'hub', and 's4' uses the gateway of 'hub2': a VNet "
		"can use one remote gateway");
	ck_assert_uint_eq(d->nfixits, 0);
	peerc_result_free(r);
}
END_TEST

/* ------------------------------------------------ edits that compile */

/* Each fix-it of a failed require, applied alone, compiles, and the
 * require holds then. */
START_TEST(each_edit_compiles)
{
	static const char *const files[] = {
		HUB "hub hub -> s1, s2\nrequire s1 <-> s2\n",
		HUB "hub hub -> s1, s2 { gateway = none }\nrequire s1 <-> onprem\n",
		HUB "hub hub -> s1\nrequire s2 <-> onprem\n",
		HUB "peer hub <-> s1 { s1.access = false }\nrequire s1 <-> hub\n",
		HUB "hub hub -> s1, s2 { transit = nva  summary = 10.1.0.0/16 }\n"
		    "require s1 <-> s2\n",
		HUB "hub hub -> s1, s2 { transit = none }\nrequire s1 <-> s2\n",
	};
	static const size_t edits[] = { 2, 1, 1, 1, 2, 2 };

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct peerc_result *r = compile(files[i]);
		const struct diag *d = first(r, "require-failed");
		ck_assert_msg(d->nfixits == edits[i], "%zu: %zu fix-its: %s", i,
			      d->nfixits, d->msg);
		for (size_t k = 0; k < d->nfixits; k++) {
			char *text = apply(r, d, k);
			struct peerc_result *f = compile(text);
			ck_assert_msg(f->diags.nerrors == 0, "%zu.%zu: %s\n%s", i, k,
				      f->diags.n ? f->diags.items[0].msg : "", text);
			peerc_result_free(f);
			free(text);
		}
		peerc_result_free(r);
	}
}
END_TEST

/* An edit that would break the file is not offered: transit that a deny
 * forbids, a peering of overlapping VNets. */
START_TEST(no_edit_that_breaks)
{
	struct peerc_result *r = compile(HUB
		"hub hub -> s1, s2, s3\nrequire s1 <-> s2\ndeny s1 <-> s3\n");
	const struct diag *d = first(r, "require-failed");
	ck_assert_str_eq(d->msg,
		"require fails: 's1' cannot reach 's2' because both are spokes of hub 'hub', "
		"which has no transit, and peering is not transitive; add 'peer s1 <-> s2'");
	ck_assert_uint_eq(d->nfixits, 1);
	ck_assert_str_eq(d->fixits[0].text, "peer s1 <-> s2\n");
	peerc_result_free(r);

	r = compile(DEFAULTS "vnet a 10.0.0.0/16\nvnet b 10.0.0.0/24\nrequire a <-> b\n"
		    "vnet c 10.0.0.128/25\nvnet d 10.2.0.0/16\nvnet e 10.5.0.0/16\n"
		    "peer d <-> b\nrequire c <-> d\nrequire e <-> d\n");
	d = first(r, "require-failed");
	/* their spaces overlap: a's own route takes b's prefix */
	ck_assert_str_eq(d->msg, "require fails: 'a' cannot reach 'b' because traffic from "
			 "'a' to 10.0.0.0/24 of 'b' ends in 'a', whose address space overlaps it");
	ck_assert_uint_eq(d->nfixits, 0);
	/* c overlaps b, which d is peered with: Azure refuses c <-> d
	 * (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet); e may peer */
	d = nth(r, "require-failed", 1);
	ck_assert_str_eq(d->msg, "require fails: 'c' cannot reach 'd' because 'c' and 'd' "
			 "are not peered and share no hub with transit");
	ck_assert_uint_eq(d->nfixits, 0);
	d = nth(r, "require-failed", 2);
	ck_assert_uint_eq(d->nfixits, 1);
	ck_assert_str_eq(d->fixits[0].text, "peer e <-> d\n");
	peerc_result_free(r);
}
END_TEST

/* ------------------------------------------------ the routing checks */

START_TEST(routing_option_checks)
{
	struct peerc_result *r = compile(HUB
		"hub hub -> s1 { routes = default  gateway_subnet_routes }\n"
		"hub hub -> s2 { transit = gateway  summary = 10.0.0.0/8 }\n"
		"vnet h3 10.7.0.0/16 { nva = 10.7.1.4 }\nvnet s7 10.8.0.0/16 { subnets { a = 10.8.0.0/24 } }\n"
		"hub h3 -> s7 { transit = nva  gateway_subnet_routes }\n");
	ck_assert_uint_eq(count(r, "routing-needs-transit"), 2);
	ck_assert_str_eq(first(r, "routing-needs-transit")->msg,
		"'routes = default' needs 'transit = nva': it sends the spokes' traffic to "
		"the hub's NVA");
	ck_assert_uint_eq(count(r, "gateway-routes-without-gateway"), 1);
	ck_assert_str_eq(first(r, "gateway-routes-without-gateway")->msg,
		"'gateway_subnet_routes' routes on-premises traffic that comes in through "
		"the gateway of 'h3', which has none");
	/* s3 is outside s2's summary: no traffic for it reaches the NVA */
	ck_assert_uint_eq(count(r, "summary-gap"), 0);
	peerc_result_free(r);

	r = compile(HUB "hub hub -> s1, s2, s3 { transit = nva  summary = 10.0.0.0/15 }\n");
	ck_assert_uint_eq(count(r, "summary-gap"), 2);
	ck_assert_str_eq(first(r, "summary-gap")->msg,
		"10.2.0.0/16 of spoke 's2' is not inside the summary of hub 'hub': the other "
		"spokes' route tables send no traffic for it to the NVA");
	peerc_result_free(r);
}
END_TEST

/* A hub of 499 spokes with `block`: the per-spoke routes would need 498 in
 * each table, past Azure's 400; a default route is one. */
static struct peerc_result *big_hub(const char *block)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, DEFAULTS "vnet hub 10.0.0.0/16 { nva = 10.0.1.4 }\n");
	for (int i = 1; i < 500; i++)
		sb_printf(&sb, "vnet s%d 10.%d.%d.0/24 { subnets { a = 10.%d.%d.0/24 } }\n",
			  i, 1 + i / 256, i % 256, 1 + i / 256, i % 256);
	sb_puts(&sb, "hub hub -> s1");
	for (int i = 2; i < 500; i++)
		sb_printf(&sb, ", s%d", i);
	sb_printf(&sb, " { %s }\nrequire s1 <-> s499\n", block);
	struct peerc_result *r = compile(sb.buf);
	sb_free(&sb);
	return r;
}

START_TEST(big_hub_with_a_default_route)
{
	struct peerc_result *r = big_hub("transit = nva");
	ck_assert_uint_eq(count(r, "route-limit"), 1);
	ck_assert_str_eq(first(r, "require-failed")->msg,
		"require fails: 's1' cannot reach 's499' because hub 'hub' writes no route "
		"tables: they would pass Azure's limit of 400 routes (route-limit)");
	ck_assert_str_eq(first(r, "route-limit")->msg,
		"transit through hub 'hub' needs 498 routes in the route table of 's1'; "
		"Azure allows at most 400 in one table: send the spokes' traffic to the NVA "
		"with 'routes = default' or a 'summary'");
	peerc_result_free(r);
	r = big_hub("transit = nva  routes = default");
	no_diags(r);
	ck_assert_uint_eq(r->model->nroute_tables, 499);
	ck_assert_uint_eq(r->model->route_tables[498].nroutes, 1);
	ck_assert_str_eq(explain(r, "s499", "s1", true),
		"yes, by hub 'hub': 's499' -> 'hub' -> 's1' (transit = nva, by the route "
		"0.0.0.0/0)");
	peerc_result_free(r);

	/* the GatewaySubnet's table takes a route per spoke prefix all the same */
	r = big_hub("transit = nva  routes = default  gateway_subnet_routes");
	ck_assert_uint_eq(count(r, "route-limit"), 1);
	ck_assert_str_eq(first(r, "route-limit")->msg,
		"the GatewaySubnet route table of hub 'hub' needs 499 routes, one per spoke "
		"prefix (a summary would lose to the spokes' peering routes, which are "
		"longer); Azure allows at most 400 in one table");
	peerc_result_free(r);

	/* the edit a failed require offers fits: transit with a default route */
	r = big_hub("gateway = none");
	const struct diag *d = first(r, "require-failed");
	ck_assert_uint_eq(d->nfixits, 2);
	ck_assert_str_eq(d->fixits[0].text, " transit = nva routes = default");
	char *text = apply(r, d, 0);
	struct peerc_result *f = compile(text);
	no_diags(f);
	peerc_result_free(f);
	free(text);
	peerc_result_free(r);
}
END_TEST

static Suite *reach_suite(void)
{
	Suite *s = suite_create("reach");
	TCase *tc = tcase_create("routes");
	tcase_add_test(tc, user_route_wins_over_the_peering);
	tcase_add_test(tc, opted_out_subnets_take_no_transit);
	tcase_add_test(tc, each_family_needs_its_path);
	tcase_add_test(tc, sites_through_the_firewall);
	tcase_add_test(tc, no_edit_azure_refuses);
	suite_add_tcase(s, tc);
	tc = tcase_create("edits");
	tcase_add_test(tc, each_edit_compiles);
	tcase_add_test(tc, no_edit_that_breaks);
	suite_add_tcase(s, tc);
	tc = tcase_create("checks");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, routing_option_checks);
	tcase_add_test(tc, big_hub_with_a_default_route);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reach_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
