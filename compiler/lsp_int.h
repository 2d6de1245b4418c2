/* What the modules of the language server share: the server's state, the
 * open documents and the method handlers. Not for the rest of peerc. */
#ifndef PEERC_LSP_INT_H
#define PEERC_LSP_INT_H

#include "common.h"

#include <jansson.h>

#include "lsp.h"
#include "lsp_pos.h"
#include "peerc.h"
#include "util.h"

/* One open document: the client's text and the last compile of it. */
struct lsp_doc {
	char *uri;
	json_int_t version;
	struct strbuf text;
	struct lsp_lines lines;      /* of text */
	struct peerc_result *result; /* of text when !dirty */
	/* The latest compile that resolved (result itself, or an older one):
	 * hover still knows the VNets while the file has an error. */
	struct peerc_result *good;
	bool dirty;                  /* changed since it was compiled */
	struct lsp_doc *next;
};

struct lsp_server {
	int out_fd;
	struct lsp_config cfg;
	enum lsp_encoding enc;
	bool initialized, shutdown, exited, broken;
	bool snippets;     /* the client takes completion snippets */
	bool hierarchical; /* the client takes DocumentSymbol trees */
	struct peerc_options opts;
	struct lsp_doc *docs;
};

/* A failed request: a JSON-RPC error code and message. */
struct lsp_error {
	int code;
	const char *message;
};

/* A request handler returns its result (JSON null is a fine result) or
 * NULL after filling err. A notification handler's result is dropped. */
typedef json_t *lsp_method_fn(struct lsp_server *s, json_t *params,
			      struct lsp_error *err);

/* ------------------------------------------------ documents (lsp.c) */

/* The document params.textDocument.uri names, compiled and up to date;
 * NULL after filling err when there is none. */
struct lsp_doc *lsp_doc_param(struct lsp_server *s, json_t *params,
			      struct lsp_error *err);
/* The byte offset of params.position in doc; false after filling err. */
bool lsp_offset_param(struct lsp_server *s, struct lsp_doc *doc,
		      json_t *params, uint32_t *off, struct lsp_error *err);
json_t *lsp_range(const struct lsp_server *s, const struct lsp_doc *doc,
		  struct loc loc);
json_t *lsp_location(const struct lsp_server *s, const struct lsp_doc *doc,
		     struct loc loc);
/* Fills err with an invalid-params error and returns NULL. */
json_t *lsp_bad_params(struct lsp_error *err, const char *why);

/* ------------------------------------------------ the handlers */

lsp_method_fn lsp_hover;            /* lsp_hover.c */
lsp_method_fn lsp_definition;       /* lsp_nav.c */
lsp_method_fn lsp_references;
lsp_method_fn lsp_highlight;
lsp_method_fn lsp_prepare_rename;
lsp_method_fn lsp_rename;
lsp_method_fn lsp_symbols;
lsp_method_fn lsp_completion;       /* lsp_complete.c */
lsp_method_fn lsp_formatting;       /* lsp_edit.c */
lsp_method_fn lsp_range_formatting;
lsp_method_fn lsp_code_action;

/* ------------------------------------------------ diagnostics (lsp_diag.c) */

struct diag;
/* One Diagnostic object. */
json_t *lsp_diagnostic(const struct lsp_server *s, const struct lsp_doc *doc,
		       const struct diag *d);
/* The publishDiagnostics params for doc's last compile. */
json_t *lsp_diagnostics(const struct lsp_server *s, const struct lsp_doc *doc);
/* A JSON string of text, any invalid UTF-8 in it replaced by U+FFFD. */
json_t *lsp_string(const char *text);

#endif
