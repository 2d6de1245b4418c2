#include "common.h"

#include <inttypes.h>

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

/* ------------------------------------------ formats for machines */

/* Where SARIF's rules and tool point for more. */
#define PEERC_HOME "https://github.com/peerc/peerc"

static const char *const format_names[] = {
	[DIAG_FORMAT_TEXT] = "text",
	[DIAG_FORMAT_JSON] = "json",
	[DIAG_FORMAT_SARIF] = "sarif",
	[DIAG_FORMAT_GITHUB] = "github",
};

bool diag_format_find(const char *name, enum diag_format *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(format_names); i++) {
		if (strcmp(format_names[i], name) == 0) {
			*f = (enum diag_format)i;
			return true;
		}
	}
	return false;
}

/* A range as machines count it: 1-based lines; byte columns (the text
 * format's) and Unicode code point columns (SARIF's columnKind and
 * GitHub's); the end is the column after the range. */
struct place {
	unsigned line, col, cp, eline, ecol, ecp;
};

/* Code points of the line before byte column col (1-based), plus one.
 * Columns past the line's end (a range ending at its newline) count one
 * each. Counting goes on from the sink's last answer when it is on the same
 * line and not after col. */
static unsigned cp_column(struct diag_sink *s, const struct source *src,
			  unsigned line, unsigned col)
{
	size_t len, i = 0;
	const char *text = source_line(src, line, &len);
	unsigned cp = 1;

	if (s->cp_cache.src == src && s->cp_cache.line == line &&
	    s->cp_cache.byte + 1 <= col) {
		i = s->cp_cache.byte;
		cp = s->cp_cache.cp;
	}
	for (; i + 1 < col; i++)
		if (i >= len || !is_continuation(text, i))
			cp++;
	s->cp_cache.src = src;
	s->cp_cache.line = line;
	s->cp_cache.byte = i;
	s->cp_cache.cp = cp;
	return cp;
}

/* Lines and byte columns only: what the json format gives. */
static struct place place_bytes(const struct source *src, struct loc loc)
{
	struct place p = { 0 };

	source_linecol(src, loc.start, &p.line, &p.col);
	source_linecol(src, loc.end, &p.eline, &p.ecol);
	return p;
}

static struct place place_of(struct diag_sink *s, const struct source *src,
			     struct loc loc)
{
	struct place p = place_bytes(src, loc);

	p.cp = cp_column(s, src, p.line, p.col);
	p.ecp = cp_column(s, src, p.eline, p.ecol);
	return p;
}

static void count(struct diag_sink *s, enum diag_severity sev)
{
	if (sev == DIAG_ERROR)
		s->nerrors++;
	else if (sev == DIAG_WARNING)
		s->nwarnings++;
}

/* "-Wname" or "-Werror=name": the option that controls a diagnostic, as
 * the text format shows it in brackets; NULL for an error. */
static const char *option_of(const struct diag *d, char *buf, size_t size)
{
	if (d->promoted)
		snprintf(buf, size, "-Werror=%s", d->name);
	else if (d->severity == DIAG_WARNING)
		snprintf(buf, size, "-W%s", d->name);
	else
		return NULL;
	return buf;
}

static void json_cstring(struct strbuf *b, const char *s)
{
	sb_json_string(b, s, strlen(s));
}

/* ------------------------------------------ json */

static void json_location(struct strbuf *b, const struct source *src,
			  struct loc loc)
{
	if (!src) {
		sb_puts(b, "null");
		return;
	}
	sb_puts(b, "{\"file\":");
	json_cstring(b, src->name);
	if (!loc_is_none(loc)) {
		struct place p = place_bytes(src, loc);
		sb_printf(b, ",\"line\":%u,\"column\":%u,\"endLine\":%u,"
			  "\"endColumn\":%u,\"offset\":%" PRIu32 ",\"endOffset\":%" PRIu32,
			  p.line, p.col, p.eline, p.ecol, loc.start, loc.end);
	}
	sb_putc(b, '}');
}

static void json_open_item(struct diag_sink *s)
{
	sb_puts(&s->items, s->nitems++ ? ",\n    " : "\n    ");
}

static void json_diag(struct diag_sink *s, const struct source *src,
		      enum diag_severity sev, const char *code,
		      const char *option, const char *msg, struct loc loc,
		      const struct diag *d)
{
	struct strbuf *b = &s->items;

	json_open_item(s);
	sb_printf(b, "{\"severity\":\"%s\",\"code\":", sev_word(sev));
	json_cstring(b, code);
	sb_puts(b, ",\"option\":");
	if (option)
		json_cstring(b, option);
	else
		sb_puts(b, "null");
	sb_puts(b, ",\"message\":");
	json_cstring(b, msg);
	sb_puts(b, ",\"location\":");
	json_location(b, src, loc);
	sb_puts(b, ",\"notes\":[");
	for (size_t i = 0; d && i < d->nnotes; i++) {
		sb_puts(b, i ? ",{\"message\":" : "{\"message\":");
		json_cstring(b, d->notes[i].msg);
		sb_puts(b, ",\"location\":");
		json_location(b, src, d->notes[i].loc);
		sb_putc(b, '}');
	}
	sb_puts(b, "],\"fixits\":[");
	for (size_t i = 0; d && i < d->nfixits; i++) {
		sb_puts(b, i ? ",{\"location\":" : "{\"location\":");
		json_location(b, src, d->fixits[i].loc);
		sb_puts(b, ",\"text\":");
		json_cstring(b, d->fixits[i].text);
		sb_putc(b, '}');
	}
	sb_puts(b, "]}");
}

static void json_finish(struct diag_sink *s, int status)
{
	fprintf(s->out, "{\n  \"version\": 1,\n"
		"  \"tool\": {\"name\": \"" PACKAGE_NAME "\", \"version\": \""
		PACKAGE_VERSION "\"},\n"
		"  \"exitStatus\": %d,\n  \"errors\": %zu,\n  \"warnings\": %zu,\n"
		"  \"diagnostics\": [%s%s]\n}\n", status, s->nerrors,
		s->nwarnings, s->items.buf ? s->items.buf : "",
		s->nitems ? "\n  " : "");
}

/* ------------------------------------------ sarif */

/* A file name as a URI reference: relative names stay relative (code
 * scanning resolves them against the repository), absolute ones become
 * file:// URIs; every byte but RFC 3986's unreserved ones and '/' is
 * percent-encoded. */
static void sarif_uri(struct strbuf *b, const char *name)
{
	struct strbuf u;

	sb_init(&u);
	if (name[0] == '/')
		sb_puts(&u, "file://");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			sb_putc(&u, (char)*p);
		else
			sb_printf(&u, "%%%02X", *p);
	}
	json_cstring(b, u.buf);
	sb_free(&u);
}

static void sarif_region(struct diag_sink *s, struct strbuf *b,
			 const struct source *src, struct loc loc)
{
	struct place p = place_of(s, src, loc);

	sb_printf(b, "{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,"
		  "\"endColumn\":%u}", p.line, p.cp, p.eline, p.ecp);
}

static void sarif_physical(struct diag_sink *s, struct strbuf *b,
			   const struct source *src, struct loc loc)
{
	sb_puts(b, "{\"artifactLocation\":{\"uri\":");
	sarif_uri(b, src->name);
	sb_puts(b, "}");
	if (!loc_is_none(loc)) {
		sb_puts(b, ",\"region\":");
		sarif_region(s, b, src, loc);
	}
	sb_putc(b, '}');
}

static void sarif_message(struct strbuf *b, const char *msg)
{
	sb_puts(b, "{\"text\":");
	json_cstring(b, msg);
	sb_putc(b, '}');
}

static ptrdiff_t rule_index(const struct diag_sink *s, const char *name)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (strcmp(s->rules[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

static const char *fix_description(const struct diag_fixit *f)
{
	if (!*f->text)
		return "delete the text";
	return f->loc.start == f->loc.end ? "insert the suggested text" :
	       "replace with the suggested text";
}

/* Each fix-it of a diagnostic is a whole alternative (a failed require
 * offers a direct peering or transit through the hub's NVA), so each is
 * its own SARIF fix: a consumer applies one, never all of them together. */
static void sarif_fix(struct diag_sink *s, struct strbuf *b,
		      const struct source *src, const struct diag *d)
{
	sb_puts(b, ",\"fixes\":[");
	for (size_t i = 0; i < d->nfixits; i++) {
		const struct diag_fixit *f = &d->fixits[i];
		sb_puts(b, i ? ",{\"description\":" : "{\"description\":");
		sarif_message(b, fix_description(f));
		sb_puts(b, ",\"artifactChanges\":[{\"artifactLocation\":{\"uri\":");
		sarif_uri(b, src->name);
		sb_puts(b, "},\"replacements\":[{\"deletedRegion\":");
		sarif_region(s, b, src, f->loc);
		sb_puts(b, ",\"insertedContent\":");
		sarif_message(b, f->text);
		sb_puts(b, "}]}]}");
	}
	sb_putc(b, ']');
}

/* Code scanning needs a place in a file for every result; what has none (a
 * usage error, an input too large to read) is a notification of the run. */
static void sarif_notification(struct diag_sink *s, enum diag_severity sev,
			       const char *code, const char *msg,
			       const struct source *src)
{
	struct strbuf *b = &s->notifications;
	ptrdiff_t r = rule_index(s, code);

	sb_puts(b, s->nnotifications++ ? ",\n            " : "\n            ");
	sb_printf(b, "{\"level\":\"%s\",\"message\":", sev_word(sev));
	sarif_message(b, msg);
	if (src) {
		sb_puts(b, ",\"locations\":[{\"physicalLocation\":");
		sarif_physical(s, b, src, LOC_NONE);
		sb_puts(b, "}]");
	}
	if (r >= 0) {
		sb_puts(b, ",\"associatedRule\":{\"id\":");
		json_cstring(b, code);
		sb_printf(b, ",\"index\":%td}", r);
	} else {
		sb_puts(b, ",\"descriptor\":{\"id\":");
		json_cstring(b, code);
		sb_putc(b, '}');
	}
	sb_putc(b, '}');
}

static void sarif_result(struct diag_sink *s, const struct source *src,
			 const struct diag *d)
{
	struct strbuf *b = &s->items;
	ptrdiff_t r = rule_index(s, d->name);

	sb_puts(b, s->nitems++ ? ",\n        " : "\n        ");
	sb_puts(b, "{\"ruleId\":");
	json_cstring(b, d->name);
	if (r >= 0)
		sb_printf(b, ",\"ruleIndex\":%td", r);
	sb_printf(b, ",\"level\":\"%s\",\"message\":", sev_word(d->severity));
	sarif_message(b, d->msg);
	sb_puts(b, ",\"locations\":[{\"physicalLocation\":");
	sarif_physical(s, b, src, d->loc);
	sb_puts(b, "}]");
	if (d->nnotes)
		sb_puts(b, ",\"relatedLocations\":[");
	for (size_t i = 0; i < d->nnotes; i++) {
		sb_printf(b, "%s{\"id\":%zu,\"message\":", i ? "," : "", i + 1);
		sarif_message(b, d->notes[i].msg);
		if (!loc_is_none(d->notes[i].loc)) {
			sb_puts(b, ",\"physicalLocation\":");
			sarif_physical(s, b, src, d->notes[i].loc);
		}
		sb_putc(b, '}');
	}
	if (d->nnotes)
		sb_putc(b, ']');
	if (d->nfixits)
		sarif_fix(s, b, src, d);
	sb_putc(b, '}');
}

/* "peered-overlap" -> "PeeredOverlap": SARIF's rule name is an identifier. */
static void sarif_rule_name(struct strbuf *b, const char *id)
{
	struct strbuf n;
	bool up = true;

	sb_init(&n);
	for (const char *p = id; *p; p++) {
		if (*p == '-') {
			up = true;
			continue;
		}
		sb_putc(&n, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		up = false;
	}
	json_cstring(b, n.buf ? n.buf : "");
	sb_free(&n);
}

/* Markdown as plain text, a JSON string: `code` loses its backquotes. */
static void json_plain(struct strbuf *b, const char *md)
{
	struct strbuf t;

	sb_init(&t);
	for (const char *p = md; *p; p++)
		if (*p != '`')
			sb_putc(&t, *p);
	json_cstring(b, t.buf ? t.buf : "");
	sb_free(&t);
}

static void sarif_rule(struct strbuf *b, const struct diag_rule *r,
		       const char *page, bool last)
{
	bool off = strcmp(r->level, "off") == 0;

	sb_puts(b, "            {\"id\":");
	json_cstring(b, r->name);
	if (strchr(r->name, '-')) {
		/* SARIF wants a name that is not the id again: "Syntax" is */
		sb_puts(b, ",\"name\":");
		sarif_rule_name(b, r->name);
	}
	sb_puts(b, ",\"shortDescription\":{\"text\":");
	json_plain(b, r->summary);
	sb_putc(b, '}');
	sb_puts(b, ",\"fullDescription\":{\"text\":");
	json_plain(b, r->help);
	sb_puts(b, "},\"help\":{\"text\":");
	json_plain(b, r->help);
	sb_puts(b, ",\"markdown\":");
	json_cstring(b, r->help);
	sb_printf(b, "},\"helpUri\":\"" DIAG_DOC_URL "%s#%s\"", page, r->name);
	sb_printf(b, ",\"defaultConfiguration\":{\"level\":\"%s\",\"enabled\":%s}}%s\n",
		  off ? "warning" : r->level, off ? "false" : "true",
		  last ? "" : ",");
}

/* The messages about the run itself (diag_sink_plain's codes), which
 * SARIF lists as notification descriptors. */
static const struct diag_rule run_codes[] = {
	{ "usage", "error", "a mistake on the command line",
	  "An option or argument peerc does not accept; nothing was compiled." },
	{ "io", "error", "a file could not be read or written",
	  "The input, an output file or standard output failed; nothing was written." },
	{ "stale", "note", "an output file is out of date",
	  "`--check` or `--diff`: the file is not what peerc would write now." },
	{ "output", "note", "a file peerc wrote",
	  "`--verbose`: the name of each file written." },
	{ "max-errors", "note", "more errors than --max-errors allows",
	  "The rest of the errors were counted but not reported." },
};

static void sarif_finish(struct diag_sink *s, int status)
{
	struct strbuf b;

	sb_init(&b);
	sb_puts(&b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		"  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
		"      \"tool\": {\n        \"driver\": {\n"
		"          \"name\": \"" PACKAGE_NAME "\",\n"
		"          \"version\": \"" PACKAGE_VERSION "\",\n"
		"          \"semanticVersion\": \"" PACKAGE_VERSION "\",\n"
		"          \"informationUri\": \"" PEERC_HOME "\",\n"
		"          \"rules\": [\n");
	for (size_t i = 0; i < s->nrules; i++)
		sarif_rule(&b, &s->rules[i], "checks.md", i + 1 == s->nrules);
	sb_puts(&b, "          ],\n          \"notifications\": [\n");
	for (size_t i = 0; i < ARRAY_SIZE(run_codes); i++)
		sarif_rule(&b, &run_codes[i], "diagnostics.md",
			   i + 1 == ARRAY_SIZE(run_codes));
	sb_printf(&b, "          ]\n        }\n      },\n"
		  "      \"invocations\": [\n        {\n"
		  "          \"executionSuccessful\": %s,\n"
		  "          \"exitCode\": %d,\n"
		  "          \"toolExecutionNotifications\": [%s%s]\n"
		  "        }\n      ],\n"
		  "      \"columnKind\": \"unicodeCodePoints\",\n"
		  "      \"results\": [%s%s]\n    }\n  ]\n}\n",
		  status == 2 ? "false" : "true", status,
		  s->notifications.buf ? s->notifications.buf : "",
		  s->nnotifications ? "\n          " : "",
		  s->items.buf ? s->items.buf : "", s->nitems ? "\n      " : "");
	fwrite(b.buf, 1, b.len, s->out);
	sb_free(&b);
}

/* ------------------------------------------ github */

/* GitHub's workflow commands: "::error PROPS::MESSAGE", where the message
 * escapes '%', CR and LF, and a property value ':' and ',' too (GitHub
 * Docs, "Workflow commands for GitHub Actions"; actions/toolkit
 * packages/core/src/command.ts). */
static void gh_escape(struct strbuf *b, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			sb_puts(b, "%25");
		else if (*s == '\r')
			sb_puts(b, "%0D");
		else if (*s == '\n')
			sb_puts(b, "%0A");
		else if (property && *s == ':')
			sb_puts(b, "%3A");
		else if (property && *s == ',')
			sb_puts(b, "%2C");
		else
			sb_putc(b, *s);
	}
}

static const char *gh_command(enum diag_severity sev)
{
	return sev == DIAG_ERROR ? "error" : sev == DIAG_WARNING ? "warning" : "notice";
}

/* Columns only when the range is on one line: annotations have no
 * multi-line column range. endColumn is the column after the range, as in
 * SARIF; columns count code points. */
static void gh_props(struct diag_sink *s, struct strbuf *b,
		     const struct source *src, struct loc loc)
{
	if (!src)
		return;
	sb_puts(b, "file=");
	gh_escape(b, src->name, true);
	if (loc_is_none(loc)) {
		sb_putc(b, ',');
		return;
	}
	struct place p = place_of(s, src, loc);
	sb_printf(b, ",line=%u,endLine=%u,", p.line, p.eline);
	if (p.eline == p.line)
		sb_printf(b, "col=%u,endColumn=%u,", p.cp, p.ecp);
}

static void gh_where(struct strbuf *m, const struct source *src, struct loc loc)
{
	struct place p;

	if (loc_is_none(loc)) {
		sb_printf(m, "%s: ", src->name);
		return;
	}
	p = place_bytes(src, loc);
	sb_printf(m, "%s:%u:%u: ", src->name, p.line, p.col);
}

/* One line per diagnostic: its notes and fix-its (GCC's parseable form,
 * -fdiagnostics-parseable-fixits) go in the message, one line each, so the
 * annotation carries all of it. */
static void gh_line(struct diag_sink *s, const struct source *src,
		    enum diag_severity sev, const char *code, const char *msg,
		    struct loc loc, const struct diag *d)
{
	struct strbuf b, m;

	sb_init(&b);
	sb_init(&m);
	sb_puts(&m, msg);
	for (size_t i = 0; d && i < d->nnotes; i++) {
		sb_puts(&m, "\nnote: ");
		gh_where(&m, src, d->notes[i].loc);
		sb_puts(&m, d->notes[i].msg);
	}
	for (size_t i = 0; d && i < d->nfixits; i++) {
		struct place p = place_bytes(src, d->fixits[i].loc);
		sb_puts(&m, "\nfix-it:");
		json_cstring(&m, src->name);
		sb_printf(&m, ":{%u:%u-%u:%u}:", p.line, p.col, p.eline, p.ecol);
		json_cstring(&m, d->fixits[i].text);
	}
	sb_printf(&b, "::%s ", gh_command(sev));
	gh_props(s, &b, src, loc);
	sb_puts(&b, "title=");
	gh_escape(&b, code, true);
	sb_puts(&b, "::");
	gh_escape(&b, m.buf ? m.buf : "", false);
	sb_putc(&b, '\n');
	flush(s->out, &b);
	sb_free(&b);
	sb_free(&m);
}

/* ------------------------------------------ the sink */

void diag_sink_init(struct diag_sink *s, FILE *out, enum diag_format format,
		    bool color, const struct diag_rule *rules, size_t nrules)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->format = format;
	s->color = color && format == DIAG_FORMAT_TEXT;
	s->rules = rules;
	s->nrules = nrules;
	/* text and github keep nothing: a text sink needs no finishing */
	if (format == DIAG_FORMAT_JSON || format == DIAG_FORMAT_SARIF) {
		sb_init(&s->items);
		sb_init(&s->notifications);
	}
}

/* One message about src (NULL: about the run), through the format. */
static void sink_one(struct diag_sink *s, const struct source *src,
		     enum diag_severity sev, const char *code, const char *msg,
		     struct loc loc, const struct diag *d)
{
	char buf[128];
	const char *option = d ? option_of(d, buf, sizeof(buf)) : NULL;

	count(s, sev);
	switch (s->format) {
	case DIAG_FORMAT_TEXT:
		BUG(); /* written by diag_print_all and diag_print_plain */
	case DIAG_FORMAT_JSON:
		json_diag(s, src, sev, code, option, msg, loc, d);
		return;
	case DIAG_FORMAT_SARIF:
		if (src && !loc_is_none(loc) && d)
			sarif_result(s, src, d);
		else
			sarif_notification(s, sev, code, msg, src);
		return;
	case DIAG_FORMAT_GITHUB:
		gh_line(s, src, sev, code, msg, loc, d);
		return;
	}
	BUG();
}

void diag_sink_list(struct diag_sink *s, const struct source *src,
		    const struct diag_list *l)
{
	if (s->format == DIAG_FORMAT_TEXT) {
		diag_print_all(s->out, src, l, s->color);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->items[i];
		/* diag_no_source: about the run (a template that cannot be
		 * read), like diag_sink_plain's messages, not about a file */
		const struct source *at = d->src == &diag_no_source ? NULL :
					  d->src ? d->src : src;
		sink_one(s, at, d->severity, d->name, d->msg, d->loc, d);
	}
	if (l->capped)
		sink_one(s, src, DIAG_NOTE, "max-errors",
			 "too many errors; the rest are not shown", LOC_NONE, NULL);
}

void diag_sink_plain(struct diag_sink *s, enum diag_severity sev,
		     const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->format == DIAG_FORMAT_TEXT)
		diag_print_plain(s->out, sev, s->color, "%s", msg);
	else
		sink_one(s, NULL, sev, code, msg, LOC_NONE, NULL);
}

bool diag_sink_finish(struct diag_sink *s, int status)
{
	if (s->format == DIAG_FORMAT_JSON)
		json_finish(s, status);
	else if (s->format == DIAG_FORMAT_SARIF)
		sarif_finish(s, status);
	sb_free(&s->items);
	sb_free(&s->notifications);
	return fflush(s->out) == 0 && !ferror(s->out);
}
