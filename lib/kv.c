/* kv.c: walking a kv_ro directory. */
#include "kv.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 32

struct walk {
	const struct config *c;
	const struct device *d;
	const char *top; /* the source directory, resolved */
	char *skip;	 /* the project's _build, resolved */
	struct strlist *keys;
	const char *chain[MAX_DEPTH + 1]; /* the resolved directories being walked */
	int depth;
};

static int walk_dir(struct walk *w, const char *real, const char *rel);

static int walk_entry(struct walk *w, const char *full, const char *key)
{
	for (const char *s = key; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return error_at(&w->d->source_pos,
					"device '%s': a file name below '%s' holds a control "
					"character",
					w->d->name, w->d->source);
	struct stat st;
	if (lstat(full, &st) < 0)
		return error_at(&w->d->source_pos, "device '%s': %s:", w->d->name, full);
	bool link = S_ISLNK(st.st_mode);
	char *real = realpath(full, NULL);
	if (!real) /* a dangling link */
		return error_at(&w->d->source_pos, "device '%s': '%s/%s' is a broken link",
				w->d->name, w->d->source, key);
	int rc = 0;
	if (link && !path_under(real, w->top)) {
		rc = error_at(&w->d->source_pos,
			      "device '%s': '%s/%s' is a link that leaves '%s': refused",
			      w->d->name, w->d->source, key, w->d->source);
	} else if (is_dir(real)) {
		if (!strcmp(real, w->skip))
			; /* the build directory: never embedded */
		else
			rc = walk_dir(w, real, key);
	} else if (is_file(real)) {
		strlist_push(w->keys, key);
	}
	free(real);
	return rc;
}

static int walk_dir(struct walk *w, const char *real, const char *rel)
{
	for (int i = 0; i < w->depth; i++)
		if (!strcmp(w->chain[i], real))
			return error_at(&w->d->source_pos,
					"device '%s': '%s/%s' is a link to a directory above it: "
					"a loop",
					w->d->name, w->d->source, rel);
	if (w->depth == MAX_DEPTH)
		return error_at(&w->d->source_pos, "device '%s': '%s' is nested too deeply",
				w->d->name, w->d->source);
	char *dir = rel ? path_join(w->top, rel) : xstrdup(w->top);
	DIR *dp = opendir(dir);
	if (!dp) {
		int rc = error_at(&w->d->source_pos, "device '%s': open %s:", w->d->name, dir);
		free(dir);
		return rc;
	}
	struct strlist names = STRLIST_INIT;
	struct dirent *e;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			strlist_push(&names, e->d_name);
	closedir(dp);
	w->chain[w->depth++] = real;
	int rc = 0;
	for (size_t i = 0; i < names.len && rc == 0; i++) {
		char *key = rel ? xasprintf("%s/%s", rel, names.items[i]) : xstrdup(names.items[i]);
		char *full = path_join(dir, names.items[i]);
		rc = walk_entry(w, full, key);
		free(full);
		free(key);
	}
	w->depth--;
	strlist_release(&names);
	free(dir);
	return rc;
}

int kv_collect(const struct config *c, const struct device *d, struct strlist *keys)
{
	char *src = path_join(c->dir, d->source);
	char *top = realpath(src, NULL);
	free(src);
	if (!top)
		return error_at(&d->source_pos, "device '%s': source '%s':", d->name, d->source);
	struct walk w = {c, d, top, path_join(c->realdir, "_build"), keys, {NULL}, 0};
	int rc = walk_dir(&w, top, NULL);
	strlist_sort(keys);
	free(w.skip);
	free(top);
	return rc;
}
