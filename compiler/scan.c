/* The values of tokens, for the scanner's actions (grammar/lexer.l): string
 * escapes, integers, addresses, and what is reported about them. Kept out
 * of the generated scanner so it builds with every warning. */
#include "common.h"

#include "addr.h"
#include "parse_ctx.h"
#include "utf8.h"
#include "util.h"

bool scan_open_brace(struct parse_ctx *ctx, struct loc loc)
{
	if (ctx->depth == PARSE_MAX_DEPTH) {
		parse_lex_error(ctx, loc,
				"blocks nested too deeply (the limit is %d levels)",
				PARSE_MAX_DEPTH);
		ctx->stop = true;
		return false;
	}
	ctx->open_brace[ctx->depth++] = loc;
	return true;
}

void scan_comment(struct parse_ctx *ctx, struct loc loc)
{
	struct ast_file *f = ctx->file;

	if (!f)
		return; /* the scanner on its own (check_lexer) builds no file */
	ARENA_PUSH(ctx->arena, f->comments, f->ncomments, f->comments_cap);
	f->comments[f->ncomments - 1].loc = loc;
}

/* Bad bytes were reported once, before scanning (parse.c); a valid but
 * misplaced character is reported here. */
void scan_stray(struct parse_ctx *ctx, const char *text, size_t len,
		struct loc loc)
{
	unsigned char c = (unsigned char)text[0];
	size_t bad;

	if (c == 0 || (c >= 0x80 && utf8_valid((const unsigned char *)text, len, &bad) != len))
		return;
	if (c >= 0x80 || (c > 0x20 && c < 0x7f))
		parse_lex_error(ctx, loc, "stray '%.*s' in input", (int)len, text);
	else
		parse_lex_error(ctx, loc, "stray byte 0x%02x in input", c);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX at s (n bytes left before the closing quote): the code point, or
 * -1 after an error. */
static long scan_u_escape(struct parse_ctx *ctx, const char *s, size_t n,
			  uint32_t at)
{
	long cp = 0;

	for (size_t i = 2; i < 6; i++) {
		int d = i < n ? hex_digit(s[i]) : -1;
		if (d < 0) {
			parse_lex_error(ctx, (struct loc){ at, at + (uint32_t)i },
					"'\\u' needs four hex digits");
			return -1;
		}
		cp = cp * 16 + d;
	}
	if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
		parse_lex_error(ctx, (struct loc){ at, at + 6 },
				"'\\u%04lX' is not allowed in a string (%s)", cp,
				cp ? "a surrogate code point" : "NUL");
		return -1;
	}
	return cp;
}

/* One escape at text[i] == '\\'; appends its bytes to out. Returns how many
 * bytes of text it used. A bad escape is reported at its own bytes and
 * skipped. */
static size_t scan_escape(struct parse_ctx *ctx, const char *text, size_t i,
			  size_t len, struct loc loc, char *out, size_t *o)
{
	uint32_t at = loc.start + (uint32_t)i;
	long cp;

	switch (text[i + 1]) {
	case '"': out[(*o)++] = '"'; return 2;
	case '\\': out[(*o)++] = '\\'; return 2;
	case 'n': out[(*o)++] = '\n'; return 2;
	case 't': out[(*o)++] = '\t'; return 2;
	case 'u':
		cp = scan_u_escape(ctx, text + i, len - 1 - i, at);
		if (cp < 0)
			return 2;
		*o += utf8_encode((uint32_t)cp, out + *o);
		return 6;
	default:
		parse_lex_error(ctx, (struct loc){ at, at + 2 },
				"unknown escape sequence '\\%c'", text[i + 1]);
		return 2;
	}
}

static const char *intern(struct parse_ctx *ctx, const char *text, size_t len)
{
	const char *s = strmap_get(ctx->interned, text);

	if (s)
		return s;
	s = arena_strndup(ctx->strings, text, len);
	strmap_put(ctx->interned, s, (void *)(uintptr_t)s);
	return s;
}

const char *scan_name(struct parse_ctx *ctx, const char *text)
{
	return intern(ctx, text, strlen(text));
}

const char *scan_string(struct parse_ctx *ctx, const char *text, size_t len,
			struct loc loc)
{
	struct strbuf *sb = ctx->decoded;
	size_t o = 0;

	/* decoding never grows the text: the quotes leave room for the NUL */
	sb_reset(sb);
	sb_reserve(sb, len);
	char *out = sb->buf;
	for (size_t i = 1; i + 1 < len;) {
		if (text[i] == '\\')
			i += scan_escape(ctx, text, i, len, loc, out, &o);
		else
			out[o++] = text[i++];
	}
	out[o] = '\0';
	return intern(ctx, out, o);
}

int64_t scan_int(struct parse_ctx *ctx, const char *text, size_t len,
		 struct loc loc)
{
	int64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		int d = text[i] - '0';
		if (v > (INT64_MAX - d) / 10) {
			parse_lex_error(ctx, loc, "integer '%.*s' is too large",
					len > 40 ? 40 : (int)len, text);
			return 0;
		}
		v = v * 10 + d;
	}
	return v;
}

static void bad_address(struct parse_ctx *ctx, const char *text, size_t len,
			struct loc loc)
{
	parse_lex_error(ctx, loc, "invalid %s address '%.*s'",
			memchr(text, ':', len) ? "IPv6" : "IPv4",
			len > 64 ? 64 : (int)len, text);
}

void scan_addr(struct parse_ctx *ctx, const char *text, size_t len,
	       struct loc loc, struct ip_addr *out)
{
	if (!ip_parse_addr(text, len, out))
		bad_address(ctx, text, len, loc);
}

void scan_prefix(struct parse_ctx *ctx, const char *text, size_t len,
		 struct loc loc, struct ip_prefix *out)
{
	const char *slash = memchr(text, '/', len);
	size_t alen = (size_t)(slash - text);
	uint32_t at = loc.start + (uint32_t)alen;

	memset(out, 0, sizeof(*out));
	if (!ip_parse_addr(text, alen, &out->addr))
		bad_address(ctx, text, alen, (struct loc){ loc.start, at });
	else if (!ip_parse_prefix(text, len, out))
		parse_lex_error(ctx, (struct loc){ at, loc.end },
				"invalid prefix length '%.*s'",
				len - alen > 20 ? 20 : (int)(len - alen), slash);
}
