/* query.c: mirage query, one fact a call, for scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/diag.h"
#include "../lib/gen.h"
#include "../lib/image.h"
#include "cmd.h"

static const char *const facts[] = {"name",	 "files",    "devices", "arguments",
				    "artifacts", "manifest", NULL};

static void files(const struct project *p, struct strlist *out)
{
	for (size_t i = 0; i < p->config.sources.len; i++)
		strlist_push_owned(out, path_join(p->config.dir, p->config.sources.items[i]));
	struct strlist gen = STRLIST_INIT;
	plan_generated_sources(&p->graph, &gen);
	strlist_push(&gen, "mirage_devices.h");
	strlist_push(&gen, "manifest.json");
	strlist_push(&gen, "Makefile");
	for (size_t i = 0; i < gen.len; i++)
		strlist_push_owned(out, path_join(p->builddir, gen.items[i]));
	strlist_release(&gen);
	strlist_push_owned(out, project_artifact(p));
}

static struct json *strings_json(const struct strlist *l)
{
	struct json *a = json_array();
	for (size_t i = 0; i < l->len; i++)
		json_push(a, json_string(l->items[i]));
	return a;
}

static struct json *query(const struct project *p, const char *what, bool as_json)
{
	const struct config *c = &p->config;
	struct json *r = as_json ? json_object() : NULL;
	if (!strcmp(what, "name")) {
		if (r)
			json_set_str(r, "name", c->name);
		else
			printf("%s\n", c->name);
	} else if (!strcmp(what, "files")) {
		struct strlist l = STRLIST_INIT;
		files(p, &l);
		if (r)
			json_set(r, "files", strings_json(&l));
		else
			for (size_t i = 0; i < l.len; i++)
				printf("%s\n", l.items[i]);
		strlist_release(&l);
	} else if (!strcmp(what, "artifacts")) {
		struct strlist kinds = STRLIST_INIT;
		image_wanted(p, NULL, NULL, &kinds);
		struct json *a = r ? json_array() : NULL;
		for (size_t i = 0; i < kinds.len; i++) {
			if (a) {
				json_push(a, artifact_json(p, kinds.items[i]));
			} else {
				char *path = image_path(p, kinds.items[i]);
				printf("%s\n", path);
				free(path);
			}
		}
		if (a)
			json_set(r, "artifacts", a);
		strlist_release(&kinds);
	} else {
		struct json *m = gen_manifest(&p->graph);
		if (!strcmp(what, "manifest")) {
			if (r) {
				json_set(r, "manifest", json_dup(m));
			} else {
				char *text = json_render(m, true);
				fputs(text, stdout);
				free(text);
			}
		} else if (r) {
			json_set(r, what, json_dup(json_get(m, what)));
		} else if (!strcmp(what, "devices")) {
			for (size_t i = 0; i < p->graph.n; i++)
				printf("%s %s %s\n", p->graph.order[i].dev->name,
				       p->graph.order[i].dev->type->name,
				       p->graph.order[i].impl->impl);
		} else {
			for (size_t i = 0; i < c->nargs; i++) {
				const struct arg *a = &c->args[i];
				printf("%s %s ", a->name, arg_type_name(a->type));
				if (!a->has_default)
					printf("(required)\n");
				else if (a->type == ARG_STRING)
					printf("%s\n", a->def_string);
				else if (a->type == ARG_INT)
					printf("%lld\n", (long long)a->def_int);
				else
					printf("%s\n", a->def_bool ? "true" : "false");
			}
		}
		json_free(m);
	}
	return r;
}

static int check_fact(struct cmd *c)
{
	const char *what = c->args[0];
	for (size_t i = 0; facts[i]; i++)
		if (!strcmp(facts[i], what))
			return 0;
	char *hint = suggestion(what, facts, 0);
	fprintf(stderr, "mirage query: unknown fact '%s' (%s)\n", what, hint);
	free(hint);
	return failed(FAIL_USAGE);
}

static int query_fn(struct cmd *c)
{
	c->report = query(&c->p, c->args[0], c->json);
	return 0;
}

const struct command cmd_query = {
    .name = "query",
    .fn = query_fn,
    .flags = CMD_PROJECT | CMD_USE_LAST | CMD_FETCH | CMD_JSON,
    .min_args = 1,
    .max_args = 1,
    .args = "name|files|devices|arguments|artifacts|manifest",
    .summary = "print one fact about the unikernel (for scripts)",
    .help = "Prints one fact about the unikernel, one item a line (or JSON):\n"
	    "  name       the unikernel's name\n"
	    "  files      the files of the build: sources, generated files, artifact\n"
	    "  devices    NAME TYPE IMPLEMENTATION, in initialisation order\n"
	    "  arguments  NAME TYPE DEFAULT\n"
	    "  artifacts  the paths the build makes\n"
	    "  manifest   manifest.json\n",
    .check = check_fact,
};
