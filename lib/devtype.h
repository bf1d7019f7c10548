/* devtype.h: the device types a description can declare. They are the tool's
 * contract with user code (mirage.h); which implementation serves a type is
 * the target's business (target.yaml). */
#ifndef MIRAGE_DEVTYPE_H
#define MIRAGE_DEVTYPE_H

#include <stdbool.h>
#include <stddef.h>

struct devtype {
	const char *name;	 /* as written in mirage.yaml: "network" */
	const char *c_struct;	 /* the handle's struct in mirage.h: "mirage_net" */
	bool has_source;	 /* takes a `source:` directory (kv_ro) */
	bool attached;		 /* given by `mirage run --TYPE:NAME=...` (net, block) */
	const char *attach_flag; /* "net", "block" or NULL */
	const char *doc;
};

/* The type named name, or NULL. */
const struct devtype *devtype_find(const char *name);
/* All types; *n receives their count. */
const struct devtype *devtype_all(size_t *n);
/* NULL-terminated list of names, for suggestions. */
const char *const *devtype_names(void);

#endif
