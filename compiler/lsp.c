/* The language server's core: the message loop with its debounce, the
 * lifecycle LSP prescribes, the method table, and document sync. The
 * features are in lsp_nav.c, lsp_hover.c, lsp_complete.c and lsp_edit.c;
 * framing is lsp_rpc.c's. Each document is compiled again from scratch with
 * the library (compiling a 5,000-line file takes milliseconds), at most once
 * per pause in the client's edits. */
#include "common.h"

#include <getopt.h>
#include <signal.h>

#include "cli.h"
#include "diag.h"
#include "lsp_int.h"
#include "lsp_rpc.h"
#include "subcmd.h"

/* ------------------------------------------------------------ documents */

static struct lsp_doc *doc_find(struct lsp_server *s, const char *uri)
{
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (strcmp(d->uri, uri) == 0)
			return d;
	return NULL;
}

static void doc_free(struct lsp_doc *d)
{
	free(d->uri);
	sb_free(&d->text);
	lsp_lines_free(&d->lines);
	if (d->good != d->result)
		peerc_result_free(d->good);
	peerc_result_free(d->result);
	free(d);
}

static void doc_set_lines(struct lsp_doc *d)
{
	lsp_lines_free(&d->lines);
	lsp_lines_init(&d->lines, d->text.buf, d->text.len);
	d->dirty = true;
}

/* The name in messages: the path of a file: URI. */
static const char *doc_name(const struct lsp_doc *d)
{
	return strncmp(d->uri, "file://", 7) == 0 ? d->uri + 7 : d->uri;
}

static void publish(struct lsp_server *s, json_t *params)
{
	if (!rpc_write(s->out_fd, rpc_notification("textDocument/publishDiagnostics",
						  params)))
		s->broken = true;
}

/* Compiles a changed document and sends its diagnostics. */
static void doc_refresh(struct lsp_server *s, struct lsp_doc *d)
{
	if (!d->dirty)
		return;
	struct peerc_result *r = peerc_compile(&s->opts, doc_name(d), d->text.buf,
					       d->text.len);
	if (d->result != d->good)
		peerc_result_free(d->result);
	if (r->sema) {
		peerc_result_free(d->good);
		d->good = r;
	}
	d->result = r;
	d->dirty = false;
	publish(s, lsp_diagnostics(s, d));
}

static void refresh_all(struct lsp_server *s)
{
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		doc_refresh(s, d);
}

static bool any_dirty(const struct lsp_server *s)
{
	for (const struct lsp_doc *d = s->docs; d; d = d->next)
		if (d->dirty)
			return true;
	return false;
}

json_t *lsp_bad_params(struct lsp_error *err, const char *why)
{
	err->code = RPC_INVALID_PARAMS;
	err->message = why;
	return NULL;
}

static const char *uri_param(json_t *params)
{
	const char *uri = NULL;

	json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri);
	return uri;
}

struct lsp_doc *lsp_doc_param(struct lsp_server *s, json_t *params,
			      struct lsp_error *err)
{
	const char *uri = uri_param(params);
	struct lsp_doc *d = uri ? doc_find(s, uri) : NULL;

	if (!d) {
		lsp_bad_params(err, uri ? "the document is not open" :
				    "textDocument.uri is missing");
		return NULL;
	}
	doc_refresh(s, d);
	return d;
}

bool lsp_offset_param(struct lsp_server *s, struct lsp_doc *doc,
		      json_t *params, uint32_t *off, struct lsp_error *err)
{
	struct lsp_position p;

	if (!lsp_position_parse(json_object_get(params, "position"), &p)) {
		lsp_bad_params(err, "position is missing or not a Position");
		return false;
	}
	*off = lsp_offset_of(&doc->lines, p, s->enc);
	return true;
}

json_t *lsp_range(const struct lsp_server *s, const struct lsp_doc *doc,
		  struct loc loc)
{
	return lsp_range_json(&doc->lines, loc, s->enc);
}

json_t *lsp_location(const struct lsp_server *s, const struct lsp_doc *doc,
		     struct loc loc)
{
	return json_pack("{s:s,s:o}", "uri", doc->uri, "range",
			 lsp_range(s, doc, loc));
}

/* ------------------------------------------------------------ sync */

static json_t *did_open(struct lsp_server *s, json_t *params,
			struct lsp_error *err)
{
	const char *uri, *text;
	size_t len;
	json_int_t version = 0;

	if (json_unpack(params, "{s:{s:s,s?I,s:s%}}", "textDocument", "uri", &uri,
			"version", &version, "text", &text, &len) != 0)
		return lsp_bad_params(err, "textDocument needs uri and text");
	struct lsp_doc *d = doc_find(s, uri);
	if (!d) {
		d = xcalloc(1, sizeof(*d));
		d->uri = xstrdup(uri);
		sb_init(&d->text);
		d->next = s->docs;
		s->docs = d;
	}
	d->version = version;
	sb_reset(&d->text);
	sb_putn(&d->text, text, len);
	doc_set_lines(d);
	return json_null();
}

/* One entry of contentChanges: a range and its new text, or a whole text. */
static bool apply_change(struct lsp_server *s, struct lsp_doc *d, json_t *c)
{
	const char *text;
	size_t len;
	json_t *range = NULL;
	struct loc at = { 0, (uint32_t)d->text.len };

	if (json_unpack(c, "{s?o,s:s%}", "range", &range, "text", &text, &len) != 0)
		return false;
	if (range && !lsp_range_parse(&d->lines, range, s->enc, &at))
		return false;
	struct strbuf nt;
	sb_init(&nt);
	sb_putn(&nt, d->text.buf, at.start);
	sb_putn(&nt, text, len);
	sb_putn(&nt, d->text.buf + at.end, d->text.len - at.end);
	sb_free(&d->text);
	d->text = nt;
	doc_set_lines(d);
	return true;
}

static json_t *did_change(struct lsp_server *s, json_t *params,
			  struct lsp_error *err)
{
	const char *uri = uri_param(params);
	struct lsp_doc *d = uri ? doc_find(s, uri) : NULL;
	json_t *changes = json_object_get(params, "contentChanges");
	json_int_t version = 0;
	size_t i;
	json_t *c;

	if (!d || !json_is_array(changes))
		return lsp_bad_params(err, "an open document and contentChanges are needed");
	json_array_foreach(changes, i, c)
		if (!apply_change(s, d, c))
			return lsp_bad_params(err, "a content change is not valid");
	if (json_unpack(params, "{s:{s:I}}", "textDocument", "version", &version) == 0)
		d->version = version;
	return json_null();
}

static json_t *did_close(struct lsp_server *s, json_t *params,
			 struct lsp_error *err)
{
	const char *uri = uri_param(params);

	for (struct lsp_doc **p = &s->docs; uri && *p; p = &(*p)->next) {
		if (strcmp((*p)->uri, uri) != 0)
			continue;
		struct lsp_doc *d = *p;
		*p = d->next;
		publish(s, json_pack("{s:s,s:[]}", "uri", uri, "diagnostics"));
		doc_free(d);
		return json_null();
	}
	return lsp_bad_params(err, "the document is not open");
}

/* ------------------------------------------------------------ lifecycle */

static enum lsp_encoding pick_encoding(json_t *params)
{
	json_t *encs = NULL, *e;
	size_t i;

	json_unpack(params, "{s:{s:{s:o}}}", "capabilities", "general",
		    "positionEncodings", &encs);
	json_array_foreach(encs, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0)
			return LSP_UTF8;
	return LSP_UTF16;
}

static json_t *capabilities(const struct lsp_server *s)
{
	return json_pack(
		"{s:s,s:{s:b,s:i},s:b,s:b,s:b,s:b,s:b,s:{s:b},"
		"s:{s:[s,s,s],s:b},s:b,s:b,s:{s:[s]}}",
		"positionEncoding", s->enc == LSP_UTF8 ? "utf-8" : "utf-16",
		"textDocumentSync", "openClose", 1, "change", 2,
		"hoverProvider", 1,
		"definitionProvider", 1,
		"referencesProvider", 1,
		"documentHighlightProvider", 1,
		"documentSymbolProvider", 1,
		"renameProvider", "prepareProvider", 1,
		"completionProvider", "triggerCharacters", ".", ">", "=",
		"resolveProvider", 0,
		"documentFormattingProvider", 1,
		"documentRangeFormattingProvider", 1,
		"codeActionProvider", "codeActionKinds", "quickfix");
}

static json_t *initialize(struct lsp_server *s, json_t *params,
			  struct lsp_error *err)
{
	int snippets = 0, hierarchical = 0;

	if (!json_is_object(params))
		return lsp_bad_params(err, "initialize takes an object");
	json_unpack(params, "{s:{s:{s:{s:{s:b}}}}}", "capabilities",
		    "textDocument", "completion", "completionItem",
		    "snippetSupport", &snippets);
	json_unpack(params, "{s:{s:{s:{s:b}}}}", "capabilities", "textDocument",
		    "documentSymbol", "hierarchicalDocumentSymbolSupport",
		    &hierarchical);
	s->snippets = snippets;
	s->hierarchical = hierarchical;
	s->enc = pick_encoding(params);
	s->initialized = true;
	return json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities(s),
			 "serverInfo", "name", "peerc", "version", PACKAGE_VERSION);
}

static json_t *ignore(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	return json_null();
}

static json_t *shutdown_(struct lsp_server *s, json_t *params,
			 struct lsp_error *err)
{
	s->shutdown = true;
	return json_null();
}

static json_t *exit_(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	s->exited = true;
	return json_null();
}

/* ------------------------------------------------------------ dispatch */

struct method {
	const char *name;
	lsp_method_fn *fn;
};

static const struct method methods[] = {
	{ "initialize", initialize },
	{ "initialized", ignore },
	{ "shutdown", shutdown_ },
	{ "exit", exit_ },
	{ "textDocument/didOpen", did_open },
	{ "textDocument/didChange", did_change },
	{ "textDocument/didClose", did_close },
	{ "textDocument/didSave", ignore },
	{ "textDocument/hover", lsp_hover },
	{ "textDocument/definition", lsp_definition },
	{ "textDocument/references", lsp_references },
	{ "textDocument/documentHighlight", lsp_highlight },
	{ "textDocument/prepareRename", lsp_prepare_rename },
	{ "textDocument/rename", lsp_rename },
	{ "textDocument/documentSymbol", lsp_symbols },
	{ "textDocument/completion", lsp_completion },
	{ "textDocument/formatting", lsp_formatting },
	{ "textDocument/rangeFormatting", lsp_range_formatting },
	{ "textDocument/codeAction", lsp_code_action },
};

static const struct method *method_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

static void reply(struct lsp_server *s, json_t *msg)
{
	if (!rpc_write(s->out_fd, msg))
		s->broken = true;
}

/* Whether the lifecycle lets this message through; answers it when not.
 * Before initialize only exit gets through (requests get an error); after
 * shutdown only exit. */
static bool lifecycle_allows(struct lsp_server *s, const char *method, json_t *id)
{
	bool is_exit = strcmp(method, "exit") == 0;
	bool is_init = strcmp(method, "initialize") == 0;

	if (is_exit)
		return true;
	if (!s->initialized && !is_init) {
		if (id)
			reply(s, rpc_error(id, RPC_SERVER_NOT_INITIALIZED,
					   "the server is not initialized"));
		return false;
	}
	if ((s->initialized && is_init) || s->shutdown) {
		if (id)
			reply(s, rpc_error(id, RPC_INVALID_REQUEST, is_init ?
					   "initialize was already received" :
					   "the server is shutting down"));
		return false;
	}
	return true;
}

static void handle(struct lsp_server *s, json_t *msg)
{
	json_t *id = json_object_get(msg, "id");
	json_t *params = json_object_get(msg, "params");
	const char *method = json_string_value(json_object_get(msg, "method"));

	if (id && !json_is_string(id) && !json_is_integer(id)) {
		reply(s, rpc_error(NULL, RPC_INVALID_REQUEST, "id must be a string or an integer"));
		return;
	}
	if (!method) {
		/* a response to a request of ours (we send none), else junk */
		if (!json_object_get(msg, "result") && !json_object_get(msg, "error"))
			reply(s, rpc_error(id, RPC_INVALID_REQUEST, "no method"));
		return;
	}
	if (!lifecycle_allows(s, method, id))
		return;
	const struct method *m = method_find(method);
	if (!m) {
		if (id)
			reply(s, rpc_error(id, RPC_METHOD_NOT_FOUND, "unknown method"));
		return;
	}
	if (params && !json_is_null(params) && !json_is_object(params) &&
	    !json_is_array(params)) {
		if (id)
			reply(s, rpc_error(id, RPC_INVALID_PARAMS, "params must be an object"));
		return;
	}
	struct lsp_error err = { RPC_INTERNAL_ERROR, "internal error" };
	json_t *result = m->fn(s, params ? params : json_null(), &err);
	if (!id)
		json_decref(result);
	else if (result)
		reply(s, rpc_response(id, result));
	else
		reply(s, rpc_error(id, err.code, err.message));
}

/* ------------------------------------------------------------ the loop */

static void serve_loop(struct lsp_server *s, struct rpc_reader *rd)
{
	while (!s->exited && !s->broken) {
		json_t *msg;
		const char *error = NULL;
		int timeout = any_dirty(s) ? s->cfg.debounce_ms : -1;

		switch (rpc_read(rd, timeout, &msg, &error)) {
		case RPC_TIMEOUT:
			refresh_all(s);
			break;
		case RPC_MESSAGE:
			if (json_is_object(msg))
				handle(s, msg);
			else
				reply(s, rpc_error(NULL, RPC_INVALID_REQUEST,
						   "a message must be an object"));
			json_decref(msg);
			break;
		case RPC_BAD:
			reply(s, rpc_error(NULL, RPC_PARSE_ERROR, error));
			break;
		case RPC_BROKEN:
			reply(s, rpc_error(NULL, RPC_PARSE_ERROR, error));
			return;
		case RPC_EOF:
			return;
		}
	}
}

int lsp_serve(int in_fd, int out_fd, const struct lsp_config *cfg)
{
	struct lsp_server s = {
		.out_fd = out_fd,
		.cfg = *cfg,
		.opts = { .target = PEERC_TARGET_NONE, .max_errors = 100 },
	};
	struct rpc_reader rd;

	rpc_reader_init(&rd, in_fd);
	serve_loop(&s, &rd);
	rpc_reader_free(&rd);
	while (s.docs) {
		struct lsp_doc *d = s.docs;
		s.docs = d->next;
		doc_free(d);
	}
	return s.exited && s.shutdown ? 0 : 1;
}

/* ------------------------------------------------------------ the command */

enum { OPT_STDIO = 256, OPT_PID, OPT_DEBOUNCE };

static const struct cli_option lsp_options[] = {
	{ "stdio", OPT_STDIO, no_argument, NULL, NULL,
	  "talk over standard input and output (the\n"
	  "default and only transport)" },
	{ "clientProcessId", OPT_PID, required_argument, "PID", NULL,
	  "accepted for clients that pass it" },
	{ "debounce", OPT_DEBOUNCE, required_argument, "MS", NULL,
	  "compile MS milliseconds after the last change\n"
	  "(default 100)" },
	SUBCMD_HELP_OPTION,
};

static const struct subcmd lsp_cmd = {
	"lsp", "[OPTION]...",
	"Run the peer language server: Language Server Protocol 3.17 over\n"
	"standard input and output, for editors (see editors/README.md).",
	lsp_options, ARRAY_SIZE(lsp_options),
	"Exit status: 0 after the client's shutdown and exit requests, 1 when\n"
	"the input ends or exit comes without shutdown, 2 a usage error.",
};

struct lsp_args {
	struct lsp_config cfg;
	char err[256];
};

static const char *lsp_option(void *ctx, int key, const char *arg)
{
	struct lsp_args *la = ctx;
	char *end;

	if (key != OPT_DEBOUNCE)
		return NULL; /* --stdio, --clientProcessId: nothing to do */
	la->cfg.debounce_ms = (int)strtol(arg, &end, 10);
	if (!*end && la->cfg.debounce_ms >= 0 && la->cfg.debounce_ms <= 10000)
		return NULL;
	snprintf(la->err, sizeof(la->err), "invalid --debounce '%s': 0 to 10000 ms",
		 arg);
	return la->err;
}

int lsp_main(int argc, char **argv)
{
	struct lsp_args la = { { LSP_DEFAULT_DEBOUNCE_MS }, "" };
	struct subcmd_state st;
	int status = subcmd_parse(&lsp_cmd, argc, argv, lsp_option, &la, &st);

	if (status == EXIT_OK && !st.done && st.first < argc)
		status = subcmd_usage(&st, "peerc lsp takes no file: the client "
				      "opens them");
	subcmd_finish(&st, status);
	if (status != EXIT_OK || st.done)
		return status;
	/* A client that goes away must end the server, not kill it mid-write. */
	signal(SIGPIPE, SIG_IGN);
	return lsp_serve(0, 1, &la.cfg);
}
