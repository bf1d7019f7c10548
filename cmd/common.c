/* common.c: what the subcommands share: options, help, --json reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/diag.h"
#include "../lib/image.h"
#include "../lib/sha256.h"
#include "cmd.h"
#include "help.h"

int common_option(int c, const char *arg, struct common_opts *o)
{
	switch (c) {
	case 'f':
		o->project.file = arg;
		return 1;
	case 't':
		o->project.target = arg;
		return 1;
	case OPT_ARCH:
		o->project.arch = arg;
		return 1;
	case 'o':
		o->project.outdir = arg;
		return 1;
	case OPT_JSON:
		o->json = true;
		return 1;
	case 'v':
		o->verbose = true;
		return 1;
	}
	return 0;
}

int usage_error(const char *cmd)
{
	fprintf(stderr, "usage: %s\n(see 'mirage help %s')\n", help_usage(cmd), cmd);
	return EXIT_USAGE;
}

int command_help(const char *cmd)
{
	const char *text = help_text(cmd);
	if (!text)
		return EXIT_USAGE;
	fputs(text, stdout);
	return EXIT_OK;
}

void common_start(const struct common_opts *o)
{
	diag_set_collect(o->json);
}

int finish(const struct common_opts *o, int status, struct json *report)
{
	if (o->json) {
		if (!report)
			report = json_object();
		json_set_bool(report, "ok", status == EXIT_OK);
		size_t n;
		const struct diag *d = diag_list(&n);
		if (n) {
			struct json *errs = json_array();
			for (size_t i = 0; i < n; i++) {
				struct json *e = json_object();
				if (d[i].file) {
					json_set_str(e, "file", d[i].file);
					json_set_int(e, "line", d[i].line);
					json_set_int(e, "col", d[i].col);
				}
				json_set_str(e, "message", d[i].message);
				json_push(errs, e);
			}
			json_set(report, "diagnostics", errs);
		}
		json_set_int(report, "exit_status", status);
		char *text = json_render(report, true);
		fputs(text, stdout);
		free(text);
	}
	if (report)
		json_free(report);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mirage: cannot write to standard output: %s\n", strerror(errno));
		return status ? status : EXIT_ERROR;
	}
	return status;
}

struct json *artifact_json(const struct project *p, const char *kind)
{
	struct json *a = json_object();
	char *path = image_path(p, kind);
	json_set_str(a, "path", path);
	if (!strcmp(kind, "kernel"))
		kind = !strcmp(p->target.runner, "exec") ? "executable" : "kernel";
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
