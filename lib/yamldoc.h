/* yamldoc.h: a YAML document as a small tree whose every node knows its
 * file:line:col. The only seam to libyaml: nothing else includes <yaml.h>. */
#ifndef MIRAGE_YAMLDOC_H
#define MIRAGE_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	struct pos pos;
	char *str;	      /* scalar: its value (NUL-terminated; may hold NULs before) */
	size_t len;	      /* scalar: length of str */
	bool plain;	      /* scalar: written without quotes (so 7 and true are typed) */
	size_t n;	      /* seq and map: number of items */
	struct ynode **items; /* seq: the items; map: the values */
	struct ynode **keys;  /* map: the keys, always scalars, never repeated */
};

struct ydoc {
	char *file;	    /* the name used in positions; owned */
	struct ynode *root; /* NULL for an empty document */
	size_t errors;	    /* errors found in a tree that could still be built */
	/* internal: every node, for freeing */
	struct ynode **all;
	size_t nall, capall;
};
#define YDOC_INIT \
	{         \
		0 \
	}

/* Parses one YAML document from buf. Syntax errors, non-scalar keys,
 * several documents, and documents too deep or too large are recorded with
 * their position and return -1 with doc freed. Duplicate keys (the first
 * one stays), tags (which the tool does not interpret, so it refuses them)
 * and NUL characters in a value are recorded too, but the tree is built, so
 * that its other errors can be found in the same run: doc->errors counts
 * them, and 0 is returned. */
int ydoc_parse(struct ydoc *doc, const char *file, const char *buf, size_t len);
/* Reads path and parses it, naming it `name` in positions. */
int ydoc_load(struct ydoc *doc, const char *path, const char *name);
void ydoc_release(struct ydoc *doc);

/* The value of key in a map, or NULL (also when map is not a map). */
struct ynode *ynode_get(const struct ynode *map, const char *key);
const char *ynode_kind_name(enum ynode_kind kind);

#endif
