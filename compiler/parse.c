/* The front end's driver and its messages: checks the encoding, runs the
 * generated scanner and parser (grammar/), and turns what the grammar sees
 * into diagnostics with hints for the common slips. */
#include "common.h"

#include <limits.h>

#include "diag.h"
#include "parse.h"
#include "parse_ctx.h"
#include "resolve.h"
#include "utf8.h"
#include "util.h"

static bool check_cap(struct parse_ctx *ctx)
{
	if (ctx->diags->capped)
		ctx->stop = true;
	return ctx->stop;
}

void parse_lex_error(struct parse_ctx *ctx, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(ctx->diags, DIAG_ERROR, "lexical", loc, fmt, ap);
	va_end(ap);
	check_cap(ctx);
}

/* Source is UTF-8 without NUL bytes. Checked once, before scanning, so each
 * bad sequence is reported once wherever it is (a string, a comment, between
 * tokens), and the scanner can skip such bytes silently. */
/* Whether the 8 bytes at s are ASCII without NUL: most of a file is
 * passed over a word at a time. */
static bool plain_word(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t w;

	memcpy(&w, s, sizeof(w));
	return ((w | ((w - ones) & ~w)) & highs) == 0;
}

static void check_encoding(struct parse_ctx *ctx)
{
	const unsigned char *s = (const unsigned char *)ctx->src->text;
	size_t n = ctx->src->len;

	for (size_t i = 0; i < n;) {
		if (n - i >= 8 && plain_word(s + i)) {
			i += 8;
			continue;
		}
		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		struct loc at = { (uint32_t)i, (uint32_t)i + 1 };
		size_t bad, len = s[i] ? utf8_valid(s + i, n - i, &bad) : 0;
		if (len) {
			i += len;
			continue;
		}
		if (s[i] == 0) {
			parse_lex_error(ctx, at, "NUL byte in input");
			bad = 1;
		} else {
			char hex[24] = "";
			for (size_t k = 0; k < bad; k++)
				snprintf(hex + 5 * k, sizeof(hex) - 5 * k, " 0x%02x", s[i + k]);
			at.end = (uint32_t)(i + bad);
			parse_lex_error(ctx, at, "invalid UTF-8 %s%s",
					bad > 1 ? "sequence" : "byte", hex);
		}
		if (ctx->stop)
			return;
		i += bad;
	}
}

void parse_append_stmt(struct parse_ctx *ctx, struct stmt *s)
{
	*ctx->tail = s;
	ctx->tail = &s->next;
}

bool parse_at_line_start(const struct parse_ctx *ctx, struct loc loc)
{
	const char *t = ctx->src->text;
	uint32_t i = loc.start;

	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	return i == 0 || t[i - 1] == '\n' || t[i - 1] == '\r';
}

/* The token at loc as the user wrote it, quoted and cut to a short length
 * on a character boundary. */
static const char *token_text(const struct parse_ctx *ctx, struct loc loc)
{
	const char *t = ctx->src->text + loc.start;
	size_t n = loc.end - loc.start, cut = n;

	if (n == 0)
		return "end of file";
	if (cut > 32) {
		cut = 32;
		while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
			cut--;
	}
	return arena_printf(ctx->arena, "'%.*s%s'", (int)cut, t,
			    cut < n ? "..." : "");
}

void parse_wrong_arrow(struct parse_ctx *ctx, struct loc arrow,
		       const char *want, const char *where)
{
	struct diag *d = diag_add(ctx->diags, DIAG_ERROR, "syntax", arrow,
				  "expected '%s' %s, found %s", want, where,
				  token_text(ctx, arrow));
	diag_fixit(ctx->diags, d, arrow, want);
	check_cap(ctx);
}

/* An attribute that always takes a value, written bare and followed by a
 * name on the same line (`location westeurope`): the '=' was forgotten. */
void parse_check_adjacent(struct parse_ctx *ctx, const struct attr *prev,
			  const struct attr *cur)
{
	if (!prev || !prev->is_flag || !cur->is_flag)
		return;
	/* a string is always a value; a name is one after a name that needs one */
	if (!cur->name_is_string &&
	    (cur->qual || prev->name_is_string ||
	     !resolve_attr_takes_value(prev->name)))
		return;
	const char *gap = ctx->src->text + prev->loc.end;
	if (memchr(gap, '\n', cur->loc.start - prev->loc.end) ||
	    memchr(gap, '\r', cur->loc.start - prev->loc.end))
		return;
	struct diag *d = diag_add(ctx->diags, DIAG_ERROR, "syntax", cur->loc,
				  "expected '=' between %s and %s",
				  token_text(ctx, prev->name_loc),
				  token_text(ctx, cur->loc));
	diag_fixit(ctx->diags, d, (struct loc){ prev->loc.end, prev->loc.end }, " =");
	check_cap(ctx);
}

/* ---------------------------------------------------- syntax errors */

#define TC_VALUE (TC_BIT(TC_STRING) | TC_BIT(TC_INT) | TC_BIT(TC_ADDR) | \
		  TC_BIT(TC_PREFIX) | TC_BIT(TC_BOOL))

/* Appends one alternative to an "A, B or C" list being built. */
static void add_alt(const char **alts, size_t *n, const char *alt)
{
	alts[(*n)++] = alt;
}

/* What would have been accepted, in words; keywords fold into "a name"
 * where names are expected, and into "a statement" where they begin one. */
static char *expected_words(struct parse_ctx *ctx, unsigned x)
{
	static const struct { enum tok_class tc; const char *word; } punct[] = {
		{ TC_COMMA, "','" }, { TC_DOT, "'.'" }, { TC_EQ, "'='" },
		{ TC_ARROW, "'->'" }, { TC_BIARROW, "'<->'" }, { TC_IN, "'in'" },
		{ TC_VIA, "'via'" }, { TC_LBRACE, "'{'" }, { TC_RBRACE, "'}'" },
	};
	const char *alts[16];
	size_t n = 0;
	bool names = x & TC_BIT(TC_IDENT);

	if (names && (x & TC_BIT(TC_INT)))
		add_alt(alts, &n, "a value");
	else if (names && (x & TC_BIT(TC_STRING)))
		add_alt(alts, &n, "an attribute");
	else if (names)
		add_alt(alts, &n, "a name");
	else if (x & TC_BIT(TC_PREFIX))
		add_alt(alts, &n, "a prefix");
	for (size_t i = 0; i < ARRAY_SIZE(punct); i++)
		if ((x & TC_BIT(punct[i].tc)) &&
		    !(names && (punct[i].tc == TC_IN || punct[i].tc == TC_VIA)))
			add_alt(alts, &n, punct[i].word);
	if (!names && (x & TC_BIT(TC_STMT_KW)))
		add_alt(alts, &n, "a statement");
	if (x & TC_BIT(TC_EOF))
		add_alt(alts, &n, "end of file");

	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_puts(&sb, i + 1 == n ? " or " : ", ");
		sb_puts(&sb, alts[i]);
	}
	char *s = arena_strdup(ctx->arena, sb.buf);
	sb_free(&sb);
	return s;
}

/* Whether the text after loc continues like an attribute (`= `, `{`, `.`):
 * then a name where '{' was expected starts a block whose '{' is missing. */
static bool attribute_follows(const struct parse_ctx *ctx, struct loc loc)
{
	const char *t = ctx->src->text;
	size_t i = loc.end;

	while (i < ctx->src->len && strchr(" \t\r\n", t[i]))
		i++;
	return i < ctx->src->len && strchr("={.", t[i]);
}

/* The statement keyword closest to a mistyped one (`vnt`), or NULL. */
static const char *close_keyword(const struct parse_ctx *ctx, struct loc loc)
{
	static const char *const kws[] = {
		"defaults", "vnet", "peer", "hub", "mesh", "site", "require", "deny",
	};
	size_t n = loc.end - loc.start;
	char word[16];

	if (n >= sizeof(word))
		return NULL;
	memcpy(word, ctx->src->text + loc.start, n);
	word[n] = '\0';
	return closest_match(word, kws, ARRAY_SIZE(kws));
}

static struct diag *syntax_hint(struct parse_ctx *ctx, const struct syntax_error *e,
				const char *found)
{
	struct diag_list *l = ctx->diags;
	unsigned x = e->expected;
	struct diag *d;

	if ((TC_BIT(e->found) & TC_VALUE) && (x & TC_BIT(TC_EQ))) {
		d = diag_add(l, DIAG_ERROR, "syntax", e->loc,
			     "expected '=' before %s", found);
		diag_fixit(l, d, (struct loc){ e->loc.start, e->loc.start }, "= ");
		return d;
	}
	if (e->found == TC_ADDR && (x & TC_BIT(TC_PREFIX)))
		return diag_add(l, DIAG_ERROR, "syntax", e->loc,
				"expected a prefix, found the address %s (a prefix needs a /length)",
				found);
	if (e->found == TC_BOOL && (x & TC_BIT(TC_IDENT)))
		return diag_add(l, DIAG_ERROR, "syntax", e->loc,
				"expected a name, found the keyword %s", found);
	if (e->found == TC_IDENT && (x & TC_BIT(TC_LBRACE)) &&
	    attribute_follows(ctx, e->loc))
		return diag_add(l, DIAG_ERROR, "syntax", e->loc,
				"expected '{' before %s", found);
	const char *kw;
	if (e->found == TC_IDENT && (x & TC_BIT(TC_STMT_KW)) && !(x & TC_BIT(TC_IDENT)) &&
	    (kw = close_keyword(ctx, e->loc)) != NULL) {
		d = diag_add(l, DIAG_ERROR, "syntax", e->loc,
			     "unknown statement %s; did you mean '%s'?", found, kw);
		diag_fixit(l, d, e->loc, kw);
		return d;
	}
	if (e->found == TC_EOF && (x & TC_BIT(TC_RBRACE)) && ctx->depth > 0) {
		d = diag_add(l, DIAG_ERROR, "syntax", e->loc,
			     "expected '}', found end of file");
		diag_note(l, d, ctx->open_brace[ctx->depth - 1],
			  "to match this '{'");
		return d;
	}
	return NULL;
}

/* End of file is shown just after the last thing written, not on the empty
 * line after it. */
static struct loc eof_loc(const struct parse_ctx *ctx)
{
	uint32_t i = (uint32_t)ctx->src->len;

	while (i > 0 && strchr(" \t\r\n", ctx->src->text[i - 1]))
		i--;
	return (struct loc){ i, i };
}

void parse_syntax_error(struct parse_ctx *ctx, const struct syntax_error *in)
{
	if (ctx->stop)
		return;
	struct syntax_error err = *in, *e = &err;
	if (e->found == TC_EOF)
		e->loc = eof_loc(ctx);
	const char *found = token_text(ctx, e->loc);
	if (!syntax_hint(ctx, e, found) && !ctx->diags->capped) {
		if (e->expected)
			diag_add(ctx->diags, DIAG_ERROR, "syntax", e->loc,
				 "expected %s, found %s",
				 expected_words(ctx, e->expected), found);
		else
			diag_add(ctx->diags, DIAG_ERROR, "syntax", e->loc,
				 "unexpected %s", found);
	}
	check_cap(ctx);
}

struct ast_file *parse_source(const struct source *src, struct arena *a,
			      struct arena *strings, struct diag_list *diags)
{
	struct parse_ctx ctx = {
		.src = src,
		.arena = a,
		.strings = strings,
		.diags = diags,
		.file = arena_alloc(a, sizeof(struct ast_file)),
	};
	ctx.tail = &ctx.file->stmts;

	/* flex counts a token's length in an int. */
	if (src->len > INT_MAX) {
		diag_add(diags, DIAG_ERROR, "input", LOC_NONE,
			 "input too large to parse (2 GiB or more)");
		return ctx.file;
	}
	check_encoding(&ctx);
	if (ctx.stop)
		return ctx.file;
	struct strmap interned;
	struct strbuf decoded;
	strmap_init(&interned, arena_new());
	arena_set_phase(interned.arena, arena_phase(a));
	sb_init(&decoded);
	ctx.interned = &interned;
	ctx.decoded = &decoded;
	char *buf;
	void *scanner = scanner_open(&ctx, &buf);
	peer_yyparse(scanner);
	scanner_close(scanner, buf);
	sb_free(&decoded);
	arena_free(interned.arena);
	return ctx.file;
}
