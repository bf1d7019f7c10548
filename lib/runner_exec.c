/* runner_exec.c: the exec runner: the unikernel is a process (unix),
 * started directly or under the architecture's emulator (qemu-aarch64). It
 * takes its attachments itself, before "--" and the boot arguments. */
#include <stdlib.h>

#include "run.h"

static int exec_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	for (size_t i = 0; i < p->graph.arch->run.len; i++)
		strlist_push(&c->argv, p->graph.arch->run.items[i]);
	strlist_push_owned(&c->argv, run_artifact(p));
	run_push_attachments(o, &c->argv);
	strlist_push(&c->argv, "--");
	for (int i = 0; i < o->nargs; i++)
		strlist_push(&c->argv, o->args[i]);
	return 0;
}

/* The process's status is the unikernel's; a crash is reported by its
 * runtime, which then exits with RUN_CRASHED. */
static int exec_status(const struct project *p, const struct run_cmd *c,
		       const struct proc_status *st)
{
	(void)p, (void)c;
	return proc_status_code(st);
}

const struct runner runner_exec = {
    .name = "exec",
    .artifact_kind = "executable",
    .command = exec_command,
    .status = exec_status,
};
