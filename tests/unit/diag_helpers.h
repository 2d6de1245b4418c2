/* What the unit suites that compile small files ask of the result: compile
 * a buffer with only the checks (and -W options), count and find
 * diagnostics by name. One copy, included by each suite. */
#ifndef PEERC_TEST_DIAG_HELPERS_H
#define PEERC_TEST_DIAG_HELPERS_H

#include <check.h>

#include "diag.h"
#include "peerc.h"

static inline struct peerc_result *compile_with(const char *text,
						const struct warn_opts *w)
{
	struct peerc_options o = { .target = PEERC_TARGET_NONE };

	if (w)
		o.warnings = *w;
	return peerc_compile(&o, "t.peer", text, strlen(text));
}

static inline struct peerc_result *compile(const char *text)
{
	return compile_with(text, NULL);
}

static inline size_t count(const struct peerc_result *r, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < r->diags.n; i++)
		n += strcmp(r->diags.items[i].name, name) == 0;
	return n;
}

/* The k-th diagnostic named `name`; fails the test when there is none. */
static inline const struct diag *nth(const struct peerc_result *r, const char *name,
				     size_t k)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (strcmp(r->diags.items[i].name, name) == 0 && k-- == 0)
			return &r->diags.items[i];
	ck_abort_msg("no diagnostic %s", name);
	return NULL;
}

static inline const struct diag *first(const struct peerc_result *r, const char *name)
{
	return nth(r, name, 0);
}

#endif
