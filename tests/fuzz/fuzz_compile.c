/* libFuzzer harness for the whole library: every input is compiled to the
 * AST, checked with every warning on, and, when it is valid, sent through
 * each back end; the diagnostics are formatted in every
 * --diagnostics-format, and --explain is asked about the first and last
 * VNet, as text, as JSON and as a picture. Built and run by tests/fuzz/run,
 * never by `make check`. */
#include "common.h"

#include "checks.h"
#include "diag.h"
#include "model.h"
#include "peerc.h"
#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The diagnostics are formatted for real but thrown away. */
static FILE *sink(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

/* -W for every check that is off by default, so they run too. */
static struct warn_rule *all_warnings(size_t *n)
{
	static struct warn_rule *rules;
	static size_t nrules;

	if (!rules) {
		rules = calloc(check_count(), sizeof(*rules));
		for (size_t i = 0; i < check_count(); i++) {
			const struct check *c = check_at(i);
			if (c->level == CHECK_OFF)
				rules[nrules++] = (struct warn_rule){
					c->name, WARN_ENABLE };
		}
	}
	*n = nrules;
	return rules;
}

static struct peerc_result *compile(enum peerc_target target,
				    const uint8_t *data, size_t size)
{
	/* allow_empty: a file without VNets still goes through the back ends
	 * (an empty model once crashed the Bicep one). */
	struct peerc_options opts = { .target = target,
				      .output_name = "fuzz.out",
				      .allow_empty = true };
	opts.warnings.rules = all_warnings(&opts.warnings.nrules);
	struct peerc_result *r = peerc_compile(&opts, "fuzz.peer",
					       (const char *)data, size);

	diag_print_all(sink(), &r->source, &r->diags, target == PEERC_TARGET_AST);
	for (enum diag_format f = DIAG_FORMAT_JSON; f <= DIAG_FORMAT_GITHUB; f++) {
		struct diag_sink s;
		diag_sink_init(&s, sink(), f, false, NULL, 0);
		diag_sink_list(&s, &r->source, &r->diags);
		diag_sink_finish(&s, 1);
	}
	return r;
}

static void explain(struct peerc_result *r)
{
	const struct model *m = r->model;
	bool reachable;

	if (!m || m->nvnets == 0)
		return;
	peerc_explain(r, m->vnets[0].handle, m->vnets[m->nvnets - 1].handle,
		      &reachable);
	peerc_explain_json(r, m->vnets[0].handle, m->vnets[m->nvnets - 1].handle,
			   &reachable);
	if (m->nsites > 0)
		peerc_explain(r, m->sites[0].name, m->vnets[0].handle,
			      &reachable);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum peerc_target backends[] = {
		PEERC_TARGET_TERRAFORM, PEERC_TARGET_BICEP, PEERC_TARGET_ARM,
		PEERC_TARGET_DOT, PEERC_TARGET_MERMAID,
	};

	peerc_result_free(compile(PEERC_TARGET_AST, data, size));
	struct peerc_result *r = compile(PEERC_TARGET_NONE, data, size);
	bool valid = r->model != NULL;
	explain(r);
	peerc_result_free(r);
	if (!valid)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++)
		peerc_result_free(compile(backends[i], data, size));
	return 0;
}
