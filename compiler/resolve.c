/* Name resolution, defaults, and expansion of hub and mesh statements.
 *
 * Diagnostics reported here (all errors):
 *   unknown-name        a VNet or site that no statement declares
 *   not-a-vnet          a site where only a VNet can stand
 *   duplicate-vnet      a second vnet (or a name listed twice in a statement)
 *   duplicate-site      a second site, or a site named like a VNet
 *   duplicate-defaults  a second defaults block
 *   self-peering        a VNet peered with itself
 *   unknown-attribute   an attribute the statement does not have
 *   duplicate-attribute the same attribute twice in one block
 *   invalid-value       a value of the wrong kind, or not one of the choices
 *   peering-conflict    one pair declared twice with different settings
 *   peering-limit       a mesh or direct hub too large to expand
 *
 * Everything is linear in the size of the file, except what the file asks
 * for: a mesh of k VNets is k(k-1)/2 peerings, and is refused past Azure's
 * limit before it is expanded. */
#include "common.h"

#include <strings.h>

#include "apiversions.h"
#include "ast.h"
#include "diag.h"
#include "resolve.h"
#include "util.h"

/* Azure's peering limit per VNet (azure.md 4.5). */
#define MAX_PEERINGS 500
/* Hints are looked for among all names: only for this many unknown names,
 * so a file full of typos stays linear. */
#define MAX_HINTS 64

struct defaults {
	const char *subscription, *resource_group, *location;
	struct loc subscription_loc, resource_group_loc, location_loc;
	const struct attr *tags; /* the tags block's entries */
	const char *peering_name;
	struct loc peering_name_loc;
	const char *api_version;
};

struct resolver {
	struct sema *s;
	struct arena *a;
	struct diag_list *diags;
	struct defaults dflt;
	size_t nhints;
	size_t peerings_cap, hubs_cap, rules_cap, route_tables_cap;
};

/* ------------------------------------------------ small helpers */

static struct diag *error(struct resolver *r, const char *name, struct loc loc,
			  const char *fmt, ...) PRINTF_LIKE(4, 5);

static struct diag *error(struct resolver *r, const char *name, struct loc loc,
			  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = diag_vadd(r->diags, DIAG_ERROR, name, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct loc sema_stmt_head(const struct stmt *st)
{
	struct loc l = st->kw_loc;

	for (const struct ident *id = st->names; id; id = id->next)
		l.end = id->loc.end;
	return l;
}

static size_t count_values(const struct value *v)
{
	size_t n = 0;

	for (; v; v = v->next)
		n++;
	return n;
}

static const char *kind_word(enum value_kind k)
{
	switch (k) {
	case VAL_STRING:
		return "a string";
	case VAL_IDENT:
		return "a name";
	case VAL_INT:
		return "an integer";
	case VAL_ADDR:
		return "an address";
	case VAL_PREFIX:
		return "a prefix";
	case VAL_BOOL:
		return "true or false";
	}
	BUG();
}

/* ------------------------------------------------ attribute values */

/* What an attribute takes. */
enum want {
	W_FLAG,     /* a bare flag, true or false */
	W_TEXT,     /* a string or a name */
	W_STRING,   /* a string */
	W_ADDR,     /* one address */
	W_ADDRS,    /* a list of addresses */
	W_PREFIXES, /* a list of prefixes */
	W_IDENT,    /* one name */
	W_BLOCK,    /* a nested block */
};

static const char *want_word(enum want w)
{
	switch (w) {
	case W_FLAG:
		return "true or false";
	case W_TEXT:
		return "a string or a name";
	case W_STRING:
		return "a string";
	case W_ADDR:
		return "an address";
	case W_ADDRS:
		return "a list of addresses";
	case W_PREFIXES:
		return "a list of prefixes";
	case W_IDENT:
		return "a name";
	case W_BLOCK:
		return "a block { ... }";
	}
	BUG();
}

static bool value_fits(enum want w, const struct value *v)
{
	switch (w) {
	case W_FLAG:
		return v->kind == VAL_BOOL;
	case W_TEXT:
		return v->kind == VAL_STRING || v->kind == VAL_IDENT;
	case W_STRING:
		return v->kind == VAL_STRING;
	case W_ADDR:
	case W_ADDRS:
		return v->kind == VAL_ADDR;
	case W_PREFIXES:
		return v->kind == VAL_PREFIX;
	case W_IDENT:
		return v->kind == VAL_IDENT;
	case W_BLOCK:
		return false;
	}
	BUG();
}

static bool is_list(enum want w)
{
	return w == W_ADDRS || w == W_PREFIXES;
}

/* Whether the attribute's value has the shape w; reports it when not. */
static bool check_value(struct resolver *r, const struct attr *at, enum want w)
{
	const char *name = at->name;

	if (w == W_BLOCK || at->has_block) {
		if (w == W_BLOCK && at->has_block)
			return true;
		error(r, "invalid-value", at->loc, "'%s' takes %s", name, want_word(w));
		return false;
	}
	if (at->is_flag) {
		if (w == W_FLAG)
			return true;
		error(r, "invalid-value", at->loc, "'%s' needs a value: %s", name,
		      want_word(w));
		return false;
	}
	if (!is_list(w) && at->values && at->values->next) {
		error(r, "invalid-value", at->values->next->loc,
		      "'%s' takes one value, not a list", name);
		return false;
	}
	for (const struct value *v = at->values; v; v = v->next) {
		if (value_fits(w, v))
			continue;
		error(r, "invalid-value", v->loc, "'%s' takes %s, not %s", name,
		      want_word(w), kind_word(v->kind));
		return false;
	}
	return true;
}

static bool flag_value(const struct attr *at)
{
	return at->is_flag || at->values->u.boolean;
}

/* ------------------------------------------------ attribute tables */

/* The attributes one kind of block accepts, for "unknown attribute" and its
 * hint. */
static const char *const vnet_attrs[] = {
	"address", "address_space", "location", "resource_group", "subscription",
	"name", "gateway", "nva", "existing", "id", "dns_servers", "subnets",
	"tags", NULL,
};
static const char *const defaults_attrs[] = {
	"subscription", "resource_group", "location", "tags", "peering_name",
	"api_version", NULL,
};
static const char *const peer_attrs[] = {
	"access", "forwarded", "gateway", "name", NULL,
};
static const char *const mesh_attrs[] = {
	"access", "forwarded", "name", NULL,
};
static const char *const hub_attrs[] = {
	"access", "forwarded", "gateway", "name", "transit", "direct", NULL,
};
static const char *const side_attrs[] = {
	"access", "forwarded", "gateway_transit", "remote_gateway", NULL,
};

static const char *closest(const char *const *names, const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (; *names; names++) {
		size_t d = edit_distance(name, *names, 2);
		if (d < best_d) {
			best = *names;
			best_d = d;
		}
	}
	return best;
}

static void unknown_attr(struct resolver *r, const struct attr *at,
			 const char *const *known, const char *where)
{
	const char *hint = closest(known, at->name);
	struct diag *d;

	if (hint) {
		d = error(r, "unknown-attribute", at->name_loc,
			  "unknown attribute '%s' in %s; did you mean '%s'?",
			  at->name, where, hint);
		diag_fixit(r->diags, d, at->name_loc, hint);
	} else {
		error(r, "unknown-attribute", at->name_loc,
		      "unknown attribute '%s' in %s", at->name, where);
	}
}

/* A second attribute of the same name (and qualifier) in one block. The
 * blocks are short; a linear look back is cheaper than a map. */
static bool repeated(struct resolver *r, const struct attr *first,
		     const struct attr *at)
{
	for (const struct attr *p = first; p != at; p = p->next) {
		bool same_qual = (!p->qual && !at->qual) ||
				 (p->qual && at->qual && strcmp(p->qual, at->qual) == 0);
		if (!same_qual || strcmp(p->name, at->name) != 0)
			continue;
		struct diag *d = error(r, "duplicate-attribute", at->name_loc,
				       "'%s' is given twice", at->name);
		diag_note(r->diags, d, p->name_loc, "first given here");
		return true;
	}
	return false;
}

static bool unqualified(struct resolver *r, const struct attr *at, const char *where)
{
	if (!at->qual)
		return true;
	error(r, "unknown-attribute", at->qual_loc,
	      "'%s.%s': attributes in %s take no side qualifier", at->qual,
	      at->name, where);
	return false;
}

/* ------------------------------------------------ defaults */

static void check_tags(struct resolver *r, const struct attr *block)
{
	for (const struct attr *e = block; e; e = e->next)
		if (unqualified(r, e, "tags") && !repeated(r, block, e))
			check_value(r, e, W_STRING);
}

static bool known_attr(const char *const *known, const char *name)
{
	for (; *known; known++)
		if (strcmp(*known, name) == 0)
			return true;
	return false;
}

static const char *text_of(const struct attr *at)
{
	return at->values->u.str;
}

static void defaults_attr(struct resolver *r, const struct attr *at)
{
	struct defaults *d = &r->dflt;
	const char *n = at->name;

	if (strcmp(n, "subscription") == 0 && check_value(r, at, W_STRING)) {
		d->subscription = text_of(at);
		d->subscription_loc = at->values->loc;
	} else if (strcmp(n, "resource_group") == 0 && check_value(r, at, W_TEXT)) {
		d->resource_group = text_of(at);
		d->resource_group_loc = at->values->loc;
	} else if (strcmp(n, "location") == 0 && check_value(r, at, W_TEXT)) {
		d->location = text_of(at);
		d->location_loc = at->values->loc;
	} else if (strcmp(n, "tags") == 0 && check_value(r, at, W_BLOCK)) {
		check_tags(r, at->block);
		d->tags = at->block;
	} else if (strcmp(n, "peering_name") == 0 && check_value(r, at, W_STRING)) {
		d->peering_name = text_of(at);
		d->peering_name_loc = at->values->loc;
	} else if (strcmp(n, "api_version") == 0 && check_value(r, at, W_TEXT)) {
		if (api_version_valid(text_of(at)))
			d->api_version = text_of(at);
		else
			error(r, "invalid-value", at->values->loc,
			      "'%s' is not an API version: 'api_version' takes "
			      "a stable version, YYYY-MM-DD", text_of(at));
	}
}

static void resolve_defaults(struct resolver *r, const struct stmt *st)
{
	if (r->s->defaults) {
		struct diag *d = error(r, "duplicate-defaults", st->kw_loc,
				       "a second defaults block");
		diag_note(r->diags, d, r->s->defaults->kw_loc, "the first is here");
		return;
	}
	r->s->defaults = st;
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (!unqualified(r, at, "defaults") || repeated(r, st->attrs, at))
			continue;
		if (!known_attr(defaults_attrs, at->name))
			unknown_attr(r, at, defaults_attrs, "defaults");
		else
			defaults_attr(r, at);
	}
}

/* ------------------------------------------------ names */

/* The closest VNet (or site, when sites_too) name to an unknown one. */
static const char *closest_name(struct resolver *r, const char *name, bool sites_too)
{
	const struct model *m = &r->s->model;
	const char *best = NULL;
	size_t best_d = strlen(name) < 4 ? 2 : 3;

	if (r->nhints++ >= MAX_HINTS)
		return NULL;
	for (size_t i = 0; i < m->nvnets; i++) {
		size_t d = edit_distance(name, m->vnets[i].handle, best_d - 1);
		if (d < best_d) {
			best = m->vnets[i].handle;
			best_d = d;
		}
	}
	for (size_t i = 0; sites_too && i < m->nsites; i++) {
		size_t d = edit_distance(name, m->sites[i].name, best_d - 1);
		if (d < best_d) {
			best = m->sites[i].name;
			best_d = d;
		}
	}
	return best;
}

static void unknown_name(struct resolver *r, const struct ident *id, bool sites_too)
{
	const char *hint = closest_name(r, id->name, sites_too);
	const char *what = sites_too ? "VNet or site" : "VNet";
	struct diag *d;

	if (hint) {
		d = error(r, "unknown-name", id->loc, "unknown %s '%s'; did you mean '%s'?",
			  what, id->name, hint);
		diag_fixit(r->diags, d, id->loc, hint);
	} else {
		error(r, "unknown-name", id->loc, "unknown %s '%s'", what, id->name);
	}
}

/* The VNet an identifier names, or NULL (reported). */
static struct m_vnet *lookup_vnet(struct resolver *r, const struct ident *id)
{
	struct m_vnet *v = strmap_get(&r->s->vnet_by_handle, id->name);
	struct m_site *site;

	if (v)
		return v;
	site = strmap_get(&r->s->site_by_name, id->name);
	if (site) {
		struct diag *d = error(r, "not-a-vnet", id->loc,
				       "'%s' is a site, not a VNet", id->name);
		diag_note(r->diags, d, site->loc, "'%s' is declared here", id->name);
		return NULL;
	}
	unknown_name(r, id, false);
	return NULL;
}

/* ------------------------------------------------ declarations */

static size_t count_stmts(const struct ast_file *f, enum stmt_kind k)
{
	size_t n = 0;

	for (const struct stmt *st = f->stmts; st; st = st->next)
		n += st->kind == k;
	return n;
}

static void declare_vnet(struct resolver *r, const struct stmt *st)
{
	struct model *m = &r->s->model;
	const struct ident *id = st->names;
	struct m_vnet *v = &m->vnets[m->nvnets];
	struct m_vnet *prev = strmap_put(&r->s->vnet_by_handle, id->name, v);

	if (prev) {
		struct diag *d = error(r, "duplicate-vnet", id->loc,
				       "VNet '%s' is declared twice", id->name);
		diag_note(r->diags, d, prev->loc, "first declared here");
		return;
	}
	v->index = m->nvnets;
	v->handle = id->name;
	v->name = id->name;
	v->loc = id->loc;
	r->s->vnets[m->nvnets].stmt = st;
	m->nvnets++;
}

static void declare_site(struct resolver *r, const struct stmt *st)
{
	struct model *m = &r->s->model;
	const struct ident *id = st->names;
	struct m_site *site = &m->sites[m->nsites];
	struct m_vnet *v = strmap_get(&r->s->vnet_by_handle, id->name);
	struct m_site *prev;

	if (v) {
		struct diag *d = error(r, "duplicate-site", id->loc,
				       "'%s' is already a VNet", id->name);
		diag_note(r->diags, d, v->loc, "declared here");
		return;
	}
	prev = strmap_put(&r->s->site_by_name, id->name, site);
	if (prev) {
		struct diag *d = error(r, "duplicate-site", id->loc,
				       "site '%s' is declared twice", id->name);
		diag_note(r->diags, d, prev->loc, "first declared here");
		return;
	}
	site->name = id->name;
	site->loc = id->loc;
	r->s->sites[m->nsites].stmt = st;
	m->nsites++;
}

/* ------------------------------------------------ vnet attributes */

static void set_space(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
		      const struct value *list, struct loc loc)
{
	size_t n = count_values(list), i = 0;

	if (sv->space_src) {
		struct diag *d = error(r, "duplicate-attribute", loc,
				       "the address space of '%s' is given twice",
				       v->handle);
		diag_note(r->diags, d, sv->space_loc, "first given here");
		return;
	}
	v->space = arena_alloc(r->a, n * sizeof(*v->space));
	sv->space_src = arena_alloc(r->a, n * sizeof(*sv->space_src));
	for (const struct value *p = list; p; p = p->next, i++) {
		v->space[i] = ip_prefix_len_ok(&p->u.prefix) ?
				      ip_prefix_masked(&p->u.prefix) : p->u.prefix;
		sv->space_src[i] = p;
	}
	v->nspace = n;
	sv->space_loc = loc;
}

static void set_location(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
			 const char *region, struct loc loc)
{
	if (v->location) {
		struct diag *d = error(r, "duplicate-attribute", loc,
				       "the location of '%s' is given twice", v->handle);
		diag_note(r->diags, d, sv->location.loc, "first given here");
		return;
	}
	v->location = region;
	sv->location = (struct s_origin){ loc, false };
}

static void set_gateway(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
			const struct attr *at)
{
	if (at->has_block || (at->values && at->values->next)) {
		error(r, "invalid-value", at->loc,
		      "'gateway' is a flag, or 'vpn' or 'expressroute'");
		return;
	}
	if (at->is_flag || at->values->kind == VAL_BOOL) {
		v->gateway = flag_value(at) ? GW_ANY : GW_NONE;
	} else if (at->values->kind == VAL_IDENT &&
		   strcmp(at->values->u.str, "vpn") == 0) {
		v->gateway = GW_VPN;
	} else if (at->values->kind == VAL_IDENT &&
		   strcmp(at->values->u.str, "expressroute") == 0) {
		v->gateway = GW_EXPRESSROUTE;
	} else {
		error(r, "invalid-value", at->values->loc,
		      "'gateway' is a flag, or 'vpn' or 'expressroute'");
		return;
	}
	if (v->gateway != GW_NONE)
		sv->gateway_loc = at->loc;
}

static void set_subnets(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
			const struct attr *block)
{
	size_t n = 0, i = 0;

	for (const struct attr *e = block; e; e = e->next)
		n++;
	v->subnets = arena_alloc(r->a, n * sizeof(*v->subnets));
	sv->subnet_src = arena_alloc(r->a, n * sizeof(*sv->subnet_src));
	for (const struct attr *e = block; e; e = e->next) {
		if (!unqualified(r, e, "subnets") || repeated(r, block, e) ||
		    !check_value(r, e, W_PREFIXES))
			continue;
		if (!e->values || e->values->next) {
			error(r, "invalid-value", e->loc, "subnet '%s' takes one prefix",
			      e->name);
			continue;
		}
		struct m_subnet *sn = &v->subnets[i];
		sn->name = e->name;
		sn->prefix = ip_prefix_len_ok(&e->values->u.prefix) ?
				     ip_prefix_masked(&e->values->u.prefix) :
				     e->values->u.prefix;
		sn->loc = e->name_loc;
		sv->subnet_src[i++] = e->values;
	}
	v->nsubnets = i;
}

static void set_dns(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
		    const struct value *list)
{
	size_t n = count_values(list), i = 0;

	v->dns_servers = arena_alloc(r->a, n * sizeof(*v->dns_servers));
	sv->dns_src = arena_alloc(r->a, n * sizeof(*sv->dns_src));
	for (const struct value *p = list; p; p = p->next, i++) {
		v->dns_servers[i] = p->u.addr;
		sv->dns_src[i] = p;
	}
	v->ndns_servers = n;
}

/* Tags: own first, in written order, then the defaults' keys not given. */
static void set_tags(struct resolver *r, struct m_vnet *v, const struct attr *own)
{
	struct strmap seen;
	size_t n = 0, cap = 0;

	strmap_init(&seen, r->a);
	for (int pass = 0; pass < 2; pass++) {
		const struct attr *list = pass == 0 ? own : r->dflt.tags;
		for (const struct attr *e = list; e; e = e->next) {
			if (!e->values || e->values->kind != VAL_STRING ||
			    strmap_put(&seen, e->name, &seen))
				continue;
			ARENA_PUSH(r->a, v->tags, n, cap);
			v->tags[n - 1] = (struct m_tag){ e->name, e->values->u.str };
		}
	}
	v->ntags = n;
}

/* The attribute's expected shape, by name. */
static enum want vnet_want(const char *n)
{
	static const struct {
		const char *name;
		enum want want;
	} wants[] = {
		{ "address", W_PREFIXES }, { "address_space", W_PREFIXES },
		{ "location", W_TEXT },    { "resource_group", W_TEXT },
		{ "subscription", W_STRING }, { "name", W_TEXT },
		{ "nva", W_ADDR },         { "existing", W_FLAG },
		{ "id", W_STRING },        { "dns_servers", W_ADDRS },
		{ "subnets", W_BLOCK },    { "tags", W_BLOCK },
	};
	for (size_t i = 0; i < ARRAY_SIZE(wants); i++)
		if (strcmp(wants[i].name, n) == 0)
			return wants[i].want;
	BUG();
}

static void vnet_attr(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
		      const struct attr *at)
{
	const char *n = at->name;

	if (strcmp(n, "gateway") == 0) {
		set_gateway(r, v, sv, at);
		return;
	}
	if (!check_value(r, at, vnet_want(n)))
		return;
	if (strcmp(n, "address") == 0 || strcmp(n, "address_space") == 0) {
		set_space(r, v, sv, at->values, at->loc);
	} else if (strcmp(n, "location") == 0) {
		set_location(r, v, sv, text_of(at), at->values->loc);
	} else if (strcmp(n, "resource_group") == 0) {
		v->resource_group = text_of(at);
		sv->resource_group = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "subscription") == 0) {
		v->subscription = text_of(at);
		sv->subscription = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "name") == 0) {
		v->name = text_of(at);
		sv->name = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "nva") == 0) {
		v->has_nva = true;
		v->nva = at->values->u.addr;
		sv->nva_src = at->values;
	} else if (strcmp(n, "existing") == 0) {
		v->existing = v->existing || flag_value(at);
	} else if (strcmp(n, "id") == 0) {
		v->id = text_of(at);
		v->existing = true;
	} else if (strcmp(n, "dns_servers") == 0) {
		set_dns(r, v, sv, at->values);
	} else if (strcmp(n, "subnets") == 0) {
		set_subnets(r, v, sv, at->block);
	} else if (strcmp(n, "tags") == 0) {
		check_tags(r, at->block);
	}
}

/* A resource ID: /subscriptions/S/resourceGroups/G/providers/
 * Microsoft.Network/virtualNetworks/N (case-insensitive keywords). */
static bool split_id(struct resolver *r, const char *id, const char *part[3])
{
	static const char *const keys[] = { "subscriptions", "resourceGroups",
					    "providers", "Microsoft.Network",
					    "virtualNetworks" };
	const char *seg[10];
	size_t len[10], n = 0;
	const char *p = id;

	while (*p == '/' && n < 10) {
		const char *q = strchr(p + 1, '/');
		size_t l = q ? (size_t)(q - p - 1) : strlen(p + 1);
		seg[n] = p + 1;
		len[n++] = l;
		p += 1 + l;
	}
	if (*p || n != 8 || len[1] == 0 || len[3] == 0 || len[7] == 0)
		return false;
	const size_t at[] = { 0, 2, 4, 5, 6 };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (len[at[i]] != strlen(keys[i]) ||
		    strncasecmp(seg[at[i]], keys[i], len[at[i]]) != 0)
			return false;
	part[0] = arena_strndup(r->a, seg[1], len[1]);
	part[1] = arena_strndup(r->a, seg[3], len[3]);
	part[2] = arena_strndup(r->a, seg[7], len[7]);
	return true;
}

/* An `id` gives the subscription, group and name the VNet does not. */
static void apply_id(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
		     const struct attr *at)
{
	const char *part[3];

	if (!split_id(r, v->id, part)) {
		error(r, "invalid-value", at->values->loc,
		      "'id' is not a VNet resource ID (/subscriptions/ID/resourceGroups/"
		      "GROUP/providers/Microsoft.Network/virtualNetworks/NAME)");
		return;
	}
	struct s_origin org = { at->values->loc, false };
	if (!v->subscription) {
		v->subscription = part[0];
		sv->subscription = org;
	}
	if (!v->resource_group) {
		v->resource_group = part[1];
		sv->resource_group = org;
	}
	if (!sv->name.from_defaults && v->name == v->handle) {
		v->name = part[2];
		sv->name = org;
	}
}

static void apply_defaults(struct resolver *r, struct m_vnet *v, struct s_vnet *sv)
{
	const struct defaults *d = &r->dflt;

	if (!v->location && d->location) {
		v->location = d->location;
		sv->location = (struct s_origin){ d->location_loc, true };
	}
	if (!v->resource_group && d->resource_group) {
		v->resource_group = d->resource_group;
		sv->resource_group = (struct s_origin){ d->resource_group_loc, true };
	}
	if (!v->subscription && d->subscription) {
		v->subscription = d->subscription;
		sv->subscription = (struct s_origin){ d->subscription_loc, true };
	}
}

static void resolve_vnet(struct resolver *r, struct m_vnet *v)
{
	struct s_vnet *sv = &r->s->vnets[v->index];
	const struct stmt *st = sv->stmt;
	const struct attr *tags = NULL, *id = NULL;

	sv->name = (struct s_origin){ v->loc, false };
	sv->gateway_loc = LOC_NONE;
	if (st->prefixes)
		set_space(r, v, sv, st->prefixes, st->prefixes->loc);
	if (st->region)
		set_location(r, v, sv, st->region->name, st->region->loc);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (!unqualified(r, at, "a vnet") || repeated(r, st->attrs, at))
			continue;
		if (!known_attr(vnet_attrs, at->name)) {
			unknown_attr(r, at, vnet_attrs, "a vnet");
			continue;
		}
		vnet_attr(r, v, sv, at);
		if (strcmp(at->name, "tags") == 0 && at->has_block)
			tags = at->block;
		if (strcmp(at->name, "id") == 0 && v->id)
			id = at;
	}
	if (id)
		apply_id(r, v, sv, id);
	apply_defaults(r, v, sv);
	set_tags(r, v, tags);
}

static void resolve_site(struct resolver *r, size_t i)
{
	struct m_site *site = &r->s->model.sites[i];
	struct s_site *ss = &r->s->sites[i];
	const struct stmt *st = ss->stmt;
	size_t n = count_values(st->prefixes), k = 0;

	site->prefixes = arena_alloc(r->a, n * sizeof(*site->prefixes));
	ss->prefix_src = arena_alloc(r->a, n * sizeof(*ss->prefix_src));
	for (const struct value *p = st->prefixes; p; p = p->next, k++) {
		site->prefixes[k] = ip_prefix_len_ok(&p->u.prefix) ?
					    ip_prefix_masked(&p->u.prefix) : p->u.prefix;
		ss->prefix_src[k] = p;
	}
	site->nprefixes = n;
	if (st->via) {
		site->via = lookup_vnet(r, st->via);
		ss->via_loc = st->via->loc;
	}
	for (const struct attr *at = st->attrs; at; at = at->next) {
		static const char *const none[] = { NULL };
		unknown_attr(r, at, none, "a site");
	}
}

/* ------------------------------------------------ peerings */

/* The settings one statement gives to each pair it declares. side[0] is the
 * first-named VNet of a peer, the hub of a hub, and the first of a pair of a
 * mesh or of direct spokes. */
struct side_spec {
	bool access, forwarded, gateway_transit, remote_gateway;
	struct loc access_loc, forwarded_loc, gateway_transit_loc, remote_gateway_loc;
};

struct pair_spec {
	const struct stmt *st;
	struct side_spec side[2];
	struct side_spec both;  /* what the unqualified attributes say */
	const char *pattern;   /* the peering name pattern */
	struct loc pattern_loc;
	bool pattern_given;    /* by the statement or defaults, not built in */
	ptrdiff_t hub;
};

static void spec_init(struct resolver *r, struct pair_spec *ps, const struct stmt *st)
{
	struct loc head = sema_stmt_head(st);

	memset(ps, 0, sizeof(*ps));
	ps->st = st;
	ps->hub = -1;
	for (int k = 0; k < 2; k++) {
		ps->side[k].access = true;
		ps->side[k].access_loc = head;
		ps->side[k].forwarded_loc = head;
		ps->side[k].gateway_transit_loc = head;
		ps->side[k].remote_gateway_loc = head;
	}
	ps->both = ps->side[0];
	ps->pattern = "{local}-to-{remote}";
	ps->pattern_loc = head;
	if (r->dflt.peering_name) {
		ps->pattern = r->dflt.peering_name;
		ps->pattern_loc = r->dflt.peering_name_loc;
		ps->pattern_given = true;
	}
}

/* Sets one of the four side settings by name; false when there is none. */
static bool set_side(struct side_spec *sd, const char *name, bool val, struct loc loc)
{
	if (strcmp(name, "access") == 0) {
		sd->access = val;
		sd->access_loc = loc;
	} else if (strcmp(name, "forwarded") == 0) {
		sd->forwarded = val;
		sd->forwarded_loc = loc;
	} else if (strcmp(name, "gateway_transit") == 0) {
		sd->gateway_transit = val;
		sd->gateway_transit_loc = loc;
	} else if (strcmp(name, "remote_gateway") == 0) {
		sd->remote_gateway = val;
		sd->remote_gateway_loc = loc;
	} else {
		return false;
	}
	return true;
}

/* `gateway = X`: X's side offers transit, the other side uses it. */
static void set_gateway_pair(struct pair_spec *ps, int offer, bool on, struct loc loc)
{
	set_side(&ps->side[offer], "gateway_transit", on, loc);
	set_side(&ps->side[1 - offer], "remote_gateway", on, loc);
}

/* An attribute any peering block has: unqualified access, forwarded, name.
 * Returns false when it is not one of them. */
static bool common_peer_attr(struct resolver *r, struct pair_spec *ps,
			     const struct attr *at)
{
	const char *n = at->name;

	if (strcmp(n, "access") == 0 || strcmp(n, "forwarded") == 0) {
		if (check_value(r, at, W_FLAG)) {
			for (int k = 0; k < 2; k++)
				set_side(&ps->side[k], n, flag_value(at), at->loc);
			set_side(&ps->both, n, flag_value(at), at->loc);
		}
		return true;
	}
	if (strcmp(n, "name") == 0) {
		if (check_value(r, at, W_STRING)) {
			ps->pattern = text_of(at);
			ps->pattern_loc = at->values->loc;
			ps->pattern_given = true;
		}
		return true;
	}
	return false;
}

/* `Q.setting = value`: side is the side Q names, or -1 (reported). */
static void qualified_attr(struct resolver *r, struct pair_spec *ps,
			   const struct attr *at, int side)
{
	if (side < 0)
		return;
	if (!known_attr(side_attrs, at->name)) {
		unknown_attr(r, at, side_attrs, "a side of a peering");
		return;
	}
	if (check_value(r, at, W_FLAG))
		set_side(&ps->side[side], at->name, flag_value(at), at->loc);
}

static int qual_side(struct resolver *r, const struct attr *at,
		     const char *q0, const char *q1)
{
	if (strcmp(at->qual, q0) == 0)
		return 0;
	if (strcmp(at->qual, q1) == 0)
		return 1;
	error(r, "unknown-attribute", at->qual_loc,
	      "'%s.%s': the side must be '%s' or '%s'", at->qual, at->name, q0, q1);
	return -1;
}

/* peer A <-> B { ... } */
static void peer_block(struct resolver *r, struct pair_spec *ps, const struct stmt *st)
{
	const char *a = st->names->name, *b = st->names->next->name;

	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (repeated(r, st->attrs, at))
			continue;
		if (at->qual) {
			qualified_attr(r, ps, at, qual_side(r, at, a, b));
			continue;
		}
		if (common_peer_attr(r, ps, at))
			continue;
		if (strcmp(at->name, "gateway") != 0) {
			unknown_attr(r, at, peer_attrs, "a peer block");
			continue;
		}
		if (!check_value(r, at, W_IDENT))
			continue;
		const char *g = text_of(at);
		if (strcmp(g, a) == 0 || strcmp(g, b) == 0)
			set_gateway_pair(ps, strcmp(g, a) == 0 ? 0 : 1, true, at->loc);
		else if (strcmp(g, "none") != 0)
			error(r, "invalid-value", at->values->loc,
			      "'gateway' is '%s', '%s' or 'none'", a, b);
	}
}

/* ------------------------------------------------ the pair map */

static const char *pair_key(struct arena *a, const struct m_vnet *x,
			    const struct m_vnet *y)
{
	size_t lo = x->index < y->index ? x->index : y->index;
	size_t hi = x->index < y->index ? y->index : x->index;

	return arena_printf(a, "%zu:%zu", lo, hi);
}

ptrdiff_t sema_peering_between(const struct sema *s, const struct m_vnet *a,
			       const struct m_vnet *b)
{
	char key[48];
	size_t lo = a->index < b->index ? a->index : b->index;
	size_t hi = a->index < b->index ? b->index : a->index;

	snprintf(key, sizeof(key), "%zu:%zu", lo, hi);
	void *v = strmap_get(&s->pair_index, key);
	return v ? (ptrdiff_t)((uintptr_t)v - 1) : -1;
}

/* "{local}" and "{remote}" replaced by the Azure names. */
static const char *expand_name(struct arena *a, const char *pattern,
			       const struct m_vnet *local, const struct m_vnet *remote)
{
	struct strbuf sb;
	char *out;

	sb_init(&sb);
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{local}", 7) == 0) {
			sb_puts(&sb, local->name);
			p += 7;
		} else if (strncmp(p, "{remote}", 8) == 0) {
			sb_puts(&sb, remote->name);
			p += 8;
		} else {
			sb_putc(&sb, *p++);
		}
	}
	out = arena_strndup(a, sb.buf, sb.len);
	sb_free(&sb);
	return out;
}

static void fill_side(struct resolver *r, struct m_side *md, struct s_side *sd,
		      const struct side_spec *sp, const struct pair_spec *ps,
		      struct m_vnet *me, struct m_vnet *other)
{
	md->vnet = me;
	md->name = expand_name(r->a, ps->pattern, me, other);
	md->access = sp->access;
	md->forwarded = sp->forwarded;
	md->gateway_transit = sp->gateway_transit;
	md->remote_gateway = sp->remote_gateway;
	sd->access = sp->access_loc;
	sd->forwarded = sp->forwarded_loc;
	sd->gateway_transit = sp->gateway_transit_loc;
	sd->remote_gateway = sp->remote_gateway_loc;
	sd->name = ps->pattern_loc;
	sd->name_from_pattern = ps->pattern_given;
}

/* The first setting in which an existing side differs from a new one. */
static const char *side_differs(const struct m_side *old, const struct m_side *new)
{
	if (old->access != new->access)
		return "access";
	if (old->forwarded != new->forwarded)
		return "forwarded";
	if (old->gateway_transit != new->gateway_transit)
		return "gateway_transit";
	if (old->remote_gateway != new->remote_gateway)
		return "remote_gateway";
	if (strcmp(old->name, new->name) != 0)
		return "name";
	return NULL;
}

static void push_stmt(struct resolver *r, struct s_peering *sp, const struct stmt *st)
{
	size_t cap = sp->nstmts; /* grows by one: pairs are rarely declared twice */
	const struct stmt **n = arena_alloc(r->a, (cap + 1) * sizeof(*n));

	if (cap)
		memcpy(n, sp->stmts, cap * sizeof(*n));
	n[cap] = st;
	sp->stmts = n;
	sp->nstmts = cap + 1;
}

static void merge_pair(struct resolver *r, size_t pi, const struct m_peering *np,
		       const struct pair_spec *ps)
{
	struct m_peering *p = &r->s->model.peerings[pi];
	struct s_peering *sp = &r->s->peerings[pi];

	for (int k = 0; k < 2; k++) {
		int nk = np->side[0].vnet == p->side[k].vnet ? 0 : 1;
		const char *what = side_differs(&p->side[k], &np->side[nk]);
		if (!what)
			continue;
		struct diag *d = error(r, "peering-conflict", sema_stmt_head(ps->st),
			"'%s' <-> '%s' is declared again with a different '%s.%s'",
			p->side[0].vnet->handle, p->side[1].vnet->handle,
			p->side[k].vnet->handle, what);
		diag_note(r->diags, d, sema_stmt_head(sp->stmts[0]), "first declared here");
		return;
	}
	push_stmt(r, sp, ps->st);
}

/* Declares the pair x, y with the statement's settings (x takes side[0]). */
static void add_pair(struct resolver *r, struct m_vnet *x, struct m_vnet *y,
		     const struct pair_spec *ps)
{
	struct sema *s = r->s;
	struct m_peering np = { .first = -1, .loc = sema_stmt_head(ps->st) };
	struct s_peering nsp = { .hub = ps->hub };
	const char *key = pair_key(r->a, x, y);
	size_t idx = s->model.npeerings;
	void *prev = strmap_put(&s->pair_index, key, (void *)(uintptr_t)(idx + 1));

	fill_side(r, &np.side[0], &nsp.side[0], &ps->side[0], ps, x, y);
	fill_side(r, &np.side[1], &nsp.side[1], &ps->side[1], ps, y, x);
	if (prev) {
		merge_pair(r, (uintptr_t)prev - 1, &np, ps);
		return;
	}
	for (int k = 0; k < 2; k++)
		if (np.side[k].remote_gateway && np.side[1 - k].gateway_transit)
			np.first = 1 - k;
	size_t cap = r->peerings_cap;
	ARENA_PUSH(r->a, s->model.peerings, s->model.npeerings, r->peerings_cap);
	s->peerings = cap == r->peerings_cap ? s->peerings :
		arena_grow(r->a, s->peerings, cap * sizeof(*s->peerings),
			   r->peerings_cap * sizeof(*s->peerings));
	s->model.peerings[idx] = np;
	s->peerings[idx] = nsp;
	push_stmt(r, &s->peerings[idx], ps->st);
}

static bool not_self(struct resolver *r, const struct m_vnet *x,
		     const struct m_vnet *y, const struct ident *at)
{
	if (x != y)
		return true;
	error(r, "self-peering", at->loc, "VNet '%s' is peered with itself", x->handle);
	return false;
}

static void resolve_peer(struct resolver *r, const struct stmt *st)
{
	const struct ident *ia = st->names, *ib = ia->next;
	struct m_vnet *a = lookup_vnet(r, ia), *b = lookup_vnet(r, ib);
	struct pair_spec ps;

	spec_init(r, &ps, st);
	peer_block(r, &ps, st);
	if (a && b && not_self(r, a, b, ib))
		add_pair(r, a, b, &ps);
}

/* The VNets of a name list: unknown names and repeats reported and left out. */
static struct m_vnet **member_list(struct resolver *r, const struct ident *first,
				   size_t *n_out)
{
	size_t n = 0, k = 0;
	struct strmap seen;

	for (const struct ident *id = first; id; id = id->next)
		n++;
	struct m_vnet **out = arena_alloc(r->a, (n ? n : 1) * sizeof(*out));
	strmap_init(&seen, r->a);
	for (const struct ident *id = first; id; id = id->next) {
		struct m_vnet *v = lookup_vnet(r, id);
		if (!v)
			continue;
		struct loc *here = arena_alloc(r->a, sizeof(*here));
		*here = id->loc;
		const struct loc *prev = strmap_put(&seen, id->name, here);
		if (prev) {
			struct diag *d = error(r, "duplicate-vnet", id->loc,
					       "'%s' is listed twice", id->name);
			diag_note(r->diags, d, *prev, "first listed here");
			continue;
		}
		out[k++] = v;
	}
	*n_out = k;
	return out;
}

/* k members peered pairwise need k - 1 peerings each. */
static bool small_enough(struct resolver *r, const struct stmt *st, size_t k,
			 const char *what)
{
	if (k <= MAX_PEERINGS + 1)
		return true;
	error(r, "peering-limit", sema_stmt_head(st),
	      "%s of %zu VNets gives each %zu peerings; Azure allows at most %d",
	      what, k, k - 1, MAX_PEERINGS);
	return false;
}

static void all_pairs(struct resolver *r, struct m_vnet **v, size_t n,
		      const struct pair_spec *ps)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			add_pair(r, v[i], v[j], ps);
}

static void resolve_mesh(struct resolver *r, const struct stmt *st)
{
	size_t n;
	struct m_vnet **v = member_list(r, st->names, &n);
	struct pair_spec ps;

	spec_init(r, &ps, st);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (repeated(r, st->attrs, at) || !unqualified(r, at, "a mesh block"))
			continue;
		if (!common_peer_attr(r, &ps, at))
			unknown_attr(r, at, mesh_attrs, "a mesh block");
	}
	if (small_enough(r, st, n, "a mesh"))
		all_pairs(r, v, n, &ps);
}

/* ------------------------------------------------ hubs */

struct hub_block {
	const struct attr *gateway; /* the gateway attribute, or NULL */
	bool gateway_none;
};

static void hub_transit(struct resolver *r, struct s_hub *h, const struct attr *at)
{
	if (!check_value(r, at, W_IDENT))
		return;
	const char *t = text_of(at);
	if (strcmp(t, "nva") == 0)
		h->transit = TRANSIT_NVA;
	else if (strcmp(t, "gateway") == 0)
		h->transit = TRANSIT_GATEWAY;
	else if (strcmp(t, "none") != 0)
		error(r, "invalid-value", at->values->loc,
		      "'transit' is 'nva', 'gateway' or 'none'");
	if (h->transit != TRANSIT_NONE)
		h->transit_loc = at->loc;
}

static void hub_attr(struct resolver *r, struct s_hub *h, struct pair_spec *ps,
		     struct hub_block *hb, const struct attr *at)
{
	const char *n = at->name;

	if (common_peer_attr(r, ps, at))
		return;
	if (strcmp(n, "transit") == 0) {
		hub_transit(r, h, at);
	} else if (strcmp(n, "direct") == 0) {
		if (check_value(r, at, W_FLAG))
			h->direct = flag_value(at);
	} else if (strcmp(n, "gateway") == 0) {
		if (!check_value(r, at, W_IDENT))
			return;
		const char *g = text_of(at);
		if (strcmp(g, "none") == 0)
			hb->gateway_none = true;
		else if (strcmp(g, h->stmt->names->name) == 0)
			hb->gateway = at;
		else
			error(r, "invalid-value", at->values->loc,
			      "'gateway' in a hub block is '%s' or 'none'",
			      h->stmt->names->name);
	} else {
		unknown_attr(r, at, hub_attrs, "a hub block");
	}
}

/* Returns whether gateway = H is in effect only by default. */
static bool hub_block(struct resolver *r, struct s_hub *h, struct pair_spec *ps)
{
	const struct stmt *st = h->stmt;
	struct hub_block hb = { NULL, false };

	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (repeated(r, st->attrs, at))
			continue;
		if (at->qual)
			qualified_attr(r, ps, at, qual_side(r, at, "hub", "spokes"));
		else
			hub_attr(r, h, ps, &hb, at);
	}
	h->gateway_loc = hb.gateway ? hb.gateway->loc : sema_stmt_head(st);
	h->gateway = hb.gateway || (!hb.gateway_none && h->hub && h->hub->gateway != GW_NONE);
	if (h->gateway)
		set_gateway_pair(ps, 0, true, h->gateway_loc);
	/* Transit needs the spokes to accept what the hub forwards. */
	if (h->transit != TRANSIT_NONE)
		set_side(&ps->side[1], "forwarded", true, h->transit_loc);
	return h->gateway && !hb.gateway;
}

/* The spoke-to-spoke peerings of `direct` carry access and forwarded as the
 * block sets them unqualified, and nothing about gateways. */
static void direct_spec(const struct pair_spec *ps, struct pair_spec *dps)
{
	*dps = *ps;
	dps->side[0] = dps->side[1] = ps->both;
}

/* A default gateway = H is for the spokes that can use it: one with a
 * gateway of its own cannot (an explicit gateway = H still says so). */
static void hub_pairs(struct resolver *r, struct s_hub *h, const struct pair_spec *ps,
		      bool implied)
{
	struct pair_spec own = *ps;

	own.side[0].gateway_transit = false;
	own.side[1].remote_gateway = false;
	for (size_t i = 0; i < h->nspokes; i++) {
		bool skip = implied && h->spokes[i]->gateway != GW_NONE;
		add_pair(r, h->hub, h->spokes[i], skip ? &own : ps);
	}
	if (h->direct && small_enough(r, h->stmt, h->nspokes, "direct spokes")) {
		struct pair_spec dps;
		direct_spec(ps, &dps);
		all_pairs(r, h->spokes, h->nspokes, &dps);
	}
}

static void resolve_hub(struct resolver *r, const struct stmt *st)
{
	struct sema *s = r->s;
	struct m_vnet *hub = lookup_vnet(r, st->names);
	size_t n;
	struct m_vnet **spokes = member_list(r, st->names->next, &n);
	struct pair_spec ps;

	ARENA_PUSH(r->a, s->hubs, s->nhubs, r->hubs_cap);
	struct s_hub *h = &s->hubs[s->nhubs - 1];
	memset(h, 0, sizeof(*h));
	h->stmt = st;
	h->hub = hub;
	h->transit_loc = LOC_NONE;
	spec_init(r, &ps, st);
	ps.hub = (ptrdiff_t)(s->nhubs - 1);
	bool implied = hub_block(r, h, &ps);
	h->spokes = spokes;
	for (size_t i = 0; i < n; i++) {
		const struct ident *id = st->names->next;
		if (hub && spokes[i] == hub) {
			while (strcmp(id->name, hub->handle) != 0)
				id = id->next;
			not_self(r, hub, hub, id);
			continue;
		}
		h->spokes[h->nspokes++] = spokes[i];
	}
	if (hub)
		hub_pairs(r, h, &ps, implied);
}

/* ------------------------------------------------ transit route tables */

size_t sema_routes_to(const struct s_hub *h, const struct m_vnet *to)
{
	size_t n = 0;

	for (size_t k = 0; k < to->nspace; k++)
		n += h->transit != TRANSIT_NVA ||
		     to->space[k].addr.family == h->hub->nva.family;
	return n;
}

/* The routes toward one spoke, for every other spoke's table. */
static struct m_route *routes_to(struct resolver *r, const struct s_hub *h,
				 const struct m_vnet *to, struct m_route *out)
{
	size_t n = sema_routes_to(h, to);

	for (size_t k = 0; k < to->nspace; k++) {
		/* A route's next hop and prefix share a family. */
		if (h->transit == TRANSIT_NVA &&
		    to->space[k].addr.family != h->hub->nva.family)
			continue;
		out->name = n == 1 ? arena_printf(r->a, "to-%s", to->name) :
			arena_printf(r->a, "to-%s-%zu", to->name, k + 1);
		out->prefix = to->space[k];
		out->hop = h->transit == TRANSIT_NVA ? HOP_VIRTUAL_APPLIANCE :
						       HOP_VIRTUAL_NETWORK_GATEWAY;
		if (h->transit == TRANSIT_NVA)
			out->next_hop_ip = h->hub->nva;
		out++;
	}
	return out;
}

static struct m_route_table *new_route_table(struct resolver *r, size_t hi)
{
	struct sema *s = r->s;
	size_t old = r->route_tables_cap;

	ARENA_PUSH(r->a, s->model.route_tables, s->model.nroute_tables,
		   r->route_tables_cap);
	if (old != r->route_tables_cap)
		s->route_table_hub = arena_grow(r->a, s->route_table_hub,
			old * sizeof(size_t), r->route_tables_cap * sizeof(size_t));
	s->route_table_hub[s->model.nroute_tables - 1] = hi;
	struct m_route_table *rt = &s->model.route_tables[s->model.nroute_tables - 1];
	memset(rt, 0, sizeof(*rt));
	return rt;
}

/* One table per spoke: a route to every other spoke's prefixes. The hub's
 * routes are made once (all[], spoke i's at first[i] .. first[i + 1]) and
 * each table copies all but its own. A hub past the peering or route limit
 * gets none: that is an error, and its tables would be large for nothing. */
static void route_tables(struct resolver *r, size_t hi)
{
	const struct s_hub *h = &r->s->hubs[hi];
	size_t n = h->nspokes, total = 0, most = 0;

	if (!h->hub || h->transit == TRANSIT_NONE || n > MAX_PEERINGS)
		return;
	size_t *first = arena_alloc(r->a, (n + 1) * sizeof(*first));
	for (size_t i = 0; i < n; i++) {
		first[i] = total;
		total += sema_routes_to(h, h->spokes[i]);
	}
	first[n] = total;
	for (size_t i = 0; i < n; i++)
		if (total - (first[i + 1] - first[i]) > most)
			most = total - (first[i + 1] - first[i]);
	if (most > SEMA_MAX_ROUTES)
		return;
	struct m_route *all = arena_alloc(r->a, (total ? total : 1) * sizeof(*all));
	for (size_t i = 0; i < n; i++)
		routes_to(r, h, h->spokes[i], all + first[i]);
	for (size_t i = 0; i < n; i++) {
		struct m_route_table *rt = new_route_table(r, hi);
		rt->vnet = h->spokes[i];
		rt->hub = h->hub;
		rt->name = arena_printf(r->a, "rt-%s-via-%s", rt->vnet->name, h->hub->name);
		rt->nroutes = total - (first[i + 1] - first[i]);
		rt->routes = arena_alloc(r->a, (rt->nroutes ? rt->nroutes : 1) *
					 sizeof(*rt->routes));
		memcpy(rt->routes, all, first[i] * sizeof(*all));
		memcpy(rt->routes + first[i], all + first[i + 1],
		       (total - first[i + 1]) * sizeof(*all));
	}
}

/* ------------------------------------------------ indexes */

/* Each VNet's peerings and hubs, as compact arrays: count, then fill. */
static void index_vnets(struct resolver *r)
{
	struct sema *s = r->s;
	size_t nv = s->model.nvnets;

	for (size_t i = 0; i < s->model.npeerings; i++)
		for (int k = 0; k < 2; k++)
			s->vnets[s->model.peerings[i].side[k].vnet->index].npeerings++;
	for (size_t i = 0; i < s->nhubs; i++)
		for (size_t j = 0; j < s->hubs[i].nspokes; j++)
			s->vnets[s->hubs[i].spokes[j]->index].nspoke_of++;
	for (size_t v = 0; v < nv; v++) {
		struct s_vnet *sv = &s->vnets[v];
		sv->peerings = arena_alloc(r->a, sv->npeerings * sizeof(size_t));
		sv->spoke_of = arena_alloc(r->a, sv->nspoke_of * sizeof(size_t));
		sv->npeerings = sv->nspoke_of = 0;
	}
	for (size_t i = 0; i < s->model.npeerings; i++)
		for (int k = 0; k < 2; k++) {
			struct s_vnet *sv = &s->vnets[s->model.peerings[i].side[k].vnet->index];
			sv->peerings[sv->npeerings++] = i;
		}
	for (size_t i = 0; i < s->nhubs; i++)
		for (size_t j = 0; j < s->hubs[i].nspokes; j++) {
			struct s_vnet *sv = &s->vnets[s->hubs[i].spokes[j]->index];
			sv->spoke_of[sv->nspoke_of++] = i;
		}
}

static void subscriptions(struct resolver *r)
{
	struct model *m = &r->s->model;
	struct strmap seen;
	size_t cap = 0;

	strmap_init(&seen, r->a);
	if (r->dflt.subscription) {
		strmap_put(&seen, r->dflt.subscription, &seen);
		ARENA_PUSH(r->a, m->subscriptions, m->nsubscriptions, cap);
		m->subscriptions[0] = r->dflt.subscription;
	}
	for (size_t i = 0; i < m->nvnets; i++) {
		const char *sub = m->vnets[i].subscription;
		if (!sub || strmap_put(&seen, sub, &seen))
			continue;
		ARENA_PUSH(r->a, m->subscriptions, m->nsubscriptions, cap);
		m->subscriptions[m->nsubscriptions - 1] = sub;
	}
	m->resource_group = r->dflt.resource_group;
	for (size_t i = 0; !m->resource_group && i < m->nvnets; i++)
		if (m->vnets[i].subscription &&
		    strcmp(m->vnets[i].subscription, m->subscriptions[0]) == 0)
			m->resource_group = m->vnets[i].resource_group;
}

/* ------------------------------------------------ require and deny */

static bool lookup_end(struct resolver *r, const struct ident *id, struct s_end *e)
{
	e->loc = id->loc;
	e->vnet = strmap_get(&r->s->vnet_by_handle, id->name);
	e->site = e->vnet ? NULL : strmap_get(&r->s->site_by_name, id->name);
	if (e->vnet || e->site)
		return true;
	unknown_name(r, id, true);
	return false;
}

static void resolve_rule(struct resolver *r, const struct stmt *st)
{
	struct sema *s = r->s;
	struct s_rule rule = { .stmt = st, .deny = st->kind == STMT_DENY };
	bool ok = lookup_end(r, st->names, &rule.a);

	ok = lookup_end(r, st->names->next, &rule.b) && ok;
	if (!ok)
		return;
	ARENA_PUSH(r->a, s->rules, s->nrules, r->rules_cap);
	s->rules[s->nrules - 1] = rule;
}

/* ------------------------------------------------ the pass */

static void declare_all(struct resolver *r, const struct ast_file *f)
{
	struct sema *s = r->s;
	size_t nv = count_stmts(f, STMT_VNET), ns = count_stmts(f, STMT_SITE);

	s->model.vnets = arena_alloc(r->a, (nv ? nv : 1) * sizeof(*s->model.vnets));
	s->vnets = arena_alloc(r->a, (nv ? nv : 1) * sizeof(*s->vnets));
	s->model.sites = arena_alloc(r->a, (ns ? ns : 1) * sizeof(*s->model.sites));
	s->sites = arena_alloc(r->a, (ns ? ns : 1) * sizeof(*s->sites));
	for (const struct stmt *st = f->stmts; st; st = st->next) {
		if (st->kind == STMT_DEFAULTS)
			resolve_defaults(r, st);
		else if (st->kind == STMT_VNET)
			declare_vnet(r, st);
	}
	/* Sites after every VNet, so a site named like a later VNet is caught. */
	for (const struct stmt *st = f->stmts; st; st = st->next)
		if (st->kind == STMT_SITE)
			declare_site(r, st);
}

static void connect_all(struct resolver *r, const struct ast_file *f)
{
	for (const struct stmt *st = f->stmts; st; st = st->next) {
		switch (st->kind) {
		case STMT_PEER:
			resolve_peer(r, st);
			break;
		case STMT_HUB:
			resolve_hub(r, st);
			break;
		case STMT_MESH:
			resolve_mesh(r, st);
			break;
		case STMT_REQUIRE:
		case STMT_DENY:
			resolve_rule(r, st);
			break;
		case STMT_DEFAULTS:
		case STMT_VNET:
		case STMT_SITE:
			break;
		default:
			BUG();
		}
	}
}

struct sema *resolve(const struct ast_file *ast, struct arena *a,
		     struct diag_list *diags)
{
	struct resolver r = { .a = a, .diags = diags };

	if (!ast)
		return NULL;
	r.s = arena_alloc(a, sizeof(*r.s));
	r.s->arena = a;
	strmap_init(&r.s->vnet_by_handle, a);
	strmap_init(&r.s->site_by_name, a);
	strmap_init(&r.s->pair_index, a);
	declare_all(&r, ast);
	for (size_t i = 0; i < r.s->model.nvnets; i++)
		resolve_vnet(&r, &r.s->model.vnets[i]);
	for (size_t i = 0; i < r.s->model.nsites; i++)
		resolve_site(&r, i);
	connect_all(&r, ast);
	for (size_t i = 0; i < r.s->nhubs; i++)
		route_tables(&r, i);
	index_vnets(&r);
	subscriptions(&r);
	r.s->api_version = r.dflt.api_version;
	return r.s;
}
