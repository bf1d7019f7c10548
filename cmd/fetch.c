/* fetch.c: mirage fetch: fills the cache with the description's fetch:
 * archives (downloaded, checked against their sha256, unpacked), so that a
 * later configure, build or run can work --offline. */
#include <stdio.h>

#include "../lib/json.h"
#include "cmd.h"

static int fetch(struct cmd *c)
{
	/* the dispatcher fetched (CMD_DOWNLOAD): say where each one is */
	const struct config *cfg = &c->p.config;
	struct json *list = c->json ? json_array() : NULL;
	for (size_t i = 0; i < cfg->nfetches; i++) {
		const char *dir = c->p.fetch_dirs[i];
		if (list) {
			struct json *e = json_object();
			json_set_str(e, "url", cfg->fetches[i].url);
			json_set_str(e, "sha256", cfg->fetches[i].sha256);
			json_set_str(e, "dir", dir);
			json_push(list, e);
		} else {
			printf("%s: in the cache (%s)\n", cfg->fetches[i].url, dir);
		}
	}
	if (list) {
		c->report = json_object();
		json_set(c->report, "fetched", list);
	} else if (!cfg->nfetches) {
		printf("nothing to fetch: the description has no fetch: entries\n");
	}
	return 0;
}

const struct command cmd_fetch = {
    .name = "fetch",
    .fn = fetch,
    .flags = CMD_PROJECT | CMD_USE_LAST | CMD_DOWNLOAD | CMD_JSON,
    .summary = "download the description's fetch: archives into the cache",
    .help = "Downloads every archive of the description's fetch: entries that is not in the\n"
	    "cache yet, checks its sha256 and unpacks it, and says where each one is; then\n"
	    "configure, build and run can work without the network (--offline).\n",
};
