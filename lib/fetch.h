/* fetch.h: source archives named in the description (fetch:): downloaded
 * once with libcurl, checked against their sha256, unpacked into the cache
 * (CACHE/fetch/SHA256/), and compiled like the user's sources. The only seam
 * to libcurl. */
#ifndef MIRAGE_FETCH_H
#define MIRAGE_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* The directory holding f's unpacked archive: from the cache, or, when
 * download is true, after downloading and checking it (at most
 * MIRAGE_FETCH_TIMEOUT seconds, default 300, per attempt; three attempts when
 * the network or the server fails). Returns a new string; NULL when it is
 * not in the cache and download is false (no error), or when it could not be
 * had (errors recorded at f's position). Concurrent fetches of one archive
 * wait for each other; a cache entry without its completion marker, or left
 * by an interrupted fetch, is made afresh. */
char *fetch_get(const struct fetch *f, const char *cachedir, bool download);
/* The most an archive may weigh, downloaded and unpacked:
 * MIRAGE_FETCH_MAX_MB MiB (default 1024). */
uint64_t fetch_max_bytes(void);

#endif
