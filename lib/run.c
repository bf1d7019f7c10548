/* run.c: starting a built unikernel. */
#include "run.h"

#include <errno.h>
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
#include "proc.h"

extern char **environ;

static int check_list(const struct graph *g, const struct strlist *l, const char *flag,
		      const struct devtype *type, struct strlist *seen)
{
	int rc = 0;
	for (size_t i = 0; i < l->len; i++) {
		const char *spec = l->items[i];
		const char *eq = strchr(spec, '=');
		if (!eq || eq == spec || !eq[1]) {
			rc = error("--%s:%s: expected --%s:DEVICE=%s", flag, spec, flag,
				   type->attach_flag[0] == 'n' ? "TAP" : "FILE");
			continue;
		}
		char *name = xstrndup(spec, (size_t)(eq - spec));
		const struct device *d = config_device(g->config, name);
		if (!d)
			rc = error("--%s:%s: the unikernel declares no device '%s'", flag, name,
				   name);
		else if (d->type != type)
			rc = error("--%s:%s: device '%s' is a %s device, not %s", flag, name, name,
				   d->type->name, type->name);
		else if (strlist_has(seen, name))
			rc = error("--%s:%s: device '%s' is attached twice", flag, name, name);
		else
			strlist_push(seen, name);
		free(name);
	}
	return rc;
}

int run_check_attachments(const struct graph *g, const struct run_opts *o)
{
	struct strlist seen = STRLIST_INIT;
	int rc = 0;
	if (check_list(g, &o->nets, "net", devtype_find("network"), &seen) < 0)
		rc = -1;
	if (check_list(g, &o->blocks, "block", devtype_find("block"), &seen) < 0)
		rc = -1;
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		if (d->type->attached && !strlist_has(&seen, d->name))
			rc = error_at(&d->pos, "device '%s' (%s) is not attached: give --%s:%s=%s",
				      d->name, d->type->name, d->type->attach_flag, d->name,
				      d->type->attach_flag[0] == 'n' ? "TAP" : "FILE");
	}
	strlist_release(&seen);
	return rc;
}

char *run_monitor_path(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	if (exe) {
		char *dir = path_dirname(exe);
		char *beside = path_join(dir, "mirage-hvt");
		free(dir);
		free(exe);
		if (access(beside, X_OK) == 0)
			return beside;
		free(beside);
	}
	return xstrdup("mirage-hvt");
}

static void push_attachments(const struct run_opts *o, struct strlist *argv)
{
	for (size_t i = 0; i < o->nets.len; i++)
		strlist_pushf(argv, "--net:%s", o->nets.items[i]);
	for (size_t i = 0; i < o->blocks.len; i++)
		strlist_pushf(argv, "--block:%s", o->blocks.items[i]);
}

int run_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	memset(c, 0, sizeof(*c));
	if (!strcmp(p->target.runner, "qemu"))
		return run_qemu_command(p, o, c);
	bool vm = !strcmp(p->target.runner, "hvt");
	if (o->mem && !vm)
		return error("--mem: target '%s' runs the unikernel as a process, with no memory "
			     "size to set",
			     p->target.name);
	if (o->accel || o->image)
		return error("--%s: only for targets run by QEMU (virtio)",
			     o->accel ? "accel" : "image");
	struct strlist *argv = &c->argv;
	for (size_t i = 0; i < p->graph.arch->run.len; i++)
		strlist_push(argv, p->graph.arch->run.items[i]);
	char *artifact = project_artifact(p);
	/* a path without '/' would be looked up in PATH */
	char *image = strchr(artifact, '/') ? xstrdup(artifact) : xasprintf("./%s", artifact);
	free(artifact);
	if (vm) {
		/* the monitor: its options, the image, then the unikernel's */
		strlist_push_owned(argv, run_monitor_path());
		if (o->mem)
			strlist_pushf(argv, "--mem=%ld", o->mem);
		push_attachments(o, argv);
		strlist_push_owned(argv, image);
	} else {
		/* the unikernel is the process: it takes the attachments itself */
		strlist_push_owned(argv, image);
		push_attachments(o, argv);
	}
	strlist_push(argv, "--");
	for (int i = 0; i < o->nargs; i++)
		strlist_push(argv, o->args[i]);
	return 0;
}

void run_cmd_release(struct run_cmd *c)
{
	strlist_release(&c->argv);
	if (c->status_file) {
		unlink(c->status_file);
		free(c->status_file);
	}
	if (c->temp_image) {
		unlink(c->temp_image);
		free(c->temp_image);
	}
	memset(c, 0, sizeof(*c));
}

/* While a unikernel runs, a signal that would end mirage is passed on to it
 * instead, so that an interrupted CI job leaves no QEMU or monitor behind;
 * mirage then exits with the unikernel's status. */
static volatile pid_t running_child;
static volatile sig_atomic_t forwarded;

static void forward_signal(int sig)
{
	forwarded = sig;
	if (running_child > 0)
		kill(running_child, sig);
}

static void forward_signals(pid_t child, bool on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	running_child = on ? child : 0;
	if (on)
		forwarded = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? forward_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid at most timeout seconds (0: forever); kills it after. */
static int wait_with_timeout(pid_t pid, double timeout, bool *timed_out)
{
	*timed_out = false;
	if (timeout <= 0)
		return proc_wait(pid);
	int64_t deadline = now_ms() + (int64_t)(timeout * 1000);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		int status;
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			if (pidfd >= 0)
				close(pidfd);
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
		}
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			*timed_out = true;
			kill(pid, SIGKILL);
			if (pidfd >= 0)
				close(pidfd);
			proc_wait(pid);
			return RUN_TIMED_OUT;
		}
		if (pidfd >= 0) {
			struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
			poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		} else {
			usleep(5000);
		}
	}
}

int run_unikernel(const struct project *p, const struct run_opts *o)
{
	struct run_cmd c;
	if (run_command(p, o, &c) < 0) {
		run_cmd_release(&c);
		return EXIT_RUN_SETUP;
	}
	char **argv = c.argv.items;
	if (o->dry_run || o->verbose)
		proc_print(o->dry_run ? stdout : stderr, argv);
	if (o->dry_run) {
		/* the printed command refers to the image: keep it */
		free(c.temp_image);
		c.temp_image = NULL;
		run_cmd_release(&c);
		return 0;
	}
	if (!program_exists(argv[0])) {
		const struct strlist *pk = &p->graph.arch->packages;
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < pk->len; i++)
			strbuf_addf(&sb, " %s", pk->items[i]);
		error("cannot run '%s': not found (on Debian: apt-get install%s)", argv[0],
		      sb.buf ? sb.buf : "");
		strbuf_release(&sb);
		run_cmd_release(&c);
		return EXIT_RUN_NOTFOUND;
	}
	fflush(stdout);
	pid_t pid;
	int err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	if (err && !strchr(argv[0], '/'))
		err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err) {
		errno = err;
		error("cannot run %s:", argv[0]);
		run_cmd_release(&c);
		return EXIT_RUN_NOEXEC;
	}
	bool timed_out;
	forward_signals(pid, true);
	int status = wait_with_timeout(pid, o->timeout, &timed_out);
	forward_signals(pid, false);
	if (timed_out) {
		error("the unikernel did not exit within %g s: stopped", o->timeout);
	} else if (forwarded) {
		error("stopped by signal %d", (int)forwarded);
		status = 128 + forwarded;
	} else if (c.qemu) {
		status = run_qemu_status(&c, status);
	}
	run_cmd_release(&c);
	return status;
}
