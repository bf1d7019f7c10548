/* configure.c: mirage configure. */
#include <getopt.h>
#include <stdio.h>

#include "../lib/gen.h"
#include "cmd.h"

int cmd_configure(int argc, char **argv)
{
	static const struct option longopts[] = {COMMON_LONG, {0}};
	struct common_opts o = {0};
	o.project.download = true;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("configure");
		if (!common_option(c, optarg, &o))
			return usage_error("configure");
	}
	if (optind != argc)
		return usage_error("configure");
	common_start(&o);
	struct project p;
	int rc = project_open(&p, &o.project);
	struct json *report = NULL;
	if (rc == EXIT_OK) {
		int n = project_configure(&p);
		if (n < 0) {
			rc = EXIT_ERROR;
		} else if (o.json) {
			report = json_object();
			json_set_str(report, "name", p.config.name);
			json_set_str(report, "target", p.target.name);
			json_set_str(report, "arch", p.graph.arch->name);
			json_set_str(report, "builddir", p.builddir);
			json_set_int(report, "files_written", n);
		} else {
			printf("configured %s for %s (%s) in %s\n", p.config.name, p.target.name,
			       p.graph.arch->name, p.builddir);
		}
	}
	project_release(&p);
	return finish(&o, rc, report);
}
