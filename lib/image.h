/* image.h: the bootable and shippable images of a unikernel, beside its
 * kernel: a BIOS-bootable ISO (El Torito, ISOLINUX, mboot.c32) and a raw disk
 * (MBR, FAT, SYSLINUX) also converted to qcow2 by qemu-img, with the boot
 * arguments in their boot configuration. Images are reproducible: the same inputs give
 * the same bytes (timestamps are SOURCE_DATE_EPOCH, or 0). */
#ifndef MIRAGE_IMAGE_H
#define MIRAGE_IMAGE_H

#include "project.h"

/* Every kind of image, NULL-terminated: kernel, iso, disk, qcow2. */
extern const char *const image_kinds[];

/* Whether kind names an image this target makes ("kernel" always). */
bool image_known(const struct project *p, const char *kind);
/* The path of an image of kind beside the kernel: NAME.iso, NAME.disk, or the
 * kernel itself. Caller frees. */
char *image_path(const struct project *p, const char *kind);
/* Writes the image of kind (iso, disk) at out, booting the kernel with
 * cmdline (NULL: none). Written under a temporary name and renamed. */
int image_write(const struct project *p, const char *kind, const char *cmdline, const char *out);
/* For mirage run: the built image when cmdline is NULL (built first when
 * missing or older than the kernel), else a fresh one with these arguments.
 * *out receives its path; caller frees. */
int image_for_run(const struct project *p, const char *kind, const char *cmdline, char **out);

/* The images to make: `list` (from --image, comma-separated) when not
 * NULL, else the description's `images:`; "kernel" is always made. Unknown
 * names are errors (at their position in the description); names this
 * target does not make are errors from --image and skipped, with a
 * warning, from the description. Returns 0 or -1. */
int image_wanted(const struct project *p, const char *list, struct strlist *out);
/* Makes every image of kinds that is missing or older than the kernel.
 * Returns the number made, or -1. */
int image_update(const struct project *p, const struct strlist *kinds);

#endif
