/* sbom.c: the SPDX 2.3 (JSON) software bill of materials of a unikernel:
 * the unikernel (its sha256), the files it was built from with their
 * sha256 (the user's sources, mirage's runtime and C library sources), the
 * packages it contains (the runtime, each library with its version, the
 * Debian archive of a packaged one, each fetch: archive with its URL), and
 * the toolchain that built it. Its date is SOURCE_DATE_EPOCH (or 0) and its
 * namespace comes from the unikernel's digest: the same build gives the
 * same document. */
#include "sbom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "image.h"
#include "json.h"
#include "library.h"
#include "proc.h"
#include "sha256.h"

/* An SPDX identifier of our own: letters, digits, '.' and '-' only. */
static char *spdx_id(const char *kind, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "SPDXRef-%s-", kind);
	for (const char *c = name; *c; c++)
		strbuf_addc(&sb, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					 (*c >= '0' && *c <= '9') || *c == '.'
				     ? *c
				     : '-');
	return strbuf_detach(&sb);
}

static struct json *sha256_checksum(const char *hex)
{
	struct json *list = json_array(), *c = json_object();
	json_set_str(c, "algorithm", "SHA256");
	json_set_str(c, "checksumValue", hex);
	json_push(list, c);
	return list;
}

static void relationship(struct json *rels, const char *a, const char *type, const char *b)
{
	struct json *r = json_object();
	json_set_str(r, "spdxElementId", a);
	json_set_str(r, "relationshipType", type);
	json_set_str(r, "relatedSpdxElement", b);
	json_push(rels, r);
}

static struct json *package(const char *id, const char *name, const char *version,
			    const char *location, const char *sha, const char *purpose)
{
	struct json *pk = json_object();
	json_set_str(pk, "name", name);
	json_set_str(pk, "SPDXID", id);
	if (version)
		json_set_str(pk, "versionInfo", version);
	json_set_str(pk, "downloadLocation", location ? location : "NOASSERTION");
	json_set_bool(pk, "filesAnalyzed", false);
	if (sha)
		json_set(pk, "checksums", sha256_checksum(sha));
	json_set_str(pk, "licenseConcluded", "NOASSERTION");
	json_set_str(pk, "licenseDeclared", "NOASSERTION");
	json_set_str(pk, "copyrightText", "NOASSERTION");
	json_set_str(pk, "primaryPackagePurpose", purpose);
	return pk;
}

/* A file: its name in the document, read from path; related to owner. */
static int add_file(struct json *files, struct json *rels, const char *owner, const char *name,
		    const char *path)
{
	char hex[65];
	if (sha256_file(path, hex) < 0)
		return error("SBOM: cannot read %s:", path);
	char *id = spdx_id("File", name);
	struct json *f = json_object();
	json_set_str(f, "fileName", name);
	json_set_str(f, "SPDXID", id);
	json_set(f, "checksums", sha256_checksum(hex));
	json_set_str(f, "licenseConcluded", "NOASSERTION");
	json_set_str(f, "copyrightText", "NOASSERTION");
	json_push(files, f);
	relationship(rels, owner, "CONTAINS", id);
	free(id);
	return 0;
}

/* mirage's own sources (relative to the targets directory), owned by owner. */
static int add_mirage_files(struct json *files, struct json *rels, const char *owner,
			    const struct target *t, const struct strlist *srcs)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < srcs->len; i++) {
		char *name = xasprintf("mirage/targets/%s", srcs->items[i]);
		char *path = path_join(t->root, srcs->items[i]);
		rc = add_file(files, rels, owner, name, path);
		free(path);
		free(name);
	}
	return rc;
}

char *sbom_document(const struct project *p)
{
	const struct config *c = p->graph.config;
	const struct target *t = &p->target;
	const struct target_arch *a = p->graph.arch;
	char *kernel = project_artifact(p);
	char khex[65];
	if (sha256_file(kernel, khex) < 0) {
		error("SBOM: cannot read %s:", kernel);
		free(kernel);
		return NULL;
	}
	struct json *doc = json_object(), *pkgs = json_array(), *files = json_array(),
		    *rels = json_array();
	json_set_str(doc, "spdxVersion", "SPDX-2.3");
	json_set_str(doc, "dataLicense", "CC0-1.0");
	json_set_str(doc, "SPDXID", "SPDXRef-DOCUMENT");
	json_set_str(doc, "name", c->name);
	char *ns = xasprintf("urn:mirage:sbom:%s:%s", c->name, khex);
	json_set_str(doc, "documentNamespace", ns);
	free(ns);
	struct json *info = json_object(), *creators = json_array();
	time_t when = image_time();
	struct tm tm;
	gmtime_r(&when, &tm);
	char date[32];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_set_str(info, "created", date);
	json_push(creators, json_string("Tool: mirage-" MIRAGE_VERSION));
	json_set(info, "creators", creators);
	json_set(doc, "creationInfo", info);

	/* the unikernel, and what it is made of */
	const char *uk = "SPDXRef-Package-unikernel";
	char *purpose = xasprintf("%s unikernel for %s on %s", c->name, t->name, a->name);
	struct json *ukp = package(uk, c->name, NULL, NULL, khex, "APPLICATION");
	json_set_str(ukp, "summary", purpose);
	free(purpose);
	json_push(pkgs, ukp);
	relationship(rels, "SPDXRef-DOCUMENT", "DESCRIBES", uk);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < c->sources.len; i++) {
		char *name = xasprintf("./%s", c->sources.items[i]);
		char *path = path_join(c->dir, c->sources.items[i]);
		rc = add_file(files, rels, uk, name, path);
		free(path);
		free(name);
	}
	/* mirage's runtime for the target */
	const char *rt = "SPDXRef-Package-mirage-runtime";
	char *rtname = xasprintf("mirage runtime (%s, %s)", t->name, a->name);
	json_push(pkgs, package(rt, rtname, MIRAGE_VERSION, NULL, NULL, "LIBRARY"));
	free(rtname);
	relationship(rels, uk, "CONTAINS", rt);
	struct strlist runtime = STRLIST_INIT;
	target_runtime(t, a, &runtime);
	if (rc == 0)
		rc = add_mirage_files(files, rels, rt, t, &runtime);
	strlist_release(&runtime);
	/* the libraries: mirage's own sources, or a Debian package's archive */
	for (size_t i = 0; rc == 0 && i < t->nlibraries; i++) {
		const struct library *l = &t->libraries[i];
		char *id = spdx_id("Package", l->name);
		struct json *lp = package(id, l->name, l->version ? l->version : MIRAGE_VERSION,
					  NULL, l->archive ? l->sha256 : NULL, "LIBRARY");
		if (l->package) {
			/* where it comes from: Debian's package, its release archive */
			char *src = xasprintf("Debian package %s: %s", l->package, l->archive);
			json_set_str(lp, "sourceInfo", src);
			free(src);
		}
		json_push(pkgs, lp);
		relationship(rels, uk, "CONTAINS", id);
		if (!l->archive) {
			struct strlist srcs = STRLIST_INIT;
			library_sources(l, a->name, &srcs);
			rc = add_mirage_files(files, rels, id, t, &srcs);
			strlist_release(&srcs);
		}
		free(id);
	}
	/* the archives of fetch: */
	for (size_t i = 0; rc == 0 && i < c->nfetches; i++) {
		const struct fetch *f = &c->fetches[i];
		char *id = xasprintf("SPDXRef-Package-fetch-%zu", i);
		const char *base = strrchr(f->url, '/');
		json_push(pkgs, package(id, base && base[1] ? base + 1 : f->url, NULL, f->url,
					f->sha256, "SOURCE"));
		relationship(rels, uk, "CONTAINS", id);
		free(id);
	}
	/* the compiler that built it */
	char version[128] = "";
	char *cc_argv[] = {(char *)a->cc, "-dumpfullversion", NULL};
	if (proc_capture(cc_argv, version, sizeof(version)) != 0)
		version[0] = '\0';
	const char *tc = "SPDXRef-Package-toolchain";
	json_push(pkgs, package(tc, a->cc, *version ? version : NULL, NULL, NULL, "APPLICATION"));
	relationship(rels, tc, "BUILD_TOOL_OF", uk);

	json_set(doc, "packages", pkgs);
	json_set(doc, "files", files);
	json_set(doc, "relationships", rels);
	char *text = rc == 0 ? json_render(doc, true) : NULL;
	json_free(doc);
	free(kernel);
	return text;
}

int sbom_write(const struct project *p, const char *out)
{
	char *text = sbom_document(p);
	if (!text)
		return -1;
	int rc = file_write_atomic(out, text, strlen(text), 0644);
	free(text);
	return rc;
}
