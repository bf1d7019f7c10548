/* cmd.h: the subcommands of mirage and what they share. Each cmd_X parses
 * its own options and returns the process's exit status. */
#ifndef MIRAGE_CMD_H
#define MIRAGE_CMD_H

#include <stdbool.h>

#include "../lib/json.h"
#include "../lib/project.h"

int cmd_configure(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Options that most commands share. */
struct common_opts {
	struct project_opts project;
	bool json;
	bool verbose;
};

/* Long options for getopt_long, and the short string; COMMON_SHORT goes at
 * the front of a command's short options. */
#define COMMON_SHORT "f:t:o:vh"
enum { OPT_ARCH = 256, OPT_JSON, OPT_DRY_RUN, OPT_TIMEOUT, OPT_DOT, OPT_IMAGE, OPT_MEM, OPT_ACCEL };
#define COMMON_LONG                                                                                \
	{"file", required_argument, NULL, 'f'}, {"target", required_argument, NULL, 't'},          \
	    {"arch", required_argument, NULL, OPT_ARCH}, {"output", required_argument, NULL, 'o'}, \
	    {"json", no_argument, NULL, OPT_JSON}, {"verbose", no_argument, NULL, 'v'},            \
	{                                                                                          \
		"help", no_argument, NULL, 'h'                                                     \
	}

/* Handles option c of COMMON_LONG. Returns 1 when handled, 0 when not one
 * of them. */
int common_option(int c, const char *arg, struct common_opts *o);
/* Reports an unknown option or missing value (getopt's '?') for cmd:
 * returns EXIT_USAGE. */
int usage_error(const char *cmd);
/* Prints the help of a command to stdout; returns EXIT_OK. */
int command_help(const char *cmd);
/* Sets up diagnostics for --json (collected and reported at the end). */
void common_start(const struct common_opts *o);
/* Ends a command: with --json prints report (or, when NULL, the collected
 * errors) on stdout; frees report; checks that stdout was written. Returns
 * the exit status to use. */
int finish(const struct common_opts *o, int status, struct json *report);
/* Configures p, then builds it with jobs compiles at once (0: one per CPU).
 * Returns EXIT_OK, EXIT_ERROR or EXIT_BUILD; *steps is the steps run. */
int build_project(struct project *p, const struct common_opts *o, int jobs, bool dry_run,
		  int *steps);
/* The report of an artifact of p (kind: kernel, iso, disk): path, kind,
 * size, sha256, target, arch. */
struct json *artifact_json(const struct project *p, const char *kind);

#endif
