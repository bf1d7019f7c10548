/* arc.c: writing ISO images and unpacking archives with libarchive. */
#include "arc.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

/* libarchive and what it loads take milliseconds to map, which every mirage
 * command would pay: it is loaded when an archive is read or written. */
#define ARCHIVE_FUNCTIONS(X)                       \
	X(archive_entry_filetype)                  \
	X(archive_entry_hardlink)                  \
	X(archive_entry_symlink)                   \
	X(archive_entry_free)                      \
	X(archive_entry_new)                       \
	X(archive_entry_pathname)                  \
	X(archive_entry_set_atime)                 \
	X(archive_entry_set_birthtime)             \
	X(archive_entry_set_ctime)                 \
	X(archive_entry_set_filetype)              \
	X(archive_entry_set_mtime)                 \
	X(archive_entry_set_pathname)              \
	X(archive_entry_set_perm)                  \
	X(archive_entry_set_size)                  \
	X(archive_error_string)                    \
	X(archive_read_data_block)                 \
	X(archive_read_free)                       \
	X(archive_read_new)                        \
	X(archive_read_next_header)                \
	X(archive_read_open_filename)              \
	X(archive_read_support_filter_all)         \
	X(archive_read_support_format_all)         \
	X(archive_write_close)                     \
	X(archive_write_data)                      \
	X(archive_write_free)                      \
	X(archive_write_header)                    \
	X(archive_write_new)                       \
	X(archive_write_open_filename)             \
	X(archive_write_set_format_iso9660)        \
	X(archive_write_set_format_pax_restricted) \
	X(archive_write_set_format_gnutar)         \
	X(archive_write_add_filter_gzip)           \
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

static int add_entry(struct archive *a, const char *what, const char *name, const void *data,
		     size_t len, bool dir, bool exec, time_t t)
{
	struct archive_entry *e = A(archive_entry_new)();
	A(archive_entry_set_pathname)(e, name);
	A(archive_entry_set_filetype)(e, dir ? AE_IFDIR : AE_IFREG);
	A(archive_entry_set_perm)(e, dir || exec ? 0755 : 0644);
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
		return error("%s: cannot add %s: %s", what, name, A(archive_error_string)(a));
	return 0;
}

int arc_write_iso(const char *out, const struct arc_file *files, size_t n, const char *boot,
		  const char *catalog, time_t t)
{
	if (load_archive() < 0)
		return -1;
	struct archive *a = A(archive_write_new)();
	int rc = -1;
	/* Rock Ridge (names as written) but no Joliet (a second directory tree
	 * ISOLINUX does not read): the dates are set afterwards (isodate.c) */
	if (A(archive_write_set_format_iso9660)(a) != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "iso9660", "joliet", NULL) != ARCHIVE_OK ||
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
		if (add_entry(a, "ISO", files[i].path, files[i].data, files[i].len, files[i].dir,
			      files[i].exec, t) < 0)
			goto done;
	if (A(archive_write_close)(a) != ARCHIVE_OK) {
		error("ISO: %s", A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	A(archive_write_free)(a);
	return rc;
}

int arc_write_tar(const char *out, const struct arc_file *files, size_t n, time_t t, bool gz)
{
	if (load_archive() < 0)
		return -1;
	struct archive *a = A(archive_write_new)();
	int rc = -1;
	/* pax only where ustar cannot say it; gzip without a time in its
	 * header, so that the same files give the same bytes */
	if (A(archive_write_set_format_pax_restricted)(a) != ARCHIVE_OK ||
	    (gz && (A(archive_write_add_filter_gzip)(a) != ARCHIVE_OK ||
		    A(archive_write_set_option)(a, "gzip", "timestamp", NULL) != ARCHIVE_OK))) {
		error("tar: %s", A(archive_error_string)(a));
		goto done;
	}
	if (A(archive_write_open_filename)(a, out) != ARCHIVE_OK) {
		error("tar: cannot create %s: %s", out, A(archive_error_string)(a));
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (add_entry(a, "tar", files[i].path, files[i].data, files[i].len, files[i].dir,
			      files[i].exec, t) < 0)
			goto done;
	if (A(archive_write_close)(a) != ARCHIVE_OK) {
		error("tar: %s", A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	A(archive_write_free)(a);
	return rc;
}

int arc_write_targz_file(const char *out, const char *name, const char *path, uint64_t size,
			 time_t t)
{
	if (load_archive() < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("tar: cannot read %s:", path);
	struct archive *a = A(archive_write_new)();
	struct archive_entry *e = NULL;
	int rc = -1;
	if (A(archive_write_set_format_gnutar)(a) != ARCHIVE_OK ||
	    A(archive_write_add_filter_gzip)(a) != ARCHIVE_OK ||
	    A(archive_write_set_option)(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    A(archive_write_open_filename)(a, out) != ARCHIVE_OK) {
		error("tar: %s: %s", out, A(archive_error_string)(a));
		goto done;
	}
	e = A(archive_entry_new)();
	A(archive_entry_set_pathname)(e, name);
	A(archive_entry_set_filetype)(e, AE_IFREG);
	A(archive_entry_set_perm)(e, 0644);
	A(archive_entry_set_size)(e, (la_int64_t)size);
	A(archive_entry_set_mtime)(e, t, 0);
	if (A(archive_write_header)(a, e) != ARCHIVE_OK) {
		error("tar: %s: %s", out, A(archive_error_string)(a));
		goto done;
	}
	/* the file, then zeros up to size */
	static char buf[1 << 16];
	for (uint64_t done = 0; done < size;) {
		size_t want = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
		ssize_t n = read(fd, buf, want);
		if (n < 0) {
			error("tar: cannot read %s:", path);
			goto done;
		}
		if (n == 0) {
			memset(buf, 0, want);
			n = (ssize_t)want;
		}
		if (A(archive_write_data)(a, buf, (size_t)n) != (la_ssize_t)n) {
			error("tar: %s: %s", out, A(archive_error_string)(a));
			goto done;
		}
		done += (uint64_t)n;
	}
	if (A(archive_write_close)(a) != ARCHIVE_OK) {
		error("tar: %s: %s", out, A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	if (e)
		A(archive_entry_free)(e);
	A(archive_write_free)(a);
	close(fd);
	return rc;
}

/* Whether a path is relative and has no ".." component: below its start. */
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

/* Whether a symbolic link at entry path `at` with target `to` points inside
 * the archive: `to` is relative and, resolved from at's directory with ".."
 * taken lexically, never climbs above the top. */
/* Adds to depth what walking the components of path does (".." climbs,
 * "." stays), all but the last when skip_last; false when it climbs above 0. */
static bool walk_depth(const char *path, bool skip_last, int *depth)
{
	for (const char *s = path; *s;) {
		size_t n = strcspn(s, "/");
		const char *next = s + n;
		while (*next == '/')
			next++;
		if (skip_last && !*next)
			break;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (--*depth < 0)
				return false;
		} else if (n && !(n == 1 && s[0] == '.')) {
			++*depth;
		}
		s = next;
	}
	return true;
}

static bool link_inside(const char *at, const char *to)
{
	int depth = 0;
	if (!*to || *to == '/')
		return false;
	return walk_depth(at, true, &depth) && walk_depth(to, false, &depth);
}

/* Opens (creating them) the directories of path below dirfd, never through
 * a symbolic link. Returns a descriptor of the last one and points *name at
 * the final component, or -1 (recorded). */
static int open_parent(int dirfd, const char *path, const char **name, const char *what)
{
	int fd = dup(dirfd);
	const char *s = path;
	char comp[256];
	for (;;) {
		size_t n = strcspn(s, "/");
		const char *next = s + n;
		while (*next == '/')
			next++;
		if (!*next) {
			*name = s;
			return fd;
		}
		if (n >= sizeof(comp)) {
			close(fd);
			return error("%s: a path component of '%s' is too long", what, path);
		}
		memcpy(comp, s, n);
		comp[n] = '\0';
		if (strcmp(comp, ".")) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				close(fd);
				return error("%s: mkdir %s:", what, path);
			}
			int sub = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			close(fd);
			if (sub < 0)
				return error("%s: '%s' goes through a link or a file: refused",
					     what, path);
			fd = sub;
		}
		s = next;
	}
}

/* Streams the current entry's data into a new file. */
static int unpack_file(struct archive *a, int fd, const char *name, const char *what,
		       uint64_t *total, uint64_t max_bytes)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;
	while ((r = A(archive_read_data_block)(a, &buf, &len, &off)) == ARCHIVE_OK) {
		if (off < 0 || (uint64_t)off > max_bytes || len > max_bytes - *total)
			return error(
			    "%s: more than %llu MiB unpacked: refused (MIRAGE_FETCH_MAX_MB "
			    "sets the limit)",
			    what, (unsigned long long)(max_bytes >> 20));
		*total += len;
		for (size_t done = 0; done < len;) {
			ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
					   (off_t)off + (off_t)done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return error("%s: write %s:", what, name);
			done += (size_t)n;
		}
	}
	if (r != ARCHIVE_EOF)
		return error("%s: %s: %s", what, name, A(archive_error_string)(a));
	return 0;
}

/* Whether name (an archive's path) is one of only's paths or lies below
 * one; every name is when only is NULL. */
static bool wanted(const char *name, const char *const *only)
{
	if (!only)
		return true;
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	for (; *only; only++) {
		size_t n = strlen(*only);
		if (!strncmp(name, *only, n) && (name[n] == '\0' || name[n] == '/'))
			return true;
	}
	return false;
}

int arc_unpack(const char *path, const char *dir, const char *what, uint64_t max_bytes,
	       const char *const *only)
{
	if (load_archive() < 0)
		return -1;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error("%s: open %s:", what, dir);
	struct archive *a = A(archive_read_new)();
	A(archive_read_support_filter_all)(a);
	A(archive_read_support_format_all)(a);
	int rc = -1;
	uint64_t total = 0;
	if (A(archive_read_open_filename)(a, path, 65536) != ARCHIVE_OK) {
		error("%s: cannot read the archive: %s", what, A(archive_error_string)(a));
		goto done;
	}
	struct archive_entry *e;
	int r;
	while ((r = A(archive_read_next_header)(a, &e)) == ARCHIVE_OK) {
		const char *name = A(archive_entry_pathname)(e);
		const char *hard = A(archive_entry_hardlink)(e);
		mode_t type = A(archive_entry_filetype)(e);
		if (!name || !safe_path(name) || (hard && !safe_path(hard))) {
			error("%s: the archive holds '%s', outside its directory: refused", what,
			      name ? name : "");
			goto done;
		}
		if (!wanted(name, only))
			continue;
		const char *base;
		int pfd = open_parent(dirfd, name, &base, what);
		if (pfd < 0)
			goto done;
		int ok = 0;
		if (hard) {
			/* a hard link to an entry already unpacked, inside */
			unlinkat(pfd, base, 0);
			ok = linkat(dirfd, hard, pfd, base, 0) == 0
				 ? 0
				 : error("%s: hard link %s to %s:", what, name, hard);
		} else if (type == AE_IFDIR) {
			ok = mkdirat(pfd, base, 0755) == 0 || errno == EEXIST
				 ? 0
				 : error("%s: mkdir %s:", what, name);
		} else if (type == AE_IFLNK) {
			const char *to = A(archive_entry_symlink)(e);
			if (!to || !link_inside(name, to))
				ok = error("%s: the link '%s' points outside the archive: refused",
					   what, name);
			else if (unlinkat(pfd, base, 0), symlinkat(to, pfd, base) < 0)
				ok = error("%s: symlink %s:", what, name);
		} else if (type == AE_IFREG) {
			unlinkat(pfd, base, 0); /* a later entry of the same name wins */
			int fd = openat(pfd, base,
					O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd < 0) {
				ok = error("%s: create %s:", what, name);
			} else {
				ok = unpack_file(a, fd, name, what, &total, max_bytes);
				if (close(fd) < 0 && ok == 0)
					ok = error("%s: write %s:", what, name);
			}
		} else {
			ok = error("%s: '%s' is a device or a fifo: refused", what, name);
		}
		close(pfd);
		if (ok < 0)
			goto done;
	}
	if (r != ARCHIVE_EOF) {
		error("%s: %s", what, A(archive_error_string)(a));
		goto done;
	}
	rc = 0;
done:
	A(archive_read_free)(a);
	close(dirfd);
	return rc;
}
