/* The parsed file, as written: nothing resolved, nothing defaulted. Every node
 * carries its source range. All nodes live in the run's arena. */
#ifndef PEERC_AST_H
#define PEERC_AST_H

#include "common.h"
#include "addr.h"
#include "srcpos.h"

struct strbuf;
struct source;

enum value_kind {
	VAL_STRING, /* "..." with escapes decoded (may hold any UTF-8, no NUL) */
	VAL_IDENT,  /* a bare identifier: westeurope, nva, vpn, none */
	VAL_INT,
	VAL_ADDR,
	VAL_PREFIX,
	VAL_BOOL,   /* true / false */
};

struct value {
	enum value_kind kind;
	struct loc loc;
	union {
		const char *str; /* VAL_STRING, VAL_IDENT */
		int64_t num;     /* VAL_INT */
		struct ip_addr addr;
		struct ip_prefix prefix;
		bool boolean;
	} u;
	struct value *next; /* the next value of a comma list */
};

/* NAME ("=" value-list)?  or  NAME block. */
struct attr {
	struct loc loc;        /* the whole attribute */
	const char *qual;      /* "hub" in hub.forwarded; NULL when unqualified */
	struct loc qual_loc;
	const char *name;      /* "forwarded"; a tag key may be any string */
	struct loc name_loc;
	bool name_is_string;   /* the name was written "..." (tags keys only) */
	bool is_flag;          /* a bare NAME: means NAME = true */
	struct value *values;  /* NULL for a flag or a nested block */
	bool has_block;
	struct loc block_loc;  /* '{' to '}' of the nested block */
	struct attr *block;    /* the nested block's attributes, in order */
	struct attr *next;
};

struct ident {
	const char *name;
	struct loc loc;
	struct ident *next; /* the next name of a comma list */
};

enum stmt_kind {
	STMT_DEFAULTS,
	STMT_VNET,
	STMT_PEER,
	STMT_HUB,
	STMT_MESH,
	STMT_SITE,
	STMT_REQUIRE,
	STMT_DENY,
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc;     /* keyword to the end of the statement */
	struct loc kw_loc;  /* the keyword */
	/* The names the statement is about, in source order:
	 *   vnet NAME, site NAME: one;  peer/require/deny A <-> B: two;
	 *   hub H -> S1, S2: H then the spokes;  mesh A, B, C: all;
	 *   defaults: none. */
	struct ident *names;
	struct value *prefixes; /* vnet and site: the prefix list, or NULL */
	struct ident *region;   /* vnet ... in REGION, or NULL */
	struct ident *via;      /* site ... via H */
	bool has_block;
	struct loc block_loc;   /* '{' to '}' of the block */
	struct attr *attrs;     /* the block's attributes, in order */
	struct stmt *next;
};

/* A comment: meaningless to the compiler, kept for the formatter. */
struct comment {
	struct loc loc;         /* the whole comment, its markers included */
};

struct ast_file {
	struct stmt *stmts;
	struct comment *comments; /* every comment, in source order */
	size_t ncomments, comments_cap;
};

/* Node constructors for the parser: zero-filled nodes in the arena. */
struct arena;
struct ident *ast_ident(struct arena *a, const char *name, struct loc loc);
struct value *ast_value(struct arena *a, enum value_kind k, struct loc loc);
struct attr *ast_attr(struct arena *a);
struct stmt *ast_stmt(struct arena *a, enum stmt_kind k, struct loc kw_loc);

/* "vnet", "peer", ...: the keyword. */
const char *stmt_kind_name(enum stmt_kind k);
/* "string", "identifier", "integer", "address", "prefix", "boolean". */
const char *value_kind_name(enum value_kind k);

/* The documented JSON form printed by `peerc -t ast` (see doc/ast-json.md):
 * stable key order, each node with "range": [[l,c],[l,c]] (1-based, end
 * exclusive). */
void ast_to_json(const struct ast_file *f, const struct source *src,
		 struct strbuf *out);

#endif
