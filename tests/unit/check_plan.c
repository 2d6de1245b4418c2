/* The deployment plan (compiler/plan.h): names, placement, the order of
 * deployments and stages, and its size estimates held against the ARM text
 * peerc writes. */
#include "common.h"

#include <check.h>

#include "diag.h"
#include "model.h"
#include "peerc.h"
#include "plan.h"
#include "util.h"

#define SUB "\"11111111-1111-1111-1111-111111111111\""

static struct peerc_result *compile_to(const char *text, enum peerc_target t)
{
	struct peerc_options opts = { .target = t, .output_name = "out.json" };

	return peerc_compile(&opts, "t.peer", text, strlen(text));
}

/* The plan of text, in r's arena. */
static struct peerc_result *planned(const char *text, struct plan *p)
{
	struct peerc_result *r = compile_to(text, PEERC_TARGET_NONE);

	ck_assert_msg(r->model, "%s", r->diags.n ? r->diags.items[0].msg : "no model");
	ck_assert(plan_build(p, r->model, "out", r->arena, &r->diags));
	return r;
}

static const struct plan_deployment *named(const struct plan *p, const char *name)
{
	for (uint32_t d = 0; d < p->ndeployments; d++)
		if (p->deployments[d].name && strcmp(p->deployments[d].name, name) == 0)
			return &p->deployments[d];
	ck_abort_msg("no deployment %s", name);
	return NULL;
}

START_TEST(base_names)
{
	struct arena *a = arena_new();

	ck_assert_str_eq(plan_base(a, "hub-spoke.bicep", "x.peer"), "hub-spoke");
	ck_assert_str_eq(plan_base(a, NULL, "dir/net.peer"), "net");
	ck_assert_str_eq(plan_base(a, "-", "-"), "main");
	ck_assert_str_eq(plan_base(a, ".json", NULL), ".json");
	ck_assert_str_eq(plan_base(a, "exactly-twenty-chars.json", NULL),
			 "exactly-twenty-chars");
	/* Names made alike by replacing or cutting stay apart: two outputs
	 * in one folder would otherwise write each other's modules. */
	const char *x = plan_base(a, "a b:c.json", NULL), *y = plan_base(a, "a:b c.json", NULL);
	ck_assert_int_eq(strlen(x), strlen("a-b-c-") + 8);
	ck_assert_int_eq(strncmp(x, "a-b-c-", 6), 0);
	ck_assert_str_ne(x, y);
	x = plan_base(a, "a-name-longer-than-twenty-1.json", NULL);
	y = plan_base(a, "a-name-longer-than-twenty-2.json", NULL);
	ck_assert_int_eq(strlen(x), 20);
	ck_assert_int_eq(strncmp(x, "a-name-long-", 12), 0);
	ck_assert_str_ne(x, y);
	ck_assert_str_eq(x, plan_base(a, "dir/a-name-longer-than-twenty-1.bicep", NULL));
	arena_free(a);
}
END_TEST

/* Deployment names from the group's name when valid, fitting 64
 * characters and distinct without case; else group<N>. */
START_TEST(deployment_names)
{
	struct plan p;
	struct peerc_result *r = planned(
		"defaults { subscription = " SUB " resource_group = rg-home location = westeurope }\n"
		"vnet aa 10.0.0.0/16 { resource_group = \"RG-App\" }\n"
		"vnet bb 10.1.0.0/16 { resource_group = \"rg-app\" }\n"
		"vnet cc 10.2.0.0/16\n"
		"vnet dd 10.3.0.0/16 { resource_group = \"rg-a-name-far-too-long-for-a-deployment-name-here\" }\n"
		"vnet ee 10.4.0.0/16 { resource_group = \"RG-App\"\n"
		"  subscription = \"22222222-2222-2222-2222-222222222222\" }\n"
		"mesh aa, bb, cc, dd, ee\n", &p);

	/* Small: the home group's resources are the main template's own. */
	ck_assert_uint_eq(p.nstages, 1);
	ck_assert(p.deployments[0].top);
	ck_assert_ptr_null(p.deployments[0].name);
	ck_assert_str_eq(named(&p, "peerc-out-RG-App-network")->file, "out-RG-App-network");
	ck_assert_uint_eq(named(&p, "peerc-out-RG-App-peerings")->group, 1);
	/* rg-app is RG-App to Azure's deployment names */
	ck_assert_uint_eq(named(&p, "peerc-out-group3-peerings")->group, 2);
	ck_assert_uint_eq(named(&p, "peerc-out-group4-network")->group, 3);
	/* the same group name in another subscription: another group */
	ck_assert_uint_eq(named(&p, "peerc-out-group5-network")->group, 4);
	for (uint32_t d = 1; d < p.ndeployments; d++)
		ck_assert_uint_le(strlen(p.deployments[d].name), PLAN_MAX_DEPLOYMENT_NAME);
	peerc_result_free(r);
}
END_TEST

/* A hub of n spokes in the home group, as text: extra in the hub's block,
 * defaults in the defaults', statement after the hub statement. */
static char *hub_text(size_t n, const char *extra, const char *defaults, const char *statement)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "defaults { subscription = " SUB " resource_group = rg location = "
		       "westeurope %s }\n"
		       "vnet hub 10.255.0.0/16 { subnets { shared = 10.255.0.0/24 } %s }\n",
		  defaults, extra);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "vnet s%zu 10.%zu.%zu.0/24 { subnets { app = 10.%zu.%zu.0/25 } }\n",
			  i, i / 256, i % 256, i / 256, i % 256);
	sb_puts(&sb, "hub hub -> ");
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%ss%zu", i ? ", " : "", i);
	sb_printf(&sb, " %s\n", statement);
	return sb.buf;
}

/* Every wait goes back in (phase, group, chunk) and within its stage; no
 * deployment holds more than Azure takes. */
static void assert_well_ordered(const struct plan *p)
{
	for (uint32_t d = 0; d < p->ndeployments; d++) {
		const struct plan_deployment *dp = &p->deployments[d];
		ck_assert_uint_le(dp->nresources, PLAN_MAX_RESOURCES);
		ck_assert_uint_le(dp->bytes, dp->top ? PLAN_STAGE_BUDGET : PLAN_DEPLOYMENT_BUDGET);
		for (uint32_t i = 0; i < dp->nwaits; i++) {
			const struct plan_deployment *w = &p->deployments[p->waits[dp->waits + i].deployment];
			ck_assert_uint_eq(w->stage, dp->stage);
			if (w->top)
				continue;
			ck_assert(w->phase < dp->phase || (w->phase == dp->phase &&
				  (w->group < dp->group || (w->group == dp->group &&
							    w->chunk < dp->chunk))));
		}
	}
	for (uint32_t s = 0; s < p->nstages; s++) {
		ck_assert_uint_le(p->stages[s].bytes, PLAN_STAGE_BUDGET);
		ck_assert_uint_le(p->stages[s].nresources, PLAN_MAX_RESOURCES);
	}
}

/* 920 halves in one group: the home group's resources go nested, the
 * halves in two chunks, the second after the first (the hub's halves are a
 * chain). */
START_TEST(a_group_past_800_resources)
{
	struct plan p;
	char *text = hub_text(460, "", "", "");
	struct peerc_result *r = planned(text, &p);

	ck_assert_uint_eq(p.nstages, 1);
	ck_assert_uint_eq(p.ndeployments, 3);
	ck_assert(!p.deployments[0].top);
	const struct plan_deployment *d1 = named(&p, "peerc-out-rg-peerings");
	const struct plan_deployment *d2 = named(&p, "peerc-out-rg-peerings-2");
	ck_assert_uint_eq(d1->nresources, 800);
	ck_assert_uint_eq(d2->nresources, 120);
	ck_assert_uint_eq(d2->nwaits, 2);
	assert_well_ordered(&p);
	/* every half waits for the one before it that touches the hub */
	struct plan_ref w[PLAN_MAX_WAITS];
	for (size_t s = 1; s < 2 * r->model->npeerings; s++) {
		size_t n = plan_waits(&p, (struct plan_ref){ PLAN_SIDE, (uint32_t)s, 0 }, w);
		bool chained = false;
		for (size_t i = 0; i < n; i++)
			chained = chained || (w[i].kind == PLAN_SIDE && w[i].index == s - 1);
		ck_assert_msg(chained, "half %zu does not wait for %zu", s, s - 1);
	}
	free(text);
	peerc_result_free(r);
}
END_TEST

/* Many groups with gateways past 4 MB: stages, each within the budget, in
 * the order the waits go. */
START_TEST(stages_in_order)
{
	struct strbuf sb;
	struct plan p;

	sb_init(&sb);
	sb_puts(&sb, "defaults { subscription = " SUB " resource_group = rg0 location = westeurope }\n");
	for (size_t h = 0; h < 20; h++) {
		sb_printf(&sb, "vnet hub%zu 10.%zu.0.0/24 { resource_group = \"rg%zu\" gateway "
			       "subnets { GatewaySubnet = 10.%zu.0.0/27 } }\n", h, h, h, h);
		for (size_t i = 1; i < 200; i++)
			sb_printf(&sb, "vnet s%zu-%zu 10.%zu.%zu.0/24 { resource_group = \"rg%zu\" "
				       "subnets { a = 10.%zu.%zu.0/25 } }\n", h, i, h, i, h, h, i);
		sb_printf(&sb, "hub hub%zu -> ", h);
		for (size_t i = 1; i < 200; i++)
			sb_printf(&sb, "%ss%zu-%zu", i > 1 ? ", " : "", h, i);
		sb_puts(&sb, "\n");
	}
	struct peerc_result *r = planned(sb.buf, &p);
	ck_assert_uint_gt(p.nstages, 1);
	assert_well_ordered(&p);
	/* a stage's deployments: every network one before any peering one */
	for (uint32_t d = 1; d < p.ndeployments; d++)
		if (p.deployments[d].phase == PLAN_NETWORK)
			for (uint32_t e = 0; e < p.ndeployments; e++)
				if (p.deployments[e].phase >= PLAN_PEERINGS)
					ck_assert_uint_le(p.deployments[d].stage, p.deployments[e].stage);
	sb_free(&sb);
	peerc_result_free(r);
}
END_TEST

/* Where the template of nested deployment `name` starts and ends in the
 * ARM text: the object after its "template" key. */
static size_t template_size(const char *text, const char *name)
{
	char key[160];
	snprintf(key, sizeof(key), "\"name\": \"%s\",", name);
	const char *at = strstr(text, key);
	ck_assert_msg(at, "no deployment %s", name);
	at = strstr(at, "\"template\": {");
	ck_assert(at);
	const char *p = strchr(at, '{');
	int depth = 0;
	bool str = false;
	for (; *p; p++) {
		if (str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				str = false;
		} else if (*p == '"') {
			str = true;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && --depth == 0) {
			break;
		}
	}
	/* with the indentation of its first line */
	const char *bol = at;
	while (bol > text && bol[-1] != '\n')
		bol--;
	return (size_t)(p + 1 - bol);
}

/* The estimates are upper bounds of what the ARM output writes, and not
 * more than twice it. */
static void assert_estimates(const char *text)
{
	struct plan p;
	struct peerc_result *r = compile_to(text, PEERC_TARGET_ARM);

	ck_assert_msg(r->noutputs >= 1, "%s", r->diags.n ? r->diags.items[0].msg : "no output");
	ck_assert(plan_build(&p, r->model, "out", r->arena, &r->diags));
	for (uint32_t d = 0; d < p.ndeployments; d++) {
		const struct plan_deployment *dp = &p.deployments[d];
		if (dp->top)
			continue;
		size_t actual = template_size(r->outputs[dp->stage].data, dp->name);
		ck_assert_msg(dp->bytes >= actual && dp->bytes <= 2 * actual + 4096,
			      "%s: estimated %zu, written %zu", dp->name, dp->bytes, actual);
	}
	for (uint32_t s = 0; s < p.nstages; s++)
		ck_assert_msg(p.stages[s].bytes >= r->outputs[s].len,
			      "stage %u: estimated %zu, written %zu", s + 1,
			      p.stages[s].bytes, r->outputs[s].len);
	peerc_result_free(r);
}

START_TEST(estimates_hold)
{
	char *hub = hub_text(300, "", "", "");
	/* route tables, tags of every kind of character */
	char *transit = hub_text(60, "nva = 10.255.0.4",
		"tags { k = \"\\\"\\\\\\t\\u0001 [x] Z\u00fcrich\" \"[key]\" = \"\" }",
		"{ transit = nva }");

	assert_estimates(hub);
	assert_estimates(transit);
	/* existing spokes' subnet writes, gateways, long names */
	assert_estimates(
		"defaults { subscription = " SUB " resource_group = rg-net location = westeurope }\n"
		"vnet hub 10.0.0.0/16 { nva = 10.0.1.4 gateway { sku = VpnGw1AZ active_active }\n"
		"  subnets { GatewaySubnet = 10.0.255.0/27 fw = 10.0.1.0/24 } }\n"
		"vnet old 10.2.0.0/16 { existing resource_group = \"rg-a-rather-long-group-name-x\"\n"
		"  subnets { app = 10.2.0.0/24 db = 10.2.1.0/24 } }\n"
		"vnet old2 10.3.0.0/16 { id = \"/subscriptions/22222222-2222-2222-2222-222222222222/"
		"resourceGroups/rg-l/providers/Microsoft.Network/virtualNetworks/old2\"\n"
		"  subnets { app = 10.3.0.0/24 } }\n"
		"vnet spoke-with-a-long-name-of-sixty-characters-or-so-aaaaaaa 10.4.0.0/16 {\n"
		"  resource_group = \"rg-s\" subnets { a = 10.4.0.0/24 } }\n"
		"hub hub -> old, old2, spoke-with-a-long-name-of-sixty-characters-or-so-aaaaaaa "
		"{ transit = nva }\n");
	/* dual-stack subnets, a hub's GatewaySubnet table, no gateway routes */
	assert_estimates(
		"defaults { subscription = " SUB " resource_group = rg-net location = westeurope }\n"
		"vnet hub 10.0.0.0/16, fd00::/48 { existing gateway nva = 10.0.1.4, fd00:0:0:1::4\n"
		"  subnets { GatewaySubnet = 10.0.255.0/27  snet-nva = 10.0.1.0/24, fd00:0:0:1::/64 } }\n"
		"vnet old-spoke 10.1.0.0/16, fd00:1::/48 { existing\n"
		"  subnets { app = 10.1.0.0/24, fd00:1::/64 } }\n"
		"vnet new-spoke 10.2.0.0/16, fd00:2::/48 { resource_group = \"rg-new\"\n"
		"  subnets { app = 10.2.0.0/24, fd00:2::/64 } }\n"
		"site onprem 192.168.0.0/16 via hub\n"
		"hub hub -> old-spoke, new-spoke { transit = nva routes = default\n"
		"  propagate_gateway_routes = false gateway_subnet_routes }\n");
	free(hub);
	free(transit);
}
END_TEST

/* A unit no deployment can hold: a located error, no plan. */
START_TEST(unit_past_the_limits)
{
	struct strbuf sb;
	struct plan p;

	sb_init(&sb);
	sb_puts(&sb, "defaults { subscription = " SUB " resource_group = rg location = westeurope }\n"
		     "vnet hub 10.0.0.0/16 { nva = 10.0.1.4 subnets { fw = 10.0.1.0/24 } }\n"
		     "vnet old 10.2.0.0/16 { existing resource_group = \"rg-l\" subnets {\n");
	for (size_t i = 0; i < 300; i++)
		sb_printf(&sb, "  s%zu = 10.2.%zu.%zu/28\n", i, i / 16, i % 16 * 16);
	sb_puts(&sb, "} }\nhub hub -> old { transit = nva }\n");
	struct peerc_result *r = compile_to(sb.buf, PEERC_TARGET_NONE);
	ck_assert_ptr_nonnull(r->model);
	ck_assert(!plan_build(&p, r->model, "out", r->arena, &r->diags));
	ck_assert_uint_eq(r->diags.nerrors, 1);
	ck_assert_str_eq(r->diags.items[0].name, "template-size");
	/* at the VNet's name */
	ck_assert_int_eq(strncmp(sb.buf + r->diags.items[0].loc.start, "old ", 4), 0);
	ck_assert_uint_eq(r->diags.items[0].nnotes, 1);
	ck_assert_ptr_nonnull(strstr(r->diags.items[0].notes[0].msg, "transit_routes = false"));
	sb_free(&sb);
	peerc_result_free(r);

	/* Too many bytes for one deployment: a created transit spoke of 3,000
	 * long-named subnets, each naming the table. */
	sb_init(&sb);
	sb_puts(&sb, "defaults { subscription = " SUB " resource_group = rg location = westeurope }\n"
		     "vnet hub 172.16.0.0/16 { nva = 172.16.1.4 subnets { fw = 172.16.1.0/24 } }\n"
		     "vnet big 10.0.0.0/12 { subnets {\n");
	for (size_t i = 0; i < 3000; i++)
		sb_printf(&sb, "  s%04zu%070d = 10.%zu.%zu.%zu/28\n", i, 0, i / 4096,
			  i / 16 % 256, i % 16 * 16);
	sb_puts(&sb, "} }\nhub hub -> big { transit = nva }\n");
	r = compile_to(sb.buf, PEERC_TARGET_NONE);
	ck_assert_ptr_nonnull(r->model);
	ck_assert(!plan_build(&p, r->model, "out", r->arena, &r->diags));
	ck_assert_uint_eq(r->diags.nerrors, 1);
	ck_assert_ptr_nonnull(strstr(r->diags.items[0].msg, "bytes in one deployment"));
	ck_assert_int_eq(strncmp(sb.buf + r->diags.items[0].loc.start, "big ", 4), 0);
	ck_assert_ptr_nonnull(strstr(r->diags.items[0].notes[0].msg, "shorter names"));
	sb_free(&sb);
	peerc_result_free(r);
}
END_TEST

/* With create_resource_groups: the main templates at the subscription,
 * the groups the main subscription's top level, every other resource
 * nested and waiting for its group. */
START_TEST(created_groups)
{
	struct plan p;
	struct peerc_result *r = planned(
		"defaults { subscription = " SUB " resource_group = rg-a location = westeurope\n"
		"  create_resource_groups }\n"
		"vnet aa 10.0.0.0/16\n"
		"vnet bb 10.1.0.0/16 { resource_group = \"rg-b\"\n"
		"  subscription = \"22222222-2222-2222-2222-222222222222\" }\n"
		"peer aa <-> bb\n", &p);

	ck_assert(p.subscription_scope);
	ck_assert(p.deployments[0].top);
	ck_assert_uint_eq(p.deployments[0].nresources, 1);
	const struct plan_deployment *g = named(&p, "peerc-out-sub2-groups");
	ck_assert_uint_eq(g->phase, PLAN_GROUPS);
	const struct plan_deployment *n = named(&p, "peerc-out-rg-a-network");
	ck_assert_uint_eq(n->nwaits, 1);
	ck_assert(p.deployments[p.waits[n->waits].deployment].top);
	ck_assert_uint_eq(p.waits[n->waits].resource.kind, PLAN_GROUP);
	n = named(&p, "peerc-out-rg-b-network");
	ck_assert_uint_eq(n->nwaits, 1);
	ck_assert_ptr_eq(&p.deployments[p.waits[n->waits].deployment], g);
	assert_well_ordered(&p);
	peerc_result_free(r);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, base_names);
	tcase_add_test(tc, deployment_names);
	tcase_add_test(tc, a_group_past_800_resources);
	tcase_add_test(tc, stages_in_order);
	tcase_add_test(tc, estimates_hold);
	tcase_add_test(tc, unit_past_the_limits);
	tcase_add_test(tc, created_groups);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
