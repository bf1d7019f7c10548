/* cmd.h: the commands of mirage. One table (cmd/mirage.c) says what each
 * command needs; the dispatcher parses the options, sets up what the flags
 * ask for (the project, its archives, its plan, --json), calls the command,
 * and finishes once: the report, the exit status. Commands return 0 (or, for
 * mirage run, the unikernel's status) or -1 with the failure recorded. */
#ifndef MIRAGE_CMD_H
#define MIRAGE_CMD_H

#include <stdbool.h>

#include "../lib/json.h"
#include "../lib/project.h"
#include "../lib/run.h"
#include "../lib/stamp.h"

/* What a command needs, set up by the dispatcher before it runs. */
enum {
	CMD_PROJECT = 1 << 0,	 /* takes -f -t --arch -o; opens the project */
	CMD_USE_LAST = 1 << 1,	 /* without -t: the target last configured there */
	CMD_FETCH = 1 << 2,	 /* the archives of fetch:, from the cache */
	CMD_DOWNLOAD = 1 << 3,	 /* ... downloaded when missing */
	CMD_PLAN = 1 << 4,	 /* the build plan */
	CMD_JSON = 1 << 5,	 /* takes --json */
	CMD_ATTACH = 1 << 6,	 /* takes --FLAG:NAME=VALUE (attachments) and -- ARGS */
	CMD_RUN_STATUS = 1 << 7, /* exits with the unikernel's status; 125-127 before */
	CMD_FILE = 1 << 8,	 /* takes -f alone */
	CMD_UNSAFE = 1 << 9,	 /* takes --allow-unsafe-flags */
};

struct cmd {
	struct project_opts popts;
	bool json, verbose;
	struct project p;
	bool have_project;
	char **args; /* positional arguments */
	int nargs;
	char **rest;	     /* argv without attachments and boot arguments (owned) */
	struct run_opts run; /* attachments, boot arguments, run's options */
	struct json *report; /* --json: what the command reports */
	/* the commands' own options */
	int jobs;
	bool dry_run, dot, cache, sbom, all;
	const char *image;
	const char *name;
	/* the fast path (cmd/fast.c) */
	int64_t started_ns;	  /* when the command began (CLOCK_REALTIME) */
	struct stamp_facts facts; /* the stamp's, when p->fresh */
};

struct cmd_option {
	const char *name; /* the long name */
	int short_name;	  /* or 0 */
	const char *arg;  /* the value's placeholder, NULL for a flag */
	const char *help; /* one line */
	/* Stores the option (arg: its value). Returns 0, or -1 after a message
	 * (FAIL_USAGE). */
	int (*set)(struct cmd *c, const char *arg);
};

struct command {
	const char *name;
	int (*fn)(struct cmd *c);
	unsigned flags;
	const struct cmd_option *options; /* its own, ending with {0} */
	int min_args, max_args;		  /* positional arguments */
	const char *args;		  /* their usage: "FACT", "[DIR]", or NULL */
	const char *summary;		  /* for the overview */
	const char *help;		  /* the paragraph of mirage help COMMAND */
	/* Checks the positional arguments before anything is set up, or NULL.
	 * Returns 0, or -1 after a message (FAIL_USAGE). */
	int (*check)(struct cmd *c);
};

extern const struct command cmd_init, cmd_configure, cmd_build, cmd_run, cmd_describe, cmd_query,
    cmd_targets, cmd_clean, cmd_help, cmd_fetch;

/* The fast path of run and build (lib/stamp.h): when the command's stamp
 * says nothing changed since its last full check, opens the project for
 * running (c->p.fresh) and returns 1; else 0, and the caller opens the
 * project the full way. */
int fast_open(const struct command *cmd, struct cmd *c);
/* After the full path of run or build succeeded: writes the stamp, with the
 * lines a no-op build prints (said) and the images made (outputs). */
void fast_record(const struct command *cmd, struct cmd *c, const struct strlist *said,
		 const struct strlist *outputs);

/* Configures the project, then builds it: the build directory's lock held,
 * only what changed compiled (c->jobs at once; 0: one per CPU). Returns the
 * number of steps run, or -1. */
int build_project(struct cmd *c, bool dry_run);
/* The report of an artifact of kind (kernel, iso, ...): path, kind, size,
 * sha256, target, arch. */
struct json *artifact_json(const struct project *p, const char *kind);
/* Whether build was asked for several (target, arch) pairs: --all, or -t
 * or --arch given comma-separated lists. */
bool build_is_matrix(const struct cmd *c);
/* Builds every pair (matrix.c). Returns 0 or -1 (recorded). */
int build_matrix(struct cmd *c);
/* Prints the help of a command to stdout. */
void command_help(const struct command *cmd);

#endif
