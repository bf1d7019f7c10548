/* run.c: mirage run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lib/diag.h"
#include "cmd.h"

static int run(struct cmd *c)
{
	c->run.verbose = c->verbose;
	c->run.dry_run = c->dry_run;
	if (run_check_options(&c->p, &c->run) < 0 || run_check_attachments(&c->p, &c->run) < 0 ||
	    build_project(c, false) < 0)
		return -1;
	fast_record(&cmd_run, c, NULL, NULL);
	project_unlock(&c->p); /* the run may last: others may build meanwhile */
	return run_unikernel(&c->p, &c->run);
}

static int set_timeout(struct cmd *c, const char *arg)
{
	char *end;
	double t = strtod(arg, &end);
	if (*end || end == arg || !isfinite(t) || t <= 0 || t > 1e7) {
		fprintf(stderr, "mirage run: --timeout takes a number of seconds, more than 0 and "
				"at most 10000000\n");
		return failed(FAIL_USAGE);
	}
	c->run.timeout = t;
	return 0;
}

static int set_mem(struct cmd *c, const char *arg)
{
	char *end;
	long mem = strtol(arg, &end, 10);
	if (*end || end == arg || mem < 1 || mem > 65536) {
		fprintf(stderr, "mirage run: --mem takes a number of MiB from 1 to 65536\n");
		return failed(FAIL_USAGE);
	}
	c->run.mem = mem;
	return 0;
}

static int set_accel(struct cmd *c, const char *arg)
{
	c->run.accel = arg;
	return 0;
}

static int set_image(struct cmd *c, const char *arg)
{
	c->run.image = arg;
	return 0;
}

static int set_machine(struct cmd *c, const char *arg)
{
	c->run.machine = arg;
	return 0;
}

static int set_dry_run(struct cmd *c, const char *arg)
{
	(void)arg;
	c->dry_run = true;
	return 0;
}

static int refuse_json(struct cmd *c, const char *arg)
{
	(void)c, (void)arg;
	fprintf(stderr, "mirage run: --json is not supported: the console is the unikernel's\n");
	return failed(FAIL_USAGE);
}

static const struct cmd_option options[] = {
    {"timeout", 0, "S", "stop the unikernel after S seconds (status 124)", set_timeout},
    {"mem", 0, "MB", "guest memory of a virtual machine (hvt: 64, virtio: 128)", set_mem},
    {"accel", 0, "A", "virtio: QEMU's accelerator, tcg (default) or kvm", set_accel},
    {"image", 0, "I", "virtio: boot the kernel (default), iso, disk or qcow2", set_image},
    {"machine", 0, "M", "virtio: QEMU's machine, x86_64: microvm (default) or pc", set_machine},
    {"dry-run", 0, NULL, "print the command, run nothing", set_dry_run},
    {"json", 0, NULL, NULL, refuse_json},
    {0}};

const struct command cmd_run = {
    .name = "run",
    .fn = run,
    .flags = CMD_PROJECT | CMD_USE_LAST | CMD_DOWNLOAD | CMD_PLAN | CMD_ATTACH | CMD_RUN_STATUS |
	     CMD_UNSAFE,
    .options = options,
    .summary = "run the unikernel with its devices attached",
    .help = "Builds when needed, then runs the unikernel with its devices attached and the\n"
	    "boot arguments ARGS (--name=value). The exit status is the unikernel's; 125\n"
	    "when mirage failed before starting it (options, description, build,\n"
	    "attachments, the monitor or QEMU failing), 126 when it could not be executed,\n"
	    "127 when a program it needs is missing, 124 when --timeout stopped it.\n",
};
