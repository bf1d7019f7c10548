/* oci.c: OCI images of a unikernel (image-spec 1.0): an image layout
 * directory (oci-layout, index.json, blobs/sha256/) with one manifest, its
 * config and one gzip layer holding the unikernel under /unikernel/ and
 * what boots it (hvt: the static monitor), or a tar of that layout. Every
 * byte is a function of the inputs: the layer's files are dated
 * SOURCE_DATE_EPOCH (or 0), owned by 0:0, gzip carries no time, the JSON is
 * rendered compact in a fixed key order. */
#include "oci.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "image.h"
#include "json.h"
#include "run.h"
#include "sbom.h"
#include "sha256.h"

#define MT_INDEX    "application/vnd.oci.image.index.v1+json"
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG   "application/vnd.oci.image.config.v1+json"
#define MT_LAYER    "application/vnd.oci.image.layer.v1.tar+gzip"

/* The file a layer holds: its path in the image, its bytes. */
struct layer_file {
	char *path;
	char *data;
	size_t len;
	bool exec;
};

struct layer {
	struct layer_file files[8];
	size_t n;
};

static void layer_release(struct layer *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->files[i].path);
		free(l->files[i].data);
	}
	l->n = 0;
}

static int layer_add(struct layer *l, const char *src, const char *name, bool exec)
{
	size_t len;
	char *data = file_read(src, &len);
	if (!data)
		return error("OCI image: cannot read %s: %s", src, strerror(errno));
	l->files[l->n++] = (struct layer_file){xasprintf("unikernel/%s", name), data, len, exec};
	return 0;
}

const char *oci_arch(const char *arch)
{
	return !strcmp(arch, "x86_64") ? "amd64" : !strcmp(arch, "aarch64") ? "arm64" : arch;
}

/* What the layer holds and the entrypoint that boots it (NULL: none, as
 * for virtio and xen, whose hypervisor is not in the image). */
static int layer_contents(const struct project *p, struct layer *l, struct strlist *entry)
{
	char *kernel = project_artifact(p);
	const char *base = path_basename(kernel);
	int rc = layer_add(l, kernel, base, true);
	const char *runner = p->target.runner;
	if (rc == 0 && !strcmp(runner, "hvt")) {
		/* a monitor that needs no library of the host's */
		char *monitor = run_beside_mirage("mirage-hvt-static");
		if (access(monitor, R_OK) != 0)
			rc = error(
			    "OCI image: the static monitor %s is missing (make builds it beside "
			    "mirage; make install installs it)",
			    monitor);
		else
			rc = layer_add(l, monitor, "mirage-hvt", true);
		free(monitor);
		strlist_push(entry, "/unikernel/mirage-hvt");
		strlist_pushf(entry, "/unikernel/%s", base);
		strlist_push(entry, "--");
	} else if (rc == 0 && !strcmp(runner, "exec")) {
		strlist_pushf(entry, "/unikernel/%s", base);
		strlist_push(entry, "--");
	}
	/* its bill of materials */
	if (rc == 0) {
		char *sbom = sbom_document(p);
		if (!sbom)
			rc = -1;
		else
			l->files[l->n++] = (struct layer_file){
			    xasprintf("unikernel/%s.spdx.json", p->graph.config->name), sbom,
			    strlen(sbom), false};
	}
	/* the bootable images already made beside the kernel, and up to date */
	int64_t tk = file_mtime_ns(kernel);
	static const char *const images[] = {"iso", "disk", "qcow2"};
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(images); i++) {
		char *img = image_path(p, images[i]);
		if (target_makes_image(p->graph.arch, images[i]) && file_mtime_ns(img) >= tk)
			rc = layer_add(l, img, path_basename(img), false);
		free(img);
	}
	free(kernel);
	return rc;
}

/* The OCI digest of data: "sha256:HEX". */
static void digest_of(const void *data, size_t len, char digest[72])
{
	struct sha256 s;
	char hex[65];
	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final_hex(&s, hex);
	snprintf(digest, 72, "sha256:%s", hex);
}

/* Writes data as a blob of dir; its digest into digest. */
static int put_blob(const char *dir, const void *data, size_t len, char digest[72])
{
	digest_of(data, len, digest);
	char *path = xasprintf("%s/blobs/sha256/%s", dir, digest + 7);
	int rc = file_write_atomic(path, data, len, 0644);
	free(path);
	return rc;
}

static int hash_file(const char *path, char digest[72], size_t *size)
{
	size_t len;
	char *data = file_read(path, &len);
	if (!data)
		return error("OCI image: cannot read %s: %s", path, strerror(errno));
	digest_of(data, len, digest);
	*size = len;
	free(data);
	return 0;
}

/* The layer as a tar (gzip-compressed when gz) at path. */
static int write_layer(const struct layer *l, const char *path, bool gz, time_t t)
{
	struct arc_file files[ARRAY_SIZE(l->files) + 1] = {{"unikernel", NULL, 0, 1, 0}};
	for (size_t i = 0; i < l->n; i++)
		files[1 + i] = (struct arc_file){l->files[i].path, l->files[i].data,
						 l->files[i].len, 0, l->files[i].exec};
	return arc_write_tar(path, files, l->n + 1, t, gz);
}

static char *rfc3339(time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* The git revision of the project's checkout, read from .git (no program
 * runs): HEAD, a branch it names, or packed-refs. NULL when unknown. */
static char *git_revision(const char *dir)
{
	char *head_path = xasprintf("%s/.git/HEAD", dir);
	char *head = file_read(head_path, NULL);
	free(head_path);
	if (!head)
		return NULL;
	head[strcspn(head, "\n")] = '\0';
	char *rev = NULL;
	if (!strncmp(head, "ref: ", 5)) {
		const char *ref = head + 5;
		if (!strncmp(ref, "refs/", 5) && !strstr(ref, "..")) {
			char *path = xasprintf("%s/.git/%s", dir, ref);
			rev = file_read(path, NULL);
			free(path);
			if (!rev) { /* in packed-refs: "HEX REF" lines */
				char *pp = xasprintf("%s/.git/packed-refs", dir);
				char *packed = file_read(pp, NULL);
				free(pp);
				for (char *line = packed, *nl; line && *line; line = nl + 1) {
					nl = strchr(line, '\n');
					if (nl)
						*nl = '\0';
					if (strlen(line) > 41 && line[40] == ' ' &&
					    !strcmp(line + 41, ref)) {
						rev = xstrndup(line, 40);
						break;
					}
					if (!nl)
						break;
				}
				free(packed);
			}
		}
	} else {
		rev = xstrdup(head);
	}
	free(head);
	if (rev) {
		rev[strcspn(rev, "\n")] = '\0';
		/* 40 (or 64) hex digits, nothing else */
		size_t n = strspn(rev, "0123456789abcdef");
		if ((n != 40 && n != 64) || rev[n]) {
			free(rev);
			rev = NULL;
		}
	}
	return rev;
}

/* The URL of the checkout's remote "origin", from .git/config (no program
 * runs); NULL when there is none or it is not a plain URL. */
static char *git_origin(const char *dir)
{
	char *path = xasprintf("%s/.git/config", dir);
	char *text = file_read(path, NULL);
	free(path);
	char *url = NULL;
	bool in_origin = false;
	for (char *line = text, *nl; line && *line && !url; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		line += strspn(line, " \t");
		if (*line == '[')
			in_origin = !strcmp(line, "[remote \"origin\"]");
		else if (in_origin && !strncmp(line, "url", 3)) {
			const char *v = line + 3 + strspn(line + 3, " \t");
			if (*v == '=') {
				v += 1 + strspn(v + 1, " \t");
				bool plain = *v && strlen(v) < 1024;
				for (const char *c = v; plain && *c; c++)
					plain = (unsigned char)*c > 0x20 && *c != 0x7f;
				if (plain)
					url = xstrdup(v);
			}
		}
		if (!nl)
			break;
	}
	free(text);
	return url;
}

static struct json *annotations(const struct project *p, time_t t)
{
	const struct config *c = p->graph.config;
	struct json *a = json_object();
	json_set_str(a, "org.opencontainers.image.title", c->name);
	char *created = rfc3339(t);
	json_set_str(a, "org.opencontainers.image.created", created);
	free(created);
	char *rev = git_revision(c->realdir), *src = git_origin(c->realdir);
	if (src)
		json_set_str(a, "org.opencontainers.image.source", src);
	if (rev)
		json_set_str(a, "org.opencontainers.image.revision", rev);
	free(src);
	free(rev);
	json_set_str(a, "org.mirage.target", p->target.name);
	json_set_str(a, "org.mirage.arch", p->graph.arch->name);
	json_set_str(a, "org.mirage.unikernel", c->name);
	/* the devices and the boot arguments, each as JSON in a string */
	struct json *devs = json_array();
	for (size_t i = 0; i < p->graph.n; i++) {
		const struct graph_node *n = &p->graph.order[i];
		struct json *d = json_object();
		json_set_str(d, "name", n->dev->name);
		json_set_str(d, "type", n->dev->type->name);
		json_set_str(d, "impl", n->impl->impl);
		json_push(devs, d);
	}
	char *s = json_render(devs, false);
	json_set_str(a, "org.mirage.devices", s);
	free(s);
	json_free(devs);
	struct json *args = json_array();
	for (size_t i = 0; i < c->nargs; i++) {
		const struct arg *g = &c->args[i];
		struct json *j = json_object();
		json_set_str(j, "name", g->name);
		json_set_str(j, "type",
			     g->type == ARG_INT	   ? "int"
			     : g->type == ARG_BOOL ? "bool"
						   : "string");
		if (!g->has_default)
			json_set_str(j, "default", NULL);
		else if (g->type == ARG_INT)
			json_set_int(j, "default", g->def_int);
		else if (g->type == ARG_BOOL)
			json_set_bool(j, "default", g->def_bool);
		else
			json_set_str(j, "default", g->def_string);
		json_push(args, j);
	}
	s = json_render(args, false);
	json_set_str(a, "org.mirage.arguments", s);
	free(s);
	json_free(args);
	return a;
}

/* A descriptor: media type, digest, size. */
static struct json *descriptor(const char *type, const char *digest, size_t size)
{
	struct json *d = json_object();
	json_set_str(d, "mediaType", type);
	json_set_str(d, "digest", digest);
	json_set_int(d, "size", (int64_t)size);
	return d;
}

static int put_json(const char *dir, struct json *j, char digest[72], size_t *size)
{
	char *text = json_render(j, false);
	*size = strlen(text);
	int rc = put_blob(dir, text, *size, digest);
	free(text);
	json_free(j);
	return rc;
}

int oci_write_layout(const struct project *p, const char *dir)
{
	time_t t = image_time();
	struct layer l = {.n = 0};
	struct strlist entry = STRLIST_INIT;
	char *blobs = xasprintf("%s/blobs/sha256", dir);
	char *gz = xasprintf("%s/layer.tar.gz", dir), *tar = xasprintf("%s/layer.tar", dir);
	int rc = mkdir_p(blobs) < 0 || layer_contents(p, &l, &entry) < 0 ||
			 write_layer(&l, gz, true, t) < 0 || write_layer(&l, tar, false, t) < 0
		     ? -1
		     : 0;
	char layer_digest[72], diff_id[72], config_digest[72], manifest_digest[72];
	size_t layer_size = 0, tar_size, config_size = 0, manifest_size = 0;
	if (rc == 0 && (hash_file(gz, layer_digest, &layer_size) < 0 ||
			hash_file(tar, diff_id, &tar_size) < 0))
		rc = -1;
	if (rc == 0) {
		char *blob = xasprintf("%s/%s", blobs, layer_digest + 7);
		if (rename(gz, blob) < 0)
			rc = error("OCI image: rename %s:", gz);
		free(blob);
	}
	unlink(gz);
	unlink(tar);
	const char *arch = oci_arch(p->graph.arch->name);
	if (rc == 0) {
		struct json *cfg = json_object();
		char *created = rfc3339(t);
		json_set_str(cfg, "created", created);
		free(created);
		json_set_str(cfg, "architecture", arch);
		json_set_str(cfg, "os", "linux");
		struct json *conf = json_object();
		if (entry.len) {
			struct json *e = json_array();
			for (size_t i = 0; i < entry.len; i++)
				json_push(e, json_string(entry.items[i]));
			json_set(conf, "Entrypoint", e);
		}
		json_set(conf, "Labels", annotations(p, t));
		json_set(cfg, "config", conf);
		struct json *rootfs = json_object();
		json_set_str(rootfs, "type", "layers");
		struct json *ids = json_array();
		json_push(ids, json_string(diff_id));
		json_set(rootfs, "diff_ids", ids);
		json_set(cfg, "rootfs", rootfs);
		struct json *hist = json_array(), *h = json_object();
		char *when = rfc3339(t);
		json_set_str(h, "created", when);
		free(when);
		json_set_str(h, "created_by", "mirage build");
		json_set_str(h, "comment", "the unikernel and what boots it, in /unikernel");
		json_push(hist, h);
		json_set(cfg, "history", hist);
		rc = put_json(dir, cfg, config_digest, &config_size);
	}
	if (rc == 0) {
		struct json *m = json_object();
		json_set_int(m, "schemaVersion", 2);
		json_set_str(m, "mediaType", MT_MANIFEST);
		json_set(m, "config", descriptor(MT_CONFIG, config_digest, config_size));
		struct json *layers = json_array();
		json_push(layers, descriptor(MT_LAYER, layer_digest, layer_size));
		json_set(m, "layers", layers);
		json_set(m, "annotations", annotations(p, t));
		rc = put_json(dir, m, manifest_digest, &manifest_size);
	}
	if (rc == 0) {
		struct json *idx = json_object();
		json_set_int(idx, "schemaVersion", 2);
		json_set_str(idx, "mediaType", MT_INDEX);
		struct json *d = descriptor(MT_MANIFEST, manifest_digest, manifest_size);
		struct json *plat = json_object();
		json_set_str(plat, "architecture", arch);
		json_set_str(plat, "os", "linux");
		json_set(d, "platform", plat);
		struct json *an = json_object();
		/* the unikernel's name: the tag in oci:DIR:NAME (skopeo) and
		 * DIR:NAME (umoci), the image's name when podman loads it */
		json_set_str(an, "org.opencontainers.image.ref.name", p->graph.config->name);
		json_set(d, "annotations", an);
		struct json *ms = json_array();
		json_push(ms, d);
		json_set(idx, "manifests", ms);
		char *text = json_render(idx, false);
		char *path = xasprintf("%s/index.json", dir);
		rc = file_write_atomic(path, text, strlen(text), 0644);
		free(path);
		free(text);
		json_free(idx);
	}
	if (rc == 0) {
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		char *path = xasprintf("%s/oci-layout", dir);
		rc = file_write_atomic(path, layout, strlen(layout), 0644);
		free(path);
	}
	layer_release(&l);
	strlist_release(&entry);
	free(blobs);
	free(gz);
	free(tar);
	return rc;
}

/* The names of dir's entries but . and .., sorted. */
static int list_dir_sorted(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return error("OCI archive: cannot read %s:", dir);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			strlist_push(out, e->d_name);
	closedir(d);
	strlist_sort(out);
	return 0;
}

int oci_write_archive(const struct project *p, const char *out)
{
	char *dir = xasprintf("%s.layout", out);
	int rc = oci_write_layout(p, dir);
	/* the layout's files, in a fixed order: oci-layout, index.json, blobs */
	struct strlist names = STRLIST_INIT;
	char *blobs = xasprintf("%s/blobs/sha256", dir);
	if (rc == 0 && list_dir_sorted(blobs, &names) < 0)
		rc = -1;
	size_t n = 4 + names.len;
	struct arc_file *files = xcalloc(n, sizeof(*files));
	char **data = xcalloc(n, sizeof(*data));
	char **paths = xcalloc(n, sizeof(*paths));
	files[0] = (struct arc_file){"blobs", NULL, 0, 1, 0};
	files[1] = (struct arc_file){"blobs/sha256", NULL, 0, 1, 0};
	const char *top[] = {"oci-layout", "index.json"};
	for (size_t i = 0; rc == 0 && i < n - 2; i++) {
		bool is_top = i < 2;
		paths[i] =
		    is_top ? xstrdup(top[i]) : xasprintf("blobs/sha256/%s", names.items[i - 2]);
		char *src = xasprintf("%s/%s", dir, paths[i]);
		size_t len;
		data[i] = file_read(src, &len);
		if (!data[i])
			rc = error("OCI archive: cannot read %s: %s", src, strerror(errno));
		files[2 + i] = (struct arc_file){paths[i], data[i], len, 0, 0};
		free(src);
	}
	if (rc == 0)
		rc = arc_write_tar(out, files, n, image_time(), false);
	for (size_t i = 0; i < n; i++) {
		free(data[i]);
		free(paths[i]);
	}
	free(data);
	free(paths);
	free(files);
	strlist_release(&names);
	free(blobs);
	remove_tree(dir);
	free(dir);
	return rc;
}
