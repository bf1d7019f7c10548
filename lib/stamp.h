/* stamp.h: the fast path of mirage run and of a no-op mirage build. When
 * the full check (configure, plan, build) found or made everything up to
 * date, a stamp records the question it answered (the tool, the command's
 * options, the working directory and the environment that choose a build:
 * the digest of all that names the stamp) and the evidence: the inode,
 * size, mtime and ctime of every file that check read (the description,
 * the target's data, the runtime's sources and headers, the user's sources
 * and the headers they included, kv_ro files, fetched sources, the tool
 * itself), of every directory it listed (a file added to it changes its
 * mtime), and of the outputs (the artifact, the images, the cached
 * runtime). The next command asking the same question stats them: all the
 * same, it opens the project for running only (no plan, no build) and goes
 * on; any difference, or a stamp missing, unreadable or odd, and it takes
 * the full path, which writes a new stamp. Correctness never rests on the
 * stamp: it is only ever a reason to skip a check whose answer it recorded.
 *
 * A file changed while the full check ran (its ctime within 50 ms of the
 * check's start, or after) gets no stamp written, so that a change racing
 * the build is not recorded as seen. Stamps live in _build/ (or the -o
 * directory) as .stamp-DIGEST, a file of text; like every state file they
 * are data: the build directory one names must be where the options would
 * put it. */
#ifndef MIRAGE_STAMP_H
#define MIRAGE_STAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "project.h"

/* What a command asks: its name, the options that choose the build and
 * what it makes (extra: a command's own, e.g. build's --image). */
struct stamp_question {
	const char *command;
	const struct project_opts *opts;
	const char *extra;
};

/* What a fresh stamp says about the build it recorded. */
struct stamp_facts {
	char *target, *arch;
	char *builddir;	      /* as shown to the user */
	struct strlist impls; /* TYPE=IMPL, as chosen */
	struct strlist said;  /* the lines a no-op build prints */
};

/* Whether the stamp of question q exists and every file it records is as
 * it was: then facts is filled (release it) and 1 is returned; else 0
 * (nothing recorded: the caller takes the full path). */
int stamp_check(const struct stamp_question *q, struct stamp_facts *facts);
void stamp_facts_release(struct stamp_facts *f);

/* After the full path succeeded for q on p (planned and built), started at
 * started_ns (CLOCK_REALTIME): writes the stamp, with the lines a no-op
 * build prints (said) and the files it made besides the plan's (outputs:
 * images); either may be NULL. Failing to write one is not an error: the
 * next command takes the full path again. */
void stamp_write(const struct stamp_question *q, const struct project *p, int64_t started_ns,
		 const struct strlist *said, const struct strlist *outputs);

/* CLOCK_REALTIME in nanoseconds, for stamp_write's started_ns. */
int64_t stamp_now_ns(void);

#endif
