/* xenbus.h: devices of the XenBus (xenbus.c), for netfront and blkfront. */
#ifndef XEN_XENBUS_H
#define XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>

#include "xen.h"

struct xenbus_dev {
	char front[64];	 /* device/vif/0 */
	char back[128];	 /* /local/domain/0/backend/vif/3/0 */
	uint16_t backend_id;
};

/* The nth device of class cls ("device/vif") by numeric order of its
 * entries, with its backend. 0, or -1 (none; a broken entry is said). */
int xenbus_find(const char *cls, int nth, struct xenbus_dev *d);
/* A key of the front end's directory, or the backend's (back). */
int xenbus_read(const struct xenbus_dev *d, int back, const char *key, char *buf, size_t size);
/* A number of the backend's directory. */
int xenbus_read_u64(const struct xenbus_dev *d, const char *key, uint64_t *v);
/* Writes a key of the front end's directory. */
int xenbus_write(const struct xenbus_dev *d, const char *key, uint64_t v);
int xenbus_write_str(const struct xenbus_dev *d, const char *key, const char *value);
/* Waits (10 s at most) for the backend's state to be one of mask; says what
 * it waited for when it does not. Returns the state or -1. */
int xenbus_wait_backend(const struct xenbus_dev *d, unsigned mask, const char *what);
/* Says on the console why the device failed. */
void xenbus_fail(const struct xenbus_dev *d, const char *what);

#endif
