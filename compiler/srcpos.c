#include "common.h"

#include "srcpos.h"
#include "util.h"

/* Whether text[i] ends a line: LF, or a CR not followed by LF (the CR of
 * CRLF is the line's last byte, not its end). */
static bool line_end(const char *text, size_t len, size_t i)
{
	return text[i] == '\n' ||
	       (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

/* Where each line starts. Most files have no CR: their lines are found
 * with memchr, a word at a time. */
static void line_map(struct source *src, struct arena *a)
{
	const char *text = src->text, *end = text + src->len, *p;
	bool cr = memchr(text, '\r', src->len) != NULL;
	size_t n = 1;

	if (cr) {
		for (size_t i = 0; i < src->len; i++)
			n += line_end(text, src->len, i);
	} else {
		for (p = text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			n++;
	}
	src->line_start = arena_alloc(a, n * sizeof(*src->line_start));
	src->nlines = 0;
	src->line_start[src->nlines++] = 0;
	if (cr) {
		for (size_t i = 0; i < src->len; i++)
			if (line_end(text, src->len, i))
				src->line_start[src->nlines++] = (uint32_t)(i + 1);
		return;
	}
	for (p = text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		src->line_start[src->nlines++] = (uint32_t)(p - text + 1);
}

bool source_init_borrowed(struct source *src, struct arena *a, const char *name,
			  const char *text, size_t len)
{
	if (len >= UINT32_MAX - 2)
		return false;
	src->name = arena_strdup(a, name);
	src->text = text;
	src->len = len;
	line_map(src, a);
	return true;
}

bool source_init(struct source *src, struct arena *a, const char *name,
		 const char *text, size_t len)
{
	if (len >= UINT32_MAX - 2)
		return false;
	char *copy = arena_alloc(a, len + 2);
	memcpy(copy, text, len);
	return source_init_borrowed(src, a, name, copy, len);
}

void source_linecol(const struct source *src, uint32_t off, unsigned *line,
		    unsigned *col)
{
	if (off > src->len)
		off = (uint32_t)src->len;
	size_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) { /* last line_start <= off */
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = off - src->line_start[lo] + 1;
}

const char *source_line(const struct source *src, unsigned line, size_t *len)
{
	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	size_t start = src->line_start[line - 1];
	size_t end = line < src->nlines ? src->line_start[line] : src->len;
	if (end > start && src->text[end - 1] == '\n')
		end--;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}
