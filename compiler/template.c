#include "common.h"

#include "diag.h"
#include "layout.h"
#include "output.h"
#include "template.h"
#include "util.h"

/* ------------------------------------------------------------ the values */

static struct tval *tv_new(struct arena *a, enum tval_kind kind)
{
	struct tval *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	return v;
}

struct tval *tv_string(struct arena *a, const char *s)
{
	struct tval *v = tv_new(a, TV_STRING);
	v->u.str = s;
	return v;
}

struct tval *tv_raw(struct arena *a, const char *s)
{
	struct tval *v = tv_new(a, TV_RAW);
	v->u.str = s;
	return v;
}

struct tval *tv_bool(struct arena *a, bool b)
{
	struct tval *v = tv_new(a, TV_BOOL);
	v->u.b = b;
	return v;
}

struct tval *tv_int(struct arena *a, long long i)
{
	struct tval *v = tv_new(a, TV_INT);
	v->u.i = i;
	return v;
}

struct tval *tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

struct tval *tv_object(struct arena *a)
{
	return tv_new(a, TV_OBJECT);
}

struct tval *tv_lazy_list(struct arena *a, size_t n, tv_item_fn *make, void *ctx)
{
	struct tval *v = tv_new(a, TV_LIST);
	v->u.list.n = n;
	v->u.list.lazy = arena_alloc(a, sizeof(*v->u.list.lazy));
	v->u.list.lazy->make = make;
	v->u.list.lazy->ctx = ctx;
	return v;
}

void tv_push(struct arena *a, struct tval *list, struct tval *v)
{
	if (list->u.list.lazy)
		BUG();
	ARENA_PUSH(a, list->u.list.items, list->u.list.n, list->u.list.cap);
	list->u.list.items[list->u.list.n - 1] = v;
}

/* Objects are small (a VNet has a dozen keys), so a linear search is both
 * simplest and fastest; the big collections are lists. The first bytes
 * are compared before calling strcmp: most keys differ there. */
static size_t tv_find(const struct tval *obj, const char *key)
{
	for (size_t i = 0; i < obj->u.obj.n; i++)
		if (obj->u.obj.keys[i][0] == key[0] &&
		    strcmp(obj->u.obj.keys[i], key) == 0)
			return i;
	return SIZE_MAX;
}

const struct tval *tv_get(const struct tval *obj, const char *key)
{
	size_t i = tv_find(obj, key);
	return i == SIZE_MAX ? NULL : obj->u.obj.vals[i];
}

struct tval *tv_set(struct arena *a, struct tval *obj, const char *key,
		    struct tval *v)
{
	size_t i = tv_find(obj, key);

	if (i != SIZE_MAX) {
		obj->u.obj.vals[i] = v;
		return v;
	}
	size_t n = obj->u.obj.n, cap = obj->u.obj.cap;
	ARENA_PUSH(a, obj->u.obj.keys, n, cap);
	n = obj->u.obj.n;
	ARENA_PUSH(a, obj->u.obj.vals, obj->u.obj.n, obj->u.obj.cap);
	obj->u.obj.keys[n] = key;
	obj->u.obj.vals[n] = v;
	return v;
}

/* -------------------------------------------------------------- escaping */

/* How a target writes a string literal. */
struct escapes {
	char quote;
	bool brace_hex;       /* other control characters as \u{X}, else \uXXXX */
	bool escape_del;      /* write U+007F as an escape too */
	bool hcl_templates;   /* "${" and "%{" become "$${" and "%%{" */
	bool bicep_templates; /* "${" becomes "\${" */
};

/* HCL: only \n \r \t \" \\ and \uNNNN exist (no \b, \f, \/), and "${" or
 * "%{" would start an interpolation or directive. Bicep: \\ \' \n \r \t,
 * \$ before { only (as Bicep's own escaper), \u{X}. JSON (RFC 8259): '"',
 * '\\' and U+0000..U+001F must be escaped. The rest is written as UTF-8. */
static const struct escapes hcl_escapes = { '"', false, true, true, false };
static const struct escapes bicep_escapes = { '\'', true, true, false, true };
static const struct escapes json_escapes = { '"', false, false, false, false };

/* A byte written as it is, whatever follows it. */
static bool quote_plain(const struct escapes *e, unsigned char c)
{
	if (c < 0x20 || c == (unsigned char)e->quote || c == '\\')
		return false;
	if (c == 0x7f)
		return !e->escape_del;
	if (c == '$')
		return !e->hcl_templates && !e->bicep_templates;
	if (c == '%')
		return !e->hcl_templates;
	return true;
}

/* The byte at p, which is not plain, as the target escapes it (for '$'
 * and '%', by what follows it). */
static void quote_special(const struct escapes *e, const char *p,
			  struct strbuf *out)
{
	unsigned char c = (unsigned char)*p;

	if (c == (unsigned char)e->quote || c == '\\') {
		sb_putc(out, '\\');
		sb_putc(out, (char)c);
	} else if (c == '\n') {
		sb_puts(out, "\\n");
	} else if (c == '\r') {
		sb_puts(out, "\\r");
	} else if (c == '\t') {
		sb_puts(out, "\\t");
	} else if (c < 0x20 || c == 0x7f) {
		sb_printf(out, e->brace_hex ? "\\u{%X}" : "\\u%04X", (unsigned)c);
	} else if (e->hcl_templates && p[1] == '{') {
		sb_putc(out, (char)c);
		sb_putc(out, (char)c);
	} else if (e->bicep_templates && c == '$' && p[1] == '{') {
		sb_puts(out, "\\$");
	} else {
		sb_putc(out, (char)c);
	}
}

/* Runs of plain bytes, most of any string, are copied whole. */
static void quote_with(const struct escapes *e, const char *s,
		       const char *prefix, struct strbuf *out)
{
	sb_putc(out, e->quote);
	sb_puts(out, prefix);
	for (const char *p = s; *p; p++) {
		const char *run = p;
		while (*p && quote_plain(e, (unsigned char)*p))
			p++;
		sb_putn(out, run, (size_t)(p - run));
		if (!*p)
			break;
		quote_special(e, p, out);
	}
	sb_putc(out, e->quote);
}

/* Graphviz: in a quoted ID only \" is an escape, and a label reads the
 * result as an escString, where \\ is a backslash and \n a centred line
 * break (graphviz.org/doc/info/lang.html, .../attrs/#k:escString). Other
 * control characters have no meaning there and become spaces. */
static void quote_dot(const char *s, struct strbuf *out)
{
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			sb_putc(out, '\\');
			sb_putc(out, *s);
		} else if (*s == '\n') {
			sb_puts(out, "\\n");
		} else {
			sb_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
		}
	}
	sb_putc(out, '"');
}

/* Mermaid: a quoted label ends at the next '"', "#...;" is an entity code
 * and "%%" starts a comment or a directive even inside quotes, so all three
 * are written as entity codes (#34;, #35;, #37;), as are the characters
 * its HTML labels would read as markup; a line break is <br/>
 * (mermaid-js/mermaid docs/syntax/flowchart.md, "Entity codes to escape
 * characters"). */
static void quote_mermaid(const char *s, struct strbuf *out)
{
	sb_putc(out, '"');
	for (; *s; s++) {
		if (strchr("\"#%<>&", *s))
			sb_printf(out, "#%d;", *s);
		else if (*s == '\n')
			sb_puts(out, "<br/>");
		else
			sb_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
	sb_putc(out, '"');
}

void tmpl_quote(enum tmpl_target target, const char *s, struct strbuf *out)
{
	size_t n = strlen(s);

	switch (target) {
	case TMPL_HCL:
		quote_with(&hcl_escapes, s, "", out);
		return;
	case TMPL_BICEP:
		quote_with(&bicep_escapes, s, "", out);
		return;
	case TMPL_ARM:
		/* ARM evaluates a string that starts with '[' and ends with ']';
		 * "[[" makes it a literal. Only then: "[x" is already literal
		 * and "[[x" would keep both brackets. */
		quote_with(&json_escapes, s,
			   n >= 2 && s[0] == '[' && s[n - 1] == ']' ? "[" : "", out);
		return;
	case TMPL_JSON:
		quote_with(&json_escapes, s, "", out);
		return;
	case TMPL_DOT:
		quote_dot(s, out);
		return;
	case TMPL_MERMAID:
		quote_mermaid(s, out);
		return;
	}
	BUG();
}

/* ------------------------------------------------------------- the parse */

enum node_kind { N_TEXT, N_VAR, N_IF, N_FOR };

struct path {
	const char **seg; /* "@index" etc. is one segment */
	size_t nseg;
	const char *text; /* as written, for messages */
	struct loc loc;
};

struct node_list {
	struct node **items;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	struct loc loc;        /* the whole tag */
	const char *text;      /* N_TEXT */
	size_t len;
	struct path path;      /* N_VAR; N_IF condition; N_FOR list */
	bool negate;           /* N_IF: {{#if !x}} */
	const char *var;       /* N_FOR: the loop variable */
	struct node_list body; /* N_IF then-part; N_FOR body */
	struct node_list alt;  /* N_IF else-part */
};

struct tmpl {
	struct source src;
	enum tmpl_target target;
	struct node_list root;
};

struct open_block {
	struct node *node;
	bool in_else;
	struct loc else_loc;
};

struct parser {
	struct arena *a;
	struct diag_list *diags;
	struct tmpl *t;
	const char *s; /* the template text */
	size_t len;
	struct open_block *open;
	size_t nopen, open_cap;
	bool ok;
};

static struct diag *tmpl_error(struct diag_list *diags, const struct source *src,
			       struct loc loc, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

static struct diag *tmpl_error(struct diag_list *diags, const struct source *src,
			       struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = diag_vadd(diags, DIAG_ERROR, "template", loc, fmt, ap);
	va_end(ap);
	if (d)
		d->src = src;
	return d;
}

static struct loc mkloc(size_t start, size_t end)
{
	return (struct loc){ (uint32_t)start, (uint32_t)end };
}

static struct node_list *current_list(struct parser *p)
{
	if (p->nopen == 0)
		return &p->t->root;
	struct open_block *b = &p->open[p->nopen - 1];
	return b->in_else ? &b->node->alt : &b->node->body;
}

static struct node *add_node(struct parser *p, enum node_kind kind,
			     struct loc loc)
{
	struct node_list *l = current_list(p);
	struct node *n = arena_alloc(p->a, sizeof(*n));
	n->kind = kind;
	n->loc = loc;
	ARENA_PUSH(p->a, l->items, l->n, l->cap);
	l->items[l->n - 1] = n;
	return n;
}

static void add_text(struct parser *p, size_t start, size_t end)
{
	if (end <= start)
		return;
	struct node *n = add_node(p, N_TEXT, mkloc(start, end));
	n->text = p->s + start;
	n->len = end - start;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* A word of a tag: [start, end) within the template text. */
struct word {
	size_t start, end;
};

/* Splits [start, end) at white space into at most max words; returns the
 * count, or max + 1 when there are more. */
static size_t split_words(const char *s, size_t start, size_t end,
			  struct word *w, size_t max)
{
	size_t n = 0;

	for (size_t i = start; i < end;) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (n == max)
			return max + 1;
		w[n].start = i;
		while (i < end && !is_space(s[i]))
			i++;
		w[n++].end = i;
	}
	return n;
}

static bool word_is(const char *s, struct word w, const char *lit)
{
	size_t n = strlen(lit);
	return w.end - w.start == n && memcmp(s + w.start, lit, n) == 0;
}

static bool valid_ident(const char *s, size_t n)
{
	if (n == 0 || !is_ident_start(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_ident_char(s[i]))
			return false;
	return true;
}

static bool parse_path(struct parser *p, struct word w, struct path *out)
{
	const char *s = p->s + w.start;
	size_t n = w.end - w.start;

	out->text = arena_strndup(p->a, s, n);
	out->loc = mkloc(w.start, w.end);
	if (strcmp(out->text, "@index") == 0 || strcmp(out->text, "@first") == 0 ||
	    strcmp(out->text, "@last") == 0) {
		out->seg = arena_alloc(p->a, sizeof(*out->seg));
		out->seg[0] = out->text;
		out->nseg = 1;
		return true;
	}
	size_t cap = 0;
	for (size_t i = 0, j; i <= n; i = j + 1) {
		for (j = i; j < n && s[j] != '.'; j++)
			;
		if (!valid_ident(s + i, j - i)) {
			tmpl_error(p->diags, &p->t->src, out->loc,
				   "malformed variable name '%s'", out->text);
			return false;
		}
		ARENA_PUSH(p->a, out->seg, out->nseg, cap);
		out->seg[out->nseg - 1] = arena_strndup(p->a, s + i, j - i);
	}
	return true;
}

static bool can_open(struct parser *p, struct loc loc)
{
	if (p->nopen < TMPL_MAX_DEPTH)
		return true;
	tmpl_error(p->diags, &p->t->src, loc,
		   "blocks nested too deeply (the limit is %d levels)",
		   TMPL_MAX_DEPTH);
	return false;
}

static void push_open(struct parser *p, struct node *n)
{
	ARENA_PUSH(p->a, p->open, p->nopen, p->open_cap);
	p->open[p->nopen - 1] = (struct open_block){ n, false, LOC_NONE };
}

static const char *block_name(const struct node *n)
{
	return n->kind == N_IF ? "if" : "for";
}

/* {{/if}}, {{/for}}: closes the innermost block, which must be of that kind. */
static bool close_block(struct parser *p, struct loc loc, const char *name)
{
	if (p->nopen == 0) {
		tmpl_error(p->diags, &p->t->src, loc,
			   "'{{/%s}}' without an open '{{#%s}}'", name, name);
		return false;
	}
	struct node *n = p->open[p->nopen - 1].node;
	if (strcmp(block_name(n), name) != 0) {
		struct diag *d = tmpl_error(p->diags, &p->t->src, loc,
					    "'{{/%s}}' closes '{{#%s}}'", name,
					    block_name(n));
		diag_note(p->diags, d, n->loc, "the '{{#%s}}' opened here",
			  block_name(n));
		return false;
	}
	p->nopen--;
	return true;
}

static bool parse_else(struct parser *p, struct loc loc)
{
	struct open_block *b = p->nopen ? &p->open[p->nopen - 1] : NULL;

	if (!b || b->node->kind != N_IF) {
		tmpl_error(p->diags, &p->t->src, loc,
			   "'{{#else}}' outside '{{#if}}'");
		return false;
	}
	if (b->in_else) {
		struct diag *d = tmpl_error(p->diags, &p->t->src, loc,
					    "a second '{{#else}}' in one '{{#if}}'");
		diag_note(p->diags, d, b->else_loc, "the first '{{#else}}' is here");
		return false;
	}
	b->in_else = true;
	b->else_loc = loc;
	return true;
}

static bool parse_if(struct parser *p, struct loc loc, struct word *w, size_t n)
{
	if (!can_open(p, loc))
		return false;
	if (n != 2) {
		tmpl_error(p->diags, &p->t->src, loc,
			   "malformed tag: expected '{{#if NAME}}' or '{{#if !NAME}}'");
		return false;
	}
	struct node *node = add_node(p, N_IF, loc);
	if (p->s[w[1].start] == '!') {
		node->negate = true;
		w[1].start++;
	}
	if (!parse_path(p, w[1], &node->path))
		return false;
	push_open(p, node);
	return true;
}

static bool parse_for(struct parser *p, struct loc loc, struct word *w, size_t n)
{
	if (!can_open(p, loc))
		return false;
	if (n != 4 || !word_is(p->s, w[2], "in") ||
	    !valid_ident(p->s + w[1].start, w[1].end - w[1].start)) {
		tmpl_error(p->diags, &p->t->src, loc,
			   "malformed tag: expected '{{#for NAME in LIST}}'");
		return false;
	}
	struct node *node = add_node(p, N_FOR, loc);
	node->var = arena_strndup(p->a, p->s + w[1].start, w[1].end - w[1].start);
	if (!parse_path(p, w[3], &node->path))
		return false;
	push_open(p, node);
	return true;
}

/* One tag; [start, end) is its content without the braces and trim marks. */
static bool parse_tag(struct parser *p, struct loc loc, size_t start, size_t end)
{
	struct word w[5];
	const char *s = p->s;

	while (start < end && is_space(s[start]))
		start++;
	if (start < end && s[start] == '!')
		return true; /* a comment */
	size_t n = split_words(s, start, end, w, 4);
	if (n == 0 || n > 4) {
		tmpl_error(p->diags, &p->t->src, loc, "malformed tag");
		return false;
	}
	if (s[start] == '#') {
		w[0].start++;
		if (word_is(s, w[0], "if"))
			return parse_if(p, loc, w, n);
		if (word_is(s, w[0], "for"))
			return parse_for(p, loc, w, n);
		if (word_is(s, w[0], "else") && n == 1)
			return parse_else(p, loc);
	} else if (s[start] == '/' && n == 1) {
		w[0].start++;
		if (word_is(s, w[0], "if"))
			return close_block(p, loc, "if");
		if (word_is(s, w[0], "for"))
			return close_block(p, loc, "for");
	} else if (n == 1) {
		struct node *node = add_node(p, N_VAR, loc);
		return parse_path(p, w[0], &node->path);
	}
	tmpl_error(p->diags, &p->t->src, loc, "malformed tag '%.*s'",
		   (int)(loc.end - loc.start), s + loc.start);
	return false;
}

/* A block or comment tag alone on its line takes the whole line with it, so
 * that templates can put each block tag on its own line without leaving
 * blank lines. [*ls, *le) is then the line, newline included. */
static bool standalone(const struct parser *p, size_t text_start, size_t tag,
		       size_t tag_end, size_t *ls, size_t *le)
{
	const char *s = p->s;
	size_t i = tag, j = tag_end;

	while (i > text_start && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	/* At text_start, s[i - 1] ends what the previous tag took: the
	 * newline of a block tag's line when that tag stood alone too. */
	if (!(i == 0 || s[i - 1] == '\n'))
		return false;
	while (j < p->len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j < p->len && s[j] == '\r' && j + 1 < p->len && s[j + 1] == '\n')
		j++;
	if (j < p->len && s[j] != '\n')
		return false;
	*ls = i;
	*le = j < p->len ? j + 1 : j;
	return true;
}

static const char *find2(const char *s, size_t from, size_t len, const char *pat)
{
	for (size_t i = from; i + 1 < len; i++)
		if (s[i] == pat[0] && s[i + 1] == pat[1])
			return s + i;
	return NULL;
}

static bool is_block_tag(const char *s, size_t start, size_t end)
{
	while (start < end && is_space(s[start]))
		start++;
	return start < end && (s[start] == '#' || s[start] == '/' || s[start] == '!');
}

static bool parse_all(struct parser *p)
{
	const char *s = p->s;
	size_t text_start = 0, pos = 0;
	const char *o;

	while ((o = find2(s, pos, p->len, "{{"))) {
		size_t tag = (size_t)(o - s), in = tag + 2;
		const char *c = find2(s, in, p->len, "}}");
		if (!c) {
			tmpl_error(p->diags, &p->t->src, mkloc(tag, tag + 2),
				   "unterminated tag: '{{' without '}}'");
			return false;
		}
		size_t in_end = (size_t)(c - s), tag_end = in_end + 2;
		bool trim_left = in < in_end && s[in] == '-';
		bool trim_right = in_end > in + trim_left && s[in_end - 1] == '-';
		size_t text_end = tag, next = tag_end, ls, le;
		if (is_block_tag(s, in + trim_left, in_end - trim_right) &&
		    standalone(p, text_start, tag, tag_end, &ls, &le)) {
			text_end = ls;
			next = le;
		}
		while (trim_left && text_end > text_start && is_space(s[text_end - 1]))
			text_end--;
		while (trim_right && next < p->len && is_space(s[next]))
			next++;
		add_text(p, text_start, text_end);
		if (!parse_tag(p, mkloc(tag, tag_end), in + trim_left,
			       in_end - trim_right))
			return false;
		pos = text_start = next;
	}
	add_text(p, text_start, p->len);
	if (p->nopen) {
		struct node *n = p->open[p->nopen - 1].node;
		tmpl_error(p->diags, &p->t->src, n->loc,
			   "unclosed '{{#%s}}': no '{{/%s}}' follows",
			   block_name(n), block_name(n));
		return false;
	}
	return true;
}

struct tmpl *tmpl_parse(struct arena *a, struct diag_list *diags,
			const char *name, const char *text, size_t len,
			enum tmpl_target target)
{
	struct tmpl *t = arena_alloc(a, sizeof(*t));

	t->target = target;
	if (!source_init(&t->src, a, name, text, len)) {
		diag_add(diags, DIAG_ERROR, "template", LOC_NONE,
			 "template %s is too large", name);
		return NULL;
	}
	struct parser p = {
		.a = a, .diags = diags, .t = t, .s = t->src.text, .len = len,
	};
	return parse_all(&p) ? t : NULL;
}

static const struct embedded_template *find_embedded(const char *path)
{
	for (size_t i = 0; i < embedded_templates_count; i++)
		if (strcmp(embedded_templates[i].path, path) == 0)
			return &embedded_templates[i];
	return NULL;
}

struct tmpl *tmpl_load(struct arena *a, struct diag_list *diags,
		       const char *template_dir, const char *dir,
		       const char *file, enum tmpl_target target)
{
	if (!template_dir) {
		char *path = arena_printf(a, "%s/%s", dir, file);
		const struct embedded_template *e = find_embedded(path);
		if (!e)
			BUG(); /* a back end asked for a template it does not ship */
		return tmpl_parse(a, diags, arena_printf(a, "templates/%s", path),
				  (const char *)e->data, e->len, target);
	}
	char *path = arena_printf(a, "%s/%s/%s", template_dir, dir, file);
	struct strbuf sb;
	char why[128];
	sb_init(&sb);
	int err = file_read(path, &sb, TEMPLATE_MAX);
	if (err) {
		struct diag *d = diag_add(diags, DIAG_ERROR, "io", LOC_NONE,
					  "cannot read template %s: %s", path,
					  file_error(err, TEMPLATE_MAX, "a template",
						     why, sizeof(why)));
		if (d)
			d->src = &diag_no_source;
		sb_free(&sb);
		return NULL;
	}
	struct tmpl *t = tmpl_parse(a, diags, path, sb.buf, sb.len, target);
	sb_free(&sb);
	return t;
}

/* ------------------------------------------------------------ the render */

/* One level of {{#for}}: the item's name and where the loop is. */
struct scope {
	const char *name;
	const struct tval *item;
	size_t index, count;
	const struct scope *up;
	struct loc loc; /* the {{#for}} tag */
	size_t depth;   /* loops around this one */
};

struct render {
	const struct tmpl *t;
	const struct tval *root;
	struct diag_list *diags;
	struct strbuf *out; /* rendered, not yet laid out */
	size_t steps;  /* tags and texts rendered so far */
	size_t budget; /* for steps plus bytes written (TMPL_BUDGET_BASE) */
	size_t done;   /* bytes of out already laid out and dropped */
	size_t feed_at; /* out's length at which to lay out what it holds */
	struct layout_stream ls;
	struct strbuf *laid; /* laid out, not yet given to the sink */
	const struct tmpl_sink *sink; /* NULL: laid keeps all of it */
	/* The arenas lazy items are built in, one per level of {{#for}}. */
	struct arena *items[TMPL_MAX_DEPTH + 1];
};

static bool render_list(struct render *r, const struct node_list *l,
			const struct scope *sc);

static const char *kind_name(enum tval_kind k)
{
	switch (k) {
	case TV_STRING:
		return "a string";
	case TV_RAW:
		return "a token";
	case TV_BOOL:
		return "a boolean";
	case TV_INT:
		return "an integer";
	case TV_LIST:
		return "a list";
	case TV_OBJECT:
		return "an object";
	}
	BUG();
}

/* The key of obj closest to key, for "did you mean"; NULL when none is close. */
static const char *closest_key(const struct tval *obj, const char *key)
{
	return closest_match(key, obj->u.obj.keys, obj->u.obj.n);
}

static void unknown_variable(struct render *r, const struct path *p,
			     size_t upto, const struct tval *obj)
{
	struct strbuf prefix;
	sb_init(&prefix);
	for (size_t i = 0; i < upto; i++)
		sb_printf(&prefix, "%s.", p->seg[i]);
	const char *hint = obj ? closest_key(obj, p->seg[upto]) : NULL;
	if (hint)
		tmpl_error(r->diags, &r->t->src, p->loc,
			   "unknown variable '%s'; did you mean '%s%s'?",
			   p->text, prefix.buf, hint);
	else
		tmpl_error(r->diags, &r->t->src, p->loc,
			   "unknown variable '%s'", p->text);
	sb_free(&prefix);
}

static const struct tval *loop_meta(struct render *r, const struct path *p,
				    const struct scope *sc, struct tval *tmp)
{
	if (!sc) {
		tmpl_error(r->diags, &r->t->src, p->loc,
			   "'%s' outside '{{#for}}'", p->text);
		return NULL;
	}
	const char *m = p->seg[0] + 1;
	if (strcmp(m, "index") == 0) {
		tmp->kind = TV_INT;
		tmp->u.i = (long long)sc->index;
	} else {
		tmp->kind = TV_BOOL;
		tmp->u.b = strcmp(m, "first") == 0 ? sc->index == 0 :
						       sc->index + 1 == sc->count;
	}
	return tmp;
}

/* The value a path names: loop variables shadow the root's keys. tmp holds
 * @index, @first and @last, which exist only while the loop runs. */
static const struct tval *lookup(struct render *r, const struct path *p,
				 const struct scope *sc, struct tval *tmp)
{
	const struct tval *v = NULL;

	if (p->seg[0][0] == '@')
		return loop_meta(r, p, sc, tmp);
	for (const struct scope *s = sc; s && !v; s = s->up)
		if (strcmp(s->name, p->seg[0]) == 0)
			v = s->item;
	if (!v)
		v = tv_get(r->root, p->seg[0]);
	if (!v) {
		unknown_variable(r, p, 0, r->root);
		return NULL;
	}
	for (size_t i = 1; i < p->nseg; i++) {
		if (v->kind != TV_OBJECT) {
			tmpl_error(r->diags, &r->t->src, p->loc,
				   "'%s': '%s' is %s, not an object", p->text,
				   p->seg[i - 1], kind_name(v->kind));
			return NULL;
		}
		const struct tval *next = tv_get(v, p->seg[i]);
		if (!next) {
			unknown_variable(r, p, i, v);
			return NULL;
		}
		v = next;
	}
	return v;
}

static bool truthy(const struct tval *v)
{
	switch (v->kind) {
	case TV_STRING:
	case TV_RAW:
		return v->u.str[0] != '\0';
	case TV_BOOL:
		return v->u.b;
	case TV_INT:
		return v->u.i != 0;
	case TV_LIST:
		return v->u.list.n > 0;
	case TV_OBJECT:
		return v->u.obj.n > 0;
	}
	BUG();
}

/* An object key: bare when the target reads it as a name, else quoted.
 * HCL would read for/if/in as keywords and null/true/false as values. */
static void put_key(enum tmpl_target t, const char *k, struct strbuf *out)
{
	static const char *const reserved[] = {
		"for", "if", "in", "null", "true", "false", "endfor", "endif",
	};
	bool bare = t != TMPL_JSON && t != TMPL_ARM && valid_ident(k, strlen(k));

	for (size_t i = 0; bare && i < ARRAY_SIZE(reserved); i++)
		if (strcmp(k, reserved[i]) == 0)
			bare = false;
	if (bare)
		sb_puts(out, k);
	else
		tmpl_quote(t == TMPL_ARM ? TMPL_JSON : t, k, out);
}

static void count_item(struct render *r, const struct tval *list, size_t i,
		       const struct tval *item);

/* Item i of list: made in a when the list is lazy. */
static const struct tval *item_at(struct render *r, const struct tval *list,
				  size_t i, struct arena *a)
{
	const struct tv_lazy *lz = list->u.list.lazy;

	if (!lz)
		return list->u.list.items[i];
	const struct tval *item = lz->make(lz->ctx, a, i);
	count_item(r, list, i, item);
	return item;
}

/* Lists and objects as the target's literals. Items go one per line where
 * the target's style wants it; the layout pass indents them. */
static void put_value(struct render *r, const struct tval *v, struct strbuf *out)
{
	enum tmpl_target t = r->t->target;

	switch (v->kind) {
	case TV_STRING:
		tmpl_quote(t, v->u.str, out);
		return;
	case TV_RAW:
		sb_puts(out, v->u.str);
		return;
	case TV_BOOL:
		sb_puts(out, v->u.b ? "true" : "false");
		return;
	case TV_INT:
		sb_printf(out, "%lld", v->u.i);
		return;
	case TV_LIST: {
		/* a lazy list written whole: rare, so an arena of its own */
		struct arena *a = v->u.list.lazy ? arena_new() : NULL;
		sb_putc(out, '[');
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (t == TMPL_BICEP)
				sb_putc(out, '\n');
			else if (i > 0)
				sb_puts(out, ", ");
			put_value(r, item_at(r, v, i, a), out);
			if (a)
				arena_clear(a);
		}
		arena_free(a);
		if (t == TMPL_BICEP && v->u.list.n)
			sb_putc(out, '\n');
		sb_putc(out, ']');
		return;
	}
	case TV_OBJECT:
		sb_putc(out, '{');
		for (size_t i = 0; i < v->u.obj.n; i++) {
			sb_putc(out, '\n');
			put_key(t, v->u.obj.keys[i], out);
			sb_puts(out, t == TMPL_HCL ? " = " : ": ");
			put_value(r, v->u.obj.vals[i], out);
			if ((t == TMPL_JSON || t == TMPL_ARM) && i + 1 < v->u.obj.n)
				sb_putc(out, ',');
		}
		if (v->u.obj.n)
			sb_putc(out, '\n');
		sb_putc(out, '}');
		return;
	}
	BUG();
}

static bool render_for(struct render *r, const struct node *n,
		       const struct scope *sc)
{
	struct tval tmp;
	const struct tval *l = lookup(r, &n->path, sc, &tmp);

	if (!l)
		return false;
	if (l->kind != TV_LIST) {
		tmpl_error(r->diags, &r->t->src, n->path.loc,
			   "'{{#for}}' over '%s', which is %s, not a list",
			   n->path.text, kind_name(l->kind));
		return false;
	}
	struct scope inner = { n->var, NULL, 0, l->u.list.n, sc, n->loc,
			       sc ? sc->depth + 1 : 0 };
	struct arena *a = NULL;
	if (l->u.list.lazy) {
		if (!r->items[inner.depth])
			r->items[inner.depth] = arena_new();
		a = r->items[inner.depth];
	}
	for (size_t i = 0; i < l->u.list.n; i++) {
		inner.item = item_at(r, l, i, a);
		inner.index = i;
		bool ok = render_list(r, &n->body, &inner);
		if (a)
			arena_clear(a);
		if (!ok)
			return false;
	}
	return true;
}

/* The error is at the outermost loop being rendered, where the nest of
 * loops that multiplies the output starts: the same place however far the
 * budget let it go. */
static void over_budget(struct render *r, const struct node *n,
			const struct scope *sc)
{
	while (sc && sc->up)
		sc = sc->up;
	tmpl_error(r->diags, &r->t->src, sc ? sc->loc : n->loc,
		   "rendering stopped: past the budget of %zu bytes and steps "
		   "(%zu MiB plus %zu KiB per value of the topology); does a "
		   "'{{#for}}' repeat what it should write once?", r->budget,
		   TMPL_BUDGET_BASE >> 20, TMPL_BUDGET_PER_VALUE >> 10);
}

/* Lays out what out holds as far as it is final, and gives the sink what
 * fills a piece (with last: everything). A piece left waiting for what
 * follows it is laid out again only once out has doubled, so text that
 * never reaches a point to cut at costs linear time, not quadratic. */
static bool lay_out(struct render *r, bool last)
{
	size_t used;

	r->ls.max = r->budget;
	if (!layout_feed(&r->ls, r->out->buf ? r->out->buf : "", r->out->len, last,
			 &used, r->laid)) {
		tmpl_error(r->diags, &r->t->src, LOC_NONE,
			   "its output, laid out, passes the budget of %zu bytes "
			   "(%zu MiB plus %zu KiB per value of the topology): "
			   "brackets nested too deeply, or lines too long to align?",
			   r->budget, TMPL_BUDGET_BASE >> 20,
			   TMPL_BUDGET_PER_VALUE >> 10);
		return false;
	}
	memmove(r->out->buf, r->out->buf + used, r->out->len - used);
	r->out->len -= used;
	r->done += used;
	r->feed_at = 2 * r->out->len > TMPL_PIECE ? 2 * r->out->len : TMPL_PIECE;
	if (r->sink && r->laid->len && (last || r->laid->len >= TMPL_PIECE)) {
		if (!r->sink->write(r->sink->ctx, r->laid->buf, r->laid->len))
			return false;
		sb_reset(r->laid);
	}
	return true;
}

static bool render_node(struct render *r, const struct node *n,
			const struct scope *sc)
{
	struct tval tmp;
	const struct tval *v;

	if (++r->steps > r->budget || r->done + r->out->len > r->budget - r->steps) {
		over_budget(r, n, sc);
		return false;
	}
	if (r->out->len >= r->feed_at && !lay_out(r, false))
		return false;
	switch (n->kind) {
	case N_TEXT:
		sb_putn(r->out, n->text, n->len);
		return true;
	case N_VAR:
		if (!(v = lookup(r, &n->path, sc, &tmp)))
			return false;
		put_value(r, v, r->out);
		return true;
	case N_IF:
		if (!(v = lookup(r, &n->path, sc, &tmp)))
			return false;
		return render_list(r, truthy(v) != n->negate ? &n->body : &n->alt, sc);
	case N_FOR:
		return render_for(r, n, sc);
	}
	BUG();
}

static bool render_list(struct render *r, const struct node_list *l,
			const struct scope *sc)
{
	for (size_t i = 0; i < l->n; i++)
		if (!render_node(r, l->items[i], sc))
			return false;
	return true;
}

/* Values, shared ones once per reference, counted up to about max; a
 * string or raw value counts one more per TMPL_BUDGET_PER_VALUE bytes it
 * may take written (a string escaped, six bytes for one at most; raw text
 * re-indented by the layout, twice its length at most). A lazy list's
 * items are counted as they are made (count_item), afresh in each render
 * of the tree: main.tf is rendered twice when it has moved blocks. The
 * lists this walk reaches are the ones that outlive a render (one inside
 * a lazy item is made anew with the item); one it does not reach because
 * max was hit leaves a budget unbounded in practice anyway. */
static size_t count_values(const struct tval *v, size_t max)
{
	size_t n = 1;

	if (v->kind == TV_STRING || v->kind == TV_RAW)
		n += strlen(v->u.str) * (v->kind == TV_STRING ? 6 : 2) / TMPL_BUDGET_PER_VALUE;
	else if (v->kind == TV_LIST && v->u.list.lazy)
		v->u.list.lazy->counted = 0;
	else if (v->kind == TV_LIST)
		for (size_t i = 0; i < v->u.list.n && n < max; i++)
			n += count_values(v->u.list.items[i], max - n);
	else if (v->kind == TV_OBJECT)
		for (size_t i = 0; i < v->u.obj.n && n < max; i++)
			n += count_values(v->u.obj.vals[i], max - n);
	return n;
}

/* 2^28 values would take tens of GB to build; past that the budget is
 * unbounded in practice (a TiB). */
static size_t render_budget(const struct tval *root)
{
	size_t max = (SIZE_MAX / 2 - TMPL_BUDGET_BASE) / TMPL_BUDGET_PER_VALUE;

	if (max > (size_t)1 << 28)
		max = (size_t)1 << 28;
	return TMPL_BUDGET_BASE + TMPL_BUDGET_PER_VALUE * count_values(root, max);
}

/* A lazy item counts toward the budget the first time it is made: a
 * template that walks a list once has a budget for all of it, one that
 * walks it again inside itself does not. */
static void count_item(struct render *r, const struct tval *list, size_t i,
		       const struct tval *item)
{
	struct tv_lazy *lz = list->u.list.lazy;
	size_t max = (SIZE_MAX / 2 - r->budget) / TMPL_BUDGET_PER_VALUE;

	if (i < lz->counted)
		return;
	lz->counted = i + 1;
	if (max > (size_t)1 << 28)
		max = (size_t)1 << 28;
	r->budget += TMPL_BUDGET_PER_VALUE * count_values(item, max);
}

static bool render(const struct tmpl *t, const struct tval *root,
		   struct diag_list *diags, struct strbuf *laid,
		   const struct tmpl_sink *sink)
{
	struct strbuf raw;
	struct render r = { .t = t, .root = root, .diags = diags, .out = &raw,
			    .budget = render_budget(root), .feed_at = TMPL_PIECE,
			    .laid = laid, .sink = sink };
	char what[256];

	sb_init(&raw);
	snprintf(what, sizeof(what), "rendering %s", t->src.name);
	raw.what = what;
	layout_start(&r.ls, t->target, r.budget);
	bool ok = render_list(&r, &t->root, NULL) && lay_out(&r, true);
	layout_end(&r.ls);
	for (size_t i = 0; i < ARRAY_SIZE(r.items); i++)
		arena_free(r.items[i]);
	sb_free(&raw);
	return ok;
}

bool tmpl_render(const struct tmpl *t, const struct tval *root,
		 struct diag_list *diags, struct strbuf *out)
{
	size_t start = out->len;
	bool ok = render(t, root, diags, out, NULL);

	if (!ok && out->buf) {
		out->len = start;
		out->buf[start] = '\0';
	}
	return ok;
}

bool tmpl_render_to(const struct tmpl *t, const struct tval *root,
		    struct diag_list *diags, const struct tmpl_sink *sink)
{
	struct strbuf laid;

	sb_init(&laid);
	bool ok = render(t, root, diags, &laid, sink);
	sb_free(&laid);
	return ok;
}
