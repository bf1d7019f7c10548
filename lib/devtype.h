/* devtype.h: the device types a description can declare, as the tool sees
 * them: the rows of targets/common/include/mirage_devtypes.h, the one
 * definition shared with the runtimes and the monitor. Which implementation
 * serves a type is the target's business (target.yaml). */
#ifndef MIRAGE_DEVTYPE_H
#define MIRAGE_DEVTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "mirage_devtypes.h"

/* What a type's init function takes besides the name and the handle (see
 * INIT_ARG in mirage_devtypes.h). */
enum devtype_init { DEVTYPE_INIT_NONE, DEVTYPE_INIT_SOURCE, DEVTYPE_INIT_STACK };

struct devtype {
	enum mirage_devtype value; /* in the manifest */
	const char *name;	   /* as written in mirage.yaml: "network" */
	const char *c_enum;	   /* "MIRAGE_DEV_NET" */
	const char *c_struct;	   /* the handle's struct in mirage.h: "mirage_net" */
	const char *init;	   /* the runtime's init function */
	enum devtype_init init_arg;
	const char *attach_flag; /* "net" for --net:NAME=TAP, or NULL: never attached */
	const char *placeholder; /* what the attach flag takes: "TAP" */
	const char *doc;
};

/* The type named name, or NULL. */
const struct devtype *devtype_find(const char *name);
/* The type with a manifest value, or NULL. */
const struct devtype *devtype_of(unsigned value);
/* NULL-terminated list of names, in table order, for suggestions. */
const char *const *devtype_names(void);
/* The number of types. */
size_t devtype_count(void);

#endif
