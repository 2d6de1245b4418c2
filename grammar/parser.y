/* The peer grammar (language.md, "Statements"). Pure and reentrant: the only
 * parameter is the scanner, whose extra data is the parse_ctx. Nodes go to
 * an arena (the AST's), so error recovery cannot leak and no %destructor
 * is needed. The actions build nodes and call parse.c; messages are made
 * there. */
%code top {
#include "common.h"
}

%code requires {
#include "ast.h"
#include "srcpos.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* Left-recursive lists keep their tail so appending is O(1). */
struct ident_list { struct ident *head, *tail; };
struct value_list { struct value *head, *tail; };
struct attr_list { struct attr *head, *tail; struct loc loc; };
}

%code provides {
int peer_yylex(PEER_YYSTYPE *lvalp, PEER_YYLTYPE *llocp, yyscan_t scanner);
struct parse_ctx *peer_yyget_extra(yyscan_t scanner);
}

%code {
#include "diag.h"
#include "parse_ctx.h"
#include "util.h"

#define CTX (peer_yyget_extra(scanner))
#define ARENA (CTX->arena)

/* Byte ranges: a rule spans its first to its last symbol; an empty rule is
 * an empty range where the previous symbol ends. */
#define YYLLOC_DEFAULT(cur, rhs, n)                                     \
	do {                                                            \
		if (n) {                                                \
			(cur).start = YYRHSLOC(rhs, 1).start;           \
			(cur).end = YYRHSLOC(rhs, n).end;               \
		} else {                                                \
			(cur).start = (cur).end = YYRHSLOC(rhs, 0).end; \
		}                                                       \
	} while (0)

static void yyerror(YYLTYPE *loc, yyscan_t scanner, const char *msg);

/* After an error, messages resume at a statement keyword that begins a
 * line: earlier, a keyword may just be a name inside the broken text. */
#define RESYNC(loc)                                                     \
	do {                                                            \
		if (yyerrstatus && parse_at_line_start(CTX, loc))       \
			yyerrok;                                        \
	} while (0)

static struct ident_list ilist1(struct arena *a, const char *name, struct loc loc)
{
	struct ident *i = ast_ident(a, name, loc);
	return (struct ident_list){ i, i };
}

static struct ident_list ilist_add(struct ident_list l, struct ident *i)
{
	l.tail->next = i;
	l.tail = i;
	return l;
}

static struct value_list vlist_add(struct value_list l, struct value *v)
{
	if (!l.head)
		return (struct value_list){ v, v };
	l.tail->next = v;
	l.tail = v;
	return l;
}

static struct value *prefix_value(struct arena *a, struct ip_prefix p, struct loc loc)
{
	struct value *v = ast_value(a, VAL_PREFIX, loc);
	v->u.prefix = p;
	return v;
}

static struct stmt *finish(struct stmt *s, struct loc loc, struct attr_list *block)
{
	s->loc = loc;
	if (block) {
		s->has_block = true;
		s->block_loc = block->loc;
		s->attrs = block->head;
	}
	return s;
}
}

%define api.prefix {peer_yy}
%define api.pure full
%define api.location.type {struct loc}
%locations
%define parse.error custom
%define parse.lac full
%expect 0
%param {yyscan_t scanner}

%initial-action {
	@$ = (struct loc){ 0, 0 };
}

%union {
	const char *str;
	int64_t num;
	struct ip_addr addr;
	struct ip_prefix prefix;
	struct ident *ident;
	struct ident_list ilist;
	struct value *value;
	struct value_list vlist;
	struct attr *attr;
	struct attr_list alist;
	struct attr_list *block;
	struct stmt *stmt;
}

%token <str> IDENT "identifier"
%token <str> STRING "string"
%token <num> INT "integer"
%token <addr> ADDR "address"
%token <prefix> PREFIX "prefix"
%token <str> KW_DEFAULTS "defaults" KW_VNET "vnet" KW_PEER "peer" KW_HUB "hub"
%token <str> KW_MESH "mesh" KW_SITE "site" KW_REQUIRE "require" KW_DENY "deny"
%token <str> KW_IN "in" KW_VIA "via"
%token KW_TRUE "true" KW_FALSE "false"
%token ARROW "->" BIARROW "<->"

%nterm <str> name
%nterm <ident> ident
%nterm <ilist> ident_list
%nterm <vlist> prefix_list opt_prefixes value_list
%nterm <value> value
%nterm <ident> opt_region
%nterm <attr> attr attr_name
%nterm <alist> attrs
%nterm <block> block opt_block
%nterm <stmt> stmt defaults vnet peer hub mesh site require deny
%nterm <stmt> kw_defaults kw_vnet kw_peer kw_hub kw_mesh kw_site kw_require kw_deny

%%

file:
	  %empty
	| file stmt	{ parse_append_stmt(CTX, $2); yyerrok; }
	| file error
	;

stmt: defaults | vnet | peer | hub | mesh | site | require | deny ;

/* Each statement starts by making its node at the keyword, where error
 * reporting may resume. */
kw_defaults: KW_DEFAULTS { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_DEFAULTS, @1); } ;
kw_vnet: KW_VNET { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_VNET, @1); } ;
kw_peer: KW_PEER { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_PEER, @1); } ;
kw_hub: KW_HUB { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_HUB, @1); } ;
kw_mesh: KW_MESH { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_MESH, @1); } ;
kw_site: KW_SITE { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_SITE, @1); } ;
kw_require: KW_REQUIRE { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_REQUIRE, @1); } ;
kw_deny: KW_DENY { RESYNC(@1); $$ = ast_stmt(ARENA, STMT_DENY, @1); } ;

defaults:
	kw_defaults block	{ $$ = finish($1, @$, $2); }
	;

vnet:
	kw_vnet ident opt_prefixes opt_region opt_block {
		$$ = $1;
		$$->names = $2;
		$$->prefixes = $3.head;
		$$->region = $4;
		finish($$, @$, $5);
	}
	;

peer:
	kw_peer ident BIARROW ident opt_block {
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, $5);
	}
	| kw_peer ident ARROW ident opt_block {
		parse_wrong_arrow(CTX, @3, "<->", "between the two VNets of a peer");
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, $5);
	}
	;

hub:
	kw_hub ident ARROW ident_list opt_block {
		$$ = $1;
		$2->next = $4.head;
		$$->names = $2;
		finish($$, @$, $5);
	}
	| kw_hub ident BIARROW ident_list opt_block {
		parse_wrong_arrow(CTX, @3, "->", "between a hub and its spokes");
		$$ = $1;
		$2->next = $4.head;
		$$->names = $2;
		finish($$, @$, $5);
	}
	;

mesh:
	kw_mesh ident_list opt_block {
		$$ = $1;
		$$->names = $2.head;
		finish($$, @$, $3);
	}
	;

site:
	kw_site ident prefix_list KW_VIA ident opt_block {
		$$ = $1;
		$$->names = $2;
		$$->prefixes = $3.head;
		$$->via = $5;
		finish($$, @$, $6);
	}
	;

require:
	kw_require ident BIARROW ident {
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, NULL);
	}
	| kw_require ident ARROW ident {
		parse_wrong_arrow(CTX, @3, "<->", "between the two ends of a require");
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, NULL);
	}
	;

deny:
	kw_deny ident BIARROW ident {
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, NULL);
	}
	| kw_deny ident ARROW ident {
		parse_wrong_arrow(CTX, @3, "<->", "between the two ends of a deny");
		$$ = $1;
		$2->next = $4;
		$$->names = $2;
		finish($$, @$, NULL);
	}
	;

/* Keywords are names wherever a name is expected (`vnet hub ...`,
 * `hub hub -> ...`, `hub.forwarded`, `gateway = hub`): no place in the
 * grammar needs one to tell a name from a keyword. `true` and `false` are
 * the exception: they are values. */
name:
	  IDENT | KW_DEFAULTS | KW_VNET | KW_PEER | KW_HUB | KW_MESH | KW_SITE
	| KW_REQUIRE | KW_DENY | KW_IN | KW_VIA
	;

ident:
	name	{ $$ = ast_ident(ARENA, $1, @1); }
	;

ident_list:
	  name			{ $$ = ilist1(ARENA, $1, @1); }
	| ident_list ',' ident	{ $$ = ilist_add($1, $3); }
	;

prefix_list:
	  PREFIX		{ $$ = vlist_add((struct value_list){ 0 }, prefix_value(ARENA, $1, @1)); }
	| prefix_list ',' PREFIX	{ $$ = vlist_add($1, prefix_value(ARENA, $3, @3)); }
	;

opt_prefixes:
	  %empty	{ $$ = (struct value_list){ 0 }; }
	| prefix_list
	;

opt_region:
	  %empty	{ $$ = NULL; }
	| KW_IN ident	{ $$ = $2; }
	;

opt_block:
	  %empty	{ $$ = NULL; }
	| block
	;

block:
	'{' attrs '}'	{
		$$ = arena_alloc(ARENA, sizeof(*$$));
		*$$ = $2;
		$$->loc = @$;
	}
	;

attrs:
	  %empty	{ $$ = (struct attr_list){ 0 }; }
	| attrs attr	{
		parse_check_adjacent(CTX, $1.tail, $2);
		if ($1.tail)
			$1.tail->next = $2;
		else
			$1.head = $2;
		$1.tail = $2;
		$$ = $1;
		yyerrok;
	}
	| attrs error	{ $$ = $1; }
	;

attr:
	  attr_name		{ $$ = $1; $$->loc = @$; $$->is_flag = true; }
	| attr_name '=' value_list	{ $$ = $1; $$->loc = @$; $$->values = $3.head; }
	| attr_name block	{
		$$ = $1;
		$$->loc = @$;
		$$->has_block = true;
		$$->block_loc = $2->loc;
		$$->block = $2->head;
	}
	;

attr_name:
	  name	{
		$$ = ast_attr(ARENA);
		$$->name = $1;
		$$->name_loc = @1;
	}
	| name '.' name	{
		$$ = ast_attr(ARENA);
		$$->qual = $1;
		$$->qual_loc = @1;
		$$->name = $3;
		$$->name_loc = @3;
	}
	| STRING	{
		$$ = ast_attr(ARENA);
		$$->name = $1;
		$$->name_loc = @1;
		$$->name_is_string = true;
	}
	;

value_list:
	  value			{ $$ = vlist_add((struct value_list){ 0 }, $1); }
	| value_list ',' value	{ $$ = vlist_add($1, $3); }
	;

value:
	  STRING	{ $$ = ast_value(ARENA, VAL_STRING, @1); $$->u.str = $1; }
	| name		{ $$ = ast_value(ARENA, VAL_IDENT, @1); $$->u.str = $1; }
	| INT		{ $$ = ast_value(ARENA, VAL_INT, @1); $$->u.num = $1; }
	| ADDR		{ $$ = ast_value(ARENA, VAL_ADDR, @1); $$->u.addr = $1; }
	| PREFIX	{ $$ = ast_value(ARENA, VAL_PREFIX, @1); $$->u.prefix = $1; }
	| KW_TRUE	{ $$ = ast_value(ARENA, VAL_BOOL, @1); $$->u.boolean = true; }
	| KW_FALSE	{ $$ = ast_value(ARENA, VAL_BOOL, @1); $$->u.boolean = false; }
	;

%%

static enum tok_class tok_class(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_YYEOF: return TC_EOF;
	case YYSYMBOL_IDENT: return TC_IDENT;
	case YYSYMBOL_STRING: return TC_STRING;
	case YYSYMBOL_INT: return TC_INT;
	case YYSYMBOL_ADDR: return TC_ADDR;
	case YYSYMBOL_PREFIX: return TC_PREFIX;
	case YYSYMBOL_KW_DEFAULTS:
	case YYSYMBOL_KW_VNET:
	case YYSYMBOL_KW_PEER:
	case YYSYMBOL_KW_HUB:
	case YYSYMBOL_KW_MESH:
	case YYSYMBOL_KW_SITE:
	case YYSYMBOL_KW_REQUIRE:
	case YYSYMBOL_KW_DENY: return TC_STMT_KW;
	case YYSYMBOL_KW_IN: return TC_IN;
	case YYSYMBOL_KW_VIA: return TC_VIA;
	case YYSYMBOL_KW_TRUE:
	case YYSYMBOL_KW_FALSE: return TC_BOOL;
	case YYSYMBOL_ARROW: return TC_ARROW;
	case YYSYMBOL_BIARROW: return TC_BIARROW;
	default: break;
	}
	/* Character tokens have no symbol names: translate them. */
	static const struct { char c; enum tok_class tc; } chars[] = {
		{ '{', TC_LBRACE }, { '}', TC_RBRACE }, { '=', TC_EQ },
		{ ',', TC_COMMA }, { '.', TC_DOT },
	};
	for (size_t i = 0; i < ARRAY_SIZE(chars); i++)
		if (k == YYTRANSLATE((unsigned char)chars[i].c))
			return chars[i].tc;
	return TC_OTHER;
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner)
{
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
	struct syntax_error e = {
		.found = tok_class(yypcontext_token(yyctx)),
		.loc = *yypcontext_location(yyctx),
	};

	for (int i = 0; i < n; i++)
		e.expected |= TC_BIT(tok_class(exp[i]));
	parse_syntax_error(CTX, &e);
	return 0;
}

/* Syntax errors go through yyreport_syntax_error; bison calls this only for
 * its own failure, a stack past YYMAXDEPTH, which the nesting cap and the
 * left-recursive lists keep out of reach. */
static void yyerror(YYLTYPE *loc, yyscan_t scanner, const char *msg)
{
	parse_lex_error(CTX, *loc, "%s", msg);
}
