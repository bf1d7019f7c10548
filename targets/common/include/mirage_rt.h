/*
 * mirage_rt.h: the interface between the code `mirage configure` generates
 * (main.c, kv_*.c) and the common runtime. User code MUST NOT use it.
 */
#ifndef MIRAGE_RT_H
#define MIRAGE_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirage_api.h"

enum mirage_devtype { MIRAGE_DEV_CONSOLE, MIRAGE_DEV_NET, MIRAGE_DEV_BLOCK, MIRAGE_DEV_KV };

/* The devices a unikernel declares, by name and type (manifest.json in C). */
struct mirage_manifest_entry {
	const char *name;
	enum mirage_devtype type;
};
struct mirage_manifest {
	const char *unikernel;
	size_t n;
	const struct mirage_manifest_entry *devices;
};
/* Generated into main.c. */
extern const struct mirage_manifest mirage_manifest;
/* Generated into main.c: parses the boot arguments, initialises the devices,
 * calls start. Returns the unikernel's exit status. */
int mirage_main(int argc, char **argv);

/* "network" for MIRAGE_DEV_NET, and so on. */
const char *mirage_devtype_name(enum mirage_devtype t);
/* The manifest entry named name, or NULL. */
const struct mirage_manifest_entry *mirage_manifest_find(const char *name);

/* --- boot arguments ------------------------------------------------------- */

enum mirage_arg_type { MIRAGE_ARG_STRING, MIRAGE_ARG_INT, MIRAGE_ARG_BOOL };

struct mirage_arg_spec {
	const char *name;
	enum mirage_arg_type type;
	bool has_default; /* when false, the argument is required */
	const char *def_string;
	int64_t def_int;
	bool def_bool;
	const char *doc;
	size_t offset; /* of the field in struct mirage_args */
};

enum { MIRAGE_ARGS_OK = 0, MIRAGE_ARGS_HELP = 1, MIRAGE_ARGS_ERROR = -1 };

/* Fills the struct at out (a struct mirage_args) from defaults and argv[1..]:
 * `--name=value`, `--name` alone for a bool (true), `--help`. Returns
 * MIRAGE_ARGS_OK; MIRAGE_ARGS_HELP after printing the usage; or
 * MIRAGE_ARGS_ERROR after printing a message naming the argument. String
 * values point into argv. */
int mirage_args_parse(const char *unikernel, const struct mirage_arg_spec *specs, size_t n,
		      void *out, int argc, char **argv);

/* Splits a kernel command line, in place, into argv for mirage_main:
 * argv[0] is the unikernel's name, then the words of cmdline (separated by
 * blanks; "..." keeps blanks and is removed), the first word dropped when
 * skip (multiboot's kernel path). At most max entries, then NULL: argv has
 * room for max + 1. Returns argc. */
int mirage_args_split(char *cmdline, int skip, char **argv, int max);

/* --- device initialisation (called by main.c, in order) ------------------- */

mirage_result mirage_console_init(const char *name, struct mirage_console **out);
mirage_result mirage_net_init(const char *name, struct mirage_net **out);
mirage_result mirage_block_init(const char *name, struct mirage_block **out);

struct mirage_kv_entry {
	const char *key;
	const unsigned char *data;
	size_t len;
};
struct mirage_kv_data {
	size_t n;
	const struct mirage_kv_entry *entries; /* sorted by key (strcmp) */
};
mirage_result mirage_kv_init(const char *name, const struct mirage_kv_data *data,
			     struct mirage_kv **out);

/* Prints why device name failed to initialise; returns MIRAGE_EXIT_DEVICE. */
int mirage_device_failed(const char *name, enum mirage_devtype type, mirage_result r);

/* Writes a NUL-terminated string to the console. */
void mirage_console_puts(const char *s);

#endif
