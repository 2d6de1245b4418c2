/* Files in and out: reading the input and templates within limits, writing
 * the outputs so that a reader never sees a half-written file, and comparing
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

/* Files peerc reads whole, each with a limit far above anything real, so
 * that /dev/zero or a runaway file ends in a message naming the file and
 * the limit, not in running out of memory. The 100,000-VNet benchmark
 * topology (tests/bench) is 12 MB and its Terraform 171 MB; the largest
 * template peerc ships is under 8 KB. */
#define INPUT_MAX ((size_t)128 << 20)    /* a .peer file */
#define TEMPLATE_MAX ((size_t)4 << 20)   /* a --template-dir template */
/* an existing -o file: what --diff compares with, and the Terraform a
 * rename is written against as moved blocks */
#define OLD_OUTPUT_MAX ((size_t)256 << 20)

/* file_read's status for a file of more than its limit. */
enum { FILE_TOO_LARGE = -1 };

/* Appends the whole file at path ("-": standard input) to sb, when it has
 * at most limit bytes. Returns 0, an errno value or FILE_TOO_LARGE (after
 * reading limit + 1 bytes); reports nothing. */
int file_read(const char *path, struct strbuf *sb, size_t limit);

/* At most max bytes from the start of the file; 0 or an errno value. */
int file_read_head(const char *path, struct strbuf *sb, size_t max);

/* "larger than 128 MiB, the limit for an input file" for FILE_TOO_LARGE,
 * else strerror(err); what is "an input file", "a template", ... */
const char *file_error(int err, size_t limit, const char *what, char *buf,
		       size_t size);

/* Writes data to standard output. Returns false after reporting an error. */
bool output_stdout(const char *data, size_t len, struct diag_sink *sink);

/* Writes every file or, on any error, none: each goes to a temporary file
 * in its target's directory, which is synced, given the mode of the file it
 * replaces (or 0666 & ~umask), and renamed over the target only when all of
 * them are ready. Returns false after reporting an error. With verbose,
 * notes each file written. */
bool output_write(const struct output_file *files, size_t n, bool verbose,
		  struct diag_sink *sink);

/* The same, for files written as they are made: each goes to a temporary
 * file beside its target (open, write, close), and only the commit, once
 * all are written, syncs them with one flush to disk and renames them over
 * their targets. A device or FIFO is written at the commit. Each call
 * returns false after reporting an error (the first only; later calls do
 * nothing); output_stage_free removes every temporary not renamed. */
struct output_stage;
struct output_stage *output_stage_new(struct diag_sink *diags);
/* A path opened again replaces what was staged for it. */
bool output_stage_open(struct output_stage *s, const char *path, bool make_dirs);
bool output_stage_write(struct output_stage *s, const char *data, size_t len);
bool output_stage_close(struct output_stage *s);
bool output_stage_commit(struct output_stage *s, bool verbose);
bool output_stage_failed(const struct output_stage *s);
void output_stage_free(struct output_stage *s);

/* Whether a and b name one existing file (same device and inode: a link,
 * another spelling of the path). */
bool output_same_file(const char *a, const char *b);
/* "DEV:INODE" of the existing file at path in buf, or NULL: equal for
 * every name of one file. */
const char *output_file_key(const char *path, char *buf, size_t size);

/* The regular files under dir, at any depth (links are not followed), as
 * "dir/NAME" paths, in name order; an absent dir has none. Appended to
 * list (n entries, heap array of heap strings; output_free_list frees). */
void output_list_files(const char *dir, char ***list, size_t *n);
/* The same, of dir itself only. */
void output_list_dir(const char *dir, char ***list, size_t *n);
void output_free_list(char **list, size_t n);

/* Removes the files, then the directories above them up to and not
 * including stop_at that are left empty. With verbose, notes each file.
 * Returns false after reporting an error. */
bool output_remove(char *const *paths, size_t n, const char *stop_at,
		   bool verbose, struct diag_sink *sink);

enum output_state { OUTPUT_FRESH, OUTPUT_STALE, OUTPUT_FAILED };

/* --check: whether every file already holds exactly its data. Notes each
 * stale file; with diff, prints a unified diff of each to standard output.
 * OUTPUT_FAILED after reporting a read error. */
enum output_state output_check(const struct output_file *files, size_t n,
			       bool diff, struct diag_sink *sink);

/* --check of a streamed output: each file is compared with what is on the
 * disk as its bytes come, reading the old one a piece at a time, so that
 * neither is held whole (the -o file of a CI run's --check can be hundreds
 * of megabytes). A path opened again is compared anew. Nothing is said
 * until output_compare_finish, which notes each stale file (or reports a
 * read error) in the order they were opened: a compile that fails halfway
 * says nothing of the files it compared. */
struct output_compare;
struct output_compare *output_compare_new(void);
void output_compare_open(struct output_compare *c, const char *path);
void output_compare_write(struct output_compare *c, const char *data, size_t len);
void output_compare_close(struct output_compare *c);
enum output_state output_compare_finish(struct output_compare *c,
					struct diag_sink *sink);
void output_compare_free(struct output_compare *c);

/* --check of files that a write would remove: notes each (why says whose
 * they were); with diff, prints its removal as a unified diff. */
enum output_state output_check_removed(char *const *paths, size_t n,
				       const char *why, bool diff, struct diag_sink *sink);

#endif
