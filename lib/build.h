/* build.h: runs a plan: only the steps whose output is missing, whose command
 * changed, whose inputs (headers included) are newer, or (in the cache)
 * whose output no longer has the digest recorded beside it; as many at once
 * as allowed, each starting once the steps making its inputs are done.
 * Outputs are written under a temporary name of this process and renamed, so
 * a failed or interrupted build leaves the previous artifact intact; each
 * step's messages are printed whole when it ends. */
#ifndef MIRAGE_BUILD_H
#define MIRAGE_BUILD_H

#include <stdbool.h>

#include "plan.h"

struct build_opts {
	int jobs;      /* steps at once; at least 1 */
	bool dry_run;  /* print the commands that would run, run none */
	bool verbose;  /* print every command as it runs */
	bool progress; /* a [n/N] line per step (for terminals) */
};

/* Returns the number of steps run (or that would run), or -1 when a step
 * failed (its messages are on stderr) or could not start (FAIL_BUILD).
 * Holds the runtime cache entry's lock while it runs, so that builds
 * sharing it wait for each other instead of failing. */
int build_run(const struct plan *p, const struct build_opts *o);

#endif
