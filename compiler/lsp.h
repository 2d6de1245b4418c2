/* `peerc lsp`: a Language Server Protocol 3.17 server on standard input and
 * output. The command's row is in commands.c; lsp_serve is the server
 * itself, on any pair of file descriptors (the fuzz harness feeds it bytes). */
#ifndef PEERC_LSP_H
#define PEERC_LSP_H

#include "common.h"

struct lsp_config {
	/* How long the server waits after a change for the next one before it
	 * compiles (typing fast costs one compile). */
	int debounce_ms;
};

#define LSP_DEFAULT_DEBOUNCE_MS 100

/* Serves messages from in_fd, answering on out_fd, until `exit` or the end
 * of the input. Returns the exit status LSP asks for: 0 after shutdown,
 * else 1. */
int lsp_serve(int in_fd, int out_fd, const struct lsp_config *cfg);

/* argv[0] is "lsp"; returns the exit status. */
int lsp_main(int argc, char **argv);

#endif
