#include "common.h"

#include <errno.h>
#include <getopt.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apiversions.h"
#include "checks.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "emit.h"
#include "live.h"
#include "output.h"
#include "rules.h"
#include "subcmd.h"
#include "util.h"

/* ------------------------------------------------------------- the table */

enum opt_key {
	OPT_CHECK = 256,
	OPT_DIFF,
	OPT_COLOR,
	OPT_LIST_WARNINGS,
	OPT_TEMPLATE_DIR,
	OPT_API_VERSION,
	OPT_UNCHECKED_API_VERSION,
	OPT_MAX_ERRORS,
	OPT_EXPLAIN,
	OPT_DIAGNOSTICS_FORMAT,
	OPT_FORMAT,
	OPT_ALLOW_EMPTY,
	OPT_IMPORT_FROM,
	OPT_HELP,
	OPT_VERSION,
	OPT_HELP_ONLY, /* a line of --help that getopt never sees */
};

static const struct cli_option options[] = {
	{ "output", 'o', required_argument, "FILE", NULL,
	  "write to FILE (-: standard output, the default)" },
	{ "target", 't', required_argument, "TARGET", NULL, NULL },
	{ "check", OPT_CHECK, no_argument, NULL, NULL,
	  "write nothing; exit with status 3 when the -o file\n"
	  "(or a module or stage file beside it) is not what\n"
	  "would be written, or one would be removed" },
	{ "diff", OPT_DIFF, no_argument, NULL, NULL,
	  "as --check, and print a unified diff of the changes" },
	{ "color", OPT_COLOR, optional_argument, "WHEN", NULL,
	  "color the diagnostics: auto (the default: only on\n"
	  "a terminal, and not when NO_COLOR is set), always\n"
	  "or never" },
	{ "diagnostics-format", OPT_DIAGNOSTICS_FORMAT, required_argument,
	  "FORMAT", NULL,
	  "write the diagnostics on standard error as text\n"
	  "(the default), json, sarif (SARIF 2.1.0, for code\n"
	  "scanning) or github (workflow commands that\n"
	  "annotate a pull request)" },
	{ NULL, 'W', required_argument, NULL, "-WNAME",
	  "enable the warning NAME" },
	{ NULL, OPT_HELP_ONLY, no_argument, NULL, "-Wno-NAME",
	  "disable the warning NAME" },
	{ NULL, OPT_HELP_ONLY, no_argument, NULL, "-Werror",
	  "make every warning an error" },
	{ NULL, OPT_HELP_ONLY, no_argument, NULL, "-Werror=NAME",
	  "make the warning NAME an error" },
	{ NULL, OPT_HELP_ONLY, no_argument, NULL, "-Wno-error=NAME",
	  "keep the warning NAME a warning under -Werror" },
	{ "list-warnings", OPT_LIST_WARNINGS, no_argument, NULL, NULL,
	  "list every check: its name, level and summary" },
	{ "max-errors", OPT_MAX_ERRORS, required_argument, "N", NULL,
	  "report at most N errors (default 50; 0: all)" },
	{ "template-dir", OPT_TEMPLATE_DIR, required_argument, "DIR", NULL,
	  "read the output templates from DIR instead of\n"
	  "the ones built into peerc" },
	{ "api-version", OPT_API_VERSION, required_argument, "VER", NULL,
	  "write Microsoft.Network API version VER (Bicep\n"
	  "and ARM) instead of the file's or the default" },
	{ "unchecked-api-version", OPT_UNCHECKED_API_VERSION, required_argument,
	  "VER", NULL,
	  "the same, for a version peerc does not know (a\n"
	  "newer one): written unchecked" },
	{ "explain", OPT_EXPLAIN, required_argument, "A", "    --explain A B",
	  "write nothing; say whether A and B (VNets or\n"
	  "sites of FILE) can talk, and by which path or\n"
	  "why not; exit 0 when they can, else 1; with -t dot\n"
	  "or -t mermaid, draw FILE with the path highlighted" },
	{ "format", OPT_FORMAT, required_argument, "FORMAT", NULL,
	  "--explain's answer as text (the default) or json\n"
	  "(the path hop by hop, or the reason and the edit)" },
	{ "allow-empty", OPT_ALLOW_EMPTY, no_argument, NULL, NULL,
	  "compile a FILE that declares no VNet (an output\n"
	  "with no resources) instead of failing: applied, that\n"
	  "output deletes what an earlier one created" },
	{ "import-from", OPT_IMPORT_FROM, required_argument, "JSON", NULL,
	  "with Terraform: also write imports.tf beside the\n"
	  "-o file, with an import block for each VNet,\n"
	  "peering half and created resource group that\n"
	  "exists in the live estate JSON (az network vnet\n"
	  "list); give it once per file" },
	{ "verbose", 'v', no_argument, NULL, NULL,
	  "name each file written on standard error" },
	{ "help", OPT_HELP, no_argument, NULL, NULL,
	  "display this help and exit" },
	{ "version", OPT_VERSION, no_argument, NULL, NULL,
	  "output version information and exit" },
};

static const char *const format_choices[] = { "text", "json", "sarif", "github" };

enum { HELP_COLUMN = 26, HELP_WIDTH = 79 };

/* ----------------------------------------------------------------- --help */

/* "terraform, bicep, arm, ast (the parsed file as JSON) or none (...); by
 * default from the -o file's extension (.tf, .bicep, .json)": the table's. */
static void target_help(struct strbuf *sb)
{
	for (size_t i = 0; i < backend_count(); i++) {
		const struct backend *b = backend_at(i);
		sb_printf(sb, "%s%s", i ? ", " : "", b->name);
		if (b->note)
			sb_printf(sb, " (%s)", b->note);
	}
	sb_puts(sb, " or none (only check, write nothing); by default from the "
		"-o file's extension (");
	for (size_t i = 0, n = 0; i < backend_count(); i++)
		if (backend_at(i)->extension)
			sb_printf(sb, "%s%s", n++ ? ", " : "", backend_at(i)->extension);
	sb_puts(sb, "; standard output: terraform)");
}

/* -t's help, broken into lines that end by HELP_WIDTH. */
static void wrap_target_help(struct strbuf *out)
{
	struct strbuf text;
	size_t line = 0;

	sb_init(&text);
	target_help(&text);
	for (const char *w = text.buf; *w;) {
		size_t len = strcspn(w, " ");
		if (line && line + 1 + len > HELP_WIDTH - HELP_COLUMN) {
			sb_putc(out, '\n');
			line = 0;
		} else if (line) {
			sb_putc(out, ' ');
			line++;
		}
		sb_putn(out, w, len);
		line += len;
		w += len + (w[len] == ' ');
	}
	sb_free(&text);
}

void cli_print_option(FILE *out, const struct cli_option *opt)
{
	struct strbuf left;

	sb_init(&left);
	if (opt->shown) {
		sb_printf(&left, "  %s", opt->shown);
	} else {
		if (opt->key < 256)
			sb_printf(&left, "  -%c, --%s", opt->key, opt->name);
		else
			sb_printf(&left, "      --%s", opt->name);
		if (opt->has_arg == required_argument)
			sb_printf(&left, "=%s", opt->arg);
		else if (opt->has_arg == optional_argument)
			sb_printf(&left, "[=%s]", opt->arg);
	}
	fputs(left.buf, out);
	/* help2man needs two spaces between an option and its text. */
	int width = (int)left.len;
	if (width > HELP_COLUMN - 2) {
		fputc('\n', out);
		width = 0;
	}
	sb_free(&left);
	struct strbuf made;
	sb_init(&made);
	if (!opt->help)
		wrap_target_help(&made);
	for (const char *h = opt->help ? opt->help : made.buf; *h;) {
		int len = (int)strcspn(h, "\n");
		fprintf(out, "%*s%.*s\n", HELP_COLUMN - width, "", len, h);
		width = 0;
		h += len + (h[len] == '\n');
	}
	sb_free(&made);
}

/* The subcommands, each with its summary; `peerc COMMAND --help` says more. */
static void print_commands(void)
{
	const struct command *c;

	if (!command_at(0))
		return;
	puts("\nCommands (peerc COMMAND --help for each):");
	for (size_t i = 0; (c = command_at(i)); i++)
		printf("  %-*s%s\n", HELP_COLUMN - 2, c->name, c->summary);
}

static void print_help(void)
{
	puts("Usage: peerc [OPTION]... FILE");
	if (command_at(0))
		puts("  or:  peerc COMMAND [ARG]...");
	puts(
	     "Check a description of Azure virtual networks and their peerings\n"
	     "(FILE, or - for standard input) against Azure's rules, and write\n"
	     "Terraform, Bicep or ARM JSON that creates both sides of every\n"
	     "peering. Nothing is written when there is an error.\n"
	     "\n"
	     "Options:");
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		cli_print_option(stdout, &options[i]);
	print_commands();
	puts("\n"
	     "Exit status:\n"
	     "  0  success (warnings allowed)\n"
	     "  1  errors in FILE, including warnings made errors by -Werror\n"
	     "  2  a usage error, a file could not be read or written, or\n"
	     "     memory ran out\n"
	     "  3  --check or --diff found an output file out of date\n"
	     "\n"
	     "Limits:\n"
	     "  Each is far above any real design; past one, peerc stops with\n"
	     "  a message that names it. FILE: 128 MiB. A --template-dir\n"
	     "  template: 4 MiB. An existing -o file read whole (by --diff,\n"
	     "  and for Terraform's moved blocks): 256 MiB. Blocks nest at\n"
	     "  most 32 deep, in FILE and in a template. A template's output:\n"
	     "  1 MiB plus 4 KiB for each value of the topology it is given.\n"
	     "\n"
	     "Examples:\n"
	     "  peerc topology.peer -o main.tf\n"
	     "                          write Terraform for topology.peer\n"
	     "  peerc topology.peer -o main.bicep\n"
	     "                          write Bicep (and its modules)\n"
	     "  peerc --check topology.peer -o main.tf\n"
	     "                          in CI: fail when main.tf is stale\n"
	     "  peerc -t none -Werror topology.peer\n"
	     "                          only check, warnings as errors\n"
	     "  peerc --explain spoke1 onprem topology.peer\n"
	     "                          can spoke1 reach the site onprem?\n"
	     "\n"
	     "Report bugs to: <" PACKAGE_BUGREPORT ">");
}

static void print_version(void)
{
	puts(PACKAGE_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n"
	     "Copyright (C) 2026 the peerc authors.\n"
	     "License GPLv3+: GNU GPL version 3 or later "
	     "<https://gnu.org/licenses/gpl.html>.\n"
	     "This is free software: you are free to change and redistribute it.\n"
	     "There is NO WARRANTY, to the extent permitted by law.");
}

static const char *level_name(enum check_level level)
{
	switch (level) {
	case CHECK_ERROR:
		return "error";
	case CHECK_WARNING:
		return "warning";
	case CHECK_OFF:
		return "off";
	}
	BUG();
}

static void print_warnings(void)
{
	int width = 0;

	for (size_t i = 0; i < check_count(); i++)
		if ((int)strlen(check_at(i)->name) > width)
			width = (int)strlen(check_at(i)->name);
	for (size_t i = 0; i < check_count(); i++) {
		const struct check *c = check_at(i);
		printf("%-*s  %-7s  %s\n", width, c->name, level_name(c->level),
		       c->summary);
	}
}

/* ------------------------------------------------------------- parsing */

/* struct usage_error (cli.h): a usage error's text, printed once the
 * color is known. */
static void usage_error(struct usage_error *e, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

static void usage_error(struct usage_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->set = true;
}

static void usage_error_add(struct usage_error *e, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

/* Appends to the message. */
static void usage_error_add(struct usage_error *e, const char *fmt, ...)
{
	size_t len = strlen(e->msg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg + len, sizeof(e->msg) - len, fmt, ap);
	va_end(ap);
}

/* Appends "; did you mean 'PREFIXNAME'?" when a name is near. */
static void add_hint(struct usage_error *e, const char *prefix,
		     const char *given, const char *const *names, size_t n)
{
	const char *hint = closest_match(given, names, n);

	if (hint)
		usage_error_add(e, "; did you mean '%s%s'?", prefix, hint);
}

static bool is_warning(const struct check *c)
{
	return c && c->level != CHECK_ERROR;
}

static void hint_warning(struct usage_error *e, const char *prefix,
			 const char *given)
{
	const char **names = xcalloc(check_count() + 1, sizeof(*names));
	size_t n = 0;

	for (size_t i = 0; i < check_count(); i++)
		if (is_warning(check_at(i)))
			names[n++] = check_at(i)->name;
	add_hint(e, prefix, given, names, n);
	free(names);
}

static void add_rule(struct cli_opts *o, const char *name,
		     enum warn_setting setting)
{
	struct warn_opts *w = &o->compile.warnings;

	if (w->nrules == o->rules_cap) {
		o->rules_cap = o->rules_cap ? 2 * o->rules_cap : 8;
		o->rules = xrealloc(o->rules, o->rules_cap * sizeof(*o->rules));
	}
	o->rules[w->nrules++] = (struct warn_rule){ name, setting };
	w->rules = o->rules;
}

/* -Wname, -Wno-name, -Werror, -Werror=name, -Wno-error=name. */
static void parse_warning(struct cli_opts *o, const char *arg,
			  struct usage_error *e)
{
	static const struct {
		const char *prefix;
		enum warn_setting setting;
	} forms[] = {
		{ "error=", WARN_AS_ERROR },
		{ "no-error=", WARN_NOT_AS_ERROR },
		{ "no-", WARN_DISABLE },
		{ "", WARN_ENABLE },
	};

	if (strcmp(arg, "error") == 0) {
		o->compile.warnings.all_as_errors = true;
		return;
	}
	size_t f = 0;
	while (strncmp(arg, forms[f].prefix, strlen(forms[f].prefix)) != 0)
		f++;
	const char *name = arg + strlen(forms[f].prefix);
	const struct check *c = check_find(name);
	if (is_warning(c)) {
		add_rule(o, name, forms[f].setting);
		return;
	}
	char prefix[16];
	snprintf(prefix, sizeof(prefix), "-W%s", forms[f].prefix);
	if (c)
		usage_error(e, "'%s' is an error, not a warning: '%s%s' cannot "
			    "change it", name, prefix, name);
	else
		usage_error(e, "unknown warning '%s%s'", prefix, name);
	hint_warning(e, prefix, name);
}

static void parse_target(struct cli_opts *o, const char *arg,
			 struct usage_error *e)
{
	o->target_given = true;
	if (strcmp(arg, "none") == 0) {
		o->compile.target = PEERC_TARGET_NONE;
		return;
	}
	o->compile.target = peerc_target_from_name(arg);
	if (o->compile.target != PEERC_TARGET_NONE)
		return;
	const char *names[8];
	size_t n = 0;
	for (size_t i = 0; i < backend_count() && n + 1 < ARRAY_SIZE(names); i++)
		names[n++] = backend_at(i)->name;
	names[n++] = "none";
	usage_error(e, "unknown target '%s'", arg);
	add_hint(e, "", arg, names, n);
}

void cli_parse_color(const char *arg, enum cli_color *mode, struct usage_error *e)
{
	static const char *const names[] = { "auto", "always", "never" };
	static const enum cli_color modes[] = {
		CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER,
	};

	if (!arg) {
		*mode = CLI_COLOR_ALWAYS;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(arg, names[i]) == 0) {
			*mode = modes[i];
			return;
		}
	}
	usage_error(e, "invalid --color '%s': auto, always or never", arg);
}

void cli_parse_diagnostics_format(const char *arg, enum diag_format *f,
				  struct usage_error *e)
{
	if (diag_format_find(arg, f))
		return;
	usage_error(e, "invalid --diagnostics-format '%s': text, json, sarif or "
		    "github", arg);
	add_hint(e, "", arg, format_choices, ARRAY_SIZE(format_choices));
}

static void parse_max_errors(struct cli_opts *o, const char *arg,
			     struct usage_error *e)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno)
		usage_error(e, "invalid --max-errors '%s': a number is needed", arg);
	else
		o->compile.max_errors = (size_t)n;
}

static void parse_api_version(struct cli_opts *o, const char *arg,
			      bool unchecked, struct usage_error *e)
{
	const char *opt = unchecked ? "--unchecked-api-version" : "--api-version";

	o->compile.api_version = arg;
	if (!api_version_valid(arg)) {
		usage_error(e, "'%s' is not an API version: '%s' takes a stable "
			    "version, YYYY-MM-DD", arg, opt);
		return;
	}
	if (unchecked || api_version_known(arg))
		return;
	struct strbuf sb;
	sb_init(&sb);
	api_version_explain(&sb, arg);
	usage_error(e, "'%s' is not a Microsoft.Network API version peerc knows "
		    "(%s); --unchecked-api-version writes it unchecked", arg, sb.buf);
	sb_free(&sb);
}

static const struct cli_option *find_option(const struct cli_option *opts,
					   size_t n, int key)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i].key == key)
			return &opts[i];
	return NULL;
}

void cli_bad_option(const struct cli_option *opts, size_t nopts, int c,
		    char **argv, struct usage_error *e)
{
	/* Reliable for a missing argument (always the last word) and an
	 * unknown long option (getopt has moved past it); not for a bad letter
	 * inside a group like -vx, so letters are shown from optopt. */
	const char *text = argv[optind - 1];
	const struct cli_option *opt = find_option(opts, nopts, optopt);

	if (c == ':' && strncmp(text, "--", 2) == 0) {
		usage_error(e, "option '%s' requires an argument", text);
	} else if (c == ':') {
		usage_error(e, "option '-%c' requires an argument", optopt);
	} else if (optopt == 0) {
		const char **names = xcalloc(nopts + 1, sizeof(*names));
		size_t n = 0;
		char given[64];
		snprintf(given, sizeof(given), "%.*s",
			 (int)strcspn(text + 2, "="), text + 2);
		for (size_t i = 0; i < nopts; i++)
			if (opts[i].name)
				names[n++] = opts[i].name;
		usage_error(e, "unrecognized option '%s'", text);
		add_hint(e, "--", given, names, n);
		free(names);
	} else if (opt) {
		/* A known option fails only in its long form with "=ARG". */
		usage_error(e, "option '--%s' takes no argument", opt->name);
	} else {
		usage_error(e, "invalid option -- '%c'", optopt);
	}
}

static void handle(struct cli_opts *o, int key, const char *arg,
		   struct usage_error *e)
{
	switch (key) {
	case 'o':
		o->output = arg;
		break;
	case 't':
		parse_target(o, arg, e);
		break;
	case 'W':
		parse_warning(o, arg, e);
		break;
	case 'v':
		o->verbose = true;
		break;
	case OPT_CHECK:
		o->check = true;
		break;
	case OPT_DIFF:
		o->check = o->diff = true;
		break;
	case OPT_COLOR:
		cli_parse_color(arg, &o->color_mode, e);
		break;
	case OPT_LIST_WARNINGS:
		o->action = CLI_LIST_WARNINGS;
		break;
	case OPT_MAX_ERRORS:
		parse_max_errors(o, arg, e);
		break;
	case OPT_DIAGNOSTICS_FORMAT:
		cli_parse_diagnostics_format(arg, &o->diagnostics_format, e);
		break;
	case OPT_TEMPLATE_DIR:
		if (!*arg)
			usage_error(e, "'--template-dir' needs a directory, not an "
				    "empty name");
		o->compile.template_dir = arg;
		break;
	case OPT_API_VERSION:
	case OPT_UNCHECKED_API_VERSION:
		parse_api_version(o, arg, key == OPT_UNCHECKED_API_VERSION, e);
		break;
	case OPT_EXPLAIN:
		o->explain[0] = arg;
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
			usage_error(e, "invalid --format '%s': text or json", arg);
		o->explain_format = arg;
		break;
	case OPT_ALLOW_EMPTY:
		o->compile.allow_empty = true;
		break;
	case OPT_IMPORT_FROM:
		o->import_from = xrealloc(o->import_from,
					  (o->nimport_from + 1) * sizeof(*o->import_from));
		o->import_from[o->nimport_from++] = arg;
		break;
	case OPT_HELP:
		o->action = CLI_HELP;
		break;
	case OPT_VERSION:
		o->action = CLI_VERSION;
		break;
	default:
		BUG();
	}
}

static bool to_stdout(const struct cli_opts *o)
{
	return !o->output || strcmp(o->output, "-") == 0;
}

/* Extensions compare as file systems that ignore case would: main.TF is
 * a .tf file to Terraform on Windows and macOS. */
static bool has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strncasecmp(s + ls - lx, suffix, lx) == 0;
}

/* The back end whose extension ends name, or NULL. */
static const struct backend *backend_by_extension(const char *name)
{
	for (size_t i = 0; i < backend_count(); i++) {
		const struct backend *b = backend_at(i);
		if (b->extension && has_suffix(name, b->extension))
			return b;
	}
	return NULL;
}

/* An output a target's tool would read as its own input (main.tf.json),
 * refused with a name that fits: the same base with the extension of the
 * target asked for or meant (.json: ARM). */
static void claimed_name(struct cli_opts *o, struct usage_error *e)
{
	for (size_t i = 0; i < backend_count(); i++) {
		const struct backend *b = backend_at(i);
		if (!b->tool_reads || !has_suffix(o->output, b->tool_reads))
			continue;
		const struct backend *want = o->target_given ?
			backend_find(o->compile.target) :
			backend_by_extension(o->output);
		int base = (int)(strlen(o->output) - strlen(b->tool_reads));
		usage_error(e, "-o '%s': %s", o->output, b->tool_reads_why);
		if (want && want->extension)
			usage_error_add(e, "; name it '%.*s%s'", base, o->output,
					want->extension);
		return;
	}
}

/* -t from -o's extension, by the back-end table; standard output takes
 * Terraform, and any other name must say what it is. */
static void infer_target(struct cli_opts *o, struct usage_error *e)
{
	const struct backend *b = to_stdout(o) ? NULL : backend_by_extension(o->output);
	struct strbuf known;

	o->compile.target = b ? b->target : PEERC_TARGET_TERRAFORM;
	if (b || to_stdout(o))
		return;
	sb_init(&known);
	for (size_t i = 0, n = 0; i < backend_count(); i++)
		if ((b = backend_at(i))->extension)
			sb_printf(&known, "%s%s (%s)", n++ ? ", " : "", b->extension,
				  b->name);
	usage_error(e, "cannot tell the target from -o '%s': the extensions "
		    "peerc knows are %s; give -t TARGET", o->output, known.buf);
	sb_free(&known);
}

/* --explain A B FILE or FILE --explain A B: B is the word that followed A
 * on the command line (getopt has moved the words that are not options to
 * the end, in their order), else the first of the two. */
static void finish_explain(struct cli_opts *o, int argc, char **argv,
			   const char *after_a, struct usage_error *e)
{
	if (argc - optind != 2) {
		usage_error(e, "--explain needs two names and a file: "
			    "'--explain A B FILE'");
		return;
	}
	int b = argv[optind + 1] == after_a ? 1 : 0;
	o->explain[1] = argv[optind + b];
	o->input = argv[optind + 1 - b];
	bool picture = o->target_given &&
		       (o->compile.target == PEERC_TARGET_DOT ||
			o->compile.target == PEERC_TARGET_MERMAID);
	if (o->output || o->check || (o->target_given && !picture))
		usage_error(e, "--explain writes no file: it takes no -o, --check "
			    "or --diff, and -t only as dot or mermaid, whose "
			    "picture goes to standard output");
	else if (picture && o->explain_format)
		usage_error(e, "--format is for --explain's answer, which -t %s "
			    "draws instead", peerc_target_name(o->compile.target));
	if (!picture)
		o->compile.target = PEERC_TARGET_NONE;
	o->compile.explain[0] = o->explain[0];
	o->compile.explain[1] = o->explain[1];
}

/* What the options mean together, once all are read. */
static void finish(struct cli_opts *o, int argc, char **argv,
		   const char *after_a, struct usage_error *e)
{
	if (o->explain[0]) {
		finish_explain(o, argc, argv, after_a, e);
		return;
	}
	if (o->explain_format) {
		usage_error(e, "--format is for --explain's answer");
		return;
	}
	if (argc - optind != 1) {
		if (argc == optind)
			usage_error(e, "no input file");
		else
			usage_error(e, "one input file only: '%s' is the second",
				    argv[optind + 1]);
		return;
	}
	o->input = argv[optind];
	if (!to_stdout(o))
		claimed_name(o, e);
	if (!e->set && !o->target_given)
		infer_target(o, e);
	if (!e->set && !to_stdout(o) && strcmp(o->input, "-") != 0 &&
	    output_same_file(o->input, o->output))
		usage_error(e, "-o '%s' is the input file: writing it would "
			    "replace the source", o->output);
	if (e->set)
		return;
	if (o->check && to_stdout(o))
		usage_error(e, "--%s needs -o FILE to compare with",
			    o->diff ? "diff" : "check");
	else if (o->check && o->compile.target == PEERC_TARGET_NONE)
		usage_error(e, "-t none writes nothing: --%s has nothing to compare",
			    o->diff ? "diff" : "check");
	if (o->nimport_from && o->compile.target != PEERC_TARGET_TERRAFORM)
		usage_error(e, "--import-from writes Terraform import blocks: it "
			    "needs the terraform target");
	if (!to_stdout(o)) {
		const char *slash = strrchr(o->output, '/');
		o->compile.output_name = slash ? slash + 1 : o->output;
	}
}

bool cli_color(enum cli_color mode)
{
	if (mode != CLI_COLOR_AUTO)
		return mode == CLI_COLOR_ALWAYS;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if ((no_color && *no_color) || !term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDERR_FILENO);
}

void cli_find_format(int argc, char **argv, const char *shorts,
		     const struct option *longs, int key, enum diag_format *f)
{
	struct usage_error ignored = { .set = false };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1)
		if (c == key)
			cli_parse_diagnostics_format(optarg, f, &ignored);
}

/* Every message of a run goes through one sink, on standard error.
 * Returns the rules to free after close_sink (SARIF lists them). */
static struct diag_rule *open_sink(const struct cli_opts *o,
				   struct diag_sink *sink)
{
	size_t n = 0;
	struct diag_rule *rules = o->diagnostics_format == DIAG_FORMAT_SARIF ?
				  rules_all(&n) : NULL;

	diag_sink_init(sink, stderr, o->diagnostics_format, o->color, rules, n);
	return rules;
}

static void close_sink(struct diag_sink *sink, struct diag_rule *rules,
		       int status)
{
	diag_sink_finish(sink, status);
	free(rules);
}

void cli_getopt_tables(const struct cli_option *opts, size_t n,
		       struct option *longs, char *shorts)
{
	size_t nlong = 0, ns = 0;

	shorts[ns++] = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < n; i++) {
		const struct cli_option *opt = &opts[i];
		if (opt->name)
			longs[nlong++] = (struct option){ opt->name, opt->has_arg,
							  NULL, opt->key };
		if (opt->key < 256) {
			shorts[ns++] = (char)opt->key;
			if (opt->has_arg == required_argument)
				shorts[ns++] = ':';
		}
	}
	longs[nlong] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';
}

int cli_parse(struct cli_opts *o, int argc, char **argv)
{
	struct option longs[ARRAY_SIZE(options) + 1];
	char shorts[2 * ARRAY_SIZE(options) + 2];
	struct usage_error err = { .set = false };
	int c;

	memset(o, 0, sizeof(*o));
	o->compile.max_errors = 50;
	cli_getopt_tables(options, ARRAY_SIZE(options), longs, shorts);
	opterr = 0;
	optind = 1;
	const char *after_a = NULL; /* the word after --explain's A */
	while (!err.set && o->action == CLI_COMPILE &&
	       (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':')
			cli_bad_option(options, ARRAY_SIZE(options), c, argv, &err);
		else
			handle(o, c, optarg, &err);
		if (c == OPT_EXPLAIN && optind < argc)
			after_a = argv[optind];
	}
	if (!err.set && o->action == CLI_COMPILE)
		finish(o, argc, argv, after_a, &err);
	if (err.set || o->action != CLI_COMPILE)
		cli_find_format(argc, argv, shorts, longs, OPT_DIAGNOSTICS_FORMAT,
				&o->diagnostics_format);
	o->color = cli_color(o->color_mode);
	if (!err.set)
		return EXIT_OK;
	struct diag_sink sink;
	struct diag_rule *rules = open_sink(o, &sink);
	diag_sink_plain(&sink, DIAG_ERROR, "usage", "%s", err.msg);
	diag_sink_plain(&sink, DIAG_NOTE, "usage",
			"try 'peerc --help' for more information");
	close_sink(&sink, rules, EXIT_USAGE);
	return EXIT_USAGE;
}

void cli_opts_free(struct cli_opts *o)
{
	free(o->rules);
	o->rules = NULL;
	free((void *)o->import_from);
	o->import_from = NULL;
}

/* ------------------------------------------------------------- running */

/* The command line's sink: each output straight to its temporary file,
 * or, for --check, compared with the file on the disk as it comes. */
struct staging {
	const struct cli_opts *o;
	struct output_stage *stage;
	struct output_compare *cmp;
	int dirlen; /* of the main output's directory, with its '/' */
};

/* Module files an earlier run wrote for this output and this run does not:
 * the files under the target's module folder whose header says they are
 * modules of this output (emit_is_module_of), whatever they are named. */
struct stale {
	char **paths;
	size_t n;
	char *dir;       /* DIR/modules */
	char *out_dir;   /* DIR, which emptied folders below it go up to */
	const char *why; /* for --check */
	/* The stage files (FILE.stageN.EXT) of an earlier run. */
	char **stages;
	size_t nstages;
	const char *stages_why;
};

/* The files this run writes, by path and by file (another spelling of
 * one of them on a case-insensitive disk is no stale module). */
static void index_outputs(struct arena *a, const struct output_file *files,
			  size_t n, struct strmap *written)
{
	char key[64];

	strmap_init(written, a);
	for (size_t i = 0; i < n; i++) {
		strmap_put(written, files[i].path, written);
		if (output_file_key(files[i].path, key, sizeof(key)))
			strmap_put(written, arena_strdup(a, key), written);
	}
}

static bool written_now(const struct strmap *written, const char *path)
{
	char key[64];

	return strmap_get(written, path) ||
	       (output_file_key(path, key, sizeof(key)) && strmap_get(written, key));
}

/* Whether base is FILE.stageN.EXT of the output FILE.EXT. */
static bool stage_name(const char *base, const char *output)
{
	const char *dot = strrchr(output, '.');
	size_t stem = dot && dot != output ? (size_t)(dot - output) : strlen(output);
	const char *p;

	if (strncmp(base, output, stem) != 0 || strncmp(base + stem, ".stage", 6) != 0)
		return false;
	p = base + stem + strlen(".stage");
	if (*p < '2' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcmp(p, output + stem) == 0;
}

/* The stage files an earlier run wrote beside this output (peerc's, by
 * their head: emit_is_generated) and this run does not: an estate that
 * shrank leaves no stage a loop over the files would still deploy. */
static void find_stale_stages(const struct cli_opts *o, const struct peerc_result *r,
			      const struct strmap *written, struct stale *st)
{
	char **all = NULL;
	size_t nall = 0;

	st->stages_why = arena_printf(r->arena, "a stage of %s that this run does "
				      "not write", o->compile.output_name);
	output_list_dir(*st->out_dir ? st->out_dir : ".", &all, &nall);
	for (size_t i = 0; i < nall; i++) {
		const char *base = strrchr(all[i], '/') + 1;
		char *path = *st->out_dir ? all[i] : xstrdup(base);
		struct strbuf head;
		sb_init(&head);
		bool mine = stage_name(base, o->compile.output_name) &&
			    !written_now(written, path) &&
			    file_read_head(path, &head, 4096) == 0 &&
			    emit_is_generated(head.buf ? head.buf : "");
		sb_free(&head);
		if (path != all[i])
			free(all[i]);
		if (mine) {
			st->stages = xrealloc(st->stages, (st->nstages + 1) * sizeof(*st->stages));
			st->stages[st->nstages++] = path;
		} else {
			free(path);
		}
	}
	free(all);
}

static void find_stale(const struct cli_opts *o, const struct peerc_result *r,
		       const struct output_file *files, size_t n, struct stale *st)
{
	const struct backend *b = backend_find(o->compile.target);
	const char *slash = strrchr(o->output, '/');
	char **all = NULL;
	size_t nall = 0;
	struct strmap written;

	*st = (struct stale){ 0 };
	int dirlen = slash ? (int)(slash - o->output) : 0;
	st->out_dir = xstrdup(arena_printf(r->arena, "%.*s", dirlen, o->output));
	index_outputs(r->arena, files, n, &written);
	find_stale_stages(o, r, &written, st);
	if (!b || !b->module_dir)
		return;
	st->why = arena_printf(r->arena, "a module of %s that this run does not "
			       "write", o->compile.output_name);
	st->dir = xstrdup(arena_printf(r->arena, "%s%s%s", st->out_dir,
				       slash ? "/" : "", b->module_dir));
	output_list_files(st->dir, &all, &nall);
	for (size_t i = 0; i < nall; i++) {
		struct strbuf head;
		sb_init(&head);
		bool mine = !written_now(&written, all[i]) &&
			    file_read_head(all[i], &head, 4096) == 0 &&
			    emit_is_module_of(r->arena, head.buf ? head.buf : "",
					      head.len, o->compile.output_name);
		sb_free(&head);
		if (mine) {
			st->paths = xrealloc(st->paths, (st->n + 1) * sizeof(*st->paths));
			st->paths[st->n++] = all[i];
		} else {
			free(all[i]);
		}
	}
	free(all);
}

/* A module path that is the input file: writing would replace the source. */
static bool writes_input(const struct cli_opts *o, const struct output_file *files,
			 size_t n, struct diag_sink *sink)
{
	for (size_t i = 1; i < n; i++) {
		if (strcmp(o->input, "-") == 0 || !output_same_file(o->input, files[i].path))
			continue;
		diag_sink_plain(sink, DIAG_ERROR, "usage",
				"the module file %s is the input file: writing it "
				"would replace the source", files[i].path);
		return true;
	}
	return false;
}

static int write_files(const struct cli_opts *o, const struct output_file *files,
		       size_t n, const struct stale *st, const struct staging *staged,
		       struct diag_sink *sink)
{
	struct output_stage *stage = staged->stage;

	if (o->check) {
		enum output_state s = staged->cmp ? output_compare_finish(staged->cmp, sink) :
				      output_check(files, n, o->diff, sink);
		enum output_state g = output_check_removed(st->paths, st->n, st->why,
							   o->diff, sink);
		s = g > s ? g : s;
		g = output_check_removed(st->stages, st->nstages, st->stages_why,
					 o->diff, sink);
		s = g > s ? g : s;
		return s == OUTPUT_FRESH ? EXIT_OK : s == OUTPUT_STALE ? EXIT_STALE :
		       EXIT_USAGE;
	}
	if (!(stage ? output_stage_commit(stage, o->verbose) :
		      output_write(files, n, o->verbose, sink)) ||
	    !output_remove(st->paths, st->n, st->out_dir, o->verbose, sink) ||
	    !output_remove(st->stages, st->nstages, st->out_dir, o->verbose, sink))
		return EXIT_USAGE;
	return EXIT_OK;
}

/* The outputs are in r, or (streamed) already written to temporaries that
 * only the commit puts in place, or already compared for --check. */
static int emit(const struct cli_opts *o, const struct peerc_result *r,
		const struct staging *g, struct diag_sink *sink)
{
	if (r->noutputs == 0)
		return EXIT_OK;
	if (to_stdout(o)) {
		if (r->noutputs > 1) {
			diag_sink_plain(sink, DIAG_ERROR, "usage",
					"the %s output is more than one file (%s): "
					"give -o FILE to write them beside it",
					peerc_target_name(o->compile.target),
					r->outputs[1].path);
			return EXIT_USAGE;
		}
		return output_stdout(r->outputs[0].data, r->outputs[0].len,
				     sink) ? EXIT_OK : EXIT_USAGE;
	}

	/* Module paths are relative to the main file's directory. */
	struct output_file *files = xcalloc(r->noutputs, sizeof(*files));
	const char *slash = strrchr(o->output, '/');
	int dirlen = slash ? (int)(slash - o->output + 1) : 0;
	for (size_t i = 0; i < r->noutputs; i++) {
		const struct peerc_output *out = &r->outputs[i];
		files[i] = (struct output_file){
			out->path ? arena_printf(r->arena, "%.*s%s", dirlen,
						 o->output, out->path) : o->output,
			out->data, out->len, out->path != NULL,
		};
	}
	int status = EXIT_USAGE;
	struct stale st;
	find_stale(o, r, files, r->noutputs, &st);
	if (!writes_input(o, files, r->noutputs, sink))
		status = write_files(o, files, r->noutputs, &st, g, sink);
	output_free_list(st.paths, st.n);
	output_free_list(st.stages, st.nstages);
	free(st.dir);
	free(st.out_dir);
	free(files);
	return status;
}

/* The answer goes to stdout even when a check failed (a failed require is
 * what one asks --explain about); the status says "reachable, no errors".
 * With -t dot or mermaid the answer is the picture. */
static int explain(const struct cli_opts *o, struct peerc_result *r,
		   struct diag_sink *sink)
{
	bool yes;
	bool json = o->explain_format && strcmp(o->explain_format, "json") == 0;
	const char *answer = json ?
		peerc_explain_json(r, o->explain[0], o->explain[1], &yes) :
		peerc_explain(r, o->explain[0], o->explain[1], &yes);

	if (!answer)
		return EXIT_ERRORS;
	if (o->compile.target == PEERC_TARGET_NONE)
		printf("%s\n", answer);
	else if (r->noutputs != 1)
		return EXIT_ERRORS;
	else if (!output_stdout(r->outputs[0].data, r->outputs[0].len, sink))
		return EXIT_USAGE;
	return yes && !peerc_failed(r) ? EXIT_OK : EXIT_ERRORS;
}

/* A module's path is relative to the main output's directory. */
static const char *staged_path(const struct staging *g, const char *path,
			       struct strbuf *full)
{
	if (!path)
		return g->o->output;
	sb_printf(full, "%.*s%s", g->dirlen, g->o->output, path);
	return full->buf;
}

static bool stage_open(void *ctx, const char *path)
{
	struct staging *g = ctx;
	struct strbuf full;

	sb_init(&full);
	bool ok = output_stage_open(g->stage, staged_path(g, path, &full),
				    path != NULL);
	sb_free(&full);
	return ok;
}

static bool stage_write(void *ctx, const char *data, size_t len)
{
	return output_stage_write(((struct staging *)ctx)->stage, data, len);
}

static bool stage_close(void *ctx)
{
	return output_stage_close(((struct staging *)ctx)->stage);
}

static bool compare_open(void *ctx, const char *path)
{
	struct staging *g = ctx;
	struct strbuf full;

	sb_init(&full);
	output_compare_open(g->cmp, staged_path(g, path, &full));
	sb_free(&full);
	return true;
}

static bool compare_write(void *ctx, const char *data, size_t len)
{
	output_compare_write(((struct staging *)ctx)->cmp, data, len);
	return true;
}

static bool compare_close(void *ctx)
{
	output_compare_close(((struct staging *)ctx)->cmp);
	return true;
}

/* Writing to -o FILE streams: the compile renders into the temporaries
 * and holds a piece of the output at a time; --check compares the pieces
 * with the files as they come. --diff needs both texts whole, and
 * standard output takes only a whole output, so both keep it in memory. */
static bool streams(const struct cli_opts *o)
{
	return !to_stdout(o) && !o->diff && !o->explain[0] &&
	       o->compile.target != PEERC_TARGET_NONE;
}

static int compile(const struct cli_opts *o, struct diag_sink *sink)
{
	struct strbuf in;
	bool is_stdin = strcmp(o->input, "-") == 0;
	char why[128];

	sb_init(&in);
	int err = file_read(o->input, &in, INPUT_MAX);
	if (err) {
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s",
				is_stdin ? "standard input" : o->input,
				file_error(err, INPUT_MAX, "an input file", why,
					   sizeof(why)));
		sb_free(&in);
		return EXIT_USAGE;
	}
	/* Compiled in place (text_kept): a second NUL after the first. */
	sb_putc(&in, '\0');
	in.len--;
	/* The output as it is, so that Terraform can move what was renamed:
	 * a streamed compile reads it itself, in pieces. */
	struct peerc_options opts = o->compile;
	opts.text_kept = true;
	opts.ast_dropped = !o->explain[0];
	struct strbuf prev;
	sb_init(&prev);
	struct stat st;
	bool previous = o->output && strcmp(o->output, "-") != 0 &&
			opts.target == PEERC_TARGET_TERRAFORM &&
			stat(o->output, &st) == 0 && S_ISREG(st.st_mode);
	if (previous && streams(o)) {
		opts.previous_path = o->output;
	} else if (previous && (err = file_read(o->output, &prev, OLD_OUTPUT_MAX)) == 0) {
		opts.previous_output = prev.buf;
		opts.previous_len = prev.len;
	} else if (err == FILE_TOO_LARGE) {
		/* without it, renamed resources would be destroyed and made anew */
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s",
				o->output, file_error(err, OLD_OUTPUT_MAX,
						      "an existing output", why,
						      sizeof(why)));
		sb_free(&in);
		sb_free(&prev);
		return EXIT_USAGE;
	}
	struct arena *live_arena = arena_new();
	struct live adopt;
	if (o->nimport_from) {
		live_init(&adopt, live_arena);
		int status = subcmd_load_live(&adopt, o->import_from, o->nimport_from,
					      sink);
		if (status != EXIT_OK) {
			sb_free(&in);
			sb_free(&prev);
			arena_free(live_arena);
			return status;
		}
		opts.adopt = &adopt;
	}
	struct staging g = { o, NULL, NULL, 0 };
	struct peerc_sink out = { stage_open, stage_write, stage_close, &g };
	if (streams(o)) {
		const char *slash = strrchr(o->output, '/');
		g.dirlen = slash ? (int)(slash - o->output + 1) : 0;
		if (o->check) {
			g.cmp = output_compare_new();
			out = (struct peerc_sink){ compare_open, compare_write,
						   compare_close, &g };
		} else {
			g.stage = output_stage_new(sink);
		}
		opts.sink = &out;
	}
	struct peerc_result *r = peerc_compile(&opts, is_stdin ? "<stdin>" : o->input,
					       in.buf, in.len);
	sb_free(&prev);
	diag_sink_list(sink, &r->source, &r->diags);
	int status = peerc_io_failed(r) ? EXIT_USAGE :
		     o->explain[0] ? explain(o, r, sink) :
		     peerc_failed(r) ? EXIT_ERRORS :
		     g.stage && output_stage_failed(g.stage) ? EXIT_USAGE :
		     emit(o, r, &g, sink);
	/* what was not committed, a failed run's above all, is removed */
	output_stage_free(g.stage);
	output_compare_free(g.cmp);
	peerc_result_free(r);
	sb_free(&in);
	arena_free(live_arena);
	return status;
}

int cli_run(const struct cli_opts *o)
{
	int status = EXIT_OK;
	struct diag_sink sink;
	struct diag_rule *rules = open_sink(o, &sink);

	switch (o->action) {
	case CLI_HELP:
		print_help();
		break;
	case CLI_VERSION:
		print_version();
		break;
	case CLI_LIST_WARNINGS:
		print_warnings();
		break;
	case CLI_COMPILE:
		status = compile(o, &sink);
		break;
	}
	/* A full disk or closed pipe on stdout must not pass for success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_sink_plain(&sink, DIAG_ERROR, "io",
				"cannot write to standard output: %s",
				strerror(errno));
		status = EXIT_USAGE;
	}
	close_sink(&sink, rules, status);
	return status;
}
