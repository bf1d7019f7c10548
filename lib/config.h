/* config.h: the unikernel description (mirage.yaml, format version 1) as a
 * plain C model. Loading parses, then validates everything that can be checked
 * without a target; every error names file:line:col and the key path, and all
 * errors are reported, not just the first. */
#ifndef MIRAGE_CONFIG_H
#define MIRAGE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "devtype.h"
#include "diag.h"
#include "util.h"
#include "yamldoc.h"

enum arg_type { ARG_STRING, ARG_INT, ARG_BOOL };

struct arg {
	const char *name;
	enum arg_type type;
	bool has_default; /* without a default the argument is required at boot */
	const char *def_string;
	int64_t def_int;
	bool def_bool;
	const char *doc; /* may be NULL */
	struct pos pos;	 /* of the argument's name */
};

struct device {
	const char *name;
	const struct devtype *type;
	struct pos pos;	     /* of the device's name */
	struct pos type_pos; /* of its type */
	char *source;	     /* kv_ro: the directory, relative to the description */
	struct pos source_pos;
	struct strlist after;  /* devices initialised before this one */
	struct pos *after_pos; /* position of each name in after */
};

/* A source archive to download, check, unpack and compile (fetch:). */
struct fetch {
	const char *url;
	const char *sha256;	/* 64 lowercase hex digits */
	struct strlist sources; /* patterns, relative to the unpacked archive */
	struct strlist include; /* directories, relative to the unpacked archive */
	struct pos pos, url_pos, sha256_pos;
	struct pos *sources_pos;
};

struct config {
	char *path; /* the file as the user named it */
	char *dir;  /* its directory */
	const char *name;
	struct pos name_pos;
	struct strlist sources; /* expanded globs, relative to dir, in order */
	struct strlist include; /* relative to dir */
	struct strlist cflags;
	struct strlist images; /* images to build beside the kernel: iso, disk */
	struct pos *images_pos;
	struct strlist targets; /* empty: any target */
	struct pos *targets_pos;
	struct pos targets_key_pos;
	struct device *devices;
	size_t ndevices;
	struct arg *args;
	size_t nargs;
	struct fetch *fetches;
	size_t nfetches;
	struct ydoc yaml; /* owns every string and position above that is const */
};

/* Reads and validates the description at path. Returns 0, or -1 after
 * recording every error found (and leaving c released). */
int config_load(struct config *c, const char *path);
/* The same from memory; relative paths in it are resolved against dir. */
int config_parse(struct config *c, const char *path, const char *buf, size_t len, const char *dir);
void config_release(struct config *c);

const struct device *config_device(const struct config *c, const char *name);
const char *arg_type_name(enum arg_type type);

#endif
