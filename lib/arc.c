/* arc.c: writing ISO images and unpacking archives with libarchive. */
#include "arc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "util.h"

static int add_entry(struct archive *a, const char *name, const void *data, size_t len, bool dir,
		     time_t t)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : (la_int64_t)len);
	archive_entry_set_mtime(e, t, 0);
	archive_entry_set_atime(e, t, 0);
	archive_entry_set_ctime(e, t, 0);
	archive_entry_set_birthtime(e, t, 0);
	int rc = archive_write_header(a, e);
	if (rc == ARCHIVE_OK && !dir && len && archive_write_data(a, data, len) != (la_ssize_t)len)
		rc = ARCHIVE_FATAL;
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return error("ISO: cannot add %s: %s", name, archive_error_string(a));
	return 0;
}

/* libarchive stamps the volume descriptors and directories of an ISO with
 * time(NULL), and has no option against it. This definition of time()
 * takes the C library's place in the whole program (libarchive's calls
 * included): while an image is written it answers the image's time, so the
 * same inputs give the same bytes. */
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
	struct archive *a = archive_write_new();
	int rc = -1;
	frozen_time = t;
	if (archive_write_set_format_iso9660(a) != ARCHIVE_OK ||
	    archive_write_set_option(a, "iso9660", "boot", boot) != ARCHIVE_OK ||
	    archive_write_set_option(a, "iso9660", "boot-catalog", catalog) != ARCHIVE_OK ||
	    archive_write_set_option(a, "iso9660", "boot-info-table", "1") != ARCHIVE_OK ||
	    archive_write_set_option(a, "iso9660", "volume-id", "MIRAGE") != ARCHIVE_OK) {
		error("ISO: %s", archive_error_string(a));
		goto done;
	}
	if (archive_write_open_filename(a, out) != ARCHIVE_OK) {
		error("ISO: cannot create %s: %s", out, archive_error_string(a));
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (add_entry(a, files[i].path, files[i].data, files[i].len, files[i].dir, t) < 0)
			goto done;
	if (archive_write_close(a) != ARCHIVE_OK) {
		error("ISO: %s", archive_error_string(a));
		goto done;
	}
	rc = 0;
done:
	archive_write_free(a);
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
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	int rc = -1;
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		error("%s: cannot read the archive: %s", what, archive_error_string(a));
		goto done;
	}
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		mode_t type = archive_entry_filetype(e);
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
		       (dr = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
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
			error("%s: %s: %s", what, name, archive_error_string(a));
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
		error("%s: %s", what, archive_error_string(a));
		goto done;
	}
	rc = 0;
done:
	archive_read_free(a);
	return rc;
}
