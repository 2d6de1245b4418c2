/* `peerc import`: the command line of compiler/import.c. */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "import.h"
#include "live.h"
#include "output.h"
#include "peerc.h"
#include "subcmd.h"
#include "util.h"

enum { OPT_PEERINGS_ONLY = 256 };

static const struct cli_option import_options[] = {
	{ "output", 'o', required_argument, "FILE", NULL,
	  "write the .peer file to FILE (default, or -:\n"
	  "standard output)" },
	{ "peerings-only", OPT_PEERINGS_ONLY, no_argument, NULL, NULL,
	  "declare every VNet existing, by its ID: output\n"
	  "compiled from the file then manages only the\n"
	  "peerings, never a VNet's subnets or tags" },
	SUBCMD_COMMON_OPTIONS,
};

static const struct subcmd import_cmd = {
	"import", "[OPTION]... FILE.json...",
	"Write a .peer file that declares the virtual networks and peerings of\n"
	"a live estate: the JSON of `az network vnet list -o json`, one file\n"
	"per subscription (- for standard input). Compiled, the file declares\n"
	"exactly the live peerings with their settings. Half-peerings, peerings\n"
	"not Connected and peerings out of sync get a comment in the file and a\n"
	"warning; the file is then compiled once to check it.",
	import_options, ARRAY_SIZE(import_options),
	"Exit status:\n"
	"  0  the file is written (warnings allowed)\n"
	"  1  a JSON file is not a VNet list, or the lists hold no VNet\n"
	"     (nothing written), or the file written does not compile (its\n"
	"     errors are shown)\n"
	"  2  a usage error, or a file could not be read or written\n"
	"\n"
	"Examples:\n"
	"  az network vnet list --subscription HUB -o json >hub.json\n"
	"  az network vnet list --subscription APPS -o json >apps.json\n"
	"  peerc import hub.json apps.json -o estate.peer\n"
	"                          one .peer file for both subscriptions\n"
	"  peerc estate.peer -o main.tf --import-from hub.json\n"
	"                          Terraform, and import blocks that adopt the estate",
};

struct import_args {
	const char *output;
	struct import_options opts;
};

static const char *import_option(void *ctx, int key, const char *arg)
{
	struct import_args *ia = ctx;

	if (key == 'o')
		ia->output = arg;
	else if (key == OPT_PEERINGS_ONLY)
		ia->opts.peerings_only = true;
	else
		BUG();
	return NULL;
}

/* Compiles the text written: diagnostics point into it by its name. */
static bool self_check(const char *name, const struct strbuf *text,
		       struct diag_sink *sink)
{
	struct peerc_options opts = { .target = PEERC_TARGET_NONE, .max_errors = 50 };
	struct peerc_result *r = peerc_compile(&opts, name, text->buf, text->len);
	bool ok = !peerc_failed(r);

	diag_sink_list(sink, &r->source, &r->diags);
	peerc_result_free(r);
	return ok;
}

static int write_out(const char *output, const struct strbuf *text,
		     struct diag_sink *sink)
{
	struct output_file f = { output, text->buf, text->len, false };
	bool ok;

	if (!output || strcmp(output, "-") == 0)
		ok = output_stdout(text->buf, text->len, sink);
	else
		ok = output_write(&f, 1, false, sink);
	return ok ? EXIT_OK : EXIT_USAGE;
}

/* Everything after the options. */
static int run(const struct import_args *ia, int argc, char **argv,
	       struct subcmd_state *st)
{
	if (st->first == argc)
		return subcmd_usage(st, "no JSON file: give the output of "
				    "'az network vnet list -o json'");
	int status;
	struct import_options opts = ia->opts;
	struct arena *a = arena_new();
	struct live l;
	struct strbuf text;
	live_init(&l, a);
	sb_init(&text);
	status = subcmd_load_live(&l, (const char *const *)argv + st->first,
				  (size_t)(argc - st->first), &st->sink);
	/* A .peer file with no VNet does not compile (no-vnets): its output
	 * would delete whatever an earlier one made. */
	if (status == EXIT_OK && l.nvnets == 0) {
		diag_sink_plain(&st->sink, DIAG_ERROR, "live-json", "the JSON "
				"holds no virtual network: nothing to import");
		status = EXIT_ERRORS;
	}
	if (status == EXIT_OK) {
		struct diag_list diags;
		diag_list_init(&diags, a, NULL, 0);
		opts.inputs = (const char *const *)argv + st->first;
		opts.ninputs = (size_t)(argc - st->first);
		import_estate(&l, &opts, &diags, &text);
		diag_sink_list(&st->sink, NULL, &diags);
		bool ok = self_check(ia->output && strcmp(ia->output, "-") != 0 ?
				     ia->output : "<import>", &text, &st->sink);
		status = write_out(ia->output, &text, &st->sink);
		if (status == EXIT_OK && !ok)
			status = EXIT_ERRORS;
	}
	sb_free(&text);
	arena_free(a);
	return status;
}

int cmd_import(int argc, char **argv)
{
	struct import_args ia = { 0 };
	struct subcmd_state st;
	int status = subcmd_parse(&import_cmd, argc, argv, import_option, &ia, &st);

	if (status == EXIT_OK && !st.done)
		status = run(&ia, argc, argv, &st);
	return subcmd_finish(&st, status);
}
