/* PLACEHOLDER until the flex/bison front end lands (issue 2, front-end work). */
#include "common.h"

#include "diag.h"
#include "parse.h"
#include "util.h"

struct ast_file *parse_source(const struct source *src, struct arena *a,
			      struct diag_list *diags)
{
	(void)src;
	diag_add(diags, DIAG_ERROR, "syntax", LOC_NONE, "the parser is not built yet");
	return arena_alloc(a, sizeof(struct ast_file));
}

void ast_to_json(const struct ast_file *f, const struct source *src,
		 struct strbuf *out)
{
	(void)f;
	(void)src;
	sb_puts(out, "{}\n");
}
