/* library.c: reads targets/common/NAME.yaml; unpacks a package's archive. */
#include "library.h"

#include <stdlib.h>
#include <string.h>

#include "arc.h"
#include "cacheent.h"
#include "diag.h"
#include "schema.h"
#include "sha256.h"

static const char *const top_keys[] = {
    "name",    "doc",	  "include", "sources", "fp",	  "arches",	     "cflags", "package",
    "version", "archive", "sha256",  "top",	"unpack", "private_include", "glue",   NULL};
static const char *const arch_keys[] = {"sources", "fp", NULL};
static const char *const package_keys[] = {"package", "version", "archive", "sha256", "top", NULL};

static int opt_word(const struct ynode *map, const char *key, const char **out)
{
	const struct ynode *n = ynode_get(map, key);
	return n ? schema_word(n, key, out) : 0;
}

/* Each name of list is one of within (fp: of the sources). */
static int check_subset(const struct ynode *at, const char *what, const struct strlist *list,
			const struct strlist *within, const struct strlist *within2)
{
	int rc = 0;
	for (size_t i = 0; i < list->len; i++)
		if (!strlist_has(within, list->items[i]) &&
		    !(within2 && strlist_has(within2, list->items[i])))
			rc = error_at(&at->pos, "%s: '%s' is not among the sources", what,
				      list->items[i]);
	return rc;
}

/* Each path names a file below root. */
static int check_files(const struct ynode *map, const char *key, const char *root,
		       const struct strlist *list, bool dirs)
{
	int rc = 0;
	for (size_t i = 0; i < list->len; i++) {
		char *p = path_join(root, list->items[i]);
		if (list->items[i][0] == '/' || strstr(list->items[i], "..") ||
		    !(dirs ? is_dir(p) : is_file(p)))
			rc = error_at(&ynode_get(map, key)->pos,
				      "%s: '%s' is not a %s of the targets directory", key,
				      list->items[i], dirs ? "directory" : "file");
		free(p);
	}
	return rc;
}

/* Paths below the archive's top directory: relative, never climbing. */
static int check_relative(const struct ynode *map, const char *key, const struct strlist *list)
{
	int rc = 0;
	for (size_t i = 0; i < list->len; i++)
		if (list->items[i][0] == '/' || strstr(list->items[i], ".."))
			rc = error_at(&ynode_get(map, key)->pos,
				      "%s: '%s' is not a path inside the archive", key,
				      list->items[i]);
	return rc;
}

static int parse_arches(struct library *l, const struct ynode *arches, const char *root)
{
	if (schema_expect(arches, "arches", YNODE_MAP) < 0)
		return -1;
	int rc = 0;
	l->arches = xcalloc(arches->n, sizeof(*l->arches));
	for (size_t i = 0; i < arches->n; i++) {
		struct library_arch *a = &l->arches[l->narches++];
		const struct ynode *spec = arches->items[i];
		a->name = arches->keys[i]->str;
		char *path = schema_path("arches", a->name);
		if (schema_expect(spec, path, YNODE_MAP) < 0 ||
		    schema_known_keys(spec, path, arch_keys) < 0 ||
		    schema_opt_strings(spec, "sources", path, &a->sources) < 0 ||
		    schema_opt_strings(spec, "fp", path, &a->fp) < 0 ||
		    check_files(spec, "sources", root, &a->sources, false) < 0 ||
		    check_subset(spec, path, &a->fp, &a->sources, &l->sources) < 0)
			rc = -1;
		free(path);
	}
	return rc;
}

static int validate(struct library *l, const char *root, const char *rel)
{
	const struct ynode *m = l->yaml.root;
	if (!m) {
		struct pos p = {l->yaml.file, 1, 1};
		return error_at(&p, "the library description is empty");
	}
	if (schema_expect(m, "", YNODE_MAP) < 0)
		return -1;
	int rc = schema_known_keys(m, "", top_keys);
	const struct ynode *name = ynode_get(m, "name"), *doc = ynode_get(m, "doc");
	if (!name || !doc)
		return error_at(&m->pos, "a library has a name and a doc");
	if (schema_word(name, "name", &l->name) < 0 || schema_word(doc, "doc", &l->doc) < 0)
		return -1;
	char *base = xstrdup(path_basename(rel));
	char *dot = strrchr(base, '.');
	if (dot)
		*dot = '\0';
	if (strcmp(base, l->name))
		rc = error_at(&name->pos, "name: '%s' does not match its file '%s'", l->name, rel);
	free(base);
	if (schema_opt_strings(m, "include", "", &l->include) < 0 ||
	    schema_opt_strings(m, "sources", "", &l->sources) < 0 ||
	    schema_opt_strings(m, "fp", "", &l->fp) < 0 ||
	    schema_opt_strings(m, "cflags", "", &l->cflags) < 0 ||
	    schema_opt_strings(m, "unpack", "", &l->unpack) < 0 ||
	    schema_opt_strings(m, "private_include", "", &l->private_include) < 0 ||
	    schema_opt_strings(m, "glue", "", &l->glue) < 0)
		rc = -1;
	for (size_t i = 0; package_keys[i]; i++) {
		const char **field[] = {&l->package, &l->version, &l->archive, &l->sha256, &l->top};
		if (opt_word(m, package_keys[i], field[i]) < 0)
			rc = -1;
	}
	if (check_files(m, "include", root, &l->include, true) < 0 ||
	    check_files(m, "glue", root, &l->glue, false) < 0)
		rc = -1;
	if (l->archive || l->package || l->sha256) {
		/* a package: every fact of its archive is written down */
		for (size_t i = 0; package_keys[i]; i++)
			if (!ynode_get(m, package_keys[i]))
				rc = error_at(&m->pos, "a package library has '%s'",
					      package_keys[i]);
		if (l->archive && l->archive[0] != '/')
			rc = error_at(&ynode_get(m, "archive")->pos,
				      "archive: '%s' is not an absolute path", l->archive);
		if (l->sha256 &&
		    (strlen(l->sha256) != 64 || strspn(l->sha256, "0123456789abcdef") != 64))
			rc = error_at(&ynode_get(m, "sha256")->pos,
				      "sha256: 64 lowercase hexadecimal digits");
		if (!l->unpack.len)
			rc = error_at(&m->pos, "a package library has 'unpack'");
		if (l->fp.len)
			rc = error_at(&ynode_get(m, "fp")->pos,
				      "fp: a package's sources are all built with floating point");
		if (check_relative(m, "sources", &l->sources) < 0 ||
		    check_relative(m, "unpack", &l->unpack) < 0 ||
		    check_relative(m, "private_include", &l->private_include) < 0 ||
		    (l->top && strchr(l->top, '/')))
			rc = -1;
	} else {
		if (l->unpack.len || l->private_include.len || l->glue.len || l->cflags.len)
			rc = error_at(&m->pos, "unpack, private_include, glue and cflags are for "
					       "a package library");
		if (check_files(m, "sources", root, &l->sources, false) < 0 ||
		    check_subset(m, "fp", &l->fp, &l->sources, NULL) < 0)
			rc = -1;
	}
	const struct ynode *arches = ynode_get(m, "arches");
	if (arches && parse_arches(l, arches, root) < 0)
		rc = -1;
	return rc;
}

int library_parse(struct library *l, const char *root, const char *rel, const char *buf, size_t len)
{
	memset(l, 0, sizeof(*l));
	l->file = xstrdup(rel);
	char *path = path_join(root, rel);
	int rc = ydoc_parse(&l->yaml, path, buf, len);
	free(path);
	if (rc == 0 && l->yaml.errors)
		rc = -1;
	if (rc == 0)
		rc = validate(l, root, rel);
	if (rc < 0)
		failed(FAIL_ERROR); /* a broken installation */
	return rc;
}

int library_load(struct library *l, const char *root, const char *rel)
{
	char *path = path_join(root, rel);
	size_t len;
	char *buf = file_read(path, &len);
	int rc;
	if (!buf) {
		memset(l, 0, sizeof(*l));
		l->file = xstrdup(rel);
		rc = error("read %s:", path);
		failed(FAIL_ERROR);
	} else {
		rc = library_parse(l, root, rel, buf, len);
	}
	free(buf);
	free(path);
	return rc;
}

void library_release(struct library *l)
{
	for (size_t i = 0; i < l->narches; i++) {
		strlist_release(&l->arches[i].sources);
		strlist_release(&l->arches[i].fp);
	}
	free(l->arches);
	strlist_release(&l->include);
	strlist_release(&l->sources);
	strlist_release(&l->fp);
	strlist_release(&l->cflags);
	strlist_release(&l->unpack);
	strlist_release(&l->private_include);
	strlist_release(&l->glue);
	ydoc_release(&l->yaml);
	free(l->file);
	memset(l, 0, sizeof(*l));
}

static const struct library_arch *find_arch(const struct library *l, const char *arch)
{
	for (size_t i = 0; i < l->narches; i++)
		if (!strcmp(l->arches[i].name, arch))
			return &l->arches[i];
	return NULL;
}

void library_sources(const struct library *l, const char *arch, struct strlist *out)
{
	for (size_t i = 0; i < l->sources.len; i++)
		strlist_push(out, l->sources.items[i]);
	const struct library_arch *a = find_arch(l, arch);
	for (size_t i = 0; a && i < a->sources.len; i++)
		strlist_push(out, a->sources.items[i]);
}

bool library_fp(const struct library *l, const char *arch, const char *src)
{
	const struct library_arch *a = find_arch(l, arch);
	return strlist_has(&l->fp, src) || (a && strlist_has(&a->fp, src));
}

/* Checks the archive against its digest, then unpacks the paths wanted. */
static int unpack(const char *dir, const char *scratch, void *arg)
{
	(void)scratch;
	const struct library *l = arg;
	char hex[65];
	if (sha256_file(l->archive, hex) < 0)
		return error("the sources of %s (%s) are missing: install the Debian package %s "
			     "(scripts/setup does)",
			     l->name, l->archive, l->package);
	if (strcmp(hex, l->sha256))
		return error("%s has sha256 %s, not the %s of %s %s that %s is pinned to: "
			     "another version of the package %s is installed",
			     l->archive, hex, l->sha256, l->package, l->version, l->file,
			     l->package);
	struct strlist only = STRLIST_INIT;
	for (size_t i = 0; i < l->unpack.len; i++)
		strlist_pushf(&only, "%s/%s", l->top, l->unpack.items[i]);
	char *what = xasprintf("%s (%s)", l->archive, l->package);
	int rc = arc_unpack(l->archive, dir, what, UINT64_MAX, (const char *const *)only.items);
	free(what);
	strlist_release(&only);
	return rc;
}

/* The cache entry of the unpacked sources: keyed by the archive and the
 * paths taken from it. */
static char *entry_name(const struct library *l)
{
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, l->sha256, strlen(l->sha256) + 1);
	for (size_t i = 0; i < l->unpack.len; i++)
		sha256_update(&h, l->unpack.items[i], strlen(l->unpack.items[i]) + 1);
	char key[65];
	sha256_final_hex(&h, key);
	return xasprintf("%s-%.16s", l->package, key);
}

char *library_srcdir(const struct library *l, const char *cachedir)
{
	char *name = entry_name(l);
	char *dir = xasprintf("%s/src/%s/%s", cachedir, name, l->top);
	free(name);
	return dir;
}

int library_unpack(const struct library *l, const char *cachedir)
{
	char *name = entry_name(l);
	char *top = path_join(cachedir, "src");
	char *mark = xasprintf("%s %s", l->archive, l->sha256);
	struct cache_maker m = {unpack, (void *)l, "the source cache", mark};
	char *dir = cache_entry(top, name, &m);
	free(mark);
	free(top);
	free(name);
	free(dir);
	return dir ? 0 : -1;
}
