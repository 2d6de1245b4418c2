/* peerc: the command line. Everything it does is in cli.c and the library. */
#include "common.h"

#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
	struct cli_opts opts;
	const struct command *cmd = argc > 1 ? command_find(argv[1]) : NULL;

	if (cmd)
		return cmd->run(argc - 1, argv + 1);
	int status = cli_parse(&opts, argc, argv);

	if (status == EXIT_OK)
		status = cli_run(&opts);
	cli_opts_free(&opts);
	return status;
}
