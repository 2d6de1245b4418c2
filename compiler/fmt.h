/* The canonical layout of a .peer file (`peerc fmt`, the language server's
 * formatting, and any tool that writes .peer text, such as an importer).
 * The style is documented in doc/fmt.md. Formatting only moves white space
 * and comments: the tokens, and so the meaning, are those of the input. */
#ifndef PEERC_FMT_H
#define PEERC_FMT_H

#include "common.h"

struct ast_file;
struct peerc_result;
struct source;
struct strbuf;

/* Lines longer than this are wrapped at the commas of their lists, and a
 * block written on one line stays on one line only when it fits. */
#define FMT_WIDTH 80

/* Formats len bytes of text named name (for messages). Never NULL; free it
 * with peerc_result_free. When the text has lexical or syntax errors they
 * are in the result's diagnostics and it has no output; else outputs[0] is
 * the formatted text (empty for a file of only white space). */
struct peerc_result *peerc_format(const char *name, const char *text,
				  size_t len);

/* Appends the canonical layout of f, parsed without errors from src, to out. */
void fmt_file(const struct ast_file *f, const struct source *src,
	      struct strbuf *out);

#endif
