/* plan.h: the commands that turn a resolved unikernel into its artifact:
 * compile the runtime (into a cache shared by every project), compile the
 * generated and user sources, archive, link. `mirage build` runs a plan;
 * the generated Makefile is the same plan written for make. Targets whose
 * artifact is a flat image (objcopy: in target.yaml) link NAME.TARGET.elf
 * and copy it out to NAME.TARGET. */
#ifndef MIRAGE_PLAN_H
#define MIRAGE_PLAN_H

#include "graph.h"
#include "util.h"

enum step_kind { STEP_COMPILE, STEP_ARCHIVE, STEP_LINK, STEP_OBJCOPY };

struct step {
	enum step_kind kind;
	char *out;	       /* what the step makes */
	char *tmp;	       /* where argv writes it; renamed to out on success */
	char *depfile;	       /* compile: the headers it read (make syntax), or NULL */
	struct strlist inputs; /* files whose change makes the step run again */
	struct strlist argv;   /* the command */
	char *label;	       /* short name for progress: "cc unikernel.c" */
	char *cwd;	       /* where argv runs (relative paths in it and in the
				* depfile are relative to it), or NULL: anywhere */
};

struct plan {
	struct step *steps; /* compiles first, then the archive, then the link */
	size_t n;
	char *rtdir;	/* the runtime's cache directory */
	char *rtlib;	/* the runtime archive */
	char *artifact; /* the unikernel */
	char *builddir;
};

/* Builds the plan for g in builddir (absolute). Generated sources (main.c,
 * kv_*.c) are expected in builddir. The runtime is keyed by the content of
 * the target's runtime files and flags, under cachedir. The archives of
 * fetch: come from the cache, downloaded first when download is true (else
 * those not cached are left out of the plan). Returns 0 or -1. */
int plan_make(struct plan *p, const struct graph *g, const char *builddir, const char *cachedir,
	      bool download);
void plan_release(struct plan *p);
/* The generated source files of g (main.c and one kv_NAME.c per kv_ro
 * device), relative to the build directory. */
void plan_generated_sources(const struct graph *g, struct strlist *out);
/* The artifact's file name: NAME.TARGET */
char *plan_artifact_name(const struct graph *g);

#endif
