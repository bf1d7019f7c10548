/* gen.c: the generated files of the build directory. */
#include "gen.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "template.h"

void gen_c_string(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(sb, "\\%c", *p);
		else if (*p == '?') /* never a trigraph */
			strbuf_adds(sb, "\\?");
		else if (*p >= 0x20 && *p < 0x7f)
			strbuf_addc(sb, (char)*p);
		else
			strbuf_addf(sb, "\\%03o", *p);
	}
	strbuf_addc(sb, '"');
}

void gen_make_quote(struct strbuf *sb, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			       "-_./=+,:@%",
			       *p) != NULL;
	if (plain) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addc(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else if (*p == '$')
			strbuf_adds(sb, "$$");
		else
			strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '\'');
}

void gen_make_name(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '$')
			strbuf_adds(sb, "$$");
		else if (*s == ' ' || *s == '\t' || *s == '#' || *s == ':' || *s == '\\')
			strbuf_addf(sb, "\\%c", *s);
		else
			strbuf_addc(sb, *s);
	}
}

static const char *rt_type(const struct devtype *t)
{
	if (!strcmp(t->name, "console"))
		return "MIRAGE_DEV_CONSOLE";
	if (!strcmp(t->name, "network"))
		return "MIRAGE_DEV_NET";
	if (!strcmp(t->name, "block"))
		return "MIRAGE_DEV_BLOCK";
	return "MIRAGE_DEV_KV";
}

static const char *init_fn(const struct devtype *t)
{
	if (!strcmp(t->name, "console"))
		return "mirage_console_init";
	if (!strcmp(t->name, "network"))
		return "mirage_net_init";
	if (!strcmp(t->name, "block"))
		return "mirage_block_init";
	return "mirage_kv_init";
}

static const char *arg_c_type(enum arg_type t)
{
	switch (t) {
	case ARG_STRING:
		return "const char *";
	case ARG_INT:
		return "int64_t ";
	case ARG_BOOL:
		return "bool ";
	}
	return "?";
}

static const char *arg_rt_type(enum arg_type t)
{
	switch (t) {
	case ARG_STRING:
		return "MIRAGE_ARG_STRING";
	case ARG_INT:
		return "MIRAGE_ARG_INT";
	case ARG_BOOL:
		return "MIRAGE_ARG_BOOL";
	}
	return "?";
}

static char *description_name(const struct graph *g)
{
	return xstrdup(path_basename(g->config->path));
}

static char *render_devices_h(const struct graph *g, const char *datadir)
{
	const struct config *c = g->config;
	struct strbuf dev = STRBUF_INIT, args = STRBUF_INIT;
	for (size_t i = 0; i < c->ndevices; i++)
		strbuf_addf(&dev, "\tstruct %s *%s; /* %s */\n", c->devices[i].type->c_struct,
			    c->devices[i].name, c->devices[i].type->name);
	if (!c->ndevices)
		strbuf_adds(&dev, "\tchar no_devices_;\n");
	for (size_t i = 0; i < c->nargs; i++) {
		const struct arg *a = &c->args[i];
		strbuf_addf(&args, "\t%s%s;", arg_c_type(a->type), a->name);
		if (a->doc) {
			/* a doc string must not close the comment */
			strbuf_adds(&args, " /* ");
			for (const char *s = a->doc; *s; s++)
				strbuf_addc(&args,
					    (*s == '*' && s[1] == '/') || *s == '\n' ? ' ' : *s);
			strbuf_adds(&args, " */");
		}
		strbuf_addc(&args, '\n');
	}
	if (!c->nargs)
		strbuf_adds(&args, "\tchar no_arguments_;\n");
	char *desc = description_name(g);
	const char *vars[] = {"NAME",  c->name,	     "DESCRIPTION", desc, "DEVICE_FIELDS",
			      dev.buf, "ARG_FIELDS", args.buf,	    NULL};
	char *out = template_render(datadir, "mirage_devices.h", vars);
	free(desc);
	strbuf_release(&dev);
	strbuf_release(&args);
	return out;
}

static char *render_main_c(const struct graph *g, const char *datadir)
{
	const struct config *c = g->config;
	struct strbuf externs = STRBUF_INIT, manifest = STRBUF_INIT, specs = STRBUF_INIT,
		      init = STRBUF_INIT, note = STRBUF_INIT;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		strbuf_addf(&manifest, "\t{\"%s\", %s},\n", d->name, rt_type(d->type));
		strbuf_addf(&note, "%s\t{\"%s\", %s},\n", i ? "" : " {\n", d->name,
			    rt_type(d->type));
		if (d->type->has_source)
			strbuf_addf(&externs, "extern const struct mirage_kv_data mirage_kv_%s;\n",
				    d->name);
	}
	if (g->n) {
		strbuf_adds(&init, "\n\t/* the devices, in initialisation order */\n"
				   "\tmirage_result r;\n");
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		if (d->type->has_source)
			strbuf_addf(&init,
				    "\tif ((r = %s(\"%s\", &mirage_kv_%s, &devices.%s)) != "
				    "MIRAGE_OK)\n",
				    init_fn(d->type), d->name, d->name, d->name);
		else
			strbuf_addf(&init, "\tif ((r = %s(\"%s\", &devices.%s)) != MIRAGE_OK)\n",
				    init_fn(d->type), d->name, d->name);
		strbuf_addf(&init, "\t\treturn mirage_device_failed(\"%s\", %s, r);\n", d->name,
			    rt_type(d->type));
	}
	for (size_t i = 0; i < c->nargs; i++) {
		const struct arg *a = &c->args[i];
		strbuf_addf(&specs, "\t{\"%s\", %s, %s, ", a->name, arg_rt_type(a->type),
			    a->has_default ? "true" : "false");
		if (a->type == ARG_STRING && a->has_default)
			gen_c_string(&specs, a->def_string);
		else
			strbuf_adds(&specs, "NULL");
		strbuf_addf(&specs, ", ");
		if (a->type == ARG_INT && a->def_int == INT64_MIN)
			strbuf_adds(&specs, "INT64_MIN");
		else
			strbuf_addf(&specs, "%" PRId64 "LL",
				    a->type == ARG_INT ? a->def_int : (int64_t)0);
		strbuf_addf(&specs, ", %s, ",
			    a->type == ARG_BOOL && a->def_bool ? "true" : "false");
		if (a->doc)
			gen_c_string(&specs, a->doc);
		else
			strbuf_adds(&specs, "NULL");
		strbuf_addf(&specs, ", offsetof(struct mirage_args, %s)},\n", a->name);
	}
	char ndev[32], nargs[32], member[96];
	snprintf(ndev, sizeof(ndev), "%zu", c->ndevices);
	/* no devices, no array: a padding entry would read as a broken note */
	if (c->ndevices) {
		snprintf(member, sizeof(member),
			 "\tstruct {\n\t\tchar name[64];\n\t\tuint32_t type;\n\t} devices[%zu];\n",
			 c->ndevices);
		strbuf_adds(&note, "}");
	} else {
		member[0] = '\0';
	}
	snprintf(nargs, sizeof(nargs), "%zu", c->nargs);
	char *desc = description_name(g);
	const char *vars[] = {"NAME",
			      c->name,
			      "TARGET",
			      g->target->name,
			      "ARCH",
			      g->arch->name,
			      "DESCRIPTION",
			      desc,
			      "KV_EXTERNS",
			      externs.buf ? externs.buf : "",
			      "MANIFEST_ENTRIES",
			      manifest.buf ? manifest.buf : "",
			      "NDEVICES",
			      ndev,
			      "ARG_SPECS",
			      specs.buf ? specs.buf : "",
			      "NARGS",
			      nargs,
			      "DEVICE_INIT",
			      init.buf ? init.buf : "",
			      "NOTE_MEMBER",
			      member,
			      "NOTE_ENTRIES",
			      note.buf ? note.buf : "",
			      NULL};
	char *out = template_render(datadir, "main.c", vars);
	free(desc);
	strbuf_release(&externs);
	strbuf_release(&manifest);
	strbuf_release(&specs);
	strbuf_release(&init);
	strbuf_release(&note);
	return out;
}

/* Collects the regular files below dir as keys relative to the top. */
static int kv_collect(const char *top, const char *rel, struct strlist *keys)
{
	char *dir = rel ? path_join(top, rel) : xstrdup(top);
	DIR *d = opendir(dir);
	if (!d) {
		int rc = error("open %s:", dir);
		free(dir);
		return rc;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) && rc == 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *key = rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		char *full = path_join(top, key);
		if (is_dir(full))
			rc = kv_collect(top, key, keys);
		else if (is_file(full))
			strlist_push(keys, key);
		free(full);
		free(key);
	}
	closedir(d);
	free(dir);
	return rc;
}

static char *render_kv_c(const struct graph *g, const struct device *d, const char *datadir)
{
	char *top = path_join(g->config->dir, d->source);
	struct strlist keys = STRLIST_INIT;
	char *out = NULL;
	if (kv_collect(top, NULL, &keys) < 0)
		goto done;
	strlist_sort(&keys); /* strcmp order: the runtime looks keys up by bisection */
	struct strbuf data = STRBUF_INIT, entries = STRBUF_INIT;
	for (size_t i = 0; i < keys.len; i++) {
		char *path = path_join(top, keys.items[i]);
		size_t len;
		unsigned char *bytes = (unsigned char *)file_read(path, &len);
		if (!bytes) {
			error("read %s:", path);
			free(path);
			strbuf_release(&data);
			strbuf_release(&entries);
			goto done;
		}
		free(path);
		strbuf_addf(&data, "\nstatic const unsigned char file%zu[%zu] = {", i,
			    len ? len : 1);
		for (size_t j = 0; j < len; j++)
			strbuf_addf(&data, "%s%u,", j % 20 ? "" : "\n\t", bytes[j]);
		if (!len)
			strbuf_adds(&data, "0");
		strbuf_adds(&data, "\n};\n");
		free(bytes);
		strbuf_addc(&entries, '\t');
		strbuf_addc(&entries, '{');
		gen_c_string(&entries, keys.items[i]);
		strbuf_addf(&entries, ", file%zu, %zu},\n", i, len);
	}
	char count[32];
	snprintf(count, sizeof(count), "%zu", keys.len);
	const char *vars[] = {"DEVICE",	 d->name,
			      "NAME",	 g->config->name,
			      "SOURCE",	 d->source,
			      "DATA",	 data.buf ? data.buf : "",
			      "ENTRIES", entries.buf ? entries.buf : "",
			      "COUNT",	 count,
			      NULL};
	out = template_render(datadir, "kv.c", vars);
	strbuf_release(&data);
	strbuf_release(&entries);
done:
	strlist_release(&keys);
	free(top);
	return out;
}

struct json *gen_manifest(const struct graph *g)
{
	const struct config *c = g->config;
	struct json *m = json_object();
	json_set_str(m, "name", c->name);
	json_set_str(m, "target", g->target->name);
	json_set_str(m, "arch", g->arch->name);
	json_set_int(m, "abi", 1);
	struct json *devs = json_array();
	for (size_t i = 0; i < g->n; i++) {
		struct json *d = json_object();
		json_set_str(d, "name", g->order[i].dev->name);
		json_set_str(d, "type", g->order[i].dev->type->name);
		json_set_str(d, "impl", g->order[i].impl->impl);
		if (g->order[i].dev->type->attach_flag)
			json_set_str(d, "attach", g->order[i].dev->type->attach_flag);
		json_push(devs, d);
	}
	json_set(m, "devices", devs);
	struct json *args = json_array();
	for (size_t i = 0; i < c->nargs; i++) {
		const struct arg *a = &c->args[i];
		struct json *j = json_object();
		json_set_str(j, "name", a->name);
		json_set_str(j, "type", arg_type_name(a->type));
		if (a->has_default) {
			if (a->type == ARG_STRING)
				json_set_str(j, "default", a->def_string);
			else if (a->type == ARG_INT)
				json_set_int(j, "default", a->def_int);
			else
				json_set_bool(j, "default", a->def_bool);
		} else {
			json_set_bool(j, "required", true);
		}
		if (a->doc)
			json_set_str(j, "doc", a->doc);
		json_push(args, j);
	}
	json_set(m, "arguments", args);
	return m;
}

static char *render_makefile(const struct graph *g, const struct plan *p, const char *datadir)
{
	struct strbuf rules = STRBUF_INIT, clean = STRBUF_INIT, deps = STRBUF_INIT;
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		strbuf_addc(&rules, '\n');
		gen_make_name(&rules, s->out);
		strbuf_adds(&rules, ":");
		for (size_t j = 0; j < s->inputs.len; j++) {
			strbuf_addc(&rules, ' ');
			gen_make_name(&rules, s->inputs.items[j]);
		}
		strbuf_addf(&rules, "\n\t@mkdir -p ");
		char *dir = path_dirname(s->out);
		gen_make_quote(&rules, dir);
		free(dir);
		strbuf_adds(&rules, "\n\t");
		if (s->cwd) {
			strbuf_adds(&rules, "cd ");
			gen_make_quote(&rules, s->cwd);
			strbuf_adds(&rules, " && ");
		}
		for (size_t j = 0; j < s->argv.len; j++) {
			if (j)
				strbuf_addc(&rules, ' ');
			gen_make_quote(&rules, s->argv.items[j]);
		}
		strbuf_adds(&rules, " && mv -f ");
		gen_make_quote(&rules, s->tmp);
		strbuf_addc(&rules, ' ');
		gen_make_quote(&rules, s->out);
		strbuf_addc(&rules, '\n');
		if (s->kind == STEP_LINK || s->kind == STEP_OBJCOPY ||
		    str_starts(s->out, p->builddir)) {
			strbuf_addc(&clean, ' ');
			gen_make_quote(&clean, s->out);
		}
		if (s->depfile && str_starts(s->out, p->builddir)) {
			strbuf_addc(&deps, ' ');
			gen_make_name(&deps, s->depfile);
		}
	}
	char *desc = description_name(g);
	char *artifact = NULL;
	{
		struct strbuf sb = STRBUF_INIT;
		gen_make_name(&sb, p->artifact);
		artifact = strbuf_detach(&sb);
	}
	const char *vars[] = {"NAME",	  g->config->name, "TARGET",	  g->target->name,
			      "ARCH",	  g->arch->name,   "DESCRIPTION", desc,
			      "ARTIFACT", artifact,	   "RULES",	  rules.buf,
			      "CLEAN",	  clean.buf,	   "DEPFILES",	  deps.buf ? deps.buf : "",
			      NULL};
	char *out = template_render(datadir, "Makefile", vars);
	free(artifact);
	free(desc);
	strbuf_release(&rules);
	strbuf_release(&clean);
	strbuf_release(&deps);
	return out;
}

static int put(const char *dir, const char *name, char *content, int *written)
{
	if (!content)
		return -1;
	char *path = path_join(dir, name);
	int rc = file_write_if_changed(path, content, strlen(content));
	free(path);
	free(content);
	if (rc > 0)
		(*written)++;
	return rc < 0 ? -1 : 0;
}

int gen_write(const struct graph *g, const struct plan *p, const char *datadir)
{
	const char *dir = p->builddir;
	int written = 0;
	if (put(dir, "mirage_devices.h", render_devices_h(g, datadir), &written) < 0 ||
	    put(dir, "main.c", render_main_c(g, datadir), &written) < 0)
		return -1;
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		if (!d->type->has_source)
			continue;
		char *name = xasprintf("kv_%s.c", d->name);
		int rc = put(dir, name, render_kv_c(g, d, datadir), &written);
		free(name);
		if (rc < 0)
			return -1;
	}
	struct json *m = gen_manifest(g);
	int rc = put(dir, "manifest.json", json_render(m, true), &written);
	json_free(m);
	if (rc < 0 || put(dir, "Makefile", render_makefile(g, p, datadir), &written) < 0)
		return -1;
	return written;
}
