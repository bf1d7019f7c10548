/* run.h: starting a built unikernel with its devices attached, the way its
 * target says (`run:` in target.yaml). */
#ifndef MIRAGE_RUN_H
#define MIRAGE_RUN_H

#include <stdbool.h>

#include "project.h"

struct run_opts {
	struct strlist nets;   /* "NAME=IFACE" from --net:NAME=IFACE */
	struct strlist blocks; /* "NAME=PATH" from --block:NAME=PATH */
	double timeout;	       /* seconds; 0: none */
	long mem;	       /* MiB of guest memory for VM targets; 0: default */
	const char *accel;     /* qemu: tcg (default) or kvm */
	const char *image;     /* qemu: kernel (default), iso or disk */
	bool dry_run;	       /* print the command instead of running it */
	bool verbose;	       /* print the command before running it */
	char **args;	       /* boot arguments */
	int nargs;
};
#define RUN_OPTS_INIT \
	{             \
		0     \
	}

/* Checks the attachments against the manifest: every network and block
 * device attached, each exactly once, and nothing attached that is not
 * declared with that type. Returns 0 or -1 (every problem recorded). */
int run_check_attachments(const struct graph *g, const struct run_opts *o);
/* The command that runs the unikernel, and where it reports its exit status
 * when the command's own status cannot carry it (qemu: a file). */
struct run_cmd {
	struct strlist argv;
	char *status_file; /* NULL, or a file to read and remove afterwards */
	char *temp_image;  /* NULL, or an image made for this run, removed after it */
	bool qemu;
};

/* Builds the command. Returns 0, or -1 (recorded) when the options do not
 * fit the target. Release with run_cmd_release. */
int run_command(const struct project *p, const struct run_opts *o, struct run_cmd *c);
void run_cmd_release(struct run_cmd *c);
/* The QEMU command line of the qemu runner (run_qemu.c). */
int run_qemu_command(const struct project *p, const struct run_opts *o, struct run_cmd *c);
/* The unikernel's status from QEMU's and the status file's; -1 (recorded)
 * when it reported none. */
int run_qemu_status(const struct run_cmd *c, int qemu_status);
/* The hvt monitor: mirage-hvt beside the running mirage, else on PATH.
 * Returns a new string. */
char *run_monitor_path(void);
/* Runs it. Returns the unikernel's exit status (128 + N when killed by
 * signal N, 124 on timeout), or EXIT_RUN_NOTFOUND / EXIT_RUN_NOEXEC /
 * EXIT_RUN_SETUP when it could not start (recorded). */
int run_unikernel(const struct project *p, const struct run_opts *o);

#define RUN_TIMED_OUT 124

#endif
