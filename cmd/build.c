/* build.c: mirage build. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/build.h"
#include "../lib/diag.h"
#include "../lib/image.h"
#include "cmd.h"

static bool want_progress(void)
{
	const char *ci = getenv("CI");
	return isatty(STDERR_FILENO) && !(ci && *ci);
}

int build_project(struct project *p, const struct common_opts *o, int jobs, bool dry_run,
		  int *steps)
{
	if (project_configure(p) < 0)
		return EXIT_ERROR;
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct build_opts bo = {jobs, dry_run, o->verbose, want_progress() && !o->json};
	int n = build_run(&p->plan, &bo);
	if (n < 0)
		return EXIT_BUILD;
	*steps = n;
	return EXIT_OK;
}

int cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {COMMON_LONG,
						 {"jobs", required_argument, NULL, 'j'},
						 {"dry-run", no_argument, NULL, OPT_DRY_RUN},
						 {"image", required_argument, NULL, OPT_IMAGE},
						 {0}};
	const char *image_list = NULL;
	struct common_opts o = {0};
	o.project.use_last = true;
	o.project.download = true;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	bool dry_run = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, COMMON_SHORT "j:", longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("build");
		if (c == 'j') {
			char *end;
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 1024) {
				fprintf(stderr, "mirage build: -j takes a number from 1 to 1024\n");
				return EXIT_USAGE;
			}
		} else if (c == OPT_DRY_RUN) {
			dry_run = true;
		} else if (c == OPT_IMAGE) {
			image_list = optarg;
		} else if (!common_option(c, optarg, &o)) {
			return usage_error("build");
		}
	}
	if (optind != argc)
		return usage_error("build");
	if (jobs < 1)
		jobs = 1;
	common_start(&o);
	struct project p;
	int rc = project_open(&p, &o.project);
	int steps = 0;
	struct strlist kinds = STRLIST_INIT;
	if (rc == EXIT_OK && image_wanted(&p, image_list, &kinds) < 0)
		rc = image_list ? EXIT_USAGE : EXIT_DESCRIPTION;
	if (rc == EXIT_OK)
		rc = build_project(&p, &o, (int)jobs, dry_run, &steps);
	if (rc == EXIT_OK && !dry_run) {
		int made = image_update(&p, &kinds);
		if (made < 0)
			rc = EXIT_BUILD;
		else
			steps += made;
	}
	struct json *report = NULL;
	if (o.json && p.have_plan) {
		report = json_object();
		json_set_str(report, "name", p.config.name);
		json_set_str(report, "target", p.target.name);
		json_set_str(report, "arch", p.graph.arch->name);
		json_set_str(report, "builddir", p.builddir);
		json_set_int(report, "steps_run", steps);
		json_set_bool(report, "dry_run", dry_run);
		struct json *arts = json_array();
		for (size_t i = 0; rc == EXIT_OK && !dry_run && i < kinds.len; i++)
			json_push(arts, artifact_json(&p, kinds.items[i]));
		json_set(report, "artifacts", arts);
	} else if (rc == EXIT_OK && !dry_run && !o.json) {
		for (size_t i = 0; i < kinds.len; i++) {
			char *a = image_path(&p, kinds.items[i]);
			printf(steps ? "built %s\n" : "%s is up to date\n", a);
			free(a);
		}
	}
	strlist_release(&kinds);
	project_release(&p);
	return finish(&o, rc, report);
}
