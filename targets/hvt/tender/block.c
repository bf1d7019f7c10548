/* block.c: the block module: --block:NAME=FILE and the block hypercalls,
 * any number of sectors per call. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hvt.h"

#define SECTOR_SIZE 512

static int fds[MIRAGE_MAX_DEVICES]; /* by handle */

static int block_option(const char *arg)
{
	if (strncmp(arg, "--block:", 8))
		return 0;
	const char *eq = strchr(arg + 8, '=');
	if (!eq || eq == arg + 8 || !eq[1]) {
		hvt_warn("malformed option '%s' (expected --block:NAME=FILE)", arg);
		return -1;
	}
	char *name = strndup(arg + 8, (size_t)(eq - arg - 8));
	if (hvt_attach(name, eq + 1, MIRAGE_DEV_BLOCK) < 0) {
		free(name);
		return -1;
	}
	return 1;
}

/* The checked arguments of a block hypercall, or NULL (the guest stopped,
 * or ret set to HVT_EINVAL). */
static struct hvt_block_io *block_args(struct hvt *h, uint64_t gpa, void **data, const char *what)
{
	struct hvt_block_io *a = HVT_ARG(h, gpa, struct hvt_block_io);
	if (!a) {
		hvt_hostile(h, "block %s: argument outside guest memory", what);
		return NULL;
	}
	const struct hvt_device *d = hvt_device(h, a->handle, MIRAGE_DEV_BLOCK);
	if (!d) {
		hvt_hostile(h, "block %s: %u is not a block handle", what, a->handle);
		return NULL;
	}
	if (a->offset % SECTOR_SIZE || a->len % SECTOR_SIZE || a->offset > d->capacity ||
	    a->len > d->capacity - a->offset) {
		a->ret = HVT_EINVAL;
		return NULL;
	}
	*data = hvt_checked(h, a->data, a->len);
	if (!*data) {
		hvt_hostile(h, "block %s: buffer outside guest memory", what);
		return NULL;
	}
	return a;
}

/* Moves a block request's bytes between the file and guest memory. */
static void block_rw(struct hvt *h, uint64_t gpa, bool write)
{
	void *data;
	struct hvt_block_io *a = block_args(h, gpa, &data, write ? "write" : "read");
	if (!a)
		return;
	uint8_t *p = data;
	uint64_t off = a->offset, left = a->len;
	while (left) {
		ssize_t n = write ? pwrite(fds[a->handle], p, left, (off_t)off)
				  : pread(fds[a->handle], p, left, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			a->ret = HVT_EIO;
			return;
		}
		p += n, off += (uint64_t)n, left -= (uint64_t)n;
	}
	a->ret = HVT_OK;
}

static void hc_block_read(struct hvt *h, uint64_t gpa)
{
	block_rw(h, gpa, false);
}

static void hc_block_write(struct hvt *h, uint64_t gpa)
{
	block_rw(h, gpa, true);
}

static void hc_block_flush(struct hvt *h, uint64_t gpa)
{
	struct hvt_block_io *a = HVT_ARG(h, gpa, struct hvt_block_io);
	if (!a)
		return hvt_hostile(h, "block flush: argument outside guest memory");
	if (!hvt_device(h, a->handle, MIRAGE_DEV_BLOCK))
		return hvt_hostile(h, "block flush: %u is not a block handle", a->handle);
	a->ret = fdatasync(fds[a->handle]) == 0 ? HVT_OK : HVT_EIO;
}

static int block_setup(struct hvt *h)
{
	size_t n;
	struct hvt_attachment *at = hvt_attachments(&n);
	for (size_t i = 0; i < n; i++) {
		if (at[i].type != MIRAGE_DEV_BLOCK)
			continue;
		int fd = open(at[i].what, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			hvt_warn("--block:%s=%s: %s", at[i].name, at[i].what, strerror(errno));
			return -1;
		}
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			hvt_warn("--block:%s=%s: not a regular file", at[i].name, at[i].what);
			close(fd);
			return -1;
		}
		at[i].fd = fd;
		struct hvt_device *d = hvt_boot_device(h, at[i].name, MIRAGE_DEV_BLOCK);
		at[i].dev = d;
		fds[d->handle] = fd;
		d->sector_size = SECTOR_SIZE;
		d->capacity = (uint64_t)st.st_size / SECTOR_SIZE * SECTOR_SIZE;
		if ((uint64_t)st.st_size != d->capacity)
			hvt_warn("--block:%s=%s: %lld bytes, not a whole number of %d-byte "
				 "sectors: the last %lld are not used",
				 at[i].name, at[i].what, (long long)st.st_size, SECTOR_SIZE,
				 (long long)(st.st_size % SECTOR_SIZE));
	}
	hvt_register(HVT_BLOCK_READ, hc_block_read);
	hvt_register(HVT_BLOCK_WRITE, hc_block_write);
	hvt_register(HVT_BLOCK_FLUSH, hc_block_flush);
	return 0;
}

static void block_usage(FILE *f)
{
	fprintf(f, "  --block:NAME=FILE     attach block device NAME to FILE (512-byte sectors)\n");
}

const struct hvt_module hvt_module_block = {"block", block_option, block_setup, block_usage};
