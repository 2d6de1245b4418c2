/* Bicep back end: the deployment plan (plan.h) as template values for
 * templates/bicep/main.bicep.tmpl, rendered once for each stage's main file
 * and once per module file. Every variable is listed in
 * templates/README.md.
 *
 * A stage's main file targets the home group (model.groups[0]), as the ARM
 * output does; what the plan makes its own is declared there. Bicep cannot
 * declare a resource in another scope (BCP139), so every nested deployment
 * of the plan is a module in modules/, deployed from its stage's main file
 * with scope: resourceGroup(sub, rg), named as the ARM output names it. A
 * file cannot read what it writes, so the main file reads the live subnets
 * of existing spokes, and a location the file does not give, and passes
 * them to the module that writes them. */
#include "common.h"

#include "apiversions.h"
#include "diag.h"
#include "emit.h"
#include "model.h"
#include "plan.h"
#include "util.h"

/* One output file: a stage's main file or a module. */
struct bfile {
	bool main;
	bool subscription;  /* deployed to a subscription: creates groups */
	uint32_t stage;
	uint32_t deployment; /* a module's, in the plan */
	const char *symbol; /* the module's symbol in its main file; NULL for a main */
	size_t group;       /* index into model.groups */
	struct tval *params, *existing, *existing_subnets, *vnets, *route_tables;
	struct tval *resource_groups;
	struct tval *subnets, *public_ips, *gateways, *peerings;
	struct tval *deps;  /* a module's dependsOn in its main file */
	struct tval *args;  /* a module's params in its main file */
	/* VNet symbols declared in this file (created or existing) */
	struct strmap declared;
};

/* The symbols of an existing spoke's subnet write: the resource, the live
 * subnet its main file reads, and the parameter that passes it. */
struct subnet_syms {
	const char *sym, *live, *param;
};

/* The symbols of a created gateway, its GatewaySubnet and public IPs. */
struct gateway_syms {
	const char *gw, *subnet, *ip[2];
};

/* Every symbol is given first, in one pass over the whole output
 * (name_all); then each stage's values are built, rendered and thrown
 * away before the next stage's (in the arena a, emptied after each), so
 * that a run holds one stage's values, not the whole output's: what
 * outlives a stage is in keep. */
struct bicep {
	struct arena *a;           /* the stage's values */
	struct arena *keep;
	struct arena *names;       /* while the symbols are given: the text of
				    * one, emptied once it is given */
	const struct model *m;
	struct plan p;
	const char **vnet_sym;     /* parallel to model.vnets */
	const char **rt_sym;       /* parallel to model.route_tables */
	const char **location_sym; /* parallel to model.route_tables: the
				    * parameter of a spoke's location, or NULL */
	struct gateway_syms *gateway_sym; /* parallel to model.vnets */
	const char **group_sym;    /* parallel to model.groups: a created one's */
	const char **side_sym;     /* 2 * peering + side */
	struct subnet_syms **subnet_sym; /* [VNet][subnet]: an existing spoke's writes */
	const char **module_sym;   /* per deployment: its module's; NULL for a top one */
	struct bfile *main;        /* the stage's main file */
	struct bfile **modules;    /* per deployment of the stage; NULL for a top one */
	const char **stage_files;  /* per stage */
	struct strmap symbols;     /* every identifier in use */
};

/* ------------------------------------------------------------ identifiers */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* One word of an identifier: the first one starts lower case, the others
 * upper case; a word in capitals (RG, ERP) is read as a word, not as
 * letters, so RG-ERP-PROD becomes rgErpProd. */
static void put_word(struct strbuf *sb, const char *w, size_t n, bool first)
{
	bool caps = true;

	for (size_t i = 0; i < n; i++)
		if (w[i] >= 'a' && w[i] <= 'z')
			caps = false;
	for (size_t i = 0; i < n; i++) {
		char c = caps ? ascii_lower(w[i]) : w[i];
		sb_putc(sb, i > 0 ? c : first ? ascii_lower(c) : upper(c));
	}
}

/* Bicep identifiers are [A-Za-z_][A-Za-z0-9_]*; best practice is
 * lowerCamelCase, so the words of text (split at anything that is not an
 * ASCII letter or digit) are joined that way. Capped so that a module's
 * deployment name, "peerc-" and its symbol, stays within Azure's 64. */
static char *camel(struct arena *a, const char *text)
{
	enum { MAX_IDENT = 48 };
	struct strbuf sb;
	sb_init(&sb);

	for (const char *p = text; *p;) {
		size_t n = 0;
		while (p[n] && is_alnum(p[n]))
			n++;
		if (n)
			put_word(&sb, p, n, sb.len == 0);
		p += n;
		while (*p && !is_alnum(*p))
			p++;
	}
	if (sb.len == 0 || (sb.buf[0] >= '0' && sb.buf[0] <= '9')) {
		char *s = arena_printf(a, "n%s", sb.buf ? sb.buf : "");
		sb_free(&sb);
		return s;
	}
	char *s = arena_strndup(a, sb.buf, sb.len < MAX_IDENT ? sb.len : MAX_IDENT);
	sb_free(&sb);
	return s;
}

/* Names a symbol must not take: the literals and keywords, and the
 * functions the output calls, which a symbol of the same name would hide. */
static bool reserved(const char *s)
{
	static const char *const words[] = {
		"true", "false", "null", "az", "sys", "resourceGroup",
		"subscription", "targetScope", "metadata", "resource", "module",
		"existing", "param", "var", "output", "if", "for", "in",
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* camel(text), or with 2, 3, ... appended when taken: one namespace for the
 * whole output, filled in model order, so the same file always gets the
 * same symbols and a symbol means the same thing in every file. Taken means
 * equal but for case: a module's symbol is its file's name, and file names
 * differ only in case on some systems. */
static const char *symbol(struct bicep *b, const char *text)
{
	const char *s = unique_name(b->keep, &b->symbols, camel(b->names, text), "", true,
				    reserved);

	arena_clear(b->names);
	return s;
}

/* ------------------------------------------------------------------ files */

static struct bfile *new_file(struct bicep *b, size_t group, uint32_t stage)
{
	struct arena *a = b->a;
	struct bfile *f = arena_alloc(a, sizeof(*f));

	f->group = group;
	f->stage = stage;
	f->params = tv_list(a);
	f->args = tv_object(a);
	f->existing = tv_list(a);
	f->existing_subnets = tv_list(a);
	f->resource_groups = tv_list(a);
	f->public_ips = tv_list(a);
	f->gateways = tv_list(a);
	f->vnets = tv_list(a);
	f->route_tables = tv_list(a);
	f->subnets = tv_list(a);
	f->peerings = tv_list(a);
	f->deps = tv_list(a);
	strmap_init(&f->declared, a);
	return f;
}

/* The symbol of the module of the deployment r is in (none for the main
 * template's own), given on first use, so that symbols come in the order
 * resources do. camel() splits the phase's name at its '-', so the words
 * are plan's own. */
static void module_symbol(struct bicep *b, struct plan_ref r)
{
	uint32_t d = plan_at(&b->p, r);
	const struct plan_deployment *dp = &b->p.deployments[d];

	if (dp->top || b->module_sym[d])
		return;
	b->module_sym[d] = symbol(b, arena_printf(b->names, "%s %s%s",
		b->m->groups[dp->group].resource_group, plan_phase_name(dp->phase),
		dp->chunk ? arena_printf(b->names, " %u", dp->chunk + 1) : ""));
}

/* The file of deployment d (of the stage being built): its main file when
 * the plan makes it the main template's own, else its module. */
static struct bfile *file_of(struct bicep *b, uint32_t d)
{
	return b->p.deployments[d].top ? b->main : b->modules[d];
}

static struct bfile *file_at(struct bicep *b, struct plan_ref r)
{
	return file_of(b, plan_at(&b->p, r));
}

/* A quoted string inside an expression the back end builds. */
static void put_quoted(struct strbuf *sb, const char *s)
{
	tmpl_quote(TMPL_BICEP, s, sb);
}

/* "SYMBOL.member" as a raw value: formatted without printf, since every
 * reference of the output is one. */
static struct tval *raw_member(struct arena *a, const char *sym, const char *member)
{
	size_t n = strlen(sym), k = strlen(member);
	char *s = arena_alloc(a, n + k + 2);

	memcpy(s, sym, n);
	s[n] = '.';
	memcpy(s + n + 1, member, k + 1);
	return tv_raw(a, s);
}

static struct tval *raw_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);

static struct tval *raw_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return tv_raw(a, s);
}

/* resourceGroup('SUB', 'GROUP') of a group, or subscription('SUB') of its
 * subscription. */
static struct tval *scope_of(struct bicep *b, size_t group, bool subscription)
{
	const struct m_group *g = &b->m->groups[group];
	struct strbuf sb;
	sb_init(&sb);

	sb_puts(&sb, subscription ? "subscription(" : "resourceGroup(");
	put_quoted(&sb, g->subscription);
	if (!subscription) {
		sb_puts(&sb, ", ");
		put_quoted(&sb, g->resource_group);
	}
	sb_putc(&sb, ')');
	struct tval *v = tv_raw(b->a, arena_strndup(b->a, sb.buf, sb.len));
	sb_free(&sb);
	return v;
}

/* The symbol of v in f: v itself when f creates it, else an `existing`
 * declaration made on first use (scoped when v lives in another group). */
static const char *vnet_in(struct bicep *b, struct bfile *f, const struct m_vnet *v)
{
	struct arena *a = b->a;
	const char *key = b->vnet_sym[v->index];

	if (!strmap_get(&f->declared, key)) {
		struct tval *e = tv_object(a);
		size_t g = v->group;
		tv_set(a, e, "symbol", tv_raw(a, b->vnet_sym[v->index]));
		tv_set(a, e, "name", tv_string(a, v->name));
		tv_set(a, e, "scope", g == f->group ? tv_raw(a, "") : scope_of(b, g, false));
		tv_push(a, f->existing, e);
		strmap_put(&f->declared, key, f);
	}
	return b->vnet_sym[v->index];
}

/* The symbol of a resource the plan names. */
static const char *ref_symbol(const struct bicep *b, struct plan_ref r)
{
	switch (r.kind) {
	case PLAN_VNET:
		return b->vnet_sym[r.index];
	case PLAN_GATEWAY:
		return b->gateway_sym[r.index].gw;
	case PLAN_SIDE:
		return b->side_sym[r.index];
	case PLAN_SUBNET:
		return b->subnet_sym[r.index][r.sub].sym;
	case PLAN_GROUP:
		return b->group_sym[r.index];
	default:
		BUG();
	}
}

/* The dependsOn of resource r, in f: what it waits for in f that no
 * reference of its own implies (a route table or public IP it names by
 * .id, the VNets a peering half names as parent and remote), and, from a
 * main file, the modules of its stage that hold the rest (a module waits
 * as a whole: struct plan_deployment). */
static struct tval *waits(struct bicep *b, struct bfile *f, struct plan_ref r)
{
	struct plan_wait w[PLAN_MAX_WAITS];
	size_t n = plan_depends(&b->p, r, w);
	struct tval *deps = tv_list(b->a);

	for (size_t i = 0; i < n; i++) {
		struct bfile *at = file_of(b, w[i].deployment);
		enum plan_kind k = w[i].resource.kind;
		bool implied = k == PLAN_ROUTE_TABLE || k == PLAN_PUBLIC_IP ||
			       (k == PLAN_VNET && r.kind == PLAN_SIDE);
		if (at != f)
			tv_push(b->a, deps, tv_raw(b->a, at->symbol));
		else if (!implied)
			tv_push(b->a, deps, tv_raw(b->a, ref_symbol(b, w[i].resource)));
	}
	return deps;
}

/* ------------------------------------------------------------------ values */

/* The symbol of each route table, parallel to model.route_tables: SPOKE
 * via HUB, or HUB gateway routes. */
static void route_table_syms(struct bicep *b)
{
	const struct model *m = b->m;

	b->rt_sym = arena_alloc(b->a, (m->nroute_tables + 1) * sizeof(*b->rt_sym));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_route_table *rt = &m->route_tables[i];
		b->rt_sym[i] = symbol(b, rt->kind == RT_TRANSIT ?
			arena_printf(b->names, "%s via %s", b->vnet_sym[rt->vnet->index],
				     b->vnet_sym[rt->hub->index]) :
			arena_printf(b->names, "%s gateway routes", b->vnet_sym[rt->hub->index]));
	}
}

/* A route table as a subnet of its VNet names it. */
static struct tval *table_ref(void *ctx, const struct m_route_table *rt)
{
	struct bicep *b = ctx;

	return raw_member(b->a, b->rt_sym[rt - b->m->route_tables], "id");
}

static void add_vnet(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;
	struct plan_ref r = { PLAN_VNET, (uint32_t)v->index, 0 };
	struct bfile *f = file_at(b, r);
	struct tval *o = emit_vnet(a, v, tv_string(a, v->location),
				   emit_tags(a, v->tags, v->ntags), table_ref, b);

	tv_set(a, o, "symbol", tv_raw(a, b->vnet_sym[v->index]));
	tv_set(a, o, "depends_on", waits(b, f, r));
	tv_push(a, f->vnets, o);
	strmap_put(&f->declared, b->vnet_sym[v->index], f);
}

/* An existing VNet's subnets are not peerc's: a subnet resource is a PUT
 * of the whole subnet, so each is written as it is in Azure with only its
 * route table set, as azurerm's association does (GET, set routeTable,
 * PUT). A file cannot read what it writes, so the main file reads the live
 * subnet (an `existing` subnet) and passes its properties to the module;
 * the read-only ones among them are ignored by the PUT. One VNet's subnet
 * writes are chained: Azure takes one at a time. */
static void add_subnet_links(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;

	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_route_table *table = v->subnets[i].route_table;
		if (!table)
			continue;
		struct plan_ref r = { PLAN_SUBNET, (uint32_t)v->index, (uint32_t)i };
		struct bfile *f = file_at(b, r), *main = b->main;
		const char *rt = b->rt_sym[table - b->m->route_tables];
		const struct subnet_syms *ss = &b->subnet_sym[v->index][i];
		const char *sym = ss->sym, *live = ss->live, *param = ss->param;
		struct tval *e = tv_object(a), *o = tv_object(a), *p = tv_object(a);
		tv_set(a, e, "symbol", tv_raw(a, live));
		tv_set(a, e, "parent", tv_raw(a, vnet_in(b, main, v)));
		tv_set(a, e, "name", tv_string(a, v->subnets[i].name));
		tv_push(a, main->existing_subnets, e);
		tv_set(a, p, "name", tv_raw(a, param));
		tv_set(a, p, "type", tv_raw(a, "object"));
		tv_push(a, f->params, p);
		tv_set(a, f->args, param, raw_member(a, live, "properties"));
		tv_set(a, o, "symbol", tv_raw(a, sym));
		tv_set(a, o, "name", tv_string(a, v->subnets[i].name));
		tv_set(a, o, "parent", tv_raw(a, vnet_in(b, f, v)));
		tv_set(a, o, "properties", raw_printf(a, "union(%s, {\nrouteTable: {\nid: %s.id\n}\n})",
						      param, rt));
		tv_set(a, o, "depends_on", waits(b, f, r));
		tv_push(a, f->subnets, o);
	}
}

/* An existing spoke known by name alone has no location in the model, and
 * a resource's location cannot be read at run time (ARM's reference() is
 * not allowed there): the main file reads it and passes it to f. */
static struct tval *location_param(struct bicep *b, struct bfile *f,
				   const struct m_vnet *v, const char *name)
{
	struct arena *a = b->a;
	struct tval *p = tv_object(a);

	tv_set(a, p, "name", tv_raw(a, name));
	tv_set(a, p, "type", tv_raw(a, "string"));
	tv_push(a, f->params, p);
	tv_set(a, f->args, name, raw_member(a, vnet_in(b, b->main, v), "location"));
	return tv_raw(a, name);
}

static void add_route_table(struct bicep *b, const struct m_route_table *rt)
{
	struct arena *a = b->a;
	const struct m_vnet *v = rt->vnet;
	size_t i = (size_t)(rt - b->m->route_tables);
	struct bfile *f;
	struct tval *o = tv_object(a);

	f = file_at(b, (struct plan_ref){ PLAN_ROUTE_TABLE, (uint32_t)i, 0 });
	tv_set(a, o, "symbol", tv_raw(a, b->rt_sym[i]));
	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "location", v->location ? tv_string(a, v->location) :
					       location_param(b, f, v, b->location_sym[i]));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	tv_set(a, o, "routes", emit_routes(a, rt));
	tv_set(a, o, "propagate", tv_bool(a, rt->propagate));
	tv_push(a, f->route_tables, o);
}

/* ----------------------------------------------------------------- gateways */

static void add_gateway(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;
	const struct m_gateway *gw = v->gw;
	struct plan_ref r = { PLAN_GATEWAY, (uint32_t)v->index, 0 };
	struct bfile *f = file_at(b, r);
	const struct gateway_syms *syms = &b->gateway_sym[v->index];
	const char *gs = syms->gw, *sn = syms->subnet;
	struct tval *o = tv_object(a), *configs = tv_list(a), *e = tv_object(a);

	tv_set(a, e, "symbol", tv_raw(a, sn));
	tv_set(a, e, "parent", tv_raw(a, vnet_in(b, f, v)));
	tv_set(a, e, "name", tv_string(a, "GatewaySubnet"));
	tv_push(a, f->existing_subnets, e);
	for (size_t k = 0; k < gw->npublic_ips; k++) {
		struct tval *ip = tv_object(a), *c = tv_object(a);
		const char *is = syms->ip[k];
		tv_set(a, ip, "symbol", tv_raw(a, is));
		tv_set(a, ip, "name", tv_string(a, gw->public_ips[k]));
		tv_set(a, ip, "location", tv_string(a, v->location));
		tv_set(a, ip, "zones", tv_bool(a, gw->zones));
		tv_set(a, ip, "tags", emit_tags(a, v->tags, v->ntags));
		tv_push(a, f->public_ips, ip);
		tv_set(a, c, "name", tv_string(a, k ? "vnetGatewayConfig2" : "vnetGatewayConfig"));
		tv_set(a, c, "subnet_id", raw_member(a, sn, "id"));
		tv_set(a, c, "public_ip_id", raw_member(a, is, "id"));
		tv_push(a, configs, c);
	}
	/* The subnet is `existing`: the VNet it is in must be written first,
	 * which no reference implies. */
	tv_set(a, o, "symbol", tv_raw(a, gs));
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "location", tv_string(a, v->location));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	emit_gateway_settings(a, o, v);
	tv_set(a, o, "ip_configurations", configs);
	tv_set(a, o, "depends_on", waits(b, f, r));
	tv_push(a, f->gateways, o);
}

/* ------------------------------------------------------------------ groups */

/* A resource group the file asks peerc to create, in the region of its
 * first created VNet. */
static void add_group(struct bicep *b, size_t g)
{
	struct arena *a = b->a;
	struct bfile *f = file_at(b, (struct plan_ref){ PLAN_GROUP, (uint32_t)g, 0 });
	struct tval *o = tv_object(a);

	tv_set(a, o, "symbol", tv_raw(a, b->group_sym[g]));
	tv_set(a, o, "name", tv_string(a, b->m->groups[g].resource_group));
	tv_set(a, o, "location", tv_string(a, b->m->groups[g].location));
	tv_set(a, o, "tags", emit_tags(a, b->m->groups[g].tags, b->m->groups[g].ntags));
	tv_push(a, f->resource_groups, o);
}

/* ---------------------------------------------------------------- peerings */

static void add_side(struct bicep *b, size_t side)
{
	struct arena *a = b->a;
	const struct m_peering *p = &b->m->peerings[side / 2];
	int k = (int)(side % 2);
	const struct m_side *s = &p->side[k];
	const struct m_vnet *local = s->vnet, *remote = p->side[!k].vnet;
	struct plan_ref r = { PLAN_SIDE, (uint32_t)side, 0 };
	struct bfile *f = file_at(b, r);
	struct tval *o = tv_object(a);

	tv_set(a, o, "symbol", tv_raw(a, b->side_sym[side]));
	tv_set(a, o, "parent", tv_raw(a, vnet_in(b, f, local)));
	tv_set(a, o, "name", tv_string(a, s->name));
	tv_set(a, o, "access", tv_bool(a, s->setting[SET_ACCESS]));
	tv_set(a, o, "forwarded", tv_bool(a, s->setting[SET_FORWARDED]));
	tv_set(a, o, "gateway_transit", tv_bool(a, s->setting[SET_GATEWAY_TRANSIT]));
	tv_set(a, o, "remote_gateway", tv_bool(a, s->setting[SET_REMOTE_GATEWAY]));
	tv_set(a, o, "remote_id", raw_member(a, vnet_in(b, f, remote), "id"));
	tv_set(a, o, "depends_on", waits(b, f, r));
	tv_push(a, f->peerings, o);
}

/* ------------------------------------------------------------------- main */

static void classify(struct bicep *b, const struct peerc_options *opts)
{
	const struct model *m = b->m;
	const struct plan *p = &b->p;
	size_t n = m->nvnets + 1;
	const char *file = opts->output_name && strcmp(opts->output_name, "-") != 0 ?
			   opts->output_name : "main.bicep";

	b->vnet_sym = arena_alloc(b->a, n * sizeof(*b->vnet_sym));
	b->gateway_sym = arena_alloc(b->a, n * sizeof(*b->gateway_sym));
	b->subnet_sym = arena_alloc(b->a, n * sizeof(*b->subnet_sym));
	b->side_sym = arena_alloc(b->a, (2 * m->npeerings + 1) * sizeof(*b->side_sym));
	b->location_sym = arena_alloc(b->a, (m->nroute_tables + 1) * sizeof(*b->location_sym));
	b->modules = arena_alloc(b->a, (p->ndeployments + 1) * sizeof(*b->modules));
	b->module_sym = arena_alloc(b->a, (p->ndeployments + 1) * sizeof(*b->module_sym));
	b->stage_files = arena_alloc(b->a, (p->nstages + 1) * sizeof(*b->stage_files));
	b->group_sym = arena_alloc(b->a, (m->ngroups + 1) * sizeof(*b->group_sym));
	for (uint32_t s = 0; s < p->nstages; s++)
		b->stage_files[s] = s ? emit_stage_file(b->a, file, s) : file;
	for (size_t i = 0; i < m->nvnets; i++)
		b->vnet_sym[i] = symbol(b, m->vnets[i].handle);
}

/* The symbols of an existing spoke's subnet writes. */
static void subnet_symbols(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->names;

	b->subnet_sym[v->index] = arena_alloc(b->keep, (v->nsubnets + 1) *
					      sizeof(struct subnet_syms));
	for (size_t i = 0; i < v->nsubnets; i++) {
		struct subnet_syms *ss = &b->subnet_sym[v->index][i];
		if (!v->subnets[i].route_table)
			continue;
		module_symbol(b, (struct plan_ref){ PLAN_SUBNET, (uint32_t)v->index, (uint32_t)i });
		ss->sym = symbol(b, arena_printf(a, "%s %s", b->vnet_sym[v->index],
						 v->subnets[i].name));
		ss->live = symbol(b, arena_printf(a, "%s live", ss->sym));
		ss->param = symbol(b, arena_printf(a, "%s properties", ss->sym));
	}
}

static void gateway_symbols(struct bicep *b, const struct m_vnet *v)
{
	struct gateway_syms *gs = &b->gateway_sym[v->index];
	const char *vs = b->vnet_sym[v->index];

	module_symbol(b, (struct plan_ref){ PLAN_GATEWAY, (uint32_t)v->index, 0 });
	gs->gw = symbol(b, arena_printf(b->names, "%s gateway", vs));
	gs->subnet = symbol(b, arena_printf(b->names, "%s gateway subnet", vs));
	for (size_t k = 0; k < v->gw->npublic_ips; k++)
		gs->ip[k] = symbol(b, arena_printf(b->names, "%s gateway ip%s", vs, k ? " 2" : ""));
}

/* Every symbol of the output, in the order the stages use them (groups,
 * route tables, subnet writes, VNets, gateways, peering halves), so that
 * a symbol does not depend on which stage it is in. */
static void name_all(struct bicep *b)
{
	const struct model *m = b->m;

	for (size_t g = 0; b->p.subscription_scope && g < m->ngroups; g++)
		if (m->groups[g].create) {
			module_symbol(b, (struct plan_ref){ PLAN_GROUP, (uint32_t)g, 0 });
			b->group_sym[g] = symbol(b, m->groups[g].resource_group);
		}
	route_table_syms(b);
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_vnet *v = m->route_tables[i].vnet;
		module_symbol(b, (struct plan_ref){ PLAN_ROUTE_TABLE, (uint32_t)i, 0 });
		if (!v->location)
			b->location_sym[i] = symbol(b, arena_printf(b->names, "%s location",
								  b->vnet_sym[v->index]));
	}
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_vnet *v = m->route_tables[i].vnet;
		if (v->existing && plan_first_table(&b->p, i))
			subnet_symbols(b, v);
	}
	for (size_t i = 0; i < m->nvnets; i++)
		if (!m->vnets[i].existing)
			module_symbol(b, (struct plan_ref){ PLAN_VNET, (uint32_t)i, 0 });
	for (size_t i = 0; i < m->nvnets; i++)
		if (plan_creates_gateway(&m->vnets[i]))
			gateway_symbols(b, &m->vnets[i]);
	for (size_t s = 0; s < 2 * m->npeerings; s++) {
		const struct m_vnet *v = m->peerings[s / 2].side[s % 2].vnet;
		const struct m_vnet *o = m->peerings[s / 2].side[!(s % 2)].vnet;
		b->side_sym[s] = symbol(b, arena_printf(b->names, "%s to %s",
			b->vnet_sym[v->index], b->vnet_sym[o->index]));
		module_symbol(b, (struct plan_ref){ PLAN_SIDE, (uint32_t)s, 0 });
	}
}

/* "TYPE@VERSION" for each resource type written, versions from the one
 * table (apiversions.h). */
static struct tval *type_values(struct bicep *b)
{
	static const struct {
		const char *key, *type;
	} types[] = {
		{ "vnet", "Microsoft.Network/virtualNetworks" },
		{ "subnet", "Microsoft.Network/virtualNetworks/subnets" },
		{ "peering", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" },
		{ "route_table", "Microsoft.Network/routeTables" },
		{ "gateway", "Microsoft.Network/virtualNetworkGateways" },
		{ "public_ip", "Microsoft.Network/publicIPAddresses" },
		{ "resource_group", "Microsoft.Resources/resourceGroups" },
	};
	struct tval *o = tv_object(b->a);

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		tv_set(b->a, o, types[i].key, tv_string(b->a, arena_printf(b->a, "%s@%s",
			types[i].type, api_version_for(b->m, types[i].type))));
	return o;
}

static const char *module_path(struct bicep *b, const struct bfile *f)
{
	return arena_printf(b->a, "%s/%s.bicep", backend_find(PEERC_TARGET_BICEP)->module_dir,
			    b->p.deployments[f->deployment].file);
}

/* A module's dependsOn, from the plan: the modules of its stage, and the
 * main file's resources, that it waits for. */
static void module_waits(struct bicep *b, struct bfile *f)
{
	const struct plan_deployment *d = &b->p.deployments[f->deployment];

	for (uint32_t i = 0; i < d->nwaits; i++) {
		const struct plan_wait *w = &b->p.waits[d->waits + i];
		const struct bfile *at = file_of(b, w->deployment);
		tv_push(b->a, f->deps, tv_raw(b->a, at->main ? ref_symbol(b, w->resource) :
							      at->symbol));
	}
}

static struct tval *modules_value(struct bicep *b, uint32_t s)
{
	struct arena *a = b->a;
	const struct plan_stage *st = &b->p.stages[s];
	struct tval *list = tv_list(a);

	for (uint32_t d = st->first; d < st->first + st->n; d++) {
		const struct bfile *f = b->modules[d];
		if (!f)
			continue;
		struct tval *o = tv_object(a);
		tv_set(a, o, "symbol", tv_raw(a, f->symbol));
		tv_set(a, o, "path", tv_string(a, module_path(b, f)));
		tv_set(a, o, "name", tv_string(a, b->p.deployments[d].name));
		tv_set(a, o, "scope", scope_of(b, f->group, f->subscription));
		tv_set(a, o, "params", f->args);
		tv_set(a, o, "depends_on", f->deps);
		tv_push(a, list, o);
	}
	return list;
}

static struct tval *group_value(struct arena *a, const struct m_group *g)
{
	struct tval *o = tv_object(a);

	tv_set(a, o, "subscription", tv_raw(a, emit_comment_text(a, g->subscription)));
	tv_set(a, o, "resource_group", tv_raw(a, emit_comment_text(a, g->resource_group)));
	return o;
}

/* What a stage's main file says of the stages. */
static void stage_values(struct bicep *b, struct tval *root, const struct bfile *f)
{
	struct arena *a = b->a;
	struct tval *files = tv_list(a), *names = tv_list(a);
	uint32_t n = b->p.nstages;

	for (uint32_t k = 0; n > 1 && k < n; k++) {
		tv_push(a, files, tv_raw(a, emit_comment_text(a, b->stage_files[k])));
		tv_push(a, names, tv_string(a, b->stage_files[k]));
	}
	tv_set(a, root, "file", tv_raw(a, emit_comment_text(a, b->stage_files[f->stage])));
	tv_set(a, root, "stage", tv_int(a, n > 1 ? f->stage + 1 : 0));
	tv_set(a, root, "stages", files);
	tv_set(a, root, "stage_files", names);
	tv_set(a, root, "previous", tv_raw(a, f->stage ?
		emit_comment_text(a, b->stage_files[f->stage - 1]) : ""));
}

/* Where f is deployed (peercTarget), and the command's values. */
static void target_values(struct bicep *b, struct tval *root, const struct bfile *f)
{
	struct arena *a = b->a;
	struct tval *target = tv_object(a);
	const char *sub = "SUBSCRIPTION", *rg = "GROUP";

	if (f->group != SIZE_MAX && b->m->ngroups) {
		sub = b->m->groups[f->group].subscription;
		rg = b->m->groups[f->group].resource_group;
	} else if (b->m->nsubscriptions) {
		sub = b->m->subscriptions[0];
	}
	/* (no group at all only when the file declares no VNet) */
	if (b->m->ngroups)
		tv_set(a, target, "subscription", tv_string(a, sub));
	if (b->m->ngroups && !f->subscription)
		tv_set(a, target, "resourceGroup", tv_string(a, rg));
	tv_set(a, root, "target", target);
	tv_set(a, root, "subscription_scope", tv_bool(a, f->subscription));
	tv_set(a, root, "deploy_subscription", tv_raw(a, emit_comment_text(a, sub)));
	tv_set(a, root, "deploy_group", tv_raw(a, emit_comment_text(a, rg)));
	tv_set(a, root, "deploy_location", tv_raw(a, b->p.location ?
						  emit_comment_text(a, b->p.location) : ""));
}

static struct tval *file_root(struct bicep *b, const struct bfile *f,
			      struct tval *common)
{
	struct arena *a = b->a;
	struct tval *root = tv_object(a);

	for (size_t i = 0; i < common->u.obj.n; i++)
		tv_set(a, root, common->u.obj.keys[i], common->u.obj.vals[i]);
	target_values(b, root, f);
	stage_values(b, root, f);
	tv_set(a, root, "module", tv_bool(a, !f->main));
	tv_set(a, root, "params", f->params);
	tv_set(a, root, "existing", f->existing);
	tv_set(a, root, "existing_subnets", f->existing_subnets);
	tv_set(a, root, "resource_groups", f->resource_groups);
	tv_set(a, root, "public_ips", f->public_ips);
	tv_set(a, root, "gateways", f->gateways);
	tv_set(a, root, "vnets", f->vnets);
	tv_set(a, root, "route_tables", f->route_tables);
	tv_set(a, root, "subnets", f->subnets);
	tv_set(a, root, "peerings", f->peerings);
	if (f->main) {
		struct tval *required, *created;
		emit_stage_groups(a, &b->p, f->stage, group_value, &required, &created);
		tv_set(a, root, "modules", modules_value(b, f->stage));
		tv_set(a, root, "prerequisites", required);
		tv_set(a, root, "created_groups", created);
	} else {
		tv_set(a, root, "modules", tv_list(a));
		tv_set(a, root, "prerequisites", tv_list(a));
		tv_set(a, root, "created_groups", tv_list(a));
	}
	return root;
}

/* Stage s's main file and module files, in the stage's arena. At the
 * subscription, the main file is in no group: it names every VNet with
 * its scope. */
static void make_files(struct bicep *b, uint32_t s)
{
	const struct plan_stage *st = &b->p.stages[s];

	b->main = new_file(b, b->p.subscription_scope ? SIZE_MAX : 0, s);
	b->main->main = true;
	b->main->subscription = b->p.subscription_scope;
	for (uint32_t d = st->first; d < st->first + st->n; d++) {
		const struct plan_deployment *dp = &b->p.deployments[d];
		struct bfile *f;
		if (dp->top)
			continue;
		f = b->modules[d] = new_file(b, dp->group, s);
		f->deployment = d;
		f->subscription = dp->phase == PLAN_GROUPS;
		f->symbol = b->module_sym[d];
	}
}

/* Stage s's values, in the order name_all gives the symbols, which
 * orders every list and parameter of its files. */
static void build_stage(struct bicep *b, uint32_t s)
{
	const struct model *m = b->m;
	const struct plan *p = &b->p;
	const struct plan_stage *st = &p->stages[s];
	const struct plan_by_stage *gs = &p->groups_by_stage, *vs = &p->vnets_by_stage;
	const struct plan_by_stage *ts = &p->tables_by_stage, *ws = &p->gateways_by_stage;
	const struct plan_by_stage *ss = &p->sides_by_stage;

	make_files(b, s);
	for (uint32_t k = gs->start[s]; k < gs->start[s + 1]; k++)
		add_group(b, gs->at[k]);
	for (uint32_t k = ts->start[s]; k < ts->start[s + 1]; k++)
		add_route_table(b, &m->route_tables[ts->at[k]]);
	for (uint32_t k = ts->start[s]; k < ts->start[s + 1]; k++) {
		const struct m_vnet *v = m->route_tables[ts->at[k]].vnet;
		if (v->existing && plan_first_table(&b->p, ts->at[k]))
			add_subnet_links(b, v);
	}
	for (uint32_t k = vs->start[s]; k < vs->start[s + 1]; k++)
		add_vnet(b, &m->vnets[vs->at[k]]);
	for (uint32_t k = ws->start[s]; k < ws->start[s + 1]; k++)
		add_gateway(b, &m->vnets[ws->at[k]]);
	for (uint32_t k = ss->start[s]; k < ss->start[s + 1]; k++)
		add_side(b, ss->at[k]);
	for (uint32_t d = st->first; d < st->first + st->n; d++)
		if (b->modules[d])
			module_waits(b, b->modules[d]);
}

/* Stage s's main file, then its modules. */
static bool render_stage(struct bicep *b, const struct tmpl *tm, struct peerc_result *r,
			 uint32_t s, struct tval *common)
{
	const struct plan_stage *st = &b->p.stages[s];

	if (!emit_loaded(tm, r, file_root(b, b->main, common), s ? b->stage_files[s] : NULL))
		return false;
	for (uint32_t d = st->first; d < st->first + st->n; d++)
		if (b->modules[d] && !emit_loaded(tm, r, file_root(b, b->modules[d], common),
						  module_path(b, b->modules[d])))
			return false;
	return true;
}

void emit_bicep(const struct model *m, const struct peerc_options *opts,
		struct peerc_result *r)
{
	struct bicep b = { .a = r->arena, .keep = r->arena, .m = m };
	struct arena *a = r->arena;
	const struct tmpl *tm;

	if (!plan_build(&b.p, m, plan_base(a, opts->output_name, r->source.name), a,
			&r->diags))
		return;
	/* loaded once: every file renders it */
	tm = tmpl_load(a, &r->diags, opts->template_dir,
		       backend_find(PEERC_TARGET_BICEP)->dir, "main.bicep.tmpl", TMPL_BICEP);
	if (!tm)
		return;
	strmap_init(&b.symbols, a);
	b.names = arena_new();
	classify(&b, opts);
	name_all(&b);
	arena_free(b.names);
	b.names = NULL;
	struct tval *common = tv_object(a);
	tv_set(a, common, "peerc", emit_peerc_values(r, opts, "main.bicep"));
	tv_set(a, common, "types", type_values(&b));
	tv_set(a, common, "creates_gateway", tv_bool(a, b.p.creates_gateway));
	b.a = arena_new();
	for (uint32_t s = 0; s < b.p.nstages; s++) {
		const struct plan_stage *st = &b.p.stages[s];
		build_stage(&b, s);
		bool ok = render_stage(&b, tm, r, s, common);
		/* the stage is written; its values point to nothing a later
		 * stage renders */
		arena_clear(b.a);
		for (uint32_t d = st->first; d < st->first + st->n; d++)
			b.modules[d] = NULL;
		if (!ok)
			break;
	}
	arena_free(b.a);
}
