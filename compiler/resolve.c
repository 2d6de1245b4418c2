/* Name resolution: declarations, names, attributes and defaults; expand.c
 * turns the peer, hub and mesh statements into peerings.
 *
 * Diagnostics reported by the pass (all errors):
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
#include "resolve_int.h"
#include "util.h"

/* Hints are looked for among all names: only for this many unknown names,
 * so a file full of typos stays linear. */
#define MAX_HINTS 64

/* ------------------------------------------------ small helpers */

struct diag *res_error(struct resolver *r, const char *name, struct loc loc,
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
bool res_value_ok(struct resolver *r, const struct attr *at, enum want w)
{
	const char *name = at->name;

	if (w == W_BLOCK || at->has_block) {
		if (w == W_BLOCK && at->has_block)
			return true;
		res_error(r, "invalid-value", at->loc, "'%s' takes %s", name, want_word(w));
		return false;
	}
	if (at->is_flag) {
		if (w == W_FLAG)
			return true;
		res_error(r, "invalid-value", at->loc, "'%s' needs a value: %s", name,
			  want_word(w));
		return false;
	}
	if (!is_list(w) && at->values && at->values->next) {
		res_error(r, "invalid-value", at->values->next->loc,
			  "'%s' takes one value, not a list", name);
		return false;
	}
	for (const struct value *v = at->values; v; v = v->next) {
		if (value_fits(w, v))
			continue;
		res_error(r, "invalid-value", v->loc, "'%s' takes %s, not %s", name,
			  want_word(w), kind_word(v->kind));
		return false;
	}
	return true;
}

bool res_flag(const struct attr *at)
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

void res_unknown_attr(struct resolver *r, const struct attr *at,
		      const char *const *known, const char *where)
{
	const char *hint = closest(known, at->name);
	struct diag *d;

	if (hint) {
		d = res_error(r, "unknown-attribute", at->name_loc,
			      "unknown attribute '%s' in %s; did you mean '%s'?",
			      at->name, where, hint);
		diag_fixit(r->diags, d, at->name_loc, hint);
	} else {
		res_error(r, "unknown-attribute", at->name_loc,
			  "unknown attribute '%s' in %s", at->name, where);
	}
}

/* A second attribute of the same name (and qualifier) in one block: seen
 * holds the ones the block's loop passed before, by "QUAL.NAME" or "=NAME"
 * (a qualifier has no '.', a name never starts with '='). A map, not a look
 * back: tags and subnets blocks may be thousands long. */
bool res_repeated(struct resolver *r, struct strmap *seen,
		  const struct attr *at)
{
	const char *key = at->qual ? arena_printf(r->a, "%s.%s", at->qual, at->name) :
				     arena_printf(r->a, "=%s", at->name);
	const struct attr *p = strmap_put(seen, key, (void *)(uintptr_t)at);

	if (!p)
		return false;
	struct diag *d = res_error(r, "duplicate-attribute", at->name_loc,
				   "'%s' is given twice", at->name);
	diag_note(r->diags, d, p->name_loc, "first given here");
	return true;
}

bool res_unqualified(struct resolver *r, const struct attr *at, const char *where)
{
	if (!at->qual)
		return true;
	res_error(r, "unknown-attribute", at->qual_loc,
		  "'%s.%s': attributes in %s take no side qualifier", at->qual,
		  at->name, where);
	return false;
}

/* ------------------------------------------------ defaults */

static void check_tags(struct resolver *r, const struct attr *block)
{
	struct strmap seen;

	strmap_init(&seen, r->a);
	for (const struct attr *e = block; e; e = e->next)
		if (res_unqualified(r, e, "tags") && !res_repeated(r, &seen, e))
			res_value_ok(r, e, W_STRING);
}

bool res_known_attr(const char *const *known, const char *name)
{
	for (; *known; known++)
		if (strcmp(*known, name) == 0)
			return true;
	return false;
}

const char *res_text(const struct attr *at)
{
	return at->values->u.str;
}

static void defaults_attr(struct resolver *r, const struct attr *at)
{
	struct defaults *d = &r->dflt;
	const char *n = at->name;

	if (strcmp(n, "subscription") == 0 && res_value_ok(r, at, W_STRING)) {
		d->subscription = res_text(at);
		d->subscription_loc = at->values->loc;
	} else if (strcmp(n, "resource_group") == 0 && res_value_ok(r, at, W_TEXT)) {
		d->resource_group = res_text(at);
		d->resource_group_loc = at->values->loc;
	} else if (strcmp(n, "location") == 0 && res_value_ok(r, at, W_TEXT)) {
		d->location = res_text(at);
		d->location_loc = at->values->loc;
	} else if (strcmp(n, "tags") == 0 && res_value_ok(r, at, W_BLOCK)) {
		check_tags(r, at->block);
		d->tags = at->block;
	} else if (strcmp(n, "peering_name") == 0 && res_value_ok(r, at, W_STRING)) {
		d->peering_name = res_text(at);
		d->peering_name_loc = at->values->loc;
	} else if (strcmp(n, "api_version") == 0 && res_value_ok(r, at, W_TEXT)) {
		if (api_version_valid(res_text(at)))
			d->api_version = res_text(at);
		else
			res_error(r, "invalid-value", at->values->loc,
				  "'%s' is not an API version: 'api_version' takes "
				  "a stable version, YYYY-MM-DD", res_text(at));
	}
}

static void resolve_defaults(struct resolver *r, const struct stmt *st)
{
	struct strmap seen;

	if (r->s->defaults) {
		struct diag *d = res_error(r, "duplicate-defaults", st->kw_loc,
					   "a second defaults block");
		diag_note(r->diags, d, r->s->defaults->kw_loc, "the first is here");
		return;
	}
	r->s->defaults = st;
	strmap_init(&seen, r->a);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (!res_unqualified(r, at, "defaults") || res_repeated(r, &seen, at))
			continue;
		if (!res_known_attr(defaults_attrs, at->name))
			res_unknown_attr(r, at, defaults_attrs, "defaults");
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
		d = res_error(r, "unknown-name", id->loc, "unknown %s '%s'; did you mean '%s'?",
			      what, id->name, hint);
		diag_fixit(r->diags, d, id->loc, hint);
	} else {
		res_error(r, "unknown-name", id->loc, "unknown %s '%s'", what, id->name);
	}
}

/* The VNet an identifier names, or NULL (reported). */
struct m_vnet *res_lookup_vnet(struct resolver *r, const struct ident *id)
{
	struct m_vnet *v = strmap_get(&r->s->vnet_by_handle, id->name);
	struct m_site *site;

	if (v)
		return v;
	site = strmap_get(&r->s->site_by_name, id->name);
	if (site) {
		struct diag *d = res_error(r, "not-a-vnet", id->loc,
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
		struct diag *d = res_error(r, "duplicate-vnet", id->loc,
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
		struct diag *d = res_error(r, "duplicate-site", id->loc,
					   "'%s' is already a VNet", id->name);
		diag_note(r->diags, d, v->loc, "declared here");
		return;
	}
	prev = strmap_put(&r->s->site_by_name, id->name, site);
	if (prev) {
		struct diag *d = res_error(r, "duplicate-site", id->loc,
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
		struct diag *d = res_error(r, "duplicate-attribute", loc,
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
		struct diag *d = res_error(r, "duplicate-attribute", loc,
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
		res_error(r, "invalid-value", at->loc,
			  "'gateway' is a flag, or 'vpn' or 'expressroute'");
		return;
	}
	if (at->is_flag || at->values->kind == VAL_BOOL) {
		v->gateway = res_flag(at) ? GW_ANY : GW_NONE;
	} else if (at->values->kind == VAL_IDENT &&
		   strcmp(at->values->u.str, "vpn") == 0) {
		v->gateway = GW_VPN;
	} else if (at->values->kind == VAL_IDENT &&
		   strcmp(at->values->u.str, "expressroute") == 0) {
		v->gateway = GW_EXPRESSROUTE;
	} else {
		res_error(r, "invalid-value", at->values->loc,
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
	struct strmap seen;

	strmap_init(&seen, r->a);
	for (const struct attr *e = block; e; e = e->next)
		n++;
	v->subnets = arena_alloc(r->a, n * sizeof(*v->subnets));
	sv->subnet_src = arena_alloc(r->a, n * sizeof(*sv->subnet_src));
	for (const struct attr *e = block; e; e = e->next) {
		if (!res_unqualified(r, e, "subnets") || res_repeated(r, &seen, e) ||
		    !res_value_ok(r, e, W_PREFIXES))
			continue;
		if (!e->values || e->values->next) {
			res_error(r, "invalid-value", e->loc, "subnet '%s' takes one prefix",
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
	if (!res_value_ok(r, at, vnet_want(n)))
		return;
	if (strcmp(n, "address") == 0 || strcmp(n, "address_space") == 0) {
		set_space(r, v, sv, at->values, at->loc);
	} else if (strcmp(n, "location") == 0) {
		set_location(r, v, sv, res_text(at), at->values->loc);
	} else if (strcmp(n, "resource_group") == 0) {
		v->resource_group = res_text(at);
		sv->resource_group = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "subscription") == 0) {
		v->subscription = res_text(at);
		sv->subscription = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "name") == 0) {
		v->name = res_text(at);
		sv->name = (struct s_origin){ at->values->loc, false };
	} else if (strcmp(n, "nva") == 0) {
		v->has_nva = true;
		v->nva = at->values->u.addr;
		sv->nva_src = at->values;
	} else if (strcmp(n, "existing") == 0) {
		v->existing = v->existing || res_flag(at);
	} else if (strcmp(n, "id") == 0) {
		v->id = res_text(at);
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
		res_error(r, "invalid-value", at->values->loc,
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
	struct strmap seen;

	strmap_init(&seen, r->a);
	sv->name = (struct s_origin){ v->loc, false };
	sv->gateway_loc = LOC_NONE;
	if (st->prefixes)
		set_space(r, v, sv, st->prefixes, st->prefixes->loc);
	if (st->region)
		set_location(r, v, sv, st->region->name, st->region->loc);
	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (!res_unqualified(r, at, "a vnet") || res_repeated(r, &seen, at))
			continue;
		if (!res_known_attr(vnet_attrs, at->name)) {
			res_unknown_attr(r, at, vnet_attrs, "a vnet");
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
		site->via = res_lookup_vnet(r, st->via);
		ss->via_loc = st->via->loc;
	}
	for (const struct attr *at = st->attrs; at; at = at->next) {
		static const char *const none[] = { NULL };
		res_unknown_attr(r, at, none, "a site");
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

/* ------------------------------------------------ deployment groups */

static const char *const deploy_suffix[DEPLOY_PHASES] = {
	[DEPLOY_NETWORK] = "network",
	[DEPLOY_PEERINGS] = "peerings",
	[DEPLOY_REMOTE_GATEWAYS] = "remote-gateways",
	[DEPLOY_LOOKUP] = "existing-route-tables",
};

/* Azure's deployment names: 1 to 64 characters of [-\w._()]. */
#define DEPLOYMENT_NAME_MAX 64

static bool deploy_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-_.()", c);
}

static const char *lowered(struct arena *a, const char *s)
{
	char *l = arena_strdup(a, s);

	for (char *p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* The label of group n (from 1) whose resource group is rg; used holds the
 * labels taken, lower-cased (deployment names are case-insensitive). */
static const char *group_label(struct arena *a, struct strmap *used,
			       const char *rg, size_t n)
{
	size_t longest = 0;
	bool ok = true;

	for (size_t i = 0; i < DEPLOY_PHASES; i++)
		if (strlen(deploy_suffix[i]) > longest)
			longest = strlen(deploy_suffix[i]);
	for (const char *p = rg; *p && ok; p++)
		ok = deploy_name_char(*p);
	ok = ok && strlen("peerc--") + strlen(rg) + longest <= DEPLOYMENT_NAME_MAX &&
	     !strmap_get(used, lowered(a, rg));
	const char *label = ok ? rg : arena_printf(a, "group%zu", n);
	while (strmap_get(used, lowered(a, label)))
		label = arena_printf(a, "%s-%zu", label, n);
	strmap_put(used, lowered(a, label), used);
	return label;
}

struct group_index {
	struct strmap by_key, labels;
	size_t cap;
};

static size_t group_of(struct resolver *r, struct group_index *gi,
		       const char *sub, const char *rg)
{
	struct model *m = &r->s->model;
	const char *key = arena_printf(r->a, "%s\n%s", sub, rg);
	uintptr_t at = (uintptr_t)strmap_get(&gi->by_key, key);

	if (at)
		return at - 1;
	ARENA_PUSH(r->a, m->groups, m->ngroups, gi->cap);
	struct m_group *g = &m->groups[m->ngroups - 1];
	g->subscription = sub;
	g->resource_group = rg;
	const char *label = group_label(r->a, &gi->labels, rg, m->ngroups);
	for (size_t i = 0; i < DEPLOY_PHASES; i++)
		g->deployment[i] = arena_printf(r->a, "peerc-%s-%s", label,
						deploy_suffix[i]);
	strmap_put(&gi->by_key, key, (void *)(uintptr_t)m->ngroups);
	return m->ngroups - 1;
}

static void groups(struct resolver *r)
{
	struct model *m = &r->s->model;
	struct group_index gi = { .cap = 0 };

	strmap_init(&gi.by_key, r->a);
	strmap_init(&gi.labels, r->a);
	if (m->nsubscriptions && m->resource_group)
		group_of(r, &gi, m->subscriptions[0], m->resource_group);
	for (size_t i = 0; i < m->nvnets; i++) {
		struct m_vnet *v = &m->vnets[i];
		if (v->subscription && v->resource_group)
			v->group = group_of(r, &gi, v->subscription, v->resource_group);
	}
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
			expand_peer(r, st);
			break;
		case STMT_HUB:
			expand_hub(r, st);
			break;
		case STMT_MESH:
			expand_mesh(r, st);
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

/* The hubs as the model shows them to back ends. */
static void model_hubs(struct resolver *r)
{
	struct model *m = &r->s->model;

	m->nhubs = r->s->nhubs;
	m->hubs = arena_alloc(r->a, sizeof(*m->hubs) * (m->nhubs + 1));
	for (size_t i = 0; i < m->nhubs; i++) {
		const struct s_hub *h = &r->s->hubs[i];
		m->hubs[i] = (struct m_hub){
			h->hub, h->spokes, h->nspokes, h->transit != TRANSIT_NONE,
			h->transit == TRANSIT_GATEWAY ? HOP_VIRTUAL_NETWORK_GATEWAY :
			HOP_VIRTUAL_APPLIANCE, h->direct,
		};
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
		expand_route_tables(&r, i);
	index_vnets(&r);
	subscriptions(&r);
	groups(&r);
	model_hubs(&r);
	r.s->api_version = r.dflt.api_version;
	return r.s;
}
