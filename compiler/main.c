/* PLACEHOLDER command line: reads FILE, compiles, prints diagnostics. The
 * full command line (options, atomic output, --check) replaces it. */
#include "common.h"

#include "peerc.h"
#include "util.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		diag_print_plain(stderr, DIAG_ERROR, false, "usage: peerc FILE");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		diag_print_plain(stderr, DIAG_ERROR, false, "cannot open %s", argv[1]);
		return 2;
	}
	struct strbuf sb;
	sb_init(&sb);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&sb, buf, n);
	fclose(f);
	struct peerc_options opts = { .target = PEERC_TARGET_AST };
	struct peerc_result *r = peerc_compile(&opts, argv[1], sb.buf, sb.len);
	sb_free(&sb);
	diag_print_all(stderr, &r->source, &r->diags, false);
	for (size_t i = 0; i < r->noutputs; i++)
		fwrite(r->outputs[i].data, 1, r->outputs[i].len, stdout);
	int rc = peerc_failed(r) ? 1 : 0;
	peerc_result_free(r);
	return rc;
}
