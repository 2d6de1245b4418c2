/* libpeerc: compile a .peer buffer to infrastructure code. No global state:
 * one options struct describes how to compile, one result holds everything a
 * run produced, so a caller (the command line, a language server, a test)
 * may compile any number of buffers in one process. */
#ifndef PEERC_PEERC_H
#define PEERC_PEERC_H

#include "common.h"
#include "diag.h"
#include "srcpos.h"

struct arena;
struct ast_file;
struct live;
struct model;
struct sema;

enum peerc_target {
	PEERC_TARGET_NONE,   /* stop after the checks */
	PEERC_TARGET_AST,    /* the parsed file as JSON */
	PEERC_TARGET_TERRAFORM,
	PEERC_TARGET_BICEP,
	PEERC_TARGET_ARM,
	PEERC_TARGET_DOT,     /* the topology as a Graphviz graph */
	PEERC_TARGET_MERMAID, /* the topology as a Mermaid flowchart */
};

/* Where outputs go as they are rendered (the command line: temporary
 * files), instead of into the result: a compile then holds a bounded
 * piece of its output at a time, not all of it. Each output is open, any
 * number of writes, close. A call that fails has kept and reported its
 * error; the compile writes nothing more (the caller throws away what it
 * was given). */
struct peerc_sink {
	bool (*open)(void *ctx, const char *path); /* path as peerc_output's */
	bool (*write)(void *ctx, const char *data, size_t len);
	bool (*close)(void *ctx);
	void *ctx;
};

struct peerc_options {
	enum peerc_target target;
	struct warn_opts warnings;
	size_t max_errors;         /* 0: unlimited */
	const char *template_dir;  /* NULL: the templates built into peerc */
	const char *api_version;   /* NULL: the file's, else the default */
	const char *output_name;   /* the main output's file name, for headers */
	/* --explain A B with -t dot or mermaid: the picture highlights the
	 * path from A to B, or the nearest one and the missing link. */
	const char *explain[2];
	/* A file that declares no VNet is an error unless this is set: its
	 * output would have no resources, and applied over an earlier one it
	 * deletes every VNet and peering that one made (the wrong file, an
	 * empty one, classic Mac line endings read as one comment). */
	bool allow_empty;
	/* The main output as it is now (the command line reads the -o file),
	 * or NULL: Terraform writes moved blocks for addresses that changed
	 * since. A compile that writes no file (a language server) leaves it
	 * NULL and gets the same output but for those blocks. */
	const char *previous_output;
	size_t previous_len;
	/* The caller keeps the text it compiles (and two NUL bytes after it)
	 * until the result is freed: the result's source points into it
	 * instead of holding a copy (20 MB at 100,000 VNets). */
	bool text_kept;
	/* The caller reads neither the AST nor the sema of the result: both
	 * are dropped (NULL) once the checks have run, and the back end
	 * works from the model alone. The AST's nodes are most of the
	 * memory of a large file; the language server keeps them. */
	bool ast_dropped;
	const struct peerc_sink *sink; /* NULL: the outputs stay in the result */
	/* With a sink and no previous_output: the main output's file, which
	 * Terraform reads in pieces, and whole only when an address changed
	 * (a streamed compile holds neither file). */
	const char *previous_path;
	/* The live estate (compiler/live.h) whose resources the Terraform
	 * output adopts with import blocks, or NULL. */
	const struct live *adopt;
};

/* One file of output: the main file has path NULL; others (Bicep modules)
 * have a path relative to the main file's directory. data is NULL when it
 * went to the options' sink. */
struct peerc_output {
	const char *path;
	const char *data;
	size_t len;
};

struct peerc_result {
	struct arena *arena;       /* owns everything below but the AST's nodes */
	struct arena *ast_arena;   /* the AST's nodes (its strings are in arena) */
	struct source source;
	struct diag_list diags;
	struct ast_file *ast;      /* NULL when the input was not read */
	struct model *model;       /* NULL when there were errors */
	/* The resolved file (compiler/resolve.h): set when the file parsed and
	 * resolved without errors, even if a check failed later. */
	const struct sema *sema;
	struct peerc_output *outputs;
	size_t noutputs, outputs_cap;
	const struct peerc_sink *sink; /* the options' */
};

/* Compile `len` bytes of `text` named `name` (for messages). Never NULL. */
struct peerc_result *peerc_compile(const struct peerc_options *opts,
				   const char *name, const char *text,
				   size_t len);
/* Only the first stage: r->ast (NULL when the input was not read) and the
 * lexical and syntax errors. For tools that want the file as written. */
struct peerc_result *peerc_parse(const struct peerc_options *opts,
				 const char *name, const char *text, size_t len);
void peerc_result_free(struct peerc_result *r);

static inline bool peerc_failed(const struct peerc_result *r)
{
	return r->diags.nerrors > 0;
}

/* Whether a file other than the input could not be read (a --template-dir
 * template): the command line's exit status 2, not 1. Such an error is a
 * diagnostic named "io". */
bool peerc_io_failed(const struct peerc_result *r);

/* `peerc --explain A B`: whether A and B (VNets or sites) can talk, as
 * "yes, by PATH" or "no, because REASON" (in r's arena). NULL when r->sema
 * is NULL: the file did not resolve. */
const char *peerc_explain(struct peerc_result *r, const char *a, const char *b,
			  bool *reachable);

/* The same answer as a JSON document (doc/explain.schema.json): the path
 * as hops, or the reason and the edit. NULL when r->sema is NULL. */
const char *peerc_explain_json(struct peerc_result *r, const char *a,
			       const char *b, bool *reachable);

const char *peerc_target_name(enum peerc_target t);
/* "terraform", "bicep", "arm", "ast", "dot", "mermaid": the target, or PEERC_TARGET_NONE. */
enum peerc_target peerc_target_from_name(const char *name);

#endif
