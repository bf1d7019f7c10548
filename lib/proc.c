/* proc.c: running external programs. */
#include "proc.h"

#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "diag.h"
#include "util.h"

extern char **environ;

pid_t proc_start(char *const *argv)
{
	return proc_start_in(argv, NULL);
}

pid_t proc_start_in(char *const *argv, const char *cwd)
{
	pid_t pid;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		if (rc == ENOENT)
			error("cannot run '%s': not found (is it installed and on PATH?)", argv[0]);
		else
			error("cannot run '%s':", argv[0]);
		return -1;
	}
	return pid;
}

int proc_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error("wait for process %ld:", (long)pid);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

int proc_run(char *const *argv)
{
	pid_t pid = proc_start(argv);
	if (pid < 0)
		return -1;
	return proc_wait(pid);
}

void proc_print(FILE *f, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		const char *s = argv[i];
		bool plain = *s != '\0';
		for (const char *p = s; *p && plain; p++)
			plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789-_./=+,:@%",
				       *p) != NULL;
		if (i)
			fputc(' ', f);
		if (plain) {
			fputs(s, f);
			continue;
		}
		fputc('\'', f);
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", f);
			else
				fputc(*p, f);
		}
		fputc('\'', f);
	}
	fputc('\n', f);
}
