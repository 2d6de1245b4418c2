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
	r->ast = parse_source(&r->src, r->arena, r->arena, &r->diags);
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

/* The formatter's side list: every comment in order with its exact range,
 * and each block's braces. */
START_TEST(comments_and_braces_located)
{
	struct run r;
	const char *text = "# one\nvnet a /* two */ 10.0.0.0/16 { // three\n}\n";

	parse(&r, text);
	assert_clean(&r);
	ck_assert_uint_eq(r.ast->ncomments, 3);
	ck_assert_uint_eq(r.ast->comments[0].loc.start, 0);
	ck_assert_uint_eq(r.ast->comments[0].loc.end, 5);
	ck_assert_uint_eq(r.ast->comments[1].loc.start, 13);
	ck_assert_uint_eq(r.ast->comments[1].loc.end, 22);
	ck_assert_uint_eq(r.ast->comments[2].loc.start, 37);
	ck_assert_uint_eq(r.ast->comments[2].loc.end, 45);
	ck_assert_uint_eq(r.ast->stmts->block_loc.start, 35);
	ck_assert_uint_eq(r.ast->stmts->block_loc.end, 47);
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

START_TEST(defaults_and_nested_blocks)
{
	struct run r;
	parse(&r, "defaults {\n"
		  "  tags { owner = \"netops\"  \"cost center\" = \"42\" }\n"
		  "  peering_name = \"{local}-to-{remote}\"\n"
		  "}\n"
		  "vnet hub {\n"
		  "  address = 10.0.0.0/16, 10.1.0.0/16\n"
		  "  subnets { GatewaySubnet = 10.0.255.0/27 }\n"
		  "  dns_servers = 10.0.1.4, 2001:db8::1\n"
		  "}\n");
	assert_clean(&r);
	struct stmt *s = r.ast->stmts;
	ck_assert_int_eq(s->kind, STMT_DEFAULTS);
	ck_assert_ptr_null(s->names);
	ck_assert(s->has_block);
	struct attr *tags = s->attrs;
	ck_assert_str_eq(tags->name, "tags");
	ck_assert(tags->has_block);
	ck_assert(!tags->is_flag);
	ck_assert_ptr_null(tags->values);
	ck_assert_loc(&r, tags->loc, "tags { owner = \"netops\"  \"cost center\" = \"42\" }");
	struct attr *k = tags->block;
	ck_assert_str_eq(k->name, "owner");
	ck_assert(!k->name_is_string);
	k = k->next;
	ck_assert_str_eq(k->name, "cost center");
	ck_assert(k->name_is_string);
	ck_assert_loc(&r, k->name_loc, "\"cost center\"");
	ck_assert_loc(&r, k->loc, "\"cost center\" = \"42\"");
	ck_assert_str_eq(k->values->u.str, "42");
	ck_assert_ptr_null(k->next);
	ck_assert_str_eq(tags->next->values->u.str, "{local}-to-{remote}");

	s = s->next;
	struct attr *a = s->attrs;
	ck_assert_str_eq(a->name, "address");
	ck_assert_loc(&r, a->values->loc, "10.0.0.0/16");
	ck_assert_loc(&r, a->values->next->loc, "10.1.0.0/16");
	ck_assert_loc(&r, a->loc, "address = 10.0.0.0/16, 10.1.0.0/16");
	a = a->next;
	ck_assert_loc(&r, a->block->name_loc, "GatewaySubnet");
	ck_assert_loc(&r, a->block->values->loc, "10.0.255.0/27");
	a = a->next;
	ck_assert_int_eq(a->values->kind, VAL_ADDR);
	ck_assert_int_eq(a->values->next->kind, VAL_ADDR);
	ck_assert_loc(&r, a->values->next->loc, "2001:db8::1");
	ck_assert_loc(&r, s->loc, "vnet hub {\n  address = 10.0.0.0/16, 10.1.0.0/16\n"
		      "  subnets { GatewaySubnet = 10.0.255.0/27 }\n"
		      "  dns_servers = 10.0.1.4, 2001:db8::1\n}");
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

/* ------------------------------------------------------------- JSON */

static char *to_json(struct run *r)
{
	struct strbuf sb;
	sb_init(&sb);
	ast_to_json(r->ast, &r->src, &sb);
	return sb.buf;
}

/* The text of the first ```lang block of a Markdown file. */
static char *md_block(const char *md, const char *lang)
{
	char fence[32];
	snprintf(fence, sizeof(fence), "```%s\n", lang);
	const char *p = strstr(md, fence);
	ck_assert_msg(p != NULL, "no %s block", lang);
	p += strlen(fence);
	const char *e = strstr(p, "```\n");
	ck_assert_ptr_nonnull(e);
	return strndup(p, (size_t)(e - p));
}

START_TEST(ast_json_doc_example)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof(path), "%s/doc/ast-json.md", top ? top : "..");
	size_t len;
	char *md = read_file(path, &len);
	char *peer = md_block(md, "peer");
	char *json = md_block(md, "json");
	struct run r;
	parse(&r, peer);
	assert_clean(&r);
	char *out = to_json(&r);
	ck_assert_str_eq(out, json);
	free(out);
	free(json);
	free(peer);
	free(md);
	done(&r);
}
END_TEST

START_TEST(ast_json_values)
{
	struct run r;
	parse(&r, "peer a <-> b { x = 42, FD00::0001, ::ffff:10.0.0.1/120, nva, false, \"t\\\"\\u0001\" }");
	assert_clean(&r);
	char *out = to_json(&r);
	const char *want =
		"          \"values\": [\n"
		"            {\"kind\": \"integer\", \"value\": 42, \"range\": [[1, 20], [1, 22]]},\n"
		"            {\"kind\": \"address\", \"value\": \"fd00::1\", \"family\": 6, \"text\": \"FD00::0001\", \"range\": [[1, 24], [1, 34]]},\n"
		"            {\"kind\": \"prefix\", \"value\": \"::ffff:10.0.0.1/120\", \"family\": 6, \"length\": 120, \"text\": \"::ffff:10.0.0.1/120\", \"range\": [[1, 36], [1, 55]]},\n"
		"            {\"kind\": \"identifier\", \"value\": \"nva\", \"range\": [[1, 57], [1, 60]]},\n"
		"            {\"kind\": \"boolean\", \"value\": false, \"range\": [[1, 62], [1, 67]]},\n"
		"            {\"kind\": \"string\", \"value\": \"t\\\"\\u0001\", \"range\": [[1, 69], [1, 80]]}\n"
		"          ]\n";
	ck_assert_msg(strstr(out, want) != NULL, "got:\n%s", out);
	ck_assert_msg(strstr(out, "\"block\": null") == NULL, "%s", out);
	free(out);
	done(&r);

	parse(&r, "mesh x, y\nvnet z { }\n");
	out = to_json(&r);
	ck_assert_msg(strstr(out, "      \"block\": null\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "      \"prefixes\": [],\n      \"region\": null,\n      \"block\": []\n") != NULL,
		      "%s", out);
	free(out);
	done(&r);
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


/* The rendered diagnostics without their source excerpts. */
static char *headlines(struct run *r)
{
	char *all = render(r);
	size_t o = 0;
	for (char *line = all, *next; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (*line != ' ') {
			memmove(all + o, line, (size_t)(next - line));
			o += (size_t)(next - line);
		}
	}
	all[o] = '\0';
	return all;
}

static void assert_headlines(struct run *r, const char *expected)
{
	char *out = headlines(r);
	ck_assert_str_eq(out, expected);
	free(out);
}

START_TEST(error_hub_arrow)
{
	struct run r;
	parse(&r, "hub h <-> s1, s2\n");
	assert_diags(&r,
		"t.peer:1:7: error: expected '->' between a hub and its spokes, found '<->'\n"
		"    1 | hub h <-> s1, s2\n"
		"      |       ^~~\n"
		"      |       ->\n");
	/* the statement is still understood */
	ck_assert_int_eq(r.ast->stmts->kind, STMT_HUB);
	ck_assert_str_eq(r.ast->stmts->names->next->next->name, "s2");
	done(&r);
}
END_TEST

START_TEST(error_require_deny_arrow)
{
	struct run r;
	parse(&r, "require a -> b\ndeny a -> b\n");
	assert_headlines(&r,
		"t.peer:1:11: error: expected '<->' between the two ends of a require, found '->'\n"
		"t.peer:2:8: error: expected '<->' between the two ends of a deny, found '->'\n");
	ck_assert_uint_eq(r.diags.items[1].nfixits, 1);
	ck_assert_str_eq(r.diags.items[1].fixits[0].text, "<->");
	done(&r);
}
END_TEST

START_TEST(error_missing_lbrace)
{
	struct run r;
	parse(&r, "vnet hub 10.0.0.0/16\n"
		  "  nva = 10.0.1.4\n"
		  "}\n"
		  "vnet spoke 10.1.0.0/16\n");
	assert_diags(&r,
		"t.peer:2:3: error: expected '{' before 'nva'\n"
		"    2 |   nva = 10.0.1.4\n"
		"      |   ^~~\n");
	/* recovery drops the broken statement and resumes at the next one */
	ck_assert_str_eq(r.ast->stmts->names->name, "spoke");
	ck_assert_ptr_null(r.ast->stmts->next);
	done(&r);
}
END_TEST

START_TEST(error_missing_equals)
{
	struct run r;
	parse(&r, "vnet a {\n  nva 10.0.1.4\n}\n");
	assert_diags(&r,
		"t.peer:2:7: error: expected '=' before '10.0.1.4'\n"
		"    2 |   nva 10.0.1.4\n"
		"      |       ^~~~~~~~\n"
		"      |       = \n");
	done(&r);

	/* two names on a line, the first one an attribute that needs a value */
	parse(&r, "defaults {\n  location westeurope\n  existing gateway\n}\n");
	assert_diags(&r,
		"t.peer:2:12: error: expected '=' between 'location' and 'westeurope'\n"
		"    2 |   location westeurope\n"
		"      |            ^~~~~~~~~~\n"
		"      |            =\n");
	ck_assert_str_eq(r.diags.items[0].fixits[0].text, " =");
	done(&r);

	parse(&r, "vnet a { resource_group \"rg\" }\n");
	assert_headlines(&r,
		"t.peer:1:25: error: expected '=' between 'resource_group' and '\"rg\"'\n");
	done(&r);

	parse(&r, "vnet a { tags { \"cost center\" \"42\"  env prod } }\n");
	assert_headlines(&r,
		"t.peer:1:31: error: expected '=' between '\"cost center\"' and '\"42\"'\n");
	done(&r);
}
END_TEST

START_TEST(error_mistyped_keyword)
{
	struct run r;
	/* recovery resumes at the next statement keyword */
	parse(&r, "vnt a 10.0.0.0/16\nvnet b\nrequir a <-> b\nvnet c\nfoo a\n");
	assert_diags(&r,
		"t.peer:1:1: error: unknown statement 'vnt'; did you mean 'vnet'?\n"
		"    1 | vnt a 10.0.0.0/16\n"
		"      | ^~~\n"
		"      | vnet\n"
		"t.peer:3:1: error: unknown statement 'requir'; did you mean 'require'?\n"
		"    3 | requir a <-> b\n"
		"      | ^~~~~~\n"
		"      | require\n"
		"t.peer:5:1: error: expected a prefix, 'in', '{', a statement or end of file, found 'foo'\n"
		"    5 | foo a\n"
		"      | ^~~\n");
	done(&r);
}
END_TEST

START_TEST(error_keyword_as_name)
{
	struct run r;
	parse(&r, "vnet true 10.0.0.0/16\npeer a <-> false\n");
	assert_diags(&r,
		"t.peer:1:6: error: expected a name, found the keyword 'true'\n"
		"    1 | vnet true 10.0.0.0/16\n"
		"      |      ^~~~\n"
		"t.peer:2:12: error: expected a name, found the keyword 'false'\n"
		"    2 | peer a <-> false\n"
		"      |            ^~~~~\n");
	done(&r);
}
END_TEST

START_TEST(keywords_as_names)
{
	struct run r;
	parse(&r, "vnet hub 10.0.0.0/16 in site { via = in }\n"
		  "hub hub -> peer, mesh { hub.forwarded gateway = hub }\n"
		  "peer defaults <-> require\n"
		  "deny deny <-> vnet\n");
	assert_clean(&r);
	struct stmt *s = r.ast->stmts;
	ck_assert_str_eq(s->names->name, "hub");
	ck_assert_str_eq(s->region->name, "site");
	ck_assert_str_eq(s->attrs->name, "via");
	ck_assert_int_eq(s->attrs->values->kind, VAL_IDENT);
	ck_assert_str_eq(s->attrs->values->u.str, "in");
	s = s->next;
	ck_assert_str_eq(s->names->next->name, "peer");
	ck_assert_str_eq(s->attrs->qual, "hub");
	ck_assert_str_eq(s->attrs->next->values->u.str, "hub");
	s = s->next;
	ck_assert_str_eq(s->names->name, "defaults");
	s = s->next;
	ck_assert_str_eq(s->names->next->name, "vnet");
	done(&r);
}
END_TEST

START_TEST(error_unclosed_block)
{
	struct run r;
	parse(&r, "vnet a {\n  tags { k = \"v\" }\n  nva = 10.0.1.4\n\n");
	assert_diags(&r,
		"t.peer:3:17: error: expected '}', found end of file\n"
		"    3 |   nva = 10.0.1.4\n"
		"      |                 ^\n"
		"t.peer:1:8: note: to match this '{'\n"
		"    1 | vnet a {\n"
		"      |        ^\n");
	done(&r);
}
END_TEST

START_TEST(error_generic)
{
	struct run r;
	parse(&r, "vnet a 10.0.0.0/16 foo\nmesh a, b c\nsite s 10.0.0.0/8 via\n}\n");
	assert_headlines(&r,
		"t.peer:1:20: error: expected ',', 'in', '{', a statement or end of file, found 'foo'\n"
		"t.peer:2:11: error: expected ',', '{', a statement or end of file, found 'c'\n"
		"t.peer:4:1: error: expected a name, found '}'\n");
	done(&r);
}
END_TEST

/* One run reports every error, each at its place, and recovers at
 * statement and block boundaries. */
START_TEST(several_errors_in_one_run)
{
	struct run r;
	parse(&r, "vnet a 10.0.0.0/16 {\n"
		  "  nva 10.0.1.4\n"
		  "  subnets { s1 = 10.0.0.0/24 , }\n"
		  "  location = westeurope\n"
		  "}\n"
		  "peer a -> b\n"
		  "vnet c 10.0.0.1\n"
		  "vnet d @ 10.3.0.0/16\n"
		  "hub h -> { }\n"
		  "vnet e 10.4.0.0/16 { name = \"\\x\" }\n"
		  "require a <-> b\n");
	assert_headlines(&r,
		"t.peer:2:7: error: expected '=' before '10.0.1.4'\n"
		"t.peer:3:32: error: expected a value, found '}'\n"
		"t.peer:6:8: error: expected '<->' between the two VNets of a peer, found '->'\n"
		"t.peer:7:8: error: expected a prefix, found the address '10.0.0.1' (a prefix needs a /length)\n"
		"t.peer:8:8: error: stray '@' in input\n"
		"t.peer:9:10: error: expected a name, found '{'\n"
		"t.peer:10:30: error: unknown escape sequence '\\x'\n");
	/* a statement with an error in a block is kept; one with an error
	 * outside is dropped; the rest are all there */
	static const char *const names[] = { "a", "a", "d", "e", "a" };
	size_t n = 0;
	for (const struct stmt *s = r.ast->stmts; s; s = s->next, n++) {
		ck_assert_uint_lt(n, ARRAY_SIZE(names));
		ck_assert_str_eq(s->names->name, names[n]);
	}
	ck_assert_uint_eq(n, ARRAY_SIZE(names));
	done(&r);
}
END_TEST

START_TEST(error_cap)
{
	struct strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < 1000; i++)
		sb_printf(&sb, "vnet v%d 10.0.0.0/16 { nva 10.0.0.4 }\n", i);
	struct run r;
	parse_n(&r, sb.buf, sb.len, 3);
	ck_assert_uint_eq(r.diags.n, 3);
	ck_assert(r.diags.capped);
	/* the parse stopped at the first error past the cap */
	ck_assert_uint_eq(r.diags.nerrors, 4);
	assert_headlines(&r,
		"t.peer:1:27: error: expected '=' before '10.0.0.4'\n"
		"t.peer:2:27: error: expected '=' before '10.0.0.4'\n"
		"t.peer:3:27: error: expected '=' before '10.0.0.4'\n"
		"t.peer: note: too many errors; the rest are not shown\n");
	done(&r);

	/* lexical errors count against the same cap */
	parse_n(&r, "@@@@@@@@@@", 10, 2);
	ck_assert_uint_eq(r.diags.n, 2);
	ck_assert_uint_eq(r.diags.nerrors, 3);
	done(&r);
	sb_free(&sb);
}
END_TEST

/* ---------------------------------------------------- hostile input */

/* Each of these must end in a clean result or located errors: never a
 * crash, a hang or memory out of proportion to the input. */

START_TEST(hostile_empty_file)
{
	struct run r;
	parse_n(&r, "", 0, 0);
	assert_clean(&r);
	ck_assert_ptr_null(r.ast->stmts);
	done(&r);
}
END_TEST

/* Lines end at LF, CRLF or a lone CR, in any mix: positions count them so,
 * and the line shown is the line without its terminator. */
START_TEST(hostile_lone_cr_positions)
{
	static const char text[] =
		"# classic Mac OS\rvnet a 10.0.0.0/16\r\nvnet b 10.1.0.0/16 {\r"
		"  bogus = 1\r}\n\rvnet c 10.2.0.0/16 { x = \"no\rend }\r";
	struct run r;
	unsigned line, col;
	parse(&r, text);
	ck_assert_uint_eq(r.src.nlines, 9); /* and the empty one after the last CR */
	source_linecol(&r.src, (uint32_t)(strstr(text, "bogus") - text), &line, &col);
	ck_assert_uint_eq(line, 4);
	ck_assert_uint_eq(col, 3);
	source_linecol(&r.src, (uint32_t)(strstr(text, "vnet c") - text), &line, &col);
	ck_assert_uint_eq(line, 7);
	ck_assert_uint_eq(col, 1);
	size_t len;
	const char *l = source_line(&r.src, 2, &len);
	ck_assert_uint_eq(len, 18);
	ck_assert_int_eq(memcmp(l, "vnet a 10.0.0.0/16", 18), 0);
	source_line(&r.src, 6, &len);
	ck_assert_uint_eq(len, 0); /* the empty line between LF and CR */
	assert_diags(&r,
		"t.peer:7:26: error: unterminated string\n"
		"    7 | vnet c 10.2.0.0/16 { x = \"no\n"
		"      |                          ^\n");
	done(&r);
}
END_TEST

START_TEST(hostile_invalid_utf8)
{
	struct run r;
	parse(&r, "vnet a\xff 10.0.0.0/16\n");
	assert_diags(&r,
		"t.peer:1:7: error: invalid UTF-8 byte 0xff\n"
		"    1 | vnet a? 10.0.0.0/16\n"
		"      |       ^\n");
	done(&r);
}
END_TEST

START_TEST(hostile_nul_byte)
{
	struct run r;
	parse_n(&r, "vnet \0a\n", 8, 0);
	assert_diags(&r,
		"t.peer:1:6: error: NUL byte in input\n"
		"    1 | vnet ?a\n"
		"      |      ^\n");
	done(&r);
}
END_TEST

START_TEST(hostile_unterminated_string)
{
	struct run r;
	/* the string ends at the line's end; the '}' in it is lost, and the
	 * block it meant to close is reported unclosed */
	parse(&r, "vnet a { name = \"abc }\nvnet b\n");
	assert_diags(&r,
		"t.peer:1:17: error: unterminated string\n"
		"    1 | vnet a { name = \"abc }\n"
		"      |                 ^\n"
		"t.peer:2:7: error: expected '}', found end of file\n"
		"    2 | vnet b\n"
		"      |       ^\n"
		"t.peer:1:8: note: to match this '{'\n"
		"    1 | vnet a { name = \"abc }\n"
		"      |        ^\n");
	done(&r);
}
END_TEST

START_TEST(hostile_unterminated_comment)
{
	struct run r;
	parse(&r, "vnet a\n/* the rest\nvnet b\n");
	assert_diags(&r,
		"t.peer:2:1: error: unterminated comment\n"
		"    2 | /* the rest\n"
		"      | ^~\n");
	ck_assert_str_eq(r.ast->stmts->names->name, "a");
	done(&r);
}
END_TEST

START_TEST(hostile_megabyte_line)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "vnet a 10.0.0.0/16 { tags { k = \"");
	for (size_t i = 0; i < (1u << 20); i++)
		sb_putc(&sb, (char)('a' + i % 26));
	sb_puts(&sb, "\" } } # and a comment as long: ");
	for (size_t i = 0; i < (1u << 20); i++)
		sb_putc(&sb, 'x');
	struct run r;
	parse_n(&r, sb.buf, sb.len, 0);
	assert_clean(&r);
	struct value *v = r.ast->stmts->attrs->block->values;
	ck_assert_uint_eq(strlen(v->u.str), 1u << 20);
	ck_assert_uint_eq(v->loc.end - v->loc.start, (1u << 20) + 2);
	done(&r);
	sb_free(&sb);
}
END_TEST

START_TEST(hostile_deep_nesting)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "vnet a ");
	for (int i = 0; i < 10000; i++)
		sb_puts(&sb, "{ x ");
	for (int i = 0; i < 10000; i++)
		sb_putc(&sb, '}');
	struct run r;
	parse_n(&r, sb.buf, sb.len, 0);
	/* the 33rd '{', at byte 7 + 32 * 4 */
	ck_assert_uint_eq(r.diags.n, 1);
	ck_assert_str_eq(r.diags.items[0].msg,
			 "blocks nested too deeply (the limit is 32 levels)");
	ck_assert_uint_eq(r.diags.items[0].loc.start, 7 + 32 * 4);
	ck_assert_uint_eq(r.diags.items[0].loc.end, 8 + 32 * 4);
	done(&r);

	/* braces alone: one syntax error, then the cap on the scanner */
	sb_reset(&sb);
	sb_puts(&sb, "vnet a ");
	for (int i = 0; i < 10000; i++)
		sb_putc(&sb, '{');
	parse_n(&r, sb.buf, sb.len, 0);
	ck_assert_uint_eq(r.diags.n, 2);
	ck_assert_str_eq(r.diags.items[0].msg,
			 "expected an attribute or '}', found '{'");
	ck_assert_uint_eq(r.diags.items[0].loc.start, 8);
	ck_assert_uint_eq(r.diags.items[1].loc.start, 7 + 32);
	done(&r);
	sb_free(&sb);
}
END_TEST

/* 100 MB: 100,000 statements of 1,000 bytes each (a long comment). */
START_TEST(hostile_100mb_file)
{
	const size_t nstmts = 100000, line = 1000;
	char *text = malloc(nstmts * line);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < nstmts; i++) {
		char *p = text + i * line;
		int n = snprintf(p, line, "vnet v%06zu 10.%zu.%zu.0/24 # ", i,
				 i / 256 % 256, i % 256);
		memset(p + n, 'x', line - 1 - (size_t)n);
		p[line - 1] = '\n';
	}
	struct run r;
	parse_n(&r, text, nstmts * line, 0);
	assert_clean(&r);
	size_t count = 0;
	const struct stmt *last = NULL;
	for (const struct stmt *s = r.ast->stmts; s; s = s->next) {
		last = s;
		count++;
	}
	ck_assert_uint_eq(count, nstmts);
	ck_assert_str_eq(last->names->name, "v099999");
	ck_assert_uint_eq(last->kw_loc.start, (nstmts - 1) * line);
	done(&r);
	free(text);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("statements");
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, comments_and_braces_located);
	tcase_add_test(tc, vnet_full);
	tcase_add_test(tc, vnet_bare);
	tcase_add_test(tc, peerings);
	tcase_add_test(tc, defaults_and_nested_blocks);
	tcase_add_test(tc, language_examples_parse);
	tcase_add_test(tc, ast_json_doc_example);
	tcase_add_test(tc, ast_json_values);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, error_peer_arrow);
	tcase_add_test(tc, error_hub_arrow);
	tcase_add_test(tc, error_require_deny_arrow);
	tcase_add_test(tc, error_missing_lbrace);
	tcase_add_test(tc, error_missing_equals);
	tcase_add_test(tc, error_mistyped_keyword);
	tcase_add_test(tc, error_keyword_as_name);
	tcase_add_test(tc, keywords_as_names);
	tcase_add_test(tc, error_unclosed_block);
	tcase_add_test(tc, error_generic);
	tcase_add_test(tc, several_errors_in_one_run);
	tcase_add_test(tc, error_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hostile_empty_file);
	tcase_add_test(tc, hostile_lone_cr_positions);
	tcase_add_test(tc, hostile_invalid_utf8);
	tcase_add_test(tc, hostile_nul_byte);
	tcase_add_test(tc, hostile_unterminated_string);
	tcase_add_test(tc, hostile_unterminated_comment);
	tcase_add_test(tc, hostile_megabyte_line);
	tcase_add_test(tc, hostile_deep_nesting);
	tcase_add_test(tc, hostile_100mb_file);
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
