/* runner_hvt.c: the hvt runner: mirage-hvt, the project's KVM monitor, with
 * its options, the image, then the unikernel's boot arguments. The
 * monitor's status is the unikernel's, but HVT_STATUS_MONITOR (125), which
 * means the monitor itself failed. */
#include <stdlib.h>

#include "../targets/hvt/include/hvt_abi.h"
#include "../targets/hvt/tender/monitor.h"
#include "diag.h"
#include "run.h"

static int hvt_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	strlist_push_owned(&c->argv, run_monitor_path());
	if (o->mem)
		strlist_pushf(&c->argv, "--mem=%ld", o->mem);
	run_push_attachments(o, &c->argv);
	strlist_push_owned(&c->argv, run_artifact(p));
	strlist_push(&c->argv, "--");
	for (int i = 0; i < o->nargs; i++)
		strlist_push(&c->argv, o->args[i]);
	return 0;
}

static int hvt_status(const struct project *p, const struct run_cmd *c,
		      const struct proc_status *st)
{
	(void)p, (void)c;
	if (st->exited && st->code == HVT_STATUS_MONITOR) {
		error("mirage-hvt failed before the unikernel started (its message is above)");
		return failed(FAIL_RUNNER);
	}
	if (!st->exited) {
		error("mirage-hvt was killed by signal %d", st->signal);
		return failed(FAIL_RUNNER);
	}
	return st->code;
}

const struct runner runner_hvt = {
    .name = "hvt",
    .artifact_kind = "kernel",
    .mem_min = HVT_MEM_MIN >> 20,
    .mem_max = HVT_MEM_MAX >> 20,
    .takes_fd = true,
    .replaced = true,
    .in_process = hvt_monitor_main,
    .command = hvt_command,
    .status = hvt_status,
};
