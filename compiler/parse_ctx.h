/* What the generated scanner and parser share with parse.c: the state of one
 * parse, and the helpers their actions call. Not for other modules. */
#ifndef PEERC_PARSE_CTX_H
#define PEERC_PARSE_CTX_H

#include "common.h"
#include "ast.h"
#include "srcpos.h"

struct arena;
struct diag_list;

/* The language nests two levels (vnet { tags { } }); the cap keeps hostile
 * input from growing the parser stack or the JSON writer's recursion. */
#define PARSE_MAX_DEPTH 32

/* Token classes, for syntax error messages (parser.y maps its symbols). */
enum tok_class {
	TC_EOF,
	TC_IDENT,
	TC_STRING,
	TC_INT,
	TC_ADDR,
	TC_PREFIX,
	TC_STMT_KW,  /* defaults vnet peer hub mesh site require deny */
	TC_IN,
	TC_VIA,
	TC_BOOL,     /* true false */
	TC_ARROW,
	TC_BIARROW,
	TC_LBRACE,
	TC_RBRACE,
	TC_EQ,
	TC_COMMA,
	TC_DOT,
	TC_OTHER,
};
#define TC_BIT(c) (1u << (c))

struct syntax_error {
	enum tok_class found;
	struct loc loc;      /* the unexpected token */
	unsigned expected;   /* TC_BIT()s of every token that would do */
};

struct parse_ctx {
	const struct source *src;
	struct arena *arena;   /* the nodes */
	struct arena *strings; /* what the model may keep: names, strings */
	/* Each name and string once: the estate repeats its attribute names,
	 * regions, groups and subscriptions in every VNet. Only while
	 * parsing (interned holds its table), so the map costs nothing after. */
	struct strmap *interned;
	struct strbuf *decoded; /* a string literal's text before interning */
	struct diag_list *diags;
	struct ast_file *file;
	struct stmt **tail;   /* where the next statement goes */
	uint32_t off;         /* the scanner's byte offset */
	unsigned depth;       /* open '{' seen by the scanner */
	struct loc open_brace[PARSE_MAX_DEPTH]; /* where each open block began */
	bool stop;            /* the error cap or a fatal error: end quietly */
};

/* Scanner set-up and tear-down (in lexer.l). */
void *scanner_open(struct parse_ctx *ctx, char **buf);
void scanner_close(void *scanner, char *buf);
/* The generated parser. */
int peer_yyparse(void *scanner);

/* Token values for the scanner's actions (in scan.c); each reports what is
 * wrong and still gives a value, so the parse goes on. */
bool scan_open_brace(struct parse_ctx *ctx, struct loc loc); /* false: too deep */
/* A comment goes to the file's side list, for the formatter. */
void scan_comment(struct parse_ctx *ctx, struct loc loc);
void scan_stray(struct parse_ctx *ctx, const char *text, size_t len, struct loc loc);
/* The one copy of the NUL-terminated name (the token's text). */
const char *scan_name(struct parse_ctx *ctx, const char *text);
const char *scan_string(struct parse_ctx *ctx, const char *text, size_t len,
			struct loc loc);
int64_t scan_int(struct parse_ctx *ctx, const char *text, size_t len, struct loc loc);
void scan_addr(struct parse_ctx *ctx, const char *text, size_t len,
	       struct loc loc, struct ip_addr *out);
void scan_prefix(struct parse_ctx *ctx, const char *text, size_t len,
		 struct loc loc, struct ip_prefix *out);

/* Reports for the grammar's actions and error hook (in parse.c). */
void parse_syntax_error(struct parse_ctx *ctx, const struct syntax_error *e);
void parse_wrong_arrow(struct parse_ctx *ctx, struct loc arrow,
		       const char *want, const char *where);
void parse_check_adjacent(struct parse_ctx *ctx, const struct attr *prev,
			  const struct attr *cur);
/* After an error, whether a statement keyword at loc is a safe place to
 * report errors again: it begins a line. */
bool parse_at_line_start(const struct parse_ctx *ctx, struct loc loc);
/* A lexical error; sets stop when the cap is reached. */
void parse_lex_error(struct parse_ctx *ctx, struct loc loc, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
void parse_append_stmt(struct parse_ctx *ctx, struct stmt *s);

#endif
