/* Writing .peer text: what peerc writes in its own language (peerc
 * import). A document is built as statements with nested attributes and
 * comments, printed one attribute a line with a blank line between groups
 * of statements, and laid out by the formatter (fmt.h: the `=` aligned,
 * long lists wrapped), so that the file is what `peerc fmt` would make
 * of it. */
#ifndef PEERC_PEERTEXT_H
#define PEERC_PEERTEXT_H

#include "common.h"

struct arena;
struct strbuf;

struct pt_attr {
	const char *name;  /* ready to print: identifier, A.name or "quoted" */
	const char *value; /* ready to print; NULL: a flag, or a block */
	struct pt_attr *block, **block_tail; /* a nested block's entries */
	bool is_block;
	struct pt_attr *next;
};

struct pt_stmt {
	const char *comment;  /* lines printed as "# ..." before it, or NULL */
	const char *head;     /* "vnet hub 10.0.0.0/16 in westeurope" */
	struct pt_attr *attrs, **attrs_tail; /* NULL: no block */
	bool blank_before;    /* a blank line before it (and its comment) */
	struct pt_stmt *next;
};

struct pt_doc {
	struct arena *a;
	const char *header;   /* comment lines at the top, or NULL */
	struct pt_stmt *first, **tail;
};

void pt_init(struct pt_doc *d, struct arena *a);
/* A new statement at the end of the document. */
struct pt_stmt *pt_stmt(struct pt_doc *d, bool blank_before, const char *head);
/* Appends a line (may hold '\n' for several) to the statement's comment. */
void pt_comment(struct pt_doc *d, struct pt_stmt *st, const char *line);
/* `name = value` (value NULL: a flag) in the statement's block. */
struct pt_attr *pt_set(struct pt_doc *d, struct pt_stmt *st, const char *name,
		       const char *value);
/* `name { ... }`: a nested block in the statement; entries with pt_entry. */
struct pt_attr *pt_block(struct pt_doc *d, struct pt_stmt *st, const char *name);
void pt_entry(struct pt_doc *d, struct pt_attr *block, const char *name,
	      const char *value);

/* Appends the document, formatted, to out. */
void pt_print(const struct pt_doc *d, struct strbuf *out);

/* s as a string literal of the language: quotes, \" \\ \n \t, and \uXXXX
 * for other control characters. */
const char *pt_quote(struct arena *a, const char *s);
/* Whether s can be written bare: an identifier that is not a keyword. */
bool pt_is_name(const char *s);

#endif
