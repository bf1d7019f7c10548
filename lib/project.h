/* project.h: what every command starts from: the description, the chosen
 * target and architecture, the resolved device graph, the build directory and
 * its plan; and where the tool finds its data and keeps its cache. */
#ifndef MIRAGE_PROJECT_H
#define MIRAGE_PROJECT_H

#include <stdbool.h>

#include "config.h"
#include "graph.h"
#include "plan.h"
#include "target.h"

/* Exit statuses of the mirage commands (README, "Exit codes"). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		 /* anything else: I/O, a broken installation */
	EXIT_USAGE = 2,		 /* bad command line */
	EXIT_DESCRIPTION = 3,	 /* the description is invalid or the target cannot serve it */
	EXIT_BUILD = 4,		 /* the toolchain failed */
	EXIT_RUN_SETUP = 125,	 /* mirage run: failed before the unikernel started */
	EXIT_RUN_NOEXEC = 126,	 /* mirage run: the unikernel could not be executed */
	EXIT_RUN_NOTFOUND = 127, /* mirage run: a program it needs is missing */
};

struct project_opts {
	const char *file;   /* the description; default mirage.yaml */
	const char *target; /* -t; NULL: see project_open */
	const char *arch;   /* --arch; NULL: the configured one, else this machine's */
	const char *outdir; /* -o; NULL: _build/TARGET-ARCH beside the description */
	bool use_last;	    /* without -t, take the target last configured there */
	bool download;	    /* download the archives of fetch: that are not cached */
};

struct project {
	char *datadir;	    /* holds targets/ and templates/ */
	char *targets_root; /* datadir/targets */
	char *cachedir;
	struct config config;
	struct target target;
	struct graph graph;
	struct plan plan;
	char *builddir; /* as shown to the user (relative when possible) */
	char *builddir_abs;
	bool have_config, have_target, have_graph, have_plan;
};

/* Finds the data directory: $MIRAGE_DATADIR, else the directory of the
 * mirage binary when it holds targets/ and templates/ (a source tree), else
 * BINDIR/../share/mirage. Returns a new string, or NULL (recorded). */
char *project_datadir(void);
/* $MIRAGE_CACHE_DIR, else $XDG_CACHE_HOME/mirage, else ~/.cache/mirage. */
char *project_cachedir(void);

/* Loads the description, chooses the target (-t; else, with use_last, the
 * one last configured beside the description; else $MIRAGE_DEFAULT_TARGET;
 * else unix) and architecture, loads the target, resolves the graph and makes
 * the plan. Returns EXIT_OK or the exit status for the first failure (errors
 * recorded). Release p in every case. */
int project_open(struct project *p, const struct project_opts *o);
/* Writes the build directory (and remembers it as the last configured one).
 * Returns the number of files rewritten, or -1. */
int project_configure(struct project *p);
void project_release(struct project *p);

/* The artifact's path as shown to the user. Caller frees. */
char *project_artifact(const struct project *p);

#endif
