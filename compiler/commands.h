/* Subcommands: `peerc NAME ARG...` runs one of the tools beside the
 * compiler (a formatter, a language server, ...) instead of a compile. One
 * table, read by main() to dispatch and by --help to list them, so a command
 * cannot exist without its line of help. */
#ifndef PEERC_COMMANDS_H
#define PEERC_COMMANDS_H

#include "common.h"

struct command {
	const char *name;    /* as typed after peerc */
	const char *summary; /* one line for peerc --help */
	/* argv[0] is the command's name; returns the exit status (cli.h). */
	int (*run)(int argc, char **argv);
};

/* The command called name, or NULL: then argv[1] is an option or a file. */
const struct command *command_find(const char *name);
/* Every command, in the order --help lists them; NULL past the last. */
const struct command *command_at(size_t i);

/* The commands' entry points (compiler/cmd_*.c). */
int cmd_import(int argc, char **argv);
int cmd_drift(int argc, char **argv);

#endif
