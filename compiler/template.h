/* The template engine every back end writes through. A back end builds a
 * tree of values from the model (struct tval) and renders a template file
 * from templates/<target>/ with it. The engine knows the target's syntax:
 * interpolating a string writes a complete, escaped literal of the target,
 * so no template ever quotes or escapes by hand, and after rendering a
 * layout pass puts the text in the target's canonical form (terraform fmt
 * for HCL, 2-space indentation for Bicep, pretty JSON with the commas
 * inserted for JSON and ARM). The syntax is documented in
 * templates/README.md. */
#ifndef PEERC_TEMPLATE_H
#define PEERC_TEMPLATE_H

#include "common.h"
#include "srcpos.h"

struct arena;
struct diag_list;
struct strbuf;

enum tmpl_target {
	TMPL_HCL,   /* Terraform */
	TMPL_BICEP,
	TMPL_JSON,  /* plain JSON */
	TMPL_ARM,   /* JSON whose strings ARM evaluates: "[x]" is escaped "[[x]" */
	TMPL_DOT,   /* Graphviz: "..." with \" and \\, a line break as \n */
	TMPL_MERMAID, /* Mermaid flowchart: "..." with entity codes (#34;), a
		       * line break as <br/> */
};

/* ------------------------------------------------------------ the values */

enum tval_kind {
	TV_STRING, /* written as an escaped literal: "a\"b" (HCL), 'a\'b' (Bicep) */
	TV_RAW,    /* written verbatim: an identifier, a reference, an expression
		    * the back end built (with tmpl_quote for any string in it) */
	TV_BOOL,
	TV_INT,
	TV_LIST,
	TV_OBJECT, /* keys in insertion order */
};

struct arena;
struct tval;

/* Item i of a lazy list, built in a (the render empties it afterwards). */
typedef struct tval *tv_item_fn(void *ctx, struct arena *a, size_t i);

struct tv_lazy {
	tv_item_fn *make;
	void *ctx;
	size_t counted; /* items this render's budget has counted so far */
};

struct tval {
	enum tval_kind kind;
	union {
		const char *str; /* TV_STRING, TV_RAW */
		bool b;
		long long i;
		struct {
			struct tval **items;
			size_t n, cap;
			struct tv_lazy *lazy; /* tv_lazy_list's, or NULL */
		} list;
		struct {
			const char **keys;
			struct tval **vals;
			size_t n, cap;
		} obj;
	} u;
};

/* Every value lives in the arena; strings are not copied (they must outlive
 * the render, as the model's strings do). */
struct tval *tv_string(struct arena *a, const char *s);
struct tval *tv_raw(struct arena *a, const char *s);
struct tval *tv_bool(struct arena *a, bool b);
struct tval *tv_int(struct arena *a, long long i);
struct tval *tv_list(struct arena *a);
struct tval *tv_object(struct arena *a);
void tv_push(struct arena *a, struct tval *list, struct tval *v);
/* A list of n items that are made only when a render reaches them, one at
 * a time, each in an arena emptied after it: a back end gives its blocks
 * so, and a render holds one block's values at a time, not the output's.
 * make must give the same item for the same i every time (a template may
 * walk the list twice) and must not keep what it builds in a. Nothing
 * may be pushed to such a list. */
struct tval *tv_lazy_list(struct arena *a, size_t n, tv_item_fn *make, void *ctx);
/* Sets key (a later set of the same key replaces the value, keeping its
 * place). Returns v, so a back end can build nested objects inline. */
struct tval *tv_set(struct arena *a, struct tval *obj, const char *key,
		    struct tval *v);
/* The value of key in obj, or NULL. */
const struct tval *tv_get(const struct tval *obj, const char *key);

/* ---------------------------------------------------------- the templates */

struct tmpl;

/* {{#if}} and {{#for}} nest at most this deep (the shipped templates: 4),
 * as .peer blocks do; deeper is a located error, never a deep recursion. */
#define TMPL_MAX_DEPTH 32

/* What one render may cost: every tag and text rendered costs one, and
 * every byte written one more, before and again after the layout pass.
 * The budget grows with the values the back end gives the template: a
 * template that renders each value a bounded number of times stays far
 * below it (the shipped ones, over examples/: at most 114 bytes per value,
 * 36 times less), while a {{#for}} over a list nested in a loop over the
 * same list grows as a power of its length and ends in a located error
 * instead of a hang. A string or raw value counts its bytes too, the
 * escaping and re-indenting that may grow them included: a raw value can be
 * a whole template rendered before (an ARM nested deployment's). */
#define TMPL_BUDGET_BASE ((size_t)1 << 20)
#define TMPL_BUDGET_PER_VALUE ((size_t)4 << 10)

/* Parse a template. name is shown in diagnostics. Syntax errors are
 * reported to diags (with the template as the record's source) and give
 * NULL. text is copied into the arena. */
struct tmpl *tmpl_parse(struct arena *a, struct diag_list *diags,
			const char *name, const char *text, size_t len,
			enum tmpl_target target);

/* Load templates/<dir>/<file>: from template_dir/<dir>/<file> when
 * template_dir is not NULL (the --template-dir option), else from the copy
 * built into peerc. NULL after reporting an error. */
struct tmpl *tmpl_load(struct arena *a, struct diag_list *diags,
		       const char *template_dir, const char *dir,
		       const char *file, enum tmpl_target target);

/* Render with root (a TV_OBJECT) as the top-level scope and append the
 * result, in the target's canonical layout, to out. An unknown variable, a
 * value of the wrong kind or a render past its budget is reported at its
 * tag and gives false (out is then unchanged). */
bool tmpl_render(const struct tmpl *t, const struct tval *root,
		 struct diag_list *diags, struct strbuf *out);

/* Where tmpl_render_to writes: the laid-out text in pieces of about
 * TMPL_PIECE bytes. write returns false on an error (which the sink keeps
 * and reports itself); the render then stops. */
struct tmpl_sink {
	bool (*write)(void *ctx, const char *data, size_t len);
	void *ctx;
};

#define TMPL_PIECE ((size_t)64 << 10)

/* tmpl_render, written to sink as it is made: what it holds at a time is
 * bounded (a piece of raw text, a piece laid out, one lazy item's values),
 * not proportional to the output. On an error, what was written is part
 * of the output: the sink's owner throws it away. */
bool tmpl_render_to(const struct tmpl *t, const struct tval *root,
		    struct diag_list *diags, const struct tmpl_sink *sink);

/* Append s as a complete string literal of the target (quotes included), for
 * a back end that builds a TV_RAW expression containing a string. */
void tmpl_quote(enum tmpl_target target, const char *s, struct strbuf *out);

/* The built-in templates, generated at build time from templates/ (see
 * tools/embed-templates). path is "<target>/<file>". */
struct embedded_template {
	const char *path;
	const unsigned char *data;
	size_t len;
};
extern const struct embedded_template embedded_templates[];
extern const size_t embedded_templates_count;

#endif
