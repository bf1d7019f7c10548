/*
 * mirage_devtypes.h: the device types, one row each. The tool (lib/devtype.c),
 * the code it generates, the runtimes and the hvt monitor all include this
 * file: adding a device type is one row here plus its implementations.
 *
 * X(ID, NAME, VALUE, STRUCT, INIT, INIT_ARG, ATTACH, PLACEHOLDER, DOC)
 *   ID           MIRAGE_DEV_<ID>, the type in C
 *   NAME         the type as written in mirage.yaml
 *   VALUE        its number in the device manifest (main.c, the ELF note);
 *                never reused or changed: images carry it
 *   STRUCT       the handle's struct in mirage.h (dev->NAME is a STRUCT *)
 *   INIT         the runtime function that initialises one device
 *   INIT_ARG     what INIT takes besides the device's name and where to put
 *                the handle: NONE; SOURCE (the files of its `source:`
 *                directory, embedded by the tool); or STACK (the network
 *                device its `network:` names, or NULL when the target's
 *                implementation takes none, and its boot arguments
 *                --NAME-ipv4 and --NAME-gateway, strings, "" when not given)
 *   ATTACH       NULL, or the flag that attaches it when the unikernel runs
 *                (`--ATTACH:NAME=PLACEHOLDER`); an attached type MUST be
 *                attached, and only declared devices may be
 *   PLACEHOLDER  what that flag takes, for messages ("TAP", "FILE")
 *   DOC          one line for `mirage targets` and messages
 */
#ifndef MIRAGE_DEVTYPES_H
#define MIRAGE_DEVTYPES_H

#include <stddef.h>

#define MIRAGE_DEVICE_TYPES(X)                                                          \
	X(CONSOLE, "console", 0, mirage_console, mirage_console_init, NONE, NULL, NULL, \
	  "text output (the console; printf writes to it too)")                         \
	X(NET, "network", 1, mirage_net, mirage_net_init, NONE, "net", "TAP",           \
	  "an Ethernet interface")                                                      \
	X(BLOCK, "block", 2, mirage_block, mirage_block_init, NONE, "block", "FILE",    \
	  "a disk of fixed-size sectors")                                               \
	X(KV, "kv_ro", 3, mirage_kv, mirage_kv_init, SOURCE, NULL, NULL,                \
	  "a read-only key-value store: a directory embedded in the image")             \
	X(TCPIP, "tcpip", 4, mirage_tcpip, mirage_tcpip_init, STACK, NULL, NULL,        \
	  "a TCP/IP stack (TCP, UDP, DHCP) over a network device")

enum mirage_devtype {
#define MIRAGE_DEVTYPE_ENUM_(id, name, value, ...) MIRAGE_DEV_##id = value,
	MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_ENUM_)
#undef MIRAGE_DEVTYPE_ENUM_
};

/* The number of types. Values run from 0 to MIRAGE_DEVTYPE_COUNT - 1 (the
 * assertions below, with the switch statements' distinct cases, say so). */
enum {
#define MIRAGE_DEVTYPE_INDEX_(id, ...) MIRAGE_DEVTYPE_INDEX_##id,
	MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_INDEX_)
#undef MIRAGE_DEVTYPE_INDEX_
	    MIRAGE_DEVTYPE_COUNT
};
#define MIRAGE_DEVTYPE_DENSE_(id, name, value, ...)                    \
	_Static_assert((value) >= 0 && (value) < MIRAGE_DEVTYPE_COUNT, \
		       "device type values run from 0 to the number of types - 1");
MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_DENSE_)
#undef MIRAGE_DEVTYPE_DENSE_

/* The type's name ("network"), or NULL for a value no row has. */
static inline const char *mirage_devtype_name(unsigned type)
{
	switch (type) {
#define MIRAGE_DEVTYPE_NAME_(id, name, value, ...) \
	case value:                                \
		return name;
		MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_NAME_)
#undef MIRAGE_DEVTYPE_NAME_
	}
	return 0;
}

/* The attach flag of the type ("net"), or NULL when it is not attached. */
static inline const char *mirage_devtype_attach(unsigned type)
{
	switch (type) {
#define MIRAGE_DEVTYPE_ATTACH_(id, name, value, st, init, arg, attach, ...) \
	case value:                                                         \
		return attach;
		MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_ATTACH_)
#undef MIRAGE_DEVTYPE_ATTACH_
	}
	return 0;
}

/* What the attach flag takes ("TAP"), or NULL. */
static inline const char *mirage_devtype_placeholder(unsigned type)
{
	switch (type) {
#define MIRAGE_DEVTYPE_PLACEHOLDER_(id, name, value, st, init, arg, attach, placeholder, ...) \
	case value:                                                                           \
		return placeholder;
		MIRAGE_DEVICE_TYPES(MIRAGE_DEVTYPE_PLACEHOLDER_)
#undef MIRAGE_DEVTYPE_PLACEHOLDER_
	}
	return 0;
}

/* When arg is "--FLAG:REST" for the attach flag FLAG of a type, returns that
 * type and points *rest at REST; else returns -1. */
static inline int mirage_devtype_attach_option(const char *arg, const char **rest)
{
	if (arg[0] != '-' || arg[1] != '-')
		return -1;
	for (unsigned t = 0; t < MIRAGE_DEVTYPE_COUNT; t++) {
		const char *flag = mirage_devtype_attach(t), *a = arg + 2;
		if (!flag)
			continue;
		while (*flag && *a == *flag)
			flag++, a++;
		if (!*flag && *a == ':') {
			*rest = a + 1;
			return (int)t;
		}
	}
	return -1;
}

#endif
