/* graph.h: binds every device of a description to the implementation the
 * chosen target provides, and orders their initialisation. */
#ifndef MIRAGE_GRAPH_H
#define MIRAGE_GRAPH_H

#include "config.h"
#include "target.h"

struct graph_node {
	const struct device *dev;
	const struct target_device *impl;
};

struct graph {
	const struct config *config;
	const struct target *target;
	const struct target_arch *arch;
	struct graph_node *order; /* initialisation order: `after` first, then declaration */
	size_t n;
};

/* Resolves c for target t and architecture arch. Reports, at their position
 * in the description: a target the description does not list, an
 * architecture the target lacks (FAIL_USAGE), a device the target cannot
 * serve (FAIL_DESCRIPTION). A description with errors (c->valid false) is
 * checked as far as it goes, and gives -1. Returns 0, or -1 with every error
 * recorded. */
int graph_resolve(struct graph *g, const struct config *c, const struct target *t,
		  const char *arch);
void graph_release(struct graph *g);

#endif
