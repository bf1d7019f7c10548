/* file.c: descriptors, paths and directories of mirage's C library. The
 * file system is read-only: "/" holds one directory per kv_ro device, named
 * as the device, whose files are the device's keys ("/site/css/a.css" is
 * key "css/a.css" of device "site"). Descriptors 0, 1 and 2 are the
 * console: 0 reads end of file, 1 and 2 write to the console. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libc.h"
#include "mirage_platform.h"
#include "mirage_rt.h"

#define MAX_FDS 64

enum fd_kind { FD_FREE, FD_IN, FD_OUT, FD_FILE, FD_DIR };

/* the console's descriptors, 0 to 2 */
static const enum fd_kind console[] = {FD_IN, FD_OUT, FD_OUT};

struct fd {
	enum fd_kind kind;
	const unsigned char *data; /* FD_FILE */
	size_t size, pos;
};

static struct fd fds[MAX_FDS]; /* 0 to 2 filled at the first use */

/* A path resolved: the root, a device's directory (key ""), one of its
 * subdirectories (key "css") or one of its files. */
struct node {
	enum { N_NONE, N_ROOT, N_DIR, N_FILE } kind;
	struct mirage_kv *kv;
	const char *key; /* valid until the next path is resolved */
	const void *data;
	size_t size;
};

/* The index of the first key of kv not below prefix (binary search). */
static size_t lower_bound(struct mirage_kv *kv, const char *prefix)
{
	size_t lo = 0, hi = mirage_kv_count(kv);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k;
		mirage_kv_list(kv, mid, &k);
		if (strcmp(k, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether some key of kv lies below the directory dir ("" is the top). */
static bool is_directory(struct mirage_kv *kv, const char *dir)
{
	if (!*dir)
		return true;
	static char prefix[PATH_MAX + 1];
	size_t n = strlen(dir);
	memcpy(prefix, dir, n);
	prefix[n] = '/';
	prefix[n + 1] = '\0';
	size_t i = lower_bound(kv, prefix);
	const char *k;
	return mirage_kv_list(kv, i, &k) == MIRAGE_OK && !strncmp(k, prefix, n + 1);
}

/* Resolves path lexically ("." and ".." as a shell would; relative paths
 * from "/", the only working directory). Returns 0, or -1 with errno. */
static int resolve(const char *path, struct node *out)
{
	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* the components, normalised, into norm: "dev/a/b" (static: a
	 * unikernel has one thread, and stacks are small) */
	static char norm[PATH_MAX];
	size_t len = 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && norm[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			if (len)
				norm[len++] = '/';
			memcpy(norm + len, p, n);
			len += n;
		}
		p += n;
	}
	norm[len] = '\0';
	memset(out, 0, sizeof(*out));
	out->key = "";
	if (len == 0) {
		out->kind = N_ROOT;
		return 0;
	}
	size_t dn = strcspn(norm, "/");
	bool below = norm[dn] != '\0';
	norm[dn] = '\0';
	out->kv = mirage_kv_device(norm);
	if (!out->kv) {
		errno = ENOENT;
		return -1;
	}
	out->key = below ? norm + dn + 1 : "";
	if (*out->key && mirage_kv_get(out->kv, out->key, &out->data, &out->size) == MIRAGE_OK) {
		out->kind = N_FILE;
		return 0;
	}
	if (is_directory(out->kv, out->key)) {
		out->kind = N_DIR;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

static struct fd *lookup(int fd)
{
	if (fds[0].kind == FD_FREE)
		for (int i = 0; i < 3; i++)
			fds[i].kind = console[i];
	if (fd < 0 || fd >= MAX_FDS || fds[fd].kind == FD_FREE) {
		errno = EBADF;
		return NULL;
	}
	return &fds[fd];
}

int open(const char *path, int flags, ...)
{
	struct node n;
	int rc = resolve(path, &n);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND))) {
		/* nothing can be written, created or truncated */
		if (rc == 0 && n.kind != N_FILE && (flags & O_ACCMODE) != O_RDONLY)
			errno = EISDIR;
		else
			errno = EROFS;
		return -1;
	}
	if (rc < 0)
		return -1;
	if ((flags & O_DIRECTORY) && n.kind == N_FILE) {
		errno = ENOTDIR;
		return -1;
	}
	lookup(0);
	for (int fd = 3; fd < MAX_FDS; fd++) {
		if (fds[fd].kind != FD_FREE)
			continue;
		fds[fd] = (struct fd){n.kind == N_FILE ? FD_FILE : FD_DIR, n.data, n.size, 0};
		return fd;
	}
	errno = EMFILE;
	return -1;
}

int creat(const char *path, mode_t mode)
{
	(void)mode;
	return open(path, O_WRONLY | O_CREAT | O_TRUNC);
}

int fcntl(int fd, int cmd, ...)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	switch (cmd) {
	case F_GETFD:
	case F_SETFD:
	case F_SETFL:
		return 0;
	case F_GETFL:
		return f->kind == FD_OUT ? O_WRONLY : O_RDONLY;
	}
	errno = EINVAL;
	return -1;
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	switch (f->kind) {
	case FD_IN:
		return 0;
	case FD_FILE: {
		size_t left = f->pos < f->size ? f->size - f->pos : 0;
		if (n > left)
			n = left;
		memcpy(buf, f->data + f->pos, n);
		f->pos += n;
		return (ssize_t)n;
	}
	case FD_DIR:
		errno = EISDIR;
		return -1;
	default:
		errno = EBADF;
		return -1;
	}
}

ssize_t write(int fd, const void *buf, size_t n)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	if (f->kind != FD_OUT) {
		errno = EBADF;
		return -1;
	}
	plat_console_write(buf, n);
	return (ssize_t)n;
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	if (f->kind != FD_FILE) {
		errno = f->kind == FD_DIR ? EINVAL : ESPIPE;
		return -1;
	}
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off_t)f->pos : (off_t)f->size;
	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
	    (offset < 0 && base + offset < 0)) {
		errno = EINVAL;
		return -1;
	}
	f->pos = (size_t)(base + offset);
	return (off_t)f->pos;
}

int close(int fd)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	if (fd > 2) /* the console stays */
		f->kind = FD_FREE;
	return 0;
}

int isatty(int fd)
{
	if (lookup(fd))
		errno = ENOTTY;
	return 0;
}

static void fill_stat(struct stat *st, enum fd_kind kind, size_t size)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	if (kind == FD_FILE) {
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)size;
		st->st_blocks = (blkcnt_t)((size + 511) / 512);
	} else if (kind == FD_DIR) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFCHR | 0620;
	}
}

int fstat(int fd, struct stat *st)
{
	struct fd *f = lookup(fd);
	if (!f)
		return -1;
	fill_stat(st, f->kind, f->size);
	return 0;
}

int stat(const char *restrict path, struct stat *restrict st)
{
	struct node n;
	if (resolve(path, &n) < 0)
		return -1;
	fill_stat(st, n.kind == N_FILE ? FD_FILE : FD_DIR, n.size);
	return 0;
}

int lstat(const char *restrict path, struct stat *restrict st)
{
	return stat(path, st); /* there are no links */
}

int access(const char *path, int mode)
{
	struct node n;
	if (resolve(path, &n) < 0)
		return -1;
	if (mode & W_OK) {
		errno = EROFS;
		return -1;
	}
	if ((mode & X_OK) && n.kind == N_FILE) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int mkdir(const char *path, mode_t mode)
{
	(void)mode;
	struct node n;
	errno = resolve(path, &n) == 0 ? EEXIST : EROFS;
	return -1;
}

int unlink(const char *path)
{
	struct node n;
	if (resolve(path, &n) == 0)
		errno = EROFS;
	return -1;
}

int rmdir(const char *path)
{
	return unlink(path);
}

mode_t umask(mode_t mask)
{
	(void)mask;
	return 022;
}

char *getcwd(char *buf, size_t size)
{
	if (!buf) {
		buf = malloc(size ? size : 2);
		if (!buf)
			return NULL;
	} else if (size < 2) {
		errno = size ? ERANGE : EINVAL;
		return NULL;
	}
	strcpy(buf, "/");
	return buf;
}

int chdir(const char *path)
{
	struct node n;
	if (resolve(path, &n) < 0)
		return -1;
	if (n.kind != N_ROOT) { /* "/" stays the working directory */
		errno = n.kind == N_FILE ? ENOTDIR : EACCES;
		return -1;
	}
	return 0;
}

/* --- directories --- */

struct mirage_dir {
	struct mirage_kv *kv;	   /* NULL: the root, listing the devices */
	char prefix[PATH_MAX + 1]; /* "css/" or "" */
	size_t next;		   /* the next key (or device) to look at */
	struct dirent entry;
};

DIR *opendir(const char *path)
{
	struct node n;
	if (resolve(path, &n) < 0)
		return NULL;
	if (n.kind == N_FILE) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->kv = n.kv;
	if (*n.key) {
		strcpy(d->prefix, n.key);
		strcat(d->prefix, "/");
	}
	rewinddir(d);
	return d;
}

void rewinddir(DIR *d)
{
	d->next = d->kv ? lower_bound(d->kv, d->prefix) : 0;
	d->entry.d_name[0] = '\0';
}

struct dirent *readdir(DIR *d)
{
	struct dirent *e = &d->entry;
	if (!d->kv) {
		const char *name = mirage_kv_device_name(d->next);
		if (!name || strlen(name) >= sizeof(e->d_name))
			return NULL;
		d->next++;
		strcpy(e->d_name, name);
		e->d_type = DT_DIR;
		e->d_ino = d->next;
		return e;
	}
	size_t plen = strlen(d->prefix);
	for (const char *k; mirage_kv_list(d->kv, d->next, &k) == MIRAGE_OK; d->next++) {
		if (strncmp(k, d->prefix, plen))
			return NULL;
		const char *rest = k + plen;
		size_t n = strcspn(rest, "/");
		/* the keys below one subdirectory come one after the other */
		if (n >= sizeof(e->d_name) ||
		    (rest[n] == '/' && e->d_type == DT_DIR && !strncmp(e->d_name, rest, n) &&
		     e->d_name[n] == '\0'))
			continue;
		memcpy(e->d_name, rest, n);
		e->d_name[n] = '\0';
		e->d_type = rest[n] == '/' ? DT_DIR : DT_REG;
		e->d_ino = ++d->next;
		return e;
	}
	return NULL;
}

int closedir(DIR *d)
{
	free(d);
	return 0;
}
