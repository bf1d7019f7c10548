/* describe.c: mirage describe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/gen.h"
#include "cmd.h"

/* target.yaml's position, relative to the targets directory. */
static void where(const struct project *p, const struct pos *pos, char *buf, size_t n)
{
	const char *f = pos->file;
	size_t root = strlen(p->targets_root);
	if (!strncmp(f, p->targets_root, root) && f[root] == '/')
		f += root + 1;
	snprintf(buf, n, "%s:%d", f, pos->line);
}

/* Why the implementation: the target's default (and what else it offers),
 * or a choice. */
static void why_impl(const struct project *p, const struct graph_node *n, struct strbuf *sb)
{
	const struct target_device *def =
	    target_find_device(&p->target, p->graph.arch, n->dev->type);
	if (n->chosen) {
		strbuf_addf(sb, "chosen with --impl %s=%s; the default is %s", n->dev->type->name,
			    n->impl->impl, def->impl);
		return;
	}
	strbuf_addf(sb, "the target's default");
	for (size_t k = 0; k < def->nothers; k++)
		strbuf_addf(sb, "%s --impl %s=%s", k ? "," : "; or", n->dev->type->name,
			    def->others[k].impl);
}

/* The tcpip device that leaves a network device out. */
static const struct device *left_out_by(const struct project *p, const struct device *net)
{
	for (size_t i = 0; i < p->graph.n; i++) {
		const struct device *d = p->graph.order[i].dev;
		if (d->link && !strcmp(d->link, net->name))
			return d;
	}
	return NULL;
}

static void print_dot(const struct project *p)
{
	const struct graph *g = &p->graph;
	printf("digraph \"%s\" {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n",
	       p->config.name);
	printf("\t\"start\" [label=\"start()\", shape=ellipse];\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		printf("\t\"%s\" [label=\"%s\\n%s: %s\"];\n", d->name, d->name, d->type->name,
		       g->order[i].impl->impl);
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		for (size_t k = 0; k < d->after.len; k++)
			printf("\t\"%s\" -> \"%s\" [label=\"after\"];\n", d->after.items[k],
			       d->name);
		printf("\t\"%s\" -> \"start\";\n", d->name);
	}
	printf("}\n");
}

static void print_text(const struct project *p)
{
	const struct graph *g = &p->graph;
	const struct config *c = &p->config;
	printf("unikernel %s\n", c->name);
	printf("  description  %s\n", c->path);
	printf("  target       %s (%s): %s\n", p->target.name, g->arch->name, p->target.doc);
	printf("  build        %s\n", p->builddir);
	printf("  sources     ");
	for (size_t i = 0; i < c->sources.len; i++)
		printf(" %s", c->sources.items[i]);
	printf("\n\ndevices, in initialisation order:\n");
	if (!g->n)
		printf("  (none)\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		const struct target_device *impl = g->order[i].impl;
		char at[256];
		where(p, &impl->pos, at, sizeof(at));
		printf("  %-12s %-8s -> %s: %s (%s)\n", d->name, d->type->name, impl->impl,
		       impl->doc, at);
		if (g->order[i].chosen || impl->nothers) {
			struct strbuf why = STRBUF_INIT;
			why_impl(p, &g->order[i], &why);
			printf("  %-12s %-8s    (%s)\n", "", "", why.buf);
			strbuf_release(&why);
		}
		/* what it waits for, of the devices in the build */
		bool any = false;
		for (size_t k = 0; k < d->after.len; k++) {
			if (!graph_node_of(g, config_device(c, d->after.items[k])))
				continue;
			if (!any)
				printf("  %-12s %-8s    after:", "", "");
			printf(" %s", d->after.items[k]);
			any = true;
		}
		if (any)
			printf("\n");
	}
	for (size_t i = 0; i < g->nleft; i++) {
		const struct device *by = left_out_by(p, g->left_out[i]);
		printf("  %-12s %-8s    left out: the tcpip device '%s' (%s) takes no network "
		       "device\n",
		       g->left_out[i]->name, g->left_out[i]->type->name, by ? by->name : "?",
		       by ? graph_node_of(g, by)->impl->impl : "?");
	}
	printf("\nboot arguments:\n");
	if (!c->nargs)
		printf("  (none)\n");
	int width = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		int w = (int)(strlen(c->args[i].name) + strlen(arg_type_name(c->args[i].type)) + 3);
		width = w > width ? w : width;
	}
	for (size_t i = 0; i < c->nargs; i++) {
		const struct arg *a = &c->args[i];
		char left[160], type[16];
		size_t k = 0;
		for (const char *t = arg_type_name(a->type); *t && k < sizeof(type) - 1; t++)
			type[k++] = (char)(*t - 'a' + 'A');
		type[k] = '\0';
		snprintf(left, sizeof(left), "--%s=%s", a->name, type);
		printf("  %-*s  ", width, left);
		if (a->doc)
			printf("%s ", a->doc);
		if (!a->has_default)
			printf("(required)");
		else if (a->type == ARG_STRING)
			printf("(default: \"%s\")", a->def_string);
		else if (a->type == ARG_INT)
			printf("(default: %lld)", (long long)a->def_int);
		else
			printf("(default: %s)", a->def_bool ? "true" : "false");
		printf("\n");
	}
}

static struct json *describe_json(const struct project *p)
{
	struct json *m = gen_manifest(&p->graph);
	json_set_str(m, "description", p->config.path);
	json_set_str(m, "builddir", p->builddir);
	struct json *src = json_array();
	for (size_t i = 0; i < p->config.sources.len; i++)
		json_push(src, json_string(p->config.sources.items[i]));
	json_set(m, "sources", src);
	/* why each implementation: the target's words and where it says them */
	struct json *devs = json_get_mut(m, "devices");
	for (size_t i = 0; i < p->graph.n; i++) {
		struct json *d = json_at_mut(devs, i);
		const struct target_device *impl = p->graph.order[i].impl;
		char at[256];
		where(p, &impl->pos, at, sizeof(at));
		json_set_str(d, "why", impl->doc);
		json_set_str(d, "defined_at", at);
		struct strbuf choice = STRBUF_INIT;
		why_impl(p, &p->graph.order[i], &choice);
		json_set_str(d, "choice", choice.buf);
		json_set_bool(d, "chosen", p->graph.order[i].chosen);
		strbuf_release(&choice);
		struct json *after = json_array();
		const struct device *dev = p->graph.order[i].dev;
		for (size_t k = 0; k < dev->after.len; k++)
			json_push(after, json_string(dev->after.items[k]));
		json_set(d, "after", after);
	}
	struct json *left = json_array();
	for (size_t i = 0; i < p->graph.nleft; i++) {
		const struct device *by = left_out_by(p, p->graph.left_out[i]);
		struct json *d = json_object();
		json_set_str(d, "name", p->graph.left_out[i]->name);
		json_set_str(d, "type", p->graph.left_out[i]->type->name);
		if (by)
			json_set_str(d, "by", by->name);
		json_push(left, d);
	}
	json_set(m, "left_out", left);
	return m;
}

static int describe(struct cmd *c)
{
	if (c->json)
		c->report = describe_json(&c->p);
	else if (c->dot)
		print_dot(&c->p);
	else
		print_text(&c->p);
	return 0;
}

static int set_dot(struct cmd *c, const char *arg)
{
	(void)arg;
	c->dot = true;
	return 0;
}

static const struct cmd_option options[] = {
    {"dot", 0, NULL, "print the device graph for Graphviz instead", set_dot}, {0}};

const struct command cmd_describe = {
    .name = "describe",
    .fn = describe,
    .flags = CMD_PROJECT | CMD_USE_LAST | CMD_FETCH | CMD_JSON,
    .options = options,
    .summary = "show the devices, their implementations and the arguments",
    .help = "Shows the unikernel: name, target, devices with the implementation chosen for\n"
	    "each and why, initialisation order, boot arguments.\n",
};
