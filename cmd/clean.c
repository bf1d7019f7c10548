/* clean.c: mirage clean. */
#include <stdio.h>
#include <stdlib.h>

#include "../lib/diag.h"
#include "cmd.h"

static int clean(struct cmd *c)
{
	int rc = 0;
	char *file = c->popts.file ? xstrdup(c->popts.file) : project_find_description();
	if (!file && !c->cache) {
		error("no mirage.yaml here or in a parent directory (give -f FILE)");
		return failed(FAIL_DESCRIPTION);
	}
	if (file) {
		char *dir = path_dirname(file);
		char *build = path_join(dir, "_build");
		if (remove_tree(build) < 0)
			rc = failed(FAIL_ERROR);
		else
			printf("removed %s\n", build);
		free(build);
		free(dir);
	}
	if (c->cache) {
		/* everything the tool keeps there: the runtimes, the archives */
		char *cache = project_cachedir();
		if (remove_tree(cache) < 0)
			rc = failed(FAIL_ERROR);
		else
			printf("removed %s\n", cache);
		free(cache);
	}
	free(file);
	return rc;
}

static int set_cache(struct cmd *c, const char *arg)
{
	(void)arg;
	c->cache = true;
	return 0;
}

static const struct cmd_option options[] = {
    {"cache", 0, NULL, "also remove the cache (compiled runtimes, downloaded archives)", set_cache},
    {0}};

const struct command cmd_clean = {
    .name = "clean",
    .fn = clean,
    .flags = CMD_FILE,
    .options = options,
    .summary = "remove the build directories (and the cache)",
    .help = "Removes the build directories (_build) beside the description; with --cache,\n"
	    "also the cache directory ($MIRAGE_CACHE_DIR, else ~/.cache/mirage).\n",
};
