#include "common.h"

#include "ast.h"
#include "util.h"

struct ident *ast_ident(struct arena *a, const char *name, struct loc loc)
{
	struct ident *i = arena_alloc(a, sizeof(*i));
	i->name = name;
	i->loc = loc;
	return i;
}

struct value *ast_value(struct arena *a, enum value_kind k, struct loc loc)
{
	struct value *v = arena_alloc(a, sizeof(*v));
	v->kind = k;
	v->loc = loc;
	return v;
}

struct attr *ast_attr(struct arena *a)
{
	return arena_alloc(a, sizeof(struct attr));
}

struct stmt *ast_stmt(struct arena *a, enum stmt_kind k, struct loc kw_loc)
{
	struct stmt *s = arena_alloc(a, sizeof(*s));
	s->kind = k;
	s->kw_loc = kw_loc;
	s->loc = kw_loc;
	return s;
}

const char *stmt_kind_name(enum stmt_kind k)
{
	switch (k) {
	case STMT_DEFAULTS: return "defaults";
	case STMT_VNET: return "vnet";
	case STMT_PEER: return "peer";
	case STMT_HUB: return "hub";
	case STMT_MESH: return "mesh";
	case STMT_SITE: return "site";
	case STMT_REQUIRE: return "require";
	case STMT_DENY: return "deny";
	}
	BUG();
}

const char *value_kind_name(enum value_kind k)
{
	switch (k) {
	case VAL_STRING: return "string";
	case VAL_IDENT: return "identifier";
	case VAL_INT: return "integer";
	case VAL_ADDR: return "address";
	case VAL_PREFIX: return "prefix";
	case VAL_BOOL: return "boolean";
	}
	BUG();
}

/* ------------------------------------------------------------------ JSON */

/* The writer: one key per line, values and names on one line each, so a
 * diff of two dumps shows the node that changed. */
struct jw {
	struct strbuf *out;
	const struct source *src;
	unsigned depth;
};

static void json_cstr(struct strbuf *out, const char *s)
{
	sb_json_string(out, s, strlen(s));
}

/* [[line, col], [line, col]]: 1-based, the end exclusive. */
static void json_loc(struct jw *w, struct loc loc)
{
	unsigned l1, c1, l2, c2;
	source_linecol(w->src, loc.start, &l1, &c1);
	source_linecol(w->src, loc.end, &l2, &c2);
	sb_printf(w->out, "[[%u, %u], [%u, %u]]", l1, c1, l2, c2);
}

/* The last member of a one-line node. */
static void json_range(struct jw *w, struct loc loc)
{
	sb_puts(w->out, "\"range\": ");
	json_loc(w, loc);
}

/* Starts "key": on a new line of an object; the first key has no comma. */
static void json_key(struct jw *w, const char *key, bool first)
{
	sb_puts(w->out, first ? "\n" : ",\n");
	sb_indent(w->out, 2 * w->depth);
	sb_printf(w->out, "\"%s\": ", key);
}

static void json_ident(struct jw *w, const struct ident *i)
{
	sb_puts(w->out, "{\"kind\": \"name\", \"name\": ");
	json_cstr(w->out, i->name);
	sb_puts(w->out, ", ");
	json_range(w, i->loc);
	sb_putc(w->out, '}');
}

static void json_value_body(struct jw *w, const struct value *v)
{
	char buf[IP_STRLEN];
	struct strbuf *out = w->out;

	switch (v->kind) {
	case VAL_STRING:
	case VAL_IDENT:
		json_cstr(out, v->u.str);
		break;
	case VAL_INT:
		sb_printf(out, "%lld", (long long)v->u.num);
		break;
	case VAL_BOOL:
		sb_puts(out, v->u.boolean ? "true" : "false");
		break;
	case VAL_ADDR:
		json_cstr(out, ip_addr_str(&v->u.addr, buf));
		sb_printf(out, ", \"family\": %d", v->u.addr.family);
		break;
	case VAL_PREFIX:
		json_cstr(out, ip_prefix_str(&v->u.prefix, buf));
		sb_printf(out, ", \"family\": %d, \"length\": %u",
			  v->u.prefix.addr.family, v->u.prefix.len);
		break;
	}
	if (v->kind == VAL_ADDR || v->kind == VAL_PREFIX) {
		sb_puts(out, ", \"text\": ");
		sb_json_string(out, w->src->text + v->loc.start, v->loc.end - v->loc.start);
	}
}

static void json_value(struct jw *w, const struct value *v)
{
	sb_printf(w->out, "{\"kind\": \"%s\", \"value\": ", value_kind_name(v->kind));
	json_value_body(w, v);
	sb_puts(w->out, ", ");
	json_range(w, v->loc);
	sb_putc(w->out, '}');
}

/* An array with one element per line. */
#define JSON_LIST(w, head, fn)                                         \
	do {                                                           \
		if (!(head)) {                                         \
			sb_puts((w)->out, "[]");                       \
			break;                                         \
		}                                                      \
		sb_putc((w)->out, '[');                                \
		(w)->depth++;                                          \
		for (const __typeof__(*(head)) *it_ = (head); it_; it_ = it_->next) { \
			sb_puts((w)->out, it_ == (head) ? "\n" : ",\n"); \
			sb_indent((w)->out, 2 * (w)->depth);           \
			fn((w), it_);                                  \
		}                                                      \
		(w)->depth--;                                          \
		sb_putc((w)->out, '\n');                               \
		sb_indent((w)->out, 2 * (w)->depth);                   \
		sb_putc((w)->out, ']');                                \
	} while (0)

static void json_attr(struct jw *w, const struct attr *a);

static void json_attr_name(struct jw *w, const struct attr *a)
{
	json_key(w, "qualifier", false);
	if (a->qual) {
		struct ident q = { .name = a->qual, .loc = a->qual_loc };
		json_ident(w, &q);
	} else {
		sb_puts(w->out, "null");
	}
	json_key(w, "name", false);
	sb_printf(w->out, "{\"kind\": \"%s\", \"name\": ",
		  a->name_is_string ? "string" : "name");
	json_cstr(w->out, a->name);
	sb_puts(w->out, ", ");
	json_range(w, a->name_loc);
	sb_putc(w->out, '}');
}

static void json_attr(struct jw *w, const struct attr *a)
{
	sb_putc(w->out, '{');
	w->depth++;
	json_key(w, "kind", true);
	sb_puts(w->out, "\"attribute\"");
	json_key(w, "range", false);
	json_loc(w, a->loc);
	json_attr_name(w, a);
	json_key(w, "form", false);
	if (a->is_flag) {
		sb_puts(w->out, "\"flag\"");
	} else if (a->has_block) {
		sb_puts(w->out, "\"block\"");
		json_key(w, "block", false);
		JSON_LIST(w, a->block, json_attr);
	} else {
		sb_puts(w->out, "\"values\"");
		json_key(w, "values", false);
		JSON_LIST(w, a->values, json_value);
	}
	w->depth--;
	sb_putc(w->out, '\n');
	sb_indent(w->out, 2 * w->depth);
	sb_putc(w->out, '}');
}

static void json_stmt_fields(struct jw *w, const struct stmt *s)
{
	json_key(w, "names", false);
	JSON_LIST(w, s->names, json_ident);
	if (s->kind == STMT_VNET || s->kind == STMT_SITE) {
		json_key(w, "prefixes", false);
		JSON_LIST(w, s->prefixes, json_value);
	}
	if (s->kind == STMT_VNET) {
		json_key(w, "region", false);
		if (s->region)
			json_ident(w, s->region);
		else
			sb_puts(w->out, "null");
	}
	if (s->kind == STMT_SITE) {
		json_key(w, "via", false);
		json_ident(w, s->via);
	}
	if (s->kind == STMT_REQUIRE || s->kind == STMT_DENY)
		return;
	json_key(w, "block", false);
	if (s->has_block)
		JSON_LIST(w, s->attrs, json_attr);
	else
		sb_puts(w->out, "null");
}

static void json_stmt(struct jw *w, const struct stmt *s)
{
	sb_putc(w->out, '{');
	w->depth++;
	json_key(w, "kind", true);
	json_cstr(w->out, stmt_kind_name(s->kind));
	json_key(w, "range", false);
	json_loc(w, s->loc);
	json_key(w, "keyword_range", false);
	json_loc(w, s->kw_loc);
	json_stmt_fields(w, s);
	w->depth--;
	sb_putc(w->out, '\n');
	sb_indent(w->out, 2 * w->depth);
	sb_putc(w->out, '}');
}

void ast_to_json(const struct ast_file *f, const struct source *src,
		 struct strbuf *out)
{
	struct jw w = { .out = out, .src = src, .depth = 1 };

	sb_puts(out, "{\n  \"kind\": \"file\",\n  \"source\": ");
	json_cstr(out, src->name);
	sb_puts(out, ",\n  \"statements\": ");
	JSON_LIST(&w, f->stmts, json_stmt);
	sb_puts(out, "\n}\n");
}
