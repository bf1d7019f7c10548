/* image.h: the images of a unikernel beside its kernel. Which kinds exist is
 * one table (image_kinds, in image.c); which kinds a target makes on an
 * architecture is data (`images:` in target.yaml). Images are reproducible:
 * the same inputs give the same bytes (dates are SOURCE_DATE_EPOCH, or 0). */
#ifndef MIRAGE_IMAGE_H
#define MIRAGE_IMAGE_H

#include <time.h>

#include "project.h"

struct image_kind {
	const char *name; /* as in --image and images: */
	const char *doc;
	bool bootable;		/* `mirage run --image` boots it (with QEMU) */
	const char *qemu_drive; /* how QEMU attaches it: the -drive options after file= */
	const char *qemu_boot;	/* and boots from it: -boot's letter */
	/* Writes the image at out (a name of the tool's own, in a directory of
	 * its own), booting p's kernel with cmdline (NULL: none). NULL for the
	 * kernel, which the build makes. Returns 0 or -1 (recorded). */
	int (*write)(const struct project *p, const char *cmdline, const char *out);
	const char *ext; /* the image's name is NAME.ext; NULL: NAME.name */
};

/* The time images carry: SOURCE_DATE_EPOCH when set and valid, else 0. */
time_t image_time(void);

/* The kind named name, or NULL. */
const struct image_kind *image_kind_find(const char *name);
/* Every kind's name, NULL-terminated. */
const char *const *image_kind_names(void);

/* The path of an image of kind beside the kernel: NAME.iso, NAME.disk,
 * NAME.oci, NAME.oci.tar, or the kernel itself. Caller frees. */
char *image_path(const struct project *p, const char *kind);
/* Writes the image of kind at out, booting the kernel with cmdline (NULL:
 * none): made in a temporary directory beside out, then renamed. */
int image_write(const struct project *p, const char *kind, const char *cmdline, const char *out);
/* For mirage run: the built image when cmdline is NULL (made first when
 * missing or older than the kernel), else a new one with these arguments,
 * under a name of its own (the caller removes it). With dry_run nothing is
 * written and *out is the name it would have. *out: caller frees. */
int image_for_run(const struct project *p, const char *kind, const char *cmdline, bool dry_run,
		  char **out);

/* The images to make: `list` (comma-separated, from `from`: --image or
 * MIRAGE_IMAGES) when not NULL, else the description's `images:` for this
 * target; "kernel" and the architecture's images_always are always made.
 * A kind the target does not make on this architecture is an error from
 * the list, naming why, and skipped silently from the description. Returns
 * 0 or -1 (recorded: FAIL_USAGE). */
int image_wanted(const struct project *p, const char *list, const char *from, struct strlist *out);
/* Makes every image of kinds that is missing or older than the kernel.
 * Returns the number made, or -1. */
int image_update(const struct project *p, const struct strlist *kinds);

#endif
