#include "common.h"

#include "commands.h"
#include "fmt_cmd.h"
#include "lsp.h"

/* Each tool adds its row here. A file whose name is a command is still
 * compiled when given as ./NAME. */
static const struct command commands[] = {
	{ "fmt", "rewrite .peer files in the canonical layout", fmt_main },
	{ "lsp", "run the language server for editors (LSP on stdio)", lsp_main },
	{ "import", "write a .peer file for a live estate (az JSON)",
	  cmd_import },
	{ "drift", "compare a .peer file with a live estate, for CI",
	  cmd_drift },
	{ NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct command *command_at(size_t i)
{
	/* the last row is the end marker */
	return i + 1 < ARRAY_SIZE(commands) ? &commands[i] : NULL;
}
