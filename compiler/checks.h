/* The semantic checks: one table of named checks, dtc style. Each check has
 * a level and the names of the checks it needs to have passed first; a check
 * whose input is broken does not run. The check's name is its -W name and its
 * identity in diagnostics (struct diag.name), so tests ask by name. */
#ifndef PEERC_CHECKS_H
#define PEERC_CHECKS_H

#include "common.h"

enum check_level {
	CHECK_ERROR,   /* always on; stops output */
	CHECK_WARNING, /* on by default; -Wno-NAME turns it off */
	CHECK_OFF,     /* a warning that only -WNAME turns on */
};

struct check {
	const char *name;
	enum check_level level;
	const char *summary; /* one line for --help-warnings and the man page */
};

size_t check_count(void);
const struct check *check_at(size_t i);
const struct check *check_find(const char *name);

#endif
