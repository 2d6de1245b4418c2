#include "common.h"

#include "fmt.h"
#include "peerc.h"
#include "peertext.h"
#include "util.h"

void pt_init(struct pt_doc *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->a = a;
	d->tail = &d->first;
}

struct pt_stmt *pt_stmt(struct pt_doc *d, bool blank_before, const char *head)
{
	struct pt_stmt *st = arena_alloc(d->a, sizeof(*st));

	st->head = head;
	st->blank_before = blank_before;
	st->attrs_tail = &st->attrs;
	*d->tail = st;
	d->tail = &st->next;
	return st;
}

void pt_comment(struct pt_doc *d, struct pt_stmt *st, const char *line)
{
	st->comment = st->comment ? arena_printf(d->a, "%s\n%s", st->comment, line) :
				    arena_strdup(d->a, line);
}

static struct pt_attr *new_attr(struct pt_doc *d, const char *name, const char *value)
{
	struct pt_attr *at = arena_alloc(d->a, sizeof(*at));

	at->name = name;
	at->value = value;
	at->block_tail = &at->block;
	return at;
}

struct pt_attr *pt_set(struct pt_doc *d, struct pt_stmt *st, const char *name,
		       const char *value)
{
	struct pt_attr *at = new_attr(d, name, value);

	*st->attrs_tail = at;
	st->attrs_tail = &at->next;
	return at;
}

struct pt_attr *pt_block(struct pt_doc *d, struct pt_stmt *st, const char *name)
{
	struct pt_attr *at = pt_set(d, st, name, NULL);

	at->is_block = true;
	return at;
}

void pt_entry(struct pt_doc *d, struct pt_attr *block, const char *name,
	      const char *value)
{
	struct pt_attr *at = new_attr(d, name, value);

	*block->block_tail = at;
	block->block_tail = &at->next;
}

/* ---------------------------------------------------------------- layout */

static void print_comment(struct strbuf *out, const char *text, size_t indent)
{
	for (const char *p = text; p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		sb_indent(out, indent);
		sb_putc(out, '#');
		if (n)
			sb_putc(out, ' ');
		sb_putn(out, p, n);
		sb_putc(out, '\n');
		p = nl ? nl + 1 : NULL;
	}
}

/* One attribute a line; fmt.c aligns the `=`. */
static void print_entries(struct strbuf *out, const struct pt_attr *first, size_t indent)
{
	for (const struct pt_attr *at = first; at; at = at->next) {
		sb_indent(out, indent);
		sb_puts(out, at->name);
		if (at->is_block) {
			sb_puts(out, " {\n");
			print_entries(out, at->block, indent + 2);
			sb_indent(out, indent);
			sb_putc(out, '}');
		} else if (at->value) {
			sb_printf(out, " = %s", at->value);
		}
		sb_putc(out, '\n');
	}
}

/* The statements, one a line or a block, with the blank lines the
 * formatter keeps. */
static void print_doc(const struct pt_doc *d, struct strbuf *out)
{
	const struct pt_stmt *prev = NULL;

	if (d->header)
		print_comment(out, d->header, 0);
	for (const struct pt_stmt *st = d->first; st; prev = st, st = st->next) {
		/* One-line statements of a kind stand together; a block or a
		 * comment stands apart. */
		if (out->len && (st->blank_before || st->attrs || st->comment ||
				 (prev && prev->attrs)))
			sb_putc(out, '\n');
		if (st->comment)
			print_comment(out, st->comment, 0);
		sb_puts(out, st->head);
		if (st->attrs) {
			sb_puts(out, " {\n");
			print_entries(out, st->attrs, 2);
			sb_putc(out, '}');
		}
		sb_putc(out, '\n');
	}
}

void pt_print(const struct pt_doc *d, struct strbuf *out)
{
	struct strbuf raw;

	sb_init(&raw);
	print_doc(d, &raw);
	struct peerc_result *r = peerc_format("<peertext>", raw.buf, raw.len);
	/* Text that does not parse is a bug of its writer: kept as it is, so
	 * that compiling it shows where. */
	if (r->noutputs == 1)
		sb_putn(out, r->outputs[0].data, r->outputs[0].len);
	else
		sb_putn(out, raw.buf, raw.len);
	peerc_result_free(r);
	sb_free(&raw);
}

/* ---------------------------------------------------------------- tokens */

const char *pt_quote(struct arena *a, const char *s)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_putc(&sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(&sb, "\\%c", *p);
		else if (*p == '\n')
			sb_puts(&sb, "\\n");
		else if (*p == '\t')
			sb_puts(&sb, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(&sb, "\\u%04x", *p);
		else
			sb_putc(&sb, (char)*p);
	}
	sb_putc(&sb, '"');
	char *r = arena_strndup(a, sb.buf, sb.len);
	sb_free(&sb);
	return r;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool pt_is_name(const char *s)
{
	static const char *const keywords[] = {
		"defaults", "vnet", "peer", "hub", "mesh", "site", "require",
		"deny", "in", "via", "true", "false",
	};
	size_t n = strlen(s);

	if (n == 0 || !is_alpha(s[0]) || s[n - 1] == '-')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return false;
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strcmp(s, keywords[i]) == 0)
			return false;
	return true;
}
