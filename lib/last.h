/* last.h: _build/last.json, what the last configure beside a description
 * chose: the target, its architecture and build directory, and the
 * architecture and the implementations (--impl) last configured for every
 * target. It is data from disk, not
 * orders: reading it checks every value, and a build directory is taken only
 * inside _build/. */
#ifndef MIRAGE_LAST_H
#define MIRAGE_LAST_H

#include "util.h"

struct last {
	char *target;	       /* NULL when none */
	char *arch;	       /* NULL when none */
	char *builddir;	       /* relative to the description's directory, or NULL */
	struct strlist arches; /* "TARGET=ARCH", one per target */
	struct strlist impls;  /* "TARGET:TYPE=IMPL", the implementations chosen */
};
#define LAST_INIT                                            \
	{                                                    \
		NULL, NULL, NULL, STRLIST_INIT, STRLIST_INIT \
	}

/* Reads text into l (released first). A value that is not a name is left
 * out; a build directory outside _build/ is kept in *outside (caller frees)
 * and left out. Returns 0, or -1 when text is not a JSON object (l empty). */
int last_parse(const char *text, struct last *l, char **outside);
/* The architecture last configured for target, or NULL. */
const char *last_arch(const struct last *l, const char *target);
/* Appends to out the implementations last chosen for target ("TYPE=IMPL"). */
void last_impls(const struct last *l, const char *target, struct strlist *out);
/* Renders l as JSON. Caller frees. */
char *last_render(const struct last *l);
void last_release(struct last *l);

#endif
