/* project.c: loading, choosing, resolving: the common start of commands. */
#include "project.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "gen.h"
#include "json.h"

char *project_datadir(void)
{
	const char *env = getenv("MIRAGE_DATADIR");
	if (env && *env) {
		if (!is_dir(env))
			return error("MIRAGE_DATADIR=%s is not a directory", env), NULL;
		return xstrdup(env);
	}
	char *exe = realpath("/proc/self/exe", NULL);
	if (!exe)
		return error("cannot find the mirage binary:"), NULL;
	char *bindir = path_dirname(exe);
	free(exe);
	char *t = path_join(bindir, "targets"), *m = path_join(bindir, "templates");
	bool source_tree = is_dir(t) && is_dir(m);
	free(t);
	free(m);
	char *dir = source_tree ? xstrdup(bindir) : xasprintf("%s/../share/mirage", bindir);
	free(bindir);
	if (!source_tree) {
		char *real = realpath(dir, NULL);
		if (!real) {
			error("cannot find mirage's data directory %s (set MIRAGE_DATADIR)", dir);
			free(dir);
			return NULL;
		}
		free(dir);
		dir = real;
	}
	return dir;
}

char *project_cachedir(void)
{
	const char *env = getenv("MIRAGE_CACHE_DIR");
	if (env && *env)
		return xstrdup(env);
	env = getenv("XDG_CACHE_HOME");
	if (env && *env == '/')
		return xasprintf("%s/mirage", env);
	env = getenv("HOME");
	if (env && *env == '/')
		return xasprintf("%s/.cache/mirage", env);
	return xasprintf("/tmp/mirage-cache-%ld", (long)getuid());
}

static char *last_path(const struct config *c)
{
	return path_join(c->dir, "_build/last.json");
}

/* The target, arch and build directory last configured beside c. */
static struct json *read_last(const struct config *c)
{
	char *path = last_path(c);
	char *text = file_read(path, NULL);
	free(path);
	if (!text)
		return NULL;
	struct json *j = json_parse(text);
	free(text);
	return j;
}

static int choose_target(struct project *p, const struct project_opts *o, struct json *last,
			 const char **name)
{
	struct strlist installed = STRLIST_INIT;
	target_list(p->targets_root, &installed);
	int rc = EXIT_OK;
	/* names in the description's `targets:` must be real targets */
	const struct config *c = &p->config;
	for (size_t i = 0; i < c->targets.len; i++) {
		if (strlist_has(&installed, c->targets.items[i]))
			continue;
		const char *hint = str_suggest(c->targets.items[i],
					       (const char *const *)installed.items, installed.len);
		if (hint)
			error_at(&c->targets_pos[i],
				 "targets: unknown target '%s' (did you mean '%s'?)",
				 c->targets.items[i], hint);
		else
			error_at(&c->targets_pos[i], "targets: unknown target '%s'",
				 c->targets.items[i]);
		rc = EXIT_DESCRIPTION;
	}
	const char *want = o->target;
	const char *from = "-t";
	if (!want && o->use_last && last)
		want = json_str(json_get(last, "target")), from = "the last configure";
	if (!want && getenv("MIRAGE_DEFAULT_TARGET") && *getenv("MIRAGE_DEFAULT_TARGET"))
		want = getenv("MIRAGE_DEFAULT_TARGET"), from = "MIRAGE_DEFAULT_TARGET";
	if (!want)
		want = "unix";
	if (!strlist_has(&installed, want)) {
		const char *hint =
		    str_suggest(want, (const char *const *)installed.items, installed.len);
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < installed.len; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", installed.items[i]);
		if (hint)
			error("unknown target '%s' (from %s; did you mean '%s'?)", want, from,
			      hint);
		else
			error("unknown target '%s' (from %s; installed: %s)", want, from, sb.buf);
		strbuf_release(&sb);
		rc = EXIT_USAGE;
	}
	*name = want;
	strlist_release(&installed);
	return rc;
}

int project_open(struct project *p, const struct project_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->datadir = project_datadir();
	if (!p->datadir)
		return EXIT_ERROR;
	p->targets_root = path_join(p->datadir, "targets");
	p->cachedir = project_cachedir();

	const char *file = o->file ? o->file : "mirage.yaml";
	if (!is_file(file)) {
		if (!o->file)
			error(
			    "no mirage.yaml here (give -f FILE, or create one with 'mirage init')");
		else
			error("cannot read the description %s: no such file", file);
		return EXIT_DESCRIPTION;
	}
	if (config_load(&p->config, file) < 0)
		return EXIT_DESCRIPTION;
	p->have_config = true;

	struct json *last = read_last(&p->config);
	const char *tname;
	int rc = choose_target(p, o, last, &tname);
	if (rc != EXIT_OK) {
		json_free(last);
		return rc;
	}
	if (target_load(&p->target, p->targets_root, tname) < 0) {
		json_free(last);
		return EXIT_ERROR;
	}
	p->have_target = true;

	bool last_matches =
	    last && o->use_last && !strcmp(json_str(json_get(last, "target")) ?: "", tname);
	const char *arch = o->arch;
	if (!arch && last_matches)
		arch = json_str(json_get(last, "arch"));
	if (!arch)
		arch = host_arch();
	if (graph_resolve(&p->graph, &p->config, &p->target, arch) < 0) {
		json_free(last);
		return target_find_arch(&p->target, arch) ? EXIT_DESCRIPTION : EXIT_USAGE;
	}
	p->have_graph = true;

	const char *lastdir = last_matches && !strcmp(json_str(json_get(last, "arch")) ?: "", arch)
				  ? json_str(json_get(last, "builddir"))
				  : NULL;
	if (o->outdir)
		p->builddir = xstrdup(o->outdir);
	else if (lastdir)
		p->builddir = path_join(p->config.dir, lastdir);
	else {
		char *rel = xasprintf("_build/%s-%s", tname, arch);
		p->builddir = path_join(p->config.dir, rel);
		free(rel);
	}
	json_free(last);
	if (p->builddir[0] == '/') {
		p->builddir_abs = xstrdup(p->builddir);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd))) {
			error("getcwd:");
			return EXIT_ERROR;
		}
		p->builddir_abs = path_join(cwd, p->builddir);
	}
	int rc2 = plan_make(&p->plan, &p->graph, p->builddir_abs, p->cachedir, o->download);
	p->have_plan = true; /* released in every case: a failed plan holds what it made */
	if (rc2 < 0)
		return p->config.nfetches ? EXIT_BUILD : EXIT_ERROR;
	return EXIT_OK;
}

static int save_last(struct project *p)
{
	char *dir = path_join(p->config.dir, "_build");
	if (mkdir_p(dir) < 0) {
		free(dir);
		return -1;
	}
	free(dir);
	struct json *j = json_object();
	json_set_str(j, "target", p->target.name);
	json_set_str(j, "arch", p->graph.arch->name);
	/* relative to the description's directory when inside it */
	char *descdir = realpath(p->config.dir, NULL);
	const char *bd = p->builddir_abs;
	size_t n = descdir ? strlen(descdir) : 0;
	if (descdir && !strncmp(bd, descdir, n) && bd[n] == '/')
		bd += n + 1;
	json_set_str(j, "builddir", bd);
	free(descdir);
	char *text = json_render(j, true);
	json_free(j);
	char *path = last_path(&p->config);
	int rc = file_write_if_changed(path, text, strlen(text));
	free(path);
	free(text);
	return rc < 0 ? -1 : 0;
}

int project_configure(struct project *p)
{
	if (mkdir_p(p->builddir_abs) < 0)
		return -1;
	int n = gen_write(&p->graph, &p->plan, p->datadir);
	if (n < 0 || save_last(p) < 0)
		return -1;
	return n;
}

char *project_artifact(const struct project *p)
{
	char *name = plan_artifact_name(&p->graph);
	char *path = path_join(p->builddir, name);
	free(name);
	return path;
}

void project_release(struct project *p)
{
	if (p->have_plan)
		plan_release(&p->plan);
	if (p->have_graph)
		graph_release(&p->graph);
	if (p->have_target)
		target_release(&p->target);
	if (p->have_config)
		config_release(&p->config);
	free(p->datadir);
	free(p->targets_root);
	free(p->cachedir);
	free(p->builddir);
	free(p->builddir_abs);
	memset(p, 0, sizeof(*p));
}
