/* The back ends: one table, one signature. A back end reads the resolved
 * model (never the AST: every setting it needs is final there), builds
 * template values from it and renders its templates/<target>/ files into
 * the result's outputs. */
#ifndef PEERC_EMIT_H
#define PEERC_EMIT_H

#include "common.h"
#include "model.h"
#include "peerc.h"
#include "template.h"

struct arena;
struct ip_addr;
struct ip_prefix;
struct m_tag;
struct model;

typedef void emit_fn(const struct model *m, const struct peerc_options *opts,
		     struct peerc_result *r);

struct backend {
	enum peerc_target target;
	const char *name;      /* the target's name, as -t takes it */
	const char *extension; /* of the main output, ".tf" */
	const char *dir;       /* its templates: templates/<dir>/ */
	emit_fn *emit;
};

/* The back end of a target, or NULL when it has none. */
const struct backend *backend_find(enum peerc_target t);
/* All back ends, for a command line that infers -t from -o's extension. */
size_t backend_count(void);
const struct backend *backend_at(size_t i);

emit_fn emit_terraform;
emit_fn emit_bicep;
emit_fn emit_arm;
emit_fn emit_dot;
emit_fn emit_mermaid;

/* Add one output file (path NULL: the main output); data is copied. */
void emit_add_output(struct peerc_result *r, const char *path,
		     const char *data, size_t len);

/* Render templates/<b->dir>/<file> (or --template-dir's copy) with root and
 * add the result as output path. False after reporting an error. */
bool emit_template(const struct backend *b, const struct peerc_options *opts,
		   struct peerc_result *r, const char *file,
		   enum tmpl_target t, const struct tval *root, const char *path);

/* The values every template sees as `peerc`: version and source (raw text
 * safe in a comment: the input's base name with control characters and
 * invalid UTF-8 as '?') and source_name (the same, as a string). */
struct tval *emit_peerc_values(struct peerc_result *r);

/* A prefix or an address as a string value, in canonical text. */
struct tval *emit_prefix(struct arena *a, const struct ip_prefix *p);
struct tval *emit_addr(struct arena *a, const struct ip_addr *ip);
/* A route's next hop as Azure's nextHopType (next_hop_type) names it. */
struct tval *emit_next_hop_type(struct arena *a, enum next_hop hop);
/* Tags as an object of strings, in the model's order. */
struct tval *emit_tags(struct arena *a, const struct m_tag *tags, size_t n);

#endif
