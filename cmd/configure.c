/* configure.c: mirage configure. */
#include <stdio.h>

#include "cmd.h"

static int configure(struct cmd *c)
{
	struct project *p = &c->p;
	int n = project_configure(p);
	if (n < 0)
		return -1;
	if (c->json) {
		c->report = json_object();
		json_set_str(c->report, "name", p->config.name);
		json_set_str(c->report, "target", p->target.name);
		json_set_str(c->report, "arch", p->graph.arch->name);
		json_set_str(c->report, "builddir", p->builddir);
		json_set_int(c->report, "files_written", n);
	} else {
		printf("configured %s for %s (%s) in %s\n", p->config.name, p->target.name,
		       p->graph.arch->name, p->builddir);
	}
	return 0;
}

const struct command cmd_configure = {
    .name = "configure",
    .fn = configure,
    .flags = CMD_PROJECT | CMD_DOWNLOAD | CMD_PLAN | CMD_JSON | CMD_UNSAFE,
    .summary = "resolve the devices for a target and write the build directory",
    .help = "Reads the description, binds each device to the target's implementation and\n"
	    "writes the build directory: main.c, mirage_devices.h, manifest.json, kv_*.S and\n"
	    "a Makefile that rebuilds the unikernel without mirage. Unchanged files keep\n"
	    "their timestamps. Without -t, configures the default target (unix, or\n"
	    "$MIRAGE_DEFAULT_TARGET).\n",
};
