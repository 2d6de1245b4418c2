/* The semantic checks: one table of named checks, dtc style. Each check has
 * a level and the names of the checks it needs to have passed first; a check
 * whose input is broken does not run. The check's name is its -W name and its
 * identity in diagnostics (struct diag.name), so tests ask by name. */
#ifndef PEERC_CHECKS_H
#define PEERC_CHECKS_H

#include "common.h"
#include "diag.h"

enum check_level {
	CHECK_ERROR,   /* always on; stops output */
	CHECK_WARNING, /* on by default; -Wno-NAME turns it off */
	CHECK_OFF,     /* a warning that only -WNAME turns on */
};

struct check_ctx;

/* A check function looks at ctx->sema and reports each problem with
 * check_report; it returns nothing: a check "fails" when it reported. */
typedef void check_fn(struct check_ctx *ctx);

/* Most checks need one or two others; a NULL ends the list early. */
#define CHECK_MAX_PREREQS 3

struct check {
	const char *name;
	enum check_level level;
	const char *summary; /* one line for --help-warnings and the man page */
	check_fn *fn;
	/* Names of checks that must have found nothing before this one runs
	 * (they come earlier in the table). A check that reports a problem
	 * fails even when -Wno-NAME hides its warnings: what it guards is
	 * still broken. A CHECK_OFF check that was not asked for does not run
	 * and does not hold its dependents back. */
	const char *prereqs[CHECK_MAX_PREREQS];
};

size_t check_count(void);
const struct check *check_at(size_t i);
const struct check *check_find(const char *name);

/* ------------------------------------------------ running checks */

struct sema;
struct arena;

/* What happened to one check in one run. */
enum check_status {
	CHECK_NOT_RUN,  /* a CHECK_OFF check nobody asked for */
	CHECK_PASSED,
	CHECK_FAILED,   /* it reported at least one problem */
	CHECK_SKIPPED,  /* a prerequisite failed or was skipped */
};

/* Everything a check function may use. Per run; never in the table. */
struct check_ctx {
	const struct sema *sema;
	struct diag_list *diags;
	/* Scratch, emptied after each check: a diagnostic copies the strings
	 * it is given, and nothing else of a check outlives it. */
	struct arena *arena;
	const struct check *check;   /* the check now running */
	size_t nproblems;            /* problems the running check reported */
};

/* Report one problem of the running check at loc: a DIAG_ERROR named after
 * the check for a CHECK_ERROR check, else a DIAG_WARNING (which -W options
 * may hide or promote). Marks the check failed even when the diagnostic is
 * hidden. Returns the record for diag_note / diag_fixit, or NULL (they
 * accept NULL). */
struct diag *check_report(struct check_ctx *ctx, struct loc loc,
			  const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Runs `n` checks of `table` in order over sema and stores each one's fate
 * in status[0..n-1]. Tests pass their own tables; the compiler passes the
 * built-in one through checks_run. */
void checks_run_table(const struct check *table, size_t n,
		      const struct sema *sema, struct diag_list *diags,
		      enum check_status *status);

/* Runs every built-in check. status may be NULL; else it has check_count()
 * entries. */
void checks_run(const struct sema *sema, struct diag_list *diags,
		enum check_status *status);

#endif
