/* stamp.c: the fast path's record of a build found up to date (stamp.h). */
#include "stamp.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "depfile.h"
#include "sha256.h"
#include "strmap.h"

#define STAMP_MAGIC "mirage stamp 1"
/* a file changed this close to the full check's start (or after) may have
 * changed after the check read it: the stamp is not written */
#define RACY_NS (50 * 1000000LL)

/* The environment that chooses a build or what it makes. */
static const char *const env_names[] = {
    "MIRAGE_DATADIR", "MIRAGE_CACHE_DIR",      "XDG_CACHE_HOME", "HOME",
    "MIRAGE_TARGET",  "MIRAGE_DEFAULT_TARGET", "MIRAGE_ARCH",	 "MIRAGE_OFFLINE",
    "MIRAGE_IMAGES",  "SOURCE_DATE_EPOCH",     "PATH",		 NULL};

int64_t stamp_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void hash_str(struct sha256 *h, const char *s)
{
	if (!s)
		s = "\x01"; /* unset: not the empty string */
	sha256_update(h, s, strlen(s) + 1);
}

/* Where q's stamp lives: .stamp-DIGEST in -o's directory, else in _build/
 * beside the description; NULL when there is no description. */
static char *stamp_path(const struct stamp_question *q)
{
	const struct project_opts *o = q->opts;
	char *desc = o->file ? xstrdup(o->file) : project_find_description();
	if (!desc)
		return NULL;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		free(desc);
		return NULL;
	}
	struct sha256 h;
	sha256_init(&h);
	hash_str(&h, STAMP_MAGIC);
	hash_str(&h, MIRAGE_VERSION);
	hash_str(&h, q->command);
	hash_str(&h, q->extra);
	hash_str(&h, cwd);
	hash_str(&h, desc);
	hash_str(&h, o->target);
	hash_str(&h, o->arch);
	hash_str(&h, o->outdir);
	hash_str(&h, o->allow_unsafe_flags ? "unsafe" : "safe");
	hash_str(&h, o->offline ? "offline" : "online");
	hash_str(&h, o->use_last ? "last" : "not last");
	for (size_t i = 0; i < o->impls.len; i++)
		hash_str(&h, o->impls.items[i]);
	hash_str(&h, "--");
	for (size_t i = 0; env_names[i]; i++)
		hash_str(&h, getenv(env_names[i]));
	char hex[65];
	sha256_final_hex(&h, hex);
	char *dir;
	if (o->outdir) {
		dir = xstrdup(o->outdir);
	} else {
		char *d = path_dirname(desc);
		dir = path_join(d, "_build");
		free(d);
	}
	char *path = xasprintf("%s/.stamp-%.32s", dir, hex);
	free(dir);
	free(desc);
	return path;
}

/* --- the record of a file: "F INODE SIZE MTIME CTIME PATH" --- */

static void file_line(struct strbuf *sb, const char *path, const struct stat *st)
{
	strbuf_addf(sb, "F %llu %lld %lld %lld %s\n", (unsigned long long)st->st_ino,
		    (long long)st->st_size,
		    (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
		    (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec, path);
}

/* The next field of a record: digits (a leading '-' when sign) and one
 * space; false when there is none. Not sscanf: a stamp has a hundred
 * lines and the fast path is timed in tenths of a millisecond. */
static bool field(const char **s, bool sign, long long *v)
{
	const char *p = *s;
	bool neg = sign && *p == '-';
	p += neg;
	if (*p < '0' || *p > '9')
		return false;
	unsigned long long x = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (ULLONG_MAX - 9) / 10)
			return false;
		x = x * 10 + (unsigned long long)(*p - '0');
	}
	if (*p != ' ' || x > (unsigned long long)LLONG_MAX)
		return false;
	*v = neg ? -(long long)x : (long long)x;
	*s = p + 1;
	return true;
}

static bool same_file(const char *line)
{
	long long ino, size, mtime, ctime;
	const char *p = line + 2;
	if (!field(&p, false, &ino) || !field(&p, false, &size) || !field(&p, true, &mtime) ||
	    !field(&p, true, &ctime) || !*p)
		return false;
	struct stat st;
	if (stat(p, &st) < 0)
		return false;
	return st.st_ino == (unsigned long long)ino && st.st_size == size &&
	       (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec == mtime &&
	       (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec == ctime;
}

/* A word of the stamp that names something (target, arch, TYPE=IMPL):
 * letters, digits and a few signs. */
static bool is_name(const char *s)
{
	return *s &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.=") ==
		   strlen(s);
}

void stamp_facts_release(struct stamp_facts *f)
{
	free(f->target);
	free(f->arch);
	free(f->builddir);
	strlist_release(&f->impls);
	strlist_release(&f->said);
	memset(f, 0, sizeof(*f));
}

/* The build directory a stamp names is where the options put builds: -o's,
 * or inside _build/ beside the description (state files are data). */
static bool builddir_allowed(const struct stamp_question *q, const char *stamp,
			     const char *builddir)
{
	if (q->opts->outdir)
		return !strcmp(builddir, q->opts->outdir);
	char *dir = path_dirname(stamp); /* DESC_DIR/_build */
	char *real_dir = realpath(dir, NULL), *real_bd = realpath(builddir, NULL);
	bool ok = real_dir && real_bd && path_under(real_bd, real_dir) && strcmp(real_bd, real_dir);
	free(real_dir);
	free(real_bd);
	free(dir);
	return ok;
}

int stamp_check(const struct stamp_question *q, struct stamp_facts *f)
{
	memset(f, 0, sizeof(*f));
	char *path = stamp_path(q);
	char *text = path ? file_read(path, NULL) : NULL;
	bool ok = text && !strncmp(text, STAMP_MAGIC "\n", sizeof(STAMP_MAGIC));
	size_t files = 0; /* a stamp without evidence proves nothing */
	for (char *line = ok ? text + sizeof(STAMP_MAGIC) : NULL, *end; ok && line && *line;
	     line = end + 1) {
		end = strchr(line, '\n');
		if (!end) {
			ok = false;
			break;
		}
		*end = '\0';
		const char *v = line + 2;
		if (line[0] && line[1] != ' ')
			ok = false;
		else if (line[0] == 'F')
			ok = same_file(line) && ++files;
		else if (line[0] == 'T' && !f->target && is_name(v))
			f->target = xstrdup(v);
		else if (line[0] == 'A' && !f->arch && is_name(v))
			f->arch = xstrdup(v);
		else if (line[0] == 'B' && !f->builddir && *v)
			f->builddir = xstrdup(v);
		else if (line[0] == 'I' && is_name(v) && strchr(v, '='))
			strlist_push(&f->impls, v);
		else if (line[0] == 'S')
			strlist_push(&f->said, v);
		else
			ok = false;
	}
	ok = ok && files && f->target && f->arch && f->builddir &&
	     builddir_allowed(q, path, f->builddir);
	free(text);
	free(path);
	if (!ok)
		stamp_facts_release(f);
	return ok ? 1 : 0;
}

/* --- writing --- */

struct record {
	struct strbuf sb;
	struct strmap seen;
	struct strlist keys;  /* seen's (it keeps pointers) */
	const char *builddir; /* absolute: its files are the build's own */
	const char *cachedir;
	int64_t racy_from;
	bool racy; /* a file changed after the check began */
};

/* Records path (made absolute), once; notes a file that changed as the
 * check ran. A missing file is left out: the check did not read it. */
static void note(struct record *r, const char *path)
{
	char *abs = NULL;
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return;
		char *joined = path_join(cwd, path);
		abs = path_normalize(joined);
		free(joined);
		path = abs;
	}
	struct stat st;
	if (strchr(path, '\n') || strmap_get(&r->seen, path, NULL) || stat(path, &st) < 0) {
		free(abs);
		return;
	}
	char *key = xstrdup(path);
	strlist_push_owned(&r->keys, key);
	strmap_add(&r->seen, key, 0);
	file_line(&r->sb, path, &st);
	int64_t changed = (int64_t)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
	bool own = path_under(path, r->builddir) || path_under(path, r->cachedir);
	if (!own && changed >= r->racy_from)
		r->racy = true;
	free(abs);
}

/* dir and every file and directory below it. */
static void note_tree(struct record *r, const char *dir)
{
	note(r, dir);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_join(dir, e->d_name);
		if (is_dir(p))
			note_tree(r, p);
		else
			note(r, p);
		free(p);
	}
	closedir(d);
}

/* The directories the description's sources: patterns look in. */
static void note_source_dirs(struct record *r, const struct config *c)
{
	note(r, c->dir);
	for (size_t i = 0; i < c->sources.len; i++) {
		char *src = path_join(c->dir, c->sources.items[i]);
		char *d = path_dirname(src);
		note(r, d);
		free(d);
		free(src);
	}
	const struct ynode *pats = c->yaml.root ? ynode_get(c->yaml.root, "sources") : NULL;
	for (size_t i = 0; pats && pats->kind == YNODE_SEQ && i < pats->n; i++) {
		if (pats->items[i]->kind != YNODE_SCALAR)
			continue;
		char *src = path_join(c->dir, pats->items[i]->str);
		char *d = path_dirname(src);
		note(r, d);
		free(d);
		free(src);
	}
	for (size_t i = 0; i < c->include.len; i++) {
		char *d = path_join(c->dir, c->include.items[i]);
		note(r, d);
		free(d);
	}
}

/* What the build read and made: each step's inputs, the headers its
 * depfile names and its output; the cache's sealed archives by their own
 * stat (their inputs are keyed by content: plan.hashed). */
static void note_steps(struct record *r, const struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		const struct step *s = &pl->steps[i];
		if (s->seal)
			continue;
		note(r, s->out);
		if (s->seals)
			continue;
		for (size_t k = 0; k < s->inputs.len; k++)
			note(r, s->inputs.items[k]);
		char *text = s->depfile ? file_read(s->depfile, NULL) : NULL;
		if (text) {
			struct strlist deps = STRLIST_INIT;
			depfile_parse(text, &deps);
			for (size_t k = 0; k < deps.len; k++)
				note(r, deps.items[k]);
			strlist_release(&deps);
		}
		free(text);
	}
	for (size_t i = 0; i < pl->hashed.len; i++)
		note(r, pl->hashed.items[i]);
}

void stamp_write(const struct stamp_question *q, const struct project *p, int64_t started_ns,
		 const struct strlist *said, const struct strlist *outputs)
{
	char *path = stamp_path(q);
	if (!path)
		return;
	struct record r = {STRBUF_INIT, STRMAP_INIT,	      STRLIST_INIT, p->builddir_abs,
			   p->cachedir, started_ns - RACY_NS, false};
	strbuf_addf(&r.sb, "%s\nT %s\nA %s\nB %s\n", STAMP_MAGIC, p->target.name,
		    p->graph.arch->name, p->builddir);
	for (size_t i = 0; i < p->impls.len; i++)
		strbuf_addf(&r.sb, "I %s\n", p->impls.items[i]);
	for (size_t i = 0; said && i < said->len; i++)
		strbuf_addf(&r.sb, "S %s\n", said->items[i]);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		note(&r, exe); /* the tool itself: a rebuilt mirage generates anew */
	}
	note(&r, p->config.path);
	char *last = path_join(p->config.dir, "_build/last.json");
	note(&r, last);
	free(last);
	note_source_dirs(&r, &p->config);
	for (size_t i = 0; i < p->config.ndevices; i++) {
		if (!p->config.devices[i].source)
			continue;
		char *src = path_join(p->config.dir, p->config.devices[i].source);
		note_tree(&r, src);
		free(src);
	}
	for (size_t i = 0; p->fetch_dirs && i < p->config.nfetches; i++)
		if (p->fetch_dirs[i])
			note(&r, p->fetch_dirs[i]);
	char *ty = path_join(p->target.dir, "target.yaml");
	note(&r, ty);
	free(ty);
	for (size_t i = 0; i < p->target.nlibraries; i++) {
		char *lf = path_join(p->target.root, p->target.libraries[i].file);
		note(&r, lf);
		free(lf);
		if (p->target.libraries[i].archive)
			note(&r, p->target.libraries[i].archive);
	}
	char *tmpl = path_join(p->datadir, "templates");
	note_tree(&r, tmpl);
	free(tmpl);
	note_steps(&r, &p->plan);
	for (size_t i = 0; outputs && i < outputs->len; i++)
		note(&r, outputs->items[i]);
	if (!r.racy)
		file_write_atomic(path, r.sb.buf, r.sb.len, 0644);
	else
		unlink(path); /* an older one would still describe the files before */
	strbuf_release(&r.sb);
	strmap_release(&r.seen);
	strlist_release(&r.keys);
	free(path);
}
