/* fast.c: the fast path of mirage run and of a no-op mirage build: the
 * question each asks of a stamp (lib/stamp.h), and when it may ask it. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

/* Whether cmd, as given, may take the fast path: run always; build when it
 * only builds and says so (no report, no dry run, one target). */
static bool allowed(const struct command *cmd, const struct cmd *c)
{
	if (cmd == &cmd_run)
		return true;
	return cmd == &cmd_build && !c->json && !c->dry_run && !build_is_matrix(c);
}

/* q for cmd as given; its extra (build's own options that change what it
 * makes) is the caller's to free. */
static void question(const struct command *cmd, const struct cmd *c, struct stamp_question *q)
{
	char *extra = xasprintf("%s%s", c->sbom ? "sbom:" : "", c->image ? c->image : "");
	*q = (struct stamp_question){cmd->name, &c->popts, extra};
}

int fast_open(const struct command *cmd, struct cmd *c)
{
	c->started_ns = stamp_now_ns();
	if (!allowed(cmd, c))
		return 0;
	struct stamp_question q;
	question(cmd, c, &q);
	int fresh = stamp_check(&q, &c->facts);
	free((char *)q.extra);
	if (fresh != 1)
		return 0;
	if (project_open_for_run(&c->p, &c->popts, &c->facts) < 0) {
		project_release(&c->p);
		stamp_facts_release(&c->facts);
		return 0;
	}
	if (c->verbose)
		fprintf(stderr,
			"mirage: nothing changed since the last build (%s): no configure, "
			"no plan\n",
			c->p.builddir);
	return 1;
}

void fast_record(const struct command *cmd, struct cmd *c, const struct strlist *said,
		 const struct strlist *outputs)
{
	if (c->p.fresh || !allowed(cmd, c))
		return;
	struct stamp_question q;
	question(cmd, c, &q);
	stamp_write(&q, &c->p, c->started_ns, said, outputs);
	free((char *)q.extra);
}
