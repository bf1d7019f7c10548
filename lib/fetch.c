/* fetch.c: downloading, checking and unpacking source archives. */
#include "fetch.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arc.h"
#include "cacheent.h"
#include "diag.h"
#include "sha256.h"

#define DEFAULT_MAX_MB	1024
#define DEFAULT_TIMEOUT 300
#define ATTEMPTS	3

/* libcurl and what it loads take several milliseconds to map: more than the
 * rest of a mirage command. It is loaded when a download is needed, not at
 * every start. */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
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
	*(void **)&curl.easy_getinfo = dlsym(lib, "curl_easy_getinfo");
	*(void **)&curl.easy_cleanup = dlsym(lib, "curl_easy_cleanup");
	*(void **)&curl.easy_strerror = dlsym(lib, "curl_easy_strerror");
	*(void **)&curl.easy_init = dlsym(lib, "curl_easy_init");
	if (!curl.global_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_getinfo ||
	    !curl.easy_cleanup || !curl.easy_strerror || !curl.easy_init) {
		curl.easy_init = NULL;
		return error("fetch: libcurl.so.4 lacks the functions mirage uses");
	}
	curl.global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

/* A positive number from the environment, else def. */
static uint64_t env_number(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v = s && *s ? strtoull(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 && v < (1ULL << 40) ? v : def;
}

uint64_t fetch_max_bytes(void)
{
	return env_number("MIRAGE_FETCH_MAX_MB", DEFAULT_MAX_MB) << 20;
}

struct sink {
	FILE *f;
	struct sha256 sum;
	uint64_t len;
	uint64_t limit;
	const char *url; /* shown with the progress, when on a terminal */
	uint64_t shown;
};

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	s->len += len;
	if (s->len > s->limit)
		return 0; /* too big: curl stops with a write error */
	sha256_update(&s->sum, data, len);
	if (s->url && s->len - s->shown >= (256 << 10)) {
		fprintf(stderr, "\rmirage: fetch: %s: %.1f MiB", s->url,
			(double)s->len / (1 << 20));
		s->shown = s->len;
	}
	return fwrite(data, 1, len, s->f);
}

/* One attempt. Returns 0, 1 when worth another try (the network, a
 * timeout, a server error), or -1 (recorded). */
static int attempt(const struct fetch *f, const char *path, char hex[65], bool last)
{
	struct sink s = {fopen(path, "wb"),
			 {{0}, 0, {0}, 0},
			 0,
			 fetch_max_bytes(),
			 diag_progress() ? f->url : NULL,
			 0};
	if (!s.f)
		return error("create %s:", path);
	sha256_init(&s.sum);
	CURL *c = curl.easy_init();
	char err[CURL_ERROR_SIZE] = "";
	long timeout = (long)env_number("MIRAGE_FETCH_TIMEOUT", DEFAULT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_URL, f->url);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout); /* the whole transfer */
	curl.easy_setopt(c, CURLOPT_USERAGENT, "mirage");
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,file");
	curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
	CURLcode rc = curl.easy_perform(c);
	if (s.shown) /* end the progress line */
		fprintf(stderr, "\rmirage: fetch: %s: %.1f MiB\n", f->url,
			(double)s.len / (1 << 20));
	long http = 0;
	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	curl.easy_cleanup(c);
	int closed = fclose(s.f);
	if (rc == CURLE_OK) {
		if (closed != 0)
			return error("write %s:", path);
		sha256_final_hex(&s.sum, hex);
		return 0;
	}
	if (s.len > s.limit)
		return error_at(&f->url_pos,
				"fetch: %s is larger than %llu MiB (MIRAGE_FETCH_MAX_MB sets the "
				"limit)",
				f->url, (unsigned long long)(s.limit >> 20));
	/* worth another try; not a timeout: that attempt waited long enough */
	bool transient = rc == CURLE_COULDNT_CONNECT || rc == CURLE_RECV_ERROR ||
			 rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE ||
			 rc == CURLE_GOT_NOTHING || rc == CURLE_COULDNT_RESOLVE_HOST ||
			 (rc == CURLE_HTTP_RETURNED_ERROR && http >= 500);
	if (transient && !last)
		return 1;
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return error_at(&f->url_pos,
				"fetch: cannot download %s: not done within %ld s "
				"(MIRAGE_FETCH_TIMEOUT sets the limit)",
				f->url, timeout);
	return error_at(&f->url_pos, "fetch: cannot download %s: %s", f->url,
			*err ? err : curl.easy_strerror(rc));
}

/* Downloads f into path, trying again after 1 and 2 seconds when the network
 * or the server failed; its digest into hex. */
static int download(const struct fetch *f, const char *path, char hex[65])
{
	if (load_curl() < 0)
		return -1;
	for (int i = 0; i < ATTEMPTS; i++) {
		int rc = attempt(f, path, hex, i == ATTEMPTS - 1);
		if (rc <= 0)
			return rc;
		fprintf(stderr, "mirage: fetch: %s failed, trying again in %d s\n", f->url, 1 << i);
		sleep(1u << i);
	}
	return -1;
}

struct fetch_job {
	const struct fetch *f;
};

/* Downloads the archive into part, checks it and unpacks it into dir. */
static int make_entry(const char *dir, const char *part, void *arg)
{
	const struct fetch *f = ((struct fetch_job *)arg)->f;
	char hex[65];
	int rc = download(f, part, hex);
	if (rc == 0 && strcmp(hex, f->sha256))
		rc = error_at(&f->sha256_pos, "fetch: %s has sha256 %s, not the %s written here",
			      f->url, hex, f->sha256);
	if (rc == 0) {
		char *what = xasprintf("fetch: %s", f->url);
		rc = arc_unpack(part, dir, what, fetch_max_bytes(), NULL);
		free(what);
	}
	return rc;
}

char *fetch_get(const struct fetch *f, const char *cachedir, bool download_ok)
{
	char *top = xasprintf("%s/fetch", cachedir);
	struct fetch_job job = {f};
	struct cache_maker m = {make_entry, &job, "the fetch cache", f->url};
	char *dir = cache_entry(top, f->sha256, download_ok ? &m : NULL);
	free(top);
	return dir;
}
