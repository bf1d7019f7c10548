/* library.h: a library every unikernel of a target links, described by
 * targets/common/NAME.yaml and named in target.yaml (libraries:). Either
 * mirage's own sources (the C library: its headers are those of user code
 * on every target), or sources a Debian package ships as a release archive
 * (newlib's libm), pinned by digest, unpacked into the cache and compiled
 * with glue of mirage's own. Each is compiled per target and architecture
 * into an archive of the cache (lib/NAME-TARGET-ARCH-KEY/libNAME.a). */
#ifndef MIRAGE_LIBRARY_H
#define MIRAGE_LIBRARY_H

#include <stdbool.h>

#include "util.h"
#include "yamldoc.h"

struct library_arch {
	const char *name;
	struct strlist sources; /* added to the library's on this architecture */
	struct strlist fp;	/* of them, those built with floating point */
};

struct library {
	char *file; /* as target.yaml names it, relative to the targets directory */
	const char *name;
	const char *doc;
	struct strlist include; /* directories given to the runtime and user code */
	struct strlist sources; /* relative to the targets directory, or to the
				 * archive's top directory for a package */
	struct strlist fp;	/* own sources built with floating point (the
				 * others get the target's runtime_cflags) */
	struct library_arch *arches;
	size_t narches;
	struct strlist cflags; /* a package's own flags */
	/* a package's release archive (NULL archive: the sources are mirage's) */
	const char *package; /* the Debian package that installs it */
	const char *version;
	const char *archive; /* its absolute path */
	const char *sha256;
	const char *top;		/* the directory the archive unpacks into */
	struct strlist unpack;		/* the paths below top that are unpacked */
	struct strlist private_include; /* below top, for the package's sources only */
	struct strlist glue;		/* mirage's sources compiled with the package's
					 * flags and headers (targets-relative) */
	struct ydoc yaml;
};

/* Reads root/rel. Returns 0 or -1 (recorded at positions in the file). */
int library_load(struct library *l, const char *root, const char *rel);
/* The same from memory. */
int library_parse(struct library *l, const char *root, const char *rel, const char *buf,
		  size_t len);
void library_release(struct library *l);
/* Every source of the library on arch (the library's, then the
 * architecture's), appended to out. */
void library_sources(const struct library *l, const char *arch, struct strlist *out);
/* Whether an own source is built with floating point on arch. */
bool library_fp(const struct library *l, const char *arch, const char *src);
/* Where the package's sources are unpacked in the cache
 * (CACHE/src/PACKAGE-KEY/TOP). Returns a new string. */
char *library_srcdir(const struct library *l, const char *cachedir);
/* Unpacks them there when missing, after checking the archive's digest.
 * Returns 0, or -1 (recorded: the package is not installed, or its archive
 * is not the one pinned). */
int library_unpack(const struct library *l, const char *cachedir);

#endif
