#include "common.h"

#include "layout.h"
#include "util.h"

/* ----------------------------------------------------- HCL and Bicep lines */

struct line {
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

static struct line *split_lines(const struct lang *g, const char *in,
				size_t len, size_t *count)
{
	struct line *lines = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && in[e] != '\n')
			e++;
		size_t a = i, b = e;
		while (a < b && is_blank(in[a]))
			a++;
		while (b > a && is_blank(in[b - 1]))
			b--;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		lines[n] = (struct line){ .text = in + a, .len = b - a };
		scan_line(g, &lines[n]);
		n++;
		i = e + 1;
	}
	*count = n;
	return lines;
}

/* hclwrite's formatIndent: a line that opens brackets is indented at the
 * current level and pushes how many it opened; a line that closes pops as
 * many and is indented at the level reached. */
static void indent_lines(struct line *lines, size_t n)
{
	int *stack = NULL;
	size_t depth = 0, cap = 0;

	for (size_t i = 0; i < n; i++) {
		struct line *l = &lines[i];
		if (l->net > 0) {
			l->indent = depth;
			if (depth == cap) {
				cap = cap ? 2 * cap : 16;
				stack = xrealloc(stack, cap * sizeof(*stack));
			}
			stack[depth++] = l->net;
			continue;
		}
		for (int closed = -l->net; closed > 0 && depth > 0;) {
			if (closed >= stack[depth - 1]) {
				closed -= stack[depth - 1];
				depth--;
			} else {
				stack[depth - 1] -= closed;
				closed = 0;
			}
		}
		l->indent = depth;
	}
	free(stack);
}


/* Drops blank lines at either end, after a line that opens a block, before
 * one that closes a block, and all but one of a run. */
static size_t drop_blank_lines(struct line *lines, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (lines[i].len == 0) {
			size_t j = i; /* the run of blank lines is [i, j) */
			while (j < n && lines[j].len == 0)
				j++;
			if (k > 0 && !lines[k - 1].opens && j < n && !lines[j].closes)
				lines[k++] = lines[i];
			i = j - 1;
			continue;
		}
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

static size_t trim_right(const char *s, size_t n)
{
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

static void write_line(const struct line *l, const struct cells *c,
		       struct strbuf *out)
{
	if (l->len) {
		sb_indent(out, 2 * l->indent);
		sb_putn(out, l->text, c->lead_len);
	}
	if (c->assign) {
		sb_indent(out, c->eq_pad);
		sb_putc(out, '=');
		if (c->assign_len) {
			sb_putc(out, ' ');
			sb_putn(out, c->assign, c->assign_len);
		}
	}
	if (c->comment) {
		sb_indent(out, c->comment_pad);
		sb_putn(out, c->comment, c->comment_len);
	}
	sb_putc(out, '\n');
}

/* Nothing is written unless all of it fits in max bytes. */
static bool write_lines(const struct line *lines, size_t n, struct strbuf *out,
			size_t max)
{
	struct cells *c = xcalloc(n ? n : 1, sizeof(*c));
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		split_cells(&lines[i], &c[i]);
	align_cells(c, n, true);
	align_cells(c, n, false);
	for (size_t i = 0; i < n && total <= max; i++)
		total += line_size(&lines[i], &c[i]);
	if (total <= max)
		for (size_t i = 0; i < n; i++)
			write_line(&lines[i], &c[i], out);
	free(c);
	return total <= max;
}

static bool layout_lines(const struct lang *g, const char *in, size_t len,
			 struct strbuf *out, size_t max)
{
	size_t n;
	struct line *lines = split_lines(g, in, len, &n);

	indent_lines(lines, n);
	n = drop_blank_lines(lines, n);
	bool ok = write_lines(lines, n, out, max);
	free(lines);
	return ok;
}

/* ------------------------------------------------------------------- JSON */

enum jtok { J_NONE, J_OPEN, J_CLOSE, J_COLON, J_VALUE };

struct jtoken {
	enum jtok kind;
	const char *s;
	size_t len;
};

static size_t json_skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

/* The next token at or after *i; J_NONE at the end. Commas count as white
 * space: they are the engine's to write. Anything that is not punctuation or
 * a string runs to the next white space or punctuation: a number, true,
 * false, null (or a template's mistake, kept for the tests to find). */
static struct jtoken json_next(const char *s, size_t n, size_t *i)
{
	while (*i < n && strchr(" \t\r\n,", s[*i]))
		(*i)++;
	if (*i >= n)
		return (struct jtoken){ J_NONE, NULL, 0 };
	size_t a = *i;
	char c = s[a];
	enum jtok k = J_VALUE;
	if (c == '{' || c == '[')
		k = J_OPEN;
	else if (c == '}' || c == ']')
		k = J_CLOSE;
	else if (c == ':')
		k = J_COLON;
	if (k != J_VALUE)
		*i = a + 1;
	else if (c == '"')
		*i = json_skip_string(s, n, a);
	else
		while (*i < n && !strchr(" \t\r\n{}[]:,\"", s[*i]))
			(*i)++;
	return (struct jtoken){ k, s + a, *i - a };
}

static void json_newline(struct strbuf *out, size_t depth)
{
	sb_putc(out, '\n');
	sb_indent(out, 2 * depth);
}

/* A comma goes between a value (or a closing bracket) and a following value
 * or opening bracket, so a conditional member never leaves one dangling. */
static bool layout_json(const char *in, size_t len, struct strbuf *out,
			size_t max)
{
	size_t i = 0, depth = 0, start = out->len;
	enum jtok prev = J_NONE;
	struct jtoken t = json_next(in, len, &i);

	while (t.kind != J_NONE) {
		/* A token adds its bytes and at most a comma, ": ", two
		 * newlines and their indentation. */
		if (out->len - start + t.len + 4 * depth + 8 > max) {
			out->len = start;
			out->buf[start] = '\0';
			return false;
		}
		struct jtoken next = json_next(in, len, &i);
		switch (t.kind) {
		case J_OPEN:
		case J_VALUE:
			if (prev == J_VALUE || prev == J_CLOSE) {
				sb_putc(out, ',');
				json_newline(out, depth);
			}
			sb_putn(out, t.s, t.len);
			if (t.kind == J_OPEN && next.kind == J_CLOSE) {
				sb_putn(out, next.s, next.len); /* [] or {} */
				next = json_next(in, len, &i);
				t.kind = J_CLOSE;
			} else if (t.kind == J_OPEN) {
				json_newline(out, ++depth);
			}
			break;
		case J_CLOSE:
			depth -= depth > 0;
			json_newline(out, depth);
			sb_putn(out, t.s, t.len);
			break;
		case J_COLON:
			sb_puts(out, ": ");
			break;
		case J_NONE:
			BUG();
		}
		prev = t.kind;
		t = next;
	}
	if (out->len && out->buf[out->len - 1] != '\n')
		sb_putc(out, '\n');
	return true;
}

bool layout(enum tmpl_target t, const char *in, size_t len, struct strbuf *out,
	    size_t max)
{
	static const struct lang hcl = { '"', true, true, true, false };
	static const struct lang bicep = { '\'', false, false, true, false };
	static const struct lang dot = { '"', false, false, false, false };
	static const struct lang mermaid = { '"', false, false, false, true };

	switch (t) {
	case TMPL_HCL:
		return layout_lines(&hcl, in, len, out, max);
	case TMPL_BICEP:
		return layout_lines(&bicep, in, len, out, max);
	case TMPL_JSON:
	case TMPL_ARM:
		return layout_json(in, len, out, max);
	case TMPL_DOT:
		return layout_lines(&dot, in, len, out, max);
	case TMPL_MERMAID:
		return layout_lines(&mermaid, in, len, out, max);
	}
	BUG();
}
