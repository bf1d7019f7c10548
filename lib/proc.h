/* proc.h: running external programs from argv vectors (never a shell
 * string): spawning with a working directory, an explicit environment and
 * the output captured or not, and waiting, with an optional deadline. */
#ifndef MIRAGE_PROC_H
#define MIRAGE_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "util.h"

struct proc_opts {
	const char *cwd;  /* where it runs; NULL: here */
	char *const *env; /* its environment; NULL: this process's */
	int out_fd;	  /* its stdout and stderr both go to this descriptor; -1: ours */
	bool stdout_only; /* only its stdout goes to out_fd; its stderr is ours */
};
#define PROC_OPTS_INIT                \
	{                             \
		NULL, NULL, -1, false \
	}

/* How a process ended. */
struct proc_status {
	bool exited; /* by exit(): code is its status */
	int code;
	int signal; /* else the signal that ended it */
};

/* Starts argv[0] (looked up in PATH when it has no '/') with argv. Returns
 * its pid, or -1 after recording why it could not start (category
 * FAIL_NOTFOUND when it does not exist, else FAIL_NOEXEC). */
pid_t proc_spawn(char *const *argv, const struct proc_opts *o);
/* Waits for pid until deadline_ms (CLOCK_MONOTONIC milliseconds; 0: no
 * deadline). At the deadline it is sent SIGTERM, then SIGKILL after
 * grace_ms, and *timed_out is set. Returns 0, or -1 (recorded). */
int proc_wait(pid_t pid, int64_t deadline_ms, int grace_ms, struct proc_status *st,
	      bool *timed_out);
/* The status a shell would report: the code, or 128 + the signal. */
int proc_status_code(const struct proc_status *st);
/* Runs argv to its end (with o, or PROC_OPTS_INIT when NULL): 0 when it
 * exited with 0, else -1 after recording "WHAT failed (...)". */
int proc_run(char *const *argv, const struct proc_opts *o, const char *what);
/* Runs argv to its end with its output (stdout and stderr) in out, at most
 * size - 1 bytes, trailing newlines and spaces cut. Returns its exit code
 * (128 + N for signal N), or -1 when it could not start (recorded). */
int proc_capture(char *const *argv, char *out, size_t size);
/* The monotonic clock in milliseconds. */
int64_t proc_now_ms(void);

/* This process's environment with NAME=VALUE set (added or replaced); free
 * with proc_env_free. */
char **proc_env_with(const char *name, const char *value);
void proc_env_free(char **env);

/* Whether a POSIX shell takes s as it is (only safe characters). */
bool shell_plain(const char *s);
/* Appends s to sb quoted for a POSIX shell: as it is when only safe
 * characters, else in single quotes. The one quoting function of the tool. */
void shell_quote(struct strbuf *sb, const char *s);
/* Prints argv to f as a shell would need it typed, and a newline. */
void proc_print(FILE *f, char *const *argv);

#endif
