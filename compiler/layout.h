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

#endif
