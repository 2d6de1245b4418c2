/* `peerc drift`: the command line of compiler/drift.c. Findings go to
 * standard output, as diagnostics (the file's line and column, the source
 * line, a caret) or as JSON (doc/import.md); problems with the inputs go
 * to standard error, in --diagnostics-format. */
#include "common.h"

#include <getopt.h>
#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "drift.h"
#include "live.h"
#include "output.h"
#include "peerc.h"
#include "subcmd.h"
#include "util.h"

enum { OPT_FORMAT = 256 };

static const struct cli_option drift_options[] = {
	{ "format", OPT_FORMAT, required_argument, "FORMAT", NULL,
	  "the findings on standard output: text (the\n"
	  "default: one diagnostic a finding) or json\n"
	  "(doc/import.md describes it)" },
	SUBCMD_COMMON_OPTIONS,
};

static const struct subcmd drift_cmd = {
	"drift", "[OPTION]... FILE.peer FILE.json...",
	"Compare the design in FILE.peer with the live estate in the JSON of\n"
	"`az network vnet list -o json` (one file per subscription), and report\n"
	"each difference at the statement it concerns: a VNet or a peering half\n"
	"missing or extra, one of the four settings of a half (named as the\n"
	"portal's check box), a peering not Connected, a peering not FullyInSync\n"
	"(with the command that syncs it), an address space that differs, a VNet\n"
	"the file does not know. VNets of subscriptions absent from the JSON are\n"
	"not reported missing.",
	drift_options, ARRAY_SIZE(drift_options),
	"Exit status:\n"
	"  0  the estate is as the file says\n"
	"  1  drift found\n"
	"  2  a usage error, a file could not be read, FILE.peer has errors or\n"
	"     a JSON file is not a VNet list\n"
	"\n"
	"Examples:\n"
	"  az network vnet list -o json >live.json\n"
	"  peerc drift topology.peer live.json\n"
	"                          in CI: fail when the estate has drifted\n"
	"  peerc drift --format=json topology.peer hub.json apps.json\n"
	"  peerc drift --diagnostics-format=github topology.peer live.json\n"
	"                          in GitHub Actions: the design's errors\n"
	"                          annotate the pull request",
};

struct drift_args {
	bool json;
};

static const char *drift_option(void *ctx, int key, const char *arg)
{
	struct drift_args *da = ctx;

	if (key != OPT_FORMAT)
		BUG();
	if (strcmp(arg, "json") == 0)
		da->json = true;
	else if (strcmp(arg, "text") != 0)
		return "--format takes text or json";
	return NULL;
}

static void print_text(const struct peerc_result *r, const struct drift_report *rep,
		       struct arena *a, bool color)
{
	struct diag_list list;

	diag_list_init(&list, a, NULL, 0);
	for (size_t i = 0; i < rep->n; i++) {
		const struct drift_finding *f = &rep->items[i];
		bool located = !loc_is_none(f->loc);
		struct diag *d = diag_add(&list, DIAG_ERROR, drift_kind_name(f->kind),
					  f->loc, "%s%s%s", located ? "" : f->live_path,
					  located ? "" : ": ", f->message);
		if (!located && f->live)
			d->src = f->live->file;
		else if (f->live)
			diag_note(&list, d, LOC_NONE, "in Azure: %s at %s",
				  f->live->file->name, f->live_path);
		if (f->fix)
			diag_note(&list, d, LOC_NONE, "run: %s", f->fix);
	}
	diag_print_all(stdout, &r->source, &list, color);
	if (rep->n == 0)
		printf("%s: in sync: %zu VNets and %zu peering halves compared\n",
		       r->source.name, rep->vnets, rep->halves);
	else
		printf("%s: %zu difference%s from the live estate\n", r->source.name,
		       rep->n, rep->n == 1 ? "" : "s");
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *finding_json(const struct peerc_result *r, const struct drift_finding *f)
{
	json_t *o = json_object();
	unsigned line = 0, col = 0;

	json_object_set_new(o, "kind", json_string(drift_kind_name(f->kind)));
	json_object_set_new(o, "message", json_string(f->message));
	json_object_set_new(o, "file", json_string(r->source.name));
	if (!loc_is_none(f->loc)) {
		source_linecol(&r->source, f->loc.start, &line, &col);
		json_object_set_new(o, "line", json_integer(line));
		json_object_set_new(o, "column", json_integer(col));
	} else {
		json_object_set_new(o, "line", json_null());
		json_object_set_new(o, "column", json_null());
	}
	json_object_set_new(o, "vnet", str_or_null(f->vnet));
	json_object_set_new(o, "remote", str_or_null(f->remote));
	json_object_set_new(o, "peering", str_or_null(f->peering));
	json_object_set_new(o, "setting", str_or_null(f->setting));
	json_object_set_new(o, "in_file", str_or_null(f->in_file));
	json_object_set_new(o, "in_azure", str_or_null(f->in_azure));
	json_object_set_new(o, "live_id", str_or_null(f->live ? f->live->id : NULL));
	json_object_set_new(o, "live_file", str_or_null(f->live ? f->live->file->name : NULL));
	json_object_set_new(o, "live_path", str_or_null(f->live_path));
	json_object_set_new(o, "fix", str_or_null(f->fix));
	return o;
}

static void print_json(const struct peerc_result *r, const struct drift_report *rep)
{
	json_t *root = json_object();
	json_t *list = json_array();

	json_object_set_new(root, "file", json_string(r->source.name));
	json_object_set_new(root, "in_sync", json_boolean(rep->n == 0));
	json_object_set_new(root, "vnets_compared", json_integer((json_int_t)rep->vnets));
	json_object_set_new(root, "halves_compared", json_integer((json_int_t)rep->halves));
	for (size_t i = 0; i < rep->n; i++)
		json_array_append_new(list, finding_json(r, &rep->items[i]));
	json_object_set_new(root, "findings", list);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text);
	free(text);
	json_decref(root);
}

static struct peerc_result *compile_design(const char *path, struct diag_sink *sink,
					   int *status)
{
	struct peerc_options opts = { .target = PEERC_TARGET_NONE, .max_errors = 50 };
	struct strbuf in;

	sb_init(&in);
	int err = file_read(path, &in, INPUT_MAX);
	if (err) {
		char why[128];
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s", path,
				file_error(err, INPUT_MAX, "an input file", why,
					   sizeof(why)));
		sb_free(&in);
		*status = EXIT_USAGE;
		return NULL;
	}
	struct peerc_result *r = peerc_compile(&opts, strcmp(path, "-") == 0 ?
					       "<stdin>" : path, in.buf, in.len);
	sb_free(&in);
	diag_sink_list(sink, &r->source, &r->diags);
	if (peerc_failed(r)) {
		peerc_result_free(r);
		*status = EXIT_USAGE;
		return NULL;
	}
	return r;
}

/* Everything after the options. */
static int run(const struct drift_args *da, int argc, char **argv,
	       struct subcmd_state *st)
{
	int status;

	if (argc - st->first < 2)
		return subcmd_usage(st, "%s", argc == st->first ? "no input: give "
				    "FILE.peer and the JSON of 'az network vnet list'" :
				    "no JSON file: give the output of 'az network "
				    "vnet list -o json' after FILE.peer");
	struct peerc_result *r = compile_design(argv[st->first], &st->sink, &status);
	if (!r)
		return status;
	struct arena *a = arena_new();
	struct live l;
	live_init(&l, a);
	status = subcmd_load_live(&l, (const char *const *)argv + st->first + 1,
				  (size_t)(argc - st->first - 1), &st->sink);
	if (status == EXIT_OK) {
		struct drift_report rep;
		drift_compare(r->sema, &l, a, &rep);
		if (da->json)
			print_json(r, &rep);
		else
			print_text(r, &rep, a, st->color);
		status = rep.n ? EXIT_ERRORS : EXIT_OK;
	} else {
		status = EXIT_USAGE;
	}
	arena_free(a);
	peerc_result_free(r);
	return status;
}

int cmd_drift(int argc, char **argv)
{
	struct drift_args da = { false };
	struct subcmd_state st;
	int status = subcmd_parse(&drift_cmd, argc, argv, drift_option, &da, &st);

	if (status == EXIT_OK && !st.done)
		status = run(&da, argc, argv, &st);
	return subcmd_finish(&st, status);
}
