/* devtype.c: the device types, made from the shared table. */
#include "devtype.h"

#include <string.h>

#include "util.h"

static const struct devtype types[] = {
#define ROW(id, name, value, st, init, arg, attach, placeholder, doc) \
	{MIRAGE_DEV_##id,    name,   "MIRAGE_DEV_" #id, #st, #init,   \
	 DEVTYPE_INIT_##arg, attach, placeholder,	doc},
    MIRAGE_DEVICE_TYPES(ROW)
#undef ROW
};

static const char *const names[] = {
#define NAME(id, name, ...) name,
    MIRAGE_DEVICE_TYPES(NAME)
#undef NAME
	NULL};

const struct devtype *devtype_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const struct devtype *devtype_of(unsigned value)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (types[i].value == value)
			return &types[i];
	return NULL;
}

const char *const *devtype_names(void)
{
	return names;
}

size_t devtype_count(void)
{
	return ARRAY_SIZE(types);
}
