/* query.c: mirage query, one fact a call, for scripts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		image_wanted(p, NULL, &kinds);
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
			char *text = json_render(m, true);
			if (r)
				json_set(r, "manifest", json_parse(text));
			else
				fputs(text, stdout);
			free(text);
		} else if (r) {
			char *text = json_render(json_get(m, what), false);
			json_set(r, what, json_parse(text));
			free(text);
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

int cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {COMMON_LONG, {0}};
	struct common_opts o = {0};
	o.project.use_last = true;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("query");
		if (!common_option(c, optarg, &o))
			return usage_error("query");
	}
	if (optind + 1 != argc)
		return usage_error("query");
	const char *what = argv[optind];
	bool known = false;
	for (size_t i = 0; facts[i]; i++)
		known |= !strcmp(facts[i], what);
	if (!known) {
		const char *hint = str_suggest(what, facts, 6);
		if (hint)
			fprintf(stderr, "mirage query: unknown fact '%s' (did you mean '%s'?)\n",
				what, hint);
		else
			fprintf(stderr,
				"mirage query: unknown fact '%s' (name, files, devices, arguments, "
				"artifacts, manifest)\n",
				what);
		return EXIT_USAGE;
	}
	common_start(&o);
	struct project p;
	int rc = project_open(&p, &o.project);
	struct json *report = NULL;
	if (rc == EXIT_OK)
		report = query(&p, what, o.json);
	project_release(&p);
	return finish(&o, rc, report);
}
