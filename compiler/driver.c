#include "common.h"

#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "peerc.h"
#include "util.h"

static const char *const target_names[] = {
	[PEERC_TARGET_NONE] = "none",
	[PEERC_TARGET_AST] = "ast",
	[PEERC_TARGET_TERRAFORM] = "terraform",
	[PEERC_TARGET_BICEP] = "bicep",
	[PEERC_TARGET_ARM] = "arm",
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

static void add_output(struct peerc_result *r, const char *path,
		       const char *data, size_t len)
{
	ARENA_PUSH(r->arena, r->outputs, r->noutputs, r->outputs_cap);
	struct peerc_output *o = &r->outputs[r->noutputs - 1];
	o->path = path ? arena_strdup(r->arena, path) : NULL;
	o->data = arena_strndup(r->arena, data, len);
	o->len = len;
}

static void emit_ast(struct peerc_result *r)
{
	struct strbuf sb;
	sb_init(&sb);
	ast_to_json(r->ast, &r->source, &sb);
	add_output(r, NULL, sb.buf, sb.len);
	sb_free(&sb);
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
	if (peerc_failed(r) || opts->target == PEERC_TARGET_NONE)
		return r;
	diag_add(&r->diags, DIAG_ERROR, "target", LOC_NONE,
		 "the %s back end is not built yet", peerc_target_name(opts->target));
	return r;
}

void peerc_result_free(struct peerc_result *r)
{
	if (!r)
		return;
	arena_free(r->arena);
	free(r);
}
