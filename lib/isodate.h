/* isodate.h: setting every date of an ISO9660 image, so that the same files
 * give the same bytes whenever they are written (libarchive stamps volume
 * and directory dates with the clock and has no option against it). */
#ifndef MIRAGE_ISODATE_H
#define MIRAGE_ISODATE_H

#include <time.h>

/* Sets the dates of the primary volume descriptor, of every directory
 * record and of their Rock Ridge timestamps, in the image at path, to t
 * (UTC). A Joliet tree is not handled. Returns 0 or -1 (recorded). */
int iso_set_dates(const char *path, time_t t);

#endif
