/* Diagnostics: every message peerc has for the user is a record here first.
 * The command line prints them (GCC form); a language server can send them. */
#ifndef PEERC_DIAG_H
#define PEERC_DIAG_H

#include "common.h"
#include "srcpos.h"
#include "util.h"

struct arena;

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Another place involved: printed as a "note:" after the main message. */
struct diag_note {
	struct loc loc;
	const char *msg;
};

/* Replace the bytes of loc with text (an empty loc inserts). */
struct diag_fixit {
	struct loc loc;
	const char *text;
};

struct diag {
	enum diag_severity severity;
	const char *name;  /* stable identity: a check's -W name, or "syntax" */
	bool promoted;     /* a warning that -Werror turned into an error */
	struct loc loc;    /* LOC_NONE: about the whole input */
	const struct source *src; /* where loc points; NULL: the compiled file
				   * (a template, for instance, is another) */
	const char *msg;
	struct diag_note *notes;
	size_t nnotes, notes_cap;
	struct diag_fixit *fixits;
	size_t nfixits, fixits_cap;
};

/* -W options in command-line order; later ones override earlier ones. */
enum warn_setting {
	WARN_ENABLE,       /* -Wname */
	WARN_DISABLE,      /* -Wno-name */
	WARN_AS_ERROR,     /* -Werror=name */
	WARN_NOT_AS_ERROR, /* -Wno-error=name */
};
struct warn_rule {
	const char *name;
	enum warn_setting setting;
};
struct warn_opts {
	bool all_as_errors; /* -Werror */
	const struct warn_rule *rules;
	size_t nrules;
};

/* Whether a warning named `name` is reported, given whether it is on by default. */
bool warn_enabled(const struct warn_opts *opts, const char *name, bool default_on);

struct diag_list {
	struct arena *arena;          /* owns every record and string */
	const struct warn_opts *opts; /* NULL: every warning at its default */
	struct diag *items;
	size_t n, cap;
	size_t nerrors, nwarnings;
	size_t max_errors; /* 0: unlimited; past it errors are counted, not kept */
	bool capped;       /* max_errors was reached */
};

void diag_list_init(struct diag_list *l, struct arena *a,
		    const struct warn_opts *opts, size_t max_errors);

/* Quoted text in a message ('NAME') longer than this many characters is cut
 * to its first DIAG_QUOTE_MAX characters and "...": a 1 MB identifier makes
 * a short message, and the location still gives the whole of it. Azure's
 * longest names (resource groups, 90 characters) are never cut. */
#define DIAG_QUOTE_MAX 100

/* Queue a diagnostic. A warning that the options turn off, or an error past
 * the cap, returns NULL; diag_note and diag_fixit accept NULL and do nothing,
 * so callers never test the result. A warning is kept only when
 * warn_enabled(opts, name, true); checks that are off by default ask
 * warn_enabled themselves before they run. */
struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *name, struct loc loc, const char *fmt, ...)
	PRINTF_LIKE(5, 6);
struct diag *diag_vadd(struct diag_list *l, enum diag_severity sev,
		       const char *name, struct loc loc, const char *fmt,
		       va_list ap) PRINTF_LIKE(5, 0);
void diag_note(struct diag_list *l, struct diag *d, struct loc loc,
	       const char *fmt, ...) PRINTF_LIKE(4, 5);
/* A fix-it is a whole edit: replace loc by text. A diagnostic with more
 * than one offers alternatives (each applied alone compiles), which the
 * language server and SARIF give as separate fixes. */
void diag_fixit(struct diag_list *l, struct diag *d, struct loc loc,
		const char *text);

/* The source of a record about the run rather than a file (a template that
 * cannot be read: d->src = &diag_no_source, LOC_NONE); printed as
 * "peerc: error: TEXT", like the command line's own errors. */
extern const struct source diag_no_source;

/* Puts the list in the order of the file: by where each diagnostic
 * starts (line, then column), whatever pass found it; those about the
 * whole input first, those in another source (a template) last; equal
 * places keep the order they were found in. */
void diag_sort(struct diag_list *l);

/* GCC form: "FILE:LINE:COL: error: TEXT [-Wname]", the source line, a caret
 * and tildes under the range, fix-it text, then the notes the same way.
 * src may be NULL for messages about the command line ("peerc: error: ..."). */
void diag_print(FILE *out, const struct source *src, const struct diag *d,
		bool color);
void diag_print_all(FILE *out, const struct source *src,
		    const struct diag_list *l, bool color);

/* A message that has no source at all: usage and I/O errors of the command
 * line. Printed at once, as "peerc: error: TEXT". */
void diag_print_plain(FILE *out, enum diag_severity sev, bool color,
		      const char *fmt, ...) PRINTF_LIKE(4, 5);

/* ------------------------------------------ formats for machines (doc/diagnostics.md) */

/* --diagnostics-format: how every message of a run is written. */
enum diag_format {
	DIAG_FORMAT_TEXT,   /* GCC's form, above */
	DIAG_FORMAT_JSON,   /* one document: doc/diagnostics.schema.json */
	DIAG_FORMAT_SARIF,  /* one SARIF 2.1.0 log, for code scanning */
	DIAG_FORMAT_GITHUB, /* GitHub Actions workflow commands, one a line */
};

/* The format called name ("text", "json", "sarif", "github"); false when
 * there is none. */
bool diag_format_find(const char *name, enum diag_format *f);

/* Where every code is documented, each at its anchor: a diagnostic about
 * the input in doc/checks.md, a message about the run in
 * doc/diagnostics.md (SARIF's helpUri, peerc lsp's codeDescription). */
#define DIAG_DOC_URL "https://github.com/peerc/peerc/blob/main/doc/"

/* A diagnostic name as SARIF lists it among its rules. */
struct diag_rule {
	const char *name;
	const char *level;   /* "error", "warning" or "off" (a warning -W turns on) */
	const char *summary; /* one line */
	const char *help;    /* a paragraph of Markdown */
};

/* Where every message of one run goes, in one format. text and github
 * write each message as it comes; json and sarif are one document, kept
 * until diag_sink_finish writes it whole, so that what a consumer reads
 * always parses, whatever stopped the run. */
struct diag_sink {
	FILE *out;
	enum diag_format format;
	bool color;                    /* text only */
	const struct diag_rule *rules; /* sarif: every rule, in order */
	size_t nrules;
	struct strbuf items;           /* json: diagnostics; sarif: results */
	struct strbuf notifications;   /* sarif: messages with no place in a file */
	size_t nitems, nnotifications, nerrors, nwarnings;
	/* sarif, github: the last code point column counted, so that the
	 * messages of a long line, in order, cost the line once */
	struct {
		const struct source *src;
		unsigned line, cp;
		size_t byte;
	} cp_cache;
};

void diag_sink_init(struct diag_sink *s, FILE *out, enum diag_format format,
		    bool color, const struct diag_rule *rules, size_t nrules);
/* Every record of l (about src, unless a record names its own source),
 * then a note when l was capped. */
void diag_sink_list(struct diag_sink *s, const struct source *src,
		    const struct diag_list *l);
/* A message about the run rather than a place in a file (a usage or I/O
 * error, a stale output): code is its stable name in json ("usage", "io",
 * "stale", "output"); text prints "peerc: error: TEXT" as
 * diag_print_plain does. */
void diag_sink_plain(struct diag_sink *s, enum diag_severity sev,
		     const char *code, const char *fmt, ...) PRINTF_LIKE(4, 5);
/* json and sarif: write the document, which records the run's exit
 * status. Frees what the sink holds. False when the write failed. */
bool diag_sink_finish(struct diag_sink *s, int status);

#endif
