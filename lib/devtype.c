/* devtype.c: the table of device types. */
#include "devtype.h"

#include <string.h>

#include "util.h"

static const struct devtype types[] = {
    {"console", "mirage_console", false, false, NULL, "text output (the serial console)"},
    {"network", "mirage_net", false, true, "net", "an Ethernet interface"},
    {"block", "mirage_block", false, true, "block", "a disk of fixed-size sectors"},
    {"kv_ro", "mirage_kv", true, false, NULL,
     "a read-only key-value store: a directory embedded in the image"},
};

static const char *const names[] = {"console", "network", "block", "kv_ro", NULL};

const struct devtype *devtype_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const struct devtype *devtype_all(size_t *n)
{
	*n = ARRAY_SIZE(types);
	return types;
}

const char *const *devtype_names(void)
{
	return names;
}
