/* graph.h: binds every device of a description to the implementation the
 * chosen target provides, and orders their initialisation. */
#ifndef MIRAGE_GRAPH_H
#define MIRAGE_GRAPH_H

#include "config.h"
#include "target.h"

struct graph_node {
	const struct device *dev;
	const struct target_device *impl;
	bool chosen; /* by a choice (--impl), not the target's default */
};

struct graph {
	const struct config *config;
	const struct target *target;
	const struct target_arch *arch;
	struct graph_node *order; /* initialisation order: `after` first, then declaration */
	size_t n;
	/* devices left out: network devices only their tcpip device names, when
	 * its implementation takes none (the host's sockets) */
	const struct device **left_out;
	size_t nleft;
};

/* Resolves c for target t and architecture arch. Reports, at their position
 * in the description: a target the description does not list, an
 * architecture the target lacks (FAIL_USAGE), a device the target cannot
 * serve (FAIL_DESCRIPTION). A description with errors (c->valid false) is
 * checked as far as it goes, and gives -1. impls (NULL: none) chooses other
 * implementations than the target's defaults: "TYPE=IMPL" each (an unknown
 * one is FAIL_USAGE). Returns 0, or -1 with every error recorded. */
int graph_resolve(struct graph *g, const struct config *c, const struct target *t, const char *arch,
		  const struct strlist *impls);
/* The device's node, or NULL when it is left out. */
const struct graph_node *graph_node_of(const struct graph *g, const struct device *d);
void graph_release(struct graph *g);

#endif
