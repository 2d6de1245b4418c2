/* The front end: source text to AST. */
#ifndef PEERC_PARSE_H
#define PEERC_PARSE_H

#include "ast.h"

struct arena;
struct diag_list;
struct source;

/* Parses the whole source, reporting every lexical and syntax error (up to the
 * list's cap) to diags. Returns the AST of what could be parsed; never NULL.
 * The AST is only meaningful to later passes when no error was reported.
 * Its nodes are in a; the strings they hold (names, string literals) in
 * strings, which may be a too: a model keeps the strings, and a caller
 * that keeps no AST frees a once the checks have run. */
struct ast_file *parse_source(const struct source *src, struct arena *a,
			      struct arena *strings, struct diag_list *diags);

#endif
