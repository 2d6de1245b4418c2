/* Source text and positions in it. A location is a byte range; lines and
 * columns are computed from the source's line map only when they are shown,
 * so the scanner has one number to keep right and an editor can map the same
 * range to its own units (UTF-16 for LSP). */
#ifndef PEERC_SRCPOS_H
#define PEERC_SRCPOS_H

#include "common.h"

struct arena;

/* Byte offsets into the source, [start, end). */
struct loc {
	uint32_t start, end;
};

/* A diagnostic about the whole input or the command line has no location. */
#define LOC_NONE ((struct loc){ UINT32_MAX, UINT32_MAX })
static inline bool loc_is_none(struct loc l)
{
	return l.start == UINT32_MAX;
}
static inline struct loc loc_span(struct loc a, struct loc b)
{
	return (struct loc){ a.start, b.end };
}

struct source {
	const char *name;   /* as shown in diagnostics: the path, or "<stdin>" */
	const char *text;   /* len bytes, followed by two NUL bytes (flex's need) */
	size_t len;
	uint32_t *line_start; /* offset of each line's first byte; a line ends
			       * at LF, CRLF or a lone CR */
	size_t nlines;
};

/* Copies text into the arena and builds the line map. Returns false when
 * the text is too large for 32-bit offsets (4 GiB). */
bool source_init(struct source *src, struct arena *a, const char *name,
		 const char *text, size_t len);
/* The same without the copy: text (len bytes, then two NUL bytes) must
 * outlive src. */
bool source_init_borrowed(struct source *src, struct arena *a, const char *name,
			  const char *text, size_t len);

/* 1-based line and byte column of an offset (offsets past the end clamp). */
void source_linecol(const struct source *src, uint32_t off, unsigned *line,
		    unsigned *col);

/* The text of a 1-based line without its line terminator. */
const char *source_line(const struct source *src, unsigned line, size_t *len);

#endif
