#include "common.h"

#include <getopt.h>

#include "diag.h"
#include "live.h"
#include "output.h"
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

int subcmd_parse(const struct subcmd *c, int argc, char **argv,
		 subcmd_option_fn *fn, void *ctx, struct subcmd_state *st)
{
	struct option *longs = xcalloc(c->noptions + 1, sizeof(*longs));
	char *shorts = xcalloc(2 * c->noptions + 2, 1);
	enum cli_color mode = CLI_COLOR_AUTO;
	struct usage_error err = { .set = false };
	int k;

	memset(st, 0, sizeof(*st));
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
		else
			text = fn(ctx, k, optarg);
		if (text) {
			snprintf(err.msg, sizeof(err.msg), "%s", text);
			err.set = true;
		}
	}
	free(longs);
	free(shorts);
	st->color = cli_color(mode);
	st->first = optind;
	if (err.set)
		return cli_command_usage(c->name, st->color, "%s", err.msg);
	if (st->done)
		print_help(c);
	return EXIT_OK;
}

int subcmd_load_live(struct live *l, const char *const *paths, size_t n,
		     bool color)
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
			diag_print_plain(stderr, DIAG_ERROR, color, "cannot read %s: %s",
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
	diag_print_all(stderr, NULL, &diags, color);
	live_link(l);
	return status;
}
