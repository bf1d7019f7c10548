/* cacheent.h: a directory of the cache made once and never changed after:
 * an unpacked fetch: archive, an unpacked source package. Made in a
 * temporary directory under a lock, marked complete, then renamed into
 * place; a directory without its mark (an interrupted or broken attempt) is
 * made afresh, and what interrupted attempts left beside it is removed. */
#ifndef MIRAGE_CACHEENT_H
#define MIRAGE_CACHEENT_H

#include <stdbool.h>

struct cache_maker {
	/* Fills tmpdir (which exists and is empty); scratch names a file it
	 * may use, removed afterwards. Returns 0 or -1 (recorded). */
	int (*make)(const char *tmpdir, const char *scratch, void *arg);
	void *arg;
	const char *what; /* for "waiting for another mirage using WHAT" */
	const char *mark; /* written into the completion mark */
};

/* The directory top/name: returned at once when complete; else made with m
 * (NULL: not made, NULL returned without an error). Returns a new string,
 * or NULL (recorded when m failed). Concurrent makers of one entry wait for
 * each other. */
char *cache_entry(const char *top, const char *name, const struct cache_maker *m);

#endif
