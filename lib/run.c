/* run.c: starting a built unikernel, whatever its runner. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "image.h"
#include "proc.h"

#define SECTOR_SIZE 512

static const struct runner *const runners[] = {&runner_exec, &runner_hvt, &runner_qemu,
					       &runner_xen};
static const char *const names[] = {"exec", "hvt", "qemu", "xen", NULL};

const struct runner *runner_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(runners); i++)
		if (!strcmp(runners[i]->name, name))
			return runners[i];
	return NULL;
}

const char *const *runner_names(void)
{
	return names;
}

int run_attach(struct run_opts *o, const struct devtype *type, const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		error("--%s:%s: expected --%s:DEVICE=%s", type->attach_flag, spec,
		      type->attach_flag, type->placeholder);
		return failed(FAIL_USAGE);
	}
	o->attach = xrealloc(o->attach, (o->nattach + 1) * sizeof(*o->attach));
	struct attachment *a = &o->attach[o->nattach++];
	a->type = type;
	a->name = xstrndup(spec, (size_t)(eq - spec));
	a->value = xstrdup(eq + 1);
	return 0;
}

void run_opts_release(struct run_opts *o)
{
	for (size_t i = 0; i < o->nattach; i++) {
		free(o->attach[i].name);
		free(o->attach[i].value);
	}
	free(o->attach);
	o->attach = NULL;
	o->nattach = 0;
}

/* What a value attaches: a tap that exists, or a file of whole sectors; on
 * the host only when host is true (not for --dry-run). */
static int check_value(const struct project *p, const struct attachment *a, bool host)
{
	const struct runner *r = runner_find(p->target.runner);
	if (a->type->value == MIRAGE_DEV_NET) {
		if (a->value[0] == '@') {
			char *end;
			errno = 0;
			long fd = strtol(a->value + 1, &end, 10);
			if (!r->takes_fd)
				return error("--net:%s=%s: target '%s' attaches taps by name only",
					     a->name, a->value, p->target.name);
			if (*end || end == a->value + 1 || errno || fd < 0 || fd > 65535 ||
			    (host && fcntl((int)fd, F_GETFD) < 0))
				return error("--net:%s=%s: not an open file descriptor", a->name,
					     a->value);
			return 0;
		}
		if (strlen(a->value) >= IF_NAMESIZE || strchr(a->value, '/'))
			return error("--net:%s=%s: not an interface name", a->name, a->value);
		if (!host)
			return 0;
		if (r->net_bridge) {
			char *br = xasprintf("/sys/class/net/%s/bridge", a->value);
			bool is_bridge = access(br, F_OK) == 0;
			free(br);
			if (!is_bridge)
				return error("--net:%s=%s: '%s' is not a bridge (the unikernel's "
					     "vif is put on one: ip link add %s type bridge)",
					     a->name, a->value, a->value, a->value);
			return 0;
		}
		if (!if_nametoindex(a->value))
			return error(
			    "--net:%s=%s: tap '%s' does not exist (create it with 'ip tuntap "
			    "add %s mode tap')",
			    a->name, a->value, a->value, a->value);
		char *flags = xasprintf("/sys/class/net/%s/tun_flags", a->value);
		bool tun = access(flags, F_OK) == 0;
		free(flags);
		if (!tun)
			return error("--net:%s=%s: '%s' is not a tap interface", a->name, a->value,
				     a->value);
		return 0;
	}
	if (a->type->value == MIRAGE_DEV_BLOCK && host) {
		struct stat st;
		if (stat(a->value, &st) < 0)
			return error("--block:%s=%s:", a->name, a->value);
		if (!S_ISREG(st.st_mode))
			return error("--block:%s=%s: not a regular file", a->name, a->value);
		if (access(a->value, R_OK | W_OK) < 0)
			return error("--block:%s=%s: not readable and writable", a->name, a->value);
		if (st.st_size == 0 || st.st_size % SECTOR_SIZE)
			return error("--block:%s=%s: %lld bytes, not a whole number of %d-byte "
				     "sectors (truncate -s to a multiple)",
				     a->name, a->value, (long long)st.st_size, SECTOR_SIZE);
		return 0;
	}
	return 0;
}

int run_check_attachments(const struct project *p, const struct run_opts *o)
{
	const struct graph *g = &p->graph;
	struct strlist seen = STRLIST_INIT;
	int rc = 0;
	for (size_t i = 0; i < o->nattach; i++) {
		const struct attachment *a = &o->attach[i];
		const struct device *d = config_device(g->config, a->name);
		const char *flag = a->type->attach_flag;
		if (!d)
			rc = error("--%s:%s: the unikernel declares no device '%s'", flag, a->name,
				   a->name);
		else if (d->type != a->type)
			rc = error("--%s:%s: device '%s' is a %s device, not %s", flag, a->name,
				   a->name, d->type->name, a->type->name);
		else if (!graph_node_of(g, d))
			rc = error("--%s:%s: device '%s' is left out of this build: the "
				   "implementation of the tcpip device over it takes none (mirage "
				   "describe; another is chosen with configure --impl)",
				   flag, a->name, a->name);
		else if (strlist_has(&seen, a->name))
			rc =
			    error("--%s:%s: device '%s' is attached twice", flag, a->name, a->name);
		else if (strlist_push(&seen, a->name), check_value(p, a, !o->dry_run) < 0)
			rc = -1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		if (d->type->attach_flag && !strlist_has(&seen, d->name))
			rc = error_at(&d->pos, "device '%s' (%s) is not attached: give --%s:%s=%s",
				      d->name, d->type->name, d->type->attach_flag, d->name,
				      d->type->value == MIRAGE_DEV_NET &&
					      runner_find(p->target.runner)->net_bridge
					  ? "BRIDGE"
					  : d->type->placeholder);
	}
	strlist_release(&seen);
	return rc < 0 ? failed(FAIL_ATTACH) : 0;
}

char *run_beside_mirage(const char *name)
{
	char *exe = realpath("/proc/self/exe", NULL);
	if (exe) {
		char *dir = path_dirname(exe);
		char *beside = path_join(dir, name);
		free(dir);
		free(exe);
		if (access(beside, X_OK) == 0)
			return beside;
		free(beside);
	}
	return xstrdup(name);
}

char *run_monitor_path(void)
{
	return run_beside_mirage("mirage-hvt");
}

void run_push_attachments(const struct run_opts *o, struct strlist *argv)
{
	for (size_t i = 0; i < o->nattach; i++)
		strlist_pushf(argv, "--%s:%s=%s", o->attach[i].type->attach_flag, o->attach[i].name,
			      o->attach[i].value);
}

char *run_artifact(const struct project *p)
{
	char *artifact = project_artifact(p);
	if (strchr(artifact, '/'))
		return artifact;
	char *local = xasprintf("./%s", artifact);
	free(artifact);
	return local;
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

int run_interrupted(void)
{
	return forwarded;
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
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* What to install for a program of the command that is missing. */
static void missing(const struct project *p, const char *program)
{
	if (!strcmp(path_basename(program), "mirage-hvt")) {
		error("cannot run '%s': not found (it is installed with mirage: make install, "
		      "or run mirage from its source tree)",
		      program);
	} else {
		const struct strlist *pk = &p->graph.arch->packages;
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < pk->len; i++)
			strbuf_addf(&sb, " %s", pk->items[i]);
		error("cannot run '%s': not found (on Debian: apt-get install%s)", program,
		      sb.buf ? sb.buf : "");
		strbuf_release(&sb);
	}
	failed(FAIL_NOTFOUND);
}

/* --machine names one of the architecture's, and an image boots on it. */
static int check_machine(const struct project *p, const struct run_opts *o)
{
	const struct target_qemu *q = &p->graph.arch->qemu;
	bool image = o->image && strcmp(o->image, "kernel");
	const struct qemu_machine *m = target_qemu_machine(q, o->machine, image);
	if (!m && o->machine) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < q->nmachines; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", q->machines[i].name);
		error("--machine %s: %s on %s boots on %s", o->machine, p->target.name,
		      p->graph.arch->name, sb.buf);
		strbuf_release(&sb);
		return failed(FAIL_USAGE);
	}
	if (!m) {
		error("--image %s: %s on %s boots no images", o->image, p->target.name,
		      p->graph.arch->name);
		return failed(FAIL_USAGE);
	}
	const struct qemu_machine *bios = target_qemu_machine(q, NULL, true);
	if (image && !m->images) {
		error("--machine %s boots no images (they need a BIOS): --image %s boots on %s",
		      o->machine, o->image, bios ? bios->name : "none");
		return failed(FAIL_USAGE);
	}
	return 0;
}

int run_check_options(const struct project *p, const struct run_opts *o)
{
	const struct runner *r = runner_find(p->target.runner);
	if (o->mem && !r->mem_max) {
		error("--mem: target '%s' runs the unikernel as a process, with no memory size "
		      "to set",
		      p->target.name);
		return failed(FAIL_USAGE);
	}
	if (o->mem && (o->mem < r->mem_min || o->mem > r->mem_max)) {
		error("--mem %ld: target '%s' takes from %ld to %ld MiB", o->mem, p->target.name,
		      r->mem_min, r->mem_max);
		return failed(FAIL_USAGE);
	}
	if ((o->accel || o->image || o->machine) && !r->takes_qemu_options) {
		error("--%s: only for targets run by QEMU (virtio)", o->accel	? "accel"
								     : o->image ? "image"
										: "machine");
		return failed(FAIL_USAGE);
	}
	if (o->accel && strcmp(o->accel, "tcg") && strcmp(o->accel, "kvm")) {
		error("--accel %s: expected tcg or kvm", o->accel);
		return failed(FAIL_USAGE);
	}
	const struct image_kind *k = o->image ? image_kind_find(o->image) : NULL;
	if (o->image && (!k || !k->bootable)) {
		char *hint = suggestion(o->image, image_kind_names(), 0);
		error("--image %s: not an image mirage run boots (%s)", o->image, hint);
		free(hint);
		return failed(FAIL_USAGE);
	}
	if (o->image && !target_makes_image(p->graph.arch, o->image)) {
		error("--image %s: %s on %s makes no %s image: %s", o->image, p->target.name,
		      p->graph.arch->name, o->image, target_images_note(&p->target, p->graph.arch));
		return failed(FAIL_USAGE);
	}
	return r->takes_qemu_options ? check_machine(p, o) : 0;
}

int run_unikernel(const struct project *p, const struct run_opts *o)
{
	const struct runner *r = runner_find(p->target.runner);
	struct run_cmd c;
	memset(&c, 0, sizeof(c));
	if (r->command(p, o, &c) < 0) {
		run_cmd_release(&c);
		if (diag_failure() == FAIL_NONE)
			failed(FAIL_USAGE);
		return -1;
	}
	char **argv = c.argv.items;
	if (o->dry_run || o->verbose)
		proc_print(o->dry_run ? stdout : stderr, argv);
	if (o->dry_run) {
		run_cmd_release(&c);
		return 0;
	}
	if (!program_exists(argv[0])) {
		missing(p, argv[0]);
		run_cmd_release(&c);
		return -1;
	}
	fflush(stdout);
	if (r->run) {
		/* a signal is noted (run_interrupted), for the runner to act on */
		forward_signals(0, true);
		int64_t deadline =
		    o->timeout > 0 ? proc_now_ms() + (int64_t)(o->timeout * 1000) : 0;
		int status = r->run(p, o, &c, deadline);
		forward_signals(0, false);
		run_cmd_release(&c);
		return status;
	}
	if (r->replaced && o->timeout <= 0 && !c.status_file && !c.temp_image) {
		if (r->in_process) {
			/* the program's code, in this process: its status is
			 * ours, and after it only _exit (see monitor.h) */
			int status = r->in_process((int)c.argv.len, argv);
			fflush(stderr);
			_exit(status);
		}
		execv(argv[0], argv); /* returns only when it failed */
		error("cannot run '%s':", argv[0]);
		failed(errno == ENOENT ? FAIL_NOTFOUND : FAIL_NOEXEC);
		run_cmd_release(&c);
		return -1;
	}
	pid_t pid = proc_spawn(argv, NULL);
	if (pid < 0) {
		run_cmd_release(&c);
		return -1;
	}
	forward_signals(pid, true);
	struct proc_status st;
	bool timed_out;
	int64_t deadline = o->timeout > 0 ? proc_now_ms() + (int64_t)(o->timeout * 1000) : 0;
	int rc = proc_wait(pid, deadline, 1000, &st, &timed_out);
	forward_signals(pid, false);
	int status;
	if (rc < 0) {
		status = failed(FAIL_ERROR);
	} else if (timed_out) {
		error("the unikernel did not exit within %g s: stopped", o->timeout);
		status = RUN_TIMED_OUT;
	} else if (forwarded) {
		error("stopped by signal %d", (int)forwarded);
		status = 128 + forwarded;
	} else {
		status = r->status(p, &c, &st);
	}
	run_cmd_release(&c);
	return status;
}
