/* gen.c: the generated files of the build directory. */
#include "gen.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "proc.h"
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

void gen_c_comment(struct strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '*' && p[1] == '/')
			strbuf_adds(sb, "* "); /* never closes the comment */
		else if (*p == '/' && p[1] == '*')
			strbuf_adds(sb, "/ ");
		else if (*p == '\\')
			strbuf_addc(sb, '/'); /* no line splice can reach the end */
		else if (*p < 0x20 || *p >= 0x7f)
			strbuf_addc(sb, '?');
		else
			strbuf_addc(sb, (char)*p);
	}
}

void gen_asm_string(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(sb, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			strbuf_addc(sb, (char)*p);
		else
			strbuf_addf(sb, "\\%03o", *p);
	}
	strbuf_addc(sb, '"');
}

void gen_make_quote(struct strbuf *sb, const char *s)
{
	struct strbuf q = STRBUF_INIT;
	shell_quote(&q, s);
	for (const char *p = q.buf; *p; p++) {
		if (*p == '$')
			strbuf_adds(sb, "$$");
		else
			strbuf_addc(sb, *p);
	}
	strbuf_release(&q);
}

/* The characters make reads specially in a rule's names, escaped with '\'. */
static bool make_special(char c)
{
	return c == ' ' || c == '\t' || c == '#' || c == ':' || c == '%' || c == '*' || c == '?' ||
	       c == '[' || c == ']';
}

void gen_make_name(struct strbuf *sb, const char *s)
{
	while (*s) {
		if (*s == '\\') {
			/* backslashes are literal, but before an escaped character or
			 * the end of the name, where each is doubled */
			size_t n = strspn(s, "\\");
			bool before = !s[n] || make_special(s[n]);
			for (size_t i = 0; i < (before ? 2 * n : n); i++)
				strbuf_addc(sb, '\\');
			s += n;
		} else if (*s == '$') {
			strbuf_adds(sb, "$$");
			s++;
		} else if (make_special(*s)) {
			strbuf_addf(sb, "\\%c", *s++);
		} else {
			strbuf_addc(sb, *s++);
		}
	}
}

/* Whether s can be written into a Makefile line at all. */
static bool make_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
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

/* The description's file name, for the comment at the top of generated
 * files (C, assembly and Makefile comments alike). */
static char *description_name(const struct graph *g)
{
	struct strbuf sb = STRBUF_INIT;
	gen_c_comment(&sb, path_basename(g->config->path));
	return strbuf_detach(&sb);
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
		strbuf_addf(&args, "\t%s%s;", arg_c_type(a->type), a->field);
		if (a->doc) {
			strbuf_adds(&args, " /* ");
			gen_c_comment(&args, a->doc);
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
	struct strbuf externs = STRBUF_INIT, specs = STRBUF_INIT, init = STRBUF_INIT,
		      note = STRBUF_INIT;
	size_t nused = 0;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		if (!graph_node_of(g, d))
			continue; /* left out: not in the image */
		/* names are C identifiers (checked): no escaping needed */
		strbuf_addf(&note, "\n\t{\"%s\", %s},", d->name, d->type->c_enum);
		nused++;
		if (d->type->init_arg == DEVTYPE_INIT_SOURCE)
			strbuf_addf(&externs, "extern const struct mirage_kv_data mirage_kv_%s;\n",
				    d->name);
	}
	if (g->n) {
		strbuf_adds(&init, "\n\t/* the devices, in initialisation order */\n"
				   "\tmirage_result r;\n");
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		const struct target_device *impl = g->order[i].impl;
		/* the implementation's own init function (checked: an identifier) */
		const char *fn = impl->init ? impl->init : d->type->init;
		switch (d->type->init_arg) {
		case DEVTYPE_INIT_SOURCE:
			strbuf_addf(&init,
				    "\tif ((r = %s(\"%s\", &mirage_kv_%s, &devices.%s)) != "
				    "MIRAGE_OK)\n",
				    fn, d->name, d->name, d->name);
			break;
		case DEVTYPE_INIT_STACK:
			strbuf_addf(&init, "\tif ((r = %s(\"%s\", ", fn, d->name);
			if (impl->link)
				strbuf_addf(&init, "devices.%s", d->link);
			else
				strbuf_adds(&init, "NULL");
			strbuf_addf(&init,
				    ", args.%s_ipv4, args.%s_gateway, &devices.%s)) != "
				    "MIRAGE_OK)\n",
				    d->name, d->name, d->name);
			break;
		case DEVTYPE_INIT_NONE:
			strbuf_addf(&init, "\tif ((r = %s(\"%s\", &devices.%s)) != MIRAGE_OK)\n",
				    fn, d->name, d->name);
			break;
		}
		strbuf_addf(&init, "\t\treturn mirage_device_failed(\"%s\", %s, r);\n", d->name,
			    d->type->c_enum);
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
		strbuf_addf(&specs, ", offsetof(struct mirage_args, %s)},\n", a->field);
	}
	char ndev[32], nargs[32];
	snprintf(ndev, sizeof(ndev), "%zu", nused);
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
			      "NDEVICES",
			      ndev,
			      "ARG_SPECS",
			      specs.buf ? specs.buf : "",
			      "NARGS",
			      nargs,
			      "DEVICE_INIT",
			      init.buf ? init.buf : "",
			      "NOTE_ENTRIES",
			      note.buf ? note.buf : "",
			      NULL};
	char *out = template_render(datadir, "main.c", vars);
	free(desc);
	strbuf_release(&externs);
	strbuf_release(&specs);
	strbuf_release(&init);
	strbuf_release(&note);
	return out;
}

/* kv_NAME.S: the files of a kv_ro device with .incbin (a file costs its
 * size, not a C array five times as large), and the table of struct
 * mirage_kv_data and struct mirage_kv_entry (mirage_rt.h) that points at
 * them: 8-byte words on every 64-bit target. */
static char *render_kv(const struct graph *g, const struct device *d, const struct strlist *keys,
		       const char *datadir)
{
	char *top = path_join(g->config->realdir, d->source);
	struct strbuf data = STRBUF_INIT, table = STRBUF_INIT, names = STRBUF_INIT;
	for (size_t i = 0; i < keys->len; i++) {
		char *path = path_join(top, keys->items[i]);
		strbuf_addf(&data, "\t.balign 16\n.Lfile%zu:\n\t.incbin ", i);
		gen_asm_string(&data, path);
		strbuf_addf(&data, "\n.Lend%zu:\n", i);
		strbuf_addf(&names, ".Lkey%zu:\n\t.asciz ", i);
		gen_asm_string(&names, keys->items[i]);
		strbuf_addc(&names, '\n');
		strbuf_addf(&table, "\t.quad .Lkey%zu, .Lfile%zu, .Lend%zu - .Lfile%zu\n", i, i, i,
			    i);
		free(path);
	}
	char count[32];
	snprintf(count, sizeof(count), "%zu", keys->len);
	struct strbuf src = STRBUF_INIT;
	gen_c_comment(&src, d->source);
	const char *vars[] = {"DEVICE",	 d->name,
			      "NAME",	 g->config->name,
			      "SOURCE",	 src.buf ? src.buf : "",
			      "DATA",	 data.buf ? data.buf : "",
			      "NAMES",	 names.buf ? names.buf : "",
			      "ENTRIES", table.buf ? table.buf : "",
			      "COUNT",	 count,
			      NULL};
	char *out = template_render(datadir, "kv.S", vars);
	strbuf_release(&src);
	strbuf_release(&data);
	strbuf_release(&table);
	strbuf_release(&names);
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

/* A string that make cannot hold on one line (a control character) fails
 * the Makefile: returns it, or NULL when every string of the plan is safe. */
static const char *make_unsafe(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		if (!make_safe(s->out) || (s->cwd && !make_safe(s->cwd)))
			return s->out;
		for (size_t j = 0; j < s->inputs.len; j++)
			if (!make_safe(s->inputs.items[j]))
				return s->inputs.items[j];
		for (size_t j = 0; j < s->argv.len; j++)
			if (!make_safe(s->argv.items[j]))
				return s->argv.items[j];
	}
	return NULL;
}

/* An argument of a step's command: its output, temporary output, depfile
 * and (compiling) source as make's automatic variables when a shell takes
 * them as they are, else quoted. */
static void put_arg(struct strbuf *sb, const struct step *s, const char *arg)
{
	bool plain = shell_plain(arg);
	if (plain && !strcmp(arg, s->out))
		strbuf_adds(sb, "$@");
	else if (plain && !strcmp(arg, s->tmp) && str_starts(arg, s->out))
		strbuf_addf(sb, "$@%s", arg + strlen(s->out));
	else if (plain && s->depfile && !strcmp(arg, s->depfile) && str_starts(arg, s->out))
		strbuf_addf(sb, "$@%s", arg + strlen(s->out));
	else if (plain && s->kind == STEP_COMPILE && s->inputs.len &&
		 !strcmp(arg, s->inputs.items[0]))
		strbuf_adds(sb, "$<");
	else
		gen_make_quote(sb, arg);
}

static char *render_makefile(const struct graph *g, const struct plan *p, const char *datadir)
{
	const char *bad = make_unsafe(p);
	if (bad) {
		struct strbuf sb = STRBUF_INIT;
		gen_c_comment(&sb, bad);
		error("cannot write the Makefile: '%s' holds a control character", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	struct strbuf rules = STRBUF_INIT, clean = STRBUF_INIT, deps = STRBUF_INIT;
	struct strbuf vars_text = STRBUF_INIT;
	struct flag_set {
		size_t step, from, n; /* argv[from .. from + n) of that step */
	} *sets = NULL;
	size_t nsets = 0;
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
		if (shell_plain(s->out)) {
			strbuf_adds(&rules, "$(@D)");
		} else {
			char *dir = path_dirname(s->out);
			gen_make_quote(&rules, dir);
			free(dir);
		}
		strbuf_adds(&rules, "\n\t");
		if (s->cwd) {
			strbuf_adds(&rules, "cd ");
			gen_make_quote(&rules, s->cwd);
			strbuf_adds(&rules, " && ");
		}
		/* a compile step's flags, shared by many steps, are a variable */
		size_t from = 0, to = 0;
		if (s->kind == STEP_COMPILE)
			for (from = 1, to = s->argv.len;
			     to > 1 && strcmp(s->argv.items[to - 1], "-MMD");)
				to--;
		if (to > from + 1) {
			/* the same flags as an earlier step (compared in place) */
			size_t k = 0, nf = to - 1 - from;
			for (; k < nsets; k++) {
				const struct step *o = &p->steps[sets[k].step];
				bool same = sets[k].n == nf;
				for (size_t j = 0; same && j < nf; j++)
					same = !strcmp(o->argv.items[sets[k].from + j],
						       s->argv.items[from + j]);
				if (same)
					break;
			}
			if (k == nsets) {
				sets = xrealloc(sets, (nsets + 1) * sizeof(*sets));
				sets[nsets++] = (struct flag_set){i, from, nf};
				strbuf_addf(&vars_text, "FLAGS_%zu =", k + 1);
				struct strbuf set = STRBUF_INIT;
				for (size_t j = from; j + 1 < to; j++) {
					strbuf_addc(&set, ' ');
					gen_make_quote(&set, s->argv.items[j]);
				}
				for (const char *c = set.buf; *c; c++) {
					if (*c == '#')
						strbuf_addc(&vars_text, '\\');
					strbuf_addc(&vars_text, *c);
				}
				strbuf_addc(&vars_text, '\n');
				strbuf_release(&set);
			}
			put_arg(&rules, s, s->argv.items[0]);
			strbuf_addf(&rules, " $(FLAGS_%zu)", k + 1);
			for (size_t j = to - 1; j < s->argv.len; j++) {
				strbuf_addc(&rules, ' ');
				put_arg(&rules, s, s->argv.items[j]);
			}
		} else {
			for (size_t j = 0; j < s->argv.len; j++) {
				if (j)
					strbuf_addc(&rules, ' ');
				put_arg(&rules, s, s->argv.items[j]);
			}
		}
		strbuf_adds(&rules, " && mv -f ");
		put_arg(&rules, s, s->tmp);
		strbuf_addc(&rules, ' ');
		put_arg(&rules, s, s->out);
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
	const char *vars[] = {"NAME",	     g->config->name,
			      "TARGET",	     g->target->name,
			      "ARCH",	     g->arch->name,
			      "DESCRIPTION", desc,
			      "ARTIFACT",    artifact,
			      "RULES",	     rules.buf,
			      "CLEAN",	     clean.buf,
			      "DEPFILES",    deps.buf ? deps.buf : "",
			      "FLAGS",	     vars_text.buf ? vars_text.buf : "",
			      NULL};
	char *out = template_render(datadir, "Makefile", vars);
	free(artifact);
	free(desc);
	strbuf_release(&rules);
	strbuf_release(&clean);
	strbuf_release(&deps);
	strbuf_release(&vars_text);
	free(sets);
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
		if (d->type->init_arg != DEVTYPE_INIT_SOURCE)
			continue;
		char *name = xasprintf("kv_%s.S", d->name);
		int rc = put(dir, name, render_kv(g, d, &p->kv_keys[i], datadir), &written);
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
