/* Bicep back end: the model as template values for
 * templates/bicep/main.bicep.tmpl, rendered once for main.bicep and once
 * per module file. Every variable is listed in templates/README.md.
 *
 * Scope: main.bicep targets one resource group, the model's home group
 * (model.groups[0]), as the ARM output does. What lives there is declared in
 * main.bicep. Bicep cannot declare a resource in another scope (BCP139), so
 * each other group gets a module per deployment phase of the model
 * (enum deploy_phase, placed by the rules of deploy.h that the ARM output
 * follows too), deployed from main.bicep with scope: resourceGroup(sub, rg)
 * and named as the ARM output's nested deployments: network (created VNets
 * and their route tables), existing-route-tables (existing spokes' tables
 * and subnet writes; even for the home group, since main.bicep reads the
 * live subnets and the VNet's location and passes them in: a file cannot
 * read what it writes), gateways, peerings, remote-gateways. A module waits
 * only for modules of an earlier phase, or of an earlier group in the same
 * phase, so never in a cycle. */
#include "common.h"

#include "apiversions.h"
#include "deploy.h"
#include "diag.h"
#include "emit.h"
#include "model.h"
#include "util.h"

struct side_place;

/* One output file: main.bicep or a module. */
struct bfile {
	bool main;
	enum deploy_phase phase; /* a module's */
	const char *symbol; /* the module's symbol in main.bicep; NULL for main */
	size_t group;       /* index into model.groups */
	struct tval *params, *existing, *existing_subnets, *vnets, *route_tables;
	struct tval *subnets, *public_ips, *gateways, *peerings;
	struct tval *deps;  /* a module's dependsOn in main.bicep */
	struct tval *args;  /* a module's params in main.bicep */
	struct strmap dep_set;
	/* VNet index -> declared in this file (created or existing) */
	struct strmap declared;
};

struct bicep {
	struct arena *a;
	const struct model *m;
	const char **vnet_sym;  /* parallel to model.vnets */
	struct bfile **created_in; /* a created VNet's file, else NULL */
	struct bfile *main;
	struct bfile *(*modules)[DEPLOY_PHASES]; /* parallel to model.groups */
	struct bfile **files;      /* in output order (order_files) */
	size_t nfiles, files_cap;
	struct strmap symbols;     /* every identifier in use */
	struct bfile **gateway_in; /* parallel to model.vnets: a created gateway's file */
	const char **gateway_sym;  /* parallel to model.vnets */
	struct side_place *place;  /* 2 * peering + side */
	size_t (*chain)[2];        /* deploy_chain() */
	const char **rt_sym;       /* parallel to model.route_tables */
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
	return unique_name(b->a, &b->symbols, camel(b->a, text), "", true, reserved);
}

/* ------------------------------------------------------------------ files */

static struct bfile *new_file(struct bicep *b, size_t group)
{
	struct arena *a = b->a;
	struct bfile *f = arena_alloc(a, sizeof(*f));

	f->group = group;
	f->params = tv_list(a);
	f->args = tv_object(a);
	f->existing = tv_list(a);
	f->existing_subnets = tv_list(a);
	f->public_ips = tv_list(a);
	f->gateways = tv_list(a);
	f->vnets = tv_list(a);
	f->route_tables = tv_list(a);
	f->subnets = tv_list(a);
	f->peerings = tv_list(a);
	f->deps = tv_list(a);
	strmap_init(&f->dep_set, a);
	strmap_init(&f->declared, a);
	return f;
}

/* The file of a phase in a group: main.bicep for the home group (but for
 * DEPLOY_LOOKUP), else that group's module, made on first use. */
static struct bfile *file_for(struct bicep *b, size_t group, enum deploy_phase ph)
{
	static const char *const words[DEPLOY_PHASES] = {
		[DEPLOY_NETWORK] = "network",
		[DEPLOY_LOOKUP] = "existing route tables",
		[DEPLOY_GATEWAYS] = "gateways",
		[DEPLOY_PEERINGS] = "peerings",
		[DEPLOY_REMOTE_GATEWAYS] = "remote gateways",
	};
	struct bfile **f = &b->modules[group][ph];

	if (group == 0 && ph != DEPLOY_LOOKUP)
		return b->main;
	if (!*f) {
		*f = new_file(b, group);
		(*f)->phase = ph;
		(*f)->symbol = symbol(b, arena_printf(b->a, "%s %s",
			b->m->groups[group].resource_group, words[ph]));
	}
	return *f;
}

/* A quoted string inside an expression the back end builds. */
static void put_quoted(struct strbuf *sb, const char *s)
{
	tmpl_quote(TMPL_BICEP, s, sb);
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

static struct tval *scope_of(struct bicep *b, size_t group)
{
	const struct m_group *g = &b->m->groups[group];
	struct strbuf sb;
	sb_init(&sb);

	sb_puts(&sb, "resourceGroup(");
	put_quoted(&sb, g->subscription);
	sb_puts(&sb, ", ");
	put_quoted(&sb, g->resource_group);
	sb_putc(&sb, ')');
	struct tval *v = tv_raw(b->a, arena_strndup(b->a, sb.buf, sb.len));
	sb_free(&sb);
	return v;
}

static const char *index_key(struct bicep *b, size_t i)
{
	return arena_printf(b->a, "%zu", i);
}

/* The symbol of v in f: v itself when f creates it, else an `existing`
 * declaration made on first use (scoped when v lives in another group). */
static const char *vnet_in(struct bicep *b, struct bfile *f, const struct m_vnet *v)
{
	struct arena *a = b->a;
	const char *key = index_key(b, v->index);

	if (!strmap_get(&f->declared, key)) {
		struct tval *e = tv_object(a);
		size_t g = v->group;
		tv_set(a, e, "symbol", tv_raw(a, b->vnet_sym[v->index]));
		tv_set(a, e, "name", tv_string(a, v->name));
		tv_set(a, e, "scope", g == f->group ? tv_raw(a, "") : scope_of(b, g));
		tv_push(a, f->existing, e);
		strmap_put(&f->declared, key, f);
	}
	return b->vnet_sym[v->index];
}

/* f (a module) must wait for what: a module symbol or, in main, a resource
 * symbol. Recorded once. */
static void module_dep(struct bicep *b, struct bfile *f, const char *what)
{
	if (strmap_put(&f->dep_set, what, f))
		return;
	tv_push(b->a, f->deps, tv_raw(b->a, what));
}

/* What a resource of file `from` waits for, made as sym in another file
 * `in`: main's resource itself, or in's module. (In one file a reference,
 * or the resource's own dependsOn, orders them.) */
static void wait_for(struct bicep *b, struct bfile *from, struct tval *deps,
		     const struct bfile *in, const char *sym)
{
	const char *what = in->main ? sym : in->symbol;

	if (!from->main) {
		module_dep(b, from, what);
		return;
	}
	for (size_t i = 0; i < deps->u.list.n; i++)
		if (strcmp(deps->u.list.items[i]->u.str, what) == 0)
			return;
	tv_push(b->a, deps, tv_raw(b->a, what));
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
			arena_printf(b->a, "%s via %s", b->vnet_sym[rt->vnet->index],
				     b->vnet_sym[rt->hub->index]) :
			arena_printf(b->a, "%s gateway routes", b->vnet_sym[rt->hub->index]));
	}
}

/* The symbol of the route table a subnet takes, or NULL. */
static const char *subnet_table_sym(struct bicep *b, const struct m_subnet *sn)
{
	return sn->route_table ? b->rt_sym[sn->route_table - b->m->route_tables] : NULL;
}

static struct tval *subnet_value(struct bicep *b, const struct m_subnet *s,
				 const char *rt)
{
	struct arena *a = b->a;
	struct tval *o = tv_object(a);

	tv_set(a, o, "name", tv_string(a, s->name));
	emit_subnet_prefixes(a, o, s);
	tv_set(a, o, "route_table", rt ? raw_printf(a, "%s.id", rt) : tv_raw(a, ""));
	return o;
}

static void add_vnet(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;
	struct bfile *f = file_for(b, v->group, DEPLOY_NETWORK);
	struct tval *o = tv_object(a);
	struct tval *space = tv_list(a), *dns = tv_list(a), *subnets = tv_list(a);

	for (size_t i = 0; i < v->nspace; i++)
		tv_push(a, space, emit_prefix(a, &v->space[i]));
	for (size_t i = 0; i < v->ndns_servers; i++)
		tv_push(a, dns, emit_addr(a, &v->dns_servers[i]));
	for (size_t i = 0; i < v->nsubnets; i++)
		tv_push(a, subnets, subnet_value(b, &v->subnets[i],
						 subnet_table_sym(b, &v->subnets[i])));
	tv_set(a, o, "symbol", tv_raw(a, b->vnet_sym[v->index]));
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "location", tv_string(a, v->location));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	tv_set(a, o, "address_prefixes", space);
	tv_set(a, o, "dns_servers", dns);
	tv_set(a, o, "subnets", subnets);
	tv_push(a, f->vnets, o);
	strmap_put(&f->declared, index_key(b, v->index), f);
	b->created_in[v->index] = f;
}

/* An existing spoke's subnets are not peerc's: a subnet resource is a PUT
 * of the whole subnet, so each is written as it is in Azure with only its
 * route table set, as azurerm's association does (GET, set routeTable,
 * PUT). A file cannot read what it writes, so main.bicep reads the live
 * subnet (an `existing` subnet) and passes its properties to the module;
 * the read-only ones among them are ignored by the PUT. One VNet's subnet
 * writes are chained: Azure takes one at a time. */
static void add_subnet_links(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;
	struct bfile *f = file_for(b, v->group, deploy_route_table_phase(v));
	const char *prev = NULL;

	for (size_t i = 0; i < v->nsubnets; i++) {
		const char *rt = subnet_table_sym(b, &v->subnets[i]);
		if (!rt)
			continue;
		const char *sym = symbol(b, arena_printf(a, "%s %s", b->vnet_sym[v->index],
							 v->subnets[i].name));
		const char *live = symbol(b, arena_printf(a, "%s live", sym));
		const char *param = symbol(b, arena_printf(a, "%s properties", sym));
		struct tval *e = tv_object(a), *o = tv_object(a), *p = tv_object(a);
		tv_set(a, e, "symbol", tv_raw(a, live));
		tv_set(a, e, "parent", tv_raw(a, vnet_in(b, b->main, v)));
		tv_set(a, e, "name", tv_string(a, v->subnets[i].name));
		tv_push(a, b->main->existing_subnets, e);
		tv_set(a, p, "name", tv_raw(a, param));
		tv_set(a, p, "type", tv_raw(a, "object"));
		tv_push(a, f->params, p);
		tv_set(a, f->args, param, raw_printf(a, "%s.properties", live));
		tv_set(a, o, "symbol", tv_raw(a, sym));
		tv_set(a, o, "name", tv_string(a, v->subnets[i].name));
		tv_set(a, o, "parent", tv_raw(a, vnet_in(b, f, v)));
		tv_set(a, o, "properties", raw_printf(a, "union(%s, {\nrouteTable: {\nid: %s.id\n}\n})",
						      param, rt));
		struct tval *deps = tv_list(a);
		if (prev)
			tv_push(a, deps, tv_raw(a, prev));
		tv_set(a, o, "depends_on", deps);
		tv_push(a, f->subnets, o);
		prev = sym;
	}
}

static struct tval *route_value(struct arena *a, const struct m_route *r)
{
	struct tval *o = tv_object(a);
	bool nva = r->hop == HOP_VIRTUAL_APPLIANCE;

	tv_set(a, o, "name", tv_string(a, r->name));
	tv_set(a, o, "prefix", emit_prefix(a, &r->prefix));
	tv_set(a, o, "next_hop_type", emit_next_hop_type(a, r->hop));
	tv_set(a, o, "next_hop_ip", nva ? emit_addr(a, &r->next_hop_ip) : tv_raw(a, ""));
	return o;
}

/* An existing spoke known by name alone has no location in the model, and
 * a resource's location cannot be read at run time (ARM's reference() is
 * not allowed there): main.bicep reads it and passes it to f. */
static struct tval *location_param(struct bicep *b, struct bfile *f,
				   const struct m_vnet *v)
{
	struct arena *a = b->a;
	const char *name = symbol(b, arena_printf(a, "%s location",
						  b->vnet_sym[v->index]));
	struct tval *p = tv_object(a);

	tv_set(a, p, "name", tv_raw(a, name));
	tv_set(a, p, "type", tv_raw(a, "string"));
	tv_push(a, f->params, p);
	tv_set(a, f->args, name, raw_printf(a, "%s.location", vnet_in(b, b->main, v)));
	return tv_raw(a, name);
}

static void add_route_table(struct bicep *b, const struct m_route_table *rt,
			    const char *sym)
{
	struct arena *a = b->a;
	const struct m_vnet *v = rt->vnet;
	struct bfile *f = file_for(b, v->group, deploy_route_table_phase(v));
	struct tval *o = tv_object(a), *routes = tv_list(a);

	for (size_t i = 0; i < rt->nroutes; i++)
		tv_push(a, routes, route_value(a, &rt->routes[i]));
	tv_set(a, o, "symbol", tv_raw(a, sym));
	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "location", v->location ? tv_string(a, v->location) :
					       location_param(b, f, v));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	tv_set(a, o, "routes", routes);
	tv_set(a, o, "propagate", tv_bool(a, rt->propagate));
	tv_push(a, f->route_tables, o);
}

/* ----------------------------------------------------------------- gateways */

static void add_gateway(struct bicep *b, const struct m_vnet *v)
{
	struct arena *a = b->a;
	const struct m_gateway *gw = v->gw;
	struct bfile *f = file_for(b, v->group, DEPLOY_GATEWAYS);
	const char *vs = b->vnet_sym[v->index];
	const char *gs = symbol(b, arena_printf(a, "%s gateway", vs));
	const char *sn = symbol(b, arena_printf(a, "%s gateway subnet", vs));
	struct tval *o = tv_object(a), *configs = tv_list(a), *e = tv_object(a);
	struct tval *deps = tv_list(a);

	tv_set(a, e, "symbol", tv_raw(a, sn));
	tv_set(a, e, "parent", tv_raw(a, vnet_in(b, f, v)));
	tv_set(a, e, "name", tv_string(a, "GatewaySubnet"));
	tv_push(a, f->existing_subnets, e);
	for (size_t k = 0; k < gw->npublic_ips; k++) {
		struct tval *ip = tv_object(a), *c = tv_object(a);
		const char *is = symbol(b, arena_printf(a, "%s gateway ip%s", vs, k ? " 2" : ""));
		tv_set(a, ip, "symbol", tv_raw(a, is));
		tv_set(a, ip, "name", tv_string(a, gw->public_ips[k]));
		tv_set(a, ip, "location", tv_string(a, v->location));
		tv_set(a, ip, "zones", tv_bool(a, gw->zones));
		tv_set(a, ip, "tags", emit_tags(a, v->tags, v->ntags));
		tv_push(a, f->public_ips, ip);
		tv_set(a, c, "name", tv_string(a, k ? "vnetGatewayConfig2" : "vnetGatewayConfig"));
		tv_set(a, c, "subnet_id", raw_printf(a, "%s.id", sn));
		tv_set(a, c, "public_ip_id", raw_printf(a, "%s.id", is));
		tv_push(a, configs, c);
	}
	/* The subnet is `existing`: the VNet it is in must be written first. */
	const struct bfile *vf = b->created_in[v->index];
	if (vf && vf != f)
		wait_for(b, f, deps, vf, vs);
	else if (vf)
		tv_push(a, deps, tv_raw(a, vs));
	tv_set(a, o, "symbol", tv_raw(a, gs));
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "location", tv_string(a, v->location));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	emit_gateway_settings(a, o, v);
	tv_set(a, o, "ip_configurations", configs);
	tv_set(a, o, "depends_on", deps);
	tv_push(a, f->gateways, o);
	b->gateway_in[v->index] = f;
	b->gateway_sym[v->index] = gs;
}

/* ---------------------------------------------------------------- peerings */

struct side_place {
	struct bfile *file;
	const char *symbol;
};

/* Where side k of p goes: main for the home group, else its group's module
 * of the side's phase (deploy.h). */
static void place_side(struct bicep *b, const struct m_peering *p, int k,
		       struct side_place *place)
{
	const struct m_vnet *v = p->side[k].vnet;

	place->symbol = symbol(b, arena_printf(b->a, "%s to %s",
		b->vnet_sym[v->index], b->vnet_sym[p->side[!k].vnet->index]));
	place->file = file_for(b, v->group, deploy_side_phase(p, k));
}

/* One wait of a resource of file f, made in file `in` as sym: the resource
 * itself when in f, else through wait_for; never twice. */
static void wait_once(struct bicep *b, struct bfile *f, struct tval *deps,
		      const struct bfile *in, const char *sym)
{
	for (size_t i = 0; in == f && i < deps->u.list.n; i++)
		if (strcmp(deps->u.list.items[i]->u.str, sym) == 0)
			return;
	if (in == f)
		tv_push(b->a, deps, tv_raw(b->a, sym));
	else
		wait_for(b, f, deps, in, sym);
}

static void add_side(struct bicep *b, const struct m_peering *p, int k)
{
	struct arena *a = b->a;
	const struct m_side *s = &p->side[k];
	const struct m_vnet *local = s->vnet, *remote = p->side[!k].vnet;
	size_t me = 2 * (size_t)(p - b->m->peerings) + (size_t)k;
	const struct side_place *pl = &b->place[me];
	struct bfile *f = pl->file;
	struct tval *o = tv_object(a), *deps = tv_list(a);

	tv_set(a, o, "symbol", tv_raw(a, pl->symbol));
	tv_set(a, o, "parent", tv_raw(a, vnet_in(b, f, local)));
	tv_set(a, o, "name", tv_string(a, s->name));
	tv_set(a, o, "access", tv_bool(a, s->setting[SET_ACCESS]));
	tv_set(a, o, "forwarded", tv_bool(a, s->setting[SET_FORWARDED]));
	tv_set(a, o, "gateway_transit", tv_bool(a, s->setting[SET_GATEWAY_TRANSIT]));
	tv_set(a, o, "remote_gateway", tv_bool(a, s->setting[SET_REMOTE_GATEWAY]));
	tv_set(a, o, "remote_id", raw_printf(a, "%s.id", vnet_in(b, f, remote)));
	/* The local VNet is the parent and the remote one is referenced: in
	 * one file that orders them, across files it does not. */
	const struct m_vnet *ends[2] = { local, remote };
	for (int e = 0; e < 2; e++) {
		const struct bfile *vf = b->created_in[ends[e]->index];
		if (vf && vf != f)
			wait_for(b, f, deps, vf, b->vnet_sym[ends[e]->index]);
	}
	/* A gateway peerc creates in either VNet (Azure does not change a
	 * VNet's peerings while its gateway is made; one that uses the gateway
	 * needs it), the half whose transit it uses, and the halves before it
	 * that touch its VNets (deploy_chain). */
	for (int e = 0; e < 2; e++)
		if (b->gateway_in[ends[e]->index])
			wait_once(b, f, deps, b->gateway_in[ends[e]->index],
				  b->gateway_sym[ends[e]->index]);
	size_t waits[3] = { SIZE_MAX, b->chain[me][0], b->chain[me][1] };
	if (deploy_side_phase(p, k) == DEPLOY_REMOTE_GATEWAYS)
		waits[0] = 2 * (me / 2) + (size_t)p->first;
	for (int w = 0; w < 3; w++)
		if (waits[w] != SIZE_MAX)
			wait_once(b, f, deps, b->place[waits[w]].file,
				  b->place[waits[w]].symbol);
	tv_set(a, o, "depends_on", deps);
	tv_push(a, f->peerings, o);
}

/* ------------------------------------------------------------------- main */

static void classify(struct bicep *b)
{
	const struct model *m = b->m;
	size_t n = m->nvnets + 1;

	b->vnet_sym = arena_alloc(b->a, n * sizeof(*b->vnet_sym));
	b->created_in = arena_alloc(b->a, n * sizeof(*b->created_in));
	b->modules = arena_alloc(b->a, (m->ngroups + 1) * sizeof(*b->modules));
	b->main = new_file(b, 0);
	b->main->main = true;
	for (size_t i = 0; i < m->nvnets; i++)
		b->vnet_sym[i] = symbol(b, m->vnets[i].handle);
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
	};
	struct tval *o = tv_object(b->a);

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		tv_set(b->a, o, types[i].key, tv_string(b->a, arena_printf(b->a, "%s@%s",
			types[i].type, api_version_for(b->m, types[i].type))));
	return o;
}

static const char *module_path(struct arena *a, const struct bfile *f)
{
	return arena_printf(a, "%s/%s.bicep", backend_find(PEERC_TARGET_BICEP)->module_dir,
			    f->symbol);
}

/* main.bicep, then the modules by group and phase. */
static void order_files(struct bicep *b)
{
	ARENA_PUSH(b->a, b->files, b->nfiles, b->files_cap);
	b->files[0] = b->main;
	for (size_t g = 0; g < b->m->ngroups; g++) {
		for (int k = 0; k < DEPLOY_PHASES; k++) {
			if (!b->modules[g][k])
				continue;
			ARENA_PUSH(b->a, b->files, b->nfiles, b->files_cap);
			b->files[b->nfiles - 1] = b->modules[g][k];
		}
	}
}

static struct tval *modules_value(struct bicep *b)
{
	struct arena *a = b->a;
	struct tval *list = tv_list(a);

	for (size_t i = 1; i < b->nfiles; i++) {
		const struct bfile *f = b->files[i];
		struct tval *o = tv_object(a);
		tv_set(a, o, "symbol", tv_raw(a, f->symbol));
		tv_set(a, o, "path", tv_string(a, module_path(a, f)));
		tv_set(a, o, "name", tv_string(a, b->m->groups[f->group].deployment[f->phase]));
		tv_set(a, o, "scope", scope_of(b, f->group));
		tv_set(a, o, "params", f->args);
		tv_set(a, o, "depends_on", f->deps);
		tv_push(a, list, o);
	}
	return list;
}

/* The groups main.bicep and its modules deploy to, once each: they must
 * exist before a deployment. */
static struct tval *module_groups(struct bicep *b)
{
	struct arena *a = b->a;
	struct tval *list = tv_list(a);
	bool *seen = arena_alloc(a, b->m->ngroups + 1);

	for (size_t i = 0; i < b->nfiles; i++) {
		const struct m_group *g = &b->m->groups[b->files[i]->group];
		if (!b->m->ngroups || seen[b->files[i]->group])
			continue;
		seen[b->files[i]->group] = true;
		struct tval *o = tv_object(a);
		tv_set(a, o, "subscription", tv_raw(a, emit_comment_text(a, g->subscription)));
		tv_set(a, o, "resource_group", tv_raw(a, emit_comment_text(a, g->resource_group)));
		tv_push(a, list, o);
	}
	return list;
}

static struct tval *file_root(struct bicep *b, const struct bfile *f,
			      struct tval *common)
{
	struct arena *a = b->a;
	const struct m_group *g = b->m->ngroups ? &b->m->groups[f->group] : NULL;
	struct tval *root = tv_object(a), *target = tv_object(a);

	for (size_t i = 0; i < common->u.obj.n; i++)
		tv_set(a, root, common->u.obj.keys[i], common->u.obj.vals[i]);
	/* (no group at all only when the file declares no VNet) */
	if (g) {
		tv_set(a, target, "subscription", tv_string(a, g->subscription));
		tv_set(a, target, "resourceGroup", tv_string(a, g->resource_group));
		tv_set(a, root, "deploy_subscription",
		       tv_raw(a, emit_comment_text(a, g->subscription)));
		tv_set(a, root, "deploy_group", tv_raw(a, emit_comment_text(a, g->resource_group)));
	} else {
		tv_set(a, root, "deploy_subscription", tv_raw(a, "SUBSCRIPTION"));
		tv_set(a, root, "deploy_group", tv_raw(a, "GROUP"));
	}
	tv_set(a, root, "module", tv_bool(a, !f->main));
	tv_set(a, root, "target", target);
	tv_set(a, root, "params", f->params);
	tv_set(a, root, "existing", f->existing);
	tv_set(a, root, "existing_subnets", f->existing_subnets);
	tv_set(a, root, "public_ips", f->public_ips);
	tv_set(a, root, "gateways", f->gateways);
	tv_set(a, root, "vnets", f->vnets);
	tv_set(a, root, "route_tables", f->route_tables);
	tv_set(a, root, "subnets", f->subnets);
	tv_set(a, root, "peerings", f->peerings);
	tv_set(a, root, "modules", f->main ? modules_value(b) : tv_list(a));
	tv_set(a, root, "prerequisites", f->main ? module_groups(b) : tv_list(a));
	return root;
}

static bool any_gateway(const struct model *m)
{
	for (size_t i = 0; i < m->nvnets; i++)
		if (deploy_creates_gateway(&m->vnets[i]))
			return true;
	return false;
}

/* Bicep's max-resources rule is an error, after ARM's limit of 800
 * resources in one template: a larger file would not deploy. */
#define MAX_TEMPLATE_RESOURCES 800

static bool within_limits(struct bicep *b, struct peerc_result *r)
{
	bool ok = true;

	for (size_t i = 0; i < b->nfiles; i++) {
		const struct bfile *f = b->files[i];
		size_t n = f->vnets->u.list.n + f->route_tables->u.list.n +
			   f->subnets->u.list.n + f->peerings->u.list.n +
			   f->public_ips->u.list.n + f->gateways->u.list.n +
			   (f->main ? b->nfiles - 1 : 0);
		if (n <= MAX_TEMPLATE_RESOURCES)
			continue;
		diag_add(&r->diags, DIAG_ERROR, "template-size", LOC_NONE,
			 "the Bicep output's %s would declare %zu resources, and a "
			 "template holds at most %d",
			 f->main ? "main file" : module_path(b->a, f), n,
			 MAX_TEMPLATE_RESOURCES);
		ok = false;
	}
	return ok;
}

void emit_bicep(const struct model *m, const struct peerc_options *opts,
		struct peerc_result *r)
{
	struct bicep b = { .a = r->arena, .m = m };
	struct arena *a = r->arena;
	const struct backend *be = backend_find(PEERC_TARGET_BICEP);

	strmap_init(&b.symbols, a);
	classify(&b);
	route_table_syms(&b);
	for (size_t i = 0; i < m->nroute_tables; i++)
		add_route_table(&b, &m->route_tables[i], b.rt_sym[i]);
	bool *linked = arena_alloc(a, (m->nvnets + 1) * sizeof(*linked));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_vnet *v = m->route_tables[i].vnet;
		if (v->existing && !linked[v->index])
			add_subnet_links(&b, v);
		linked[v->index] = true;
	}
	for (size_t i = 0; i < m->nvnets; i++)
		if (!m->vnets[i].existing)
			add_vnet(&b, &m->vnets[i]);
	b.gateway_in = arena_alloc(a, (m->nvnets + 1) * sizeof(*b.gateway_in));
	b.gateway_sym = arena_alloc(a, (m->nvnets + 1) * sizeof(*b.gateway_sym));
	for (size_t i = 0; i < m->nvnets; i++)
		if (deploy_creates_gateway(&m->vnets[i]))
			add_gateway(&b, &m->vnets[i]);
	b.place = arena_alloc(a, (2 * m->npeerings + 1) * sizeof(*b.place));
	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			place_side(&b, &m->peerings[i], k, &b.place[2 * i + (size_t)k]);
	b.chain = deploy_chain(m, a);
	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			add_side(&b, &m->peerings[i], k);
	order_files(&b);
	if (!within_limits(&b, r))
		return;
	struct tval *common = tv_object(a);
	tv_set(a, common, "peerc", emit_peerc_values(r, opts, "main.bicep"));
	tv_set(a, common, "types", type_values(&b));
	tv_set(a, common, "creates_gateway", tv_bool(a, b.nfiles && any_gateway(m)));
	for (size_t i = 0; i < b.nfiles; i++) {
		const struct bfile *f = b.files[i];
		if (!emit_template(be, opts, r, "main.bicep.tmpl", TMPL_BICEP,
				   file_root(&b, f, common),
				   i ? module_path(a, f) : NULL))
			return;
	}
}
