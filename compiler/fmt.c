/* The formatter: the AST printed back in the canonical layout (doc/fmt.md),
 * with the scanner's side list of comments put back where they were.
 *
 * The printer builds a list of lines, each with its indentation, its text
 * and maybe a trailing comment; two passes then align the `=` of runs of
 * attributes and the trailing comments of runs of lines, and the lines are
 * written out. Every token is copied from the source, so no spelling (an
 * IPv6 form, a string's escapes) can change. A token that the AST locates
 * is where comments before it are put back: each comment keeps its place
 * relative to the located tokens, and whether it ended a line, shared a line
 * with code, or stood on a line of its own. */
#include "common.h"

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "peerc.h"
#include "srcpos.h"
#include "util.h"

#define INDENT 2
#define CONT_INDENT 4 /* a statement or attribute continued on a new line */

/* How a token is separated from what comes before it. */
enum sep {
	SEP_NONE,  /* right after: `a,` `A.x` */
	SEP_SPACE,
	SEP_WRAP,  /* a new line at the continuation column */
	SEP_LINE,  /* a new line at the given indentation; a blank line of
		    * the source before it is kept */
	SEP_LINE_NOBLANK, /* the same without the blank line: after `{`, at `}` */
};

struct fline {
	size_t off, len;   /* the text in printer.text, indentation excluded */
	size_t indent;
	size_t width;      /* display width of the text */
	long eq;           /* offset of " =" of an attribute to align, or -1 */
	size_t keyw;       /* display width of that attribute's name */
	unsigned block;    /* the block the attribute is in */
	struct loc comment; /* a trailing comment; LOC_NONE when there is none */
	bool blank;        /* a blank line comes before this one */
};

struct printer {
	const struct source *src;
	const struct comment *comments;
	size_t ncomments, next;   /* the next comment not yet printed */
	struct strbuf text;
	struct fline *lines;
	size_t nlines, cap;
	bool open;          /* the last line takes more text */
	uint32_t prev_end;  /* where the last located token or comment ends */
	bool started;       /* something was printed */
	bool after_open;    /* an expanded block was opened just now */
	size_t cont;        /* the continuation column of the statement */
	unsigned nblocks;
};

/* ---------------------------------------------------------------- lines */

static size_t display_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

static struct fline *cur(struct printer *p)
{
	return &p->lines[p->nlines - 1];
}

static size_t column(struct printer *p)
{
	return p->open ? cur(p)->indent + cur(p)->width : 0;
}

static void close_line(struct printer *p)
{
	p->open = false;
}

static void new_line(struct printer *p, size_t indent, bool blank)
{
	close_line(p);
	if (p->nlines == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->lines = xrealloc(p->lines, p->cap * sizeof(*p->lines));
	}
	p->lines[p->nlines++] = (struct fline){
		.off = p->text.len, .indent = indent, .eq = -1,
		.comment = LOC_NONE, .blank = blank && p->nlines > 0,
	};
	p->open = true;
}

static void put(struct printer *p, const char *s, size_t n)
{
	sb_putn(&p->text, s, n);
	cur(p)->len += n;
	cur(p)->width += display_width(s, n);
	p->started = true;
}

static void put_loc(struct printer *p, struct loc l)
{
	put(p, p->src->text + l.start, l.end - l.start);
}

/* ------------------------------------------------------------- comments */

/* A line ends with "\n", "\r\n" or a lone "\r", as the scanner reads it. */
static bool line_end_at(const struct source *src, uint32_t i)
{
	return src->text[i] == '\n' ||
	       (src->text[i] == '\r' && (i + 1 >= src->len || src->text[i + 1] != '\n'));
}

static bool has_newline(const struct source *src, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (line_end_at(src, i))
			return true;
	return false;
}

/* Whether the source has a blank line between from and to (nothing but
 * white space lies there). */
static bool has_blank_line(const struct source *src, uint32_t from, uint32_t to)
{
	bool seen = false;

	for (uint32_t i = from; i < to; i++) {
		if (!line_end_at(src, i))
			continue;
		if (seen)
			return true;
		seen = true;
	}
	return false;
}

/* A line comment's text without trailing blanks (a CR of a CRLF file). */
static struct loc comment_text(const struct printer *p, struct loc l)
{
	while (l.end > l.start && strchr(" \t\r\f\v", p->src->text[l.end - 1]))
		l.end--;
	return l;
}

static bool is_newline_sep(enum sep s)
{
	return s == SEP_LINE || s == SEP_LINE_NOBLANK;
}

/* A comment that starts on the line of the code before it: inline (a
 * one-line block comment with more on that line) or trailing (it ends the
 * line). Returns the separator the next thing then needs. */
static enum sep comment_after_code(struct printer *p, struct loc c,
				   uint32_t next, bool next_is_comment,
				   enum sep sep)
{
	bool multi = has_newline(p->src, c.start, c.end);
	bool then_newline = has_newline(p->src, c.end, next) || next == p->src->len;

	if (!multi && !then_newline && (next_is_comment || !is_newline_sep(sep))) {
		put(p, " ", 1);
		put_loc(p, c);
		return sep;
	}
	cur(p)->comment = comment_text(p, c);
	close_line(p);
	return is_newline_sep(sep) ? sep : SEP_WRAP;
}

/* A comment on a line of its own, at the indentation the next token would
 * get. Returns the separator the next thing then needs. */
static enum sep comment_alone(struct printer *p, struct loc c, uint32_t next,
			      enum sep sep, size_t indent)
{
	bool blank = is_newline_sep(sep) && !p->after_open &&
		     has_blank_line(p->src, p->prev_end, c.start);

	new_line(p, is_newline_sep(sep) ? indent : p->cont, blank);
	put_loc(p, comment_text(p, c));
	p->after_open = false;
	if (has_newline(p->src, c.end, next) || next == p->src->len) {
		close_line(p);
		return sep == SEP_LINE_NOBLANK ? SEP_LINE : is_newline_sep(sep) ? sep : SEP_WRAP;
	}
	return SEP_SPACE;
}

/* Prints every comment that comes before source offset `at`; returns the
 * separator the token at `at` needs now. */
static enum sep flush_comments(struct printer *p, uint32_t at, enum sep sep,
			       size_t indent)
{
	while (p->next < p->ncomments && p->comments[p->next].loc.start < at) {
		struct loc c = p->comments[p->next++].loc;
		bool more = p->next < p->ncomments &&
			    p->comments[p->next].loc.start < at;
		uint32_t next = more ? p->comments[p->next].loc.start : at;

		if (p->open && p->started && !has_newline(p->src, p->prev_end, c.start))
			sep = comment_after_code(p, c, next, more, sep);
		else
			sep = comment_alone(p, c, next, sep, indent);
		p->prev_end = c.end;
	}
	return sep;
}

/* ---------------------------------------------------------------- tokens */

/* Prints n bytes of s after the separator sep. at is the token's place in
 * the source, or LOC_NONE for punctuation the AST does not locate. Comments
 * before a located token are printed first, at comment_indent when they
 * stand alone. */
static void emit_at(struct printer *p, enum sep sep, size_t indent,
		    size_t comment_indent, struct loc at, const char *s, size_t n)
{
	if (!loc_is_none(at))
		sep = flush_comments(p, at.start, sep, comment_indent);
	switch (sep) {
	case SEP_NONE:
		break;
	case SEP_SPACE:
		if (p->open && cur(p)->len > 0)
			put(p, " ", 1);
		break;
	case SEP_WRAP:
		new_line(p, p->cont, false);
		break;
	case SEP_LINE:
	case SEP_LINE_NOBLANK:
		new_line(p, indent, sep == SEP_LINE && !p->after_open &&
			 !loc_is_none(at) &&
			 has_blank_line(p->src, p->prev_end, at.start));
		break;
	}
	if (!p->open)
		new_line(p, p->cont, false);
	put(p, s, n);
	p->after_open = false;
	if (!loc_is_none(at))
		p->prev_end = at.end;
}

static void emit_loc(struct printer *p, enum sep sep, size_t indent, struct loc at)
{
	emit_at(p, sep, indent, indent, at, p->src->text + at.start,
		at.end - at.start);
}

static void emit_punct(struct printer *p, enum sep sep, const char *s)
{
	emit_at(p, sep, 0, 0, LOC_NONE, s, strlen(s));
}

static size_t loc_width(const struct printer *p, struct loc l)
{
	return display_width(p->src->text + l.start, l.end - l.start);
}

/* The separator before item i of n of a comma list: a space, or a new line
 * when the item and its comma would pass the width. */
static enum sep list_sep(struct printer *p, size_t i, size_t n, struct loc item)
{
	size_t need = 1 + loc_width(p, item) + (i + 1 < n);

	return i > 0 && column(p) + need > FMT_WIDTH ? SEP_WRAP : SEP_SPACE;
}

static void print_idents(struct printer *p, const struct ident *list)
{
	size_t n = 0, i = 0;

	for (const struct ident *id = list; id; id = id->next)
		n++;
	for (const struct ident *id = list; id; id = id->next, i++) {
		if (i > 0)
			emit_punct(p, SEP_NONE, ",");
		emit_loc(p, list_sep(p, i, n, id->loc), 0, id->loc);
	}
}

static void print_values(struct printer *p, const struct value *list)
{
	size_t n = 0, i = 0;

	for (const struct value *v = list; v; v = v->next)
		n++;
	for (const struct value *v = list; v; v = v->next, i++) {
		if (i > 0)
			emit_punct(p, SEP_NONE, ",");
		emit_loc(p, list_sep(p, i, n, v->loc), 0, v->loc);
	}
}

/* ---------------------------------------------------------------- blocks */

static void put_flat_block(const struct printer *p, const struct attr *a,
			   struct strbuf *out);

static void sb_put_loc(const struct printer *p, struct strbuf *out, struct loc l)
{
	sb_putn(out, p->src->text + l.start, l.end - l.start);
}

/* An attribute on one line: `A.x = v, w`, `flag`, `tags { k = "v" }`. */
static void put_flat_attr(const struct printer *p, const struct attr *a,
			  struct strbuf *out)
{
	if (a->qual) {
		sb_put_loc(p, out, a->qual_loc);
		sb_putc(out, '.');
	}
	sb_put_loc(p, out, a->name_loc);
	if (a->has_block) {
		sb_putc(out, ' ');
		put_flat_block(p, a->block, out);
		return;
	}
	for (const struct value *v = a->values; v; v = v->next) {
		sb_puts(out, v == a->values ? " = " : ", ");
		sb_put_loc(p, out, v->loc);
	}
}

/* `{ a = 1  b = 2 }`: two spaces between attributes, which have no other
 * separator; `{}` when empty. */
static void put_flat_block(const struct printer *p, const struct attr *a,
			   struct strbuf *out)
{
	sb_puts(out, a ? "{ " : "{");
	for (; a; a = a->next) {
		put_flat_attr(p, a, out);
		sb_puts(out, a->next ? "  " : " ");
	}
	sb_putc(out, '}');
}

static bool same_line(const struct source *src, struct loc l)
{
	return !has_newline(src, l.start, l.end);
}

static bool has_comment_in(const struct printer *p, struct loc l)
{
	for (size_t i = p->next; i < p->ncomments; i++) {
		if (p->comments[i].loc.start >= l.end)
			return false;
		if (p->comments[i].loc.start > l.start)
			return true;
	}
	return false;
}

static void print_attrs(struct printer *p, const struct attr *a, size_t indent);

/* A block written on one line stays on one line when it has no comment and
 * fits; any other block has one attribute per line. */
static void print_block(struct printer *p, const struct attr *attrs,
			struct loc block, size_t indent)
{
	struct loc open = { block.start, block.start + 1 };
	struct loc close = { block.end - 1, block.end };
	bool inner_comments = has_comment_in(p, block);

	if (same_line(p->src, block) && !inner_comments) {
		struct strbuf flat;
		sb_init(&flat);
		put_flat_block(p, attrs, &flat);
		bool fits = column(p) + 1 + display_width(flat.buf, flat.len) <= FMT_WIDTH;
		if (fits)
			emit_at(p, SEP_SPACE, indent, indent, block, flat.buf, flat.len);
		sb_free(&flat);
		if (fits)
			return;
	}
	emit_loc(p, SEP_SPACE, indent, open);
	p->after_open = attrs != NULL;
	print_attrs(p, attrs, indent + INDENT);
	emit_at(p, attrs || inner_comments ? SEP_LINE_NOBLANK : SEP_NONE,
		indent, indent + INDENT,
		close, "}", 1);
}

static void print_attr(struct printer *p, const struct attr *a, size_t indent,
		       enum sep sep, unsigned block)
{
	size_t saved_cont = p->cont;

	p->cont = indent + CONT_INDENT;
	if (a->qual) {
		emit_loc(p, sep, indent, a->qual_loc);
		emit_punct(p, SEP_NONE, ".");
		emit_loc(p, SEP_NONE, indent, a->name_loc);
	} else {
		emit_loc(p, sep, indent, a->name_loc);
	}
	size_t line = p->nlines - 1;
	if (a->has_block) {
		print_block(p, a->block, a->block_loc, indent);
	} else if (a->values) {
		struct fline *l = cur(p);
		l->eq = (long)l->len;
		l->keyw = l->width;
		l->block = block;
		emit_punct(p, SEP_SPACE, "=");
		print_values(p, a->values);
		/* only an attribute on one line takes part in the alignment */
		if (p->nlines - 1 != line || !p->open)
			p->lines[line].eq = -1;
	}
	p->cont = saved_cont;
}

static void print_attrs(struct printer *p, const struct attr *a, size_t indent)
{
	unsigned block = ++p->nblocks;

	for (const struct attr *first = a; a; a = a->next)
		print_attr(p, a, indent, a == first ? SEP_LINE_NOBLANK : SEP_LINE,
			   block);
}

/* ------------------------------------------------------------ statements */

static void print_header(struct printer *p, const struct stmt *s)
{
	const struct ident *n = s->names;

	switch (s->kind) {
	case STMT_DEFAULTS:
		break;
	case STMT_VNET:
	case STMT_SITE:
		emit_loc(p, SEP_SPACE, 0, n->loc);
		if (s->prefixes)
			print_values(p, s->prefixes);
		if (s->region) {
			emit_punct(p, SEP_SPACE, "in");
			emit_loc(p, SEP_SPACE, 0, s->region->loc);
		}
		if (s->via) {
			emit_punct(p, SEP_SPACE, "via");
			emit_loc(p, SEP_SPACE, 0, s->via->loc);
		}
		break;
	case STMT_PEER:
	case STMT_REQUIRE:
	case STMT_DENY:
		emit_loc(p, SEP_SPACE, 0, n->loc);
		emit_punct(p, SEP_SPACE, "<->");
		emit_loc(p, SEP_SPACE, 0, n->next->loc);
		break;
	case STMT_HUB:
		emit_loc(p, SEP_SPACE, 0, n->loc);
		emit_punct(p, SEP_SPACE, "->");
		/* spokes that go on to more lines line up under the first */
		p->cont = column(p) + 1;
		print_idents(p, n->next);
		break;
	case STMT_MESH:
		print_idents(p, n);
		break;
	}
}

static void print_stmt(struct printer *p, const struct stmt *s)
{
	p->cont = CONT_INDENT;
	emit_loc(p, SEP_LINE, 0, s->kw_loc);
	print_header(p, s);
	if (s->has_block) {
		p->cont = CONT_INDENT;
		print_block(p, s->attrs, s->block_loc, 0);
	}
}

/* ---------------------------------------------------------------- output */

/* Attributes one after another in one block, each on one line, have their
 * `=` in one column (a blank line, a comment line or any other line ends
 * the run), as terraform fmt does. */
static void align_equals(struct printer *p, size_t *pad)
{
	for (size_t i = 0; i < p->nlines;) {
		size_t j = i + 1, w = p->lines[i].keyw;
		if (p->lines[i].eq < 0) {
			i++;
			continue;
		}
		while (j < p->nlines && p->lines[j].eq >= 0 && !p->lines[j].blank &&
		       p->lines[j].block == p->lines[i].block) {
			if (p->lines[j].keyw > w)
				w = p->lines[j].keyw;
			j++;
		}
		for (; i < j; i++)
			pad[i] = w - p->lines[i].keyw;
	}
}

static bool has_trailing(const struct fline *l, const struct source *src)
{
	return !loc_is_none(l->comment) &&
	       !has_newline(src, l->comment.start, l->comment.end);
}

/* Trailing comments of lines one after another start in one column, two
 * spaces after the longest line's code. */
static void align_comments(struct printer *p, const size_t *pad,
			   size_t *col)
{
	for (size_t i = 0; i < p->nlines;) {
		size_t j = i, w = 0;
		while (j < p->nlines && has_trailing(&p->lines[j], p->src) &&
		       (j == i || !p->lines[j].blank)) {
			const struct fline *l = &p->lines[j];
			size_t lw = l->indent + l->width + pad[j];
			if (lw > w)
				w = lw;
			j++;
		}
		if (j == i) {
			col[i++] = 0;
			continue;
		}
		for (; i < j; i++)
			col[i] = w + 2;
	}
}

static void write_line(const struct printer *p, const struct fline *l,
		       size_t pad, size_t col, struct strbuf *out)
{
	const char *t = p->text.buf + l->off;
	size_t eq = l->eq < 0 ? l->len : (size_t)l->eq;

	if (l->blank)
		sb_putc(out, '\n');
	if (l->len > 0)
		sb_indent(out, l->indent);
	sb_putn(out, t, eq);
	sb_indent(out, pad);
	sb_putn(out, t + eq, l->len - eq);
	if (!loc_is_none(l->comment)) {
		size_t w = l->indent + l->width + pad;
		sb_indent(out, col > w ? col - w : (l->len ? 2 : 0));
		sb_putn(out, p->src->text + l->comment.start,
			l->comment.end - l->comment.start);
	}
	sb_putc(out, '\n');
}

static void write_lines(struct printer *p, struct strbuf *out)
{
	size_t *pad = xcalloc(p->nlines + 1, sizeof(*pad));
	size_t *col = xcalloc(p->nlines + 1, sizeof(*col));

	align_equals(p, pad);
	align_comments(p, pad, col);
	for (size_t i = 0; i < p->nlines; i++)
		write_line(p, &p->lines[i], pad[i], col[i], out);
	free(pad);
	free(col);
}

void fmt_file(const struct ast_file *f, const struct source *src,
	      struct strbuf *out)
{
	struct printer p = {
		.src = src,
		.comments = f->comments,
		.ncomments = f->ncomments,
	};

	sb_init(&p.text);
	for (const struct stmt *s = f->stmts; s; s = s->next)
		print_stmt(&p, s);
	p.cont = 0;
	flush_comments(&p, (uint32_t)src->len, SEP_LINE, 0);
	write_lines(&p, out);
	sb_free(&p.text);
	free(p.lines);
}

struct peerc_result *peerc_format(const char *name, const char *text,
				  size_t len)
{
	/* the diagnostics keep a pointer to the options */
	static const struct peerc_options opts = {
		.target = PEERC_TARGET_NONE, .max_errors = 50,
	};
	struct peerc_result *r = peerc_parse(&opts, name, text, len);

	if (!r->ast || peerc_failed(r))
		return r;
	struct strbuf out;
	sb_init(&out);
	fmt_file(r->ast, &r->source, &out);
	r->outputs = arena_alloc(r->arena, sizeof(*r->outputs));
	r->outputs[0] = (struct peerc_output){
		NULL, arena_strndup(r->arena, out.buf, out.len), out.len,
	};
	r->noutputs = r->outputs_cap = 1;
	sb_free(&out);
	return r;
}
