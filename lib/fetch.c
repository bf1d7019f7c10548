/* fetch.c: downloading, checking and unpacking source archives. */
#include "fetch.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "sha256.h"

#define COMPLETE ".mirage-complete"

/* libcurl and what it loads take several milliseconds to map: more than the
 * rest of a mirage command. It is loaded when a download is needed, not at
 * every start. */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
} curl;

static int load_curl(void)
{
	if (curl.easy_init)
		return 0;
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return error("fetch: cannot load libcurl (install libcurl4): %s", dlerror());
	*(void **)&curl.global_init = dlsym(lib, "curl_global_init");
	*(void **)&curl.easy_setopt = dlsym(lib, "curl_easy_setopt");
	*(void **)&curl.easy_perform = dlsym(lib, "curl_easy_perform");
	*(void **)&curl.easy_cleanup = dlsym(lib, "curl_easy_cleanup");
	*(void **)&curl.easy_strerror = dlsym(lib, "curl_easy_strerror");
	*(void **)&curl.easy_init = dlsym(lib, "curl_easy_init");
	if (!curl.global_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_cleanup ||
	    !curl.easy_strerror || !curl.easy_init) {
		curl.easy_init = NULL;
		return error("fetch: libcurl.so.4 lacks the functions mirage uses");
	}
	curl.global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

struct sink {
	FILE *f;
	struct sha256 sum;
	uint64_t len;
	uint64_t limit;
};

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	s->len += len;
	if (s->len > s->limit)
		return 0; /* too big: curl stops with a write error */
	sha256_update(&s->sum, data, len);
	return fwrite(data, 1, len, s->f);
}

/* Downloads url into path; its digest into hex. */
static int download(const struct fetch *f, const char *path, char hex[65])
{
	if (load_curl() < 0)
		return -1;
	struct sink s = {fopen(path, "wb"), {{0}, 0, {0}, 0}, 0, 1ULL << 30};
	if (!s.f)
		return error("create %s:", path);
	sha256_init(&s.sum);
	CURL *c = curl.easy_init();
	char err[CURL_ERROR_SIZE] = "";
	curl.easy_setopt(c, CURLOPT_URL, f->url);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl.easy_setopt(c, CURLOPT_USERAGENT, "mirage");
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,file");
	curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
	CURLcode rc = curl.easy_perform(c);
	curl.easy_cleanup(c);
	int closed = fclose(s.f);
	if (rc != CURLE_OK) {
		if (s.len > s.limit)
			return error_at(&f->url_pos, "fetch: %s is larger than 1 GiB", f->url);
		return error_at(&f->url_pos, "fetch: cannot download %s: %s", f->url,
				*err ? err : curl.easy_strerror(rc));
	}
	if (closed != 0)
		return error("write %s:", path);
	sha256_final_hex(&s.sum, hex);
	return 0;
}

char *fetch_get(const struct fetch *f, const char *cachedir, bool download_ok)
{
	char *dir = xasprintf("%s/fetch/%s", cachedir, f->sha256);
	char *done = path_join(dir, COMPLETE);
	bool cached = is_file(done);
	free(done);
	if (cached)
		return dir;
	if (!download_ok) {
		free(dir);
		return NULL;
	}
	char *top = xasprintf("%s/fetch", cachedir);
	char *part = xasprintf("%s.part.%ld", dir, (long)getpid());
	char *tmpdir = xasprintf("%s.tmp.%ld", dir, (long)getpid());
	char hex[65];
	int rc = mkdir_p(top);
	if (rc == 0)
		rc = download(f, part, hex);
	if (rc == 0 && strcmp(hex, f->sha256))
		rc = error_at(&f->sha256_pos, "fetch: %s has sha256 %s, not the %s written here",
			      f->url, hex, f->sha256);
	if (rc == 0) {
		remove_tree(tmpdir);
		rc = mkdir_p(tmpdir);
	}
	if (rc == 0) {
		char *what = xasprintf("fetch: %s", f->url);
		rc = arc_unpack(part, tmpdir, what);
		free(what);
	}
	if (rc == 0) {
		char *mark = path_join(tmpdir, COMPLETE);
		rc = file_write_atomic(mark, f->url, strlen(f->url), 0644);
		free(mark);
	}
	/* another mirage may have won the race: its copy is as good */
	if (rc == 0 && rename(tmpdir, dir) < 0 && !is_dir(dir))
		rc = error("rename %s:", tmpdir);
	remove_tree(tmpdir);
	unlink(part);
	free(part);
	free(tmpdir);
	free(top);
	if (rc < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}
