/* matrix.c: mirage build --all, or -t and --arch given lists: every (target,
 * architecture) pair the description allows and this machine can build,
 * each by a mirage build of its own (-t T --arch A --json) run at the same
 * time as the others, into its own build directory; one report of them
 * all, saying which pairs were skipped and why. With OCI images, one more
 * layout, _build/NAME.oci, whose index holds every pair's manifest. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/diag.h"
#include "../lib/json.h"
#include "../lib/oci.h"
#include "../lib/proc.h"
#include "../lib/target.h"
#include "cmd.h"

bool build_is_matrix(const struct cmd *c)
{
	return c->all || (c->popts.target && strchr(c->popts.target, ',')) ||
	       (c->popts.arch && strchr(c->popts.arch, ','));
}

struct pair {
	char *target, *arch;
	char *skipped; /* why not built, or NULL */
	pid_t pid;
	FILE *out; /* its report */
	struct json *report;
};

static void split(const char *list, struct strlist *out)
{
	char *copy = xstrdup(list);
	for (char *save, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (!strlist_has(out, w))
			strlist_push(out, w);
	free(copy);
}

/* The pairs to build, or skip with a reason. */
static int plan_pairs(struct cmd *c, const char *root, const struct config *cfg, struct pair **out,
		      size_t *n)
{
	struct strlist installed = STRLIST_INIT, targets = STRLIST_INIT, arches = STRLIST_INIT;
	target_list(root, &installed);
	int rc = 0;
	if (c->popts.target)
		split(c->popts.target, &targets);
	else
		for (size_t i = 0; i < installed.len; i++)
			strlist_push(&targets, installed.items[i]);
	if (c->popts.arch)
		split(c->popts.arch, &arches);
	struct pair *pairs = NULL;
	size_t np = 0;
	for (size_t i = 0; i < targets.len; i++) {
		const char *tn = targets.items[i];
		if (!strlist_has(&installed, tn)) {
			char *hint =
			    suggestion(tn, (const char *const *)installed.items, installed.len);
			rc = error("-t %s: no such target (%s)", tn, hint);
			free(hint);
			continue;
		}
		struct target t;
		if (target_load(&t, root, tn) < 0) {
			rc = -1;
			continue;
		}
		bool allowed = !cfg->targets.len || strlist_has(&cfg->targets, tn);
		struct strlist want = STRLIST_INIT;
		if (arches.len)
			for (size_t k = 0; k < arches.len; k++)
				strlist_push(&want, arches.items[k]);
		else
			for (size_t k = 0; k < t.narches; k++)
				strlist_push(&want, t.arches[k].name);
		for (size_t k = 0; k < want.len; k++) {
			const struct target_arch *a = target_find_arch(&t, want.items[k]);
			pairs = xrealloc(pairs, (np + 1) * sizeof(*pairs));
			struct pair *p = &pairs[np++];
			memset(p, 0, sizeof(*p));
			p->target = xstrdup(tn);
			p->arch = xstrdup(want.items[k]);
			p->pid = -1;
			if (!allowed)
				p->skipped =
				    xasprintf("the description's targets: leave %s out", tn);
			else if (!a)
				p->skipped =
				    xasprintf("%s has no architecture %s", tn, want.items[k]);
			else if (!program_exists(a->cc)) {
				struct strbuf sb = STRBUF_INIT;
				for (size_t m = 0; m < a->packages.len; m++)
					strbuf_addf(&sb, " %s", a->packages.items[m]);
				p->skipped =
				    xasprintf("no compiler %s here (on Debian: apt-get install%s)",
					      a->cc, sb.buf ? sb.buf : "");
				strbuf_release(&sb);
			}
		}
		strlist_release(&want);
		target_release(&t);
	}
	strlist_release(&installed);
	strlist_release(&targets);
	strlist_release(&arches);
	*out = pairs;
	*n = np;
	return rc < 0 ? failed(FAIL_USAGE) : 0;
}

/* Starts `mirage build -t T --arch A --json` with the options that apply. */
static int start_pair(struct cmd *c, const char *self, const char *file, const char *images,
		      struct pair *p)
{
	struct strlist argv = STRLIST_INIT;
	strlist_push(&argv, self);
	strlist_push(&argv, "build");
	strlist_push(&argv, "-f");
	strlist_push(&argv, file);
	strlist_push(&argv, "-t");
	strlist_push(&argv, p->target);
	strlist_push(&argv, "--arch");
	strlist_push(&argv, p->arch);
	strlist_push(&argv, "--json");
	if (images) {
		strlist_push(&argv, "--image");
		strlist_push(&argv, images);
	}
	if (c->jobs > 0)
		strlist_pushf(&argv, "-j%d", c->jobs);
	if (c->sbom)
		strlist_push(&argv, "--sbom");
	if (c->popts.allow_unsafe_flags)
		strlist_push(&argv, "--allow-unsafe-flags");
	if (c->popts.offline)
		strlist_push(&argv, "--offline");
	for (size_t i = 0; i < c->popts.impls.len; i++) {
		strlist_push(&argv, "--impl");
		strlist_push(&argv, c->popts.impls.items[i]);
	}
	p->out = tmpfile();
	struct proc_opts po = PROC_OPTS_INIT;
	po.out_fd = p->out ? fileno(p->out) : -1;
	po.stdout_only = true; /* the report; its messages (waits) stay on stderr */
	p->pid = p->out ? proc_spawn(argv.items, &po) : -1;
	strlist_release(&argv);
	return p->pid < 0 ? -1 : 0;
}

/* Copies the blobs of a layout (named by their digest: the same name is
 * the same bytes). */
static int copy_blobs(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		return error("%s:", from);
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *src = path_join(from, e->d_name), *dst = path_join(to, e->d_name);
		size_t len;
		char *data = is_file(dst) ? NULL : file_read(src, &len);
		if (data)
			rc = file_write_atomic(dst, data, len, 0644);
		else if (!is_file(dst))
			rc = error("%s:", src);
		free(data);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* _build/NAME.oci: one index over every built pair's layout, its blobs. */
static int merge_oci(const char *dir, const char *name, struct pair *pairs, size_t n)
{
	char *outdir = xasprintf("%s/_build/%s.oci", dir, name);
	char *blobs = xasprintf("%s/blobs/sha256", outdir);
	remove_tree(outdir);
	int rc = mkdir_p(blobs);
	struct json *manifests = json_array();
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (pairs[i].skipped || !pairs[i].report || !json_get(pairs[i].report, "ok") ||
		    json_num(json_get(pairs[i].report, "exit_status"), 1) != 0)
			continue;
		char *layout =
		    xasprintf("%s/_build/%s-%s/%s.oci", dir, pairs[i].target, pairs[i].arch, name);
		char *ipath = xasprintf("%s/index.json", layout);
		char *text = file_read(ipath, NULL);
		struct json *idx = text ? json_parse(text) : NULL;
		struct json *ms = idx ? json_get_mut(idx, "manifests") : NULL;
		struct json *m = ms && json_len(ms) ? json_at_mut(ms, 0) : NULL;
		if (m) {
			/* which pair: the target is not in the platform */
			struct json *an = json_get_mut(m, "annotations");
			if (an) {
				json_set_str(an, "org.mirage.target", pairs[i].target);
				json_set_str(an, "org.mirage.arch", pairs[i].arch);
				char *ref =
				    xasprintf("%s-%s-%s", name, pairs[i].target, pairs[i].arch);
				json_set_str(an, "org.opencontainers.image.ref.name", ref);
				free(ref);
			}
			json_push(manifests, json_dup(m));
			char *src = xasprintf("%s/blobs/sha256", layout);
			if (copy_blobs(src, blobs) < 0)
				rc = -1;
			free(src);
		} else {
			rc = error("%s: no manifest", ipath);
		}
		json_free(idx);
		free(text);
		free(ipath);
		free(layout);
	}
	if (rc == 0) {
		struct json *idx = json_object();
		json_set_int(idx, "schemaVersion", 2);
		json_set_str(idx, "mediaType", "application/vnd.oci.image.index.v1+json");
		json_set(idx, "manifests", manifests);
		manifests = NULL;
		char *text = json_render(idx, false);
		char *ipath = xasprintf("%s/index.json", outdir);
		rc = file_write_atomic(ipath, text, strlen(text), 0644);
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		char *lpath = xasprintf("%s/oci-layout", outdir);
		if (rc == 0)
			rc = file_write_atomic(lpath, layout, strlen(layout), 0644);
		free(lpath);
		free(ipath);
		free(text);
		json_free(idx);
	}
	json_free(manifests);
	free(blobs);
	free(outdir);
	return rc;
}

int build_matrix(struct cmd *c)
{
	if (c->popts.outdir) {
		error("-o: each pair of a matrix builds into its own _build/TARGET-ARCH");
		return failed(FAIL_USAGE);
	}
	char *datadir = project_datadir();
	if (!datadir)
		return failed(FAIL_ERROR);
	char *root = path_join(datadir, "targets");
	char *file = c->popts.file ? xstrdup(c->popts.file) : project_find_description();
	struct strlist installed = STRLIST_INIT;
	target_list(root, &installed);
	struct config cfg;
	struct config_env env = {&installed, c->popts.allow_unsafe_flags};
	int rc = file ? config_load(&cfg, file, &env) : error("no mirage.yaml here or above");
	struct pair *pairs = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = plan_pairs(c, root, &cfg, &pairs, &n);
	const char *env_images = getenv("MIRAGE_IMAGES");
	const char *images = c->image ? c->image : env_images && *env_images ? env_images : NULL;
	char *self = realpath("/proc/self/exe", NULL);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!pairs[i].skipped && start_pair(c, self, file, images, &pairs[i]) < 0)
			rc = -1;
	int built = 0, failures = 0;
	for (size_t i = 0; i < n; i++) {
		struct pair *p = &pairs[i];
		if (p->pid < 0)
			continue;
		struct proc_status st;
		bool to;
		proc_wait(p->pid, 0, 0, &st, &to);
		rewind(p->out);
		struct strbuf sb = STRBUF_INIT;
		char buf[4096];
		size_t got;
		while ((got = fread(buf, 1, sizeof(buf), p->out)) > 0)
			strbuf_addf(&sb, "%.*s", (int)got, buf);
		p->report = sb.buf ? json_parse(sb.buf) : NULL;
		strbuf_release(&sb);
		bool ok = p->report && json_num(json_get(p->report, "exit_status"), 1) == 0;
		built += ok;
		failures += !ok;
	}
	bool oci = images && strstr(images, "oci") && built;
	if (rc == 0 && oci && merge_oci(cfg.dir, cfg.name, pairs, n) < 0)
		rc = -1;
	size_t shown = rc < 0 ? 0 : n; /* nothing was built */
	if (c->json) {
		c->report = json_object();
		json_set_str(c->report, "name", file ? cfg.name : NULL);
		struct json *list = json_array(), *skipped = json_array();
		for (size_t i = 0; i < shown; i++) {
			struct json *e = json_object();
			json_set_str(e, "target", pairs[i].target);
			json_set_str(e, "arch", pairs[i].arch);
			if (pairs[i].skipped) {
				json_set_str(e, "why", pairs[i].skipped);
				json_push(skipped, e);
			} else {
				json_set(e, "report",
					 pairs[i].report ? json_dup(pairs[i].report)
							 : json_object());
				json_push(list, e);
			}
		}
		json_set(c->report, "pairs", list);
		json_set(c->report, "skipped", skipped);
		if (oci) {
			char *path = xasprintf("%s/_build/%s.oci", cfg.dir, cfg.name);
			json_set_str(c->report, "oci", path);
			free(path);
		}
	} else {
		for (size_t i = 0; i < shown; i++) {
			const struct pair *p = &pairs[i];
			if (p->skipped) {
				printf("skipped %s/%s: %s\n", p->target, p->arch, p->skipped);
				continue;
			}
			const struct json *arts =
			    p->report ? json_get(p->report, "artifacts") : NULL;
			bool ok = p->report && json_num(json_get(p->report, "exit_status"), 1) == 0;
			printf("%s %s/%s:", ok ? "built" : "FAILED", p->target, p->arch);
			for (size_t k = 0; arts && k < json_len(arts); k++)
				printf(" %s", json_str(json_get(json_at(arts, k), "path")));
			const struct json *d =
			    p->report ? json_get(p->report, "diagnostics") : NULL;
			if (!ok && d && json_len(d))
				printf(" %s", json_str(json_get(json_at(d, 0), "message")));
			printf("\n");
		}
		if (oci)
			printf("built %s/_build/%s.oci (every pair's image)\n", cfg.dir, cfg.name);
	}
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].target);
		free(pairs[i].arch);
		free(pairs[i].skipped);
		if (pairs[i].out)
			fclose(pairs[i].out);
		json_free(pairs[i].report);
	}
	free(pairs);
	free(self);
	if (file)
		config_release(&cfg);
	free(file);
	strlist_release(&installed);
	free(root);
	free(datadir);
	if (rc == 0 && failures)
		rc = failed(FAIL_BUILD);
	return rc;
}
