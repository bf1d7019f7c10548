/* cacheent.c: cache directories made once, under a lock. */
#include "cacheent.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define COMPLETE ".mirage-complete"

/* Removes what interrupted attempts at top/name left (name.part.PID,
 * name.tmp.PID): its lock is held, so no other process is making them. */
static void remove_leftovers(const char *top, const char *name)
{
	DIR *d = opendir(top);
	if (!d)
		return;
	struct dirent *e;
	size_t n = strlen(name);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, name, n) ||
		    (strncmp(e->d_name + n, ".part.", 6) && strncmp(e->d_name + n, ".tmp.", 5)))
			continue;
		char *p = path_join(top, e->d_name);
		remove_tree(p);
		free(p);
	}
	closedir(d);
}

char *cache_entry(const char *top, const char *name, const struct cache_maker *m)
{
	char *dir = path_join(top, name);
	char *done = path_join(dir, COMPLETE);
	char *lockdir = path_join(top, ".locks");
	char *lockpath = path_join(lockdir, name);
	int lock = -1, rc = 0;
	char *part = NULL, *tmpdir = NULL;
	if (is_file(done))
		goto out;
	if (!m) {
		rc = -1;
		goto out;
	}
	if (mkdir_p(lockdir) < 0 || (lock = lock_file(lockpath, m->what)) < 0) {
		rc = -1;
		goto out;
	}
	if (is_file(done)) /* another mirage made it while we waited */
		goto out;
	remove_tree(dir);
	remove_leftovers(top, name);
	part = xasprintf("%s.part.%ld", dir, (long)getpid());
	tmpdir = xasprintf("%s.tmp.%ld", dir, (long)getpid());
	rc = mkdir_p(tmpdir);
	if (rc == 0)
		rc = m->make(tmpdir, part, m->arg);
	if (rc == 0) {
		char *mark = path_join(tmpdir, COMPLETE);
		rc = file_write_atomic(mark, m->mark, strlen(m->mark), 0644);
		free(mark);
	}
	if (rc == 0 && rename(tmpdir, dir) < 0)
		rc = error("rename %s:", tmpdir);
	remove_tree(tmpdir);
	unlink(part);
out:
	if (lock >= 0)
		close(lock);
	free(part);
	free(tmpdir);
	free(lockpath);
	free(lockdir);
	free(done);
	if (rc < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}
