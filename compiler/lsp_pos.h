/* Positions as LSP counts them: zero-based lines, ended by "\n", "\r\n" or
 * "\r", and a character offset in UTF-16 code units (the default every
 * client supports) or UTF-8 bytes (when the client offers it). peerc's
 * locations are byte offsets; this maps between the two. */
#ifndef PEERC_LSP_POS_H
#define PEERC_LSP_POS_H

#include "common.h"

#include <jansson.h>

#include "srcpos.h"

enum lsp_encoding { LSP_UTF16, LSP_UTF8 };

/* A document's text and where each of its lines starts (heap). */
struct lsp_lines {
	const char *text;
	size_t len;
	uint32_t *start;
	size_t n;
};

struct lsp_position {
	uint32_t line, character;
};

void lsp_lines_init(struct lsp_lines *l, const char *text, size_t len);
void lsp_lines_free(struct lsp_lines *l);

struct lsp_position lsp_position_of(const struct lsp_lines *l, uint32_t off,
				    enum lsp_encoding enc);
/* The byte offset of a position; a character past the end of its line
 * means the line's end, a line past the last the end of the text. */
uint32_t lsp_offset_of(const struct lsp_lines *l, struct lsp_position p,
		       enum lsp_encoding enc);

/* {"line":L,"character":C} and {"start":...,"end":...}. LOC_NONE is the
 * first character. */
json_t *lsp_position_json(const struct lsp_lines *l, uint32_t off,
			  enum lsp_encoding enc);
json_t *lsp_range_json(const struct lsp_lines *l, struct loc loc,
		       enum lsp_encoding enc);
/* Reads a Position object; false when it is not one. */
bool lsp_position_parse(json_t *j, struct lsp_position *p);
/* Reads a Range object into byte offsets. */
bool lsp_range_parse(const struct lsp_lines *l, json_t *j,
		     enum lsp_encoding enc, struct loc *out);

#endif
