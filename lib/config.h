/* config.h: the unikernel description (mirage.yaml, format version 1) as a
 * plain C model. Loading parses, then validates everything that can be checked
 * without a target; every error names file:line:col and the key path, and all
 * errors are reported in one run, not just the first. */
#ifndef MIRAGE_CONFIG_H
#define MIRAGE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "devtype.h"
#include "diag.h"
#include "strmap.h"
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
	const char *doc;    /* may be NULL */
	struct pos pos;	    /* of the argument's name */
	const char *field;  /* its field in struct mirage_args: the name, but for the
			     * arguments of a tcpip device (--N-ipv4: N_ipv4) */
	const char *device; /* the tcpip device that takes it, or NULL */
};

struct device {
	const char *name;
	const struct devtype *type; /* NULL when the description names no known type */
	struct pos pos;		    /* of the device's name */
	struct pos type_pos;	    /* of its type */
	char *source;		    /* kv_ro: the directory, relative to the description */
	struct pos source_pos;
	struct strlist after;  /* devices initialised before this one */
	struct pos *after_pos; /* position of each name in after */
	size_t *after_index;   /* each name's index in config.devices (SIZE_MAX: unknown) */
	const char *link;      /* tcpip: the network device its `network:` names */
	struct pos link_pos;
	size_t link_index; /* in config.devices */
};

/* A source archive to download, check, unpack and compile (fetch:). */
struct fetch {
	const char *url;
	const char *sha256;	/* 64 lowercase hex digits */
	struct strlist sources; /* patterns, relative to the unpacked archive */
	struct strlist include; /* directories, relative to the unpacked archive */
	struct strlist cflags;	/* for its sources only, after the unikernel's */
	struct pos pos, url_pos, sha256_pos;
	struct pos *sources_pos, *cflags_pos;
};

/* images: for every target (target NULL), or for one. */
struct config_images {
	const char *target;
	struct pos pos; /* of the target's key, or of the list */
	struct strlist kinds;
};

/* What the description is checked against besides itself. */
struct config_env {
	const struct strlist *targets; /* the installed targets; NULL: not checked */
	bool allow_unsafe_flags;       /* cflags that run or load host programs allowed */
};

struct config {
	char *path;    /* the file as the user named it */
	char *dir;     /* its directory: the project */
	char *realdir; /* the same, resolved: nothing the description names leaves it */
	const char *name;
	struct pos name_pos;
	struct strlist sources; /* expanded globs, relative to dir, in order, once each */
	struct strlist include; /* relative to dir */
	struct strlist cflags;
	struct pos *cflags_pos;
	struct strlist libs; /* archives and objects to link, relative to dir */
	struct config_images *images;
	size_t nimages;
	struct strlist targets; /* empty: any target */
	struct pos *targets_pos;
	struct pos targets_key_pos;
	struct device *devices;
	size_t ndevices;
	struct strmap device_index; /* name -> index in devices */
	struct arg *args;
	size_t nargs;
	struct fetch *fetches;
	size_t nfetches;
	bool valid;	     /* no error was found */
	struct strlist made; /* strings of the generated arguments (owned) */
	struct ydoc yaml;    /* owns every string and position above that is const */
};

/* Reads and validates the description at path. Returns 0, or -1 after
 * recording every error found (FAIL_DESCRIPTION). Either way c holds what
 * could be read (c->valid says whether all of it), for further checks that
 * report more errors in the same run; release it in every case. */
int config_load(struct config *c, const char *path, const struct config_env *env);
/* The same from memory; relative paths in it are resolved against dir. */
int config_parse(struct config *c, const char *path, const char *buf, size_t len, const char *dir,
		 const struct config_env *env);
void config_release(struct config *c);

/* The device named name, or NULL. */
const struct device *config_device(const struct config *c, const char *name);
/* The image kinds the description asks of target (its own entry, else the
 * one for every target), or NULL. */
const struct strlist *config_images(const struct config *c, const char *target);
const char *arg_type_name(enum arg_type type);

/* Why a compiler flag is unsafe (it runs or loads a program of its own
 * choice, or writes files of its choice), or NULL when it is not. */
const char *config_unsafe_flag(const char *flag);
/* Why name cannot name a device or an argument (a C keyword, a macro the
 * compiler or the C library defines), or NULL when it can. */
const char *config_reserved(const char *name);

#endif
