/* proc.c: running external programs. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

extern char **environ;

pid_t proc_spawn(char *const *argv, const struct proc_opts *o)
{
	static const struct proc_opts none = PROC_OPTS_INIT;
	if (!o)
		o = &none;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (o->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
	if (o->out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, o->out_fd, STDOUT_FILENO);
		if (!o->stdout_only)
			posix_spawn_file_actions_adddup2(&fa, o->out_fd, STDERR_FILENO);
	}
	/* signals the tool ignores or catches are the child's to decide */
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t def;
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGQUIT);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	char *const *env = o->env ? o->env : environ;
	int rc = strchr(argv[0], '/') ? posix_spawn(&pid, argv[0], &fa, &attr, argv, env)
				      : posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		if (rc == ENOENT) {
			error("cannot run '%s': not found (is it installed and on PATH?)", argv[0]);
			failed(FAIL_NOTFOUND);
		} else {
			error("cannot run '%s':", argv[0]);
			failed(FAIL_NOEXEC);
		}
		return -1;
	}
	return pid;
}

int64_t proc_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void decode(int status, struct proc_status *st)
{
	st->exited = WIFEXITED(status);
	st->code = st->exited ? WEXITSTATUS(status) : 0;
	st->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* Waits at most until deadline (0: forever). Returns 1 when it ended, 0 at
 * the deadline, -1 on error. */
static int wait_until(pid_t pid, int pidfd, int64_t deadline, struct proc_status *st)
{
	for (;;) {
		int status;
		pid_t r = waitpid(pid, &status, deadline ? WNOHANG : 0);
		if (r == pid) {
			decode(status, st);
			return 1;
		}
		if (r < 0 && errno != EINTR)
			return error("wait for process %ld:", (long)pid);
		if (!deadline)
			continue;
		int64_t left = deadline - proc_now_ms();
		if (left <= 0)
			return 0;
		if (pidfd >= 0) {
			struct pollfd p = {.fd = pidfd, .events = POLLIN};
			poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		} else {
			usleep(2000);
		}
	}
}

int proc_wait(pid_t pid, int64_t deadline_ms, int grace_ms, struct proc_status *st, bool *timed_out)
{
	memset(st, 0, sizeof(*st));
	if (timed_out)
		*timed_out = false;
	int pidfd = deadline_ms ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	int r = wait_until(pid, pidfd, deadline_ms, st);
	if (r == 0) {
		if (timed_out)
			*timed_out = true;
		/* SIGTERM first: a process that can still write its output does */
		kill(pid, SIGTERM);
		r = wait_until(pid, pidfd, proc_now_ms() + (grace_ms > 0 ? grace_ms : 1), st);
		if (r == 0) {
			kill(pid, SIGKILL);
			r = wait_until(pid, pidfd, 0, st);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	return r < 0 ? -1 : 0;
}

int proc_status_code(const struct proc_status *st)
{
	return st->exited ? st->code : 128 + st->signal;
}

int proc_run(char *const *argv, const struct proc_opts *o, const char *what)
{
	pid_t pid = proc_spawn(argv, o);
	if (pid < 0)
		return -1;
	struct proc_status st;
	if (proc_wait(pid, 0, 0, &st, NULL) < 0)
		return -1;
	if (st.exited && st.code == 0)
		return 0;
	if (st.exited)
		return error("%s failed (exit status %d)", what ? what : argv[0], st.code);
	return error("%s failed (killed by signal %d)", what ? what : argv[0], st.signal);
}

char **proc_env_with(const char *name, const char *value)
{
	size_t n = 0, len = strlen(name);
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], name, len) || environ[i][len] != '=')
			env[k++] = xstrdup(environ[i]);
	env[k++] = xasprintf("%s=%s", name, value);
	env[k] = NULL;
	return env;
}

void proc_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

bool shell_plain(const char *s)
{
	/* a table: this runs for every argument of every Makefile rule */
	static bool safe[256];
	if (!safe['a'])
		for (const char *c =
			 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			 "-_./=+,:@%";
		     *c; c++)
			safe[(unsigned char)*c] = true;
	if (!*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!safe[*p])
			return false;
	return true;
}

void shell_quote(struct strbuf *sb, const char *s)
{
	if (shell_plain(s)) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addc(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '\'');
}

void proc_print(FILE *f, char *const *argv)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			strbuf_addc(&sb, ' ');
		shell_quote(&sb, argv[i]);
	}
	fprintf(f, "%s\n", sb.buf ? sb.buf : "");
	strbuf_release(&sb);
}

int proc_capture(char *const *argv, char *out, size_t size)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	struct proc_opts po = PROC_OPTS_INIT;
	po.out_fd = fds[1];
	pid_t pid = proc_spawn(argv, &po);
	close(fds[1]);
	size_t n = 0;
	char rest[512];
	for (ssize_t r; pid > 0;) {
		/* what does not fit is read and dropped: the program never blocks */
		bool room = n < size - 1;
		r = read(fds[0], room ? out + n : rest, room ? size - 1 - n : sizeof(rest));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (room)
			n += (size_t)r;
	}
	close(fds[0]);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	struct proc_status st;
	bool timed_out;
	if (pid < 0 || proc_wait(pid, 0, 0, &st, &timed_out) < 0)
		return -1;
	return st.exited ? st.code : 128 + st.signal;
}
