/* build.h: runs a plan: only the steps whose output is missing, whose command
 * changed, or whose inputs (headers included) are newer; compiles in
 * parallel. Outputs are written under a temporary name and renamed, so a
 * failed or interrupted build leaves the previous artifact intact. */
#ifndef MIRAGE_BUILD_H
#define MIRAGE_BUILD_H

#include <stdbool.h>

#include "plan.h"

struct build_opts {
	int jobs;      /* compiles at once; at least 1 */
	bool dry_run;  /* print the commands that would run, run none */
	bool verbose;  /* print every command as it runs */
	bool progress; /* a [n/N] line per step (for terminals) */
};

/* Returns the number of steps run (or that would run), or -1 when a step
 * failed (its output is on stderr) or could not start. */
int build_run(const struct plan *p, const struct build_opts *o);

#endif
