#include "common.h"

#include <check.h>

#include "diag.h"
#include "parse.h"
#include "parse_ctx.h"
#include "parser.h"
#include "srcpos.h"
#include "util.h"

/* Runs the scanner alone over text: the tokens, their values and locations,
 * and the diagnostics. */
struct tok {
	int kind;
	struct loc loc;
	PEER_YYSTYPE val;
};

struct lexed {
	struct arena *arena;
	struct source src;
	struct diag_list diags;
	struct tok toks[64];
	size_t n;
};

static void lex_n(struct lexed *x, const char *text, size_t len)
{
	x->arena = arena_new();
	ck_assert(source_init(&x->src, x->arena, "t.peer", text, len));
	diag_list_init(&x->diags, x->arena, NULL, 0);
	struct strmap interned;
	struct strbuf decoded;
	strmap_init(&interned, x->arena);
	sb_init(&decoded);
	struct parse_ctx ctx = {
		.src = &x->src, .arena = x->arena, .strings = x->arena,
		.diags = &x->diags, .interned = &interned, .decoded = &decoded,
	};
	char *buf;
	void *sc = scanner_open(&ctx, &buf);
	x->n = 0;
	for (;;) {
		struct tok t;
		t.kind = peer_yylex(&t.val, &t.loc, sc);
		if (t.kind == 0)
			break;
		ck_assert_uint_lt(x->n, ARRAY_SIZE(x->toks));
		x->toks[x->n++] = t;
	}
	scanner_close(sc, buf);
	sb_free(&decoded);
}

static void lex(struct lexed *x, const char *text)
{
	lex_n(x, text, strlen(text));
}

static void done(struct lexed *x)
{
	arena_free(x->arena);
}

/* Token i is `kind` and covers the bytes [start, end). */
#define ck_tok(x, i, k, s, e)                                           \
	do {                                                            \
		ck_assert_uint_gt((x)->n, (i));                         \
		ck_assert_int_eq((x)->toks[i].kind, (k));               \
		ck_assert_uint_eq((x)->toks[i].loc.start, (s));         \
		ck_assert_uint_eq((x)->toks[i].loc.end, (e));           \
	} while (0)

/* Diagnostic i says msg about the bytes [start, end). */
#define ck_diag(x, i, s, e, m)                                          \
	do {                                                            \
		ck_assert_uint_gt((x)->diags.n, (i));                   \
		ck_assert_str_eq((x)->diags.items[i].msg, (m));         \
		ck_assert_uint_eq((x)->diags.items[i].loc.start, (s));  \
		ck_assert_uint_eq((x)->diags.items[i].loc.end, (e));    \
	} while (0)

START_TEST(keywords)
{
	static const struct { const char *text; int kind; } kws[] = {
		{ "defaults", KW_DEFAULTS }, { "vnet", KW_VNET }, { "peer", KW_PEER },
		{ "hub", KW_HUB }, { "mesh", KW_MESH }, { "site", KW_SITE },
		{ "require", KW_REQUIRE }, { "deny", KW_DENY }, { "in", KW_IN },
		{ "via", KW_VIA }, { "true", KW_TRUE }, { "false", KW_FALSE },
	};
	for (size_t i = 0; i < ARRAY_SIZE(kws); i++) {
		struct lexed x;
		char text[32];
		snprintf(text, sizeof(text), " %s ", kws[i].text);
		lex(&x, text);
		ck_assert_uint_eq(x.n, 1);
		ck_tok(&x, 0, kws[i].kind, 1, 1 + strlen(kws[i].text));
		ck_assert_uint_eq(x.diags.n, 0);
		done(&x);
	}
	/* A keyword is a whole word. */
	struct lexed x;
	lex(&x, "vnets hub_1 in-x");
	ck_tok(&x, 0, IDENT, 0, 5);
	ck_tok(&x, 1, IDENT, 6, 11);
	ck_tok(&x, 2, IDENT, 12, 16);
	ck_assert_str_eq(x.toks[2].val.str, "in-x");
	done(&x);
}
END_TEST

START_TEST(identifiers)
{
	struct lexed x;
	lex(&x, "vnet-hub-weu spoke_01 _x A9 hub->spoke a--b");
	ck_assert_uint_eq(x.n, 8);
	ck_tok(&x, 0, IDENT, 0, 12);
	ck_assert_str_eq(x.toks[0].val.str, "vnet-hub-weu");
	ck_tok(&x, 1, IDENT, 13, 21);
	ck_tok(&x, 2, IDENT, 22, 24);
	ck_tok(&x, 3, IDENT, 25, 27);
	/* hub->spoke is hub, ->, spoke: a name does not end in '-' */
	ck_tok(&x, 4, KW_HUB, 28, 31);
	ck_tok(&x, 5, ARROW, 31, 33);
	ck_tok(&x, 6, IDENT, 33, 38);
	ck_tok(&x, 7, IDENT, 39, 43);
	ck_assert_uint_eq(x.diags.n, 0);
	done(&x);

	lex(&x, "spoke- x");
	ck_tok(&x, 0, IDENT, 0, 5);
	ck_tok(&x, 1, IDENT, 7, 8);
	ck_diag(&x, 0, 5, 6, "stray '-' in input");
	done(&x);
}
END_TEST

START_TEST(punctuation)
{
	struct lexed x;
	lex(&x, "{}=,.-><->");
	ck_assert_uint_eq(x.n, 7);
	ck_tok(&x, 0, '{', 0, 1);
	ck_tok(&x, 1, '}', 1, 2);
	ck_tok(&x, 2, '=', 2, 3);
	ck_tok(&x, 3, ',', 3, 4);
	ck_tok(&x, 4, '.', 4, 5);
	ck_tok(&x, 5, ARROW, 5, 7);
	ck_tok(&x, 6, BIARROW, 7, 10);
	ck_assert_uint_eq(x.diags.n, 0);
	done(&x);
}
END_TEST

START_TEST(integers)
{
	struct lexed x;
	lex(&x, "0 42 9223372036854775807 9223372036854775808");
	ck_tok(&x, 0, INT, 0, 1);
	ck_assert_int_eq(x.toks[0].val.num, 0);
	ck_tok(&x, 1, INT, 2, 4);
	ck_assert_int_eq(x.toks[1].val.num, 42);
	ck_tok(&x, 2, INT, 5, 24);
	ck_assert_int_eq(x.toks[2].val.num, INT64_MAX);
	ck_tok(&x, 3, INT, 25, 44);
	ck_assert_uint_eq(x.diags.n, 1);
	ck_diag(&x, 0, 25, 44, "integer '9223372036854775808' is too large");
	done(&x);
}
END_TEST

static void check_addr(const char *text, int kind, const char *canon)
{
	struct lexed x;
	char buf[IP_STRLEN];
	lex(&x, text);
	ck_assert_msg(x.n == 1, "%s: %zu tokens", text, x.n);
	ck_tok(&x, 0, kind, 0, strlen(text));
	ck_assert_msg(x.diags.n == 0, "%s: %s", text, x.diags.n ? x.diags.items[0].msg : "");
	if (kind == ADDR)
		ck_assert_str_eq(ip_addr_str(&x.toks[0].val.addr, buf), canon);
	else
		ck_assert_str_eq(ip_prefix_str(&x.toks[0].val.prefix, buf), canon);
	done(&x);
}

START_TEST(ipv4)
{
	check_addr("10.0.1.4", ADDR, "10.0.1.4");
	check_addr("255.255.255.255", ADDR, "255.255.255.255");
	check_addr("10.0.0.0/16", PREFIX, "10.0.0.0/16");
	check_addr("10.0.0.1/16", PREFIX, "10.0.0.1/16"); /* host bits: a check's business */
	check_addr("0.0.0.0/0", PREFIX, "0.0.0.0/0");

	struct lexed x;
	lex(&x, "10.0.1.256 10.0.0 1.2.3.4.5 10.0.0.0/ 10.0.0.0/99999");
	ck_assert_uint_eq(x.n, 5);
	ck_tok(&x, 0, ADDR, 0, 10);
	ck_tok(&x, 1, ADDR, 11, 17);
	ck_tok(&x, 2, ADDR, 18, 27);
	ck_tok(&x, 3, PREFIX, 28, 37);
	ck_tok(&x, 4, PREFIX, 38, 52);
	ck_assert_uint_eq(x.diags.n, 5);
	ck_diag(&x, 0, 0, 10, "invalid IPv4 address '10.0.1.256'");
	ck_diag(&x, 1, 11, 17, "invalid IPv4 address '10.0.0'");
	ck_diag(&x, 2, 18, 27, "invalid IPv4 address '1.2.3.4.5'");
	ck_diag(&x, 3, 36, 37, "invalid prefix length '/'");
	ck_diag(&x, 4, 46, 52, "invalid prefix length '/99999'");
	done(&x);
}
END_TEST

/* RFC 4291 section 2.2 (text forms) and 2.3 (prefixes), and the language's. */
START_TEST(ipv6_rfc4291_forms)
{
	check_addr("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", ADDR,
		   "abcd:ef01:2345:6789:abcd:ef01:2345:6789");
	check_addr("2001:DB8:0:0:8:800:200C:417A", ADDR, "2001:db8::8:800:200c:417a");
	check_addr("2001:DB8::8:800:200C:417A", ADDR, "2001:db8::8:800:200c:417a");
	check_addr("FF01:0:0:0:0:0:0:101", ADDR, "ff01::101");
	check_addr("FF01::101", ADDR, "ff01::101");
	check_addr("0:0:0:0:0:0:0:1", ADDR, "::1");
	check_addr("::1", ADDR, "::1");
	check_addr("0:0:0:0:0:0:0:0", ADDR, "::");
	check_addr("::", ADDR, "::");
	check_addr("0:0:0:0:0:0:13.1.68.3", ADDR, "::13.1.68.3");
	check_addr("::13.1.68.3", ADDR, "::13.1.68.3");
	check_addr("0:0:0:0:0:FFFF:129.144.52.38", ADDR, "::ffff:129.144.52.38");
	check_addr("::FFFF:129.144.52.38", ADDR, "::ffff:129.144.52.38");
	check_addr("::ffff:1.2.3.4", ADDR, "::ffff:1.2.3.4");
	check_addr("2001:db8::1", ADDR, "2001:db8::1");
	check_addr("fd00:3::", ADDR, "fd00:3::");
	check_addr("1::", ADDR, "1::");
	check_addr("2001:0DB8:0000:CD30:0000:0000:0000:0000/60", PREFIX, "2001:db8:0:cd30::/60");
	check_addr("2001:0DB8::CD30:0:0:0:0/60", PREFIX, "2001:db8:0:cd30::/60");
	check_addr("2001:0DB8:0:CD30::/60", PREFIX, "2001:db8:0:cd30::/60");
	check_addr("fd00:3::/48", PREFIX, "fd00:3::/48");
	check_addr("::/0", PREFIX, "::/0");
	check_addr("::ffff:10.0.0.0/104", PREFIX, "::ffff:10.0.0.0/104");
}
END_TEST

START_TEST(ipv6_in_context)
{
	struct lexed x;
	/* fd00 alone is a name; fd00:3:: is an address, the longer match */
	lex(&x, "fd00 fd00:3::/48,2001:db8::1}");
	ck_assert_uint_eq(x.n, 5);
	ck_tok(&x, 0, IDENT, 0, 4);
	ck_tok(&x, 1, PREFIX, 5, 16);
	ck_tok(&x, 2, ',', 16, 17);
	ck_tok(&x, 3, ADDR, 17, 28);
	ck_tok(&x, 4, '}', 28, 29);
	done(&x);

	lex(&x, "1::2::3 12345:: face:");
	ck_tok(&x, 0, ADDR, 0, 7);
	ck_tok(&x, 1, ADDR, 8, 15);
	ck_tok(&x, 2, IDENT, 16, 20);
	ck_assert_uint_eq(x.diags.n, 3);
	ck_diag(&x, 0, 0, 7, "invalid IPv6 address '1::2::3'");
	ck_diag(&x, 1, 8, 15, "invalid IPv6 address '12345::'");
	ck_diag(&x, 2, 20, 21, "stray ':' in input");
	done(&x);
}
END_TEST

START_TEST(strings)
{
	struct lexed x;
	lex(&x, "\"\" \"rg-app3\" \"a\\\"b\\\\c\\nd\\te\" \"\\u00e9\\u20AC\\uFFFF\" \"caf\xc3\xa9\"");
	ck_assert_uint_eq(x.n, 5);
	ck_assert_uint_eq(x.diags.n, 0);
	ck_tok(&x, 0, STRING, 0, 2);
	ck_assert_str_eq(x.toks[0].val.str, "");
	ck_tok(&x, 1, STRING, 3, 12);
	ck_assert_str_eq(x.toks[1].val.str, "rg-app3");
	ck_tok(&x, 2, STRING, 13, 28);
	ck_assert_str_eq(x.toks[2].val.str, "a\"b\\c\nd\te");
	ck_tok(&x, 3, STRING, 29, 49);
	ck_assert_str_eq(x.toks[3].val.str, "\xc3\xa9\xe2\x82\xac\xef\xbf\xbf");
	ck_tok(&x, 4, STRING, 50, 57);
	ck_assert_str_eq(x.toks[4].val.str, "caf\xc3\xa9");
	done(&x);
}
END_TEST

START_TEST(string_bad_escapes)
{
	struct lexed x;
	/*           0123456789012345678901234567890123456 */
	lex(&x, "\"a\\qb\" \"\\uD800\" \"\\u0000\" \"\\u12\" \"\\uDFFFx\"");
	ck_assert_uint_eq(x.n, 5);
	ck_tok(&x, 0, STRING, 0, 6);
	ck_assert_str_eq(x.toks[0].val.str, "ab");
	ck_assert_uint_eq(x.diags.n, 5);
	ck_diag(&x, 0, 2, 4, "unknown escape sequence '\\q'");
	ck_diag(&x, 1, 8, 14, "'\\uD800' is not allowed in a string (a surrogate code point)");
	ck_diag(&x, 2, 17, 23, "'\\u0000' is not allowed in a string (NUL)");
	ck_diag(&x, 3, 26, 30, "'\\u' needs four hex digits");
	ck_diag(&x, 4, 33, 39, "'\\uDFFF' is not allowed in a string (a surrogate code point)");
	done(&x);
}
END_TEST

START_TEST(string_unterminated)
{
	struct lexed x;
	lex(&x, "name = \"abc\nvnet \"x\\");
	ck_assert_uint_eq(x.n, 5);
	ck_tok(&x, 2, STRING, 7, 11);
	ck_tok(&x, 3, KW_VNET, 12, 16);
	ck_tok(&x, 4, STRING, 17, 20);
	ck_assert_uint_eq(x.diags.n, 2);
	ck_diag(&x, 0, 7, 8, "unterminated string");
	ck_diag(&x, 1, 17, 18, "unterminated string");
	done(&x);
}
END_TEST

START_TEST(comments)
{
	struct lexed x;
	lex(&x, "a # one\nb // two\nc /* three\n * ** /\n */ d /**/ e /***/ f");
	ck_assert_uint_eq(x.n, 6);
	ck_tok(&x, 0, IDENT, 0, 1);
	ck_tok(&x, 1, IDENT, 8, 9);
	ck_tok(&x, 2, IDENT, 17, 18);
	ck_tok(&x, 3, IDENT, 40, 41);
	ck_tok(&x, 4, IDENT, 47, 48);
	ck_tok(&x, 5, IDENT, 55, 56);
	ck_assert_uint_eq(x.diags.n, 0);
	done(&x);

	lex(&x, "a /* never closed *\n b");
	ck_assert_uint_eq(x.n, 1);
	ck_assert_uint_eq(x.diags.n, 1);
	ck_diag(&x, 0, 2, 4, "unterminated comment");
	done(&x);
}
END_TEST

/* A lone CR (classic Mac OS) ends a line as LF and CRLF do: a comment or a
 * string ends there, so the next line is read. */
START_TEST(lone_cr_ends_a_line)
{
	struct lexed x;
	lex(&x, "a # one\rb // two\r\nc\r\"open\rd \"x\\\re");
	ck_assert_uint_eq(x.n, 7);
	ck_tok(&x, 0, IDENT, 0, 1);
	ck_tok(&x, 1, IDENT, 8, 9);
	ck_tok(&x, 2, IDENT, 18, 19);
	ck_tok(&x, 3, STRING, 20, 25);
	ck_tok(&x, 4, IDENT, 26, 27);
	ck_tok(&x, 5, STRING, 28, 31);
	ck_tok(&x, 6, IDENT, 32, 33);
	ck_assert_uint_eq(x.diags.n, 2);
	ck_diag(&x, 0, 20, 21, "unterminated string");
	ck_diag(&x, 1, 28, 29, "unterminated string");
	done(&x);
}
END_TEST

START_TEST(stray_characters)
{
	struct lexed x;
	lex(&x, "a @ b\x01 \xc3\xa9 ;");
	ck_assert_uint_eq(x.n, 2);
	ck_assert_uint_eq(x.diags.n, 4);
	ck_diag(&x, 0, 2, 3, "stray '@' in input");
	ck_diag(&x, 1, 5, 6, "stray byte 0x01 in input");
	ck_diag(&x, 2, 7, 9, "stray '\xc3\xa9' in input");
	ck_diag(&x, 3, 10, 11, "stray ';' in input");
	done(&x);
}
END_TEST

START_TEST(byte_order_mark)
{
	struct lexed x;
	lex(&x, "\xef\xbb\xbfvnet a \xef\xbb\xbf");
	ck_assert_uint_eq(x.n, 2);
	ck_tok(&x, 0, KW_VNET, 3, 7);
	ck_tok(&x, 1, IDENT, 8, 9);
	/* only the first bytes of the file may be one */
	ck_assert_uint_eq(x.diags.n, 1);
	ck_diag(&x, 0, 10, 13, "stray '\xef\xbb\xbf' in input");
	done(&x);
}
END_TEST

/* ------------------------------------- the encoding, through parse_source */

struct parsed {
	struct arena *arena;
	struct source src;
	struct diag_list diags;
};

static void parse_bytes(struct parsed *p, const char *text, size_t len)
{
	p->arena = arena_new();
	ck_assert(source_init(&p->src, p->arena, "t.peer", text, len));
	diag_list_init(&p->diags, p->arena, NULL, 0);
	parse_source(&p->src, p->arena, p->arena, &p->diags);
}

#define ck_pdiag(p, i, s, e, m)                                         \
	do {                                                            \
		ck_assert_uint_gt((p)->diags.n, (i));                   \
		ck_assert_str_eq((p)->diags.items[i].msg, (m));         \
		ck_assert_str_eq((p)->diags.items[i].name, "lexical");  \
		ck_assert_uint_eq((p)->diags.items[i].loc.start, (s));  \
		ck_assert_uint_eq((p)->diags.items[i].loc.end, (e));    \
	} while (0)

START_TEST(invalid_utf8)
{
	struct parsed p;
	/* A lone continuation byte, a truncated sequence (one report for its
	 * two bytes), an overlong '/', a surrogate and 0xff; in a comment, in a
	 * string and between tokens alike. Bad sequences are Unicode's maximal
	 * subparts: the surrogate's three bytes are three of them. */
	static const char text[] =
		"# \x80\n"                 /* 2 */
		"vnet a { name = \"\xe2\x82\" }\n" /* 21-22 */
		"\xc0\xaf \xed\xa0\x80 \xff\n"; /* 27, 28, 30, 31, 32, 34 */
	parse_bytes(&p, text, sizeof(text) - 1);
	ck_assert_uint_eq(p.diags.n, 8);
	ck_pdiag(&p, 0, 2, 3, "invalid UTF-8 byte 0x80");
	ck_pdiag(&p, 1, 21, 23, "invalid UTF-8 sequence 0xe2 0x82");
	ck_pdiag(&p, 2, 27, 28, "invalid UTF-8 byte 0xc0");
	ck_pdiag(&p, 3, 28, 29, "invalid UTF-8 byte 0xaf");
	ck_pdiag(&p, 4, 30, 31, "invalid UTF-8 byte 0xed");
	ck_pdiag(&p, 5, 31, 32, "invalid UTF-8 byte 0xa0");
	ck_pdiag(&p, 6, 32, 33, "invalid UTF-8 byte 0x80");
	ck_pdiag(&p, 7, 34, 35, "invalid UTF-8 byte 0xff");
	arena_free(p.arena);
}
END_TEST

START_TEST(nul_byte)
{
	struct parsed p;
	static const char text[] = "vnet a\0 10.0.0.0/16\n# \0\n";
	parse_bytes(&p, text, sizeof(text) - 1);
	ck_assert_uint_eq(p.diags.n, 2);
	ck_pdiag(&p, 0, 6, 7, "NUL byte in input");
	ck_pdiag(&p, 1, 22, 23, "NUL byte in input");
	arena_free(p.arena);
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, keywords);
	tcase_add_test(tc, identifiers);
	tcase_add_test(tc, punctuation);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, ipv4);
	tcase_add_test(tc, ipv6_rfc4291_forms);
	tcase_add_test(tc, ipv6_in_context);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, string_bad_escapes);
	tcase_add_test(tc, string_unterminated);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, lone_cr_ends_a_line);
	tcase_add_test(tc, stray_characters);
	tcase_add_test(tc, byte_order_mark);
	suite_add_tcase(s, tc);
	tc = tcase_create("encoding");
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, nul_byte);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lexer_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
