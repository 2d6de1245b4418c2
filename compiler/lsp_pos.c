#include "common.h"

#include "lsp_pos.h"
#include "util.h"

void lsp_lines_init(struct lsp_lines *l, const char *text, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
	*l = (struct lsp_lines){ text, len, xmalloc(n * sizeof(uint32_t)), 0 };
	l->start[l->n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
			l->start[l->n++] = (uint32_t)(i + 1);
}

void lsp_lines_free(struct lsp_lines *l)
{
	free(l->start);
	l->start = NULL;
	l->n = 0;
}

/* Where line i's text ends: before its "\n", "\r\n" or "\r". */
static uint32_t line_end(const struct lsp_lines *l, size_t i)
{
	uint32_t end = i + 1 < l->n ? l->start[i + 1] : (uint32_t)l->len;

	if (i + 1 < l->n && end > l->start[i] && l->text[end - 1] == '\n')
		end--;
	if (i + 1 < l->n && end > l->start[i] && l->text[end - 1] == '\r')
		end--;
	return end;
}

/* The length of the UTF-8 sequence led by byte c (1 for a stray byte), and
 * its UTF-16 units. */
static unsigned seq_len(unsigned char c, unsigned *units)
{
	*units = c >= 0xF0 && c < 0xF8 ? 2 : 1;
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
}

struct lsp_position lsp_position_of(const struct lsp_lines *l, uint32_t off,
				    enum lsp_encoding enc)
{
	if (off > l->len)
		off = (uint32_t)l->len;
	size_t lo = 0, hi = l->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t ch = 0, i = l->start[lo];
	if (enc == LSP_UTF8)
		return (struct lsp_position){ (uint32_t)lo, off - i };
	while (i < off) {
		unsigned units;
		i += seq_len((unsigned char)l->text[i], &units);
		ch += units;
	}
	return (struct lsp_position){ (uint32_t)lo, ch };
}

uint32_t lsp_offset_of(const struct lsp_lines *l, struct lsp_position p,
		       enum lsp_encoding enc)
{
	if (p.line >= l->n)
		return (uint32_t)l->len;
	uint32_t i = l->start[p.line], end = line_end(l, p.line), ch = 0;
	if (enc == LSP_UTF8)
		return p.character < end - i ? i + p.character : end;
	while (i < end && ch < p.character) {
		unsigned units;
		unsigned n = seq_len((unsigned char)l->text[i], &units);
		if (ch + units > p.character)
			break; /* inside a surrogate pair: the character's start */
		i += n;
		ch += units;
	}
	return i < end ? i : end;
}

json_t *lsp_position_json(const struct lsp_lines *l, uint32_t off,
			  enum lsp_encoding enc)
{
	struct lsp_position p = lsp_position_of(l, off, enc);

	return json_pack("{s:I,s:I}", "line", (json_int_t)p.line, "character",
			 (json_int_t)p.character);
}

json_t *lsp_range_json(const struct lsp_lines *l, struct loc loc,
		       enum lsp_encoding enc)
{
	if (loc_is_none(loc))
		loc = (struct loc){ 0, 0 };
	return json_pack("{s:o,s:o}", "start", lsp_position_json(l, loc.start, enc),
			 "end", lsp_position_json(l, loc.end, enc));
}

bool lsp_position_parse(json_t *j, struct lsp_position *p)
{
	json_int_t line, ch;

	if (json_unpack(j, "{s:I,s:I}", "line", &line, "character", &ch) != 0 ||
	    line < 0 || ch < 0 || line > UINT32_MAX || ch > UINT32_MAX)
		return false;
	*p = (struct lsp_position){ (uint32_t)line, (uint32_t)ch };
	return true;
}

bool lsp_range_parse(const struct lsp_lines *l, json_t *j,
		     enum lsp_encoding enc, struct loc *out)
{
	struct lsp_position a, b;

	if (!json_is_object(j) || !lsp_position_parse(json_object_get(j, "start"), &a) ||
	    !lsp_position_parse(json_object_get(j, "end"), &b))
		return false;
	out->start = lsp_offset_of(l, a, enc);
	out->end = lsp_offset_of(l, b, enc);
	if (out->end < out->start)
		out->end = out->start;
	return true;
}
