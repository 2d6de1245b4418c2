/* Diagnostics as LSP wants them: the library's records, each with its
 * range, severity, code (the -W name), a link to its row of doc/checks.md,
 * its notes as related information, and its fix-its left for code actions
 * (lsp_edit.c). */
#include "common.h"

#include "diag.h"
#include "lsp_int.h"
#include "rules.h"
#include "utf8.h"

json_t *lsp_string(const char *text)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t n = strlen(text);
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < n;) {
		size_t bad = 1, len = t[i] < 0x80 ? 1 : utf8_valid(t + i, n - i, &bad);
		if (len) {
			sb_putn(&sb, text + i, len);
			i += len;
		} else {
			sb_puts(&sb, "\xEF\xBF\xBD"); /* U+FFFD */
			i += bad;
		}
	}
	json_t *j = json_stringn(sb.buf, sb.len);
	sb_free(&sb);
	return j;
}

static int severity(const struct diag *d)
{
	switch (d->severity) {
	case DIAG_ERROR:
		return 1;
	case DIAG_WARNING:
		return 2;
	case DIAG_NOTE:
		return 3;
	}
	BUG();
}

static json_t *related(const struct lsp_server *s, const struct lsp_doc *doc,
		       const struct diag *d)
{
	json_t *list = json_array();

	for (size_t i = 0; i < d->nnotes; i++)
		json_array_append_new(list, json_pack("{s:o,s:s}", "location",
			lsp_location(s, doc, d->notes[i].loc), "message",
			d->notes[i].msg));
	return list;
}

json_t *lsp_diagnostic(const struct lsp_server *s, const struct lsp_doc *doc,
		       const struct diag *d)
{
	char link[256];
	/* a message about another file (a template) has no place in this one */
	struct loc loc = d->src ? LOC_NONE : d->loc;
	json_t *j = json_pack("{s:o,s:i,s:s,s:o}", "range", lsp_range(s, doc, loc),
			      "severity", severity(d), "source", "peerc",
			      "message", lsp_string(d->msg));

	if (d->name)
		json_object_set_new(j, "code", lsp_string(d->name));
	/* the row of doc/checks.md that SARIF's rule links to as well */
	if (rules_doc_link(d->name, link, sizeof(link)))
		json_object_set_new(j, "codeDescription", json_pack("{s:s}", "href", link));
	if (d->nnotes)
		json_object_set_new(j, "relatedInformation", related(s, doc, d));
	/* a VNet nothing peers is dead code, which editors grey out */
	if (d->name && strcmp(d->name, "unpeered-vnet") == 0)
		json_object_set_new(j, "tags", json_pack("[i]", 1));
	return j;
}

json_t *lsp_diagnostics(const struct lsp_server *s, const struct lsp_doc *doc)
{
	json_t *list = json_array();
	const struct diag_list *l = &doc->result->diags;

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(list, lsp_diagnostic(s, doc, &l->items[i]));
	return json_pack("{s:s,s:I,s:o}", "uri", doc->uri, "version",
			 doc->version, "diagnostics", list);
}
