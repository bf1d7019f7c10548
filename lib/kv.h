/* kv.h: the files a kv_ro device embeds: every regular file below its
 * `source:` directory, keyed by its path there. Links are followed only when
 * they stay inside that directory, and never in a loop; the project's
 * _build directory is never embedded. */
#ifndef MIRAGE_KV_H
#define MIRAGE_KV_H

#include "config.h"

/* Appends the keys of device d's files to keys, sorted by byte value (the
 * runtime looks keys up by bisection). Returns 0 or -1 (recorded at the
 * device's source). */
int kv_collect(const struct config *c, const struct device *d, struct strlist *keys);

#endif
