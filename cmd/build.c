/* build.c: mirage build, and the build step of mirage run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/build.h"
#include "../lib/diag.h"
#include "../lib/image.h"
#include "../lib/proc.h"
#include "../lib/sha256.h"
#include "cmd.h"

/* MIRAGE_JOBS: -j's default, for CI jobs; 0 when unset, -1 (recorded) when
 * not a number from 1 to 1024. */
static int env_jobs(void)
{
	const char *s = getenv("MIRAGE_JOBS");
	if (!s || !*s)
		return 0;
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || n < 1 || n > 1024) {
		error("MIRAGE_JOBS=%s: expected a number from 1 to 1024", s);
		return failed(FAIL_USAGE);
	}
	return (int)n;
}

int build_project(struct cmd *c, bool dry_run)
{
	if (c->p.fresh)
		return 0; /* the stamp says so */
	int jobs = c->jobs > 0 ? c->jobs : env_jobs();
	if (jobs < 0 || project_configure(&c->p) < 0)
		return -1;
	if (jobs == 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct build_opts bo = {jobs, dry_run, c->verbose, diag_progress()};
	return build_run(&c->p.plan, &bo);
}

struct json *artifact_json(const struct project *p, const char *kind)
{
	struct json *a = json_object();
	char *path = image_path(p, kind);
	json_set_str(a, "path", path);
	if (!strcmp(kind, "kernel"))
		kind = runner_find(p->target.runner)->artifact_kind;
	json_set_str(a, "kind", kind);
	json_set_str(a, "target", p->target.name);
	json_set_str(a, "arch", p->graph.arch->name);
	struct stat st;
	if (stat(path, &st) == 0) {
		json_set_int(a, "size", (int64_t)st.st_size);
		char hex[65];
		if (sha256_file(path, hex) == 0)
			json_set_str(a, "sha256", hex);
	}
	free(path);
	return a;
}

static int build(struct cmd *c)
{
	struct project *p = &c->p;
	if (p->fresh) {
		for (size_t i = 0; i < c->facts.said.len; i++)
			puts(c->facts.said.items[i]);
		return 0;
	}
	struct strlist kinds = STRLIST_INIT;
	int steps = 0;
	/* MIRAGE_IMAGES: --image's default, for CI jobs */
	const char *env_images = getenv("MIRAGE_IMAGES");
	bool from_env = !c->image && env_images && *env_images;
	int rc = image_wanted(p, from_env ? env_images : c->image,
			      from_env ? "MIRAGE_IMAGES" : "--image", &kinds);
	if (c->sbom && !strlist_has(&kinds, "spdx"))
		strlist_push(&kinds, "spdx");
	int64_t t0 = proc_now_ms();
	if (rc == 0)
		rc = steps = build_project(c, c->dry_run);
	int64_t t1 = proc_now_ms();
	if (rc >= 0 && !c->dry_run) {
		int made = image_update(p, &kinds);
		if (made < 0)
			rc = -1;
		else
			steps += made;
	}
	int64_t t2 = proc_now_ms();
	if (c->json) {
		c->report = json_object();
		json_set_str(c->report, "name", p->config.name);
		json_set_str(c->report, "target", p->target.name);
		json_set_str(c->report, "arch", p->graph.arch->name);
		json_set_str(c->report, "builddir", p->builddir);
		json_set_int(c->report, "steps_run", steps < 0 ? 0 : steps);
		json_set_bool(c->report, "dry_run", c->dry_run);
		/* wall-clock milliseconds: compiling and linking, then the images */
		struct json *timings = json_object();
		json_set_int(timings, "build_ms", t1 - t0);
		json_set_int(timings, "images_ms", t2 - t1);
		json_set(c->report, "timings", timings);
		struct json *arts = json_array();
		for (size_t i = 0; rc >= 0 && !c->dry_run && i < kinds.len; i++)
			json_push(arts, artifact_json(p, kinds.items[i]));
		json_set(c->report, "artifacts", arts);
	} else if (rc >= 0 && !c->dry_run) {
		struct strlist said = STRLIST_INIT, made = STRLIST_INIT;
		for (size_t i = 0; i < kinds.len; i++) {
			char *a = image_path(p, kinds.items[i]);
			printf(steps ? "built %s\n" : "%s is up to date\n", a);
			strlist_pushf(&said, "%s is up to date", a);
			strlist_push_owned(&made, a);
		}
		fast_record(&cmd_build, c, &said, &made);
		strlist_release(&said);
		strlist_release(&made);
	}
	strlist_release(&kinds);
	return rc < 0 ? -1 : 0;
}

static int set_jobs(struct cmd *c, const char *arg)
{
	char *end;
	long jobs = strtol(arg, &end, 10);
	if (*end || end == arg || jobs < 1 || jobs > 1024) {
		fprintf(stderr, "mirage build: -j takes a number from 1 to 1024\n");
		return failed(FAIL_USAGE);
	}
	c->jobs = (int)jobs;
	return 0;
}

static int set_dry_run(struct cmd *c, const char *arg)
{
	(void)arg;
	c->dry_run = true;
	return 0;
}

static int set_image(struct cmd *c, const char *arg)
{
	c->image = arg;
	return 0;
}

static int set_all(struct cmd *c, const char *arg)
{
	(void)arg;
	c->all = true;
	return 0;
}

static int set_sbom(struct cmd *c, const char *arg)
{
	(void)arg;
	c->sbom = true;
	return 0;
}

static const struct cmd_option options[] = {
    {"jobs", 'j', "N", "run N steps at once (default: $MIRAGE_JOBS, else the number of CPUs)",
     set_jobs},
    {"dry-run", 0, NULL, "print the commands that would run, run none", set_dry_run},
    {"sbom", 0, NULL, "also write NAME.spdx.json, the SPDX 2.3 bill of materials", set_sbom},
    {"all", 0, NULL,
     "build every (target, arch) pair the description allows and this machine can build (also: "
     "-t and --arch given comma-separated lists), each in _build/TARGET-ARCH",
     set_all},
    {"image", 0, "LIST",
     "also make these images, e.g. iso,disk (default: $MIRAGE_IMAGES, else the description's "
     "images:)",
     set_image},
    {0}};

const struct command cmd_build = {
    .name = "build",
    .fn = build,
    .flags = CMD_PROJECT | CMD_USE_LAST | CMD_DOWNLOAD | CMD_PLAN | CMD_JSON | CMD_UNSAFE,
    .options = options,
    .summary = "compile and link the unikernel",
    .help = "Configures again when needed, then compiles what changed and links the\n"
	    "unikernel (_build/TARGET-ARCH/NAME.TARGET). A failed build keeps the previous\n"
	    "artifact. Images the target makes (mirage targets) are made beside it.\n",
};
