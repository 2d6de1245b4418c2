/* peerc: the command line. Everything it does is in cli.c and the library. */
#include "common.h"

#include "cli.h"

int main(int argc, char **argv)
{
	struct cli_opts opts;
	int status = cli_parse(&opts, argc, argv);

	if (status == EXIT_OK)
		status = cli_run(&opts);
	cli_opts_free(&opts);
	return status;
}
