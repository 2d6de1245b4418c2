#include "common.h"

#include <check.h>
#include <dirent.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "srcpos.h"
#include "util.h"

/* One parse: everything it made lives in the arena. */
struct run {
	struct arena *arena;
	struct source src;
	struct diag_list diags;
	struct ast_file *ast;
};

static void parse_n(struct run *r, const char *text, size_t len, size_t max_errors)
{
	r->arena = arena_new();
	ck_assert(source_init(&r->src, r->arena, "t.peer", text, len));
	diag_list_init(&r->diags, r->arena, NULL, max_errors);
	r->ast = parse_source(&r->src, r->arena, &r->diags);
	ck_assert_ptr_nonnull(r->ast);
}

static void parse(struct run *r, const char *text)
{
	parse_n(r, text, strlen(text), 0);
}

static void done(struct run *r)
{
	arena_free(r->arena);
}

/* The diagnostics as the command line prints them. */
static char *render(struct run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diag_print_all(f, &r->src, &r->diags, false);
	fclose(f);
	return buf;
}

static void assert_clean(struct run *r)
{
	char *out = render(r);
	ck_assert_msg(r->diags.n == 0, "unexpected diagnostics:\n%s", out);
	free(out);
}

static void assert_diags(struct run *r, const char *expected)
{
	char *out = render(r);
	ck_assert_str_eq(out, expected);
	free(out);
}

/* The byte range of the first occurrence of needle. */
static struct loc at(struct run *r, const char *needle)
{
	const char *p = strstr(r->src.text, needle);
	ck_assert_msg(p != NULL, "'%s' not in the source", needle);
	uint32_t start = (uint32_t)(p - r->src.text);
	return (struct loc){ start, start + (uint32_t)strlen(needle) };
}

#define ck_assert_loc(r, l, needle)                                     \
	do {                                                            \
		struct loc want_ = at((r), (needle));                   \
		ck_assert_uint_eq((l).start, want_.start);              \
		ck_assert_uint_eq((l).end, want_.end);                  \
	} while (0)

/* ------------------------------------------------------- statements */

START_TEST(empty_file)
{
	struct run r;
	parse(&r, "");
	assert_clean(&r);
	ck_assert_ptr_null(r.ast->stmts);
	done(&r);
	parse(&r, "  # only a comment\n/* and another */\n");
	assert_clean(&r);
	ck_assert_ptr_null(r.ast->stmts);
	done(&r);
}
END_TEST

START_TEST(vnet_full)
{
	struct run r;
	parse(&r, "vnet spoke3 10.3.0.0/16, fd00:3::/48 in westeurope { resource_group = \"rg-app3\" }\n");
	assert_clean(&r);
	struct stmt *s = r.ast->stmts;
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(s->next);
	ck_assert_int_eq(s->kind, STMT_VNET);
	ck_assert_loc(&r, s->kw_loc, "vnet");
	ck_assert_loc(&r, s->loc, "vnet spoke3 10.3.0.0/16, fd00:3::/48 in westeurope { resource_group = \"rg-app3\" }");
	ck_assert_str_eq(s->names->name, "spoke3");
	ck_assert_loc(&r, s->names->loc, "spoke3");
	ck_assert_ptr_null(s->names->next);
	struct value *p = s->prefixes;
	ck_assert_int_eq(p->kind, VAL_PREFIX);
	ck_assert_loc(&r, p->loc, "10.3.0.0/16");
	ck_assert_int_eq(p->u.prefix.addr.family, IP_V4);
	ck_assert_uint_eq(p->u.prefix.len, 16);
	p = p->next;
	ck_assert_loc(&r, p->loc, "fd00:3::/48");
	ck_assert_int_eq(p->u.prefix.addr.family, IP_V6);
	ck_assert_uint_eq(p->u.prefix.len, 48);
	ck_assert_ptr_null(p->next);
	ck_assert_str_eq(s->region->name, "westeurope");
	ck_assert_loc(&r, s->region->loc, "westeurope");
	ck_assert(s->has_block);
	struct attr *a = s->attrs;
	ck_assert_str_eq(a->name, "resource_group");
	ck_assert_loc(&r, a->name_loc, "resource_group");
	ck_assert_loc(&r, a->loc, "resource_group = \"rg-app3\"");
	ck_assert_int_eq(a->values->kind, VAL_STRING);
	ck_assert_str_eq(a->values->u.str, "rg-app3");
	ck_assert_loc(&r, a->values->loc, "\"rg-app3\"");
	ck_assert_ptr_null(a->next);
	done(&r);
}
END_TEST

START_TEST(vnet_bare)
{
	struct run r;
	parse(&r, "vnet a\nvnet b { }\nvnet c in x\n");
	assert_clean(&r);
	struct stmt *s = r.ast->stmts;
	ck_assert_str_eq(s->names->name, "a");
	ck_assert_ptr_null(s->prefixes);
	ck_assert_ptr_null(s->region);
	ck_assert(!s->has_block);
	ck_assert_loc(&r, s->loc, "vnet a");
	s = s->next;
	ck_assert(s->has_block);
	ck_assert_ptr_null(s->attrs);
	ck_assert_loc(&r, s->loc, "vnet b { }");
	s = s->next;
	ck_assert_str_eq(s->region->name, "x");
	ck_assert_loc(&r, s->loc, "vnet c in x");
	ck_assert_ptr_null(s->next);
	done(&r);
}
END_TEST

START_TEST(peerings)
{
	struct run r;
	parse(&r, "peer a <-> b { a.forwarded  b.access = false  name = \"{local}-{remote}\" }\n"
		  "hub hub -> spoke1, spoke2 { hub.gateway_transit spokes.forwarded = true }\n"
		  "mesh x, y, z\n"
		  "site onprem 192.168.0.0/16 via hub\n"
		  "require spoke1 <-> spoke2\n"
		  "deny spoke3 <-> spoke1\n");
	assert_clean(&r);
	struct stmt *s = r.ast->stmts;
	ck_assert_int_eq(s->kind, STMT_PEER);
	ck_assert_str_eq(s->names->name, "a");
	ck_assert_str_eq(s->names->next->name, "b");
	ck_assert_uint_eq(s->names->next->loc.start, at(&r, "b {").start);
	struct attr *a = s->attrs;
	ck_assert_str_eq(a->qual, "a");
	ck_assert_uint_eq(a->qual_loc.start, at(&r, "a.forwarded").start);
	ck_assert_uint_eq(a->qual_loc.end, a->qual_loc.start + 1);
	ck_assert_str_eq(a->name, "forwarded");
	ck_assert(a->is_flag);
	ck_assert_ptr_null(a->values);
	ck_assert_loc(&r, a->loc, "a.forwarded");
	a = a->next;
	ck_assert_str_eq(a->qual, "b");
	ck_assert_str_eq(a->name, "access");
	ck_assert_int_eq(a->values->kind, VAL_BOOL);
	ck_assert(!a->values->u.boolean);
	ck_assert_loc(&r, a->values->loc, "false");
	a = a->next;
	ck_assert_str_eq(a->values->u.str, "{local}-{remote}");

	s = s->next;
	ck_assert_int_eq(s->kind, STMT_HUB);
	ck_assert_str_eq(s->names->name, "hub");
	ck_assert_uint_eq(s->names->loc.start, at(&r, "hub ->").start);
	ck_assert_uint_eq(s->names->loc.end, at(&r, "hub ->").start + 3);
	ck_assert_str_eq(s->names->next->name, "spoke1");
	ck_assert_str_eq(s->names->next->next->name, "spoke2");
	ck_assert_ptr_null(s->names->next->next->next);
	ck_assert_str_eq(s->attrs->qual, "hub");
	ck_assert_str_eq(s->attrs->next->qual, "spokes");
	ck_assert(s->attrs->next->values->u.boolean);

	s = s->next;
	ck_assert_int_eq(s->kind, STMT_MESH);
	ck_assert_str_eq(s->names->next->next->name, "z");
	ck_assert(!s->has_block);

	s = s->next;
	ck_assert_int_eq(s->kind, STMT_SITE);
	ck_assert_str_eq(s->names->name, "onprem");
	ck_assert_loc(&r, s->prefixes->loc, "192.168.0.0/16");
	ck_assert_str_eq(s->via->name, "hub");
	ck_assert_uint_eq(s->via->loc.start, at(&r, "hub\nrequire").start);
	ck_assert_uint_eq(s->via->loc.end, at(&r, "hub\nrequire").start + 3);

	s = s->next;
	ck_assert_int_eq(s->kind, STMT_REQUIRE);
	ck_assert_loc(&r, s->loc, "require spoke1 <-> spoke2");
	s = s->next;
	ck_assert_int_eq(s->kind, STMT_DENY);
	ck_assert_str_eq(s->names->name, "spoke3");
	ck_assert_str_eq(s->names->next->name, "spoke1");
	ck_assert_ptr_null(s->next);
	done(&r);
}
END_TEST

/* ---------------------------------------------- the language's examples */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	struct strbuf sb;
	sb_init(&sb);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sb.buf;
}

START_TEST(language_examples_parse)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/lang", top ? top : "..");
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".peer") != 0)
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		char *text = read_file(path, &len);
		struct run r;
		parse_n(&r, text, len, 0);
		char *out = render(&r);
		ck_assert_msg(r.diags.n == 0, "%s:\n%s", path, out);
		ck_assert_msg(r.ast->stmts != NULL, "%s: no statements", path);
		free(out);
		free(text);
		done(&r);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 1);
}
END_TEST

/* ---------------------------------------------------- syntax errors */

START_TEST(error_peer_arrow)
{
	struct run r;
	parse(&r, "peer a -> b\n");
	assert_diags(&r,
		"t.peer:1:8: error: expected '<->' between the two VNets of a peer, found '->'\n"
		"    1 | peer a -> b\n"
		"      |        ^~\n"
		"      |        <->\n");
	ck_assert_str_eq(r.diags.items[0].name, "syntax");
	done(&r);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("statements");
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, vnet_full);
	tcase_add_test(tc, vnet_bare);
	tcase_add_test(tc, peerings);
	tcase_add_test(tc, language_examples_parse);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, error_peer_arrow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parser_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
