/* runner_xen.c: the xen runner: xl, as root in dom0 of a running Xen. The
 * run writes an xl configuration of its own (the attachments as vif and
 * disk lines, the boot arguments as cmdline), creates the domain with
 * `xl create`, shows its console with `xl console`, and waits for the exit
 * status the runtime writes to xenstore before it shuts down
 * (/local/domain/ID/data/mirage-exit-status); the domain is kept after it
 * shuts down (on_poweroff and on_crash "preserve") until the status is
 * read, then destroyed. A domain that crashed without writing one (a fault
 * Xen saw) ends with RUN_CRASHED. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "run.h"
#include "xl.h"

#define POLL_MS 50

/* The boot arguments as one command line (the runtime splits at spaces;
 * "..." keeps them). */
static int join_args(const struct run_opts *o, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < o->nargs; i++) {
		const char *a = o->args[i];
		if (i)
			strbuf_addc(&sb, ' ');
		strbuf_addf(&sb, !*a || strpbrk(a, " \t") ? "'%s'" : "%s", a);
	}
	*out = strbuf_detach(&sb);
	return 0;
}

/* Whether this machine is dom0 of a running Xen, with xl: else says what
 * is needed, and where the kernel boots without Xen. */
static int check_dom0(const struct project *p)
{
	/* MIRAGE_XEN_CAPABILITIES: another file to read it from (tests) */
	const char *path = getenv("MIRAGE_XEN_CAPABILITIES");
	if (!path || !*path)
		path = "/proc/xen/capabilities";
	size_t len;
	char *caps = is_file(path) ? file_read(path, &len) : NULL;
	bool dom0 = caps && strstr(caps, "control_d");
	free(caps);
	if (dom0 && program_exists("xl"))
		return 0;
	char *kernel = project_artifact(p);
	error("mirage run -t xen needs %s; the kernel also boots without Xen under QEMU's PVH "
	      "loader, with the serial console and no devices: qemu-system-x86_64 -M microvm "
	      "-nographic -kernel %s -append 'ARGUMENTS'",
	      dom0 ? "Xen's xl (on Debian: apt-get install xen-utils-4.17)"
		   : "to be root in dom0 of a running Xen (/proc/xen/capabilities says "
		     "control_d), with xl",
	      kernel);
	free(kernel);
	return failed(FAIL_NOTFOUND);
}

static int xen_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	if (!o->dry_run && check_dom0(p) < 0)
		return -1;
	char *cmdline;
	join_args(o, &cmdline);
	char *text = xl_config(p, o, cmdline, o->mem ? o->mem : XL_MEM_DEFAULT);
	free(cmdline);
	if (!text)
		return -1;
	char *cfg = xasprintf("%s/%s.run-%ld.xl", p->builddir, p->config.name, (long)getpid());
	int rc = o->dry_run ? 0 : file_write_atomic(cfg, text, strlen(text), 0644);
	free(text);
	if (o->dry_run)
		free(cfg);
	else
		c->temp_image = cfg;
	if (rc < 0)
		return -1;
	/* what is shown (--dry-run, -v): the equivalent by hand */
	strlist_push(&c->argv, "xl");
	strlist_push(&c->argv, "create");
	strlist_push(&c->argv, "-c");
	strlist_push_owned(&c->argv,
			   o->dry_run ? xasprintf("%s/%s.run-PID.xl", p->builddir, p->config.name)
				      : xstrdup(c->temp_image));
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int parse_status(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= 255 ? (int)v : -1;
}

static int xen_run(const struct project *p, const struct run_opts *o, const struct run_cmd *c,
		   int64_t deadline_ms)
{
	const char *name = p->config.name;
	char *create[] = {"xl", "create", c->temp_image, NULL};
	struct proc_opts quiet = PROC_OPTS_INIT;
	if (proc_run(create, &quiet, "xl create") < 0)
		return failed(FAIL_RUNNER);
	char domid[32], key[96], value[64];
	char *get_id[] = {"xl", "domid", (char *)name, NULL};
	if (proc_capture(get_id, domid, sizeof(domid)) != 0 || !*domid ||
	    strspn(domid, "0123456789") != strlen(domid)) {
		error("xl created the domain '%s' but does not know its id", name);
		return failed(FAIL_RUNNER);
	}
	snprintf(key, sizeof(key), "/local/domain/%s/data/mirage-exit-status", domid);
	char *console[] = {"xl", "console", (char *)name, NULL};
	pid_t cons = proc_spawn(console, NULL);
	int status = -1;
	for (int tick = 0;; tick++) {
		if (run_interrupted()) {
			status = 128 + run_interrupted();
			break;
		}
		if (deadline_ms && proc_now_ms() >= deadline_ms) {
			error("the unikernel did not exit within %g s: stopped", o->timeout);
			status = RUN_TIMED_OUT;
			break;
		}
		char *read_status[] = {"xenstore-read", key, NULL};
		if (proc_capture(read_status, value, sizeof(value)) == 0) {
			status = parse_status(value);
			if (status < 0)
				status = RUN_CRASHED;
			break;
		}
		/* a domain gone, or crashed without a status */
		char list[512];
		char *get_state[] = {"xl", "list", (char *)name, NULL};
		if (tick % 10 == 9 && (proc_capture(get_state, list, sizeof(list)) != 0 ||
				       strstr(list, "--c-") || strstr(list, "-c--"))) {
			error("the domain '%s' crashed or went away without an exit status", name);
			status = RUN_CRASHED;
			break;
		}
		sleep_ms(POLL_MS);
	}
	/* the console's last lines, then the domain goes */
	sleep_ms(200);
	char *destroy[] = {"xl", "destroy", (char *)name, NULL};
	proc_run(destroy, &quiet, "xl destroy");
	if (cons > 0) {
		struct proc_status st;
		bool to;
		proc_wait(cons, proc_now_ms() + 2000, 500, &st, &to);
	}
	return status;
}

/* Not called: xen_run reports the status. */
static int xen_status(const struct project *p, const struct run_cmd *c,
		      const struct proc_status *st)
{
	(void)p, (void)c;
	return proc_status_code(st);
}

const struct runner runner_xen = {
    .name = "xen",
    .artifact_kind = "kernel",
    .mem_min = 8,
    .mem_max = 1 << 20,
    .net_bridge = true,
    .command = xen_command,
    .status = xen_status,
    .run = xen_run,
};
