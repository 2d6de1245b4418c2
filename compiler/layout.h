/* Layout passes: rendered template text in, the target's canonical layout
 * out. Templates then need not get indentation, alignment or commas right,
 * and a company's own templates come out as canonical as ours.
 *
 * HCL: `terraform fmt` (hclwrite) rules: indentation of 2 spaces per bracket
 * level counted hclwrite's way, `=` of consecutive one-line attributes
 * aligned, trailing comments aligned, no trailing white space. Bicep: 2
 * spaces per bracket level. Both: runs of blank lines become one, and no
 * blank line opens or closes a file or a block. JSON and ARM: 2-space
 * pretty printing with `"key": value`, `[]`/`{}` for empty ones, and commas
 * inserted between members (a template writes none). Every target ends
 * with exactly one newline. Spacing between tokens within a line is kept as
 * written, except around an aligned `=`. DOT: indentation of 2 spaces
 * per bracket level, as Bicep. Mermaid: 2 spaces per "subgraph" ... "end"
 * level. */
#ifndef PEERC_LAYOUT_H
#define PEERC_LAYOUT_H

#include "common.h"
#include "template.h"

struct strbuf;

/* Appends the laid-out text to out, in time linear in len plus what it
 * writes; false, with out as it was, when that would be more than max
 * bytes (indentation and alignment can make the output grow faster than
 * the input: each of n nested lines is indented more than the last). */
bool layout(enum tmpl_target t, const char *in, size_t len, struct strbuf *out,
	    size_t max);

/* The same in pieces, for text rendered straight into a file: each piece
 * is laid out as far as what follows cannot change it, and the output is
 * the same bytes as layout() of the whole text, wherever it was cut. */
struct layout_stream {
	enum tmpl_target target;
	size_t max, written;  /* the limit, and the bytes appended so far */
	int *stack;           /* HCL, Bicep: the brackets each level opened */
	size_t depth, cap;    /* levels open (JSON too); the stack's size */
	bool kept_any, kept_opens; /* a line written; the last one opens a block */
	int prev;             /* JSON: the kind of the token before */
	char last;            /* the last byte written */
	/* HCL, Bicep: the lines of a piece and their cells (layout.c's),
	 * kept from one piece to the next rather than allocated for each */
	void *lines, *cells;
	size_t lines_cap, cells_cap;
};

void layout_start(struct layout_stream *s, enum tmpl_target t, size_t max);
/* Lays out what of in[0, len) is final (with last: all of it, and the end
 * of the text) and appends it to out. *used is how much of in that was:
 * the rest must be given again, with what follows it. False when the
 * output would pass max bytes (out may then hold part of this piece). */
bool layout_feed(struct layout_stream *s, const char *in, size_t len, bool last,
		 size_t *used, struct strbuf *out);
void layout_end(struct layout_stream *s);

#endif
