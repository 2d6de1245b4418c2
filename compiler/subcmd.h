/* What the subcommands (compiler/commands.c) share: their options in the
 * compiler's table form (cli.h), parsed with getopt_long, and --help
 * printed in the compiler's layout, which help2man reads for peerc.1. */
#ifndef PEERC_SUBCMD_H
#define PEERC_SUBCMD_H

#include "common.h"
#include "cli.h"
#include "diag.h"

/* Keys every command's table may hold; subcmd_parse handles them. */
enum { SUBCMD_HELP = 0x1000, SUBCMD_COLOR, SUBCMD_DIAGNOSTICS_FORMAT };

/* The rows that end a command's table: --help, and --color and
 * --diagnostics-format for a command that prints diagnostics. */
#define SUBCMD_HELP_OPTION                                               \
	{ "help", SUBCMD_HELP, no_argument, NULL, NULL,                  \
	  "display this help and exit" }
#define SUBCMD_COMMON_OPTIONS                                            \
	{ "color", SUBCMD_COLOR, optional_argument, "WHEN", NULL,        \
	  "color the diagnostics: auto, always or never" },              \
	{ "diagnostics-format", SUBCMD_DIAGNOSTICS_FORMAT,               \
	  required_argument, "FORMAT", NULL,                             \
	  "write every message on standard error as text\n"             \
	  "(the default), json, sarif or github (see\n"                  \
	  "doc/diagnostics.md)" },                                       \
	SUBCMD_HELP_OPTION

struct subcmd {
	const char *name;       /* "import" */
	const char *usage;      /* what follows "peerc NAME " in Usage: */
	const char *about;      /* the paragraph after Usage: */
	const struct cli_option *options;
	size_t noptions;
	const char *after;      /* exit status, examples: printed last */
};

/* A command's handler of one option; returns NULL, or the text of a usage
 * error. */
typedef const char *subcmd_option_fn(void *ctx, int key, const char *arg);

struct subcmd_state {
	const struct subcmd *cmd;
	bool color;   /* from --color, resolved against stderr */
	bool done;    /* --help was printed: exit with the status returned */
	int first;    /* argv[first...] are the operands */
	/* Every message of the run after the options, on standard error in
	 * the --diagnostics-format asked for; subcmd_finish closes it. */
	struct diag_sink sink;
	struct diag_rule *rules; /* sarif: what the sink lists */
};

/* Parses the options of argv (argv[0] is the command's name) and opens
 * st->sink. Returns EXIT_OK: go on (unless done), or EXIT_USAGE after
 * reporting why. Either way the caller ends with subcmd_finish. */
int subcmd_parse(const struct subcmd *c, int argc, char **argv,
		 subcmd_option_fn *fn, void *ctx, struct subcmd_state *st);

/* A usage error found after the options (no operand): the message and
 * the note pointing to --help, through the sink. Returns EXIT_USAGE. */
int subcmd_usage(struct subcmd_state *st, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

/* Closes the sink (json and sarif write their document, which records
 * status) and returns status, or EXIT_USAGE when standard error or
 * standard output could not be written. */
int subcmd_finish(struct subcmd_state *st, int status);

struct live;
/* Reads the live estate from JSON files (compiler/live.h) into l, writing
 * every diagnostic to sink. EXIT_OK; EXIT_ERRORS when a file is not a VNet
 * list; EXIT_USAGE when one cannot be read. */
int subcmd_load_live(struct live *l, const char *const *paths, size_t n,
		     struct diag_sink *sink);

#endif
