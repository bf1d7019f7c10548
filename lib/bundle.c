/* bundle.c: the bundle of a unikernel (the image kind tar.gz): one
 * directory NAME/ in a gzip tar holding the unikernel, what boots it (hvt:
 * the static monitor; xen: an xl configuration naming the kernel beside
 * it), the bootable images already made, the build's manifest.json, a
 * POSIX shell script `run` that boots it as mirage run would, and a short
 * README. Reproducible as the other images. */
#include "bundle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "image.h"
#include "proc.h"
#include "run.h"
#include "sbom.h"
#include "xl.h"

struct entry {
	char *name;
	char *data;
	size_t len;
	bool exec;
};

struct bundle {
	struct entry e[12];
	size_t n;
};

static void add_data(struct bundle *b, const char *name, char *data, size_t len, bool exec)
{
	b->e[b->n++] = (struct entry){xstrdup(name), data, len, exec};
}

static int add_file(struct bundle *b, const char *src, const char *name, bool exec)
{
	size_t len;
	char *data = file_read(src, &len);
	if (!data)
		return error("bundle: cannot read %s: %s", src, strerror(errno));
	add_data(b, name, data, len, exec);
	return 0;
}

/* The lines of the run script that boot the unikernel, per runner. The
 * script has split its arguments: $opts, the attachments, and $args, the
 * boot arguments, each word quoted for eval; $line, the boot arguments
 * joined by spaces (a kernel command line). */
static int boot_lines(const struct project *p, const char *kname, struct strbuf *sb)
{
	const char *runner = p->target.runner;
	if (!strcmp(runner, "exec")) {
		const struct strlist *run = &p->graph.arch->run; /* qemu-aarch64 on x86_64 */
		strbuf_addf(sb, "eval \"exec");
		for (size_t i = 0; i < run->len; i++) {
			strbuf_addc(sb, ' ');
			shell_quote(sb, run->items[i]);
		}
		strbuf_addf(sb, " \\\"\\$here/%s\\\" $opts -- $args\"\n", kname);
		return 0;
	}
	if (!strcmp(runner, "hvt")) {
		strbuf_addf(sb,
			    "eval \"exec \\\"\\$here/mirage-hvt\\\" $opts \\\"\\$here/%s\\\" -- "
			    "$args\"\n",
			    kname);
		return 0;
	}
	strbuf_addf(sb,
		    "[ -z \"$opts\" ] || { echo \"run: devices are attached in %s\" >&2; "
		    "exit 2; }\n",
		    !strcmp(runner, "xen") ? "the xl configuration"
					   : "QEMU's options of this script");
	if (!strcmp(runner, "xen")) {
		strbuf_addf(sb,
			    "cd \"$here\" && exec xl create -c %s.xl \"cmdline=\\\"$line\\\"\"\n",
			    p->config.name);
		return 0;
	}
	/* QEMU: mirage run's own command line, the kernel beside the script,
	 * the status from a file of the script's own */
	const struct runner *r = runner_find(runner);
	struct run_opts o;
	memset(&o, 0, sizeof(o));
	o.dry_run = true;
	struct run_cmd c;
	memset(&c, 0, sizeof(c));
	if (r->command(p, &o, &c) < 0) {
		run_cmd_release(&c);
		return -1;
	}
	strbuf_addf(sb, "status=$(mktemp)\ntrap 'rm -f \"$status\"' EXIT\n");
	char *artifact = project_artifact(p);
	for (size_t i = 0; i < c.argv.len; i++) {
		const char *a = c.argv.items[i];
		if (i)
			strbuf_addc(sb, ' ');
		if (!strcmp(a, artifact))
			strbuf_addf(sb, "\"$here/%s\"", kname);
		else if (c.status_file && strstr(a, c.status_file))
			strbuf_addf(sb, "\"file,id=mirage-status,path=$status\"");
		else
			shell_quote(sb, a);
	}
	free(artifact);
	strbuf_addf(sb, " -append \"$line\"\nrc=$?\n"
			"[ -s \"$status\" ] && exit \"$(cat \"$status\")\"\n"
			"exit $rc\n");
	run_cmd_release(&c);
	return 0;
}

static char *run_script(const struct project *p, const char *kname, int *rc)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(
	    &sb,
	    "#!/bin/sh\n"
	    "# run: boots %s (%s, %s), as `mirage run` does.\n"
	    "#   ./run [--net:NAME=VALUE] [--block:NAME=FILE] [-- BOOT-ARGUMENTS...]\n"
	    "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
	    "q() { printf \"'%%s'\" \"$(printf %%s \"$1\" | sed \"s/'/'\\\\\\\\''/g\")\"; }\n"
	    "opts= args= line=\n"
	    "while [ $# -gt 0 ] && [ \"$1\" != -- ]; do opts=\"$opts $(q \"$1\")\"; shift; done\n"
	    "[ \"${1:-}\" = -- ] && shift\n"
	    "for a in \"$@\"; do\n"
	    "\targs=\"$args $(q \"$a\")\"\n"
	    "\tcase \"$a\" in '' | *' '* | *'\t'*) a=\"\\\"$a\\\"\" ;; esac # one word\n"
	    "\tline=\"$line${line:+ }$a\"\n"
	    "done\n",
	    p->config.name, p->target.name, p->graph.arch->name);
	*rc = boot_lines(p, kname, &sb);
	return strbuf_detach(&sb);
}

int bundle_write(const struct project *p, const char *out)
{
	struct bundle b = {.n = 0};
	const char *name = p->config.name;
	char *kernel = project_artifact(p);
	const char *kname = path_basename(kernel);
	int rc = add_file(&b, kernel, kname, true);
	const char *runner = p->target.runner;
	if (rc == 0 && !strcmp(runner, "hvt")) {
		char *monitor = run_beside_mirage("mirage-hvt-static");
		rc = add_file(&b, monitor, "mirage-hvt", true);
		free(monitor);
	}
	if (rc == 0 && !strcmp(runner, "xen")) {
		char *xl = xl_config(p, NULL, NULL, XL_MEM_DEFAULT);
		char *abs = realpath(kernel, NULL);
		if (!xl) {
			rc = -1;
		} else {
			/* the kernel beside the configuration (run cds there) */
			struct strbuf sb = STRBUF_INIT;
			for (const char *l = xl, *nl; *l; l = nl + 1) {
				nl = strchr(l, '\n');
				if (!strncmp(l, "kernel = ", 9))
					strbuf_addf(&sb, "kernel = \"%s\"\n", kname);
				else
					strbuf_addf(&sb, "%.*s\n", (int)(nl - l), l);
			}
			char *text = strbuf_detach(&sb);
			char *xname = xasprintf("%s.xl", name);
			add_data(&b, xname, text, strlen(text), false);
			free(xname);
		}
		free(abs);
		free(xl);
	}
	int64_t tk = file_mtime_ns(kernel);
	static const char *const images[] = {"iso", "disk", "qcow2"};
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(images); i++) {
		char *img = image_path(p, images[i]);
		if (target_makes_image(p->graph.arch, images[i]) && file_mtime_ns(img) >= tk)
			rc = add_file(&b, img, path_basename(img), false);
		free(img);
	}
	if (rc == 0) {
		char *sbom = sbom_document(p);
		char *sname = xasprintf("%s.spdx.json", name);
		if (sbom)
			add_data(&b, sname, sbom, strlen(sbom), false);
		else
			rc = -1;
		free(sname);
	}
	char *manifest = xasprintf("%s/manifest.json", p->builddir);
	if (rc == 0)
		rc = add_file(&b, manifest, "manifest.json", false);
	free(manifest);
	if (rc == 0) {
		char *script = run_script(p, kname, &rc);
		add_data(&b, "run", script, strlen(script), true);
	}
	if (rc == 0) {
		char *readme = xasprintf(
		    "%s: a unikernel for %s on %s, made by mirage %s.\n\n"
		    "  ./run [--net:NAME=VALUE] [--block:NAME=FILE] [-- BOOT-ARGUMENTS...]\n\n"
		    "boots it as `mirage run -t %s` does; its exit status is the unikernel's.\n"
		    "%s is the unikernel; manifest.json says its devices and boot arguments.\n",
		    name, p->target.name, p->graph.arch->name, MIRAGE_VERSION, p->target.name,
		    kname);
		add_data(&b, "README", readme, strlen(readme), false);
	}
	if (rc == 0) {
		struct arc_file files[ARRAY_SIZE(b.e) + 1];
		char **paths = xcalloc(b.n, sizeof(*paths));
		files[0] = (struct arc_file){name, NULL, 0, 1, 0};
		for (size_t i = 0; i < b.n; i++) {
			paths[i] = xasprintf("%s/%s", name, b.e[i].name);
			files[1 + i] =
			    (struct arc_file){paths[i], b.e[i].data, b.e[i].len, 0, b.e[i].exec};
		}
		rc = arc_write_tar(out, files, b.n + 1, image_time(), true);
		for (size_t i = 0; i < b.n; i++)
			free(paths[i]);
		free(paths);
	}
	for (size_t i = 0; i < b.n; i++) {
		free(b.e[i].name);
		free(b.e[i].data);
	}
	free(kernel);
	return rc;
}
