/* arc.c: writing ISO images and unpacking archives with libarchive. */
#include "arc.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "util.h"

/* libarchive and what it loads take milliseconds to map, which every mirage
 * command would pay: it is loaded when an archive is read or written. */
#define ARCHIVE_FUNCTIONS(X)                \
	X(archive_entry_filetype)           \
	X(archive_entry_free)               \
	X(archive_entry_new)                \
	X(archive_entry_pathname)           \
	X(archive_entry_set_atime)          \
	X(archive_entry_set_birthtime)      \
	X(archive_entry_set_ctime)          \
	X(archive_entry_set_filetype)       \
	X(archive_entry_set_mtime)          \
	X(archive_entry_set_pathname)       \
	X(archive_entry_set_perm)           \
	X(archive_entry_set_size)           \
	X(archive_error_string)             \
	X(archive_read_data_block)          \
	X(archive_read_free)                \
	X(archive_read_new)                 \
	X(archive_read_next_header)         \
	X(archive_read_open_filename)       \
	X(archive_read_support_filter_all)  \
	X(archive_read_support_format_all)  \
	X(archive_write_close)              \
	X(archive_write_data)               \
	X(archive_write_free)               \
	X(archive_write_header)             \
	X(archive_write_new)                \
	X(archive_write_open_filename)      \
	X(archive_write_set_format_iso9660) \
	X(archive_write_set_option)

#define DECLARE(f) static __typeof__(&f) p_##f;
ARCHIVE_FUNCTIONS(DECLARE)
#define A(f) p_##f

static int load_archive(void)
{
	static bool loaded;
	if (loaded)
		return 0;
	void *lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return error("cannot load libarchive (install libarchive13): %s", dlerror());
	const char *missing = NULL;
#define LOAD(f)                                   \
	if (!(*(void **)&p_##f = dlsym(lib, #f))) \
		missing = #f;
	ARCHIVE_FUNCTIONS(LOAD)
	if (missing)
		return error("libarchive.so.13 lacks %s", missing);
	loaded = true;
	return 0;
}

static int add_entry(struct archive *a, const char *name, const void *data, size_t len, bool dir,
		     time_t t)
{
	struct archive_entry *e = A(archive_entry_new)();
	A(archive_entry_set_pathname)(e, name);
	A(archive_entry_set_filetype)(e, dir ? AE_IFDIR : AE_IFREG);
	A(archive_entry_set_perm)(e, dir ? 0755 : 0644);
	A(archive_entry_set_size)(e, dir ? 0 : (la_int64_t)len);
	A(archive_entry_set_mtime)(e, t, 0);
	A(archive_entry_set_atime)(e, t, 0);
	A(archive_entry_set_ctime)(e, t, 0);
	A(archive_entry_set_birthtime)(e, t, 0);
	int rc = A(archive_write_header)(a, e);
	if (rc == ARCHIVE_OK && !dir && len &&
	    A(archive_write_data)(a, data, len) != (la_ssize_t)len)
		rc = ARCHIVE_FATAL;
	A(archive_entry_free)(e);
	if (rc != ARCHIVE_OK)
		return error("ISO: cannot add %s: %s", name, A(archive_error_string)(a));
	return 0;
}

/* libarchive stamps the volume descriptors and directories of an ISO with
 * time(NULL), and has no option against it. This definition of time()
 * takes the C library's place in the whole program (libarchive's calls
 * included: the executable exports it, see the Makefile): while an image is written it answers the
 * image's time, so the same inputs give the same bytes. */
static time_t frozen_time = -1;

time_t time(time_t *out)
{
	time_t v = frozen_time;
	if (v < 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ts.tv_sec;
	}
	if (out)
		*out = v;
	return v;
}

int arc_write_iso(const char *out, const struct arc_file *files, size_t n, const char *boot,
		  const char *catalog, time_t t)
{
	if (load_archive() < 0)
		return -1;
	struct archive *a = A(archive_write_new)();
	int rc = -1;
	frozen_time = t;
	if (A(archive_write_set_format_iso9660)(a) != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "iso9660", "boot", boot) != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "iso9660", "boot-catalog", catalog) != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "iso9660", "boot-info-table", "1") != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "iso9660", "volume-id", "MIRAGE") != ARCHIVE_OK) {
		error("ISO: %s", A(archive_error_string)(a));
		goto done;
	}
	if (A(archive_write_open_filename)(a, out) != ARCHIVE_OK) {
		error("ISO: cannot create %s: %s", out, A(archive_error_string)(a));
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (add_entry(a, files[i].path, files[i].data, files[i].len, files[i].dir, t) < 0)
			goto done;
	if (A(archive_write_close)(a) != ARCHIVE_OK) {
		error("ISO: %s", A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	A(archive_write_free)(a);
	frozen_time = -1;
	return rc;
}

/* Whether an entry's path stays below the directory it is unpacked in. */
static bool safe_path(const char *p)
{
	if (!*p || *p == '/')
		return false;
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	return true;
}

int arc_unpack(const char *path, const char *dir, const char *what)
{
	if (load_archive() < 0)
		return -1;
	struct archive *a = A(archive_read_new)();
	A(archive_read_support_filter_all)(a);
	A(archive_read_support_format_all)(a);
	int rc = -1;
	if (A(archive_read_open_filename)(a, path, 65536) != ARCHIVE_OK) {
		error("%s: cannot read the archive: %s", what, A(archive_error_string)(a));
		goto done;
	}
	struct archive_entry *e;
	int r;
	while ((r = A(archive_read_next_header)(a, &e)) == ARCHIVE_OK) {
		const char *name = A(archive_entry_pathname)(e);
		mode_t type = A(archive_entry_filetype)(e);
		if (!name || !safe_path(name)) {
			error("%s: the archive holds '%s', outside its directory: refused", what,
			      name ? name : "");
			goto done;
		}
		if (type != AE_IFREG && type != AE_IFDIR) {
			/* links and devices could point anywhere: sources need neither */
			continue;
		}
		char *out = path_join(dir, name);
		if (type == AE_IFDIR) {
			r = mkdir_p(out);
			free(out);
			if (r < 0)
				goto done;
			continue;
		}
		char *parent = path_dirname(out);
		r = mkdir_p(parent);
		free(parent);
		struct strbuf sb = STRBUF_INIT;
		const void *buf;
		size_t len;
		la_int64_t off;
		int dr = ARCHIVE_OK;
		while (r == 0 &&
		       (dr = A(archive_read_data_block)(a, &buf, &len, &off)) == ARCHIVE_OK) {
			if ((size_t)off > sb.len) {
				/* a sparse hole */
				size_t hole = (size_t)off - sb.len;
				char *zeros = xcalloc(1, hole);
				strbuf_add(&sb, zeros, hole);
				free(zeros);
			}
			strbuf_add(&sb, buf, len);
		}
		if (r == 0 && dr != ARCHIVE_EOF) {
			error("%s: %s: %s", what, name, A(archive_error_string)(a));
			r = -1;
		}
		if (r == 0)
			r = file_write_atomic(out, sb.buf ? sb.buf : "", sb.len, 0644);
		strbuf_release(&sb);
		free(out);
		if (r < 0)
			goto done;
	}
	if (r != ARCHIVE_EOF) {
		error("%s: %s", what, A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	A(archive_read_free)(a);
	return rc;
}
