#include "common.h"

#include "checks.h"
#include "rules.h"
#include "util.h"

struct diag_rule *rules_all(size_t *n)
{
	struct diag_rule *r = xcalloc(rule_docs_count + 1, sizeof(*r));

	for (size_t i = 0; i < rule_docs_count; i++) {
		const struct rule_doc *doc = &rule_docs[i];
		const struct check *c = check_find(doc->name);
		r[i] = (struct diag_rule){ doc->name, doc->level,
					   c ? c->summary : doc->help, doc->help };
	}
	*n = rule_docs_count;
	return r;
}

const char *rules_doc_link(const char *name, char *buf, size_t size)
{
	for (size_t i = 0; name && i < rule_docs_count; i++)
		if (strcmp(rule_docs[i].name, name) == 0) {
			snprintf(buf, size, DIAG_DOC_URL "checks.md#%s", name);
			return buf;
		}
	return NULL;
}
