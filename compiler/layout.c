#include "common.h"

#include "layout.h"
#include "util.h"

/* ----------------------------------------------------- HCL and Bicep lines */

struct line {
	size_t start;     /* of the line in the input */
	const char *text; /* without leading and trailing white space */
	size_t len;
	int net;          /* brackets opened minus closed, outside strings */
	size_t eq;        /* the aligned '=' (HCL), or SIZE_MAX */
	size_t comment;   /* a comment after code, or SIZE_MAX */
	size_t indent;    /* levels */
	bool opens;       /* ends opening a block: no blank line may follow */
	bool closes;      /* starts closing one: no blank line may come before */
};

struct lang {
	char quote;        /* '"' (HCL) or '\'' (Bicep) */
	bool hash_comment; /* '#' starts a comment (HCL) */
	bool align;        /* align '=' and trailing comments (HCL) */
	bool interpolation; /* "${" opens code inside a string (HCL, Bicep) */
	bool keyword_blocks; /* blocks are "subgraph ..." to "end" (Mermaid) */
};

/* Doubles a stack that starts in the caller's array small. */
static size_t *grow_stack(size_t *stack, size_t *small, size_t *cap)
{
	size_t *p = xmalloc(2 * *cap * sizeof(*p));

	memcpy(p, stack, *cap * sizeof(*p));
	if (stack != small)
		free(stack);
	*cap *= 2;
	return p;
}

/* The bytes skip_string stops at inside a string (either target's quote:
 * the other is then passed over); the rest of a string is skipped fast. */
static const bool string_special[256] = {
	['"'] = true, ['\''] = true, ['\\'] = true, ['$'] = true, ['%'] = true,
};

/* From the opening quote to just after the closing one. "${" opens an
 * interpolation, which may hold strings of its own, and so on: HCL also has
 * "%{" and writes a literal "${" as "$${". Nesting is followed with a stack
 * of the open interpolations' brace depths, not by recursion, so no text
 * can exhaust the C stack. */
static size_t skip_string(const struct lang *g, const char *s, size_t n, size_t i)
{
	size_t small[16], *depth = small, cap = ARRAY_SIZE(small), top = 0;
	bool in_string = true;

	for (i++; i < n; i++) {
		while (in_string && i < n && !string_special[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		char c = s[i];
		if (in_string && c == '\\') {
			i++;
		} else if (c == g->quote && in_string) {
			if (top == 0)
				break;
			in_string = false; /* back in the interpolation */
		} else if (c == g->quote) {
			in_string = true;
		} else if (in_string && g->interpolation &&
			   (c == '$' || (c == '%' && g->quote == '"')) && i + 1 < n) {
			if (g->quote == '"' && s[i + 1] == c && i + 2 < n &&
			    s[i + 2] == '{') {
				i += 2;
			} else if (s[i + 1] == '{') {
				if (top == cap)
					depth = grow_stack(depth, small, &cap);
				depth[top++] = 0;
				in_string = false;
				i++;
			}
		} else if (!in_string && c == '{') {
			depth[top - 1]++;
		} else if (!in_string && c == '}') {
			if (depth[top - 1] == 0) {
				top--;
				in_string = true;
			} else {
				depth[top - 1]--;
			}
		}
	}
	if (depth != small)
		free(depth);
	return i < n ? i + 1 : n;
}

static bool is_comment_start(const struct lang *g, const char *s, size_t n, size_t i)
{
	return (g->hash_comment && s[i] == '#') ||
	       (s[i] == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*'));
}

static bool is_word(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n >= w && memcmp(s, word, w) == 0 && (n == w || s[w] == ' ');
}

/* Mermaid: "subgraph ..." opens a block that "end" closes; brackets and
 * quotes inside a line never span lines. */
static void scan_keywords(struct line *l)
{
	l->eq = l->comment = SIZE_MAX;
	l->net = is_word(l->text, l->len, "subgraph") ? 1 :
		 is_word(l->text, l->len, "end") ? -1 : 0;
	l->opens = l->net > 0;
	l->closes = l->net < 0;
}

static int bracket_change(char c)
{
	if (c == '{' || c == '[' || c == '(')
		return 1;
	if (c == '}' || c == ']' || c == ')')
		return -1;
	return 0;
}

/* An '=' that is an assignment, not part of == != <= >= =>. */
static bool is_assign(const char *s, size_t n, size_t i)
{
	if (i + 1 < n && (s[i + 1] == '=' || s[i + 1] == '>'))
		return false;
	return i == 0 || !strchr("=!<>", s[i - 1]);
}

/* The bytes scan_line looks at: the rest of a line is skipped fast. */
static const bool special[256] = {
	['"'] = true, ['\''] = true, ['#'] = true, ['/'] = true, ['='] = true,
	['{'] = true, ['['] = true, ['('] = true, ['}'] = true, [']'] = true,
	[')'] = true,
};

/* hclwrite moves the first '=' (not the first token) and what follows into
 * the "assign" cell only when the brackets after it balance: `a = {` opens a
 * multi-line value and is not aligned. */
static void scan_line(const struct lang *g, struct line *l)
{
	const char *s = l->text;
	size_t n = l->len, first_eq = SIZE_MAX;
	int net = 0, net_at_eq = 0;

	if (g->keyword_blocks) {
		scan_keywords(l);
		return;
	}
	l->opens = n && bracket_change(s[n - 1]) > 0;
	l->closes = n && bracket_change(s[0]) < 0;
	l->eq = l->comment = SIZE_MAX;
	for (size_t i = 0; i < n;) {
		/* four bytes a step over what is not special: most of a line */
		while (i + 4 <= n && !(special[(unsigned char)s[i]] |
				       special[(unsigned char)s[i + 1]] |
				       special[(unsigned char)s[i + 2]] |
				       special[(unsigned char)s[i + 3]]))
			i += 4;
		if (i == n)
			break;
		if (!special[(unsigned char)s[i]]) {
			i++;
			continue;
		}
		if (s[i] == g->quote) {
			i = skip_string(g, s, n, i);
			continue;
		}
		if (is_comment_start(g, s, n, i)) {
			if (i > 0)
				l->comment = i;
			break;
		}
		if (s[i] == '=' && i > 0 && first_eq == SIZE_MAX && is_assign(s, n, i)) {
			first_eq = i;
			net_at_eq = net;
		}
		net += bracket_change(s[i]);
		i++;
	}
	l->net = net;
	if (g->align && first_eq != SIZE_MAX && net == net_at_eq)
		l->eq = first_eq;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The stream's array of at least n elements of size each, for this piece. */
static void *scratch(void **p, size_t *cap, size_t n, size_t size)
{
	if (n > *cap) {
		*cap = n > 2 * *cap ? n : 2 * *cap;
		free(*p);
		*p = xmalloc(*cap * size);
	}
	return *p;
}

static struct line *split_lines(struct layout_stream *s, const struct lang *g,
				const char *in, size_t len, size_t *count)
{
	struct line *lines = s->lines;
	size_t n = 0, cap = s->lines_cap;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - in) : len;
		size_t a = i, b = e;
		while (a < b && is_blank(in[a]))
			a++;
		while (b > a && is_blank(in[b - 1]))
			b--;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			lines = xrealloc(lines, cap * sizeof(*lines));
			s->lines = lines;
			s->lines_cap = cap;
		}
		lines[n] = (struct line){ .start = i, .text = in + a, .len = b - a };
		scan_line(g, &lines[n]);
		n++;
		i = e + 1;
	}
	*count = n;
	return lines;
}

/* hclwrite's formatIndent: a line that opens brackets is indented at the
 * current level and pushes how many it opened; a line that closes pops as
 * many and is indented at the level reached. The stack is the stream's:
 * it carries over from one piece of text to the next. */
static void indent_lines(struct layout_stream *s, struct line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct line *l = &lines[i];
		if (l->net > 0) {
			l->indent = s->depth;
			if (s->depth == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 16;
				s->stack = xrealloc(s->stack, s->cap * sizeof(*s->stack));
			}
			s->stack[s->depth++] = l->net;
			continue;
		}
		for (int closed = -l->net; closed > 0 && s->depth > 0;) {
			if (closed >= s->stack[s->depth - 1]) {
				closed -= s->stack[s->depth - 1];
				s->depth--;
			} else {
				s->stack[s->depth - 1] -= closed;
				closed = 0;
			}
		}
		l->indent = s->depth;
	}
}


/* Drops blank lines at either end, after a line that opens a block, before
 * one that closes a block, and all but one of a run. after is the line
 * that follows these (NULL: the end of the text); what was kept before
 * them is the stream's. */
static size_t drop_blank_lines(struct layout_stream *s, struct line *lines,
			       size_t n, const struct line *after)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (lines[i].len == 0) {
			size_t j = i; /* the run of blank lines is [i, j) */
			while (j < n && lines[j].len == 0)
				j++;
			const struct line *next = j < n ? &lines[j] : after;
			if (s->kept_any && !s->kept_opens && next && !next->closes)
				lines[k++] = lines[i];
			i = j - 1;
			continue;
		}
		s->kept_any = true;
		s->kept_opens = lines[i].opens;
		lines[k++] = lines[i];
	}
	return k;
}

/* Code points that continue the grapheme cluster before them (UAX #29
 * Extend, SpacingMark and the emoji pieces) for the scripts and symbols a
 * tag is likely to use; the rest of UAX #29 is left out. */
static bool extends_cluster(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
		{ 0x05BF, 0x05C7 }, { 0x0610, 0x061A }, { 0x064B, 0x065F },
		{ 0x0670, 0x0670 }, { 0x06D6, 0x06ED }, { 0x0900, 0x0903 },
		{ 0x093A, 0x094F }, { 0x0951, 0x0957 }, { 0x0962, 0x0963 },
		{ 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
		{ 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200C, 0x200D },
		{ 0x20D0, 0x20FF }, { 0x3099, 0x309A }, { 0xFE00, 0xFE0F },
		{ 0xFE20, 0xFE2F }, { 0x1F3FB, 0x1F3FF }, { 0xE0020, 0xE007F },
		{ 0xE0100, 0xE01EF },
	};
	if (cp < ranges[0][0]) /* ASCII and Latin: most of any text */
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
	uint32_t c = s[(*i)++];
	size_t more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

	c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0xFF;
	while (more-- && *i < n && (s[*i] & 0xC0) == 0x80)
		c = (c << 6) | (s[(*i)++] & 0x3F);
	return c;
}

/* Columns as hclwrite counts them: grapheme clusters. */
static size_t columns(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t cols = 0, i = 0;
	uint32_t prev = 0;
	bool ri_open = false; /* a regional indicator waiting for its pair */

	/* ASCII, a column a byte, is most text: eight bytes a step */
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	while (i < n && s[i] < 0x80)
		i++;
	if (i == n)
		return n;
	i = 0;

	while (i < n) {
		uint32_t cp = next_cp(s, n, &i);
		bool ri = cp >= 0x1F1E6 && cp <= 0x1F1FF;
		bool joined = extends_cluster(cp) || prev == 0x200D || (ri && ri_open);
		ri_open = ri && !ri_open;
		if (!joined || cols == 0)
			cols++;
		prev = cp;
	}
	return cols;
}

/* The padding before an aligned '=' is runs of spaces: eight a step. */
static size_t trim_right(const char *s, size_t n)
{
	while (n >= 8 && memcmp(s + n - 8, "        ", 8) == 0)
		n -= 8;
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	return n;
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && is_blank(s[i]))
		i++;
	return i;
}

/* The parts of a line: lead, then "= value" when aligned, then comment;
 * the columns they take and the spaces that align them. */
struct cells {
	size_t lead_len, lead_cols, code_cols, eq_pad, comment_pad;
	const char *assign; /* after the '=' */
	size_t assign_len;
	const char *comment;
	size_t comment_len;
};

static void split_cells(const struct line *l, struct cells *c)
{
	size_t code_end = l->comment != SIZE_MAX ? l->comment : l->len;

	memset(c, 0, sizeof(*c));
	if (l->comment != SIZE_MAX) {
		c->comment = l->text + l->comment;
		c->comment_len = l->len - l->comment;
	}
	if (l->eq != SIZE_MAX) {
		c->lead_len = trim_right(l->text, l->eq);
		size_t a = skip_blanks(l->text, l->eq + 1, code_end);
		c->assign = l->text + a;
		c->assign_len = trim_right(c->assign, code_end - a);
	} else {
		c->lead_len = trim_right(l->text, code_end);
	}
	/* columns are counted only where something is aligned after them */
	if (l->eq != SIZE_MAX || l->comment != SIZE_MAX)
		c->lead_cols = 2 * l->indent + columns(l->text, c->lead_len);
	c->code_cols = c->lead_cols;
	c->comment_pad = 1;
}


/* hclwrite's formatCells: in a run of consecutive lines that have the cell,
 * it starts one column after the widest thing before it. First the '='
 * (after the lead), then trailing comments (after lead and assignment). */
static void align_cells(struct cells *c, size_t n, bool assign)
{
	for (size_t i = 0; i < n;) {
		bool has = assign ? c[i].assign != NULL : c[i].comment != NULL;
		if (!has) {
			i++;
			continue;
		}
		size_t j = i, w = 0;
		for (; j < n && (assign ? c[j].assign != NULL : c[j].comment != NULL); j++) {
			size_t cols = assign ? c[j].lead_cols : c[j].code_cols;
			w = cols > w ? cols : w;
		}
		for (; i < j; i++) {
			if (assign) {
				c[i].eq_pad = w - c[i].lead_cols + 1;
				/* what a trailing comment is aligned after */
				if (c[i].comment)
					c[i].code_cols = w + 2 + (c[i].assign_len ?
						1 + columns(c[i].assign, c[i].assign_len) : 0);
			} else {
				c[i].comment_pad = w - c[i].code_cols + 1;
			}
		}
	}
}

/* The bytes write_line writes for a line: known before it writes them. */
static size_t line_size(const struct line *l, const struct cells *c)
{
	size_t size = 1;

	if (l->len)
		size += 2 * l->indent + c->lead_len;
	if (c->assign)
		size += c->eq_pad + 1 + (c->assign_len ? 1 + c->assign_len : 0);
	if (c->comment)
		size += c->comment_pad + c->comment_len;
	return size;
}

/* Writes a line at p, where its size in spaces is: indentation and
 * padding are skipped over, the rest copied. Returns the end. */
static char *write_line(const struct line *l, const struct cells *c, char *p)
{
	if (l->len) {
		p += 2 * l->indent;
		memcpy(p, l->text, c->lead_len);
		p += c->lead_len;
	}
	if (c->assign) {
		p += c->eq_pad;
		*p++ = '=';
		if (c->assign_len) {
			p++;
			memcpy(p, c->assign, c->assign_len);
			p += c->assign_len;
		}
	}
	if (c->comment) {
		p += c->comment_pad;
		memcpy(p, c->comment, c->comment_len);
		p += c->comment_len;
	}
	*p++ = '\n';
	return p;
}

/* Nothing is written unless all of it fits in max bytes; *size is what
 * it takes. The lines go into room made of spaces, one append for all. */
static bool write_lines(struct layout_stream *s, const struct line *lines,
			size_t n, struct strbuf *out, size_t max, size_t *size)
{
	struct cells *c = scratch(&s->cells, &s->cells_cap, n ? n : 1, sizeof(*c));
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		split_cells(&lines[i], &c[i]);
	align_cells(c, n, true);
	align_cells(c, n, false);
	for (size_t i = 0; i < n && total <= max; i++)
		total += line_size(&lines[i], &c[i]);
	*size = total;
	if (total > max)
		return false;
	if (n == 0)
		return true;
	size_t at = out->len;
	sb_indent(out, total);
	char *p = out->buf + at;
	for (size_t i = 0; i < n; i++)
		p = write_line(&lines[i], &c[i], p);
	return true;
}

/* A line that neither aligns nor is blank: no run of aligned lines goes
 * past it and no run of blank lines ends at it unseen, so everything
 * before it can be laid out without the text after it. */
static bool is_cut(const struct line *l)
{
	return l->len && l->eq == SIZE_MAX && l->comment == SIZE_MAX;
}

static bool feed_lines(const struct lang *g, struct layout_stream *s,
		       const char *in, size_t len, bool last, size_t *used,
		       struct strbuf *out)
{
	size_t end = len, n, cut;

	while (!last && end > 0 && in[end - 1] != '\n')
		end--;
	struct line *lines = split_lines(s, g, in, end, &n);
	for (cut = n; !last && cut > 0 && !is_cut(&lines[cut - 1]); cut--)
		;
	cut -= !last && cut > 0; /* the cut line waits for the next piece */
	*used = cut < n ? lines[cut].start : end;
	indent_lines(s, lines, cut);
	size_t k = drop_blank_lines(s, lines, cut, cut < n ? &lines[cut] : NULL);
	size_t size;
	bool ok = write_lines(s, lines, k, out, s->max - s->written, &size);
	s->written += size;
	return ok;
}

/* ------------------------------------------------------------------- JSON */

enum jtok { J_NONE, J_OPEN, J_CLOSE, J_COLON, J_VALUE };

struct jtoken {
	enum jtok kind;
	const char *s;
	size_t len;
};

/* Past the closing quote, or SIZE_MAX when the string is not closed. */
static size_t json_skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return SIZE_MAX;
}

/* The next token at or after *i; J_NONE at the end. Commas count as white
 * space: they are the engine's to write. Anything that is not punctuation or
 * a string runs to the next white space or punctuation: a number, true,
 * false, null (or a template's mistake, kept for the tests to find). False
 * when the token may go on past n and this is not the last piece. */
static bool json_next(const char *s, size_t n, size_t *i, bool last,
		      struct jtoken *t)
{
	while (*i < n && strchr(" \t\r\n,", s[*i]))
		(*i)++;
	if (*i >= n) {
		*t = (struct jtoken){ J_NONE, NULL, 0 };
		return true;
	}
	size_t a = *i;
	char c = s[a];
	enum jtok k = J_VALUE;
	if (c == '{' || c == '[')
		k = J_OPEN;
	else if (c == '}' || c == ']')
		k = J_CLOSE;
	else if (c == ':')
		k = J_COLON;
	if (k != J_VALUE) {
		*i = a + 1;
	} else if (c == '"') {
		*i = json_skip_string(s, n, a);
		if (*i == SIZE_MAX && !last)
			return false;
		if (*i == SIZE_MAX)
			*i = n;
	} else {
		while (*i < n && !strchr(" \t\r\n{}[]:,\"", s[*i]))
			(*i)++;
		if (*i == n && !last)
			return false;
	}
	*t = (struct jtoken){ k, s + a, *i - a };
	return true;
}

static void json_newline(struct strbuf *out, size_t depth)
{
	sb_putc(out, '\n');
	sb_indent(out, 2 * depth);
}

/* A comma goes between a value (or a closing bracket) and a following value
 * or opening bracket, so a conditional member never leaves one dangling.
 * Depth and the token before are the stream's. */
static bool feed_json(struct layout_stream *st, const char *in, size_t len,
		      bool last, size_t *used, struct strbuf *out)
{
	size_t i = 0, base = out->len;
	struct jtoken t, next;

	for (;;) {
		size_t at = i;
		if (!json_next(in, len, &i, last, &t)) {
			i = at;
			break;
		}
		if (t.kind == J_NONE)
			break;
		/* A token adds its bytes and at most a comma, ": ", two
		 * newlines and their indentation. */
		if (st->written + out->len - base + t.len + 4 * st->depth + 8 > st->max)
			return false;
		size_t after = i;
		bool empty = false;
		if (t.kind == J_OPEN) {
			if (!json_next(in, len, &after, last, &next) ||
			    (next.kind == J_NONE && !last)) {
				i = at;
				break;
			}
			empty = next.kind == J_CLOSE;
		}
		switch (t.kind) {
		case J_OPEN:
		case J_VALUE:
			if (st->prev == J_VALUE || st->prev == J_CLOSE) {
				sb_putc(out, ',');
				json_newline(out, st->depth);
			}
			sb_putn(out, t.s, t.len);
			if (empty) {
				sb_putn(out, next.s, next.len); /* [] or {} */
				i = after;
				t.kind = J_CLOSE;
			} else if (t.kind == J_OPEN) {
				json_newline(out, ++st->depth);
			}
			break;
		case J_CLOSE:
			st->depth -= st->depth > 0;
			json_newline(out, st->depth);
			sb_putn(out, t.s, t.len);
			break;
		case J_COLON:
			sb_puts(out, ": ");
			break;
		case J_NONE:
			BUG();
		}
		st->prev = t.kind;
	}
	*used = i;
	st->written += out->len - base;
	if (out->len > base)
		st->last = out->buf[out->len - 1];
	if (last && st->written && st->last != '\n') {
		sb_putc(out, '\n');
		st->written++;
		st->last = '\n';
	}
	return true;
}

static const struct lang hcl = { '"', true, true, true, false };
static const struct lang bicep = { '\'', false, false, true, false };
static const struct lang dot = { '"', false, false, false, false };
static const struct lang mermaid = { '"', false, false, false, true };

void layout_start(struct layout_stream *s, enum tmpl_target t, size_t max)
{
	*s = (struct layout_stream){ .target = t, .max = max };
}

bool layout_feed(struct layout_stream *s, const char *in, size_t len, bool last,
		 size_t *used, struct strbuf *out)
{
	switch (s->target) {
	case TMPL_HCL:
		return feed_lines(&hcl, s, in, len, last, used, out);
	case TMPL_BICEP:
		return feed_lines(&bicep, s, in, len, last, used, out);
	case TMPL_JSON:
	case TMPL_ARM:
		return feed_json(s, in, len, last, used, out);
	case TMPL_DOT:
		return feed_lines(&dot, s, in, len, last, used, out);
	case TMPL_MERMAID:
		return feed_lines(&mermaid, s, in, len, last, used, out);
	}
	BUG();
}

void layout_end(struct layout_stream *s)
{
	free(s->stack);
	free(s->lines);
	free(s->cells);
	s->stack = NULL;
	s->lines = s->cells = NULL;
}

bool layout(enum tmpl_target t, const char *in, size_t len, struct strbuf *out,
	    size_t max)
{
	struct layout_stream s;
	size_t start = out->len, used;

	layout_start(&s, t, max);
	bool ok = layout_feed(&s, in, len, true, &used, out);
	layout_end(&s);
	if (!ok && out->buf) {
		out->len = start;
		out->buf[start] = '\0';
	}
	return ok;
}
