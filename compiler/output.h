/* Files in and out for the command line: reading the input, writing the
 * outputs so that a reader never sees a half-written file, and comparing
 * them for --check. Errors are reported to a diag_sink. */
#ifndef PEERC_OUTPUT_H
#define PEERC_OUTPUT_H

#include "common.h"

struct strbuf;
struct diag_sink;

struct output_file {
	const char *path;  /* as the user will see it in messages */
	const char *data;
	size_t len;
	bool make_dirs;    /* create missing directories (module files) */
};

/* Appends the whole file at path ("-": standard input) to sb. Returns 0 or
 * an errno value; reports nothing. */
int file_read(const char *path, struct strbuf *sb);

/* Writes data to standard output. Returns false after reporting an error. */
bool output_stdout(const char *data, size_t len, struct diag_sink *sink);

/* Writes every file or, on any error, none: each goes to a temporary file
 * in its target's directory, which is synced, given the mode of the file it
 * replaces (or 0666 & ~umask), and renamed over the target only when all of
 * them are ready. Returns false after reporting an error. With verbose,
 * notes each file written. */
bool output_write(const struct output_file *files, size_t n, bool verbose,
		  struct diag_sink *sink);

enum output_state { OUTPUT_FRESH, OUTPUT_STALE, OUTPUT_FAILED };

/* --check: whether every file already holds exactly its data. Notes each
 * stale file; with diff, prints a unified diff of each to standard output.
 * OUTPUT_FAILED after reporting a read error. */
enum output_state output_check(const struct output_file *files, size_t n,
			       bool diff, struct diag_sink *sink);

#endif
