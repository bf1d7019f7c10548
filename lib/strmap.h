/* strmap.h: a hash map from strings to indices, for checks that must stay
 * linear however large a hostile description is (duplicate keys, device
 * names, build steps by output). Keys are borrowed: they must outlive the
 * map. */
#ifndef MIRAGE_STRMAP_H
#define MIRAGE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap {
	struct strmap_slot {
		const char *key;
		size_t value;
	} * slots;
	size_t n, cap;
};
#define STRMAP_INIT        \
	{                  \
		NULL, 0, 0 \
	}

/* Adds key -> value unless key is there. Returns true when added, false when
 * key was there (its value is left). */
bool strmap_add(struct strmap *m, const char *key, size_t value);
/* The value of key in *value; false when absent. */
bool strmap_get(const struct strmap *m, const char *key, size_t *value);
void strmap_release(struct strmap *m);

#endif
