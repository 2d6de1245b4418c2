/* fixit-variants FILE DIR: the helper of tests/suggestions.sh. Compiles
 * FILE (only the checks) and, for each fix-it of each failed require (each
 * a whole alternative), writes DIR/NAME.D.K.peer: FILE with that edit
 * applied. Prints one line per variant: its path, a tab, the message of
 * the require it fixes. Exit 0, or 2 when FILE cannot be read. */
#include "common.h"

#include "diag.h"
#include "output.h"
#include "peerc.h"
#include "util.h"

static bool write_variant(const char *path, const char *text, size_t len,
			  const struct diag_fixit *f)
{
	FILE *out = fopen(path, "wb");

	if (!out)
		return false;
	fwrite(text, 1, f->loc.start, out);
	fputs(f->text, out);
	fwrite(text + f->loc.end, 1, len - f->loc.end, out);
	return fclose(out) == 0;
}

int main(int argc, char **argv)
{
	struct peerc_options opts = { .target = PEERC_TARGET_NONE };
	size_t len;

	if (argc != 3) {
		fprintf(stderr, "usage: fixit-variants FILE DIR\n");
		return 2;
	}
	struct strbuf sb;
	sb_init(&sb);
	int err = file_read(argv[1], &sb, INPUT_MAX);
	if (err) {
		char buf[128];
		fprintf(stderr, "%s: %s\n", argv[1],
			file_error(err, INPUT_MAX, "an input file", buf, sizeof(buf)));
		return 2;
	}
	const char *text = sb.buf ? sb.buf : "";
	len = sb.len;
	const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	struct peerc_result *r = peerc_compile(&opts, base, text, len);
	int status = 0;
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (strcmp(d->name, "require-failed") != 0)
			continue;
		for (size_t k = 0; k < d->nfixits; k++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%.*s.%zu.%zu.peer", argv[2],
				 (int)(strlen(base) - (strlen(base) > 5 ? 5 : 0)), base, i, k);
			if (!write_variant(path, text, len, &d->fixits[k])) {
				perror(path);
				status = 2;
				continue;
			}
			printf("%s\t%s\n", path, d->msg);
		}
	}
	peerc_result_free(r);
	sb_free(&sb);
	return status;
}
