/* Completion. The text before the cursor is scanned (not parsed: it is
 * usually half-typed) to learn where the cursor is: at the start of a
 * statement, after `->` or `,` of a name list, after `in` or `via`, at an
 * attribute of some block, or after `NAME =`. Each place has its words:
 * statement keywords (snippets when the client takes them), the attributes
 * the resolver accepts in that block, VNet and site names, regions, and the
 * values of `transit`, `gateway` and the flags. */
#include "common.h"

#include "lsp_index.h"
#include "lsp_int.h"
#include "regions.h"
#include "resolve.h"

/* CompletionItemKind values. */
enum { CK_PROPERTY = 10, CK_VALUE = 12, CK_KEYWORD = 14, CK_SNIPPET = 15,
       CK_MODULE = 9, CK_INTERFACE = 8, CK_ENUM_MEMBER = 20 };

#define MAX_DEPTH 8
#define WORD_MAX 64

/* What the scan learns about the cursor's place. */
struct place {
	int depth;                      /* braces open */
	enum stmt_kind stmt;            /* the statement the cursor is in */
	bool in_stmt;                   /* past its keyword */
	bool nested;                    /* in a block inside a block (tags) */
	char block[WORD_MAX];           /* that block's attribute name */
	char prev[WORD_MAX];            /* the token before the cursor's word */
	char attr[WORD_MAX];            /* the word before a `=` */
	char names[2][WORD_MAX];        /* the statement's first two names */
	int nnames;
};

static const char *const stmt_keywords[] = {
	"defaults", "vnet", "peer", "hub", "mesh", "site", "require", "deny",
};

static bool is_word_char(char c)
{
	return c == '_' || c == '-' || c == '.' || c == ':' || c == '/' ||
	       (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static int stmt_of(const char *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(stmt_keywords); i++)
		if (strcmp(w, stmt_keywords[i]) == 0)
			return (int)i;
	return -1;
}

static const enum stmt_kind stmt_kinds[] = {
	STMT_DEFAULTS, STMT_VNET, STMT_PEER, STMT_HUB, STMT_MESH, STMT_SITE,
	STMT_REQUIRE, STMT_DENY,
};

/* Skips white space, comments and strings from t[i]; returns the new i. */
static size_t skip_blank(const char *t, size_t i, size_t end, bool *newline)
{
	while (i < end) {
		if (t[i] == '\n' || t[i] == '\r')
			*newline = true;
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n') {
			i++;
		} else if (t[i] == '#' || (t[i] == '/' && i + 1 < end && t[i + 1] == '/')) {
			while (i < end && t[i] != '\n')
				i++;
		} else if (t[i] == '/' && i + 1 < end && t[i + 1] == '*') {
			const char *e = i + 2 < end ? strstr(t + i + 2, "*/") : NULL;
			i = e && (size_t)(e - t) + 2 <= end ? (size_t)(e - t) + 2 : end;
		} else if (t[i] == '"') {
			for (i++; i < end && t[i] != '"' && t[i] != '\n'; i++)
				if (t[i] == '\\')
					i++;
			i++;
		} else {
			break;
		}
	}
	return i < end ? i : end;
}

static void copy_word(char *dst, const char *src, size_t n)
{
	if (n >= WORD_MAX)
		n = WORD_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* One token at t[i] (a word or a punctuation mark): updates the place. */
static void scan_token(struct place *p, const char *w, size_t n, bool line_start)
{
	char word[WORD_MAX];
	copy_word(word, w, n);
	int kw = p->depth == 0 && (line_start || !p->in_stmt) ? stmt_of(word) : -1;

	if (kw >= 0) {
		p->stmt = stmt_kinds[kw];
		p->in_stmt = true;
		p->nnames = 0;
	} else if (strcmp(word, "{") == 0) {
		p->nested = p->depth > 0;
		if (p->nested)
			memcpy(p->block, p->prev, WORD_MAX);
		p->depth++;
	} else if (strcmp(word, "}") == 0) {
		if (p->depth > 0 && --p->depth == 0)
			p->in_stmt = false;
		p->nested = p->depth > 1;
	} else if (strcmp(word, "=") == 0) {
		memcpy(p->attr, p->prev, WORD_MAX);
	} else if (p->depth == 0 && p->in_stmt && p->nnames < 2 && is_word_char(word[0]) &&
		   strcmp(word, "in") != 0 && strcmp(word, "via") != 0) {
		memcpy(p->names[p->nnames++], word, WORD_MAX);
	}
	memcpy(p->prev, word, WORD_MAX);
}

static void scan_place(struct place *p, const char *t, size_t end)
{
	bool newline = true;

	*p = (struct place){ .stmt = STMT_DEFAULTS };
	for (size_t i = skip_blank(t, 0, end, &newline); i < end;
	     newline = false, i = skip_blank(t, i, end, &newline)) {
		size_t n = 1;
		if (strncmp(t + i, "->", 2) == 0)
			n = 2;
		else if (strncmp(t + i, "<->", 3) == 0)
			n = 3;
		else if (is_word_char(t[i]))
			while (i + n < end && is_word_char(t[i + n]))
				n++;
		if (i + n > end)
			n = end - i;
		scan_token(p, t + i, n, newline);
		i += n;
	}
}

/* ------------------------------------------------------------ items */

struct items {
	json_t *list;
	const struct lsp_server *s;
};

static void item(struct items *it, const char *label, int kind, const char *detail)
{
	json_t *j = json_pack("{s:o,s:i}", "label", lsp_string(label), "kind", kind);

	if (detail)
		json_object_set_new(j, "detail", json_string(detail));
	json_array_append_new(it->list, j);
}

static void items_from(struct items *it, const char *const *words, int kind,
		       const char *detail)
{
	for (; words && *words; words++)
		item(it, *words, kind, detail);
}

static const char *const snippets[] = {
	"defaults {\n  subscription   = \"$1\"\n  resource_group = \"$2\"\n"
	"  location       = ${3:westeurope}\n}",
	"vnet ${1:name} ${2:10.0.0.0/16} {\n  $0\n}",
	"peer ${1:a} <-> ${2:b}",
	"hub ${1:hub} -> ${2:spoke1}, ${3:spoke2}",
	"mesh ${1:a}, ${2:b}, ${3:c}",
	"site ${1:onprem} ${2:192.168.0.0/16} via ${3:hub}",
	"require ${1:a} <-> ${2:b}",
	"deny ${1:a} <-> ${2:b}",
};

static void keywords(struct items *it)
{
	for (size_t i = 0; i < ARRAY_SIZE(stmt_keywords); i++) {
		if (!it->s->snippets) {
			item(it, stmt_keywords[i], CK_KEYWORD, "statement");
			continue;
		}
		json_array_append_new(it->list, json_pack("{s:s,s:i,s:s,s:s,s:i}",
			"label", stmt_keywords[i], "kind", CK_SNIPPET, "detail",
			"statement", "insertText", snippets[i], "insertTextFormat", 2));
	}
}

static void names(struct items *it, const struct ast_file *f, bool sites)
{
	struct name_index x;

	name_index_build(&x, f ? f : &(struct ast_file){ 0 });
	for (size_t i = 0; i < x.n; i++) {
		const struct name_use *u = &x.uses[i];
		if (u->role == NAME_VNET_DEF)
			item(it, u->name, CK_MODULE, "vnet");
		else if (u->role == NAME_SITE_DEF && sites)
			item(it, u->name, CK_INTERFACE, "site");
	}
	name_index_free(&x);
}

static void regions(struct items *it)
{
	for (size_t i = 0; i < region_count(); i++)
		item(it, region_at(i), CK_ENUM_MEMBER, "Azure region");
}

#define MAX_ATTRS 64

/* The table of the cursor's block (or of a side, for `A.x`). */
static size_t block_attrs(const struct place *p, bool side, struct resolve_attr *a)
{
	if (p->nested && (p->depth > 2 || p->stmt != STMT_VNET))
		return 0;
	return resolve_attrs_of(p->stmt, p->nested ? p->block : NULL, side, a, MAX_ATTRS);
}

static void values(struct items *it, const struct place *p)
{
	static const char *const flags[] = { "true", "false", NULL };
	const char *dot = strrchr(p->attr, '.');
	const char *a = dot ? dot + 1 : p->attr;
	struct resolve_attr attrs[MAX_ATTRS];
	size_t n = block_attrs(p, dot != NULL, attrs);

	if (strcmp(a, "location") == 0)
		regions(it);
	/* in peer and hub blocks, gateway names the side whose gateway serves */
	if (strcmp(a, "gateway") == 0 && (p->stmt == STMT_PEER || p->stmt == STMT_HUB)) {
		for (int i = 0; i < p->nnames && (i == 0 || p->stmt == STMT_PEER); i++)
			item(it, p->names[i], CK_MODULE, "the side whose gateway serves");
		item(it, "none", CK_ENUM_MEMBER, "no gateway transit");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(attrs[i].name, a) != 0)
			continue;
		items_from(it, attrs[i].choices, CK_ENUM_MEMBER, a);
		if (attrs[i].flag)
			items_from(it, flags, CK_VALUE, NULL);
		return;
	}
}

/* At an attribute of the cursor's block: its names, or a side's. */
static void attributes(struct items *it, const struct place *p, const char *typed)
{
	bool side = strchr(typed, '.') && (p->stmt == STMT_PEER || p->stmt == STMT_HUB);
	struct resolve_attr attrs[MAX_ATTRS];
	size_t n = block_attrs(p, side, attrs);

	for (size_t i = 0; i < n; i++) {
		bool seen = false; /* a name with two forms (gateway) is one item */
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(attrs[k].name, attrs[i].name) == 0;
		if (!seen)
			item(it, attrs[i].name, CK_PROPERTY,
			     side ? "side setting" : p->nested ? p->block :
			     stmt_kind_name(p->stmt));
	}
	if (side || p->nested)
		return;
	if (p->stmt == STMT_HUB) {
		item(it, "hub.", CK_PROPERTY, "the hub's side");
		item(it, "spokes.", CK_PROPERTY, "the spokes' sides");
	}
	for (int i = 0; p->stmt == STMT_PEER && i < p->nnames; i++) {
		char q[WORD_MAX + 1];
		snprintf(q, sizeof(q), "%s.", p->names[i]);
		item(it, q, CK_PROPERTY, "this side's settings");
	}
}

/* Whether the statement goes on past a line break here. */
static bool continues(const char *prev)
{
	return strcmp(prev, ",") == 0 || strcmp(prev, "->") == 0 ||
	       strcmp(prev, "<->") == 0 || strcmp(prev, "in") == 0 ||
	       strcmp(prev, "via") == 0 || stmt_of(prev) >= 0;
}

static void complete(struct items *it, const struct place *p, const char *typed,
		     bool line_start, const struct ast_file *f)
{
	const char *prev = p->prev;

	if (p->depth == 0 && line_start && !continues(prev)) {
		keywords(it);
	} else if (p->depth > 0) {
		if (strcmp(prev, "=") == 0)
			values(it, p);
		else if (strcmp(prev, ",") != 0)
			attributes(it, p, typed);
	} else if (!p->in_stmt) {
		keywords(it);
	} else if (strcmp(prev, "in") == 0) {
		regions(it);
	} else if (strcmp(prev, "via") == 0) {
		names(it, f, false);
	} else if (p->stmt != STMT_VNET && p->stmt != STMT_SITE &&
		   p->stmt != STMT_DEFAULTS &&
		   (strcmp(prev, "->") == 0 || strcmp(prev, "<->") == 0 ||
		    strcmp(prev, ",") == 0 || stmt_of(prev) >= 0)) {
		names(it, f, p->stmt == STMT_REQUIRE || p->stmt == STMT_DENY);
	}
}

json_t *lsp_completion(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);
	uint32_t off;

	if (!doc || !lsp_offset_param(s, doc, params, &off, err))
		return NULL;
	/* the word being typed is not context: back up over it */
	uint32_t start = off;
	while (start > 0 && is_word_char(doc->text.buf[start - 1]))
		start--;
	char typed[WORD_MAX];
	copy_word(typed, doc->text.buf + start, off - start);
	uint32_t bol = start;
	while (bol > 0 && (doc->text.buf[bol - 1] == ' ' || doc->text.buf[bol - 1] == '\t'))
		bol--;
	bool line_start = bol == 0 || doc->text.buf[bol - 1] == '\n' ||
			  doc->text.buf[bol - 1] == '\r';
	struct place p;
	scan_place(&p, doc->text.buf, start);
	struct items it = { json_array(), s };
	complete(&it, &p, typed, line_start, doc->result->ast);
	return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", it.list);
}
