/* run.h: starting a built unikernel with its devices attached. How is the
 * target's runner (`run:` in target.yaml), one of an ops table: exec (the
 * unikernel is a process), hvt (the project's monitor), qemu. */
#ifndef MIRAGE_RUN_H
#define MIRAGE_RUN_H

#include <stdbool.h>

#include "proc.h"
#include "project.h"

/* --FLAG:NAME=VALUE on mirage run (the attach flags of mirage_devtypes.h). */
struct attachment {
	const struct devtype *type;
	char *name;
	char *value;
};

struct run_opts {
	struct attachment *attach;
	size_t nattach;
	double timeout;	     /* seconds; 0: none */
	long mem;	     /* MiB of guest memory for VM runners; 0: their default */
	const char *accel;   /* qemu: tcg (default) or kvm */
	const char *image;   /* qemu: kernel (default) or another bootable image kind */
	const char *machine; /* qemu: one of the architecture's machines (NULL: the default) */
	bool dry_run;	     /* print the command instead of running it */
	bool verbose;	     /* print the command before running it */
	char **args;	     /* boot arguments */
	int nargs;
};

/* The command that runs the unikernel, and what it leaves to clean up. */
struct run_cmd {
	struct strlist argv;
	char *status_file; /* NULL, or where the unikernel reports its status */
	char *temp_image;  /* NULL, or an image made for this run only */
};

struct runner {
	const char *name;	   /* as in target.yaml's run: */
	const char *artifact_kind; /* what the build makes: "executable" or "kernel" */
	long mem_min, mem_max;	   /* --mem's range in MiB; 0: it takes no --mem */
	bool takes_qemu_options;   /* --accel, --image */
	bool takes_fd;		   /* --net:NAME=@FD, an open tap */
	bool net_bridge;	   /* --net:NAME=BRIDGE (xen), not a tap */
	/* mirage run becomes the command (exec) when it has nothing to do
	 * after it (no --timeout, no status file, no temporary image): the
	 * command's exit status is already the unikernel's, and a signal to
	 * mirage run reaches it without a hop */
	bool replaced;
	/* NULL, or the command's program as a function (it takes the same
	 * argv): a replaced run calls it in this process instead of exec
	 * (one exec less), then exits with its status */
	int (*in_process)(int argc, char **argv);
	/* Builds the command (with dry_run, makes nothing). Returns 0 or -1
	 * (recorded). */
	int (*command)(const struct project *p, const struct run_opts *o, struct run_cmd *c);
	/* The unikernel's status from how its command ended; -1 (recorded,
	 * with FAIL_RUNNER) when the runner failed before it reported one. */
	int (*status)(const struct project *p, const struct run_cmd *c,
		      const struct proc_status *st);
	/* NULL, or runs the unikernel itself (several programs, not the one
	 * command, which is then only shown) until deadline_ms (0: none);
	 * returns its status, or -1 (recorded). */
	int (*run)(const struct project *p, const struct run_opts *o, const struct run_cmd *c,
		   int64_t deadline_ms);
};

/* The runner named name, or NULL. */
const struct runner *runner_find(const char *name);
/* Every runner's name, NULL-terminated. */
const char *const *runner_names(void);

extern const struct runner runner_exec, runner_hvt, runner_qemu, runner_xen;

/* The signal (SIGINT, SIGTERM, ...) that asked mirage to stop while a
 * runner's own run was under way, or 0. */
int run_interrupted(void);

/* Reads "NAME=VALUE" given with --FLAG: for a type. Returns 0 or -1
 * (recorded: FAIL_USAGE). */
int run_attach(struct run_opts *o, const struct devtype *type, const char *spec);
void run_opts_release(struct run_opts *o);
/* Checks the options against the target's runner (--mem, --accel, --image).
 * Returns 0 or -1 (recorded: FAIL_USAGE). */
int run_check_options(const struct project *p, const struct run_opts *o);
/* Checks the attachments against the manifest and, unless o->dry_run, the
 * host, before anything starts: every attached type's device attached once,
 * nothing attached that is not declared with that type, taps that exist,
 * files of whole sectors. Returns 0 or -1 (every problem recorded:
 * FAIL_ATTACH). */
int run_check_attachments(const struct project *p, const struct run_opts *o);
/* Runs the unikernel. Returns its exit status (128 + N when its process was
 * killed by signal N, 124 on timeout), or -1 when it could not start or its
 * runner failed (recorded, with the category). */
int run_unikernel(const struct project *p, const struct run_opts *o);

/* The hvt monitor: mirage-hvt beside the running mirage, else on PATH.
 * Returns a new string. */
char *run_monitor_path(void);
/* A program installed with mirage: beside the running mirage, else name
 * itself (looked up in PATH). Returns a new string. */
char *run_beside_mirage(const char *name);
/* Adds the attachments as the runtime and the monitor take them. */
void run_push_attachments(const struct run_opts *o, struct strlist *argv);
/* The artifact's path, never to be looked up in PATH. Caller frees. */
char *run_artifact(const struct project *p);
void run_cmd_release(struct run_cmd *c);

#define RUN_TIMED_OUT 124
/* The status of a unikernel that crashed, on every target (as a shell
 * reports SIGSEGV). */
#define RUN_CRASHED 139

#endif
