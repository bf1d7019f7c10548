/* arc.h: archives through libarchive, the only seam to it: writing a
 * bootable ISO9660 image, and unpacking a downloaded source archive. */
#ifndef MIRAGE_ARC_H
#define MIRAGE_ARC_H

#include <stddef.h>
#include <time.h>

struct arc_file {
	const char *path; /* in the image; a NULL data and 0 len with dir set: a directory */
	const void *data;
	size_t len;
	int dir;
};

/* Writes an El Torito (no emulation) ISO9660 image at out holding files,
 * booting boot (a path among them) with its catalogue at catalog. Every
 * date in it is t. Returns 0 or -1 (recorded). */
int arc_write_iso(const char *out, const struct arc_file *files, size_t n, const char *boot,
		  const char *catalog, time_t t);
/* Unpacks the archive at path (tar in any compression, zip, ...) into dir,
 * which must exist. Entries that would land outside dir (absolute paths,
 * "..", links) are refused. Returns 0 or -1 (recorded, naming what). */
int arc_unpack(const char *path, const char *dir, const char *what);

#endif
