/* project.c: loading, choosing, resolving: the common start of commands. */
#include "project.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fetch.h"
#include "gen.h"
#include "json.h"
#include "last.h"
#include "stamp.h"

#define DESCRIPTION "mirage.yaml"
#define LAST_FILE   "_build/last.json"

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

/* mirage.yaml here, else in the nearest parent directory that has one (as a
 * relative path: "../../mirage.yaml"). NULL when there is none. */
char *project_find_description(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	struct strbuf up = STRBUF_INIT;
	for (;;) {
		char *candidate = xasprintf("%s%s", up.buf ? up.buf : "", DESCRIPTION);
		if (is_file(candidate)) {
			strbuf_release(&up);
			return candidate;
		}
		free(candidate);
		char *slash = strrchr(cwd, '/');
		if (!slash || slash == cwd)
			break;
		*slash = '\0';
		strbuf_adds(&up, "../");
	}
	strbuf_release(&up);
	return NULL;
}

/* What the last configure beside the description chose (empty when none,
 * or unreadable: it is only a default); *outside: a build directory it
 * names outside _build/. */
static void read_last(const struct config *c, struct last *l, char **outside)
{
	char *path = path_join(c->dir, LAST_FILE);
	char *text = file_read(path, NULL);
	free(path);
	*outside = NULL;
	if (text)
		last_parse(text, l, outside);
	free(text);
}

static int choose_target(struct project *p, const struct project_opts *o, const struct last *last,
			 const char **name)
{
	const char *want = o->target;
	const char *from = "-t";
	const char *env = getenv("MIRAGE_DEFAULT_TARGET"), *forced = getenv("MIRAGE_TARGET");
	if (!want && forced && *forced)
		want = forced, from = "MIRAGE_TARGET";
	if (!want && o->use_last && last->target)
		want = last->target, from = LAST_FILE;
	if (!want && env && *env)
		want = env, from = "MIRAGE_DEFAULT_TARGET";
	if (!want)
		want = "unix";
	*name = want;
	if (strlist_has(&p->installed, want))
		return 0;
	char *hint = suggestion(want, (const char *const *)p->installed.items, p->installed.len);
	error("unknown target '%s' (from %s; %s)", want, from, hint);
	free(hint);
	return failed(FAIL_USAGE);
}

/* Whether impls holds a choice for the type of choice ("TYPE=IMPL"). */
static bool has_type(const struct strlist *impls, const char *choice)
{
	size_t n = strcspn(choice, "=");
	for (size_t i = 0; i < impls->len; i++)
		if (!strncmp(impls->items[i], choice, n) && impls->items[i][n] == '=')
			return true;
	return false;
}

/* The implementations chosen: --impl's (the last of a type wins), then those
 * the last configure chose for the target that it still offers. */
static void choose_impls(struct project *p, const struct project_opts *o, const struct last *last,
			 const char *arch)
{
	for (size_t i = o->impls.len; i-- > 0;)
		if (!has_type(&p->impls, o->impls.items[i]))
			strlist_push(&p->impls, o->impls.items[i]);
	struct strlist before = STRLIST_INIT;
	last_impls(last, p->target.name, &before);
	const struct target_arch *a = target_find_arch(&p->target, arch);
	for (size_t i = 0; i < before.len; i++) {
		const char *eq = strchr(before.items[i], '=');
		char *type = xstrndup(before.items[i], (size_t)(eq - before.items[i]));
		const struct devtype *dt = devtype_find(type);
		if (a && dt && target_find_impl(&p->target, a, dt, eq + 1) &&
		    !has_type(&p->impls, before.items[i]))
			strlist_push(&p->impls, before.items[i]);
		free(type);
	}
	strlist_release(&before);
}

static int set_builddir_abs(struct project *p)
{
	if (p->builddir[0] == '/') {
		p->builddir_abs = path_normalize(p->builddir);
		return 0;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		error("getcwd:");
		return failed(FAIL_ERROR);
	}
	char *joined = path_join(cwd, p->builddir);
	p->builddir_abs = path_normalize(joined);
	free(joined);
	return 0;
}

/* What every way of opening starts with: the data and cache directories,
 * the installed targets, the description's path (NULL: none, recorded). */
static char *open_common(struct project *p, const struct project_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->lock = -1;
	p->datadir = project_datadir();
	if (!p->datadir) {
		failed(FAIL_ERROR);
		return NULL;
	}
	p->targets_root = path_join(p->datadir, "targets");
	p->cachedir = project_cachedir();
	target_list(p->targets_root, &p->installed);
	char *file = o->file ? xstrdup(o->file) : project_find_description();
	if (!file || !is_file(file)) {
		if (!o->file)
			error("no mirage.yaml here or in a parent directory (give -f FILE, or "
			      "create one with 'mirage init')");
		else
			error("cannot read the description %s: no such file", file);
		free(file);
		failed(FAIL_DESCRIPTION);
		return NULL;
	}
	return file;
}

int project_open_for_run(struct project *p, const struct project_opts *o,
			 const struct stamp_facts *f)
{
	diag_hold(); /* a failure here is no one's: the full path follows */
	char *file = open_common(p, o);
	struct config_env env = {&p->installed, o->allow_unsafe_flags};
	int rc = file ? config_load(&p->config, file, &env) : -1;
	free(file);
	p->have_config = file != NULL;
	if (rc == 0 && target_load_for_run(&p->target, p->targets_root, f->target) == 0)
		p->have_target = true;
	else
		rc = -1;
	if (rc == 0) {
		strlist_add_all(&p->impls, &f->impls);
		if (graph_resolve(&p->graph, &p->config, &p->target, f->arch, &p->impls) == 0)
			p->have_graph = true;
		else
			rc = -1;
	}
	if (rc == 0) {
		p->builddir = xstrdup(f->builddir);
		rc = set_builddir_abs(p);
	}
	if (rc < 0)
		diag_discard_held();
	else
		diag_release_sorted();
	p->fresh = rc == 0;
	return rc;
}

int project_open(struct project *p, const struct project_opts *o)
{
	char *file = open_common(p, o);
	if (!file)
		return -1;
	/* every error of the description, its target and its devices, in file order */
	diag_hold();
	struct config_env env = {&p->installed, o->allow_unsafe_flags};
	int rc = config_load(&p->config, file, &env);
	free(file);
	p->have_config = true;
	struct last last = LAST_INIT;
	char *outside = NULL;
	const char *tname = NULL, *arch = NULL;
	if (p->config.yaml.root) {
		read_last(&p->config, &last, &outside);
		if (choose_target(p, o, &last, &tname) < 0)
			rc = -1;
		else if (target_load(&p->target, p->targets_root, tname) < 0)
			rc = -1;
		else
			p->have_target = true;
	}
	if (p->have_target) {
		const char *env_arch = getenv("MIRAGE_ARCH");
		arch = o->arch		       ? o->arch
		       : env_arch && *env_arch ? env_arch
					       : last_arch(&last, tname);
		if (!arch)
			arch = host_arch();
		choose_impls(p, o, &last, arch);
		if (graph_resolve(&p->graph, &p->config, &p->target, arch, &p->impls) < 0)
			rc = -1;
		else
			p->have_graph = true;
	}
	diag_release_sorted();
	bool same = rc == 0 && p->have_graph && last.target && last.arch &&
		    !strcmp(last.target, tname) && !strcmp(last.arch, arch);
	if (same && outside && !o->outdir) {
		error("%s names the build directory '%s', outside _build/: give it again with -o",
		      LAST_FILE, outside);
		rc = failed(FAIL_USAGE);
	}
	if (rc < 0 || !p->have_graph) {
		last_release(&last);
		free(outside);
		return -1;
	}
	if (o->outdir)
		p->builddir = xstrdup(o->outdir);
	else if (same && last.builddir)
		p->builddir = path_join(p->config.dir, last.builddir);
	else {
		char *rel = xasprintf("_build/%s-%s", tname, arch);
		p->builddir = path_join(p->config.dir, rel);
		free(rel);
	}
	last_release(&last);
	free(outside);
	if (set_builddir_abs(p) < 0)
		return -1;
	/* a kv_ro directory never holds the build directory: it would embed
	 * itself, growing at every build (the project's _build is left out of
	 * every kv_ro directory) */
	char *realbuild = realpath(p->builddir_abs, NULL);
	const char *bd = realbuild ? realbuild : p->builddir_abs;
	char *projbuild = path_join(p->config.realdir, "_build");
	for (size_t i = 0; i < p->config.ndevices && !path_under(bd, projbuild); i++) {
		const struct device *d = &p->config.devices[i];
		if (!d->source)
			continue;
		char *src = path_join(p->config.dir, d->source);
		char *real = realpath(src, NULL);
		if (real && path_under(bd, real)) {
			error_at(&d->source_pos,
				 "device '%s': source '%s' holds the build directory %s: it would "
				 "embed itself",
				 d->name, d->source, p->builddir);
			rc = failed(FAIL_DESCRIPTION);
		}
		free(real);
		free(src);
	}
	free(projbuild);
	free(realbuild);
	return rc;
}

bool project_offline(const struct project_opts *o)
{
	const char *env = getenv("MIRAGE_OFFLINE");
	return o->offline || (env && *env && strcmp(env, "0"));
}

int project_fetch(struct project *p, bool download)
{
	const struct config *c = &p->config;
	const struct target *t = &p->target;
	p->fetch_dirs = xcalloc(c->nfetches + 1, sizeof(*p->fetch_dirs));
	int rc = 0;
	/* the target's libraries from packages: local, so always made */
	for (size_t i = 0; i < t->nlibraries; i++)
		if (t->libraries[i].archive && library_unpack(&t->libraries[i], p->cachedir) < 0)
			rc = failed(FAIL_ERROR);
	for (size_t i = 0; i < c->nfetches; i++) {
		p->fetch_dirs[i] = fetch_get(&c->fetches[i], p->cachedir, download);
		if (!p->fetch_dirs[i] && download)
			rc = failed(FAIL_FETCH);
		else if (!p->fetch_dirs[i] && p->offline) {
			error_at(&c->fetches[i].pos,
				 "fetch: %s is not in the cache, and --offline (or MIRAGE_OFFLINE) "
				 "forbids downloading it: run mirage fetch where the network is",
				 c->fetches[i].url);
			rc = failed(FAIL_FETCH);
		}
	}
	return rc;
}

int project_plan(struct project *p)
{
	int rc = plan_make(&p->plan, &p->graph, p->builddir_abs, p->cachedir,
			   (const char *const *)p->fetch_dirs);
	p->have_plan = true; /* released in every case: a failed plan holds what it made */
	return rc < 0 ? failed(FAIL_DESCRIPTION) : 0;
}

/* Remembers the target and architecture, and the build directory when it is
 * inside the description's directory. */
static int save_last(struct project *p)
{
	char *dir = path_join(p->config.dir, "_build");
	if (mkdir_p(dir) < 0) {
		free(dir);
		return -1;
	}
	free(dir);
	struct last old = LAST_INIT, now = LAST_INIT;
	char *outside;
	read_last(&p->config, &old, &outside);
	free(outside);
	now.target = xstrdup(p->target.name);
	now.arch = xstrdup(p->graph.arch->name);
	/* the build directory, relative to the description's when inside it */
	char *descdir = realpath(p->config.dir, NULL);
	const char *bd = p->builddir_abs;
	size_t n = descdir ? strlen(descdir) : 0;
	if (descdir && !strncmp(bd, descdir, n) && bd[n] == '/')
		bd += n + 1;
	now.builddir = xstrdup(bd);
	free(descdir);
	/* the architecture and the implementations of every target configured here */
	size_t tn = strlen(now.target);
	strlist_pushf(&now.arches, "%s=%s", now.target, now.arch);
	for (size_t i = 0; i < old.arches.len; i++)
		if (strncmp(old.arches.items[i], now.target, tn) || old.arches.items[i][tn] != '=')
			strlist_push(&now.arches, old.arches.items[i]);
	for (size_t i = 0; i < p->impls.len; i++)
		strlist_pushf(&now.impls, "%s:%s", now.target, p->impls.items[i]);
	for (size_t i = 0; i < old.impls.len; i++)
		if (strncmp(old.impls.items[i], now.target, tn) || old.impls.items[i][tn] != ':')
			strlist_push(&now.impls, old.impls.items[i]);
	char *text = last_render(&now);
	last_release(&old);
	last_release(&now);
	char *path = path_join(p->config.dir, LAST_FILE);
	int rc = file_write_if_changed(path, text, strlen(text));
	free(path);
	free(text);
	return rc < 0 ? -1 : 0;
}

int project_configure(struct project *p)
{
	if (mkdir_p(p->builddir_abs) < 0)
		return failed(FAIL_ERROR);
	if (p->lock < 0) {
		/* one mirage at a time in a build directory: the others wait */
		char *lp = path_join(p->builddir_abs, ".lock");
		p->lock = lock_file(lp, p->builddir);
		free(lp);
		if (p->lock < 0)
			return failed(FAIL_ERROR);
	}
	int n = gen_write(&p->graph, &p->plan, p->datadir);
	if (n < 0 || save_last(p) < 0)
		return failed(FAIL_ERROR);
	return n;
}

char *project_artifact(const struct project *p)
{
	char *name = plan_artifact_name(&p->graph);
	char *path = path_join(p->builddir, name);
	free(name);
	return path;
}

void project_unlock(struct project *p)
{
	if (p->lock >= 0)
		close(p->lock);
	p->lock = -1;
}

void project_release(struct project *p)
{
	for (size_t i = 0; p->fetch_dirs && i < p->config.nfetches; i++)
		free(p->fetch_dirs[i]);
	free(p->fetch_dirs);
	if (p->have_plan)
		plan_release(&p->plan);
	if (p->have_graph)
		graph_release(&p->graph);
	if (p->have_target)
		target_release(&p->target);
	if (p->have_config)
		config_release(&p->config);
	strlist_release(&p->installed);
	strlist_release(&p->impls);
	project_unlock(p);
	free(p->datadir);
	free(p->targets_root);
	free(p->cachedir);
	free(p->builddir);
	free(p->builddir_abs);
	memset(p, 0, sizeof(*p));
	p->lock = -1;
}
