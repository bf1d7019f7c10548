/* plan.c: the build plan: runtime, user objects, archive, link. */
#include "plan.h"

#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ccinc.h"
#include "kv.h"
#include "library.h"
#include "sha256.h"

static struct step *new_step(struct plan *p, enum step_kind kind, const char *out)
{
	p->steps = xrealloc(p->steps, (p->n + 1) * sizeof(*p->steps));
	struct step *s = &p->steps[p->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->out = xstrdup(out);
	s->tmp = xasprintf("%s.tmp", out);
	return s;
}

/* Object path for a source: its path with ".." made harmless, under dir. */
static char *object_path(const char *dir, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, dir);
	strbuf_addc(&sb, '/');
	for (const char *s = rel; *s; s++) {
		if (s[0] == '.' && s[1] == '.' && (s == rel || s[-1] == '/')) {
			strbuf_adds(&sb, "_up");
			s++;
		} else if (*s == '/' && s != rel && s[-1] == '/') {
			continue;
		} else {
			strbuf_addc(&sb, *s);
		}
	}
	strbuf_adds(&sb, ".o");
	return strbuf_detach(&sb);
}

/* Compiles src (absolute) into obj in cwd (NULL: anywhere); in its messages
 * the prefix shown_from is shown as shown_as. */
static struct step *compile_step(struct plan *p, const char *cwd, const char *src, const char *obj,
				 const struct strlist *flags, const char *cc, const char *label)
{
	struct step *s = new_step(p, STEP_COMPILE, obj);
	s->depfile = xasprintf("%s.d", obj);
	s->label = xasprintf("cc %s", label);
	s->cwd = cwd ? xstrdup(cwd) : NULL;
	strlist_push(&s->inputs, src);
	strlist_push(&s->argv, cc);
	strlist_add_all(&s->argv, flags);
	strlist_push(&s->argv, "-MMD");
	strlist_push(&s->argv, "-MT");
	strlist_push(&s->argv, obj);
	strlist_push(&s->argv, "-MF");
	strlist_push(&s->argv, s->depfile);
	strlist_push(&s->argv, "-c");
	strlist_push(&s->argv, src);
	strlist_push(&s->argv, "-o");
	strlist_push(&s->argv, s->tmp);
	return s;
}

static void shown(struct step *s, const char *from, const char *as)
{
	s->shown_from = xasprintf("%s/", from);
	s->shown_as = !strcmp(as, ".") ? xstrdup("") : xasprintf("%s/", as);
}

/* The maps that make dir read as `as` in the object (debug information,
 * __FILE__): the directory itself as `as`, the files below it relative. The
 * last map that matches wins. */
static void prefix_maps(struct strlist *flags, const char *dir, const char *as, bool relative)
{
	strlist_pushf(flags, "-ffile-prefix-map=%s=%s", dir, as);
	if (relative)
		strlist_pushf(flags, "-ffile-prefix-map=%s/=", dir);
}

static void hash_str(struct sha256 *h, const char *s)
{
	sha256_update(h, s, strlen(s) + 1);
}

/* path's name and content into h; path noted in seen (the stamp's inputs). */
static int hash_file(struct sha256 *h, const char *path, struct strlist *seen)
{
	strlist_push(seen, path);
	size_t len;
	char *data = file_read(path, &len);
	if (!data)
		return error("read %s:", path);
	hash_str(h, path_basename(path));
	sha256_update(h, &len, sizeof(len));
	sha256_update(h, data, len);
	free(data);
	return 0;
}

/* Every file below dir, sorted, into h. */
static int hash_tree(struct sha256 *h, const char *dir, struct strlist *seen)
{
	strlist_push(seen, dir);
	DIR *d = opendir(dir);
	if (!d)
		return error("open %s:", dir);
	struct strlist names = STRLIST_INIT;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			strlist_push(&names, e->d_name);
	closedir(d);
	strlist_sort(&names);
	int rc = 0;
	for (size_t i = 0; i < names.len && rc == 0; i++) {
		char *p = path_join(dir, names.items[i]);
		hash_str(h, names.items[i]);
		rc = is_dir(p) ? hash_tree(h, p, seen) : hash_file(h, p, seen);
		free(p);
	}
	strlist_release(&names);
	return rc;
}

/* The header trees the runtime and the libraries are compiled against: the
 * target's and those the libraries give. */
static int hash_includes(struct sha256 *h, const struct target *t, struct strlist *seen)
{
	int rc = 0;
	for (size_t i = 0; i < t->include.len && rc == 0; i++) {
		char *p = path_join(t->root, t->include.items[i]);
		rc = hash_tree(h, p, seen);
		free(p);
	}
	for (size_t k = 0; k < t->nlibraries; k++)
		for (size_t i = 0; i < t->libraries[k].include.len && rc == 0; i++) {
			char *p = path_join(t->root, t->libraries[k].include.items[i]);
			rc = hash_tree(h, p, seen);
			free(p);
		}
	return rc;
}

static int runtime_key(const struct graph *g, const struct strlist *flags, char key[65],
		       struct strlist *seen)
{
	const struct target *t = g->target;
	struct sha256 h;
	sha256_init(&h);
	hash_str(&h, "mirage runtime 3");
	hash_str(&h, t->name);
	hash_str(&h, g->arch->name);
	hash_str(&h, g->arch->cc);
	hash_str(&h, g->arch->ar);
	for (size_t i = 0; i < flags->len; i++)
		hash_str(&h, flags->items[i]);
	struct strlist rt = STRLIST_INIT;
	target_runtime(t, g->arch, &rt);
	int rc = 0;
	for (size_t i = 0; i < rt.len && rc == 0; i++) {
		char *p = path_join(t->root, rt.items[i]);
		rc = hash_file(&h, p, seen);
		free(p);
	}
	strlist_release(&rt);
	if (rc == 0)
		rc = hash_includes(&h, t, seen);
	if (rc == 0)
		sha256_final_hex(&h, key);
	return rc;
}

char *plan_artifact_name(const struct graph *g)
{
	return xasprintf("%s.%s", g->config->name, g->target->name);
}

void plan_generated_sources(const struct graph *g, struct strlist *out)
{
	strlist_push(out, "main.c");
	for (size_t i = 0; i < g->n; i++)
		if (g->order[i].dev->type->init_arg == DEVTYPE_INIT_SOURCE)
			strlist_pushf(out, "kv_%s.S", g->order[i].dev->name);
}

/* Compile steps for the sources of a fetched archive unpacked in dir. */
static int fetch_sources(struct plan *p, const struct fetch *f, const char *dir, const char *objdir,
			 const struct strlist *flags, const char *cc, struct strlist *objs)
{
	int rc = 0;
	char *realdir = realpath(dir, NULL);
	struct strlist fflags = STRLIST_INIT;
	strlist_add_all(&fflags, flags);
	strlist_add_all(&fflags, &f->cflags);
	prefix_maps(&fflags, dir, "fetch", true);
	char *sub = xasprintf("%s/fetch/%.12s", objdir, f->sha256);
	for (size_t i = 0; i < f->sources.len; i++) {
		char *pattern = path_join(dir, f->sources.items[i]);
		glob_t gl;
		int grc = glob(pattern, 0, NULL, &gl);
		size_t found = 0;
		size_t n = strlen(dir);
		for (size_t k = 0; grc == 0 && k < gl.gl_pathc; k++) {
			const char *path = gl.gl_pathv[k];
			if (strncmp(path, dir, n) || path[n] != '/')
				continue;
			const char *rel = path + n + 1;
			if (!str_ends(rel, ".c") && !str_ends(rel, ".S"))
				continue;
			char *real = realpath(path, NULL);
			bool inside = real && realdir && path_under(real, realdir);
			free(real);
			if (!inside) {
				rc = error_at(&f->sources_pos[i],
					      "fetch: '%s' is a link that leaves the archive of %s",
					      rel, f->url);
				continue;
			}
			char *obj = object_path(sub, rel);
			struct step *s = compile_step(p, dir, path, obj, &fflags, cc, rel);
			shown(s, dir, ".");
			strlist_push_owned(objs, obj);
			found++;
		}
		if (grc == 0)
			globfree(&gl);
		if (!found && rc == 0)
			rc = error_at(&f->sources_pos[i],
				      "fetch: '%s' matches no C source in the archive of %s",
				      f->sources.items[i], f->url);
		free(pattern);
	}
	free(sub);
	free(realdir);
	strlist_release(&fflags);
	return rc;
}

/* The steps that compile a library into its archive in the cache (sealed
 * by it: the archive's directory is named by the digest of everything that
 * goes into it, so a complete archive needs no look at its objects). An own
 * library is compiled like the runtime (own, own_fp); a package with its
 * own flags and headers, unpacked in srcdir. */
static int library_steps(struct plan *p, const struct graph *g, const struct library *l,
			 const char *root, const char *cachedir, const char *srcdir,
			 const struct strlist *own, const struct strlist *own_fp, const char *ccinc)
{
	const struct target *t = g->target;
	const struct target_arch *a = g->arch;
	struct strlist flags = STRLIST_INIT; /* a package's */
	if (l->archive) {
		strlist_add_all(&flags, &t->cflags);
		strlist_add_all(&flags, &a->cflags);
		strlist_add_all(&flags, &l->cflags);
		for (size_t i = 0; i < l->private_include.len; i++)
			strlist_pushf(&flags, "-I%s/%s", srcdir, l->private_include.items[i]);
		if (ccinc)
			strlist_pushf(&flags, "-isystem%s", ccinc);
		prefix_maps(&flags, root, "mirage", false);
		prefix_maps(&flags, srcdir, l->name, false);
	}
	struct sha256 h;
	sha256_init(&h);
	hash_str(&h, "mirage library 1");
	hash_str(&h, a->name);
	hash_str(&h, a->cc);
	hash_str(&h, a->ar);
	char *file = path_join(root, l->file);
	int rc = hash_file(&h, file, &p->hashed);
	free(file);
	const struct strlist *lists[] = {&flags, own, own_fp};
	for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
		for (size_t i = 0; i < lists[k]->len; i++)
			hash_str(&h, lists[k]->items[i]);
		hash_str(&h, "--");
	}
	struct strlist srcs = STRLIST_INIT;
	library_sources(l, a->name, &srcs);
	for (size_t i = 0; i < (l->archive ? l->glue.len : srcs.len) && rc == 0; i++) {
		char *src = path_join(root, l->archive ? l->glue.items[i] : srcs.items[i]);
		rc = hash_file(&h, src, &p->hashed);
		free(src);
	}
	if (rc == 0 && !l->archive)
		rc = hash_includes(&h, t, &p->hashed);
	if (rc < 0) {
		strlist_release(&srcs);
		strlist_release(&flags);
		return -1;
	}
	char key[65];
	sha256_final_hex(&h, key);
	char *dir = xasprintf("%s/lib/%s-%s-%s-%.16s", cachedir, l->name, t->name, a->name, key);
	size_t first = p->n;
	struct strlist objs = STRLIST_INIT;
	for (size_t i = 0; i < srcs.len + (l->archive ? l->glue.len : 0); i++) {
		bool glue = i >= srcs.len;
		const char *rel = glue ? l->glue.items[i - srcs.len] : srcs.items[i];
		char *src = path_join(l->archive && !glue ? srcdir : root, rel);
		char *obj = object_path(dir, rel);
		const struct strlist *f = l->archive			? &flags
					  : library_fp(l, a->name, rel) ? own_fp
									: own;
		compile_step(p, NULL, src, obj, f, a->cc, rel);
		strlist_push_owned(&objs, obj);
		free(src);
	}
	char *archive = xasprintf("%s/%s.a", dir, l->name);
	struct step *s = new_step(p, STEP_ARCHIVE, archive);
	s->label = xasprintf("ar %s.a", l->name);
	s->seals = true;
	strlist_add_all(&s->inputs, &objs);
	strlist_push(&s->argv, a->ar);
	strlist_push(&s->argv, "rcsD");
	strlist_push(&s->argv, s->tmp);
	strlist_add_all(&s->argv, &objs);
	for (size_t i = first; i < p->n - 1; i++)
		p->steps[i].seal = p->n; /* the archive's index + 1 */
	strlist_push_owned(&p->libraries, archive);
	free(dir);
	strlist_release(&objs);
	strlist_release(&srcs);
	strlist_release(&flags);
	return 0;
}

int plan_make(struct plan *p, const struct graph *g, const char *builddir, const char *cachedir,
	      const char *const *fetch_dirs)
{
	memset(p, 0, sizeof(*p));
	const struct target *t = g->target;
	const struct config *c = g->config;
	int rc = 0;
	p->builddir = xstrdup(builddir);
	p->kv_keys = xcalloc(g->n + 1, sizeof(*p->kv_keys));
	p->ndevices = g->n;
	const char *srcdir = c->realdir;
	char *root = realpath(t->root, NULL);
	if (!root)
		return error("resolve %s:", t->root);

	/* Flags shared by the runtime and user code: the target's, the
	 * architecture's, the runtime headers, the C library's, then the
	 * compiler's own, and path maps that keep absolute paths out of the
	 * artifact. */
	struct strlist base = STRLIST_INIT;
	strlist_add_all(&base, &t->cflags);
	strlist_add_all(&base, &g->arch->cflags);
	for (size_t i = 0; i < t->include.len; i++)
		strlist_pushf(&base, "-I%s/%s", root, t->include.items[i]);
	for (size_t k = 0; k < t->nlibraries; k++)
		for (size_t i = 0; i < t->libraries[k].include.len; i++)
			strlist_pushf(&base, "-I%s/%s", root, t->libraries[k].include.items[i]);
	char *ccinc = cc_include_dir(g->arch->cc, cachedir);
	if (ccinc)
		strlist_pushf(&base, "-isystem%s", ccinc);
	prefix_maps(&base, root, "mirage", false);

	/* the runtime's own flags (-mgeneral-regs-only), but for the files
	 * that need floating point; the architecture's constants */
	struct strlist rt = STRLIST_INIT, rt_fp = STRLIST_INIT;
	strlist_add_all(&rt, &base);
	strlist_add_all(&rt, &t->runtime_cflags);
	strlist_add_all(&rt_fp, &base);
	for (size_t k = 0; k < t->nlibraries; k++) {
		const struct library *l = &t->libraries[k];
		char *unpacked = l->archive ? library_srcdir(l, cachedir) : NULL;
		if (library_steps(p, g, l, root, cachedir, unpacked, &rt, &rt_fp, ccinc) < 0)
			rc = -1;
		free(unpacked);
	}
	/* the runtime alone: the host headers it may search last (unix: the
	 * Linux system calls), the architecture's constants */
	for (size_t i = 0; i < g->arch->host_include.len; i++) {
		strlist_pushf(&rt, "-idirafter%s", g->arch->host_include.items[i]);
		strlist_pushf(&rt_fp, "-idirafter%s", g->arch->host_include.items[i]);
	}
	for (size_t i = 0; i < g->arch->constants.len; i++) {
		strlist_pushf(&rt, "-DMIRAGE_%s", g->arch->constants.items[i]);
		strlist_pushf(&rt_fp, "-DMIRAGE_%s", g->arch->constants.items[i]);
	}
	struct strlist keyed = STRLIST_INIT;
	strlist_add_all(&keyed, &rt);
	strlist_push(&keyed, "--");
	strlist_add_all(&keyed, &rt_fp);
	strlist_push(&keyed, "--");
	strlist_add_all(&keyed, &t->libs);
	const char *ldscript = target_ldscript(t, g->arch);
	if (ldscript)
		strlist_push(&keyed, ldscript);

	char key[65];
	if (runtime_key(g, &keyed, key, &p->hashed) < 0)
		rc = -1;
	strlist_release(&keyed);
	if (rc < 0)
		goto out;
	p->rtdir = xasprintf("%s/rt/%s-%s-%.16s", cachedir, t->name, g->arch->name, key);
	p->rtlib = xasprintf("%s/libmirage-rt.a", p->rtdir);

	size_t first_rt = p->n;
	struct strlist rt_objs = STRLIST_INIT;
	struct strlist runtime = STRLIST_INIT;
	target_runtime(t, g->arch, &runtime);
	for (size_t i = 0; i < runtime.len; i++) {
		char *src = path_join(root, runtime.items[i]);
		char *obj = object_path(p->rtdir, runtime.items[i]);
		bool fp = strlist_has(&t->runtime_fp, runtime.items[i]);
		compile_step(p, NULL, src, obj, fp ? &rt_fp : &rt, g->arch->cc, runtime.items[i]);
		strlist_push_owned(&rt_objs, obj);
		free(src);
	}

	/* user code: the project's directory reads as ".", its files relative
	 * (the build directory, inside it, as "build") */
	struct strlist user = STRLIST_INIT;
	strlist_add_all(&user, &base);
	strlist_pushf(&user, "-I%s", builddir);
	for (size_t i = 0; i < c->include.len; i++)
		strlist_pushf(&user, "-I%s/%s", srcdir, c->include.items[i]);
	prefix_maps(&user, srcdir, ".", true);
	prefix_maps(&user, builddir, "build", false);
	if (c->nfetches)
		strlist_pushf(&user, "-ffile-prefix-map=%s/fetch=fetch", cachedir);
	for (size_t i = 0; i < c->nfetches; i++)
		for (size_t k = 0; fetch_dirs[i] && k < c->fetches[i].include.len; k++)
			strlist_pushf(&user, "-I%s/%s", fetch_dirs[i],
				      c->fetches[i].include.items[k]);
	strlist_add_all(&user, &c->cflags);

	/* generated files under obj/gen, the user's under obj/src: a user
	 * source named main.c is not the generated one */
	struct strlist objs = STRLIST_INIT;
	char *objdir = path_join(builddir, "obj");
	char *gendir = path_join(objdir, "gen"), *usrdir = path_join(objdir, "src");
	struct strlist gen = STRLIST_INIT;
	plan_generated_sources(g, &gen);
	for (size_t i = 0; i < gen.len; i++) {
		char *src = path_join(builddir, gen.items[i]);
		char *obj = object_path(gendir, gen.items[i]);
		compile_step(p, NULL, src, obj, &user, g->arch->cc, gen.items[i]);
		strlist_push_owned(&objs, obj);
		free(src);
	}
	strlist_release(&gen);
	/* the files a kv_ro device embeds are inputs of its kv_NAME.S */
	for (size_t i = 0; i < g->n; i++) {
		const struct device *d = g->order[i].dev;
		if (d->type->init_arg != DEVTYPE_INIT_SOURCE)
			continue;
		if (kv_collect(c, d, &p->kv_keys[i]) < 0) {
			rc = -1;
			continue;
		}
		char *obj = xasprintf("%s/kv_%s.S.o", gendir, d->name);
		for (size_t k = 0; k < p->n; k++) {
			if (strcmp(p->steps[k].out, obj))
				continue;
			char *top = path_join(c->realdir, d->source);
			for (size_t j = 0; j < p->kv_keys[i].len; j++)
				strlist_push_owned(&p->steps[k].inputs,
						   path_join(top, p->kv_keys[i].items[j]));
			free(top);
		}
		free(obj);
	}
	for (size_t i = 0; i < c->sources.len; i++) {
		const char *rel = c->sources.items[i];
		char *src = path_join(srcdir, rel);
		char *obj = object_path(usrdir, rel);
		struct step *s = compile_step(p, srcdir, src, obj, &user, g->arch->cc, rel);
		shown(s, srcdir, c->dir);
		strlist_push_owned(&objs, obj);
		free(src);
	}
	for (size_t i = 0; i < c->nfetches; i++)
		if (fetch_dirs[i] && fetch_sources(p, &c->fetches[i], fetch_dirs[i], objdir, &user,
						   g->arch->cc, &objs) < 0)
			rc = -1;
	for (size_t i = 0; i < c->libs.len; i++)
		strlist_push_owned(&p->user_libs, path_join(srcdir, c->libs.items[i]));
	free(gendir);
	free(usrdir);
	free(objdir);

	/* the runtime's archive seals its objects as a library's does: its
	 * directory is named by the digest of all that goes into it */
	size_t rt_archive = p->n;
	struct step *s = new_step(p, STEP_ARCHIVE, p->rtlib);
	s->label = xstrdup("ar libmirage-rt.a");
	s->seals = true;
	strlist_add_all(&s->inputs, &rt_objs);
	strlist_push(&s->argv, g->arch->ar);
	strlist_push(&s->argv, "rcsD"); /* D: no timestamps or owners */
	strlist_push(&s->argv, s->tmp);
	strlist_add_all(&s->argv, &rt_objs);
	for (size_t i = first_rt; i < first_rt + rt_objs.len; i++)
		p->steps[i].seal = rt_archive + 1;

	char *name = plan_artifact_name(g);
	p->artifact = path_join(builddir, name);
	char *elf = g->arch->objcopy ? xasprintf("%s.elf", p->artifact) : xstrdup(p->artifact);
	s = new_step(p, STEP_LINK, elf);
	s->label = xasprintf("link %s", path_basename(elf));
	strlist_add_all(&s->inputs, &objs);
	strlist_add_all(&s->inputs, &p->user_libs);
	strlist_push(&s->inputs, p->rtlib);
	strlist_add_all(&s->inputs, &p->libraries);
	strlist_push(&s->argv, g->arch->cc);
	strlist_push(&s->argv, "-o");
	strlist_push(&s->argv, s->tmp);
	strlist_add_all(&s->argv, &t->ldflags);
	strlist_add_all(&s->argv, &g->arch->ldflags);
	if (ldscript) {
		char *ld = path_join(root, ldscript);
		strlist_pushf(&s->argv, "-Wl,-T,%s", ld);
		strlist_push_owned(&s->inputs, ld);
	}
	strlist_add_all(&s->argv, &objs);
	strlist_add_all(&s->argv, &p->user_libs);
	/* a group: the runtime and the libraries refer to each other */
	strlist_push(&s->argv, "-Wl,--start-group");
	strlist_push(&s->argv, p->rtlib);
	strlist_add_all(&s->argv, &p->libraries);
	strlist_add_all(&s->argv, &t->libs);
	strlist_push(&s->argv, "-Wl,--end-group");
	if (g->arch->objcopy) {
		s = new_step(p, STEP_OBJCOPY, p->artifact);
		s->label = xasprintf("objcopy %s", name);
		strlist_push(&s->inputs, elf);
		strlist_push(&s->argv, g->arch->objcopy);
		strlist_push(&s->argv, "-O");
		strlist_push(&s->argv, "binary");
		strlist_push(&s->argv, elf);
		strlist_push(&s->argv, s->tmp);
	}
	free(elf);
	free(name);
	strlist_release(&objs);
	strlist_release(&rt_objs);
	strlist_release(&runtime);
	strlist_release(&user);
out:
	strlist_release(&rt);
	strlist_release(&rt_fp);
	strlist_release(&base);
	free(ccinc);
	free(root);
	return rc;
}

void plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct step *s = &p->steps[i];
		free(s->out);
		free(s->tmp);
		free(s->depfile);
		free(s->label);
		free(s->cwd);
		free(s->shown_from);
		free(s->shown_as);
		strlist_release(&s->inputs);
		strlist_release(&s->argv);
	}
	for (size_t i = 0; p->kv_keys && i < p->ndevices; i++)
		strlist_release(&p->kv_keys[i]);
	free(p->kv_keys);
	free(p->steps);
	strlist_release(&p->libraries);
	strlist_release(&p->hashed);
	strlist_release(&p->user_libs);
	free(p->rtdir);
	free(p->rtlib);
	free(p->artifact);
	free(p->builddir);
	memset(p, 0, sizeof(*p));
}
