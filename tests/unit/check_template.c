#include "common.h"

#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "layout.h"
#include "template.h"
#include "util.h"

/* One test's world: an arena, a diagnostic list, the last output. */
static struct arena *A;
static struct diag_list D;
static struct strbuf OUT;

static void setup(void)
{
	A = arena_new();
	diag_list_init(&D, A, NULL, 0);
	sb_init(&OUT);
}

static void teardown(void)
{
	sb_free(&OUT);
	arena_free(A);
}

/* The rendered text, or NULL when parsing or rendering reported an error. */
static const char *render(enum tmpl_target t, const char *text,
			  const struct tval *root)
{
	struct tmpl *tm = tmpl_parse(A, &D, "templates/x/t.tmpl", text,
				     strlen(text), t);
	sb_reset(&OUT);
	if (!tm || !tmpl_render(tm, root, &D, &OUT))
		return NULL;
	return OUT.buf;
}

/* The diagnostics as the command line prints them. */
static char *diag_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct source none = { .name = "topology.peer" };
	diag_print_all(f, &none, &D, false);
	fclose(f);
	char *s = arena_strdup(A, buf);
	free(buf);
	return s;
}

static struct tval *obj(void)
{
	return tv_object(A);
}

static const char *quoted(enum tmpl_target t, const char *s)
{
	struct tval *root = obj();
	tv_set(A, root, "s", tv_string(A, s));
	const char *r = render(t, "{{s}}\n", root);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* ------------------------------------------------------------- escaping */

static const char HOSTILE[] =
	"q\"b\\s'n\nr\rt\tc\x01\x1f\x7f" "d${x}p%{y}dd$${z}$ %é日🙂[]";

START_TEST(hcl_escaping)
{
	ck_assert_str_eq(quoted(TMPL_HCL, HOSTILE),
		"\"q\\\"b\\\\s'n\\nr\\rt\\tc\\u0001\\u001F\\u007F"
		"d$${x}p%%{y}dd$$${z}$ %é日🙂[]\"\n");
	ck_assert_str_eq(quoted(TMPL_HCL, ""), "\"\"\n");
	/* no \b or \f: HCL has neither */
	ck_assert_str_eq(quoted(TMPL_HCL, "\b\f"), "\"\\u0008\\u000C\"\n");
}
END_TEST

START_TEST(bicep_escaping)
{
	ck_assert_str_eq(quoted(TMPL_BICEP, HOSTILE),
		"'q\"b\\\\s\\'n\\nr\\rt\\tc\\u{1}\\u{1F}\\u{7F}"
		"d\\${x}p%{y}dd$\\${z}$ %é日🙂[]'\n");
}
END_TEST

START_TEST(json_escaping)
{
	ck_assert_str_eq(quoted(TMPL_JSON, HOSTILE),
		"\"q\\\"b\\\\s'n\\nr\\rt\\tc\\u0001\\u001F\x7f"
		"d${x}p%{y}dd$${z}$ %é日🙂[]\"\n");
	ck_assert_str_eq(quoted(TMPL_JSON, "[x]"), "\"[x]\"\n");
}
END_TEST

START_TEST(arm_escaping)
{
	/* "[x]" is an expression to ARM; "[[x]" is the literal "[x]" */
	ck_assert_str_eq(quoted(TMPL_ARM, "[x]"), "\"[[x]\"\n");
	ck_assert_str_eq(quoted(TMPL_ARM, "[\"]"), "\"[[\\\"]\"\n");
	/* not both brackets: already a literal, and "[[" would stay "[[" */
	ck_assert_str_eq(quoted(TMPL_ARM, "[x"), "\"[x\"\n");
	ck_assert_str_eq(quoted(TMPL_ARM, "x]"), "\"x]\"\n");
	ck_assert_str_eq(quoted(TMPL_ARM, "[]"), "\"[[]\"\n");
	ck_assert_str_eq(quoted(TMPL_ARM, "["), "\"[\"\n");
}
END_TEST

START_TEST(scalars_and_raw)
{
	struct tval *root = obj();
	tv_set(A, root, "t", tv_bool(A, true));
	tv_set(A, root, "f", tv_bool(A, false));
	tv_set(A, root, "n", tv_int(A, -42));
	tv_set(A, root, "r", tv_raw(A, "azurerm_virtual_network.hub.id"));
	ck_assert_str_eq(render(TMPL_HCL, "a = {{t}} {{f}} {{n}} {{r}}\n", root),
			 "a = true false -42 azurerm_virtual_network.hub.id\n");
}
END_TEST

static struct tval *strings(const char *a, const char *b)
{
	struct tval *l = tv_list(A);
	tv_push(A, l, tv_string(A, a));
	tv_push(A, l, tv_string(A, b));
	return l;
}

START_TEST(lists_per_target)
{
	struct tval *root = obj();
	tv_set(A, root, "l", strings("10.0.0.0/16", "it's"));
	tv_set(A, root, "e", tv_list(A));
	ck_assert_str_eq(render(TMPL_HCL, "a = {{l}}\nb = {{e}}\n", root),
			 "a = [\"10.0.0.0/16\", \"it's\"]\nb = []\n");
	ck_assert_str_eq(render(TMPL_BICEP, "x: {\na: {{l}}\nb: {{e}}\n}\n", root),
			 "x: {\n  a: [\n    '10.0.0.0/16'\n    'it\\'s'\n  ]\n"
			 "  b: []\n}\n");
	ck_assert_str_eq(render(TMPL_JSON, "{\"a\": {{l}} \"b\": {{e}}}", root),
			 "{\n  \"a\": [\n    \"10.0.0.0/16\",\n    \"it's\"\n  ],\n"
			 "  \"b\": []\n}\n");
}
END_TEST

START_TEST(objects_per_target)
{
	struct tval *root = obj();
	struct tval *tags = tv_set(A, root, "tags", obj());
	tv_set(A, tags, "env", tv_string(A, "prod"));
	tv_set(A, tags, "cost center", tv_string(A, "42"));
	tv_set(A, tags, "for", tv_string(A, "x"));
	tv_set(A, root, "none", obj());
	ck_assert_str_eq(render(TMPL_HCL, "r {\ntags = {{tags}}\nx = {{none}}\n}\n", root),
			 "r {\n"
			 "  tags = {\n"
			 "    env           = \"prod\"\n"
			 "    \"cost center\" = \"42\"\n"
			 "    \"for\"         = \"x\"\n"
			 "  }\n"
			 "  x = {}\n"
			 "}\n");
	ck_assert_str_eq(render(TMPL_BICEP, "tags: {{tags}}\n", root),
			 "tags: {\n  env: 'prod'\n  'cost center': '42'\n"
			 "  'for': 'x'\n}\n");
	ck_assert_str_eq(render(TMPL_ARM, "{\"tags\": {{tags}}}", root),
			 "{\n  \"tags\": {\n    \"env\": \"prod\",\n"
			 "    \"cost center\": \"42\",\n    \"for\": \"x\"\n  }\n}\n");
}
END_TEST

/* ------------------------------------------------------- loops and ifs */

static struct tval *vnets(void)
{
	struct tval *root = obj();
	struct tval *l = tv_set(A, root, "vnets", tv_list(A));
	const char *names[] = { "hub", "spoke1", "spoke2" };
	for (size_t i = 0; i < 3; i++) {
		struct tval *v = obj();
		tv_set(A, v, "label", tv_raw(A, names[i]));
		tv_set(A, v, "subnets", i == 0 ? strings("a", "b") : tv_list(A));
		tv_push(A, l, v);
	}
	return root;
}

START_TEST(loops_with_index_first_last)
{
	const char *t =
		"{{#for v in vnets}}\n"
		"{{v.label}} {{@index}} {{@first}} {{@last}}\n"
		"  {{#for s in v.subnets}}\n"
		"  - {{s}} of {{v.label}} {{@index}}\n"
		"  {{/for}}\n"
		"{{/for}}\n";
	ck_assert_str_eq(render(TMPL_HCL, t, vnets()),
			 "hub 0 true false\n"
			 "- \"a\" of hub 0\n"
			 "- \"b\" of hub 1\n"
			 "spoke1 1 false false\n"
			 "spoke2 2 false true\n");
}
END_TEST

START_TEST(loop_variable_shadows_root)
{
	struct tval *root = vnets();
	tv_set(A, root, "v", tv_raw(A, "outer"));
	ck_assert_str_eq(render(TMPL_HCL,
				"{{v}}{{#for v in vnets}} {{v.label}}{{/for}} {{v}}\n",
				root),
			 "outer hub spoke1 spoke2 outer\n");
}
END_TEST

START_TEST(conditionals_and_truthiness)
{
	struct tval *root = obj();
	tv_set(A, root, "s", tv_string(A, "x"));
	tv_set(A, root, "es", tv_string(A, ""));
	tv_set(A, root, "t", tv_bool(A, true));
	tv_set(A, root, "f", tv_bool(A, false));
	tv_set(A, root, "one", tv_int(A, 1));
	tv_set(A, root, "zero", tv_int(A, 0));
	tv_set(A, root, "l", strings("a", "b"));
	tv_set(A, root, "el", tv_list(A));
	tv_set(A, root, "eo", obj());
	const char *t =
		"{{#if s}}s{{/if}}{{#if es}}es{{/if}}{{#if t}}t{{/if}}"
		"{{#if f}}f{{#else}}!f{{/if}}{{#if one}}1{{/if}}{{#if zero}}0{{/if}}"
		"{{#if l}}l{{/if}}{{#if el}}el{{/if}}{{#if eo}}eo{{/if}}"
		"{{#if !f}} notf{{/if}}{{#if !t}}nott{{#else}} else{{/if}}\n";
	ck_assert_str_eq(render(TMPL_HCL, t, root), "st!f1l notf else\n");
}
END_TEST

START_TEST(standalone_tags_leave_no_lines)
{
	struct tval *root = obj();
	tv_set(A, root, "t", tv_bool(A, true));
	tv_set(A, root, "f", tv_bool(A, false));
	const char *t =
		"a {\n"
		"  {{! a comment on its own line }}\n"
		"  {{#if t}}\n"
		"  x = 1\n"
		"  {{/if}}\n"
		"  {{#if f}}\n"
		"  y = 2\n"
		"  {{#else}}\n"
		"  long_name = 2 {{! trailing comment tag }}\n"
		"  {{/if}}\n"
		"}\n";
	ck_assert_str_eq(render(TMPL_HCL, t, root),
			 "a {\n  x         = 1\n  long_name = 2\n}\n");
}
END_TEST

/* A block tag on the line after another one's: each takes its line. */
START_TEST(consecutive_standalone_tags)
{
	struct tval *root = obj();
	tv_set(A, root, "t", tv_bool(A, true));
	tv_set(A, root, "f", tv_bool(A, false));
	const char *t =
		"a: {\n"
		"  {{#if f}}\n"
		"  x: 1\n"
		"  {{/if}}\n"
		"  {{#if t}}\n"
		"  y: 2\n"
		"  {{/if}}\n"
		"  {{#if t}}\n"
		"  z: 3\n"
		"  {{/if}}\n"
		"}\n";
	ck_assert_str_eq(render(TMPL_BICEP, t, root), "a: {\n  y: 2\n  z: 3\n}\n");
}
END_TEST

START_TEST(trim_markers)
{
	struct tval *root = vnets();
	ck_assert_str_eq(render(TMPL_HCL,
				"[\n{{- #for v in vnets -}}\n  {{v.label}}\n"
				"{{- /for -}}\n]\n", root),
			 "[hubspoke1spoke2]\n");
}
END_TEST

/* --------------------------------------------------------------- layout */

START_TEST(hcl_layout_is_terraform_fmt)
{
	struct tval *root = obj();
	const char *t =
		"resource \"x\" \"y\" {\n"
		"\tname = \"a\"   # why\n"
		"      resource_group_name=\"b\" # because\n"
		"\n"
		"\n"
		"  tags = {\n"
		"    a = \"==\"\n"
		"    bb = 1 == 2\n"
		"  }\n"
		"  list = [\n"
		"\"x\",\n"
		"  ]\n"
		"  s = \"{ ${a.b[\"}\"]} [\"\n"
		"\n"
		"}   \n"
		"\n";
	ck_assert_str_eq(render(TMPL_HCL, t, root),
			 "resource \"x\" \"y\" {\n"
			 "  name                = \"a\" # why\n"
			 "  resource_group_name = \"b\" # because\n"
			 "\n"
			 "  tags = {\n"
			 "    a  = \"==\"\n"
			 "    bb = 1 == 2\n"
			 "  }\n"
			 "  list = [\n"
			 "    \"x\",\n"
			 "  ]\n"
			 "  s = \"{ ${a.b[\"}\"]} [\"\n"
			 "}\n");
}
END_TEST

/* The expected text is what terraform fmt 1.x made of the input. */
START_TEST(hcl_alignment_counts_graphemes)
{
	const char *t =
		"x = {\n"
		"\"\xc3\xa9\" = 1\n"
		"\"e\xcc\x81x\" = 2\n"
		"\"日本\" = 3\n"
		"\"🇩🇪🇫\" = 5\n"
		"\"👍🏽👨‍👩‍👧\" = 6\n"
		"abcdefgh = 4\n"
		"}\n";
	ck_assert_str_eq(render(TMPL_HCL, t, obj()),
			 "x = {\n"
			 "  \"\xc3\xa9\"      = 1\n"
			 "  \"e\xcc\x81x\"     = 2\n"
			 "  \"日本\"     = 3\n"
			 "  \"🇩🇪🇫\"     = 5\n"
			 "  \"👍🏽👨‍👩‍👧\"     = 6\n"
			 "  abcdefgh = 4\n"
			 "}\n");
}
END_TEST

START_TEST(bicep_layout_indents)
{
	const char *t =
		"resource x 'y@1' = {\n"
		"name: 'a{'\n"
		"    properties: {\n"
		"  s: '${a}'\n"
		"}\n"
		"}\n";
	ck_assert_str_eq(render(TMPL_BICEP, t, obj()),
			 "resource x 'y@1' = {\n"
			 "  name: 'a{'\n"
			 "  properties: {\n"
			 "    s: '${a}'\n"
			 "  }\n"
			 "}\n");
}
END_TEST

START_TEST(json_commas_come_from_the_engine)
{
	struct tval *root = vnets();
	tv_set(A, root, "f", tv_bool(A, false));
	const char *t =
		"{\n"
		"  \"resources\": [\n"
		"  {{#for v in vnets}}\n"
		"    { \"name\": \"{{v.label}}\" {{#if f}} \"x\": 1 {{/if}} }\n"
		"  {{/for}}\n"
		"  {{#for v in vnets}}\n"
		"    {{@index}}\n"
		"  {{/for}}\n"
		"  ],\n"
		"  \"empty\": [ ],"
		"  \"last\": true,\n"
		"}\n";
	ck_assert_str_eq(render(TMPL_JSON, t, root),
			 "{\n"
			 "  \"resources\": [\n"
			 "    {\n      \"name\": \"hub\"\n    },\n"
			 "    {\n      \"name\": \"spoke1\"\n    },\n"
			 "    {\n      \"name\": \"spoke2\"\n    },\n"
			 "    0,\n    1,\n    2\n"
			 "  ],\n"
			 "  \"empty\": [],\n"
			 "  \"last\": true\n"
			 "}\n");
}
END_TEST

/* --------------------------------------------------------------- errors */

static void expect_error(const char *t, const struct tval *root,
			 const char *want)
{
	ck_assert_ptr_null(render(TMPL_HCL, t, root));
	ck_assert_uint_eq(D.nerrors, 1);
	ck_assert_str_eq(diag_text(), want);
}

START_TEST(unknown_variable_is_located)
{
	expect_error("resource {\n  name = {{vnet.nmae}}\n}\n",
		     obj(),
		     "templates/x/t.tmpl:2:12: error: unknown variable 'vnet.nmae'\n"
		     "    2 |   name = {{vnet.nmae}}\n"
		     "      |            ^~~~~~~~~\n");
}
END_TEST

START_TEST(unknown_key_suggests)
{
	struct tval *root = obj();
	struct tval *v = tv_set(A, root, "vnet", obj());
	tv_set(A, v, "name", tv_string(A, "x"));
	expect_error("resource {\n  name = {{vnet.nmae}}\n}\n", root,
		     "templates/x/t.tmpl:2:12: error: unknown variable 'vnet.nmae'; "
		     "did you mean 'vnet.name'?\n"
		     "    2 |   name = {{vnet.nmae}}\n"
		     "      |            ^~~~~~~~~\n");
}
END_TEST

START_TEST(not_an_object)
{
	struct tval *root = obj();
	tv_set(A, root, "s", tv_string(A, "x"));
	expect_error("{{s.name}}", root,
		     "templates/x/t.tmpl:1:3: error: 's.name': 's' is a string, "
		     "not an object\n"
		     "    1 | {{s.name}}\n"
		     "      |   ^~~~~~\n");
}
END_TEST

START_TEST(loop_over_non_list)
{
	struct tval *root = obj();
	tv_set(A, root, "s", tv_string(A, "x"));
	expect_error("{{#for x in s}}{{/for}}", root,
		     "templates/x/t.tmpl:1:13: error: '{{#for}}' over 's', which is "
		     "a string, not a list\n"
		     "    1 | {{#for x in s}}{{/for}}\n"
		     "      |             ^\n");
}
END_TEST

START_TEST(loop_meta_outside_loop)
{
	expect_error("{{@index}}", obj(),
		     "templates/x/t.tmpl:1:3: error: '@index' outside '{{#for}}'\n"
		     "    1 | {{@index}}\n"
		     "      |   ^~~~~~\n");
}
END_TEST

START_TEST(syntax_errors)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "a {{ b", "1:3: error: unterminated tag: '{{' without '}}'" },
		{ "{{}}", "1:1: error: malformed tag" },
		{ "{{a b}}", "1:1: error: malformed tag" },
		{ "{{a..b}}", "1:3: error: malformed variable name 'a..b'" },
		{ "{{#if}}{{/if}}", "1:1: error: malformed tag: expected '{{#if NAME}}'" },
		{ "{{#for x s}}{{/for}}", "1:1: error: malformed tag: expected '{{#for NAME in LIST}}'" },
		{ "{{#while x}}", "1:1: error: malformed tag '{{#while x}}'" },
		{ "x\n  {{#if a}}\n", "2:3: error: unclosed '{{#if}}': no '{{/if}}' follows" },
		{ "{{/for}}", "1:1: error: '{{/for}}' without an open '{{#for}}'" },
		{ "{{#else}}", "1:1: error: '{{#else}}' outside '{{#if}}'" },
		{ "{{#if a}}{{#else}}{{#else}}{{/if}}", "1:19: error: a second '{{#else}}' in one '{{#if}}'" },
		{ "{{#for a in b}}{{/if}}", "1:16: error: '{{/if}}' closes '{{#for}}'" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		diag_list_init(&D, A, NULL, 0);
		struct tmpl *tm = tmpl_parse(A, &D, "t.tmpl", cases[i].text,
					     strlen(cases[i].text), TMPL_HCL);
		ck_assert_msg(tm == NULL, "case %zu parsed", i);
		ck_assert_uint_eq(D.nerrors, 1);
		const char *got = diag_text();
		ck_assert_msg(strncmp(got, "t.tmpl:", 7) == 0 &&
			      strncmp(got + 7, cases[i].want, strlen(cases[i].want)) == 0,
			      "case %zu: got %s", i, got);
	}
}
END_TEST

START_TEST(mismatched_close_notes_the_opener)
{
	expect_error("{{#for a in b}}\n{{/if}}\n", obj(),
		     "templates/x/t.tmpl:2:1: error: '{{/if}}' closes '{{#for}}'\n"
		     "    2 | {{/if}}\n"
		     "      | ^~~~~~~\n"
		     "templates/x/t.tmpl:1:1: note: the '{{#for}}' opened here\n"
		     "    1 | {{#for a in b}}\n"
		     "      | ^~~~~~~~~~~~~~~\n");
}
END_TEST

/* ------------------------------------------------------ hostile templates */

/* text repeated n times, in the arena. */
static char *repeat(const char *text, size_t n)
{
	size_t len = strlen(text);
	char *s = arena_alloc(A, len * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, text, len);
	return s;
}

static char *concat3(const char *a, const char *b, const char *c)
{
	return arena_printf(A, "%s%s%s", a, b, c);
}

/* 32 levels render; the 33rd is an error at its tag, before any recursion
 * (60,000 levels once overflowed the stack). */
START_TEST(nesting_is_limited)
{
	struct tval *root = obj();
	tv_set(A, root, "b", tv_bool(A, true));
	const char *ok = render(TMPL_HCL, concat3(repeat("{{#if b}}", 32), "x",
						  repeat("{{/if}}", 32)), root);
	ck_assert_str_eq(ok, "x\n");
	ck_assert_ptr_null(render(TMPL_HCL, concat3(repeat("{{#if b}}", 60000), "x",
						    repeat("{{/if}}", 60000)), root));
	ck_assert_uint_eq(D.nerrors, 1);
	ck_assert_str_eq(D.items[0].msg,
			 "blocks nested too deeply (the limit is 32 levels)");
	ck_assert_uint_eq(D.items[0].loc.start, 32 * 9); /* the 33rd tag */
	ck_assert_uint_eq(D.items[0].loc.end, 33 * 9);
	const char *first = "templates/x/t.tmpl:1:289: error: blocks nested too "
			    "deeply (the limit is 32 levels)\n";
	ck_assert_int_eq(strncmp(diag_text(), first, strlen(first)), 0);
	diag_list_init(&D, A, NULL, 0);
	/* {{#for}} too, and a closed block frees its level */
	ok = render(TMPL_HCL, concat3(repeat("{{#for x in l}}{{/for}}", 100), "",
				      concat3(repeat("{{#for x in l}}", 32), "y",
					      repeat("{{/for}}", 32))), root);
	ck_assert_ptr_null(ok); /* l is unknown: the template parsed */
	ck_assert_str_eq(D.items[0].msg, "unknown variable 'l'");
}
END_TEST

/* Loops nested over the same list grow as a power of its length: the
 * budget (1 MiB + 4 KiB per value) ends them, at the outermost loop. */
START_TEST(render_budget_stops_runaway_loops)
{
	struct tval *root = obj();
	struct tval *l = tv_set(A, root, "l", tv_list(A));
	for (int i = 0; i < 4; i++)
		tv_push(A, l, tv_int(A, i));
	/* 1 root + 1 list + 4 items: 6 values */
	char *t = concat3(repeat("{{#for a in l}}\n", 20), "x\n",
			  repeat("{{/for}}\n", 20));
	expect_error(t, root,
		     "templates/x/t.tmpl:1:1: error: rendering stopped: past the "
		     "budget of 1073152 bytes and steps (1 MiB plus 4 KiB per "
		     "value of the topology); does a '{{#for}}' repeat what it "
		     "should write once?\n"
		     "    1 | {{#for a in l}}\n"
		     "      | ^~~~~~~~~~~~~~~\n");
	/* a loop that writes each value a bounded number of times never
	 * comes near it: 100,000 items of 100 bytes */
	diag_list_init(&D, A, NULL, 0);
	for (int i = 4; i < 100000; i++)
		tv_push(A, l, tv_int(A, i));
	const char *out = render(TMPL_BICEP,
				 concat3("{{#for a in l}}", repeat("x", 99), "\n{{/for}}"),
				 root);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), 100000 * 100);
}
END_TEST

/* Layout can make more than it is given: each of n lines that open a
 * bracket is indented one level more (n^2 bytes from 2n). Past the budget
 * it is an error, and nothing is written; the layout works in time linear in
 * its input and what it writes. */
START_TEST(layout_budget_stops_deep_nesting)
{
	static const struct {
		enum tmpl_target t;
		const char *line;
	} cases[] = { { TMPL_HCL, "a {\n" }, { TMPL_BICEP, "[\n" }, { TMPL_JSON, "[\n" } };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		diag_list_init(&D, A, NULL, 0);
		ck_assert_ptr_null(render(cases[i].t, repeat(cases[i].line, 5000), obj()));
		ck_assert_str_eq(diag_text(),
				 "templates/x/t.tmpl: error: its output, laid out, "
				 "passes the budget of 1052672 bytes (1 MiB plus 4 KiB "
				 "per value of the topology): brackets nested too "
				 "deeply, or lines too long to align?\n");
		ck_assert_uint_eq(OUT.len, 0);
	}
	/* 700 levels fit: 0.5 MB, each '[' on a line of its own */
	const char *out = render(TMPL_JSON, repeat("[", 700), obj());
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), 700 + 700 + 2 * (700 * 701 / 2) + 1);
}
END_TEST

/* Once quadratic (each blank line of a run looked at the rest of the run)
 * and recursive (each "${" inside a string a level of C stack). */
START_TEST(layout_is_linear_and_flat)
{
	const char *out = render(TMPL_HCL, concat3("a = 1\n", repeat("\n", 300000),
						   "b = 2\n"), obj());
	ck_assert_str_eq(out, "a = 1\n\nb = 2\n");
	char *s = concat3("x = \"", repeat("${\"", 300000), "\"\ny = 1\n");
	out = render(TMPL_HCL, s, obj());
	ck_assert_ptr_nonnull(out);
	/* the string never closes, so the next line is in it: not aligned */
	ck_assert_uint_eq(strlen(out), strlen(s));
	out = render(TMPL_BICEP, concat3("x = '", repeat("${'", 300000), "'\n"), obj());
	ck_assert_ptr_nonnull(out);
}
END_TEST

/* Item i of a lazy list: an object {n = i, sq = [i, i * i]}, built in a;
 * made counts the calls. */
static size_t made;

static struct tval *square(void *ctx, struct arena *a, size_t i)
{
	struct tval *o = tv_object(a), *l = tv_list(a);

	made++;
	tv_push(a, l, tv_int(a, (long long)i));
	tv_push(a, l, tv_int(a, (long long)(i * i)));
	tv_set(a, o, "n", tv_int(a, (long long)i));
	tv_set(a, o, "sq", l);
	return o;
}

/* A lazy list renders as the same list built whole would: looped over
 * (twice), with @last, written as a value, and an item made per visit. */
START_TEST(lazy_lists_render_like_lists)
{
	const char *t = "{{#for x in l}}{{x.n}}={{x.sq}}{{#if !@last}},{{/if}}{{/for}}\n"
			"{{#for x in l}}{{x.n}}{{/for}}{{#if none}}no{{/if}}\n"
			"all = {{l}}\n";
	struct tval *eager = obj(), *lazy = obj();
	struct tval *l = tv_set(A, eager, "l", tv_list(A));
	for (size_t i = 0; i < 3; i++)
		tv_push(A, l, square(NULL, A, i));
	tv_set(A, eager, "none", tv_list(A));
	tv_set(A, lazy, "l", tv_lazy_list(A, 3, square, NULL));
	tv_set(A, lazy, "none", tv_lazy_list(A, 0, square, NULL));
	for (enum tmpl_target tt = TMPL_HCL; tt <= TMPL_ARM; tt++) {
		char *want = arena_strdup(A, render(tt, t, eager));
		made = 0;
		ck_assert_str_eq(render(tt, t, lazy), want);
		ck_assert_uint_eq(made, 9);
	}
	ck_assert_str_eq(render(TMPL_HCL, t, lazy),
			 "0 = [0, 0],1=[1, 1],2=[2, 4]\n012\n"
			 "all = [{\n  n  = 0\n  sq = [0, 0]\n  }, {\n  n  = 1\n"
			 "  sq = [1, 1]\n  }, {\n  n  = 2\n  sq = [2, 4]\n}]\n");
}
END_TEST

/* Its items count toward the budget when first made, once: a loop nested
 * in a loop over the same lazy list stops as it would over a plain one. */
START_TEST(lazy_lists_count_toward_the_budget)
{
	struct tval *root = obj();
	tv_set(A, root, "l", tv_lazy_list(A, 100000, square, NULL));
	const char *out = render(TMPL_BICEP,
				 concat3("{{#for a in l}}", repeat("x", 99), "\n{{/for}}"),
				 root);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), 100000 * 100);
	diag_list_init(&D, A, NULL, 0);
	tv_set(A, root, "l", tv_lazy_list(A, 4, square, NULL));
	char *t = concat3(repeat("{{#for a in l}}\n", 20), "x\n",
			  repeat("{{/for}}\n", 20));
	ck_assert_ptr_null(render(TMPL_HCL, t, root));
	ck_assert_ptr_nonnull(strstr(diag_text(), "error: rendering stopped: past the budget"));
}
END_TEST

/* Each render of a tree counts its lazy items afresh: rendered again (as
 * main.tf is with moved blocks), a list far past the base budget still
 * has the budget of all its items. */
START_TEST(a_second_render_counts_lazy_items_again)
{
	struct tval *root = obj();
	tv_set(A, root, "l", tv_lazy_list(A, 100000, square, NULL));
	const char *t = concat3("{{#for a in l}}", repeat("x", 99), "\n{{/for}}");
	for (int pass = 0; pass < 2; pass++) {
		const char *out = render(TMPL_BICEP, t, root);
		ck_assert_msg(out, "render %d: %s", pass + 1, diag_text());
		ck_assert_uint_eq(strlen(out), 100000 * 100);
	}
}
END_TEST

/* The layout of text given in pieces of `piece` bytes, as a render that
 * writes straight into a file gives it: what a piece leaves unused is
 * given again with the next. */
static char *layout_in_pieces(enum tmpl_target t, const char *in, size_t len,
			      size_t piece)
{
	struct layout_stream s;
	struct strbuf buf, out;
	size_t used;

	sb_init(&buf);
	sb_init(&out);
	layout_start(&s, t, SIZE_MAX / 2);
	for (size_t i = 0; i < len; i += piece) {
		sb_putn(&buf, in + i, len - i < piece ? len - i : piece);
		ck_assert(layout_feed(&s, buf.buf, buf.len, false, &used, &out));
		ck_assert_uint_le(used, buf.len);
		memmove(buf.buf, buf.buf + used, buf.len - used);
		buf.len -= used;
	}
	ck_assert(layout_feed(&s, buf.buf ? buf.buf : "", buf.len, true, &used, &out));
	layout_end(&s);
	char *r = arena_strdup(A, out.buf ? out.buf : "");
	sb_free(&buf);
	sb_free(&out);
	return r;
}

static void same_in_pieces(enum tmpl_target t, const char *in, size_t len)
{
	struct strbuf whole;

	sb_init(&whole);
	ck_assert(layout(t, in, len, &whole, SIZE_MAX / 2));
	for (size_t piece = 1; piece <= 24; piece++)
		ck_assert_str_eq(layout_in_pieces(t, in, len, piece),
				 whole.buf ? whole.buf : "");
	ck_assert_str_eq(layout_in_pieces(t, in, len, 4096), whole.buf ? whole.buf : "");
	sb_free(&whole);
}

/* Cut anywhere (in a string, a token, a run of aligned lines, of blank
 * lines, of trailing comments), the streamed layout writes the same. */
START_TEST(layout_in_pieces_is_the_same)
{
	static const struct {
		enum tmpl_target t;
		const char *text;
	} cases[] = {
		{ TMPL_HCL, "\n\nresource \"x\" \"y\" {\n\n\tname = \"a\"   # why\n"
			    "      resource_group_name=\"b\" # because\n\n\n"
			    "  tags = {\n    a = \"==\"\n    bb = 1 == 2\n  }\n"
			    "  list = [\n\"x\",\n  ]\n  s = \"{ ${a.b[\"}\"]} [\"\n"
			    "\n}   \n\n# a comment\nx = 1 # c\nyy = 22 # d\n"
			    "\xc3\xa9 = 3\n\n\n" },
		{ TMPL_HCL, "a = 1" },
		{ TMPL_BICEP, "resource x 'y@1' = {\nname: 'a{'\n\n\n    properties: {\n"
			      "  s: '${a}'\n}\n}\n\n" },
		{ TMPL_JSON, "{ \"a\": [ ], \"b\": { }, \"c\": [ 1 2 true \"x\\\"y\" ],"
			     "\n\"d\": { \"e\": null } }" },
		{ TMPL_ARM, "[ 12345 \"[[x]\" ]" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		same_in_pieces(cases[i].t, cases[i].text, strlen(cases[i].text));
}
END_TEST

/* The file's text, or NULL when it is not one of kinds' outputs. */
static const char *golden_text(const char *path, const char *ext)
{
	size_t n = strlen(path), x = strlen(ext);
	struct strbuf text;
	char buf[4096];

	if (n <= x || strcmp(path + n - x, ext) != 0)
		return NULL;
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	sb_init(&text);
	for (size_t got; (got = fread(buf, 1, sizeof(buf), f)) > 0;)
		sb_putn(&text, buf, got);
	fclose(f);
	const char *r = arena_strdup(A, text.buf ? text.buf : "");
	sb_free(&text);
	return r;
}

/* And every golden output, which is its own layout. */
START_TEST(goldens_in_pieces_are_the_same)
{
	static const struct {
		const char *ext;
		enum tmpl_target t;
	} kinds[] = { { ".tf", TMPL_HCL }, { ".bicep", TMPL_BICEP }, { ".json", TMPL_ARM } };
	const char *top = getenv("top_srcdir");
	char *golden = arena_printf(A, "%s/tests/golden", top ? top : "..");
	DIR *g = opendir(golden);
	int files = 0;

	ck_assert_msg(g != NULL, "cannot open %s", golden);
	for (struct dirent *sub; (sub = readdir(g)) != NULL;) {
		char *dir = arena_printf(A, "%s/%s", golden, sub->d_name);
		DIR *d = sub->d_name[0] == '.' ? NULL : opendir(dir);
		for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
			for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
				const char *text = golden_text(arena_printf(A, "%s/%s", dir,
					e->d_name), kinds[k].ext);
				if (!text)
					continue;
				ck_assert_str_eq(layout_in_pieces(kinds[k].t, text,
								  strlen(text), 7), text);
				ck_assert_str_eq(layout_in_pieces(kinds[k].t, text,
								  strlen(text), 100), text);
				files++;
			}
		}
		if (d)
			closedir(d);
	}
	closedir(g);
	ck_assert_int_gt(files, 30);
}
END_TEST

/* ------------------------------------------------------------- loading */

START_TEST(template_dir_overrides)
{
	char dir[] = "/tmp/peerc-tmpl-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *sub = arena_printf(A, "%s/terraform", dir);
	char *file = arena_printf(A, "%s/main.tf.tmpl", sub);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	FILE *f = fopen(file, "w");
	fputs("# mine {{x}}\n", f);
	fclose(f);

	struct tval *root = obj();
	tv_set(A, root, "x", tv_int(A, 7));
	struct tmpl *tm = tmpl_load(A, &D, dir, "terraform", "main.tf.tmpl", TMPL_HCL);
	ck_assert_ptr_nonnull(tm);
	ck_assert(tmpl_render(tm, root, &D, &OUT));
	ck_assert_str_eq(OUT.buf, "# mine 7\n");

	ck_assert_ptr_null(tmpl_load(A, &D, dir, "bicep", "main.bicep.tmpl", TMPL_BICEP));
	ck_assert_uint_eq(D.nerrors, 1);
	char *want = arena_printf(A, "peerc: error: cannot read template "
				  "%s/bicep/main.bicep.tmpl: No such file or directory\n",
				  dir);
	ck_assert_str_eq(diag_text(), want);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

START_TEST(render_is_deterministic)
{
	const char *t = "{{#for v in vnets}}{{v.label}} = {{v.subnets}}\n{{/for}}";
	struct tval *root = vnets();
	char *first = arena_strdup(A, render(TMPL_HCL, t, root));
	ck_assert_str_eq(render(TMPL_HCL, t, root), first);
}
END_TEST

static Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hcl_escaping);
	tcase_add_test(tc, bicep_escaping);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, arm_escaping);
	tcase_add_test(tc, scalars_and_raw);
	tcase_add_test(tc, lists_per_target);
	tcase_add_test(tc, objects_per_target);
	tcase_add_test(tc, loops_with_index_first_last);
	tcase_add_test(tc, loop_variable_shadows_root);
	tcase_add_test(tc, conditionals_and_truthiness);
	tcase_add_test(tc, standalone_tags_leave_no_lines);
	tcase_add_test(tc, consecutive_standalone_tags);
	tcase_add_test(tc, trim_markers);
	tcase_add_test(tc, hcl_layout_is_terraform_fmt);
	tcase_add_test(tc, hcl_alignment_counts_graphemes);
	tcase_add_test(tc, bicep_layout_indents);
	tcase_add_test(tc, json_commas_come_from_the_engine);
	tcase_add_test(tc, unknown_variable_is_located);
	tcase_add_test(tc, unknown_key_suggests);
	tcase_add_test(tc, not_an_object);
	tcase_add_test(tc, loop_over_non_list);
	tcase_add_test(tc, loop_meta_outside_loop);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, mismatched_close_notes_the_opener);
	tcase_add_test(tc, nesting_is_limited);
	tcase_add_test(tc, render_budget_stops_runaway_loops);
	tcase_add_test(tc, layout_budget_stops_deep_nesting);
	tcase_add_test(tc, layout_is_linear_and_flat);
	tcase_add_test(tc, lazy_lists_render_like_lists);
	tcase_add_test(tc, lazy_lists_count_toward_the_budget);
	tcase_add_test(tc, a_second_render_counts_lazy_items_again);
	tcase_add_test(tc, layout_in_pieces_is_the_same);
	tcase_add_test(tc, goldens_in_pieces_are_the_same);
	tcase_add_test(tc, template_dir_overrides);
	tcase_add_test(tc, render_is_deterministic);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(template_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
