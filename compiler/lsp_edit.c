/* Edits the server proposes: formatting (peerc fmt's layout, sent as the
 * few line edits that turn the document into it) and quick fixes (every
 * fix-it a diagnostic carries). */
#include "common.h"

#include "diag.h"
#include "fmt.h"
#include "lsp_int.h"
#include "lsp_rpc.h"
#include "textdiff.h"

/* A text cut into lines, each with its '\n', the last maybe without. */
struct lines {
	const char *text;
	uint32_t *start; /* n + 1 entries: the last is the text's length */
	uint32_t *id;    /* equal lines have equal ids */
	size_t n;
};

static void lines_cut(struct lines *l, const char *text, size_t len,
		      struct strmap *ids, struct arena *a)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	n += len > 0 && text[len - 1] != '\n';
	*l = (struct lines){ text, xcalloc(n + 1, sizeof(uint32_t)),
			     xcalloc(n + 1, sizeof(uint32_t)), n };
	for (size_t i = 0, k = 0; i < len; i++)
		if (text[i] == '\n' && k < n)
			l->start[++k] = (uint32_t)(i + 1);
	l->start[n] = (uint32_t)len;
	for (size_t k = 0; k < n; k++) {
		char *key = arena_strndup(a, text + l->start[k], l->start[k + 1] - l->start[k]);
		void *id = (void *)(uintptr_t)(ids->n + 1);
		void *old = strmap_put(ids, key, id);
		l->id[k] = (uint32_t)(uintptr_t)(old ? old : id);
	}
}

static void lines_free(struct lines *l)
{
	free(l->start);
	free(l->id);
}

static void add_edit(struct lsp_server *s, struct lsp_doc *doc, json_t *edits,
		     struct loc within, struct loc at, const char *text, size_t len)
{
	bool touches = loc_is_none(within) ||
		(at.start == at.end ? within.start <= at.start && at.start <= within.end :
		 within.start == within.end ? at.start <= within.start && within.start < at.end :
		 at.start < within.end && within.start < at.end);

	if (!touches)
		return;
	json_array_append_new(edits, json_pack("{s:o,s:s%}", "range",
		lsp_range(s, doc, at), "newText", text, len));
}

/* The edits, as TextEdits, that turn doc into `to`; only those touching
 * `within` (LOC_NONE: all). */
static json_t *line_edits(struct lsp_server *s, struct lsp_doc *doc,
			  const char *to, size_t to_len, struct loc within)
{
	struct arena *a = arena_new();
	struct strmap ids;
	struct lines old, new;
	json_t *edits = json_array();

	strmap_init(&ids, a);
	lines_cut(&old, doc->text.buf, doc->text.len, &ids, a);
	lines_cut(&new, to, to_len, &ids, a);
	bool *del = xcalloc(old.n + 1, 1), *ins = xcalloc(new.n + 1, 1);
	diff_seq(old.id, old.n, new.id, new.n, del, ins);
	for (size_t i = 0, j = 0; i < old.n || j < new.n;) {
		if (i < old.n && j < new.n && !del[i] && !ins[j]) {
			i++, j++;
			continue;
		}
		size_t i0 = i, j0 = j;
		while (i < old.n && del[i])
			i++;
		while (j < new.n && ins[j])
			j++;
		/* a run of changed lines that stays as many lines is one edit per
		 * line, so a range formatting touches only its own lines */
		size_t step = i - i0 == j - j0 ? 1 : 0;
		for (size_t k = 0; step ? k < i - i0 : k == 0; k++) {
			size_t a0 = i0 + k, a1 = step ? a0 + 1 : i;
			size_t b0 = j0 + k, b1 = step ? b0 + 1 : j;
			add_edit(s, doc, edits, within,
				 (struct loc){ old.start[a0], old.start[a1] },
				 to + new.start[b0], new.start[b1] - new.start[b0]);
		}
	}
	free(del);
	free(ins);
	lines_free(&old);
	lines_free(&new);
	arena_free(a);
	return edits;
}

static json_t *format(struct lsp_server *s, json_t *params, struct loc within,
		      struct lsp_doc *doc, struct lsp_error *err)
{
	struct peerc_result *r = peerc_format(doc->uri, doc->text.buf, doc->text.len);
	json_t *edits = NULL;

	if (r->noutputs == 1)
		edits = line_edits(s, doc, r->outputs[0].data, r->outputs[0].len, within);
	else {
		err->code = RPC_REQUEST_FAILED;
		err->message = "the document has syntax errors: fix them to format it";
	}
	peerc_result_free(r);
	return edits;
}

json_t *lsp_formatting(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);

	return doc ? format(s, params, LOC_NONE, doc, err) : NULL;
}

json_t *lsp_range_formatting(struct lsp_server *s, json_t *params,
			     struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);
	struct loc within;

	if (!doc)
		return NULL;
	if (!lsp_range_parse(&doc->lines, json_object_get(params, "range"), s->enc,
			     &within))
		return lsp_bad_params(err, "range is missing or not a Range");
	return format(s, params, within, doc, err);
}

/* ------------------------------------------------------------ quick fixes */

/* A title is one line in every client's menu: a fix-it that inserts a
 * whole statement ("peer a <-> b\n") shows its first line, and text past
 * 40 bytes is cut with "...". */
static void title_text(struct strbuf *sb, const char *text, size_t len)
{
	while (len && (*text == '\n' || *text == ' '))
		text++, len--;
	size_t n = 0;
	while (n < len && n < 40 && text[n] != '\n' && text[n] != '\r')
		n++;
	while (n && text[n - 1] == ' ')
		n--;
	while (n < len && n > 0 && (text[n] & 0xc0) == 0x80)
		n--; /* not inside a UTF-8 sequence */
	bool cut = false;
	for (size_t i = n; i < len; i++)
		cut = cut || (text[i] != '\n' && text[i] != '\r' && text[i] != ' ');
	sb_printf(sb, "'%.*s%s'", (int)n, text, cut ? "..." : "");
}

static char *fix_title(const struct lsp_doc *doc, const struct diag_fixit *f)
{
	struct strbuf sb;
	size_t old = f->loc.end - f->loc.start;
	const char *was = doc->text.buf + f->loc.start;

	sb_init(&sb);
	if (old == 0) {
		sb_puts(&sb, "Insert ");
		title_text(&sb, f->text, strlen(f->text));
	} else if (!*f->text) {
		sb_puts(&sb, "Remove ");
		title_text(&sb, was, old);
	} else {
		sb_puts(&sb, "Change ");
		title_text(&sb, was, old);
		sb_puts(&sb, " to ");
		title_text(&sb, f->text, strlen(f->text));
	}
	return sb.buf;
}

static json_t *quick_fix(struct lsp_server *s, struct lsp_doc *doc,
			 const struct diag *d, const struct diag_fixit *f)
{
	char *title = fix_title(doc, f);
	json_t *edit = json_pack("{s:o,s:o}", "range", lsp_range(s, doc, f->loc),
				 "newText", lsp_string(f->text));
	json_t *action = json_pack("{s:o,s:s,s:[o],s:b,s:{s:{s:[o]}}}",
		"title", lsp_string(title), "kind", "quickfix",
		"diagnostics", lsp_diagnostic(s, doc, d),
		"isPreferred", d->nfixits == 1,
		"edit", "changes", doc->uri, edit);
	free(title);
	return action;
}

static bool wants_quickfix(json_t *params)
{
	json_t *only = NULL, *k;
	size_t i;

	json_unpack(params, "{s:{s:o}}", "context", "only", &only);
	if (!json_is_array(only))
		return true;
	json_array_foreach(only, i, k)
		if (json_is_string(k) && strncmp(json_string_value(k), "quickfix", 8) == 0)
			return true;
	return false;
}

json_t *lsp_code_action(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);
	struct loc range;

	if (!doc)
		return NULL;
	if (!lsp_range_parse(&doc->lines, json_object_get(params, "range"), s->enc, &range))
		return lsp_bad_params(err, "range is missing or not a Range");
	/* the whole lines: a cursor anywhere on a line finds its fixes */
	struct lsp_position a = lsp_position_of(&doc->lines, range.start, s->enc);
	struct lsp_position b = lsp_position_of(&doc->lines, range.end, s->enc);
	range.start = lsp_offset_of(&doc->lines, (struct lsp_position){ a.line, 0 }, s->enc);
	range.end = lsp_offset_of(&doc->lines, (struct lsp_position){ b.line, UINT32_MAX },
				  s->enc);
	json_t *actions = json_array();
	const struct diag_list *l = &doc->result->diags;
	for (size_t i = 0; wants_quickfix(params) && i < l->n; i++) {
		const struct diag *d = &l->items[i];
		if (d->src || loc_is_none(d->loc) || d->loc.start > range.end ||
		    range.start > d->loc.end)
			continue;
		for (size_t k = 0; k < d->nfixits; k++)
			json_array_append_new(actions, quick_fix(s, doc, d, &d->fixits[k]));
	}
	return actions;
}
