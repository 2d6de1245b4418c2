/* ARM JSON back end: the deployment plan (plan.h) rendered by
 * templates/arm/azuredeploy.json.tmpl, once for each stage's main template
 * and once for every nested deployment's inner template (the engine has no
 * partials, so an inner template is rendered first and passed to its
 * deployment as raw JSON). Every value is listed in templates/README.md.
 *
 * Each stage's main template is deployed to the home group (model.groups[0]
 * in model.subscriptions[0]); the plan says which resources are its own and
 * which go in which nested deployment, and what every deployment waits for.
 * Within one template a resource depends on exactly what it needs; a
 * nested deployment depends on others as a whole. */
#include "common.h"

#include "apiversions.h"
#include "emit.h"
#include "model.h"
#include "plan.h"
#include "util.h"

#define T_VNET "Microsoft.Network/virtualNetworks"
#define T_PEERING "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
#define T_SUBNET "Microsoft.Network/virtualNetworks/subnets"
#define T_ROUTE_TABLE "Microsoft.Network/routeTables"
#define T_DEPLOYMENT "Microsoft.Resources/deployments"
#define T_GATEWAY "Microsoft.Network/virtualNetworkGateways"
#define T_PUBLIC_IP "Microsoft.Network/publicIPAddresses"
#define T_GROUP "Microsoft.Resources/resourceGroups"

/* Where resources live: a resource group, or a subscription (rg ""). */
struct place {
	const char *sub, *rg;
};

/* One template document: a stage's main template or a nested deployment's. */
struct scope {
	struct place at;       /* where its resources live */
	bool main;
	uint32_t stage;
	const char *name;      /* the deployment's name; NULL for a main */
	struct tval *vnets, *route_tables, *subnets, *public_ips, *gateways;
	struct tval *peerings, *deployments, *resource_groups;
	struct tval *params;   /* declarations */
	struct strmap param_seen;
	/* Nested only: the deployment's parameter values and dependsOn. */
	struct tval *args, *depends;
};

/* A location parameter of the main templates: one per region. */
struct region {
	const char *name, *what;
	struct tval *dflt;  /* the region, as the parameter's default */
	struct tval *ref;   /* "[parameters('NAME')]" */
};

/* The values of one stage are built, rendered and thrown away before the
 * next stage's (in the arena a, emptied after each), so that a run holds
 * one stage's values and text (up to 4 MB of output), not the whole
 * output's: what outlives a stage is in keep. */
struct arm {
	struct arena *a;         /* the stage's values */
	struct arena *keep;
	const struct model *m;
	struct plan p;
	struct place home;       /* where the main templates deploy to */
	struct scope *main;      /* the stage's main template */
	struct scope **nested;   /* per deployment of the stage; NULL for a top one */
	const char **stage_files; /* per stage: its file name */
	struct strmap region_param; /* region -> struct region */
	struct strmap param_names;  /* lower-cased names in use in the mains */
	/* Where an expression is built before its copy in the arena: kept
	 * from one to the next (hundreds of thousands a run). */
	struct strbuf text, json;
};

/* ------------------------------------------------------------ expressions */

/* An ARM string literal inside an expression: single quotes, doubled. */
static void put_arm_literal(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_putc(sb, '\'');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '\'');
}

/* t->text emptied, for an expression to be built in. */
static struct strbuf *text_buffer(struct arm *t)
{
	sb_reset(&t->text);
	return &t->text;
}

static const char *text_copy(struct arm *t)
{
	return arena_strndup(t->a, t->text.buf, t->text.len);
}

/* Whether JSON writes s as it is between its quotes: RFC 8259 escapes
 * only '"', '\\' and the control characters, which the names in nearly
 * every expression do not have. */
static bool json_plain(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

/* "[text]" as a JSON string: a raw value, since the engine would escape
 * the brackets of a string value. */
static struct tval *expr_value(struct arm *t, const char *text)
{
	struct strbuf *sb;

	if (json_plain(text)) {
		size_t n = strlen(text);
		char *v = arena_alloc(t->a, n + 5);
		memcpy(v, "\"[", 2);
		memcpy(v + 2, text, n);
		memcpy(v + 2 + n, "]\"", 3);
		return tv_raw(t->a, v);
	}
	sb = text_buffer(t);
	sb_putc(sb, '[');
	sb_puts(sb, text);
	sb_putc(sb, ']');
	sb_reset(&t->json);
	tmpl_quote(TMPL_JSON, sb->buf, &t->json);
	return tv_raw(t->a, arena_strndup(t->a, t->json.buf, t->json.len));
}

/* resourceId() as seen from a template deployed to `from`, with the
 * subscription and group arguments only where they differ. names is a
 * NULL-terminated list. From a template deployed to a subscription (rg "")
 * the group is always given: resourceId('GROUP', TYPE, NAME) is how such
 * a template names a resource in a group ("ARM template functions in
 * deployment scopes"). */
static const char *resource_id(struct arm *t, struct place from, struct place to,
			       const char *type, const char *const *names)
{
	struct strbuf *sb = text_buffer(t);

	sb_puts(sb, "resourceId(");
	if (strcmp(from.sub, to.sub) != 0) {
		put_arm_literal(sb, to.sub);
		sb_puts(sb, ", ");
	}
	if (strcmp(from.sub, to.sub) != 0 || strcmp(from.rg, to.rg) != 0) {
		put_arm_literal(sb, to.rg);
		sb_puts(sb, ", ");
	}
	put_arm_literal(sb, type);
	for (; *names; names++) {
		sb_puts(sb, ", ");
		put_arm_literal(sb, *names);
	}
	sb_putc(sb, ')');
	return text_copy(t);
}

static const char *parameter_ref(struct arm *t, const char *name)
{
	struct strbuf *sb = text_buffer(t);

	sb_puts(sb, "parameters(");
	put_arm_literal(sb, name);
	sb_putc(sb, ')');
	return text_copy(t);
}

/* ------------------------------------------------------------------ places */

static struct place group_place(const struct arm *t, size_t g)
{
	return (struct place){ t->m->groups[g].subscription, t->m->groups[g].resource_group };
}

static struct scope *scope_of(const struct arm *t, uint32_t d)
{
	return t->p.deployments[d].top ? t->main : t->nested[d];
}

static struct scope *scope_at(const struct arm *t, struct plan_ref r)
{
	return scope_of(t, plan_at(&t->p, r));
}

/* ----------------------------------------------------------------- scopes */

static struct scope *new_scope(struct arm *t, struct place at, uint32_t stage)
{
	struct arena *a = t->a;
	struct scope *s = arena_alloc(a, sizeof(*s));

	s->at = at;
	s->stage = stage;
	s->vnets = tv_list(a);
	s->route_tables = tv_list(a);
	s->subnets = tv_list(a);
	s->public_ips = tv_list(a);
	s->gateways = tv_list(a);
	s->peerings = tv_list(a);
	s->deployments = tv_list(a);
	s->resource_groups = tv_list(a);
	s->params = tv_list(a);
	s->args = tv_list(a);
	s->depends = tv_list(a);
	strmap_init(&s->param_seen, a);
	return s;
}

static void declare_typed(struct arm *t, struct scope *s, const char *name,
			  const char *type, struct tval *dflt, const char *description)
{
	if (strmap_put(&s->param_seen, name, s))
		return;
	struct tval *p = tv_object(t->a);
	tv_set(t->a, p, "name", tv_string(t->a, name));
	tv_set(t->a, p, "type", tv_string(t->a, type));
	tv_set(t->a, p, "default", dflt ? dflt : tv_string(t->a, ""));
	tv_set(t->a, p, "description", tv_string(t->a, description));
	tv_push(t->a, s->params, p);
}

/* A nested scope's parameter and the main template's value for it. */
static void pass_typed(struct arm *t, struct scope *s, const char *name, const char *type,
		       struct tval *value, const char *description)
{
	if (strmap_get(&s->param_seen, name))
		return;
	declare_typed(t, s, name, type, NULL, description);
	struct tval *arg = tv_object(t->a);
	tv_set(t->a, arg, "name", tv_string(t->a, name));
	tv_set(t->a, arg, "value", value);
	tv_push(t->a, s->args, arg);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Parameter names are letters, digits and '_', so that Bicep can use the
 * same names. */
static char *param_text(struct arena *a, const char *want)
{
	char *n = arena_strdup(a, want);

	for (char *p = n; *p; p++)
		if (!name_char(*p))
			*p = '_';
	return n;
}

/* The parameter of the main templates for `region`, named on its first
 * use in the order the whole output uses them (name_regions), so that a
 * stage's names do not depend on the stages before it: unique
 * case-insensitively. */
static void name_region(struct arm *t, const char *region)
{
	struct arena *was = t->a;
	struct region *rg;

	if (!region || strmap_get(&t->region_param, region))
		return;
	t->a = t->keep;
	rg = arena_alloc(t->a, sizeof(*rg));
	rg->name = unique_name(t->a, &t->param_names, param_text(t->a,
		arena_printf(t->a, "location_%s", region)), "_", true, NULL);
	rg->what = arena_printf(t->a, "The region peerc places in %s", region);
	rg->dflt = tv_string(t->a, region);
	rg->ref = expr_value(t, parameter_ref(t, rg->name));
	strmap_put(&t->region_param, region, rg);
	t->a = was;
}

/* Every region in the order build_stage uses them. */
static void name_regions(struct arm *t)
{
	const struct model *m = t->m;

	for (size_t g = 0; t->p.subscription_scope && g < m->ngroups; g++)
		if (m->groups[g].create)
			name_region(t, m->groups[g].location);
	for (size_t i = 0; i < m->nvnets; i++)
		if (!m->vnets[i].existing)
			name_region(t, m->vnets[i].location);
	for (size_t i = 0; i < m->nroute_tables; i++)
		name_region(t, m->route_tables[i].vnet->location);
	for (size_t i = 0; i < m->nvnets; i++)
		if (plan_creates_gateway(&m->vnets[i]))
			name_region(t, m->vnets[i].location);
}

/* The location of a resource in scope s, in `region`: one parameter of the
 * main template per region, with the region as its default, passed down to
 * the nested deployments that need it. */
static struct tval *location_value(struct arm *t, struct scope *s, const char *region)
{
	struct region *rg = strmap_get(&t->region_param, region);

	declare_typed(t, t->main, rg->name, "string", rg->dflt, rg->what);
	if (!s->main)
		pass_typed(t, s, rg->name, "string", rg->ref, rg->what);
	return rg->ref;
}

/* subscriptionResourceId() of a resource of subscription sub, as a
 * template deployed to the main subscription names it. */
static const char *subscription_id(struct arm *t, const char *sub, const char *type,
				   const char *name)
{
	struct strbuf *sb = text_buffer(t);

	sb_puts(sb, "subscriptionResourceId(");
	if (strcmp(sub, t->home.sub) != 0) {
		put_arm_literal(sb, sub);
		sb_puts(sb, ", ");
	}
	put_arm_literal(sb, type);
	sb_puts(sb, ", ");
	put_arm_literal(sb, name);
	sb_putc(sb, ')');
	return text_copy(t);
}

/* The deployment of scope s (nested) as the main template names it. */
static const char *deployment_id(struct arm *t, const struct scope *s)
{
	const char *dn[] = { s->name, NULL };

	if (!*s->at.rg)
		return subscription_id(t, s->at.sub, T_DEPLOYMENT, s->name);
	return resource_id(t, t->home, s->at, T_DEPLOYMENT, dn);
}

static const char *ref_id(struct arm *t, struct place from, struct plan_ref r)
{
	const char *type, *names[3];
	size_t g = plan_resource(&t->p, r, &type, names);

	if (r.kind == PLAN_GROUP)
		return subscription_id(t, t->m->groups[g].subscription, T_GROUP, names[0]);
	return resource_id(t, from, group_place(t, g), type, names);
}

/* The dependsOn of resource r, in scope s: what it waits for in s, and,
 * from a main template, the deployments of its stage that hold the rest (a
 * nested deployment waits as a whole: struct plan_deployment). */
static struct tval *waits(struct arm *t, struct scope *s, struct plan_ref r)
{
	struct plan_wait w[PLAN_MAX_WAITS];
	size_t n = plan_depends(&t->p, r, w);
	struct tval *deps = tv_list(t->a);

	for (size_t i = 0; i < n; i++) {
		struct scope *at = scope_of(t, w[i].deployment);
		tv_push(t->a, deps, expr_value(t, at == s ? ref_id(t, s->at, w[i].resource) :
						deployment_id(t, at)));
	}
	return deps;
}

/* ------------------------------------------------------------------ values */

/* An empty tag value would be a blank the ARM test toolkit rejects; the
 * expression gives the same empty string. */
static struct tval *tags_value(struct arm *t, const struct m_tag *tags, size_t n)
{
	struct tval *o = tv_object(t->a);

	for (size_t i = 0; i < n; i++)
		tv_set(t->a, o, tags[i].key, *tags[i].value ?
		       tv_string(t->a, tags[i].value) : expr_value(t, "string('')"));
	return o;
}

/* A route table as a resource of scope s names it (a VNet names the tables
 * that live in it, so they share its scope). */
struct table_in {
	struct arm *t;
	struct scope *s;
};

static struct tval *table_ref(void *ctx, const struct m_route_table *rt)
{
	const struct table_in *in = ctx;
	const char *names[] = { rt->name, NULL };

	return expr_value(in->t, resource_id(in->t, in->s->at, in->s->at, T_ROUTE_TABLE, names));
}

static void add_vnet(struct arm *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	struct plan_ref r = { PLAN_VNET, (uint32_t)v->index, 0 };
	struct scope *s = scope_at(t, r);
	struct table_in in = { t, s };
	struct tval *deps = waits(t, s, r);
	struct tval *o = emit_vnet(a, v, location_value(t, s, v->location),
				   tags_value(t, v->tags, v->ntags), table_ref, &in);

	tv_set(a, o, "depends_on", deps);
	tv_push(a, s->vnets, o);
}

/* base, or base_2, ... when scope s has it: "a-b" and "a.b" would both be
 * location_of_a_b. */
static const char *free_param(struct arm *t, struct scope *s, const char *base)
{
	const char *name = base;

	for (unsigned k = 2; strmap_get(&s->param_seen, name); k++)
		name = arena_printf(t->a, "%s_%u", base, k);
	return name;
}

/* The location of an existing spoke the file gives none for, read from
 * Azure by the main template. */
static struct tval *looked_up_location(struct arm *t, struct scope *s,
				       const struct m_vnet *v)
{
	const char *names[] = { v->name, NULL };
	const char *base = param_text(t->a, arena_printf(t->a, "location_of_%s", v->name));
	const char *ref = arena_printf(t->a, "reference(%s, '%s', 'Full').location",
		resource_id(t, t->home, group_place(t, v->group), T_VNET, names),
		api_version_for(t->m, T_VNET));
	const char *name = free_param(t, s, base);

	pass_typed(t, s, name, "string", expr_value(t, ref),
		   arena_printf(t->a, "The region of the existing VNet %s", v->name));
	return expr_value(t, parameter_ref(t, name));
}

/* An existing spoke's subnets are not peerc's: a subnet resource is a PUT
 * of the whole subnet, so each is written as it is in Azure with only its
 * route table set, as azurerm's association does (GET, set routeTable,
 * PUT). The template cannot read a resource it writes (reference() would
 * depend on itself), so the main template reads the live subnet and passes
 * its properties in; read-only ones among them are ignored by the PUT, as
 * azurerm's whole GET body is. Azure takes one subnet write of a VNet at a
 * time, so they form a chain. */
static void link_subnets(struct arm *t, const struct m_vnet *v)
{
	struct arena *a = t->a;

	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_route_table *rt = v->subnets[i].route_table;
		if (!rt)
			continue;
		struct plan_ref r = { PLAN_SUBNET, (uint32_t)v->index, (uint32_t)i };
		struct scope *s = scope_at(t, r);
		const char *rt_names[] = { rt->name, NULL };
		const char *rt_id = resource_id(t, s->at, s->at, T_ROUTE_TABLE, rt_names);
		struct tval *o = tv_object(a);
		const char *names[] = { v->name, v->subnets[i].name, NULL };
		const char *param = free_param(t, s, param_text(a, arena_printf(a,
			"subnet_%s_%s", v->name, v->subnets[i].name)));
		pass_typed(t, s, param, "object", expr_value(t, arena_printf(a,
			"reference(%s, '%s')", resource_id(t, t->home,
			group_place(t, v->group), T_SUBNET, names), api_version_for(t->m, T_SUBNET))),
			arena_printf(a, "The subnet %s of the existing VNet %s as it is",
				     v->subnets[i].name, v->name));
		tv_set(a, o, "depends_on", waits(t, s, r));
		tv_set(a, o, "name", tv_string(a, arena_printf(a, "%s/%s", v->name,
								 v->subnets[i].name)));
		tv_set(a, o, "properties", expr_value(t, arena_printf(a,
			"union(%s, createObject('routeTable', createObject('id', %s)))",
			parameter_ref(t, param), rt_id)));
		tv_push(a, s->subnets, o);
	}
}

static void add_route_table(struct arm *t, const struct m_route_table *rt)
{
	struct arena *a = t->a;
	const struct m_vnet *v = rt->vnet;
	size_t i = (size_t)(rt - t->m->route_tables);
	struct scope *s = scope_at(t, (struct plan_ref){ PLAN_ROUTE_TABLE, (uint32_t)i, 0 });
	struct tval *o = tv_object(a);

	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "location", v->location ? location_value(t, s, v->location) :
					       looked_up_location(t, s, v));
	tv_set(a, o, "routes", emit_routes(a, rt));
	tv_set(a, o, "propagate", tv_bool(a, rt->propagate));
	tv_set(a, o, "tags", tags_value(t, v->tags, v->ntags));
	tv_push(a, s->route_tables, o);
}

/* ----------------------------------------------------------------- gateways */

static void add_gateway(struct arm *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct m_gateway *gw = v->gw;
	struct plan_ref r = { PLAN_GATEWAY, (uint32_t)v->index, 0 };
	struct scope *s = scope_at(t, r);
	struct tval *o = tv_object(a), *configs = tv_list(a);
	const char *subnet[] = { v->name, "GatewaySubnet", NULL };

	for (size_t k = 0; k < gw->npublic_ips; k++) {
		struct tval *ip = tv_object(a), *c = tv_object(a);
		const char *names[] = { gw->public_ips[k], NULL };
		tv_set(a, ip, "name", tv_string(a, gw->public_ips[k]));
		tv_set(a, ip, "location", location_value(t, s, v->location));
		tv_set(a, ip, "zones", tv_bool(a, gw->zones));
		tv_set(a, ip, "tags", tags_value(t, v->tags, v->ntags));
		tv_push(a, s->public_ips, ip);
		tv_set(a, c, "name", tv_string(a, k ? "vnetGatewayConfig2" : "vnetGatewayConfig"));
		tv_set(a, c, "subnet_id", expr_value(t, resource_id(t, s->at, s->at, T_SUBNET, subnet)));
		tv_set(a, c, "public_ip_id", expr_value(t, resource_id(t, s->at, s->at,
							T_PUBLIC_IP, names)));
		tv_push(a, configs, c);
	}
	tv_set(a, o, "depends_on", waits(t, s, r));
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "location", location_value(t, s, v->location));
	tv_set(a, o, "tags", tags_value(t, v->tags, v->ntags));
	emit_gateway_settings(a, o, v);
	tv_set(a, o, "ip_configurations", configs);
	tv_push(a, s->gateways, o);
}

/* ------------------------------------------------------------------ groups */

/* A resource group the file asks peerc to create, in the region of its
 * first created VNet. */
static void add_group(struct arm *t, size_t g)
{
	struct scope *s = scope_at(t, (struct plan_ref){ PLAN_GROUP, (uint32_t)g, 0 });
	struct tval *o = tv_object(t->a);

	tv_set(t->a, o, "name", tv_string(t->a, t->m->groups[g].resource_group));
	tv_set(t->a, o, "location", location_value(t, s, t->m->groups[g].location));
	tv_set(t->a, o, "tags", tags_value(t, t->m->groups[g].tags, t->m->groups[g].ntags));
	tv_push(t->a, s->resource_groups, o);
}

/* ---------------------------------------------------------------- peerings */

static void add_side(struct arm *t, size_t side)
{
	struct arena *a = t->a;
	const struct m_peering *p = &t->m->peerings[side / 2];
	const struct m_side *sd = &p->side[side % 2];
	const struct m_vnet *local = sd->vnet, *remote = p->side[!(side % 2)].vnet;
	struct plan_ref r = { PLAN_SIDE, (uint32_t)side, 0 };
	struct scope *s = scope_at(t, r);
	struct tval *o = tv_object(a);
	const char *remote_names[] = { remote->name, NULL };

	tv_set(a, o, "depends_on", waits(t, s, r));
	tv_set(a, o, "name", tv_string(a, arena_printf(a, "%s/%s", local->name, sd->name)));
	tv_set(a, o, "remote_id", expr_value(t, resource_id(t, s->at,
		group_place(t, remote->group), T_VNET, remote_names)));
	tv_set(a, o, "allow_virtual_network_access", tv_bool(a, sd->setting[SET_ACCESS]));
	tv_set(a, o, "allow_forwarded_traffic", tv_bool(a, sd->setting[SET_FORWARDED]));
	tv_set(a, o, "allow_gateway_transit", tv_bool(a, sd->setting[SET_GATEWAY_TRANSIT]));
	tv_set(a, o, "use_remote_gateways", tv_bool(a, sd->setting[SET_REMOTE_GATEWAY]));
	tv_push(a, s->peerings, o);
}

/* --------------------------------------------------------------- documents */

static struct tval *api_values(struct arm *t)
{
	struct tval *o = tv_object(t->a);

	tv_set(t->a, o, "virtual_networks", tv_string(t->a, api_version_for(t->m, T_VNET)));
	tv_set(t->a, o, "peerings", tv_string(t->a, api_version_for(t->m, T_PEERING)));
	tv_set(t->a, o, "subnets", tv_string(t->a, api_version_for(t->m, T_SUBNET)));
	tv_set(t->a, o, "route_tables", tv_string(t->a, api_version_for(t->m, T_ROUTE_TABLE)));
	tv_set(t->a, o, "gateways", tv_string(t->a, api_version_for(t->m, T_GATEWAY)));
	tv_set(t->a, o, "public_ips", tv_string(t->a, api_version_for(t->m, T_PUBLIC_IP)));
	tv_set(t->a, o, "deployments", tv_string(t->a, api_version_for(t->m, T_DEPLOYMENT)));
	tv_set(t->a, o, "resource_groups", tv_string(t->a, api_version_for(t->m, T_GROUP)));
	return o;
}

/* What the whole output has in common: every document sees it. */
struct common {
	struct tval *peerc, *api;
};

static struct tval *document_values(struct arm *t, const struct scope *s,
				    const struct common *c, struct tval *meta)
{
	struct arena *a = t->a;
	struct tval *root = tv_object(a);

	tv_set(a, root, "peerc", c->peerc);
	tv_set(a, root, "main", tv_bool(a, s->main));
	tv_set(a, root, "version", tv_string(a, PACKAGE_VERSION));
	tv_set(a, root, "api", c->api);
	tv_set(a, root, "subscription_scope", tv_bool(a, !*s->at.rg && *s->at.sub));
	tv_set(a, root, "subscription_id", tv_string(a, s->at.sub));
	tv_set(a, root, "resource_group", tv_string(a, s->at.rg));
	tv_set(a, root, "location", tv_string(a, t->p.location ? t->p.location : ""));
	tv_set(a, root, "resource_groups", s->resource_groups);
	tv_set(a, root, "parameters", s->params);
	tv_set(a, root, "vnets", s->vnets);
	tv_set(a, root, "route_tables", s->route_tables);
	tv_set(a, root, "subnets", s->subnets);
	tv_set(a, root, "public_ips", s->public_ips);
	tv_set(a, root, "gateways", s->gateways);
	tv_set(a, root, "peerings", s->peerings);
	tv_set(a, root, "deployments", s->deployments);
	for (size_t i = 0; meta && i < meta->u.obj.n; i++)
		tv_set(a, root, meta->u.obj.keys[i], meta->u.obj.vals[i]);
	if (!meta) {
		tv_set(a, root, "description", tv_string(a, ""));
		tv_set(a, root, "required_groups", tv_list(a));
		tv_set(a, root, "created_groups", tv_list(a));
		tv_set(a, root, "stage", tv_int(a, 0));
		tv_set(a, root, "stages", tv_list(a));
	}
	return root;
}

/* A nested scope as a deployment of its stage's main template, its inner
 * template rendered in place. */
static bool add_deployment(struct arm *t, const struct tmpl *tm, struct peerc_result *r,
			   const struct plan_deployment *d, const struct common *c)
{
	struct arena *a = t->a;
	struct scope *s = t->nested[d - t->p.deployments];
	struct tval *o = tv_object(a);
	struct strbuf sb;
	bool to_sub = !*s->at.rg;
	bool other_sub = to_sub || strcmp(s->at.sub, t->home.sub) != 0;
	bool other_group = strcmp(s->at.rg, t->home.rg) != 0;

	for (uint32_t i = 0; i < d->nwaits; i++) {
		const struct plan_wait *w = &t->p.waits[d->waits + i];
		const struct scope *at = scope_of(t, w->deployment);
		tv_push(a, s->depends, expr_value(t, at->main ? ref_id(t, t->home, w->resource) :
						      deployment_id(t, at)));
	}
	sb_init(&sb);
	if (!tmpl_render(tm, document_values(t, s, c, NULL), &r->diags, &sb)) {
		sb_free(&sb);
		return false;
	}
	tv_set(a, o, "name", tv_string(a, s->name));
	/* A subscriptionId without a resourceGroup makes it a subscription
	 * deployment, which needs a location for its record. */
	tv_set(a, o, "subscription_id", tv_string(a, other_sub ? s->at.sub : ""));
	tv_set(a, o, "resource_group", tv_string(a, other_group ? s->at.rg : ""));
	tv_set(a, o, "location", tv_string(a, to_sub ? t->p.location : ""));
	tv_set(a, o, "depends_on", s->depends);
	tv_set(a, o, "parameters", s->args);
	tv_set(a, o, "template", tv_raw(a, arena_strdup(a, sb.buf)));
	tv_push(a, t->main->deployments, o);
	bool ok = sb.len <= PLAN_MAX_DEFINITION_BYTES;
	if (!ok)
		diag_add(&r->diags, DIAG_ERROR, "template-size", LOC_NONE,
			 "the ARM output's nested deployment '%s' is %zu bytes, and Azure "
			 "takes a resource definition of at most %d", s->name, sb.len,
			 PLAN_MAX_DEFINITION_BYTES);
	sb_free(&sb);
	return ok;
}

/* The home group, or with create_resource_groups the main subscription
 * (deployed in the region of the first group created). A file without
 * VNets deploys nothing, to no group in particular. */
static struct place home_place(const struct arm *t)
{
	static const struct place nowhere = { "", "" };
	const struct model *m = t->m;

	if (!m->ngroups)
		return nowhere;
	if (!t->p.subscription_scope)
		return (struct place){ m->groups[0].subscription, m->groups[0].resource_group };
	return (struct place){ m->subscriptions[0], "" };
}

/* Stage s's main template and nested deployments, in the stage's arena. */
static void make_scopes(struct arm *t, uint32_t s)
{
	const struct plan_stage *st = &t->p.stages[s];

	t->main = new_scope(t, t->home, s);
	t->main->main = true;
	for (uint32_t d = st->first; d < st->first + st->n; d++) {
		const struct plan_deployment *dp = &t->p.deployments[d];
		if (dp->top)
			continue;
		struct place at = group_place(t, dp->group);
		if (dp->phase == PLAN_GROUPS)
			at.rg = "";
		t->nested[d] = new_scope(t, at, s);
		t->nested[d]->name = dp->name;
	}
}

/* Stage s's resources, in the order of the whole output's (groups, VNets,
 * route tables, gateways, peering halves, each in model order), which
 * orders every list and parameter of its templates. */
static void build_stage(struct arm *t, uint32_t s)
{
	const struct model *m = t->m;
	const struct plan *p = &t->p;
	const struct plan_by_stage *gs = &p->groups_by_stage, *vs = &p->vnets_by_stage;
	const struct plan_by_stage *ts = &p->tables_by_stage, *ws = &p->gateways_by_stage;
	const struct plan_by_stage *ss = &p->sides_by_stage;

	make_scopes(t, s);
	for (uint32_t k = gs->start[s]; k < gs->start[s + 1]; k++)
		add_group(t, gs->at[k]);
	for (uint32_t k = vs->start[s]; k < vs->start[s + 1]; k++)
		add_vnet(t, &m->vnets[vs->at[k]]);
	/* an existing VNet's subnet writes, once each, after its first table */
	for (uint32_t k = ts->start[s]; k < ts->start[s + 1]; k++) {
		const struct m_vnet *v = m->route_tables[ts->at[k]].vnet;
		add_route_table(t, &m->route_tables[ts->at[k]]);
		if (v->existing && plan_first_table(p, ts->at[k]))
			link_subnets(t, v);
	}
	for (uint32_t k = ws->start[s]; k < ws->start[s + 1]; k++)
		add_gateway(t, &m->vnets[ws->at[k]]);
	for (uint32_t k = ss->start[s]; k < ss->start[s + 1]; k++)
		add_side(t, ss->at[k]);
}

static struct tval *group_value(struct arena *a, const struct m_group *g)
{
	struct tval *o = tv_object(a);

	tv_set(a, o, "subscriptionId", tv_string(a, g->subscription));
	tv_set(a, o, "resourceGroup", tv_string(a, g->resource_group));
	return o;
}

/* How to deploy stage s: to the home group, or to the subscription when
 * peerc creates groups. */
static const char *deploy_command(struct arm *t, uint32_t s)
{
	if (t->p.subscription_scope)
		return arena_printf(t->a, "Deploy to the subscription in deployTo, signed in "
			"with Network Contributor on every subscription the template names "
			"and the right to create resource groups: az deployment sub create "
			"--subscription %s --location %s --template-file %s.", t->home.sub,
			t->p.location, t->stage_files[s]);
	return arena_printf(t->a, "Deploy to the resource group and subscription in "
		"deployTo, signed in with Network Contributor on every subscription the "
		"template names: az deployment group create --subscription %s "
		"--resource-group %s --template-file %s.",
		t->home.sub[0] ? t->home.sub : "SUBSCRIPTION",
		t->home.rg[0] ? t->home.rg : "GROUP", t->stage_files[s]);
}

/* What stage s's metadata says: how to deploy it (and the stages after
 * it), what must exist first, how long a gateway takes. */
static struct tval *stage_meta(struct arm *t, uint32_t s)
{
	struct arena *a = t->a;
	struct tval *meta = tv_object(a), *files = tv_list(a), *required, *created;
	uint32_t n = t->p.nstages;
	const char *order = "";

	emit_stage_groups(a, &t->p, s, group_value, &required, &created);
	for (uint32_t k = 0; n > 1 && k < n; k++)
		tv_push(a, files, tv_string(a, t->stage_files[k]));
	if (n > 1)
		order = arena_printf(a, " This is stage %u of %u: Azure takes at most "
			"4 MB in one deployment, so the output is deployed in %u, one after "
			"the other, each with this command and its own file, from %s to %s%s.",
			s + 1, n, n, t->stage_files[0], t->stage_files[n - 1],
			s ? arena_printf(a, "; deploy it once %s has finished",
					 t->stage_files[s - 1]) : "");
	tv_set(a, meta, "stage", tv_int(a, n > 1 ? s + 1 : 0));
	tv_set(a, meta, "stages", files);
	tv_set(a, meta, "required_groups", required);
	tv_set(a, meta, "created_groups", created);
	tv_set(a, meta, "description", tv_string(a, arena_printf(a,
		"%s The nested deployments run in the order of their dependsOn.%s %s%s ARM "
		"templates cannot re-sync a peering after a peered VNet's address space "
		"changes (syncRemoteAddressSpace is a query parameter of the REST call, not "
		"part of the resource): after such a change run 'az network vnet peering "
		"sync' for each peering of that VNet, on both sides.", deploy_command(t, s),
		order, t->p.subscription_scope ? "peerc creates the resource groups in "
		"createdResourceGroups; the ones in requiredResourceGroups must exist first." :
		"peerc creates no resource group: the ones in requiredResourceGroups must "
		"exist first.", t->p.creates_gateway ? " Creating a virtual network gateway takes 30 to 45 "
		"minutes; the peerings that use or offer it wait for it, and every deployment "
		"sends the gateway again." : "")));
	return meta;
}

static bool render_stage(struct arm *t, const struct tmpl *tm, struct peerc_result *r,
			 uint32_t s, const struct common *c)
{
	const struct plan_stage *st = &t->p.stages[s];
	struct strbuf sb;
	bool ok = true;

	for (uint32_t i = st->first; i < st->first + st->n && ok; i++)
		if (!t->p.deployments[i].top)
			ok = add_deployment(t, tm, r, &t->p.deployments[i], c);
	if (!ok)
		return false;
	sb_init(&sb);
	ok = tmpl_render(tm, document_values(t, t->main, c, stage_meta(t, s)),
			 &r->diags, &sb);
	if (ok && sb.len > PLAN_MAX_REQUEST_BYTES) {
		diag_add(&r->diags, DIAG_ERROR, "template-size", LOC_NONE,
			 "the ARM output's %s is %zu bytes, and Azure takes a request of "
			 "at most %d", t->stage_files[s], sb.len, PLAN_MAX_REQUEST_BYTES);
		ok = false;
	}
	if (ok)
		emit_add_output(r, s ? t->stage_files[s] : NULL, sb.buf, sb.len);
	sb_free(&sb);
	return ok;
}

void emit_arm(const struct model *m, const struct peerc_options *opts,
	      struct peerc_result *r)
{
	struct arm t = { .keep = r->arena, .m = m };
	struct common c = { emit_peerc_values(r, opts, "azuredeploy.json"), NULL };
	const struct tmpl *tm = tmpl_load(r->arena, &r->diags, opts->template_dir,
		backend_find(PEERC_TARGET_ARM)->dir, "azuredeploy.json.tmpl", TMPL_ARM);
	const char *file = opts->output_name && strcmp(opts->output_name, "-") != 0 ?
			   opts->output_name : "azuredeploy.json";

	if (!tm || !plan_build(&t.p, m, plan_base(r->arena, opts->output_name,
						  r->source.name), r->arena, &r->diags))
		return;
	t.a = r->arena;
	sb_init(&t.text);
	sb_init(&t.json);
	strmap_init(&t.region_param, t.a);
	strmap_init(&t.param_names, t.a);
	c.api = api_values(&t);
	t.home = home_place(&t);
	t.nested = arena_alloc(t.a, (t.p.ndeployments + 1) * sizeof(*t.nested));
	t.stage_files = arena_alloc(t.a, (t.p.nstages + 1) * sizeof(*t.stage_files));
	for (uint32_t s = 0; s < t.p.nstages; s++)
		t.stage_files[s] = s ? emit_stage_file(t.a, file, s) : file;
	name_regions(&t);
	t.a = arena_new();
	for (uint32_t s = 0; s < t.p.nstages; s++) {
		build_stage(&t, s);
		bool ok = render_stage(&t, tm, r, s, &c);
		/* the stage is text now; its values point to nothing a later
		 * stage renders */
		arena_clear(t.a);
		if (!ok)
			break;
	}
	arena_free(t.a);
	sb_free(&t.text);
	sb_free(&t.json);
}
