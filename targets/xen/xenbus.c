/* xenbus.c: what netfront and blkfront share: finding the nth device of a
 * class in xenstore (device/vif, device/vbd: numbered entries, in numeric
 * order), its backend, and the XenBus handshake around writing the front
 * end's keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mirage_platform.h"
#include "xenbus.h"

#define SEC 1000000000ULL

static void say(const char *front, const char *what)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "xen: %s: %s\n", front, what);
	plat_console_write(msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int xenbus_find(const char *cls, int nth, struct xenbus_dev *d)
{
	static char list[4096];
	uint64_t ids[64];
	size_t n = 0;
	int count = xen_store_directory(cls, list, sizeof(list));
	const char *p = list;
	for (int i = 0; i < count && n < 64; i++, p += strlen(p) + 1) {
		uint64_t id = 0;
		const char *q = p;
		for (; *q >= '0' && *q <= '9' && id < 1000000000; q++)
			id = id * 10 + (uint64_t)(*q - '0');
		if (*q == '\0' && q != p)
			ids[n++] = id;
	}
	if (nth < 0 || (size_t)nth >= n)
		return -1;
	qsort(ids, n, sizeof(ids[0]), cmp_u64);
	memset(d, 0, sizeof(*d));
	snprintf(d->front, sizeof(d->front), "%s/%llu", cls, (unsigned long long)ids[nth]);
	char key[160];
	uint64_t dom;
	snprintf(key, sizeof(key), "%s/backend", d->front);
	if (xen_store_read(key, d->back, sizeof(d->back)) < 0 || !d->back[0]) {
		say(d->front, "no backend in xenstore");
		return -1;
	}
	snprintf(key, sizeof(key), "%s/backend-id", d->front);
	if (xen_store_read_u64(key, &dom) < 0 || dom >= DOMID_SELF) {
		say(d->front, "no backend-id in xenstore");
		return -1;
	}
	d->backend_id = (uint16_t)dom;
	return 0;
}

int xenbus_read(const struct xenbus_dev *d, int back, const char *key, char *buf, size_t size)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/%s", back ? d->back : d->front, key);
	return xen_store_read(path, buf, size);
}

int xenbus_read_u64(const struct xenbus_dev *d, const char *key, uint64_t *v)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/%s", d->back, key);
	return xen_store_read_u64(path, v);
}

int xenbus_write(const struct xenbus_dev *d, const char *key, uint64_t v)
{
	char path[192], value[24];
	snprintf(path, sizeof(path), "%s/%s", d->front, key);
	snprintf(value, sizeof(value), "%llu", (unsigned long long)v);
	return xen_store_write(path, value);
}

int xenbus_write_str(const struct xenbus_dev *d, const char *key, const char *value)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/%s", d->front, key);
	return xen_store_write(path, value);
}

int xenbus_wait_backend(const struct xenbus_dev *d, unsigned mask, const char *what)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/state", d->back);
	int state = xen_store_wait_state(path, mask, 10 * SEC);
	if (state < 0) {
		char msg[128];
		snprintf(msg, sizeof(msg), "the backend (%s) did not become %s in 10 s", d->back,
			 what);
		say(d->front, msg);
	}
	return state;
}

void xenbus_fail(const struct xenbus_dev *d, const char *what)
{
	say(d->front, what);
}
