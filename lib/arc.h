/* arc.h: archives through libarchive, the only seam to it: writing a
 * bootable ISO9660 image, and unpacking a downloaded source archive. */
#ifndef MIRAGE_ARC_H
#define MIRAGE_ARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct arc_file {
	const char *path; /* in the image; a NULL data and 0 len with dir set: a directory */
	const void *data;
	size_t len;
	int dir;
	int exec; /* a file with execute permission (0755; else 0644) */
};

/* Writes an El Torito (no emulation) ISO9660 image (Rock Ridge, no Joliet)
 * at out holding files, booting boot (a path among them) with its
 * catalogue at catalog; the files are dated t (the volume's own dates are
 * libarchive's: see isodate.h). Returns 0 or -1 (recorded). */
int arc_write_iso(const char *out, const struct arc_file *files, size_t n, const char *boot,
		  const char *catalog, time_t t);
/* Writes a tar archive (gzip-compressed when gz) at out holding files in
 * their order, owned by 0:0 with no user names, dated t: the same files give
 * the same bytes. Returns 0 or -1 (recorded). */
int arc_write_tar(const char *out, const struct arc_file *files, size_t n, time_t t, bool gz);
/* Writes a gzip-compressed GNU tar at out holding one file, name, with
 * the bytes of the file at path followed by zeros up to size, dated t;
 * streamed, whatever its size. Returns 0 or -1 (recorded). */
int arc_write_targz_file(const char *out, const char *name, const char *path, uint64_t size,
			 time_t t);
/* Unpacks the archive at path (tar in any compression, zip, ...) into dir,
 * which must exist and be empty, streaming each file to disk. Refused, with
 * a message naming `what`: an entry that would land outside dir (an
 * absolute path, "..", a link pointing out, a path through a link), a
 * device or fifo, and more than max_bytes of file data in all. Hard links
 * and symbolic links that stay inside are kept. With only (NULL-terminated),
 * only the entries that are one of its paths or lie below one are unpacked.
 * Returns 0 or -1 (recorded). */
int arc_unpack(const char *path, const char *dir, const char *what, uint64_t max_bytes,
	       const char *const *only);

#endif
