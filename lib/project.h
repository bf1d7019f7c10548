/* project.h: what every command starts from: the description, the chosen
 * target and architecture, the resolved device graph and the build
 * directory; then, as steps of their own, the fetched archives and the build
 * plan. Also where the tool finds its data and keeps its cache. */
#ifndef MIRAGE_PROJECT_H
#define MIRAGE_PROJECT_H

#include <stdbool.h>

#include "config.h"
#include "graph.h"
#include "plan.h"
#include "target.h"

struct project_opts {
	const char *file;	 /* -f; NULL: mirage.yaml here or in a parent directory */
	const char *target;	 /* -t; NULL: see project_open */
	const char *arch;	 /* --arch; NULL: see project_open */
	const char *outdir;	 /* -o; NULL: _build/TARGET-ARCH beside the description */
	bool use_last;		 /* without -t, take the target last configured there */
	bool allow_unsafe_flags; /* cflags that run or load host programs are allowed */
	bool offline;		 /* never download: a missing fetch: archive is an error */
	struct strlist impls;	 /* --impl TYPE=IMPL, in order; see project_open */
};

struct project {
	char *datadir;	    /* holds targets/ and templates/ */
	char *targets_root; /* datadir/targets */
	char *cachedir;
	struct strlist installed; /* the installed targets */
	struct config config;
	struct target target;
	struct graph graph;
	struct plan plan;
	struct strlist impls; /* the implementations chosen, "TYPE=IMPL" (the graph's) */
	char **fetch_dirs;    /* per fetch: entry, its unpacked archive (NULL: not had) */
	char *builddir;	      /* as shown to the user (relative when possible) */
	char *builddir_abs;
	int lock; /* held on the build directory from configure on, or -1 */
	bool have_config, have_target, have_graph, have_plan;
	bool offline; /* project_fetch: a missing archive is an error */
	bool fresh;   /* opened by project_open_for_run: built, nothing changed */
};

struct stamp_facts;

/* Finds the data directory: $MIRAGE_DATADIR, else the directory of the
 * mirage binary when it holds targets/ and templates/ (a source tree), else
 * BINDIR/../share/mirage. Returns a new string, or NULL (recorded). */
char *project_datadir(void);
/* mirage.yaml here, else in the nearest parent directory that has one (a
 * relative path: "../mirage.yaml"); NULL when there is none. Caller frees. */
char *project_find_description(void);
/* $MIRAGE_CACHE_DIR, else $XDG_CACHE_HOME/mirage, else ~/.cache/mirage. */
char *project_cachedir(void);

/* Loads the description, chooses the target and architecture, loads the
 * target, resolves the graph and chooses the build directory:
 *   target: -t; else, with use_last, the one last configured beside the
 *     description; else $MIRAGE_DEFAULT_TARGET; else unix;
 *   architecture: --arch; else the one last configured for that target
 *     beside the description; else this machine's;
 *   build directory: -o; else _build/TARGET-ARCH (or the one a configure
 *     with -o inside _build/ recorded);
 *   implementations: the target's defaults, but for the types --impl names
 *     (the last --impl of a type wins) and those last chosen for the target
 *     beside the description (choices it no longer offers are dropped).
 * Every error of the description, its targets and its devices is reported
 * in this one call. Returns 0 or -1 (recorded, with its category). Release
 * p in every case. */
int project_open(struct project *p, const struct project_opts *o);
/* The fast path (stamp.h): opens the project as the stamp's facts say it
 * was last built (target, architecture, implementations, build directory),
 * for running only: no libraries, no plan, p->fresh set. Returns 0, or -1
 * with nothing reported (the caller takes the full path: release p). */
int project_open_for_run(struct project *p, const struct project_opts *o,
			 const struct stamp_facts *f);
/* The archives of fetch:, from the cache, or downloaded (download) when
 * missing. Without download, those missing are left out (NULL) silently.
 * The sources of the target's package libraries, unpacked when missing.
 * Returns 0 or -1 (FAIL_FETCH, or FAIL_ERROR when a package is missing). */
int project_fetch(struct project *p, bool download);
/* Whether downloads are forbidden: --offline, or MIRAGE_OFFLINE set (not
 * to "" or "0"). */
bool project_offline(const struct project_opts *o);
/* The build plan (after project_fetch). Returns 0 or -1. */
int project_plan(struct project *p);
/* Writes the build directory (after project_plan) and remembers it as the
 * last configured one. From then on, until project_release, p holds the
 * build directory's lock: another mirage building there waits. Returns the
 * number of files rewritten, or -1. */
int project_configure(struct project *p);
/* Lets other mirage processes build in the build directory again (before a
 * run, which may last). */
void project_unlock(struct project *p);
void project_release(struct project *p);

/* The artifact's path as shown to the user. Caller frees. */
char *project_artifact(const struct project *p);

#endif
