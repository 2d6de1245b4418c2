/* ARM JSON back end: the model as one deployment template, rendered by
 * templates/arm/azuredeploy.json.tmpl once for the main template and once
 * for every nested deployment's inner template (the engine has no partials,
 * so an inner template is rendered first and passed to its deployment as
 * raw JSON). Every value is listed in templates/README.md.
 *
 * The main template is deployed to model.resource_group in
 * model.subscriptions[0] (the home group). A resource in any other group
 * goes in a nested deployment to that group, one per phase (enum
 * deploy_phase; model.groups names them, so the Bicep modules carry the
 * same names):
 *   network                its VNets and created spokes' route tables;
 *   existing-route-tables  existing spokes' route tables and subnet writes,
 *                          each the live subnet (read by the main template)
 *                          with the table set: even for the home group;
 *   gateways               created gateways and their public IPs;
 *   peerings               the halves that need no other half;
 *   remote-gateways        the halves that use the remote gateway.
 * Nested deployments depend on each other as wholes, and only on earlier
 * phases or earlier groups of the same phase (deploy.h), so never in a
 * cycle. In the home group everything else is top level and depends on
 * exactly what it needs. */
#include "common.h"

#include "apiversions.h"
#include "deploy.h"
#include "emit.h"
#include "model.h"
#include "util.h"

#define T_VNET "Microsoft.Network/virtualNetworks"
#define T_PEERING "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
#define T_SUBNET "Microsoft.Network/virtualNetworks/subnets"
#define T_ROUTE_TABLE "Microsoft.Network/routeTables"
#define T_DEPLOYMENT "Microsoft.Resources/deployments"
#define T_GATEWAY "Microsoft.Network/virtualNetworkGateways"
#define T_PUBLIC_IP "Microsoft.Network/publicIPAddresses"

/* A resource group of model.groups, with the scope of each of its
 * deployments (the model names them). */
struct group {
	const char *sub, *rg;
	const struct m_group *m;
	struct scope *phase[DEPLOY_PHASES];
};

/* One template document: the main template or a nested deployment's. */
struct scope {
	const struct group *g; /* where its resources live */
	bool main;
	const char *name;      /* the deployment's name; NULL for the main */
	struct tval *vnets, *route_tables, *subnets, *public_ips, *gateways;
	struct tval *peerings, *deployments;
	struct tval *params;   /* declarations */
	struct strmap param_seen;
	/* Nested only: the deployment's parameter values and dependsOn. */
	struct tval *args, *depends;
	struct strmap dep_seen;
};

/* What a peering half waits for before it names a VNet: the VNet when the
 * template creates it, the last of an existing VNet's subnet updates (a
 * VNet being updated is not ready for a peering: azure.md 6.3), else
 * nothing (scope NULL). */
struct anchor {
	struct scope *scope;
	const char *type;
	const char *names[3];
};

struct arm {
	struct arena *a;
	const struct model *m;
	struct group *groups; /* parallel to model.groups */
	size_t ngroups;
	struct group **vnet_group; /* parallel to model.vnets */
	struct anchor *anchor;     /* parallel to model.vnets */
	struct scope **gateway_scope; /* parallel to model.vnets: a created gateway's */
	struct scope **side_scope;  /* 2 * peering + side: where the half is */
	size_t (*chain)[2];         /* deploy_chain() */
	const char *description;    /* the main template's metadata */
	struct tval *required_groups;
	struct scope *main;
	struct strmap region_param; /* region -> parameter name */
	struct strmap param_names;  /* lower-cased names in use in the main */
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

/* "[text]" as a JSON string: a raw value, since the engine would escape
 * the brackets of a string value. */
static struct tval *expr_value(struct arm *t, const char *text)
{
	struct strbuf sb;
	sb_init(&sb);
	tmpl_quote(TMPL_JSON, arena_printf(t->a, "[%s]", text), &sb);
	struct tval *v = tv_raw(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return v;
}

/* resourceId() as seen from a template deployed to `from`, with the
 * subscription and group arguments only where they differ. names is a
 * NULL-terminated list. */
static const char *resource_id(struct arm *t, const struct group *from,
			       const struct group *to, const char *type,
			       const char *const *names)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "resourceId(");
	if (strcmp(from->sub, to->sub) != 0) {
		put_arm_literal(&sb, to->sub);
		sb_puts(&sb, ", ");
	}
	if (strcmp(from->sub, to->sub) != 0 || strcmp(from->rg, to->rg) != 0) {
		put_arm_literal(&sb, to->rg);
		sb_puts(&sb, ", ");
	}
	put_arm_literal(&sb, type);
	for (; *names; names++) {
		sb_puts(&sb, ", ");
		put_arm_literal(&sb, *names);
	}
	sb_putc(&sb, ')');
	const char *r = arena_strdup(t->a, sb.buf);
	sb_free(&sb);
	return r;
}

static const char *parameter_ref(struct arm *t, const char *name)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "parameters(");
	put_arm_literal(&sb, name);
	sb_putc(&sb, ')');
	const char *r = arena_strdup(t->a, sb.buf);
	sb_free(&sb);
	return r;
}

/* ----------------------------------------------------------------- groups */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-_.()", c);
}

/* ----------------------------------------------------------------- scopes */

static struct scope *new_scope(struct arm *t, const struct group *g)
{
	struct arena *a = t->a;
	struct scope *s = arena_alloc(a, sizeof(*s));

	s->g = g;
	s->vnets = tv_list(a);
	s->route_tables = tv_list(a);
	s->subnets = tv_list(a);
	s->public_ips = tv_list(a);
	s->gateways = tv_list(a);
	s->peerings = tv_list(a);
	s->deployments = tv_list(a);
	s->params = tv_list(a);
	s->args = tv_list(a);
	s->depends = tv_list(a);
	strmap_init(&s->param_seen, a);
	strmap_init(&s->dep_seen, a);
	return s;
}

/* Where a group's resources of one phase go: the main template for the
 * home group (but for DEPLOY_LOOKUP), else a nested deployment made on first
 * use. */
static struct scope *scope_for(struct arm *t, struct group *g, enum deploy_phase ph)
{
	if (g == t->main->g && ph != DEPLOY_LOOKUP)
		return t->main;
	if (!g->phase[ph]) {
		struct scope *s = new_scope(t, g);
		s->name = g->m->deployment[ph];
		g->phase[ph] = s;
	}
	return g->phase[ph];
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

static void declare_param(struct arm *t, struct scope *s, const char *name,
			  struct tval *dflt, const char *description)
{
	declare_typed(t, s, name, "string", dflt, description);
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

static void pass_param(struct arm *t, struct scope *s, const char *name,
		       struct tval *value, const char *description)
{
	pass_typed(t, s, name, "string", value, description);
}

/* Parameter names are letters, digits and '_', so that Bicep can use the
 * same names. */
static char *param_text(struct arena *a, const char *want)
{
	char *n = arena_strdup(a, want);

	for (char *p = n; *p; p++)
		if (!name_char(*p) || strchr("-.()", *p))
			*p = '_';
	return n;
}

/* A parameter name of the main template, unique case-insensitively. */
static char *main_param_name(struct arm *t, const char *want)
{
	return unique_name(t->a, &t->param_names, param_text(t->a, want), "_",
			   true, NULL);
}

/* The location of a resource in scope s, in `region`: one parameter of the
 * main template per region, with the region as its default, passed down to
 * the nested deployments that need it. */
static struct tval *location_value(struct arm *t, struct scope *s, const char *region)
{
	char *name = strmap_get(&t->region_param, region);
	const char *what = arena_printf(t->a, "The region peerc places in %s", region);

	if (!name) {
		name = main_param_name(t, arena_printf(t->a, "location_%s", region));
		strmap_put(&t->region_param, region, name);
		declare_param(t, t->main, name, tv_string(t->a, region), what);
	}
	if (s != t->main)
		pass_param(t, s, name, expr_value(t, parameter_ref(t, name)), what);
	return expr_value(t, parameter_ref(t, name));
}

/* A dependency of a resource in `from` (with its own dependsOn list `deps`)
 * on resource `names` of `type` in `to`. Within one template it is the
 * resource itself; across templates the dependent is the nested deployment
 * (or the main template's resource) and the dependency the other
 * deployment (or the main template's resource), both named from the main
 * template. */
static void depend(struct arm *t, struct scope *from, struct tval *deps,
		   struct scope *to, const char *type, const char *const *names)
{
	const char *id;

	if (from == to) {
		tv_push(t->a, deps, expr_value(t, resource_id(t, from->g, to->g, type, names)));
		return;
	}
	if (to == t->main) {
		id = resource_id(t, t->main->g, to->g, type, names);
	} else {
		const char *dn[] = { to->name, NULL };
		id = resource_id(t, t->main->g, to->g, T_DEPLOYMENT, dn);
	}
	if (from == t->main) {
		struct tval *v = expr_value(t, id);
		for (size_t i = 0; i < deps->u.list.n; i++)
			if (strcmp(deps->u.list.items[i]->u.str, v->u.str) == 0)
				return;
		tv_push(t->a, deps, v);
	} else if (!strmap_put(&from->dep_seen, id, from)) {
		tv_push(t->a, from->depends, expr_value(t, id));
	}
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

/* The resourceId() of the route table a subnet takes, in scope s (its
 * VNet's), or NULL. */
static const char *subnet_table_id(struct arm *t, struct scope *s, const struct m_subnet *sn)
{
	const char *names[] = { sn->route_table ? sn->route_table->name : NULL, NULL };

	return sn->route_table ? resource_id(t, s->g, s->g, T_ROUTE_TABLE, names) : NULL;
}

static struct tval *subnets_value(struct arm *t, struct scope *s, const struct m_vnet *v)
{
	struct tval *l = tv_list(t->a);

	for (size_t i = 0; i < v->nsubnets; i++) {
		struct tval *o = tv_object(t->a);
		const char *rt_id = subnet_table_id(t, s, &v->subnets[i]);
		tv_set(t->a, o, "name", tv_string(t->a, v->subnets[i].name));
		emit_subnet_prefixes(t->a, o, &v->subnets[i]);
		tv_set(t->a, o, "route_table_id", rt_id ? expr_value(t, rt_id) :
						  tv_string(t->a, ""));
		tv_push(t->a, l, o);
	}
	return l;
}

static void add_vnet(struct arm *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	struct scope *s = scope_for(t, t->vnet_group[v->index], DEPLOY_NETWORK);
	struct tval *o = tv_object(a), *dns = tv_list(a), *deps = tv_list(a);
	struct tval *space = tv_list(a);

	for (size_t i = 0; i < v->nspace; i++)
		tv_push(a, space, emit_prefix(a, &v->space[i]));
	for (size_t i = 0; i < v->ndns_servers; i++)
		tv_push(a, dns, emit_addr(a, &v->dns_servers[i]));
	/* the tables its subnets name: at most a transit and a GatewaySubnet one */
	const struct m_route_table *named[2] = { NULL, NULL };
	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_route_table *rt = v->subnets[i].route_table;
		const char *names[] = { rt ? rt->name : NULL, NULL };
		if (!rt || rt == named[0] || rt == named[1])
			continue;
		named[named[0] != NULL] = rt;
		depend(t, s, deps, s, T_ROUTE_TABLE, names);
	}
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "location", location_value(t, s, v->location));
	tv_set(a, o, "address_prefixes", space);
	tv_set(a, o, "dns_servers", dns);
	tv_set(a, o, "subnets", subnets_value(t, s, v));
	tv_set(a, o, "tags", tags_value(t, v->tags, v->ntags));
	tv_set(a, o, "depends_on", deps);
	tv_push(a, s->vnets, o);
	t->anchor[v->index] = (struct anchor){ s, T_VNET, { v->name, NULL } };
}

static struct tval *route_value(struct arm *t, const struct m_route *r)
{
	struct tval *o = tv_object(t->a);
	bool nva = r->hop == HOP_VIRTUAL_APPLIANCE;

	tv_set(t->a, o, "name", tv_string(t->a, r->name));
	tv_set(t->a, o, "address_prefix", emit_prefix(t->a, &r->prefix));
	tv_set(t->a, o, "next_hop_type", emit_next_hop_type(t->a, r->hop));
	tv_set(t->a, o, "next_hop_ip",
	       nva ? emit_addr(t->a, &r->next_hop_ip) : tv_string(t->a, ""));
	return o;
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
		resource_id(t, t->main->g, t->vnet_group[v->index], T_VNET, names),
		api_version_for(t->m, T_VNET));
	const char *name = free_param(t, s, base);

	pass_param(t, s, name, expr_value(t, ref),
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
	struct scope *s = scope_for(t, t->vnet_group[v->index], deploy_route_table_phase(v));
	const char *prev = NULL;

	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_route_table *rt = v->subnets[i].route_table;
		if (!rt)
			continue;
		const char *rt_names[] = { rt->name, NULL };
		const char *rt_id = subnet_table_id(t, s, &v->subnets[i]);
		struct tval *o = tv_object(a), *deps = tv_list(a);
		const char *names[] = { v->name, v->subnets[i].name, NULL };
		const char *param = free_param(t, s, param_text(a, arena_printf(a,
			"subnet_%s_%s", v->name, v->subnets[i].name)));
		pass_typed(t, s, param, "object", expr_value(t, arena_printf(a,
			"reference(%s, '%s')", resource_id(t, t->main->g,
			t->vnet_group[v->index], T_SUBNET, names), api_version_for(t->m, T_SUBNET))),
			arena_printf(a, "The subnet %s of the existing VNet %s as it is",
				     v->subnets[i].name, v->name));
		depend(t, s, deps, s, T_ROUTE_TABLE, rt_names);
		if (prev) {
			const char *pn[] = { v->name, prev, NULL };
			depend(t, s, deps, s, T_SUBNET, pn);
		}
		tv_set(a, o, "name", tv_string(a, arena_printf(a, "%s/%s", v->name,
								 v->subnets[i].name)));
		tv_set(a, o, "properties", expr_value(t, arena_printf(a,
			"union(%s, createObject('routeTable', createObject('id', %s)))",
			parameter_ref(t, param), rt_id)));
		tv_set(a, o, "depends_on", deps);
		tv_push(a, s->subnets, o);
		prev = v->subnets[i].name;
		t->anchor[v->index] = (struct anchor){ s, T_SUBNET,
						      { v->name, v->subnets[i].name, NULL } };
	}
}

static void add_route_table(struct arm *t, const struct m_route_table *rt)
{
	struct arena *a = t->a;
	const struct m_vnet *v = rt->vnet;
	bool lookup = !v->location;
	struct scope *s = scope_for(t, t->vnet_group[v->index],
				    deploy_route_table_phase(v));
	struct tval *o = tv_object(a), *routes = tv_list(a);

	for (size_t i = 0; i < rt->nroutes; i++)
		tv_push(a, routes, route_value(t, &rt->routes[i]));
	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "location", lookup ? looked_up_location(t, s, v) :
					  location_value(t, s, v->location));
	tv_set(a, o, "routes", routes);
	tv_set(a, o, "propagate", tv_bool(a, rt->propagate));
	tv_set(a, o, "tags", tags_value(t, v->tags, v->ntags));
	tv_push(a, s->route_tables, o);
}

/* ---------------------------------------------------------------- peerings */

static void wait_for_vnet(struct arm *t, struct scope *s, struct tval *deps,
			  const struct m_vnet *v)
{
	const struct anchor *an = &t->anchor[v->index];

	if (an->scope)
		depend(t, s, deps, an->scope, an->type, an->names);
}

/* ----------------------------------------------------------------- gateways */

static void add_gateway(struct arm *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct m_gateway *gw = v->gw;
	struct scope *s = scope_for(t, t->vnet_group[v->index], DEPLOY_GATEWAYS);
	struct tval *o = tv_object(a), *deps = tv_list(a), *configs = tv_list(a);
	const char *subnet[] = { v->name, "GatewaySubnet", NULL };

	for (size_t k = 0; k < gw->npublic_ips; k++) {
		struct tval *ip = tv_object(a), *c = tv_object(a);
		const char *names[] = { gw->public_ips[k], NULL };
		tv_set(a, ip, "name", tv_string(a, gw->public_ips[k]));
		tv_set(a, ip, "location", location_value(t, s, v->location));
		tv_set(a, ip, "zones", tv_bool(a, gw->zones));
		tv_set(a, ip, "tags", tags_value(t, v->tags, v->ntags));
		tv_push(a, s->public_ips, ip);
		depend(t, s, deps, s, T_PUBLIC_IP, names);
		tv_set(a, c, "name", tv_string(a, k ? "vnetGatewayConfig2" : "vnetGatewayConfig"));
		tv_set(a, c, "subnet_id", expr_value(t, resource_id(t, s->g, s->g, T_SUBNET, subnet)));
		tv_set(a, c, "public_ip_id", expr_value(t, resource_id(t, s->g, s->g,
							T_PUBLIC_IP, names)));
		tv_push(a, configs, c);
	}
	wait_for_vnet(t, s, deps, v);
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "location", location_value(t, s, v->location));
	tv_set(a, o, "tags", tags_value(t, v->tags, v->ntags));
	tv_set(a, o, "depends_on", deps);
	emit_gateway_settings(a, o, v);
	tv_set(a, o, "ip_configurations", configs);
	tv_push(a, s->gateways, o);
	t->gateway_scope[v->index] = s;
}

/* ---------------------------------------------------------------- peerings */

/* What a half waits for beyond its VNets: a gateway peerc creates in
 * either VNet (Azure does not change a VNet's peerings while its gateway is
 * being made, which takes 30 to 45 minutes; and one that uses the gateway
 * needs it: RemoteVnetHasNoGateways), the half whose transit it uses, and
 * the halves before it that touch its VNets (deploy_chain). */
static void side_waits(struct arm *t, struct scope *s, struct tval *deps,
		       const struct m_peering *p, int i)
{
	size_t me = 2 * (size_t)(p - t->m->peerings) + (size_t)i;

	for (int k = 0; k < 2; k++) {
		const struct m_vnet *v = p->side[k].vnet;
		const char *names[] = { v->gw ? v->gw->name : NULL, NULL };
		if (t->gateway_scope[v->index])
			depend(t, s, deps, t->gateway_scope[v->index], T_GATEWAY, names);
	}
	size_t waits[3] = { SIZE_MAX, t->chain[me][0], t->chain[me][1] };
	if (deploy_side_phase(p, i) == DEPLOY_REMOTE_GATEWAYS)
		waits[0] = 2 * (me / 2) + (size_t)p->first;
	for (int k = 0; k < 3; k++) {
		size_t o = waits[k];
		if (o == SIZE_MAX || (k == 2 && o == waits[1]) || (k > 0 && o == waits[0]))
			continue;
		const struct m_peering *op = &t->m->peerings[o / 2];
		const struct m_side *os = &op->side[o % 2];
		const char *names[] = { os->vnet->name, os->name, NULL };
		depend(t, s, deps, t->side_scope[o], T_PEERING, names);
	}
}

static void add_side(struct arm *t, const struct m_peering *p, int i)
{
	struct arena *a = t->a;
	const struct m_side *sd = &p->side[i];
	const struct m_vnet *local = sd->vnet, *remote = p->side[!i].vnet;
	struct group *rg = t->vnet_group[remote->index];
	struct scope *s = t->side_scope[2 * (size_t)(p - t->m->peerings) + (size_t)i];
	struct tval *o = tv_object(a), *deps = tv_list(a);
	const char *remote_names[] = { remote->name, NULL };

	wait_for_vnet(t, s, deps, local);
	wait_for_vnet(t, s, deps, remote);
	side_waits(t, s, deps, p, i);
	tv_set(a, o, "name", tv_string(a, arena_printf(a, "%s/%s", local->name, sd->name)));
	tv_set(a, o, "remote_id", expr_value(t, resource_id(t, s->g, rg, T_VNET, remote_names)));
	tv_set(a, o, "allow_virtual_network_access", tv_bool(a, sd->setting[SET_ACCESS]));
	tv_set(a, o, "allow_forwarded_traffic", tv_bool(a, sd->setting[SET_FORWARDED]));
	tv_set(a, o, "allow_gateway_transit", tv_bool(a, sd->setting[SET_GATEWAY_TRANSIT]));
	tv_set(a, o, "use_remote_gateways", tv_bool(a, sd->setting[SET_REMOTE_GATEWAY]));
	tv_set(a, o, "depends_on", deps);
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
	return o;
}

static struct tval *document_values(struct arm *t, const struct scope *s,
				    struct tval *peerc)
{
	struct arena *a = t->a;
	struct tval *root = tv_object(a);

	tv_set(a, root, "peerc", peerc);
	tv_set(a, root, "main", tv_bool(a, s->main));
	tv_set(a, root, "description", tv_string(a, t->description ? t->description : ""));
	tv_set(a, root, "required_groups", t->required_groups ? t->required_groups : tv_list(a));
	tv_set(a, root, "version", tv_string(a, PACKAGE_VERSION));
	tv_set(a, root, "api", api_values(t));
	tv_set(a, root, "subscription_id", tv_string(a, s->g->sub));
	tv_set(a, root, "resource_group", tv_string(a, s->g->rg));
	tv_set(a, root, "parameters", s->params);
	tv_set(a, root, "vnets", s->vnets);
	tv_set(a, root, "route_tables", s->route_tables);
	tv_set(a, root, "subnets", s->subnets);
	tv_set(a, root, "public_ips", s->public_ips);
	tv_set(a, root, "gateways", s->gateways);
	tv_set(a, root, "peerings", s->peerings);
	tv_set(a, root, "deployments", s->deployments);
	return root;
}

/* A nested scope as a deployment of the main template, its inner template
 * rendered in place. */
static bool add_deployment(struct arm *t, const struct tmpl *tm,
			   struct peerc_result *r, const struct scope *s,
			   struct tval *peerc)
{
	struct arena *a = t->a;
	const struct group *home = t->main->g;
	struct tval *o = tv_object(a);
	struct strbuf sb;
	bool other_sub = strcmp(s->g->sub, home->sub) != 0;
	bool other_group = other_sub || strcmp(s->g->rg, home->rg) != 0;

	sb_init(&sb);
	if (!tmpl_render(tm, document_values(t, s, peerc), &r->diags, &sb)) {
		sb_free(&sb);
		return false;
	}
	tv_set(a, o, "name", tv_string(a, s->name));
	/* A subscriptionId without a resourceGroup would make it a
	 * subscription-scope deployment. */
	tv_set(a, o, "subscription_id", tv_string(a, other_sub ? s->g->sub : ""));
	tv_set(a, o, "resource_group", tv_string(a, other_group ? s->g->rg : ""));
	tv_set(a, o, "depends_on", s->depends);
	tv_set(a, o, "parameters", s->args);
	tv_set(a, o, "template", tv_raw(a, arena_strdup(a, sb.buf)));
	tv_push(a, t->main->deployments, o);
	sb_free(&sb);
	return true;
}

/* ARM's limit of resources in one template: a larger one would not
 * deploy (as in the Bicep back end, an error rather than an output). */
#define MAX_TEMPLATE_RESOURCES 800

static bool within_limits(struct arm *t, const struct scope *s, struct peerc_result *r)
{
	size_t n = s->vnets->u.list.n + s->route_tables->u.list.n +
		   s->subnets->u.list.n + s->public_ips->u.list.n +
		   s->gateways->u.list.n + s->peerings->u.list.n;

	if (s->main)
		for (size_t i = 0; i < t->ngroups; i++)
			for (int ph = 0; ph < DEPLOY_PHASES; ph++)
				n += t->groups[i].phase[ph] != NULL;
	if (n <= MAX_TEMPLATE_RESOURCES)
		return true;
	diag_add(&r->diags, DIAG_ERROR, "template-size", LOC_NONE,
		 "the ARM output's %s would declare %zu resources, and a template "
		 "holds at most %d", s->main ? "main template" :
		 arena_printf(t->a, "nested deployment '%s'", s->name), n,
		 MAX_TEMPLATE_RESOURCES);
	return false;
}

/* The home group is model.groups[0]. A file without VNets deploys nothing,
 * to no group in particular. */
static const struct group *home_group(struct arm *t)
{
	static const struct group nowhere = { .sub = "", .rg = "" };

	return t->ngroups ? &t->groups[0] : &nowhere;
}

static void make_groups(struct arm *t)
{
	const struct model *m = t->m;

	t->ngroups = m->ngroups;
	t->groups = arena_alloc(t->a, (m->ngroups + 1) * sizeof(*t->groups));
	for (size_t i = 0; i < m->ngroups; i++) {
		t->groups[i].sub = m->groups[i].subscription;
		t->groups[i].rg = m->groups[i].resource_group;
		t->groups[i].m = &m->groups[i];
	}
}

static void build(struct arm *t)
{
	const struct model *m = t->m;

	t->vnet_group = arena_alloc(t->a, (m->nvnets + 1) * sizeof(*t->vnet_group));
	t->anchor = arena_alloc(t->a, (m->nvnets + 1) * sizeof(*t->anchor));
	make_groups(t);
	t->main = new_scope(t, home_group(t));
	t->main->main = true;
	for (size_t i = 0; i < m->nvnets; i++)
		t->vnet_group[i] = &t->groups[m->vnets[i].group];
	for (size_t i = 0; i < m->nvnets; i++)
		if (!m->vnets[i].existing)
			add_vnet(t, &m->vnets[i]);
	/* an existing VNet's subnet writes, once each, after its first table */
	bool *linked = arena_alloc(t->a, (m->nvnets + 1) * sizeof(*linked));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_vnet *v = m->route_tables[i].vnet;
		add_route_table(t, &m->route_tables[i]);
		if (v->existing && !linked[v->index])
			link_subnets(t, v);
		linked[v->index] = true;
	}
	t->gateway_scope = arena_alloc(t->a, (m->nvnets + 1) * sizeof(*t->gateway_scope));
	for (size_t i = 0; i < m->nvnets; i++)
		if (deploy_creates_gateway(&m->vnets[i]))
			add_gateway(t, &m->vnets[i]);
	t->side_scope = arena_alloc(t->a, (2 * m->npeerings + 1) * sizeof(*t->side_scope));
	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			t->side_scope[2 * i + (size_t)k] = scope_for(t,
				t->vnet_group[m->peerings[i].side[k].vnet->index],
				deploy_side_phase(&m->peerings[i], k));
	t->chain = deploy_chain(m, t->a);
	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			add_side(t, &m->peerings[i], k);
}

/* What the main template's metadata says: how to deploy it, what must
 * exist first, how long a gateway takes. */
static void describe(struct arm *t, const struct peerc_options *opts)
{
	struct arena *a = t->a;
	const struct model *m = t->m;
	bool gateway = false;
	const char *file = opts->output_name && strcmp(opts->output_name, "-") != 0 ?
			   opts->output_name : "azuredeploy.json";

	t->required_groups = tv_list(a);
	for (size_t g = 0; g < t->ngroups; g++) {
		bool used = g == 0;
		for (int ph = 0; ph < DEPLOY_PHASES && !used; ph++)
			used = t->groups[g].phase[ph] != NULL;
		if (!used)
			continue;
		struct tval *o = tv_object(a);
		tv_set(a, o, "subscriptionId", tv_string(a, t->groups[g].sub));
		tv_set(a, o, "resourceGroup", tv_string(a, t->groups[g].rg));
		tv_push(a, t->required_groups, o);
	}
	for (size_t i = 0; i < m->nvnets; i++)
		gateway = gateway || deploy_creates_gateway(&m->vnets[i]);
	t->description = arena_printf(a,
		"Deploy to the resource group and subscription in deployTo, signed in "
		"with Network Contributor on every subscription the template names: az "
		"deployment group create --subscription %s --resource-group %s "
		"--template-file %s. The nested deployments run in the order of their "
		"dependsOn. peerc creates no resource group: the ones in "
		"requiredResourceGroups must exist first.%s ARM templates cannot re-sync a "
		"peering after a peered VNet's address space changes (syncRemoteAddressSpace "
		"is a query parameter of the REST call, not part of the resource): after "
		"such a change run 'az network vnet peering sync' for each peering of that "
		"VNet, on both sides.", t->ngroups ? t->groups[0].sub : "SUBSCRIPTION",
		t->ngroups ? t->groups[0].rg : "GROUP", file,
		gateway ? " Creating a virtual network gateway takes 30 to 45 minutes; the "
			  "peerings that use or offer it wait for it, and every deployment "
			  "sends the gateway again." : "");
}

void emit_arm(const struct model *m, const struct peerc_options *opts,
	      struct peerc_result *r)
{
	struct arm t = { .a = r->arena, .m = m };
	struct tval *peerc = emit_peerc_values(r, opts, "azuredeploy.json");
	const struct tmpl *tm = tmpl_load(t.a, &r->diags, opts->template_dir,
		backend_find(PEERC_TARGET_ARM)->dir, "azuredeploy.json.tmpl", TMPL_ARM);
	struct strbuf sb;

	if (!tm)
		return;
	strmap_init(&t.region_param, t.a);
	strmap_init(&t.param_names, t.a);
	build(&t);
	describe(&t, opts);
	bool ok = within_limits(&t, t.main, r);
	for (size_t i = 0; i < t.ngroups; i++)
		for (int ph = 0; ph < DEPLOY_PHASES; ph++)
			if (t.groups[i].phase[ph])
				ok = within_limits(&t, t.groups[i].phase[ph], r) && ok;
	if (!ok)
		return;
	/* Groups in first-use order, each group's phases in order. */
	for (size_t i = 0; i < t.ngroups; i++)
		for (int ph = 0; ph < DEPLOY_PHASES; ph++)
			if (t.groups[i].phase[ph] &&
			    !add_deployment(&t, tm, r, t.groups[i].phase[ph], peerc))
				return;
	sb_init(&sb);
	if (tmpl_render(tm, document_values(&t, t.main, peerc), &r->diags, &sb))
		emit_add_output(r, NULL, sb.buf, sb.len);
	sb_free(&sb);
}
