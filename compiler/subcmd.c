#include "common.h"

#include <getopt.h>

#include "diag.h"
#include "live.h"
#include "output.h"
#include "rules.h"
#include "subcmd.h"
#include "util.h"

static void print_help(const struct subcmd *c)
{
	printf("Usage: peerc %s %s\n%s\n\nOptions:\n", c->name, c->usage, c->about);
	for (size_t i = 0; i < c->noptions; i++)
		cli_print_option(stdout, &c->options[i]);
	if (c->after)
		printf("\n%s\n", c->after);
	puts("\nReport bugs to: <" PACKAGE_BUGREPORT ">");
}

static void open_sink(struct subcmd_state *st, enum diag_format f)
{
	size_t n = 0;

	st->rules = f == DIAG_FORMAT_SARIF ? rules_all(&n) : NULL;
	diag_sink_init(&st->sink, stderr, f, st->color, st->rules, n);
}

int subcmd_parse(const struct subcmd *c, int argc, char **argv,
		 subcmd_option_fn *fn, void *ctx, struct subcmd_state *st)
{
	struct option *longs = xcalloc(c->noptions + 1, sizeof(*longs));
	char *shorts = xcalloc(2 * c->noptions + 2, 1);
	enum cli_color mode = CLI_COLOR_AUTO;
	enum diag_format format = DIAG_FORMAT_TEXT;
	struct usage_error err = { .set = false };
	int k;

	memset(st, 0, sizeof(*st));
	st->cmd = c;
	cli_getopt_tables(c->options, c->noptions, longs, shorts);
	opterr = 0;
	optind = 1;
	while (!err.set && !st->done &&
	       (k = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const char *text = NULL;
		if (k == '?' || k == ':')
			cli_bad_option(c->options, c->noptions, k, argv, &err);
		else if (k == SUBCMD_HELP)
			st->done = true;
		else if (k == SUBCMD_COLOR)
			cli_parse_color(optarg, &mode, &err);
		else if (k == SUBCMD_DIAGNOSTICS_FORMAT)
			cli_parse_diagnostics_format(optarg, &format, &err);
		else
			text = fn(ctx, k, optarg);
		if (text) {
			snprintf(err.msg, sizeof(err.msg), "%s", text);
			err.set = true;
		}
	}
	st->first = optind;
	if (err.set || st->done)
		cli_find_format(argc, argv, shorts, longs,
				SUBCMD_DIAGNOSTICS_FORMAT, &format);
	free(longs);
	free(shorts);
	st->color = cli_color(mode);
	open_sink(st, format);
	if (err.set)
		return subcmd_usage(st, "%s", err.msg);
	if (st->done)
		print_help(c);
	return EXIT_OK;
}

int subcmd_usage(struct subcmd_state *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_sink_plain(&st->sink, DIAG_ERROR, "usage", "%s", msg);
	diag_sink_plain(&st->sink, DIAG_NOTE, "usage",
			"try 'peerc %s --help' for more information",
			st->cmd->name);
	return EXIT_USAGE;
}

int subcmd_finish(struct subcmd_state *st, int status)
{
	diag_sink_finish(&st->sink, status);
	free(st->rules);
	st->rules = NULL;
	return status;
}

int subcmd_load_live(struct live *l, const char *const *paths, size_t n,
		     struct diag_sink *sink)
{
	struct diag_list diags;
	struct strbuf text;
	int status = EXIT_OK;

	diag_list_init(&diags, l->arena, NULL, 0);
	sb_init(&text);
	for (size_t i = 0; i < n && status != EXIT_USAGE; i++) {
		int err = file_read(paths[i], &text, LIVE_JSON_MAX);
		if (err) {
			char why[128];
			diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s",
					strcmp(paths[i], "-") == 0 ? "standard input" :
					paths[i], file_error(err, LIVE_JSON_MAX, "a JSON file",
							     why, sizeof(why)));
			status = EXIT_USAGE;
		} else if (!live_read(l, strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i],
				      text.buf, text.len, &diags)) {
			status = EXIT_ERRORS;
		}
		sb_reset(&text);
	}
	sb_free(&text);
	diag_sink_list(sink, NULL, &diags);
	live_link(l);
	return status;
}
