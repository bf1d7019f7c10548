/* schema.h: typed access to a yamldoc tree, reporting every mismatch at its
 * position with the key path ("devices.net0.type: ..."). Used by the
 * description (config.c) and target (target.c) readers. */
#ifndef MIRAGE_SCHEMA_H
#define MIRAGE_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"
#include "yamldoc.h"

/* Each function below returns 0, or -1 after recording an error at the node's
 * position; `path` names the value in messages ("" for the document root). */

/* Reports every key of map that is not in allowed, with a "did you mean". */
int schema_known_keys(const struct ynode *map, const char *path, const char *const *allowed);
/* Checks that node is of kind. */
int schema_expect(const struct ynode *node, const char *path, enum ynode_kind kind);
/* A scalar as a string (borrowed from the tree); no control characters (a
 * newline included: every string of a description is one line). */
int schema_string(const struct ynode *node, const char *path, const char **out);
/* The same, not empty. */
int schema_word(const struct ynode *node, const char *path, const char **out);
/* A plain scalar that is a decimal (or 0x hex) 64-bit signed integer. */
int schema_int(const struct ynode *node, const char *path, int64_t *out);
/* A plain scalar true or false. */
int schema_bool(const struct ynode *node, const char *path, bool *out);
/* A non-empty string or a list of them, appended to out. */
int schema_strings(const struct ynode *node, const char *path, struct strlist *out);
/* The same for map's optional key (absent: nothing appended). */
int schema_opt_strings(const struct ynode *map, const char *key, const char *path,
		       struct strlist *out);
/* Joins a path and a key: "devices" + "net0" = "devices.net0"; caller frees. */
char *schema_path(const char *path, const char *key);

/* Parses a 64-bit signed integer, decimal or 0x hex, with optional sign; the
 * whole string must be used. Returns 0 or -1. */
int parse_int64(const char *s, int64_t *out);

#endif
