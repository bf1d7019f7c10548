/* graph.c: device resolution and initialisation order. */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
		failed(FAIL_DESCRIPTION);
	}
	*out = target_find_arch(t, arch);
	if (!*out) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < t->narches; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", t->arches[i].name);
		rc = error("target '%s' does not support architecture '%s' (it supports: %s)",
			   t->name, arch, sb.buf);
		strbuf_release(&sb);
		failed(FAIL_USAGE);
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
		if (!d->type)
			continue; /* reported with the description */
		impl[i] = target_find_device(t, g->arch, d->type);
		if (!impl[i]) {
			rc = error_at(&d->type_pos,
				      "device '%s': target '%s' cannot serve a %s device", d->name,
				      t->name, d->type->name);
			failed(FAIL_DESCRIPTION);
		}
	}

	if (rc == 0 && c->valid) {
		/* Kahn's algorithm, always taking the earliest declared ready device,
		 * so the order is the declaration order wherever `after` allows (the
		 * description has no cycle: it was checked). */
		g->order = xcalloc(c->ndevices, sizeof(*g->order));
		bool *done = xcalloc(c->ndevices, sizeof(*done));
		while (g->n < c->ndevices) {
			size_t pick = c->ndevices;
			for (size_t i = 0; i < c->ndevices && pick == c->ndevices; i++) {
				if (done[i])
					continue;
				bool ready = true;
				for (size_t k = 0; k < c->devices[i].after.len && ready; k++)
					ready = done[c->devices[i].after_index[k]];
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
	free(impl);
	if (rc < 0 || !c->valid) {
		graph_release(g);
		return -1;
	}
	return 0;
}

void graph_release(struct graph *g)
{
	free(g->order);
	memset(g, 0, sizeof(*g));
}
