/* The name checks: every name peerc writes against Azure's rule for its
 * kind of resource (names.c), and the IDs and groups they live in. */
#include "common.h"

#include <ctype.h>

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "names.h"
#include "resolve.h"
#include "util.h"

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

/* Room for name_problem's longest reason. */
#define WHY_LEN 64

void check_invalid_vnet_name(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[WHY_LEN];

	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		const char *why = name_problem(NAME_VNET, v->name, buf, sizeof(buf));
		if (why)
			check_report(ctx, ctx->sema->vnets[i].name.loc,
				     "'%s' is not a valid Azure VNet name: %s",
				     v->name, why);
	}
}

void check_invalid_subnet_name(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[WHY_LEN];

	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		for (size_t k = 0; k < v->nsubnets; k++) {
			const char *why = name_problem(NAME_SUBNET, v->subnets[k].name,
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
	char buf[WHY_LEN];

	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const struct m_side *sd = &p->side[k];
			const struct s_side *ss = &s->peerings[i].side[k];
			const char *why = name_problem(NAME_PEERING, sd->name, buf,
						       sizeof(buf));
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

/* The parts joined by '/' in lower case: Azure compares names, groups
 * and GUIDs without case. Built directly: one key per VNet or peering. */
static const char *lower_key(struct arena *a, const char *const *part, int n)
{
	size_t len[3], total = 0;

	for (int i = 0; i < n; i++)
		total += (len[i] = strlen(part[i])) + 1;
	char *key = arena_alloc(a, total), *p = key;
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < len[i]; k++)
			*p++ = ascii_lower(part[i][k]);
		*p++ = i + 1 < n ? '/' : '\0';
	}
	return key;
}

/* "SUB/GROUP/NAME": a VNet or route table name is unique in its group. */
static const char *group_key(struct arena *a, const char *sub, const char *rg,
			     const char *name)
{
	const char *part[3] = { sub ? sub : "", rg ? rg : "", name };

	return lower_key(a, part, 3);
}

/* "INDEX/NAME": a peering name is unique in its VNet. */
static const char *vnet_key(struct arena *a, size_t vnet, const char *name)
{
	char num[24], *d = num + sizeof(num);

	*--d = '\0';
	do
		*--d = (char)('0' + vnet % 10);
	while ((vnet /= 10) != 0);
	const char *part[2] = { d, name };
	return lower_key(a, part, 2);
}

/* Peering names are unique within their VNet, ignoring case as Azure does. */
void check_duplicate_peering_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strmap seen;

	strmap_init_n(&seen, ctx->arena, 2 * s->model.npeerings);
	for (size_t i = 0; i < s->model.npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[i];
		for (int k = 0; k < 2; k++) {
			const char *key = vnet_key(ctx->arena, p->side[k].vnet->index,
						   p->side[k].name);
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

/* A gateway's name, given or made from its VNet's, and the names peerc
 * makes from it for a created gateway's public IP addresses ("pip-NAME",
 * "pip-NAME-2"): a long gateway name gives a public IP name past 80. One
 * report per gateway. */
void check_invalid_gateway_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[WHY_LEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_gateway *gw = s->model.vnets[i].gw;
		struct loc at = s->vnets[i].gateway_name_loc;
		if (!gw || !gw->name)
			continue;
		const char *why = name_problem(NAME_GATEWAY, gw->name, buf, sizeof(buf));
		if (why) {
			check_report(ctx, at, "'%s' is not a valid Azure virtual network "
				     "gateway name: %s", gw->name, why);
			continue;
		}
		for (size_t k = 0; gw->source == GWSRC_CREATED && k < gw->npublic_ips; k++) {
			why = name_problem(NAME_PUBLIC_IP, gw->public_ips[k], buf, sizeof(buf));
			if (!why)
				continue;
			check_report(ctx, at, "the public IP address of the gateway of '%s' "
				     "would be named '%s', not a valid Azure name: %s; set a "
				     "shorter gateway 'name'", s->model.vnets[i].handle,
				     gw->public_ips[k], why);
			break;
		}
	}
}

void check_invalid_resource_group(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct once defaults = { false };
	char buf[WHY_LEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const struct s_origin *org = &s->vnets[i].resource_group;
		if (!v->resource_group || !first_time(&defaults, org))
			continue;
		const char *why = name_problem(NAME_RESOURCE_GROUP, v->resource_group,
					       buf, sizeof(buf));
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

/* ------------------------------------------------ one name per group */

/* resource-name-rules: virtualNetworks are scoped to the resource group. */
void check_duplicate_vnet_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strmap seen;

	strmap_init_n(&seen, ctx->arena, s->model.nvnets);
	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		const char *key = group_key(ctx->arena, v->subscription,
					    v->resource_group, v->name);
		const struct m_vnet *first = strmap_put(&seen, key, (void *)(uintptr_t)v);
		if (!first)
			continue;
		struct diag *d = check_report(ctx, s->vnets[i].name.loc,
			"VNet '%s' has the Azure name '%s' of VNet '%s', in the same "
			"resource group '%s' (Azure compares names without case)",
			v->handle, v->name, first->handle, v->resource_group);
		diag_note(ctx->diags, d, s->vnets[first->index].name.loc,
			  "'%s' is named here", first->handle);
	}
}

/* Where a route table's name comes from: its pattern, else the spoke
 * (whose name the built-in pattern takes). */
static struct loc rt_name_loc(const struct sema *s, size_t i)
{
	const struct s_hub *h = &s->hubs[s->route_table_hub[i]];

	return loc_is_none(h->rt_pattern_loc) ? h->transit_loc : h->rt_pattern_loc;
}

/* A route table's name comes from route_table_name ({spoke}, {hub}); the
 * built-in pattern is made short enough in expand.c. One pattern may name
 * many tables: it is reported once, with the first bad name it makes. */
void check_invalid_route_table_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strmap said;
	char buf[WHY_LEN];

	strmap_init(&said, ctx->arena);
	for (size_t i = 0; i < s->model.nroute_tables; i++) {
		const struct m_route_table *rt = &s->model.route_tables[i];
		const char *why = name_problem(NAME_ROUTE_TABLE, rt->name, buf,
					       sizeof(buf));
		struct loc at = rt_name_loc(s, i);
		if (!why || strmap_put(&said, arena_printf(ctx->arena, "%u", at.start),
				       &said))
			continue;
		check_report(ctx, at,
			     "the transit route table of '%s' would be named '%s', "
			     "not a valid Azure name: %s", rt->vnet->handle,
			     rt->name, why);
	}
}

void check_duplicate_route_table_name(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct strmap seen;

	strmap_init_n(&seen, ctx->arena, s->model.nroute_tables);
	for (size_t i = 0; i < s->model.nroute_tables; i++) {
		const struct m_route_table *rt = &s->model.route_tables[i];
		const char *key = group_key(ctx->arena, rt->vnet->subscription,
					    rt->vnet->resource_group, rt->name);
		uintptr_t prev = (uintptr_t)strmap_put(&seen, key, (void *)(i + 1));
		if (!prev)
			continue;
		const struct m_route_table *first = &s->model.route_tables[prev - 1];
		struct diag *d = check_report(ctx, rt_name_loc(s, i),
			"the transit route tables of '%s' and '%s' would both be named "
			"'%s' in resource group '%s'; set a 'route_table_name' "
			"pattern with {spoke}", first->vnet->handle, rt->vnet->handle,
			rt->name, rt->vnet->resource_group);
		struct loc there = rt_name_loc(s, prev - 1);
		if (there.start != rt_name_loc(s, i).start)
			diag_note(ctx->diags, d, there, "the first one is named here");
	}
}
