#include "common.h"

#include "ast.h"
#include "checks.h"
#include "diag.h"
#include "emit.h"
#include "model.h"
#include "parse.h"
#include "peerc.h"
#include "reach.h"
#include "resolve.h"
#include "util.h"

static const char *const target_names[] = {
	[PEERC_TARGET_NONE] = "none",
	[PEERC_TARGET_AST] = "ast",
	[PEERC_TARGET_TERRAFORM] = "terraform",
	[PEERC_TARGET_BICEP] = "bicep",
	[PEERC_TARGET_ARM] = "arm",
	[PEERC_TARGET_DOT] = "dot",
	[PEERC_TARGET_MERMAID] = "mermaid",
};

const char *peerc_target_name(enum peerc_target t)
{
	return target_names[t];
}

enum peerc_target peerc_target_from_name(const char *name)
{
	for (size_t i = 1; i < ARRAY_SIZE(target_names); i++)
		if (strcmp(target_names[i], name) == 0)
			return (enum peerc_target)i;
	return PEERC_TARGET_NONE;
}

static void emit_ast(struct peerc_result *r)
{
	struct strbuf sb;
	sb_init(&sb);
	ast_to_json(r->ast, &r->source, &sb);
	emit_add_output(r, NULL, sb.buf, sb.len);
	sb_free(&sb);
}

/* Resolution, then the checks, then the model; false on errors. The checks
 * do not run on a file that did not resolve: what they would say about a
 * half-resolved file is mostly noise. */
static bool analyse(struct peerc_result *r, const struct peerc_options *opts)
{
	struct sema *s = resolve(r->ast, r->arena, &r->diags);

	if (peerc_failed(r))
		return false;
	r->sema = s;
	checks_run(s, &r->diags, NULL);
	if (peerc_failed(r))
		return false;
	s->model.api_version = opts->api_version ? opts->api_version :
			       s->api_version ? s->api_version :
			       PEERC_DEFAULT_API_VERSION;
	r->model = &s->model;
	return true;
}

const char *peerc_explain(struct peerc_result *r, const char *a, const char *b,
			  bool *reachable)
{
	*reachable = false;
	if (!r->sema)
		return NULL;
	return reach_explain(r->sema, a, b, r->arena, reachable);
}

struct peerc_result *peerc_compile(const struct peerc_options *opts,
				   const char *name, const char *text,
				   size_t len)
{
	struct peerc_result *r = xcalloc(1, sizeof(*r));

	r->arena = arena_new();
	diag_list_init(&r->diags, r->arena, &opts->warnings, opts->max_errors);
	if (!source_init(&r->source, r->arena, name, text, len)) {
		r->source.name = arena_strdup(r->arena, name);
		diag_add(&r->diags, DIAG_ERROR, "input", LOC_NONE,
			 "input too large (4 GiB or more)");
		return r;
	}
	r->ast = parse_source(&r->source, r->arena, &r->diags);
	if (opts->target == PEERC_TARGET_AST) {
		if (!peerc_failed(r))
			emit_ast(r);
		return r;
	}
	bool ok = !peerc_failed(r) && analyse(r, opts);
	/* --explain draws the file even when a check failed: a failed require
	 * is what one asks it about. */
	const struct model *m = ok ? r->model :
				opts->explain[0] && r->sema ? &r->sema->model : NULL;
	if (!m || opts->target == PEERC_TARGET_NONE)
		return r;
	const struct backend *b = backend_find(opts->target);
	if (b)
		b->emit(m, opts, r);
	else
		diag_add(&r->diags, DIAG_ERROR, "target", LOC_NONE,
			 "the %s back end is not built yet",
			 peerc_target_name(opts->target));
	return r;
}

void peerc_result_free(struct peerc_result *r)
{
	if (!r)
		return;
	arena_free(r->arena);
	free(r);
}
