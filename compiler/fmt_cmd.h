/* `peerc fmt FILE...`: a row of the command table (commands.c). */
#ifndef PEERC_FMT_CMD_H
#define PEERC_FMT_CMD_H

/* argv[0] is "fmt"; returns the exit status (cli.h). */
int fmt_main(int argc, char **argv);

#endif
