/* plan.h: the commands that turn a resolved unikernel into its artifact:
 * compile the runtime (into a cache shared by every project), compile the
 * generated and user sources, archive, link. `mirage build` runs a plan;
 * the generated Makefile is the same plan written for make. Every path in a
 * command is absolute (the compiler's messages are given back with the
 * paths the user wrote), so depfiles and the Makefile work from anywhere.
 * Targets whose artifact is a flat image (objcopy: in target.yaml) link
 * NAME.TARGET.elf and copy it out to NAME.TARGET. */
#ifndef MIRAGE_PLAN_H
#define MIRAGE_PLAN_H

#include <stdbool.h>

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
	char *cwd;	       /* where argv runs, or NULL: anywhere */
	char *shown_from;      /* in its messages, this path prefix ... */
	char *shown_as;	       /* ... is shown as this one (NULL: as it is) */
	bool seals;	       /* an archive of the cache named by the digest of all
				* that goes into it: once made, its inputs need no look */
	size_t seal;	       /* 1 + the index of the archive that seals this step, or 0 */
};

struct plan {
	struct step *steps; /* in an order where a step's inputs come before it */
	size_t n;
	char *rtdir;		  /* the runtime's cache directory */
	char *rtlib;		  /* the runtime archive */
	struct strlist libraries; /* the archives of the target's libraries */
	struct strlist hashed;	  /* the files and directories read to key them and
				   * the runtime (for the fast path's stamp) */
	struct strlist user_libs; /* the description's libs:, absolute */
	char *artifact;		  /* the unikernel */
	char *builddir;
	struct strlist *kv_keys; /* per device of the graph (in its order): a kv_ro
				  * device's files, else empty */
	size_t ndevices;
};

/* Builds the plan for g in builddir (absolute). Generated sources (main.c,
 * kv_*.S) are expected in builddir. The runtime is keyed by the content of
 * the target's runtime files and flags, under cachedir, and each library by
 * its own (a package's sources are expected where library_unpack puts
 * them). fetch_dirs holds the unpacked archive of each fetch: entry (NULL:
 * not available, left out). Returns 0 or -1 (recorded). */
int plan_make(struct plan *p, const struct graph *g, const char *builddir, const char *cachedir,
	      const char *const *fetch_dirs);
void plan_release(struct plan *p);
/* The generated source files of g (main.c and one kv_NAME.S per kv_ro
 * device), relative to the build directory. */
void plan_generated_sources(const struct graph *g, struct strlist *out);
/* The artifact's file name: NAME.TARGET */
char *plan_artifact_name(const struct graph *g);

#endif
