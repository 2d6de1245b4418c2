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

#include "apiversions.h"
#include "ast.h"
#include "azid.h"
#include "diag.h"
#include "names.h"
#include "regions.h"
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
	case W_ADDR_PAIR:
		return "an address, or an IPv4 and an IPv6 address";
	case W_PREFIX_PAIR:
		return "a prefix, or an IPv4 and an IPv6 prefix";
	case W_IDENT:
	case W_CHOICE:
		return "a name";
	case W_INT:
		return "an integer";
	case W_BLOCK:
		return "a block { ... }";
	case W_FLAG_OR_CHOICE:
		break;
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
	case W_ADDR_PAIR:
		return v->kind == VAL_ADDR;
	case W_PREFIXES:
	case W_PREFIX_PAIR:
		return v->kind == VAL_PREFIX;
	case W_IDENT:
	case W_CHOICE:
		return v->kind == VAL_IDENT;
	case W_INT:
		return v->kind == VAL_INT;
	case W_BLOCK:
		return false;
	case W_FLAG_OR_CHOICE:
		break;
	}
	BUG();
}

static bool is_list(enum want w)
{
	return w == W_ADDRS || w == W_PREFIXES || w == W_ADDR_PAIR || w == W_PREFIX_PAIR;
}

/* Whether the attribute's value has the shape w; reports it when not. */
static bool shape_ok(struct resolver *r, const struct attr *at, enum want w)
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

/* The index of s in a NULL-terminated list of choices, or -1. */
static int choice_index(const char *const *choices, const char *s)
{
	for (int i = 0; choices[i]; i++)
		if (strcmp(choices[i], s) == 0)
			return i;
	return -1;
}

/* "'gateway' is a flag, 'vpn', 'expressroute' or a block { ... }",
 * "'transit' is 'nva', 'gateway' or 'none'": the alternatives of the row,
 * and the block form when the name also has one (block_too). */
static void bad_choice(struct resolver *r, const struct attr_row *row,
		       const struct attr *at, struct loc loc, bool block_too)
{
	const char *alt[8];
	size_t n = 0;
	struct strbuf sb;

	if (row->want == W_FLAG_OR_CHOICE)
		alt[n++] = "a flag";
	for (size_t i = 0; row->choices[i] && n < ARRAY_SIZE(alt) - 1; i++)
		alt[n++] = arena_printf(r->a, "'%s'", row->choices[i]);
	if (block_too)
		alt[n++] = "a block { ... }";
	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", alt[i]);
	res_error(r, "invalid-value", loc, "'%s' is %s", at->name, sb.buf);
	sb_free(&sb);
}

/* Whether the attribute's value has the row's shape; reports it when not.
 * block_too: the name has a block form as well (a row of its own). */
static bool value_ok(struct resolver *r, const struct attr *at,
		     const struct attr_row *row, bool block_too)
{
	if (row->want == W_FLAG_OR_CHOICE) {
		if (at->has_block || (at->values && at->values->next)) {
			bad_choice(r, row, at, at->loc, block_too);
			return false;
		}
		if (at->is_flag || at->values->kind == VAL_BOOL ||
		    (at->values->kind == VAL_IDENT &&
		     choice_index(row->choices, at->values->u.str) >= 0))
			return true;
		bad_choice(r, row, at, at->values->loc, block_too);
		return false;
	}
	if (!shape_ok(r, at, row->want))
		return false;
	if (row->want == W_CHOICE && choice_index(row->choices, res_text(at)) < 0) {
		bad_choice(r, row, at, at->values->loc, block_too);
		return false;
	}
	return true;
}

bool res_flag(const struct attr *at)
{
	return at->is_flag || at->values->u.boolean;
}

const char *res_text(const struct attr *at)
{
	return at->values->u.str;
}

int res_choice(const char *const *choices, const struct attr *at)
{
	if (at->is_flag || at->values->kind == VAL_BOOL)
		return -1;
	return choice_index(choices, res_text(at));
}

/* ------------------------------------------------ blocks */

/* The row of an attribute: a name may have a row for its value and one
 * (W_BLOCK) for its block form, `gateway = vpn` and `gateway { ... }`; the
 * one of the shape written, else the first, to report the shape. */
static const struct attr_row *find_row(const struct attr_table *t,
				       const struct attr *at, bool *block_too)
{
	const struct attr_row *first = NULL, *fit = NULL;

	*block_too = false;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct attr_row *row = &t->rows[i];
		if (row->name && strcmp(row->name, at->name) != 0)
			continue;
		if (!fit && (row->want == W_BLOCK) == at->has_block)
			fit = row;
		if (!first)
			first = row;
		*block_too = *block_too || row->want == W_BLOCK;
	}
	return fit ? fit : first;
}

static void unknown_attr(struct resolver *r, const struct attr *at,
			 const struct attr_table *t)
{
	struct match mt;
	struct diag *d;

	match_init(&mt, at->name);
	for (size_t i = 0; i < t->nrows; i++)
		match_offer(&mt, t->rows[i].name);
	const char *hint = match_result(&mt);
	if (hint) {
		d = res_error(r, "unknown-attribute", at->name_loc,
			      "unknown attribute '%s' in %s; did you mean '%s'?",
			      at->name, t->where, hint);
		diag_fixit(r->diags, d, at->name_loc, hint);
	} else {
		res_error(r, "unknown-attribute", at->name_loc,
			  "unknown attribute '%s' in %s", at->name, t->where);
	}
}

/* A second attribute of the same name (and qualifier) in one block.
 * Blocks are mostly a few lines: the attributes before are looked at
 * again. A longer one (tags and subnets blocks may be thousands long)
 * keeps them in a map by "QUAL.NAME" or "=NAME" (a qualifier has no '.',
 * a name never starts with '='). */
#define LOOK_BACK_MAX 16

static bool same_attr(const struct attr *x, const struct attr *y)
{
	return strcmp(x->name, y->name) == 0 &&
	       (x->qual ? y->qual && strcmp(x->qual, y->qual) == 0 : !y->qual);
}

static const struct attr *seen_before(struct strmap *seen, const struct attr *list,
				      const struct attr *at)
{
	if (!seen) {
		for (const struct attr *p = list; p != at; p = p->next)
			if (same_attr(p, at))
				return p;
		return NULL;
	}
	struct arena *a = seen->arena;
	const char *key = at->qual ? arena_printf(a, "%s.%s", at->qual, at->name) :
				     arena_printf(a, "=%s", at->name);
	return strmap_put(seen, key, (void *)(uintptr_t)at);
}

static bool repeated(struct resolver *r, struct strmap *seen,
		     const struct attr *list, const struct attr *at)
{
	const struct attr *p = seen_before(seen, list, at);

	if (!p)
		return false;
	struct diag *d = res_error(r, "duplicate-attribute", at->name_loc,
				   "'%s' is given twice", at->name);
	diag_note(r->diags, d, p->name_loc, "first given here");
	return true;
}

/* The side a qualifier names (0 or 1), or -1 (reported). */
static int qual_side(struct resolver *r, const struct attr_block *b,
		     const struct attr *at)
{
	if (!b->qual[0]) {
		res_error(r, "unknown-attribute", at->qual_loc,
			  "'%s.%s': attributes in %s take no side qualifier", at->qual,
			  at->name, b->table->where);
		return -1;
	}
	for (int k = 0; k < 2; k++)
		if (strcmp(at->qual, b->qual[k]) == 0)
			return k;
	res_error(r, "unknown-attribute", at->qual_loc,
		  "'%s.%s': the side must be '%s' or '%s'", at->qual, at->name,
		  b->qual[0], b->qual[1]);
	return -1;
}

void res_block(struct resolver *r, const struct attr_block *b, const struct attr *list)
{
	struct strmap map, *seen = NULL;
	size_t n = 0;

	for (const struct attr *at = list; at && n <= LOOK_BACK_MAX; at = at->next)
		n++;
	/* The names seen are needed only while the block is read: kept in the
	 * run's arena, they were a few hundred bytes of every VNet's. */
	if (n > LOOK_BACK_MAX) {
		strmap_init(&map, arena_new());
		seen = &map;
	}
	for (const struct attr *at = list; at; at = at->next) {
		const struct attr_table *t = b->table;
		void *obj = b->obj;
		if (repeated(r, seen, list, at))
			continue;
		if (at->qual) {
			int k = qual_side(r, b, at);
			if (k < 0)
				continue;
			t = &res_side_table;
			obj = b->side[k];
		}
		bool block_too;
		const struct attr_row *row = find_row(t, at, &block_too);
		if (!row)
			unknown_attr(r, at, t);
		else if (value_ok(r, at, row, block_too) && row->set)
			row->set(r, obj, at, row->key);
	}
	if (seen)
		arena_free(seen->arena);
}

/* ------------------------------------------------ tags and defaults */

static const struct attr_row tags_attrs[] = {
	{ NULL, W_STRING, NULL, NULL, 0 },
};
static const struct attr_table tags_table = { "tags", tags_attrs, ARRAY_SIZE(tags_attrs) };

static void check_tags(struct resolver *r, const struct attr *block)
{
	struct attr_block b = { .table = &tags_table };

	res_block(r, &b, block);
}

static void defaults_text(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct defaults *d = obj;

	d->text[key] = res_text(at);
	d->text_loc[key] = at->values->loc;
}

/* A subscription GUID in any case is one subscription. */
static void defaults_subscription(struct resolver *r, void *obj, const struct attr *at,
				  int key)
{
	struct defaults *d = obj;

	d->text[key] = azid_guid(r->a, res_text(at));
	d->text_loc[key] = at->values->loc;
}

/* A location as Azure reads it: a region's display name ("West Europe")
 * or another case of its name is that region; anything else stays as
 * written, for the region checks to judge. */
static const char *location(const char *text)
{
	const char *region = region_canonical(text);

	return region ? region : text;
}

static void defaults_location(struct resolver *r, void *obj, const struct attr *at,
			      int key)
{
	struct defaults *d = obj;

	d->text[key] = location(res_text(at));
	d->text_loc[key] = at->values->loc;
}

static void defaults_tags(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct defaults *d = obj;

	check_tags(r, at->block);
	d->tags = at->block;
}

static void defaults_api_version(struct resolver *r, void *obj,
				 const struct attr *at, int key)
{
	struct defaults *d = obj;

	if (api_version_valid(res_text(at))) {
		d->api_version = res_text(at);
		d->api_version_loc = at->values->loc;
	} else
		res_error(r, "invalid-value", at->values->loc,
			  "'%s' is not an API version: 'api_version' takes "
			  "a stable version, YYYY-MM-DD", res_text(at));
}

static void defaults_create_groups(struct resolver *r, void *obj,
				   const struct attr *at, int key)
{
	r->s->model.create_resource_groups = res_flag(at);
	r->s->model.create_resource_groups_loc = at->loc;
}

static const struct attr_row defaults_attrs[] = {
	{ "subscription", W_STRING, NULL, defaults_subscription, DFLT_SUBSCRIPTION },
	{ "resource_group", W_TEXT, NULL, defaults_text, DFLT_RESOURCE_GROUP },
	{ "location", W_TEXT, NULL, defaults_location, DFLT_LOCATION },
	{ "tags", W_BLOCK, NULL, defaults_tags, 0 },
	{ "peering_name", W_STRING, NULL, defaults_text, DFLT_PEERING_NAME },
	{ "route_table_name", W_STRING, NULL, defaults_text, DFLT_ROUTE_TABLE_NAME },
	{ "api_version", W_TEXT, NULL, defaults_api_version, 0 },
	{ "create_resource_groups", W_FLAG, NULL, defaults_create_groups, 0 },
};
static const struct attr_table defaults_table = {
	"defaults", defaults_attrs, ARRAY_SIZE(defaults_attrs)
};

static void resolve_defaults(struct resolver *r, const struct stmt *st)
{
	struct attr_block b = { .table = &defaults_table, .obj = &r->dflt };

	if (r->s->defaults) {
		struct diag *d = res_error(r, "duplicate-defaults", st->kw_loc,
					   "a second defaults block");
		diag_note(r->diags, d, r->s->defaults->kw_loc, "the first is here");
		return;
	}
	r->s->defaults = st;
	res_block(r, &b, st->attrs);
}

/* ------------------------------------------------ names */

/* The closest VNet (or site, when sites_too) name to an unknown one. */
static const char *closest_name(struct resolver *r, const char *name, bool sites_too)
{
	const struct model *m = &r->s->model;
	struct match mt;

	if (r->nhints++ >= MAX_HINTS)
		return NULL;
	match_init(&mt, name);
	for (size_t i = 0; i < m->nvnets; i++)
		match_offer(&mt, m->vnets[i].handle);
	for (size_t i = 0; sites_too && i < m->nsites; i++)
		match_offer(&mt, m->sites[i].name);
	return match_result(&mt);
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

/* A vnet block being read. */
struct vnet_block {
	struct m_vnet *v;
	struct s_vnet *sv;
	const struct attr *tags, *id; /* the attributes, when given */
};

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
	sv->space_src = arena_alloc(r->sa, n * sizeof(*sv->space_src));
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
	v->location = location(region);
	sv->location = (struct s_origin){ loc, false };
}

static void vnet_space(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	set_space(r, vb->v, vb->sv, at->values, at->loc);
}

static void vnet_location(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	set_location(r, vb->v, vb->sv, res_text(at), at->values->loc);
}

/* The settings a vnet block and an `id` may both give. */
enum vnet_text { VNET_RESOURCE_GROUP, VNET_SUBSCRIPTION, VNET_NAME };

static void vnet_text(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;
	struct s_origin org = { at->values->loc, false };

	switch ((enum vnet_text)key) {
	case VNET_RESOURCE_GROUP:
		vb->v->resource_group = res_text(at);
		vb->sv->resource_group = org;
		break;
	case VNET_SUBSCRIPTION:
		vb->v->subscription = azid_guid(r->a, res_text(at));
		vb->sv->subscription = org;
		break;
	case VNET_NAME:
		vb->v->name = res_text(at);
		vb->sv->name = org;
		break;
	}
}

/* gateway, gateway = vpn | expressroute | false, gateway { ... }: read by
 * gateway.c once the VNet's defaults are known. */
static void vnet_gateway(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	vb->sv->gateway_src = at;
}

static enum ip_family value_family(const struct value *v)
{
	return v->kind == VAL_ADDR ? v->u.addr.family : v->u.prefix.addr.family;
}

/* A list of addresses or prefixes that Azure takes at most one of each
 * family of (a subnet's prefixes, an NVA's addresses): true when it is
 * one, or an IPv4 and an IPv6 one; else reported at the value too many. */
/* whose: "subnet " and its name, or "" and an attribute's: the message
 * is made only for an error, not for each of 200,000 subnets. */
static bool one_per_family(struct resolver *r, const struct attr *at, const char *what,
			   const char *kind, const char *whose)
{
	const struct value *a = at->values, *b = a->next;
	const struct value *bad = !b ? NULL :
		value_family(a) == value_family(b) ? b : b->next;

	if (!bad)
		return true;
	res_error(r, "invalid-value", bad->loc, "%s'%s' takes at most one IPv4 and one "
		  "IPv6 %s", kind, whose, what);
	return false;
}

/* nva = ADDRESS, or an IPv4 and an IPv6 address (a dual-stack NVA: the
 * next hop of each family's routes). */
static void vnet_nva(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;
	size_t n = 0;

	if (!one_per_family(r, at, "address", "", "nva"))
		return;
	for (const struct value *p = at->values; p; p = p->next)
		vb->v->nvas[n++] = p->u.addr;
	vb->v->nnvas = n;
	vb->sv->nva_src = at->values;
}

static void vnet_existing(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	vb->v->existing = vb->v->existing || res_flag(at);
}

static void vnet_id(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	vb->v->id = res_text(at);
	vb->v->existing = true;
	vb->id = at;
}

static void vnet_dns(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;
	size_t n = count_values(at->values), i = 0;

	vb->v->dns_servers = arena_alloc(r->a, n * sizeof(*vb->v->dns_servers));
	vb->sv->dns_src = arena_alloc(r->sa, n * sizeof(*vb->sv->dns_src));
	for (const struct value *p = at->values; p; p = p->next, i++) {
		vb->v->dns_servers[i] = p->u.addr;
		vb->sv->dns_src[i] = p;
	}
	vb->v->ndns_servers = n;
}

/* Azure's subnets with a purpose of their own. A transit route table
 * must not reach them: Azure refuses one on AzureBastionSubnet
 * (RouteTableCannotBeAttachedForAzureBastionSubnet) and on RouteServerSubnet,
 * AzureFirewallSubnet and AzureFirewallManagementSubnet take only a table
 * whose default route goes to the Internet, and GatewaySubnet takes no
 * 0.0.0.0/0 and needs gateway route propagation: each needs routes of its
 * own, not the spokes' (doc/language.md has the sources). */
static const char *const special_subnets[] = {
	"GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet",
	"AzureBastionSubnet", "RouteServerSubnet",
};

bool sema_special_subnet(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(special_subnets); i++)
		if (strcasecmp(name, special_subnets[i]) == 0)
			return true;
	return false;
}

const struct m_subnet *sema_gateway_subnet(const struct m_vnet *v)
{
	for (size_t i = 0; i < v->nsubnets; i++)
		if (strcmp(v->subnets[i].name, SEMA_GATEWAY_SUBNET) == 0)
			return &v->subnets[i];
	return NULL;
}

/* A subnet's block: NAME { prefix = P  transit_routes = false }; P may be
 * an IPv4 and an IPv6 prefix. */
struct subnet_block {
	const struct attr *attr; /* the prefix attribute */
	const struct value *prefix;
	bool routed;
};

static void subnet_prefix(struct resolver *r, void *obj, const struct attr *at, int key)
{
	((struct subnet_block *)obj)->attr = at;
	((struct subnet_block *)obj)->prefix = at->values;
}

static void subnet_transit_routes(struct resolver *r, void *obj,
				  const struct attr *at, int key)
{
	((struct subnet_block *)obj)->routed = res_flag(at);
}

static const struct attr_row subnet_attrs[] = {
	{ "prefix", W_PREFIX_PAIR, NULL, subnet_prefix, 0 },
	{ "transit_routes", W_FLAG, NULL, subnet_transit_routes, 0 },
};
static const struct attr_table subnet_table = {
	"a subnet block", subnet_attrs, ARRAY_SIZE(subnet_attrs)
};

/* One entry of a subnets block: NAME = PREFIX, or NAME { ... }. */
static void subnet_entry(struct resolver *r, void *obj, const struct attr *e, int key)
{
	struct vnet_block *vb = obj;
	struct m_vnet *v = vb->v;
	struct subnet_block sb = { .prefix = e->values, .routed = true };

	if (e->has_block) {
		struct attr_block b = { .table = &subnet_table, .obj = &sb };
		res_block(r, &b, e->block);
		if (!sb.prefix) {
			res_error(r, "invalid-value", e->name_loc,
				  "subnet '%s' needs a 'prefix'", e->name);
			return;
		}
	}
	if (!one_per_family(r, e->has_block ? sb.attr : e, "prefix", "subnet ",
			    e->name))
		return;
	struct m_subnet *sn = &v->subnets[v->nsubnets];
	sn->name = e->name;
	for (const struct value *p = sb.prefix; p; p = p->next)
		sn->prefixes[sn->nprefixes++] = ip_prefix_len_ok(&p->u.prefix) ?
			ip_prefix_masked(&p->u.prefix) : p->u.prefix;
	sn->routed = sb.routed && !sema_special_subnet(e->name);
	sn->loc = e->name_loc;
	vb->sv->subnet_src[v->nsubnets++] = sb.prefix;
}

static const struct attr_row subnets_attrs[] = {
	{ NULL, W_PREFIX_PAIR, NULL, subnet_entry, 0 },
	{ NULL, W_BLOCK, NULL, subnet_entry, 0 },
};
static const struct attr_table subnets_table = {
	"subnets", subnets_attrs, ARRAY_SIZE(subnets_attrs)
};

static void vnet_subnets(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;
	struct attr_block b = { .table = &subnets_table, .obj = vb };
	size_t n = 0;

	for (const struct attr *e = at->block; e; e = e->next)
		n++;
	vb->v->subnets = arena_alloc(r->a, n * sizeof(*vb->v->subnets));
	vb->sv->subnet_src = arena_alloc(r->sa, n * sizeof(*vb->sv->subnet_src));
	res_block(r, &b, at->block);
}

static void vnet_tags(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct vnet_block *vb = obj;

	check_tags(r, at->block);
	vb->tags = at->block;
}

static const struct attr_row vnet_attrs[] = {
	{ "address", W_PREFIXES, NULL, vnet_space, 0 },
	{ "address_space", W_PREFIXES, NULL, vnet_space, 0 },
	{ "location", W_TEXT, NULL, vnet_location, 0 },
	{ "resource_group", W_TEXT, NULL, vnet_text, VNET_RESOURCE_GROUP },
	{ "subscription", W_STRING, NULL, vnet_text, VNET_SUBSCRIPTION },
	{ "name", W_TEXT, NULL, vnet_text, VNET_NAME },
	{ "gateway", W_FLAG_OR_CHOICE, res_gateway_types, vnet_gateway, 0 },
	{ "gateway", W_BLOCK, NULL, vnet_gateway, 0 },
	{ "nva", W_ADDR_PAIR, NULL, vnet_nva, 0 },
	{ "existing", W_FLAG, NULL, vnet_existing, 0 },
	{ "id", W_STRING, NULL, vnet_id, 0 },
	{ "dns_servers", W_ADDRS, NULL, vnet_dns, 0 },
	{ "subnets", W_BLOCK, NULL, vnet_subnets, 0 },
	{ "tags", W_BLOCK, NULL, vnet_tags, 0 },
};
static const struct attr_table vnet_table = { "a vnet", vnet_attrs, ARRAY_SIZE(vnet_attrs) };

/* An `id` gives the subscription, group and name the VNet does not. */
static void apply_id(struct resolver *r, struct m_vnet *v, struct s_vnet *sv,
		     const struct attr *at)
{
	const char *part[3];

	if (!azid_split(r->a, v->id, AZID_VNET, part)) {
		res_error(r, "invalid-value", at->values->loc,
			  "'id' is not a VNet resource ID (/subscriptions/ID/resourceGroups/"
			  "GROUP/providers/Microsoft.Network/virtualNetworks/NAME)");
		return;
	}
	struct s_origin org = { at->values->loc, false };
	v->id = azid_format(r->a, part, AZID_VNET);
	if (!v->subscription) {
		v->subscription = part[0];
		sv->subscription = org;
	}
	if (!v->resource_group) {
		v->resource_group = part[1];
		sv->resource_group = org;
	}
	/* the name is still the handle's (names are interned: the same
	 * text given with `name` is the same pointer) */
	if (!sv->name.from_defaults && sv->name.loc.start == v->loc.start) {
		v->name = part[2];
		sv->name = org;
	}
}

static void apply_defaults(struct resolver *r, struct m_vnet *v, struct s_vnet *sv)
{
	const struct defaults *d = &r->dflt;
	struct {
		const char **value;
		struct s_origin *origin;
		enum dflt_text from;
	} fill[] = {
		{ &v->location, &sv->location, DFLT_LOCATION },
		{ &v->resource_group, &sv->resource_group, DFLT_RESOURCE_GROUP },
		{ &v->subscription, &sv->subscription, DFLT_SUBSCRIPTION },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fill); i++) {
		if (*fill[i].value || !d->text[fill[i].from])
			continue;
		*fill[i].value = d->text[fill[i].from];
		*fill[i].origin = (struct s_origin){ d->text_loc[fill[i].from], true };
	}
}

static size_t count_attrs(const struct attr *list)
{
	size_t n = 0;

	for (; list; list = list->next)
		n++;
	return n;
}

/* Whether tag name is one of the n kept: looked for among them when
 * there are few, in seen (when not NULL) when there may be many. */
static bool tag_kept(struct strmap *seen, const struct m_tag *tags, size_t n,
		     const char *name)
{
	if (seen)
		return strmap_put(seen, name, seen) != NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(tags[i].key, name) == 0)
			return true;
	return false;
}

/* Tags: own first, in written order, then the defaults' keys not given.
 * The array is made once, for all there may be: no map or grown copies
 * left behind in every VNet. */
static struct m_tag *merge_tags(struct resolver *r, const struct attr *own, size_t *ntags)
{
	struct strmap map, *seen = NULL;
	size_t n = 0, max = count_attrs(own) + count_attrs(r->dflt.tags);
	struct m_tag *tags;

	*ntags = 0;
	if (!max)
		return NULL;
	tags = arena_alloc(r->a, max * sizeof(*tags));
	if (max > LOOK_BACK_MAX) {
		strmap_init_n(&map, arena_new(), max);
		seen = &map;
	}
	for (int pass = 0; pass < 2; pass++) {
		const struct attr *list = pass == 0 ? own : r->dflt.tags;
		for (const struct attr *e = list; e; e = e->next) {
			if (!e->values || e->values->kind != VAL_STRING ||
			    tag_kept(seen, tags, n, e->name))
				continue;
			tags[n++] = (struct m_tag){ e->name, e->values->u.str };
		}
	}
	*ntags = n;
	if (seen)
		arena_free(seen->arena);
	return tags;
}

static void resolve_vnet(struct resolver *r, struct m_vnet *v)
{
	struct s_vnet *sv = &r->s->vnets[v->index];
	const struct stmt *st = sv->stmt;
	struct vnet_block vb = { .v = v, .sv = sv };
	struct attr_block b = { .table = &vnet_table, .obj = &vb };

	sv->name = (struct s_origin){ v->loc, false };
	sv->gateway_loc = sv->gateway_sku_loc = sv->gateway_name_loc = LOC_NONE;
	if (st->prefixes)
		set_space(r, v, sv, st->prefixes, st->prefixes->loc);
	if (st->region)
		set_location(r, v, sv, st->region->name, st->region->loc);
	res_block(r, &b, st->attrs);
	if (vb.id)
		apply_id(r, v, sv, vb.id);
	apply_defaults(r, v, sv);
	res_gateway_finish(r, v, sv);
	v->tags = merge_tags(r, vb.tags, &v->ntags);
}

static const struct attr_table site_table = { "a site", NULL, 0 };

static void resolve_site(struct resolver *r, size_t i)
{
	struct m_site *site = &r->s->model.sites[i];
	struct s_site *ss = &r->s->sites[i];
	const struct stmt *st = ss->stmt;
	size_t n = count_values(st->prefixes), k = 0;
	struct attr_block b = { .table = &site_table };

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
	res_block(r, &b, st->attrs);
}

/* Every block's table, for the parser's question below. */
static const struct attr_table *const all_tables[] = {
	&defaults_table, &vnet_table, &subnet_table, &res_gateway_table,
	&res_peer_table, &res_hub_table, &res_mesh_table, &res_side_table,
};

bool resolve_attr_takes_value(const char *name)
{
	bool known = false;

	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++) {
		const struct attr_table *t = all_tables[i];
		for (size_t k = 0; k < t->nrows; k++) {
			const struct attr_row *row = &t->rows[k];
			if (!row->name || strcmp(row->name, name) != 0)
				continue;
			if (row->want == W_FLAG || row->want == W_FLAG_OR_CHOICE ||
			    row->want == W_BLOCK)
				return false;
			known = true;
		}
	}
	return known;
}

/* The table of a statement's block, of a block nested in it, or of a side. */
static const struct attr_table *editor_table(enum stmt_kind k, const char *nested,
					     bool side)
{
	static const struct attr_table *const by_kind[] = {
		[STMT_DEFAULTS] = &defaults_table, [STMT_VNET] = &vnet_table,
		[STMT_PEER] = &res_peer_table, [STMT_HUB] = &res_hub_table,
		[STMT_MESH] = &res_mesh_table, [STMT_SITE] = &site_table,
	};

	if (side)
		return &res_side_table;
	if (!nested)
		return (size_t)k < ARRAY_SIZE(by_kind) ? by_kind[k] : NULL;
	if (k == STMT_VNET && strcmp(nested, "gateway") == 0)
		return &res_gateway_table;
	return NULL;
}

size_t resolve_attrs_of(enum stmt_kind k, const char *nested, bool side,
			struct resolve_attr *out, size_t max)
{
	const struct attr_table *t = editor_table(k, nested, side);
	size_t n = 0;

	for (size_t i = 0; t && i < t->nrows && n < max; i++) {
		const struct attr_row *row = &t->rows[i];
		if (!row->name)
			continue;
		out[n++] = (struct resolve_attr){
			row->name,
			row->want != W_FLAG && row->want != W_BLOCK,
			row->want == W_FLAG || row->want == W_FLAG_OR_CHOICE,
			row->choices,
		};
	}
	return n;
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
	for (size_t i = 0; i < s->model.nsites; i++)
		if (s->model.sites[i].via)
			s->vnets[s->model.sites[i].via->index].nsites++;
	for (size_t v = 0; v < nv; v++) {
		struct s_vnet *sv = &s->vnets[v];
		sv->peerings = arena_alloc(r->sa, sv->npeerings * sizeof(size_t));
		sv->spoke_of = arena_alloc(r->sa, sv->nspoke_of * sizeof(size_t));
		sv->sites = arena_alloc(r->sa, sv->nsites * sizeof(size_t));
		sv->npeerings = sv->nspoke_of = sv->nsites = 0;
	}
	for (size_t i = 0; i < s->model.nsites; i++)
		if (s->model.sites[i].via) {
			struct s_vnet *sv = &s->vnets[s->model.sites[i].via->index];
			sv->sites[sv->nsites++] = i;
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
	const char *dflt_sub = r->dflt.text[DFLT_SUBSCRIPTION];

	if (dflt_sub) {
		strmap_put(&seen, dflt_sub, &seen);
		ARENA_PUSH(r->a, m->subscriptions, m->nsubscriptions, cap);
		m->subscriptions[0] = dflt_sub;
	}
	for (size_t i = 0; i < m->nvnets; i++) {
		const char *sub = m->vnets[i].subscription;
		if (!sub || strmap_put(&seen, sub, &seen))
			continue;
		ARENA_PUSH(r->a, m->subscriptions, m->nsubscriptions, cap);
		m->subscriptions[m->nsubscriptions - 1] = sub;
	}
	m->resource_group = r->dflt.text[DFLT_RESOURCE_GROUP];
	for (size_t i = 0; !m->resource_group && i < m->nvnets; i++)
		if (m->vnets[i].subscription &&
		    strcmp(m->vnets[i].subscription, m->subscriptions[0]) == 0)
			m->resource_group = m->vnets[i].resource_group;
}

/* ------------------------------------------------ deployment groups */

struct group_index {
	struct strmap by_key; /* "SUB\nGROUP" -> 1 + group */
	size_t cap;
	struct strbuf key;    /* the key looked up: kept only when new */
};

static size_t group_of(struct resolver *r, struct group_index *gi,
		       const char *sub, const char *rg)
{
	struct model *m = &r->s->model;

	sb_reset(&gi->key);
	sb_puts(&gi->key, sub);
	sb_putc(&gi->key, '\n');
	sb_puts(&gi->key, rg);
	uintptr_t at = (uintptr_t)strmap_get(&gi->by_key, gi->key.buf);
	if (at)
		return at - 1;
	ARENA_PUSH(r->a, m->groups, m->ngroups, gi->cap);
	struct m_group *g = &m->groups[m->ngroups - 1];
	g->subscription = sub;
	g->resource_group = rg;
	strmap_put(&gi->by_key, arena_strndup(r->a, gi->key.buf, gi->key.len),
		   (void *)(uintptr_t)m->ngroups);
	return m->ngroups - 1;
}

/* A group is created (when the file asks for it) in the region of its
 * first created VNet; one that holds an existing VNet exists already. */
static void group_creation(struct model *m)
{
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		struct m_group *g = &m->groups[v->group];
		if (v->subscription && v->resource_group && !v->existing && !g->location)
			g->location = v->location;
	}
	for (size_t i = 0; i < m->ngroups; i++)
		m->groups[i].create = m->create_resource_groups && m->groups[i].location;
	for (size_t i = 0; i < m->nvnets; i++)
		if (m->vnets[i].existing && m->vnets[i].subscription &&
		    m->vnets[i].resource_group)
			m->groups[m->vnets[i].group].create = false;
}

/* A group has no tags of its own: a created one takes the defaults' (one
 * array for all), so that the file's tags reach every resource it creates. */
static void group_tags(struct resolver *r)
{
	struct model *m = &r->s->model;
	size_t n;
	const struct m_tag *tags = merge_tags(r, NULL, &n);

	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].create) {
			m->groups[i].tags = tags;
			m->groups[i].ntags = n;
		}
}

static void groups(struct resolver *r)
{
	struct model *m = &r->s->model;
	struct group_index gi = { .cap = 0 };

	strmap_init(&gi.by_key, r->a);
	sb_init(&gi.key);
	if (m->nsubscriptions && m->resource_group)
		group_of(r, &gi, m->subscriptions[0], m->resource_group);
	for (size_t i = 0; i < m->nvnets; i++) {
		struct m_vnet *v = &m->vnets[i];
		if (v->subscription && v->resource_group)
			v->group = group_of(r, &gi, v->subscription, v->resource_group);
	}
	sb_free(&gi.key);
	group_creation(m);
	group_tags(r);
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

/* The peerings the statements declare, at most (a repeated pair is
 * counted twice; the spoke pairs of 'direct' are not counted), so that
 * the arrays and the index of 200,000 peerings are made once rather than
 * grown by doubling, every smaller copy left behind. */
static size_t count_pairs(const struct ast_file *f)
{
	size_t n = 0;

	for (const struct stmt *st = f->stmts; st; st = st->next) {
		size_t k = 0;
		for (const struct ident *id = st->names; id; id = id->next)
			k++;
		if (st->kind == STMT_PEER)
			n++;
		else if (st->kind == STMT_HUB && k)
			n += k - 1;
		else if (st->kind == STMT_MESH && k <= SEMA_MAX_PEERINGS + 1)
			n += k * (k - 1) / 2;
	}
	return n;
}

static void declare_all(struct resolver *r, const struct ast_file *f)
{
	struct sema *s = r->s;
	size_t nv = count_stmts(f, STMT_VNET), ns = count_stmts(f, STMT_SITE);
	size_t np = count_pairs(f);

	strmap_init_n(&s->vnet_by_handle, r->sa, nv);
	strmap_init_n(&s->site_by_name, r->sa, ns);
	idmap_init(&s->pair_index, r->sa, np);
	if (np) {
		s->model.peerings = arena_alloc(r->a, np * sizeof(*s->model.peerings));
		s->peerings = arena_alloc(r->sa, np * sizeof(*s->peerings));
		r->peerings_cap = np;
	}
	s->model.vnets = arena_alloc(r->a, (nv ? nv : 1) * sizeof(*s->model.vnets));
	s->vnets = arena_alloc(r->sa, (nv ? nv : 1) * sizeof(*s->vnets));
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
		     struct arena *checks_a, struct diag_list *diags)
{
	struct resolver r = { .a = a, .sa = checks_a, .diags = diags };

	if (!ast)
		return NULL;
	r.s = arena_alloc(a, sizeof(*r.s));
	r.s->arena = a;
	declare_all(&r, ast);
	for (size_t i = 0; i < r.s->model.nvnets; i++)
		resolve_vnet(&r, &r.s->model.vnets[i]);
	for (size_t i = 0; i < r.s->model.nsites; i++)
		resolve_site(&r, i);
	connect_all(&r, ast);
	for (size_t i = 0; i < r.s->nhubs; i++)
		expand_route_tables(&r, i);
	expand_link_route_tables(&r);
	index_vnets(&r);
	subscriptions(&r);
	groups(&r);
	model_hubs(&r);
	r.s->api_version = r.dflt.api_version;
	r.s->api_version_loc = r.dflt.api_version_loc;
	return r.s;
}
