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

const char *peerc_target_name(enum peerc_target t)
{
	const struct backend *b = backend_find(t);

	return b ? b->name : "none";
}

enum peerc_target peerc_target_from_name(const char *name)
{
	for (size_t i = 0; i < backend_count(); i++)
		if (strcmp(backend_at(i)->name, name) == 0)
			return backend_at(i)->target;
	return PEERC_TARGET_NONE;
}

/* For the message if memory runs out: "out of memory while parsing FILE". */
static void set_phase(struct peerc_result *r, const char *verb)
{
	arena_set_phase(r->arena, arena_printf(r->arena, "%s %s", verb,
					       r->source.name));
	if (r->ast_arena)
		arena_set_phase(r->ast_arena, arena_phase(r->arena));
}

static void no_vnets(struct peerc_result *r)
{
	struct diag *d = diag_add(&r->diags, DIAG_ERROR, "no-vnets", LOC_NONE,
				  "no VNets declared: is this the right file?");
	diag_note(&r->diags, d, LOC_NONE,
		  "its output would have no resources: applied over an earlier "
		  "one, it deletes every VNet and peering that one made; "
		  "'--allow-empty' writes it all the same");
}

/* Resolution, then the checks, then the model; false on errors. The checks
 * do not run on a file that did not resolve: what they would say about a
 * half-resolved file is mostly noise. */
static bool analyse(struct peerc_result *r, const struct peerc_options *opts)
{
	set_phase(r, "resolving");
	struct sema *s = resolve(r->ast, r->arena, r->ast_arena, &r->diags);

	if (peerc_failed(r))
		return false;
	r->sema = s;
	if (s->model.nvnets == 0 && !opts->allow_empty)
		no_vnets(r);
	set_phase(r, "checking");
	checks_run(s, &r->diags, NULL);
	if (peerc_failed(r))
		return false;
	s->model.api_version = opts->api_version ? opts->api_version :
			       s->api_version ? s->api_version :
			       PEERC_DEFAULT_API_VERSION;
	r->model = &s->model;
	return true;
}

bool peerc_io_failed(const struct peerc_result *r)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (r->diags.items[i].severity == DIAG_ERROR &&
		    strcmp(r->diags.items[i].name, "io") == 0)
			return true;
	return false;
}

const char *peerc_explain(struct peerc_result *r, const char *a, const char *b,
			  bool *reachable)
{
	*reachable = false;
	if (!r->sema)
		return NULL;
	return reach_explain(r->sema, a, b, r->arena, reachable);
}

/* The first stage into r: the source and its AST (NULL when the input was
 * not read), with the lexical and syntax errors. */
static void parse_into(struct peerc_result *r, const struct peerc_options *opts,
		       const char *name, const char *text, size_t len)
{
	r->arena = arena_new();
	arena_set_phase(r->arena, "reading the input");
	diag_list_init(&r->diags, r->arena, &opts->warnings, opts->max_errors);
	if (!(opts->text_kept ? source_init_borrowed : source_init)(&r->source, r->arena,
								   name, text, len)) {
		r->source.name = arena_strdup(r->arena, name);
		diag_add(&r->diags, DIAG_ERROR, "input", LOC_NONE,
			 "input too large (4 GiB or more)");
		return;
	}
	r->ast_arena = arena_new();
	set_phase(r, "parsing");
	r->ast = parse_source(&r->source, r->ast_arena, r->arena, &r->diags);
}

static struct peerc_result *compile(struct peerc_result *r,
				    const struct peerc_options *opts,
				    const char *name, const char *text, size_t len)
{
	parse_into(r, opts, name, text, len);
	if (!r->ast)
		return r;
	const struct backend *b = backend_find(opts->target);
	if (b && b->parsed_only) {
		r->sink = opts->sink;
		if (!peerc_failed(r))
			b->emit(NULL, opts, r);
		return r;
	}
	bool ok = !peerc_failed(r) && analyse(r, opts);
	/* --explain draws the file even when a check failed: a failed require
	 * is what one asks it about. */
	const struct model *m = ok ? r->model :
				opts->explain[0] && r->sema ? &r->sema->model : NULL;
	if (opts->ast_dropped) {
		/* the model and its strings are in r->arena; the sema's
		 * records are with the AST, which they point into */
		arena_free(r->ast_arena);
		r->ast_arena = NULL;
		r->ast = NULL;
		r->sema = NULL;
	}
	if (!m || !b)
		return r;
	set_phase(r, arena_printf(r->arena, "writing the %s output of", b->name));
	r->sink = opts->sink;
	b->emit(m, opts, r);
	return r;
}

struct peerc_result *peerc_parse(const struct peerc_options *opts,
				 const char *name, const char *text, size_t len)
{
	struct peerc_result *r = xcalloc(1, sizeof(*r));

	parse_into(r, opts, name, text, len);
	diag_sort(&r->diags);
	return r;
}

struct peerc_result *peerc_compile(const struct peerc_options *opts,
				   const char *name, const char *text,
				   size_t len)
{
	struct peerc_result *r = compile(xcalloc(1, sizeof(struct peerc_result)),
					 opts, name, text, len);

	diag_sort(&r->diags);
	return r;
}

void peerc_result_free(struct peerc_result *r)
{
	if (!r)
		return;
	arena_free(r->ast_arena);
	arena_free(r->arena);
	free(r);
}
