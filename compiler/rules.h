/* Every name a diagnostic can have, as SARIF's rules list them: the checks
 * of the check table and the names resolution, the parser and the back
 * ends use. Their help is doc/checks.md's text, built into peerc by
 * tools/embed-rules, so the page a user reads and the help code scanning
 * shows are one text. */
#ifndef PEERC_RULES_H
#define PEERC_RULES_H

#include "common.h"
#include "diag.h"

/* One row of doc/checks.md: the name, its level, its text. */
struct rule_doc {
	const char *name;
	const char *level;
	const char *help;
};
extern const struct rule_doc rule_docs[];
extern const size_t rule_docs_count;

/* Every rule, in doc/checks.md's order: a check's summary from the check
 * table, others' from their help. The caller frees the array. */
struct diag_rule *rules_all(size_t *n);

/* The link to name's row of doc/checks.md (DIAG_DOC_URL "checks.md#NAME",
 * the row's anchor) in buf, or NULL when the page has no row for name.
 * SARIF's rules link to the same place. */
const char *rules_doc_link(const char *name, char *buf, size_t size);

#endif
