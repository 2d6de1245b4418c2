#include "common.h"

#include "diag.h"
#include "utf8.h"
#include "util.h"

bool warn_enabled(const struct warn_opts *opts, const char *name, bool default_on)
{
	bool on = default_on;

	if (!opts)
		return on;
	for (size_t i = 0; i < opts->nrules; i++) {
		const struct warn_rule *r = &opts->rules[i];
		if (strcmp(r->name, name) != 0)
			continue;
		if (r->setting == WARN_ENABLE || r->setting == WARN_AS_ERROR)
			on = true;
		else if (r->setting == WARN_DISABLE)
			on = false;
	}
	return on;
}

static bool warn_as_error(const struct warn_opts *opts, const char *name)
{
	if (!opts)
		return false;
	bool err = opts->all_as_errors;
	for (size_t i = 0; i < opts->nrules; i++) {
		const struct warn_rule *r = &opts->rules[i];
		if (strcmp(r->name, name) != 0)
			continue;
		if (r->setting == WARN_AS_ERROR)
			err = true;
		else if (r->setting == WARN_NOT_AS_ERROR)
			err = false;
	}
	return err;
}

void diag_list_init(struct diag_list *l, struct arena *a,
		    const struct warn_opts *opts, size_t max_errors)
{
	memset(l, 0, sizeof(*l));
	l->arena = a;
	l->opts = opts;
	l->max_errors = max_errors;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* The end of the quoted text that opens at msg[i] (a quote not inside a
 * word), at the next quote not followed by a word character ("'it's'" is
 * one); 0 when there is none. */
static size_t quote_end(const char *msg, size_t i)
{
	if (msg[i] != '\'' || (i > 0 && is_word_char(msg[i - 1])))
		return 0;
	for (size_t j = i + 1; msg[j]; j++)
		if (msg[j] == '\'' && !is_word_char(msg[j + 1]))
			return j;
	return 0;
}

/* The byte length of the first max characters of s[0, n), or n. */
static size_t chars_prefix(const char *s, size_t n, size_t max)
{
	size_t chars = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			return i;
	return n;
}

/* msg with every quoted text cut to DIAG_QUOTE_MAX characters; msg itself
 * when none is longer. */
static const char *shorten_quotes(struct arena *a, const char *msg)
{
	struct strbuf sb;
	bool cut = false;
	size_t done = 0;

	sb_init(&sb);
	for (size_t i = 0; msg[i]; i++) {
		size_t end = quote_end(msg, i);
		if (!end)
			continue;
		size_t keep = chars_prefix(msg + i + 1, end - i - 1, DIAG_QUOTE_MAX);
		if (keep < end - i - 1) {
			sb_putn(&sb, msg + done, i + 1 + keep - done);
			sb_puts(&sb, "...");
			done = end;
			cut = true;
		}
		i = end;
	}
	sb_puts(&sb, msg + done);
	const char *out = cut ? arena_strdup(a, sb.buf) : msg;
	sb_free(&sb);
	return out;
}

struct diag *diag_vadd(struct diag_list *l, enum diag_severity sev,
		       const char *name, struct loc loc, const char *fmt,
		       va_list ap)
{
	bool promoted = false;

	if (sev == DIAG_WARNING) {
		if (!warn_enabled(l->opts, name, true))
			return NULL;
		if (warn_as_error(l->opts, name)) {
			sev = DIAG_ERROR;
			promoted = true;
		}
	}
	if (sev == DIAG_ERROR) {
		l->nerrors++;
		if (l->max_errors && l->nerrors > l->max_errors) {
			l->capped = true;
			return NULL;
		}
	} else if (sev == DIAG_WARNING) {
		l->nwarnings++;
	}
	ARENA_PUSH(l->arena, l->items, l->n, l->cap);
	struct diag *d = &l->items[l->n - 1];
	memset(d, 0, sizeof(*d));
	d->severity = sev;
	d->name = name;
	d->promoted = promoted;
	d->loc = loc;
	d->msg = shorten_quotes(l->arena, arena_vprintf(l->arena, fmt, ap));
	return d;
}

struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *name, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = diag_vadd(l, sev, name, loc, fmt, ap);
	va_end(ap);
	return d;
}

void diag_note(struct diag_list *l, struct diag *d, struct loc loc,
	       const char *fmt, ...)
{
	if (!d)
		return;
	ARENA_PUSH(l->arena, d->notes, d->nnotes, d->notes_cap);
	struct diag_note *n = &d->notes[d->nnotes - 1];
	va_list ap;
	va_start(ap, fmt);
	n->loc = loc;
	n->msg = shorten_quotes(l->arena, arena_vprintf(l->arena, fmt, ap));
	va_end(ap);
}

void diag_fixit(struct diag_list *l, struct diag *d, struct loc loc,
		const char *text)
{
	if (!d)
		return;
	ARENA_PUSH(l->arena, d->fixits, d->nfixits, d->fixits_cap);
	d->fixits[d->nfixits - 1] = (struct diag_fixit){ loc, arena_strdup(l->arena, text) };
}

/* ---------------------------------------------------------------- order */

struct sort_key {
	unsigned rank;   /* 0 whole input, 1 the file, 2 another source */
	uint32_t start;
	size_t found;    /* the order it was found in */
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->found < b->found ? -1 : a->found > b->found;
}

void diag_sort(struct diag_list *l)
{
	struct sort_key *keys = xmalloc((l->n ? l->n : 1) * sizeof(*keys));
	struct diag *sorted = xmalloc((l->n ? l->n : 1) * sizeof(*sorted));

	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->items[i];
		keys[i] = (struct sort_key){
			d->src ? 2 : loc_is_none(d->loc) ? 0 : 1, d->loc.start, i,
		};
	}
	qsort(keys, l->n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < l->n; i++)
		sorted[i] = l->items[keys[i].found];
	if (l->n)
		memcpy(l->items, sorted, l->n * sizeof(*sorted));
	free(sorted);
	free(keys);
}

/* ---------------------------------------------------------------- printing */

const struct source diag_no_source = { .name = "peerc" };

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[m"

static const char *sev_word(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	BUG();
}

static const char *sev_color(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return C_RED;
	case DIAG_WARNING:
		return C_MAGENTA;
	case DIAG_NOTE:
		return C_CYAN;
	}
	BUG();
}

/* The length in bytes of the character at line[i]: a valid UTF-8 sequence,
 * else the single byte. *shown says whether it can be printed as it is; a NUL,
 * a control character or a byte of invalid UTF-8 is printed as '?'. Printing,
 * padding and underlining all step through a line with this, so the marker
 * stays under its column whatever the line holds. */
static size_t char_len(const char *line, size_t len, size_t i, bool *shown)
{
	unsigned char c = (unsigned char)line[i];
	size_t bad;

	if (c < 0x80) {
		*shown = c == '\t' || (c >= 0x20 && c != 0x7f);
		return 1;
	}
	size_t n = utf8_valid((const unsigned char *)line + i, len - i, &bad);
	*shown = n > 0;
	return n ? n : 1;
}

/* Spaces up to byte column col (1-based), keeping the line's tabs so that the
 * marker lines up under the source as the terminal shows it. */
static void pad_to(struct strbuf *out, const char *line, size_t len, size_t col)
{
	bool shown;

	for (size_t i = 0; i + 1 < col;) {
		if (i >= len) {
			sb_putc(out, ' ');
			i++;
			continue;
		}
		sb_putc(out, line[i] == '\t' ? '\t' : ' ');
		i += char_len(line, len, i, &shown);
	}
}

/* Characters in [from, to) of a line, one column each. */
static unsigned display_width(const char *line, size_t len, size_t from, size_t to)
{
	unsigned w = 0;
	bool shown;

	for (size_t i = from; i < to && i < len; w++)
		i += char_len(line, len, i, &shown);
	return w;
}

static void print_gutter(struct strbuf *out, unsigned width, const char *num)
{
	sb_printf(out, " %*s | ", (int)width, num);
}

/* A line longer than this (no line a person writes, but a generated or
 * minified file) is shown as a window around the column, cut at
 * both ends with "...": each message stays short however long the line (a
 * one-line file with a problem on every token would otherwise print the
 * whole line for each, quadratic in the file's size). */
enum { EXCERPT_MAX = 512, EXCERPT_BEFORE = 200 };

static bool is_continuation(const char *line, size_t i)
{
	return ((unsigned char)line[i] & 0xC0) == 0x80;
}

/* The part of a line of len bytes shown for byte column col: its bytes
 * [*from, *to), on UTF-8 character boundaries. */
static void excerpt_window(const char *line, size_t len, size_t col,
			   size_t *from, size_t *to)
{
	*from = 0;
	*to = len;
	if (len <= EXCERPT_MAX)
		return;
	if (col > EXCERPT_BEFORE + 1)
		*from = col - 1 - EXCERPT_BEFORE;
	while (*from < len && is_continuation(line, *from))
		(*from)++;
	if (*from + EXCERPT_MAX < len) {
		*to = *from + EXCERPT_MAX;
		while (*to > *from && is_continuation(line, *to))
			(*to)--;
	}
}

/* The marker line's indentation up to byte column col of the line, in the
 * window [from, to) printed after "..." when it does not start the line. */
static void pad_in_window(struct strbuf *out, const char *line, size_t from,
			  size_t to, size_t col)
{
	if (from > 0)
		sb_puts(out, "   ");
	if (col < from + 1)
		col = from + 1;
	if (col > to + 1)
		col = to + 1;
	pad_to(out, line + from, to - from, col - from);
}

/* A fix-it as long as a message's quoted text at most: the record keeps all
 * of it, for an editor to apply. */
static void print_fixit(struct strbuf *out, const char *text, bool color)
{
	size_t n = strlen(text), keep = chars_prefix(text, n, DIAG_QUOTE_MAX);

	if (color)
		sb_puts(out, C_GREEN);
	sb_putn(out, text, keep);
	if (keep < n)
		sb_puts(out, "...");
	if (color)
		sb_puts(out, C_RESET);
}

static void print_excerpt(struct strbuf *out, const struct source *src,
			  struct loc loc, const struct diag_fixit *fixits,
			  size_t nfixits, bool color)
{
	unsigned line, col, eline, ecol;
	source_linecol(src, loc.start, &line, &col);
	source_linecol(src, loc.end, &eline, &ecol);
	size_t len, from, to;
	const char *text = source_line(src, line, &len);
	char num[16];
	snprintf(num, sizeof(num), "%u", line);
	unsigned width = (unsigned)strlen(num) < 4 ? 4 : (unsigned)strlen(num);

	excerpt_window(text, len, col, &from, &to);
	print_gutter(out, width, num);
	if (from > 0)
		sb_puts(out, "...");
	for (size_t i = from; i < to;) {
		bool shown;
		size_t n = char_len(text, to, i, &shown);
		if (shown)
			sb_putn(out, text + i, n);
		else
			sb_putc(out, '?');
		i += n;
	}
	if (to < len)
		sb_puts(out, "...");
	sb_putc(out, '\n');

	size_t endcol = eline == line ? ecol : len + 1;
	if (endcol > to + 1)
		endcol = to + 1;
	unsigned tildes = endcol > (size_t)col + 1 ?
		display_width(text, len, col, endcol - 1) : 0;
	print_gutter(out, width, "");
	pad_in_window(out, text, from, to, col);
	if (color)
		sb_puts(out, C_GREEN);
	sb_putc(out, '^');
	for (unsigned i = 0; i < tildes; i++)
		sb_putc(out, '~');
	if (color)
		sb_puts(out, C_RESET);
	sb_putc(out, '\n');

	for (size_t i = 0; i < nfixits; i++) {
		unsigned fl, fc;
		source_linecol(src, fixits[i].loc.start, &fl, &fc);
		/* an edit that adds lines or removes text is said in the message */
		if (fl != line || !*fixits[i].text || strchr(fixits[i].text, '\n'))
			continue;
		print_gutter(out, width, "");
		pad_in_window(out, text, from, to, fc);
		print_fixit(out, fixits[i].text, color);
		sb_putc(out, '\n');
	}
}

static void print_one(struct strbuf *out, const struct source *src,
		      enum diag_severity sev, struct loc loc, const char *msg,
		      const char *tag, const struct diag_fixit *fixits,
		      size_t nfixits, bool color)
{
	bool located = src && !loc_is_none(loc);

	if (color)
		sb_puts(out, C_BOLD);
	if (located) {
		unsigned line, col;
		source_linecol(src, loc.start, &line, &col);
		sb_printf(out, "%s:%u:%u:", src->name, line, col);
	} else {
		sb_printf(out, "%s:", src ? src->name : "peerc");
	}
	if (color)
		sb_puts(out, C_RESET);
	sb_putc(out, ' ');
	if (color)
		sb_printf(out, "%s%s:%s", sev_color(sev), sev_word(sev), C_RESET);
	else
		sb_printf(out, "%s:", sev_word(sev));
	sb_printf(out, " %s", msg);
	if (tag)
		sb_printf(out, " [%s]", tag);
	sb_putc(out, '\n');
	if (located)
		print_excerpt(out, src, loc, fixits, nfixits, color);
}

/* Each message is formatted whole and written at once: stderr is
 * unbuffered, and one write per byte made long reports slow. */
static void flush(FILE *out, struct strbuf *sb)
{
	fwrite(sb->buf, 1, sb->len, out);
	sb_reset(sb);
}

static void format_diag(struct strbuf *out, const struct source *src,
			const struct diag *d, bool color)
{
	char tag[128];
	const char *t = NULL;

	if (d->src)
		src = d->src;
	if (d->promoted) {
		snprintf(tag, sizeof(tag), "-Werror=%s", d->name);
		t = tag;
	} else if (d->severity == DIAG_WARNING) {
		snprintf(tag, sizeof(tag), "-W%s", d->name);
		t = tag;
	}
	print_one(out, src, d->severity, d->loc, d->msg, t, d->fixits,
		  d->nfixits, color);
	for (size_t i = 0; i < d->nnotes; i++)
		print_one(out, src, DIAG_NOTE, d->notes[i].loc, d->notes[i].msg,
			  NULL, NULL, 0, color);
}

void diag_print(FILE *out, const struct source *src, const struct diag *d,
		bool color)
{
	struct strbuf sb;

	sb_init(&sb);
	format_diag(&sb, src, d, color);
	flush(out, &sb);
	sb_free(&sb);
}

void diag_print_all(FILE *out, const struct source *src,
		    const struct diag_list *l, bool color)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < l->n; i++) {
		format_diag(&sb, src, &l->items[i], color);
		flush(out, &sb);
	}
	if (l->capped) {
		print_one(&sb, src, DIAG_NOTE, LOC_NONE,
			  "too many errors; the rest are not shown", NULL, NULL,
			  0, color);
		flush(out, &sb);
	}
	sb_free(&sb);
}

void diag_print_plain(FILE *out, enum diag_severity sev, bool color,
		      const char *fmt, ...)
{
	char msg[1024];
	struct strbuf sb;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sb_init(&sb);
	print_one(&sb, NULL, sev, LOC_NONE, msg, NULL, NULL, 0, color);
	flush(out, &sb);
	sb_free(&sb);
}
