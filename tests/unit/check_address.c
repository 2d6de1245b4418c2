/* The address checks, through the whole compiler: each test compiles a
 * buffer and asserts which check fired, where, the exit status, and for a
 * few the exact message. */
#include "common.h"

#include <check.h>

#include "diag.h"
#include "model.h"
#include "peerc.h"
#include "diag_helpers.h"
#include "srcpos.h"
#include "util.h"

#define HEAD                                                         \
	"defaults {\n"                                               \
	"  subscription = \"11111111-1111-1111-1111-111111111111\"\n" \
	"  resource_group = \"rg\"\n"                                \
	"  location = westeurope\n"                                  \
	"}\n"
#define HEAD_LINES 5

/* Asserts loc starts at LINE:COL, counted after the HEAD lines. */
static void at(const struct peerc_result *r, struct loc loc, int line,
	       unsigned col)
{
	unsigned l, c;

	ck_assert(!loc_is_none(loc));
	source_linecol(&r->source, loc.start, &l, &c);
	ck_assert_int_eq((int)l, line + HEAD_LINES);
	ck_assert_uint_eq(c, col);
}

/* Only the named check reported anything. */
static void only(const struct peerc_result *r, const char *name)
{
	for (size_t i = 0; i < r->diags.n; i++)
		ck_assert_msg(strcmp(r->diags.items[i].name, name) == 0,
			      "unexpected %s: %s", r->diags.items[i].name,
			      r->diags.items[i].msg);
}

START_TEST(host_bits_give_the_network_and_a_fixit)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.1/16 { subnets { app = 10.0.1.7/24 } }\n"
		"vnet spoke 10.1.0.0/16\n"
		"peer hub <-> spoke\n");
	ck_assert(peerc_failed(r));
	only(r, "prefix-host-bits");
	ck_assert_uint_eq(count(r, "prefix-host-bits"), 2);
	const struct diag *d = nth(r, "prefix-host-bits", 0);
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->msg, "10.0.0.1/16 has host bits set; the network is 10.0.0.0/16");
	at(r, d->loc, 1, 10);
	ck_assert_uint_eq(d->nfixits, 1);
	ck_assert_str_eq(d->fixits[0].text, "10.0.0.0/16");
	ck_assert_uint_eq(d->fixits[0].loc.start, d->loc.start);
	ck_assert_uint_eq(d->fixits[0].loc.end, d->loc.end);
	d = nth(r, "prefix-host-bits", 1);
	at(r, d->loc, 1, 40);
	ck_assert_str_eq(d->fixits[0].text, "10.0.1.0/24");
	peerc_result_free(r);
}
END_TEST

START_TEST(length_out_of_range_holds_back_overlaps)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/33, fd00::/129\n"
		"vnet spoke 10.0.0.0/16\n"
		"peer hub <-> spoke\n");
	ck_assert(peerc_failed(r));
	only(r, "prefix-length");
	const struct diag *d = nth(r, "prefix-length", 0);
	ck_assert_str_eq(d->msg, "prefix length /33 is out of range: an IPv4 "
			 "prefix has at most 32 bits");
	at(r, d->loc, 1, 10);
	d = nth(r, "prefix-length", 1);
	ck_assert_str_eq(d->msg, "prefix length /129 is out of range: an IPv6 "
			 "prefix has at most 128 bits");
	at(r, d->loc, 1, 23);
	peerc_result_free(r);
}
END_TEST

START_TEST(forbidden_ranges)
{
	struct peerc_result *r = compile(HEAD
		"vnet va 10.0.0.0/16, 127.0.0.0/16\n"
		"vnet vb 168.63.0.0/16\n"
		"vnet vc 224.0.0.0/3\n"
		"mesh va, vb, vc\n");
	ck_assert(peerc_failed(r));
	only(r, "forbidden-address-space");
	ck_assert_uint_eq(count(r, "forbidden-address-space"), 3);
	const struct diag *d = nth(r, "forbidden-address-space", 0);
	ck_assert_str_eq(d->msg, "address space 127.0.0.0/16 of 'va' overlaps "
			 "127.0.0.0/8 (loopback), which Azure does not allow in a VNet");
	at(r, d->loc, 1, 22);
	at(r, nth(r, "forbidden-address-space", 1)->loc, 2, 9);
	/* 224.0.0.0/3 holds multicast and broadcast: the first is named */
	ck_assert_ptr_nonnull(strstr(nth(r, "forbidden-address-space", 2)->msg,
				     "224.0.0.0/4 (multicast)"));
	peerc_result_free(r);
}
END_TEST

START_TEST(public_space_is_a_warning)
{
	const char *text = HEAD
		"vnet hub 10.0.0.0/16, 20.10.0.0/16\n"
		"vnet spoke 100.64.0.0/10, fd00::/48\n"
		"peer hub <-> spoke\n";
	struct peerc_result *r = compile(text);
	ck_assert(!peerc_failed(r));
	only(r, "public-address-space");
	ck_assert_uint_eq(count(r, "public-address-space"), 1);
	const struct diag *d = nth(r, "public-address-space", 0);
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	ck_assert_str_eq(d->msg, "address space 20.10.0.0/16 of 'hub' is public "
			 "IPv4 space (not RFC 1918 or RFC 6598)");
	at(r, d->loc, 1, 23);
	peerc_result_free(r);

	struct warn_rule off = { "public-address-space", WARN_DISABLE };
	struct warn_opts w = { .rules = &off, .nrules = 1 };
	r = compile_with(text, &w);
	ck_assert_uint_eq(r->diags.n, 0);
	peerc_result_free(r);

	w = (struct warn_opts){ .all_as_errors = true };
	r = compile_with(text, &w);
	ck_assert(peerc_failed(r));
	peerc_result_free(r);
}
END_TEST

START_TEST(subnets_and_nva_inside)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/16 {\n"
		"  subnets { a = 10.0.0.0/24  b = 10.1.0.0/24  c = 10.0.0.128/25 }\n"
		"  nva = 10.2.0.4\n"
		"}\n"
		"vnet spoke 10.1.0.0/16 { subnets { app = 10.1.0.0/24 } }\n"
		"hub hub -> spoke { transit = nva }\n");
	ck_assert(peerc_failed(r));
	ck_assert_uint_eq(count(r, "subnet-outside-vnet"), 1);
	ck_assert_uint_eq(count(r, "nva-outside-vnet"), 1);
	ck_assert_uint_eq(count(r, "subnet-overlap"), 1);
	ck_assert_uint_eq(r->diags.n, 3);
	const struct diag *d = nth(r, "subnet-outside-vnet", 0);
	ck_assert_str_eq(d->msg, "subnet 'b' 10.1.0.0/24 is outside the address "
			 "space of 'hub'");
	at(r, d->loc, 2, 34);
	ck_assert_uint_eq(d->nnotes, 1);
	ck_assert_str_eq(d->notes[0].msg, "the address space of 'hub' is 10.0.0.0/16");
	d = nth(r, "nva-outside-vnet", 0);
	ck_assert_str_eq(d->msg, "NVA address 10.2.0.4 is outside the address "
			 "space of 'hub'");
	at(r, d->loc, 3, 9);
	d = nth(r, "subnet-overlap", 0);
	ck_assert_str_eq(d->msg, "subnet 'c' 10.0.0.128/25 of 'hub' overlaps "
			 "subnet 'a' 10.0.0.0/24");
	at(r, d->loc, 2, 51);
	at(r, d->notes[0].loc, 2, 17);
	peerc_result_free(r);
}
END_TEST

START_TEST(own_prefixes_overlap)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/16, 10.0.128.0/17\n"
		"vnet spoke 10.1.0.0/16\n"
		"peer hub <-> spoke\n");
	ck_assert(peerc_failed(r));
	only(r, "vnet-prefix-overlap");
	const struct diag *d = nth(r, "vnet-prefix-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 10.0.128.0/17 of 'hub' overlaps its 10.0.0.0/16");
	at(r, d->loc, 1, 23);
	at(r, d->notes[0].loc, 1, 10);
	peerc_result_free(r);
}
END_TEST

START_TEST(peered_overlap_names_both)
{
	struct peerc_result *r = compile(HEAD
		"vnet spoke1 10.1.0.0/16\n"
		"vnet hub 10.0.0.0/16\n"
		"vnet spoke9 10.1.128.0/17\n"
		"hub hub -> spoke1\n"
		"peer spoke1 <-> spoke9\n");
	ck_assert(peerc_failed(r));
	only(r, "peered-overlap");
	ck_assert_uint_eq(count(r, "peered-overlap"), 1);
	const struct diag *d = nth(r, "peered-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 10.1.128.0/17 of 'spoke9' overlaps "
			 "10.1.0.0/16 of 'spoke1', and they are peered "
			 "(Azure: VnetAddressSpacesOverlap)");
	at(r, d->loc, 3, 13);
	ck_assert_uint_eq(d->nnotes, 2);
	ck_assert_str_eq(d->notes[0].msg, "'spoke1' declares 10.1.0.0/16 here");
	at(r, d->notes[0].loc, 1, 13);
	at(r, d->notes[1].loc, 5, 1);
	peerc_result_free(r);
}
END_TEST

START_TEST(shared_peer_overlap)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/16\n"
		"vnet spoke1 10.1.0.0/16\n"
		"vnet spoke2 10.2.0.0/16\n"
		"vnet spoke3 10.1.0.0/24\n"
		"hub hub -> spoke1, spoke2, spoke3\n"
		"peer spoke2 <-> spoke3\n");
	ck_assert(peerc_failed(r));
	only(r, "shared-peer-overlap");
	ck_assert_uint_eq(count(r, "shared-peer-overlap"), 1);
	const struct diag *d = nth(r, "shared-peer-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 10.1.0.0/24 of 'spoke3' overlaps "
			 "10.1.0.0/16 of 'spoke1', and both are peered with 'hub' "
			 "(Azure: VnetAddressSpaceOverlapsWithAlreadyPeeredVnet)");
	at(r, d->loc, 4, 13);
	at(r, d->notes[0].loc, 2, 13);
	peerc_result_free(r);
}
END_TEST

START_TEST(require_ends_overlap)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/16 { nva = 10.0.0.4 }\n"
		"vnet spoke1 10.1.0.0/16\n"
		"vnet spoke2 10.2.0.0/16\n"
		"hub hub -> spoke1, spoke2 { transit = nva }\n"
		"site onprem 10.2.0.0/20 via spoke2\n"
		"require spoke2 <-> onprem\n");
	ck_assert(peerc_failed(r));
	ck_assert_uint_eq(count(r, "require-overlap"), 1);
	const struct diag *d = nth(r, "require-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 10.2.0.0/20 of site 'onprem' "
			 "overlaps 10.2.0.0/16 of 'spoke2', and this require says "
			 "they talk");
	at(r, d->loc, 6, 1);
	ck_assert_uint_eq(d->nnotes, 2);
	peerc_result_free(r);
}
END_TEST

START_TEST(site_overlaps_what_reaches_it)
{
	struct peerc_result *r = compile(HEAD
		"vnet hub 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }\n"
		"vnet spoke1 192.168.10.0/24\n"
		"vnet spoke2 192.168.20.0/24\n"
		"hub hub -> spoke1\n"
		"peer hub <-> spoke2\n"
		"site onprem 192.168.0.0/16 via hub\n");
	ck_assert(peerc_failed(r));
	only(r, "site-overlap");
	/* spoke2 overlaps too, but does not use the hub's gateway */
	ck_assert_uint_eq(count(r, "site-overlap"), 1);
	const struct diag *d = nth(r, "site-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 192.168.0.0/16 of site 'onprem' "
			 "overlaps 192.168.10.0/24 of 'spoke1', and 'spoke1' reaches "
			 "the site through the gateway of 'hub'");
	at(r, d->loc, 6, 13);
	at(r, d->notes[0].loc, 2, 13);
	peerc_result_free(r);
}
END_TEST

START_TEST(connected_group_overlap_is_a_warning)
{
	struct peerc_result *r = compile(HEAD
		"vnet va 10.1.0.0/16\n"
		"vnet vb 10.2.0.0/16\n"
		"vnet vc 10.3.0.0/16\n"
		"vnet vd 10.1.0.0/24\n"
		"vnet ve 10.1.0.0/16\n"
		"peer va <-> vb\n"
		"peer vb <-> vc\n"
		"peer vc <-> vd\n"
		"peer ve <-> ve2\n"
		"vnet ve2 10.9.0.0/16\n");
	ck_assert(!peerc_failed(r));
	only(r, "connected-group-overlap");
	/* a-d only: e is in another group, and peered-overlap or
	 * shared-peer-overlap would report a pair that is closer */
	ck_assert_uint_eq(count(r, "connected-group-overlap"), 1);
	const struct diag *d = nth(r, "connected-group-overlap", 0);
	ck_assert_str_eq(d->msg, "address space 10.1.0.0/24 of 'vd' overlaps "
			 "10.1.0.0/16 of 'va', and both are in one connected group "
			 "of peered VNets");
	at(r, d->loc, 4, 9);
	peerc_result_free(r);
}
END_TEST

/* One letter from exactly one region is an error; display names and
 * other cases of a region's name are that region. */
START_TEST(misspelt_regions_and_display_names)
{
	struct peerc_result *r = compile(
		"defaults {\n"
		"  subscription = \"11111111-1111-1111-1111-111111111111\"\n"
		"  resource_group = \"rg\"\n"
		"  location = westeurop\n"
		"}\n"
		"vnet va 10.1.0.0/16 { location = \"West US 2\" }\n"
		"vnet vb 10.2.0.0/16 in WestEurope\n"
		"vnet vc 10.3.0.0/16\n"
		"vnet vd 10.4.0.0/16 in uksuoth\n"
		"vnet ve 10.5.0.0/16 in \n"
		"  ukwestt\n"
		"vnet vf 10.6.0.0/16 { location = westus4 }\n"
		"mesh va, vb, vc, vd, ve, vf\n");
	ck_assert(peerc_failed(r));
	/* uksuoth is two letters from uksouth: a warning; westus4 is one from
	 * westus, westus2 and westus3: a warning */
	ck_assert_uint_eq(count(r, "misspelt-region"), 2);
	ck_assert_uint_eq(count(r, "unknown-region"), 2);
	const struct diag *d = nth(r, "misspelt-region", 0);
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->msg, "unknown Azure region 'westeurop'; did you mean 'westeurope'?");
	ck_assert_str_eq(d->fixits[0].text, "westeurope");
	d = nth(r, "misspelt-region", 1);
	ck_assert_str_eq(d->msg, "unknown Azure region 'ukwestt'; did you mean 'ukwest'?");
	d = nth(r, "unknown-region", 0);
	ck_assert_str_eq(d->msg, "unknown Azure region 'uksuoth'; did you mean 'uksouth'?");
	d = nth(r, "unknown-region", 1);
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	ck_assert_str_eq(d->msg, "unknown Azure region 'westus4'; did you mean 'westus'?");
	peerc_result_free(r);

	r = compile("defaults {\n"
		    "  subscription = \"11111111-1111-1111-1111-111111111111\"\n"
		    "  resource_group = \"rg\"\n"
		    "  location = \"North Europe\"\n"
		    "}\n"
		    "vnet va 10.1.0.0/16 { location = \"West US 2\" }\n"
		    "vnet vb 10.2.0.0/16 in WestEurope\n"
		    "vnet vc 10.3.0.0/16\n"
		    "mesh va, vb, vc\n");
	ck_assert(!peerc_failed(r));
	ck_assert_uint_eq(r->diags.n, 0);
	ck_assert_str_eq(r->model->vnets[0].location, "westus2");
	ck_assert_str_eq(r->model->vnets[1].location, "westeurope");
	ck_assert_str_eq(r->model->vnets[2].location, "northeurope");
	peerc_result_free(r);
}
END_TEST

START_TEST(unknown_region_hints)
{
	struct peerc_result *r = compile(
		"defaults {\n"
		"  subscription = \"11111111-1111-1111-1111-111111111111\"\n"
		"  resource_group = \"rg\"\n"
		"  location = westeurpoe\n"
		"}\n"
		"vnet va 10.1.0.0/16 in northeurpoe\n"
		"vnet vb 10.2.0.0/16 { location = mars }\n"
		"vnet vc 10.3.0.0/16\n"
		"vnet vd 10.4.0.0/16\n"
		"mesh va, vb, vc, vd\n");
	ck_assert(!peerc_failed(r));
	only(r, "unknown-region");
	/* the default is one place, reported once for vc and vd */
	ck_assert_uint_eq(count(r, "unknown-region"), 3);
	/* in source order: the defaults block comes first */
	const struct diag *d = nth(r, "unknown-region", 0);
	ck_assert_str_eq(d->msg, "unknown Azure region 'westeurpoe'; did you mean 'westeurope'?");
	at(r, d->loc, -1, 14);
	d = nth(r, "unknown-region", 1);
	ck_assert_str_eq(d->msg, "unknown Azure region 'northeurpoe'; did you mean 'northeurope'?");
	at(r, d->loc, 1, 24);
	ck_assert_uint_eq(d->nfixits, 1);
	ck_assert_str_eq(d->fixits[0].text, "northeurope");
	ck_assert_uint_eq(d->fixits[0].loc.start, d->loc.start);
	d = nth(r, "unknown-region", 2);
	ck_assert_str_eq(d->msg, "unknown Azure region 'mars'");
	at(r, d->loc, 2, 34);
	ck_assert_uint_eq(d->nfixits, 0);
	peerc_result_free(r);
}
END_TEST

/* A hub of 99 spokes per 100 VNets, 20,000 VNets, and two planted
 * overlaps: exactly those are found. */
START_TEST(many_vnets_planted_overlaps)
{
	enum { N = 20000 };
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, HEAD);
	for (unsigned i = 0; i < N; i++) {
		unsigned v = (10u << 24) + i * 256;
		if (i == 12345) /* inside spoke 12344's /24: the same hub */
			v = (10u << 24) + 12344 * 256 + 128;
		sb_printf(&sb, "vnet v%u %u.%u.%u.%u/%u\n", i, v >> 24,
			  v >> 16 & 255, v >> 8 & 255, v & 255, i == 12345 ? 25 : 24);
	}
	for (unsigned h = 0; h < N; h += 100) {
		sb_printf(&sb, "hub v%u -> v%u", h, h + 1);
		for (unsigned k = h + 2; k < h + 100; k++)
			sb_printf(&sb, ", v%u", k);
		sb_puts(&sb, "\n");
		if (h)
			sb_printf(&sb, "peer v%u <-> v%u\n", h - 100, h);
	}
	sb_puts(&sb, "vnet dup 10.0.7.0/24\npeer dup <-> v7\n");
	struct peerc_result *r = compile(sb.buf);
	sb_free(&sb);
	ck_assert(peerc_failed(r));
	ck_assert_uint_eq(count(r, "shared-peer-overlap"), 1);
	ck_assert_uint_eq(count(r, "peered-overlap"), 1);
	ck_assert_uint_eq(count(r, "connected-group-overlap"), 0);
	ck_assert_ptr_nonnull(strstr(nth(r, "shared-peer-overlap", 0)->msg,
				     "of 'v12345' overlaps 10.48.56.0/24 of 'v12344'"));
	ck_assert_ptr_nonnull(strstr(nth(r, "peered-overlap", 0)->msg,
				     "of 'dup' overlaps 10.0.7.0/24 of 'v7'"));
	peerc_result_free(r);
}
END_TEST

/* 400 spokes of one hub with one prefix: 79,800 pairs. Reports stop at
 * the cap, and the last says more were found. */
START_TEST(overlap_reports_are_capped)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, HEAD "vnet hub 10.0.0.0/16\n");
	for (unsigned i = 0; i < 400; i++)
		sb_printf(&sb, "vnet s%u 10.1.0.0/16\n", i);
	sb_puts(&sb, "hub hub -> s0");
	for (unsigned i = 1; i < 400; i++)
		sb_printf(&sb, ", s%u", i);
	sb_puts(&sb, "\n");
	struct peerc_result *r = compile(sb.buf);
	sb_free(&sb);
	ck_assert(peerc_failed(r));
	only(r, "shared-peer-overlap");
	ck_assert_uint_eq(count(r, "shared-peer-overlap"), 1000);
	const struct diag *last = nth(r, "shared-peer-overlap", 999);
	ck_assert_str_eq(last->notes[last->nnotes - 1].msg,
			 "more overlaps of this kind are not shown");
	ck_assert_uint_eq(nth(r, "shared-peer-overlap", 998)->nnotes, 2);
	peerc_result_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("address");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, host_bits_give_the_network_and_a_fixit);
	tcase_add_test(tc, length_out_of_range_holds_back_overlaps);
	tcase_add_test(tc, forbidden_ranges);
	tcase_add_test(tc, public_space_is_a_warning);
	tcase_add_test(tc, subnets_and_nva_inside);
	tcase_add_test(tc, own_prefixes_overlap);
	tcase_add_test(tc, peered_overlap_names_both);
	tcase_add_test(tc, shared_peer_overlap);
	tcase_add_test(tc, require_ends_overlap);
	tcase_add_test(tc, site_overlaps_what_reaches_it);
	tcase_add_test(tc, connected_group_overlap_is_a_warning);
	tcase_add_test(tc, unknown_region_hints);
	tcase_add_test(tc, misspelt_regions_and_display_names);
	tcase_add_test(tc, many_vnets_planted_overlaps);
	tcase_add_test(tc, overlap_reports_are_capped);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
