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

/* The implementation chosen for type in impls ("TYPE=IMPL"), or NULL. */
static const char *chosen(const struct strlist *impls, const char *type)
{
	size_t n = strlen(type);
	for (size_t i = 0; impls && i < impls->len; i++)
		if (!strncmp(impls->items[i], type, n) && impls->items[i][n] == '=')
			return impls->items[i] + n + 1;
	return NULL;
}

/* Every choice names a known type and, where the target serves it, one of
 * its implementations. */
static int check_choices(const struct target *t, const struct target_arch *a,
			 const struct strlist *impls)
{
	int rc = 0;
	for (size_t i = 0; impls && i < impls->len; i++) {
		const char *eq = strchr(impls->items[i], '=');
		char *type = eq ? xstrndup(impls->items[i], (size_t)(eq - impls->items[i])) : NULL;
		const struct devtype *dt = type ? devtype_find(type) : NULL;
		if (!dt) {
			rc =
			    error("--impl %s: expected TYPE=IMPLEMENTATION with a device type (%s)",
				  impls->items[i], "tcpip=stack, for one");
			failed(FAIL_USAGE);
		} else if (a) {
			const struct target_device *d = target_find_device(t, a, dt);
			if (d && !target_find_impl(t, a, dt, eq + 1)) {
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "%s", d->impl);
				for (size_t k = 0; k < d->nothers; k++)
					strbuf_addf(&sb, ", %s", d->others[k].impl);
				rc = error(
				    "--impl %s: target '%s' has no implementation '%s' of a %s "
				    "device (it has: %s)",
				    impls->items[i], t->name, eq + 1, type, sb.buf);
				strbuf_release(&sb);
				failed(FAIL_USAGE);
			}
		}
		free(type);
	}
	return rc;
}

int graph_resolve(struct graph *g, const struct config *c, const struct target *t, const char *arch,
		  const struct strlist *impls)
{
	memset(g, 0, sizeof(*g));
	g->config = c;
	g->target = t;
	int rc = check_target(c, t, arch, &g->arch);
	if (check_choices(t, g->arch, impls) < 0)
		rc = -1;

	const struct target_device **impl = xcalloc(c->ndevices, sizeof(*impl));
	bool *chosen_impl = xcalloc(c->ndevices + 1, sizeof(*chosen_impl));
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		if (!d->type)
			continue; /* reported with the description */
		const char *want = chosen(impls, d->type->name);
		chosen_impl[i] = want != NULL;
		impl[i] = want ? target_find_impl(t, g->arch, d->type, want)
			       : target_find_device(t, g->arch, d->type);
		if (!impl[i] && !target_find_device(t, g->arch, d->type)) {
			rc = error_at(&d->type_pos,
				      "device '%s': target '%s' cannot serve a %s device", d->name,
				      t->name, d->type->name);
			failed(FAIL_DESCRIPTION);
		} else if (!impl[i]) {
			rc = -1; /* an unknown choice: reported by check_choices */
		}
	}
	/* network devices that only implementations taking none name are left
	 * out (the host's sockets need no tap) */
	bool *used = xcalloc(c->ndevices + 1, sizeof(*used));
	bool *named = xcalloc(c->ndevices + 1, sizeof(*named));
	bool *taken = xcalloc(c->ndevices + 1, sizeof(*taken));
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		if (d->link && impl[i]) {
			named[d->link_index] = true;
			if (impl[i]->link)
				taken[d->link_index] = true;
		}
	}
	for (size_t i = 0; i < c->ndevices; i++)
		used[i] = !named[i] || taken[i];
	free(named);
	free(taken);

	if (rc == 0 && c->valid) {
		/* Kahn's algorithm, always taking the earliest declared ready device,
		 * so the order is the declaration order wherever `after` allows (the
		 * description has no cycle: it was checked). */
		g->order = xcalloc(c->ndevices, sizeof(*g->order));
		g->left_out = xcalloc(c->ndevices + 1, sizeof(*g->left_out));
		bool *done = xcalloc(c->ndevices, sizeof(*done));
		size_t nused = 0;
		for (size_t i = 0; i < c->ndevices; i++) {
			if (used[i])
				nused++;
			else
				done[i] = true, g->left_out[g->nleft++] = &c->devices[i];
		}
		while (g->n < nused) {
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
			g->order[g->n].chosen = chosen_impl[pick];
			g->n++;
		}
		free(done);
	}
	free(used);
	free(impl);
	free(chosen_impl);
	if (rc < 0 || !c->valid) {
		graph_release(g);
		return -1;
	}
	return 0;
}

const struct graph_node *graph_node_of(const struct graph *g, const struct device *d)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->order[i].dev == d)
			return &g->order[i];
	return NULL;
}

void graph_release(struct graph *g)
{
	free(g->order);
	free(g->left_out);
	memset(g, 0, sizeof(*g));
}
