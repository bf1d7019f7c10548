/* graph.c: device resolution and initialisation order. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

static size_t device_index(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->ndevices; i++)
		if (!strcmp(c->devices[i].name, name))
			return i;
	BUG("after names an unknown device");
}

enum { WHITE, GREY, BLACK };

/* Depth-first search for a cycle through `after`; reports it once, at the
 * device where it closes, with the whole path. */
static int find_cycle(const struct config *c, size_t i, int *color, size_t *path, size_t depth)
{
	color[i] = GREY;
	path[depth] = i;
	const struct device *d = &c->devices[i];
	for (size_t k = 0; k < d->after.len; k++) {
		size_t j = device_index(c, d->after.items[k]);
		if (color[j] == GREY) {
			struct strbuf sb = STRBUF_INIT;
			size_t start = depth;
			while (path[start] != j)
				start--;
			for (size_t m = start; m <= depth; m++)
				strbuf_addf(&sb, "'%s' -> ", c->devices[path[m]].name);
			strbuf_addf(&sb, "'%s'", c->devices[j].name);
			error_at(&d->after_pos[k], "device '%s': cycle in 'after': %s", d->name,
				 sb.buf);
			strbuf_release(&sb);
			return -1;
		}
		if (color[j] == WHITE && find_cycle(c, j, color, path, depth + 1) < 0)
			return -1;
	}
	color[i] = BLACK;
	return 0;
}

static void names_of(struct strbuf *sb, const struct strlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", l->items[i]);
}

static int check_target(const struct config *c, const struct target *t, const char *arch,
			const struct target_arch **out)
{
	int rc = 0;
	if (c->targets.len && !strlist_has(&c->targets, t->name)) {
		struct strbuf sb = STRBUF_INIT;
		names_of(&sb, &c->targets);
		rc = error_at(&c->targets_key_pos,
			      "targets: this unikernel does not support target '%s' (it lists: %s)",
			      t->name, sb.buf);
		strbuf_release(&sb);
	}
	*out = target_find_arch(t, arch);
	if (!*out) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < t->narches; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", t->arches[i].name);
		rc = error("target '%s' does not support architecture '%s' (it supports: %s)",
			   t->name, arch, sb.buf);
		strbuf_release(&sb);
	}
	return rc;
}

int graph_resolve(struct graph *g, const struct config *c, const struct target *t, const char *arch)
{
	memset(g, 0, sizeof(*g));
	g->config = c;
	g->target = t;
	int rc = check_target(c, t, arch, &g->arch);

	const struct target_device **impl = xcalloc(c->ndevices, sizeof(*impl));
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		impl[i] = target_find_device(t, d->type);
		if (!impl[i])
			rc = error_at(&d->type_pos,
				      "device '%s': target '%s' cannot serve a %s device", d->name,
				      t->name, d->type->name);
	}

	int *color = xcalloc(c->ndevices, sizeof(*color));
	size_t *path = xcalloc(c->ndevices + 1, sizeof(*path));
	for (size_t i = 0; i < c->ndevices; i++)
		if (color[i] == WHITE && find_cycle(c, i, color, path, 0) < 0) {
			rc = -1;
			break;
		}
	free(path);

	if (rc == 0) {
		/* Kahn's algorithm, always taking the earliest declared ready device,
		 * so the order is the declaration order wherever `after` allows. */
		g->order = xcalloc(c->ndevices, sizeof(*g->order));
		bool *done = xcalloc(c->ndevices, sizeof(*done));
		while (g->n < c->ndevices) {
			size_t pick = c->ndevices;
			for (size_t i = 0; i < c->ndevices && pick == c->ndevices; i++) {
				if (done[i])
					continue;
				bool ready = true;
				for (size_t k = 0; k < c->devices[i].after.len && ready; k++)
					ready = done[device_index(c, c->devices[i].after.items[k])];
				if (ready)
					pick = i;
			}
			if (pick == c->ndevices)
				BUG("no ready device in an acyclic graph");
			done[pick] = true;
			g->order[g->n].dev = &c->devices[pick];
			g->order[g->n].impl = impl[pick];
			g->n++;
		}
		free(done);
	}
	free(color);
	free(impl);
	if (rc < 0)
		graph_release(g);
	return rc;
}

void graph_release(struct graph *g)
{
	free(g->order);
	memset(g, 0, sizeof(*g));
}
