/* Moving around a .peer file by its names: definition, references,
 * highlights, rename, and the outline (document symbols). All from the
 * name index (lsp_index.c), so they work while the file has errors. */
#include "common.h"

#include "ast.h"
#include "lsp_index.h"
#include "lsp_int.h"
#include "lsp_rpc.h"

/* The document, the index of its names and the name at the position. */
struct nav {
	struct lsp_doc *doc;
	struct name_index index;
	const struct name_use *at; /* NULL: no name there */
};

static bool nav_open(struct lsp_server *s, json_t *params, struct nav *n,
		     struct lsp_error *err)
{
	uint32_t off;

	n->doc = lsp_doc_param(s, params, err);
	if (!n->doc || !lsp_offset_param(s, n->doc, params, &off, err))
		return false;
	name_index_build(&n->index, n->doc->result->ast ? n->doc->result->ast :
			 &(struct ast_file){ 0 });
	n->at = name_index_at(&n->index, off);
	return true;
}

json_t *lsp_definition(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct nav n;

	if (!nav_open(s, params, &n, err))
		return NULL;
	const struct name_use *def = n.at ? name_index_def(&n.index, n.at->name) : NULL;
	json_t *result = def ? lsp_location(s, n.doc, def->loc) : json_null();
	name_index_free(&n.index);
	return result;
}

json_t *lsp_references(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct nav n;
	int decl = 1;

	if (!nav_open(s, params, &n, err))
		return NULL;
	json_unpack(params, "{s:{s:b}}", "context", "includeDeclaration", &decl);
	json_t *list = json_array();
	for (size_t i = 0; n.at && i < n.index.n; i++) {
		const struct name_use *u = &n.index.uses[i];
		if (strcmp(u->name, n.at->name) == 0 && (decl || u->role == NAME_USE))
			json_array_append_new(list, lsp_location(s, n.doc, u->loc));
	}
	name_index_free(&n.index);
	return list;
}

json_t *lsp_highlight(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	enum { READ = 2, WRITE = 3 }; /* DocumentHighlightKind */
	struct nav n;

	if (!nav_open(s, params, &n, err))
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; n.at && i < n.index.n; i++) {
		const struct name_use *u = &n.index.uses[i];
		if (strcmp(u->name, n.at->name) == 0)
			json_array_append_new(list, json_pack("{s:o,s:i}", "range",
				lsp_range(s, n.doc, u->loc), "kind",
				u->role == NAME_USE ? READ : WRITE));
	}
	name_index_free(&n.index);
	return list;
}

json_t *lsp_prepare_rename(struct lsp_server *s, json_t *params,
			   struct lsp_error *err)
{
	struct nav n;

	if (!nav_open(s, params, &n, err))
		return NULL;
	json_t *result = json_null();
	if (n.at && name_index_def(&n.index, n.at->name))
		result = json_pack("{s:o,s:s}", "range", lsp_range(s, n.doc, n.at->loc),
				   "placeholder", n.at->name);
	name_index_free(&n.index);
	return result;
}

/* A name the scanner reads as one identifier, and not a value keyword. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		bool ok = c == '_' || c == '-' || (c >= '0' && c <= '9') ||
			  ((c | 32) >= 'a' && (c | 32) <= 'z');
		if (!ok)
			return false;
	}
	return s[n - 1] != '-' && strcmp(s, "true") != 0 && strcmp(s, "false") != 0;
}

static json_t *rename_error(struct lsp_error *err, const char *why)
{
	err->code = RPC_REQUEST_FAILED;
	err->message = why;
	return NULL;
}

static json_t *rename_edits(struct lsp_server *s, const struct nav *n,
			    const char *to)
{
	json_t *edits = json_array();

	for (size_t i = 0; i < n->index.n; i++) {
		const struct name_use *u = &n->index.uses[i];
		if (strcmp(u->name, n->at->name) == 0)
			json_array_append_new(edits, json_pack("{s:o,s:s}", "range",
				lsp_range(s, n->doc, u->loc), "newText", to));
	}
	return json_pack("{s:{s:o}}", "changes", n->doc->uri, edits);
}

json_t *lsp_rename(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct nav n;
	const char *to = NULL;

	if (json_unpack(params, "{s:s}", "newName", &to) != 0)
		return lsp_bad_params(err, "newName is missing");
	if (!nav_open(s, params, &n, err))
		return NULL;
	json_t *result = NULL;
	if (!n.at || !name_index_def(&n.index, n.at->name))
		rename_error(err, "there is no VNet or site name here to rename");
	else if (!valid_name(to))
		rename_error(err, "not a name: a letter or '_', then letters, digits, "
			     "'_' or '-', not ending in '-'");
	else if (strcmp(to, n.at->name) != 0 && name_index_def(&n.index, to))
		rename_error(err, "that name is taken: another VNet or site has it");
	else
		result = rename_edits(s, &n, to);
	name_index_free(&n.index);
	return result;
}

/* ------------------------------------------------------------ outline */

/* SymbolKind values (LSP 3.17). */
enum { SK_MODULE = 2, SK_NAMESPACE = 3, SK_PACKAGE = 4, SK_FIELD = 8,
       SK_INTERFACE = 11, SK_KEY = 20, SK_EVENT = 24 };

static int stmt_symbol_kind(enum stmt_kind k)
{
	switch (k) {
	case STMT_VNET: return SK_MODULE;
	case STMT_SITE: return SK_PACKAGE;
	case STMT_HUB: return SK_NAMESPACE;
	case STMT_MESH: return SK_INTERFACE;
	case STMT_PEER: return SK_EVENT;
	case STMT_DEFAULTS: return SK_NAMESPACE;
	case STMT_REQUIRE:
	case STMT_DENY: return SK_KEY;
	}
	BUG();
}

/* "hub -> a, b", "a <-> b", "mesh a, b", the handle of a vnet or site. */
static char *stmt_symbol_name(const struct stmt *st)
{
	struct strbuf sb;
	const struct ident *id = st->names;

	sb_init(&sb);
	switch (st->kind) {
	case STMT_VNET:
	case STMT_SITE:
		sb_puts(&sb, id ? id->name : "?");
		break;
	case STMT_DEFAULTS:
		sb_puts(&sb, "defaults");
		break;
	default:
		if (st->kind != STMT_PEER && st->kind != STMT_HUB)
			sb_printf(&sb, "%s ", stmt_kind_name(st->kind));
		for (size_t i = 0; id; id = id->next, i++) {
			bool arrow = st->kind == STMT_HUB ? i == 1 :
				     st->kind != STMT_MESH && i == 1;
			if (i > 0)
				sb_puts(&sb, arrow ? (st->kind == STMT_HUB ? " -> " : " <-> ") : ", ");
			sb_puts(&sb, id->name);
		}
	}
	return sb.buf;
}

static json_t *subnet_symbols(struct lsp_server *s, struct lsp_doc *doc,
			      const struct stmt *st)
{
	json_t *list = json_array();

	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (!at->has_block || strcmp(at->name, "subnets") != 0)
			continue;
		for (const struct attr *sn = at->block; sn; sn = sn->next)
			json_array_append_new(list, json_pack("{s:o,s:i,s:o,s:o}",
				"name", lsp_string(sn->name), "kind", SK_FIELD,
				"range", lsp_range(s, doc, sn->loc),
				"selectionRange", lsp_range(s, doc, sn->name_loc)));
	}
	return list;
}

static json_t *symbol(struct lsp_server *s, struct lsp_doc *doc,
		      const struct stmt *st)
{
	char *name = stmt_symbol_name(st);
	struct loc sel = st->kind == STMT_VNET || st->kind == STMT_SITE ?
			 st->names->loc : st->kw_loc;
	json_t *j;

	if (s->hierarchical)
		j = json_pack("{s:o,s:s,s:i,s:o,s:o}", "name", lsp_string(name),
			      "detail", stmt_kind_name(st->kind), "kind",
			      stmt_symbol_kind(st->kind), "range",
			      lsp_range(s, doc, st->loc), "selectionRange",
			      lsp_range(s, doc, sel));
	else
		j = json_pack("{s:o,s:i,s:o}", "name", lsp_string(name), "kind",
			      stmt_symbol_kind(st->kind), "location",
			      lsp_location(s, doc, st->loc));
	if (s->hierarchical && st->kind == STMT_VNET)
		json_object_set_new(j, "children", subnet_symbols(s, doc, st));
	free(name);
	return j;
}

json_t *lsp_symbols(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);

	if (!doc)
		return NULL;
	json_t *list = json_array();
	const struct ast_file *f = doc->result->ast;
	for (const struct stmt *st = f ? f->stmts : NULL; st; st = st->next)
		if (st->kind == STMT_DEFAULTS || st->names)
			json_array_append_new(list, symbol(s, doc, st));
	return list;
}
