/* proc.h: running external programs from argv vectors (never a shell
 * string). */
#ifndef MIRAGE_PROC_H
#define MIRAGE_PROC_H

#include <stdio.h>
#include <sys/types.h>

/* Starts argv[0] (looked up in PATH) with argv. Returns the pid, or -1 after
 * recording why it could not start. */
pid_t proc_start(char *const *argv);
/* The same, run in directory cwd (NULL: this one). */
pid_t proc_start_in(char *const *argv, const char *cwd);
/* Waits for pid. Returns its exit status, 128 + N when killed by signal N. */
int proc_wait(pid_t pid);
/* proc_start and proc_wait; -1 when it could not start. */
int proc_run(char *const *argv);
/* Prints argv to f as a shell would need it typed, and a newline. */
void proc_print(FILE *f, char *const *argv);

#endif
