/* The command line: options to a struct, then one run of the compiler with
 * them. Only this module and output.c decide what goes to stdout and which
 * exit status a run has; the text of every message comes from diag.c. */
#ifndef PEERC_CLI_H
#define PEERC_CLI_H

#include "common.h"
#include "peerc.h"

/* Exit statuses, documented in --help and the man page. */
enum {
	EXIT_OK = 0,       /* success; warnings allowed */
	EXIT_ERRORS = 1,   /* errors in the input (-Werror included) */
	EXIT_USAGE = 2,    /* a usage or input/output error */
	EXIT_STALE = 3,    /* --check: an output file is out of date */
};

enum cli_action {
	CLI_COMPILE,
	CLI_HELP,
	CLI_VERSION,
	CLI_LIST_WARNINGS,
};

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli_opts {
	enum cli_action action;
	const char *input;        /* "-": standard input */
	const char *output;       /* NULL or "-": standard output */
	bool target_given;        /* -t was given; else from the -o extension */
	bool check;               /* --check or --diff: compare, write nothing */
	bool diff;                /* --diff: print a unified diff too */
	bool verbose;
	const char *explain[2];   /* --explain A B: the two names, else NULL */
	const char *explain_format; /* --format: "text" or "json", else NULL */
	enum diag_format diagnostics_format;
	enum cli_color color_mode;
	bool color;               /* color_mode resolved against stderr */
	struct peerc_options compile;
	struct warn_rule *rules;  /* heap; compile.warnings.rules points here */
	size_t rules_cap;
	const char **import_from; /* --import-from files (heap array), in order */
	size_t nimport_from;
};

/* One row per option: getopt_long's tables and --help both come from a
 * table of these (the compiler's in cli.c, each command's in its module),
 * so an option cannot exist without its help or the other way round. */
struct cli_option {
	const char *name;  /* the long name; NULL: short or help only */
	int key;           /* the short letter, or a key of 256 and up */
	int has_arg;       /* no_argument, required_argument, optional_argument */
	const char *arg;   /* the argument's name in --help */
	const char *shown; /* the left column, when it is not the usual form */
	const char *help;  /* '\n' starts an aligned continuation line; NULL:
			    * -t's, made from the back-end table */
};

/* A usage error: its text, printed once the color is known. */
struct usage_error {
	char msg[512];
	bool set;
};

struct option;
/* getopt_long's tables for n options: longs needs n + 1 entries, shorts
 * 2n + 2 characters. */
void cli_getopt_tables(const struct cli_option *opts, size_t n,
		       struct option *longs, char *shorts);
/* One option's lines of --help, in the form help2man reads. */
void cli_print_option(FILE *out, const struct cli_option *opt);

/* What getopt_long (quiet: opterr = 0) could not parse, c being '?' or
 * ':', as a usage error for a command whose options are opts[n]: an
 * unknown long option gets the nearest known one as a hint. */
void cli_bad_option(const struct cli_option *opts, size_t n, int c,
		    char **argv, struct usage_error *e);
/* --color[=WHEN]'s argument (NULL: always) into *mode, else a usage error. */
void cli_parse_color(const char *arg, enum cli_color *mode, struct usage_error *e);

/* Whether to color messages on stderr: auto is a terminal without NO_COLOR. */
bool cli_color(enum cli_color mode);

/* --diagnostics-format's argument into *f, else a usage error. */
void cli_parse_diagnostics_format(const char *arg, enum diag_format *f,
				  struct usage_error *e);
/* After a usage error or --help (either stops the reading of options):
 * the --diagnostics-format (option key) given anywhere in argv into *f,
 * so that even the report of a mistake before it comes in the format
 * asked for. Nothing else is taken; an invalid one is ignored. */
void cli_find_format(int argc, char **argv, const char *shorts,
		     const struct option *longs, int key, enum diag_format *f);

/* Fills o from argv. Returns EXIT_OK, or EXIT_USAGE after printing why. */
int cli_parse(struct cli_opts *o, int argc, char **argv);
/* Does what o asks and returns the exit status. */
int cli_run(const struct cli_opts *o);
void cli_opts_free(struct cli_opts *o);

#endif
