/* `peerc fmt`: files in, the canonical layout out (compiler/fmt.c does the
 * layout). Rewrites files in place through output.c, so a reader never sees
 * half a file and an unchanged file is not touched. */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "diag.h"
#include "fmt.h"
#include "fmt_cmd.h"
#include "output.h"
#include "peerc.h"
#include "subcmd.h"
#include "textdiff.h"
#include "util.h"

struct fmt_opts {
	bool check;  /* --check or --diff: write nothing */
	bool diff;
	struct diag_sink *sink; /* every message after the options */
};

enum { OPT_CHECK = 256, OPT_DIFF };

static const struct cli_option fmt_options[] = {
	{ "check", OPT_CHECK, no_argument, NULL, NULL,
	  "write nothing; exit with status 3 when a FILE\n"
	  "is not formatted, naming it on stderr" },
	{ "diff", OPT_DIFF, no_argument, NULL, NULL,
	  "as --check, and print a unified diff of the\n"
	  "changes" },
	SUBCMD_COMMON_OPTIONS,
};

static const struct subcmd fmt_cmd = {
	"fmt", "[OPTION]... FILE...",
	"Rewrite each .peer FILE in place in the canonical layout (see\n"
	"doc/fmt.md): two-space indentation, one attribute per line with\n"
	"their '=' aligned, comments kept. - reads standard input and writes\n"
	"standard output. A file with a syntax error is left as it is.",
	fmt_options, ARRAY_SIZE(fmt_options),
	"Exit status: 0 formatted; 1 a FILE has errors; 2 a usage or\n"
	"input/output error; 3 --check found a FILE not formatted (the first\n"
	"of 2, 1 and 3 that applies).",
};

static const char *fmt_option(void *ctx, int key, const char *arg)
{
	struct fmt_opts *o = ctx;

	o->check = true;
	o->diff = o->diff || key == OPT_DIFF;
	return NULL;
}

/* The worse of two statuses: usage, then errors, then stale. */
static int worse(int a, int b)
{
	static const int rank[] = {
		[EXIT_OK] = 0, [EXIT_STALE] = 1, [EXIT_ERRORS] = 2, [EXIT_USAGE] = 3,
	};
	return rank[b] > rank[a] ? b : a;
}

static int report_stale(struct fmt_opts *o, const char *path,
			const struct strbuf *in, const struct peerc_output *out)
{
	diag_sink_plain(o->sink, DIAG_NOTE, "stale", "%s is not formatted", path);
	if (!o->diff)
		return EXIT_STALE;
	struct strbuf d, a, b;
	sb_init(&d);
	sb_init(&a);
	sb_init(&b);
	sb_printf(&a, "a/%s", path);
	sb_printf(&b, "b/%s", path);
	textdiff_unified(&d, a.buf, in->buf, in->len, b.buf, out->data, out->len);
	bool ok = output_stdout(d.buf, d.len, o->sink);
	sb_free(&d);
	sb_free(&a);
	sb_free(&b);
	return ok ? EXIT_STALE : EXIT_USAGE;
}

/* What to do with the formatted text of one file. */
static int deliver(struct fmt_opts *o, const char *path, bool is_stdin,
		   const struct strbuf *in, const struct peerc_output *out)
{
	bool same = in->len == out->len && memcmp(in->buf, out->data, in->len) == 0;

	if (o->check)
		return same ? EXIT_OK : report_stale(o, path, in, out);
	if (is_stdin)
		return output_stdout(out->data, out->len, o->sink) ? EXIT_OK : EXIT_USAGE;
	if (same)
		return EXIT_OK;
	struct output_file f = { path, out->data, out->len, false };
	return output_write(&f, 1, false, o->sink) ? EXIT_OK : EXIT_USAGE;
}

static int format_one(struct fmt_opts *o, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct strbuf in;
	char why[128];

	sb_init(&in);
	int err = file_read(path, &in, INPUT_MAX);
	if (err) {
		diag_sink_plain(o->sink, DIAG_ERROR, "io", "cannot read %s: %s",
				is_stdin ? "standard input" : path,
				file_error(err, INPUT_MAX, "an input file", why,
					   sizeof(why)));
		sb_free(&in);
		return EXIT_USAGE;
	}
	struct peerc_result *r = peerc_format(name, in.buf, in.len);
	int status = EXIT_ERRORS;
	diag_sink_list(o->sink, &r->source, &r->diags);
	if (r->noutputs == 1)
		status = deliver(o, name, is_stdin, &in, &r->outputs[0]);
	peerc_result_free(r);
	sb_free(&in);
	return status;
}

/* Everything after the options. */
static int run(struct fmt_opts *o, int argc, char **argv, struct subcmd_state *st)
{
	int status = EXIT_OK;

	if (st->first == argc)
		return subcmd_usage(st, "no input file (- reads standard input)");
	o->sink = &st->sink;
	for (int i = st->first; i < argc; i++)
		status = worse(status, format_one(o, argv[i]));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_sink_plain(o->sink, DIAG_ERROR, "io",
				"cannot write to standard output");
		status = EXIT_USAGE;
	}
	return status;
}

int fmt_main(int argc, char **argv)
{
	struct fmt_opts o = { .check = false };
	struct subcmd_state st;
	int status = subcmd_parse(&fmt_cmd, argc, argv, fmt_option, &o, &st);

	if (status == EXIT_OK && !st.done)
		status = run(&o, argc, argv, &st);
	return subcmd_finish(&st, status);
}
