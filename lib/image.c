/* image.c: ISO and disk images. The ISO is written with libarchive's ISO9660
 * writer (arc.c; El Torito, no emulation) with ISOLINUX; the disk is an MBR with one
 * FAT partition made by mtools and made bootable by syslinux --offset, no
 * root and no loop mount needed. Both boot the kernel through SYSLINUX's
 * mboot.c32 (multiboot), with the serial console on COM1. */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "proc.h"

/* Where Debian's isolinux and syslinux-common put SYSLINUX's files. */
#define ISOLINUX_BIN	 "/usr/lib/ISOLINUX/isolinux.bin"
#define SYSLINUX_MODULES "/usr/lib/syslinux/modules/bios"
#define SYSLINUX_MBR	 "/usr/lib/syslinux/mbr/mbr.bin"

#define DISK_OFFSET   (1 << 20) /* the partition starts at 1 MiB */
#define DISK_MIN_SIZE (8 << 20)

static const char *const modules[] = {"ldlinux.c32", "libcom32.c32", "mboot.c32"};

const char *const image_kinds[] = {"kernel", "iso", "disk", "qcow2", NULL};

bool image_known(const struct project *p, const char *kind)
{
	if (!strcmp(kind, "kernel"))
		return true;
	/* BIOS-booted images: x86_64 only */
	return !strcmp(p->target.runner, "qemu") && !strcmp(p->graph.arch->name, "x86_64") &&
	       (!strcmp(kind, "iso") || !strcmp(kind, "disk") || !strcmp(kind, "qcow2"));
}

char *image_path(const struct project *p, const char *kind)
{
	if (!strcmp(kind, "kernel"))
		return project_artifact(p);
	return xasprintf("%s/%s.%s", p->builddir, p->config.name, kind);
}

/* SOURCE_DATE_EPOCH when set and valid, else 0: images carry no build time. */
static time_t image_time(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? (time_t)v : 0;
}

/* The SYSLINUX configuration: the serial console, no prompt, the kernel
 * through mboot.c32 with the boot arguments. */
static char *syslinux_cfg(const char *dir, const char *cmdline)
{
	/* NOESCAPE and no prompt: an unattended boot never waits for a key */
	return xasprintf("SERIAL 0 115200\nDEFAULT mirage\nPROMPT 0\nTIMEOUT 0\nNOESCAPE 1\n"
			 "LABEL mirage\n  KERNEL %smboot.c32\n  APPEND /kernel%s%s\n",
			 dir, cmdline && *cmdline ? " " : "", cmdline ? cmdline : "");
}

static int check_cmdline(const char *cmdline)
{
	if (!cmdline)
		return 0;
	if (strchr(cmdline, '\n'))
		return error("boot arguments: a newline cannot be baked into a SYSLINUX "
			     "configuration");
	/* mboot.c32 reads a word "---" as the start of a module */
	for (const char *p = cmdline; (p = strstr(p, "---")); p += 3) {
		bool starts = p == cmdline || p[-1] == ' ';
		bool ends = p[3] == '\0' || p[3] == ' ';
		if (starts && ends)
			return error("boot arguments: a word '---' cannot be baked into a "
				     "SYSLINUX configuration (mboot.c32 reads it as a module)");
	}
	return 0;
}

static int write_iso(const char *kernel, const char *cmdline, const char *out)
{
	char *cfg = syslinux_cfg("/isolinux/", cmdline);
	const char *names[] = {"isolinux/isolinux.bin", "isolinux/ldlinux.c32",
			       "isolinux/libcom32.c32", "isolinux/mboot.c32", "kernel"};
	struct arc_file files[7] = {{"isolinux", NULL, 0, 1}};
	char *data[5] = {NULL};
	int rc = -1;
	for (size_t i = 0; i < 5; i++) {
		char *src = i == 0   ? xstrdup(ISOLINUX_BIN)
			    : i == 4 ? xstrdup(kernel)
				     : xasprintf("%s/%s", SYSLINUX_MODULES, modules[i - 1]);
		size_t len;
		data[i] = file_read(src, &len);
		if (!data[i]) {
			error("ISO: cannot read %s: %s%s", src, strerror(errno),
			      i == 4 ? "" : " (install isolinux and syslinux-common)");
			free(src);
			goto done;
		}
		free(src);
		files[1 + i] = (struct arc_file){names[i], data[i], len, 0};
	}
	files[6] = (struct arc_file){"isolinux/isolinux.cfg", cfg, strlen(cfg), 0};
	rc = arc_write_iso(out, files, 7, "isolinux/isolinux.bin", "isolinux/boot.cat",
			   image_time());
done:
	for (size_t i = 0; i < 5; i++)
		free(data[i]);
	free(cfg);
	return rc;
}

/* Runs a tool of the disk recipe (mformat, syslinux, mcopy). */
static int tool(char *const *argv)
{
	pid_t pid = proc_start(argv);
	if (pid < 0)
		return -1;
	int status = proc_wait(pid);
	if (status != 0)
		return error("%s failed (exit status %d)", argv[0], status);
	return 0;
}

static int write_mbr(const char *path, uint64_t size)
{
	uint8_t mbr[512] = {0};
	size_t n;
	char *code = file_read(SYSLINUX_MBR, &n);
	if (!code)
		return error("disk: cannot read %s: %s (install syslinux-common)", SYSLINUX_MBR,
			     strerror(errno));
	memcpy(mbr, code, n < 440 ? n : 440);
	free(code);
	uint32_t start = DISK_OFFSET / 512, count = (uint32_t)(size / 512 - start);
	uint8_t *e = mbr + 446;
	e[0] = 0x80;			       /* bootable */
	e[1] = 0xfe, e[2] = 0xff, e[3] = 0xff; /* CHS: use LBA */
	e[4] = 0x0e;			       /* FAT16, LBA */
	e[5] = 0xfe, e[6] = 0xff, e[7] = 0xff;
	memcpy(e + 8, &start, 4);
	memcpy(e + 12, &count, 4);
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return error("open %s:", path);
	int rc =
	    pwrite(fd, mbr, sizeof(mbr), 0) == (ssize_t)sizeof(mbr) ? 0 : error("write %s:", path);
	close(fd);
	return rc;
}

static int write_disk(const char *kernel, const char *cmdline, const char *out, const char *tmpdir)
{
	struct stat st;
	if (stat(kernel, &st) < 0)
		return error("disk: cannot read %s:", kernel);
	/* room for the kernel, SYSLINUX and FAT16's minimum, in whole MiB */
	uint64_t size =
	    ((uint64_t)st.st_size * 2 + (4 << 20) + (1 << 20) - 1) & ~(uint64_t)((1 << 20) - 1);
	if (size < DISK_MIN_SIZE)
		size = DISK_MIN_SIZE;
	size += DISK_OFFSET;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return error("create %s:", out);
	int trc = ftruncate(fd, (off_t)size);
	close(fd);
	if (trc < 0)
		return error("size %s:", out);
	if (write_mbr(out, size) < 0)
		return -1;
	/* the files to copy, with the image's time */
	time_t t = image_time();
	char *cfg = syslinux_cfg("", cmdline);
	char *cfg_path = path_join(tmpdir, "syslinux.cfg");
	char *kernel_copy = path_join(tmpdir, "kernel");
	size_t klen;
	char *kdata = file_read(kernel, &klen);
	int rc = -1;
	if (!kdata || file_write_atomic(cfg_path, cfg, strlen(cfg), 0644) < 0 ||
	    file_write_atomic(kernel_copy, kdata, klen, 0644) < 0)
		goto done;
	struct timespec times[2] = {{t, 0}, {t, 0}};
	utimensat(AT_FDCWD, cfg_path, times, 0);
	utimensat(AT_FDCWD, kernel_copy, times, 0);
	char *part = xasprintf("%s@@%d", out, DISK_OFFSET);
	char *sectors = xasprintf("%llu", (unsigned long long)((size - DISK_OFFSET) / 512));
	char *hidden = xasprintf("%d", DISK_OFFSET / 512);
	char *offset = xasprintf("%d", DISK_OFFSET);
	/* a fixed serial number; clusters of 4 KiB keep the count in what
	 * SYSLINUX accepts for the FAT type mformat chooses */
	char *mformat[] = {"mformat", "-i", part,   "-T", sectors, "-h", "64",	     "-s",
			   "32",      "-H", hidden, "-c", "8",	   "-N", "4d495247", NULL};
	char *syslinux[] = {"syslinux", "--install", "--offset", offset, (char *)out, NULL};
	struct strlist mcopy = STRLIST_INIT;
	strlist_push(&mcopy, "mcopy");
	strlist_push(&mcopy, "-m");
	strlist_push(&mcopy, "-i");
	strlist_push(&mcopy, part);
	for (size_t i = 1; i < 3; i++)
		strlist_pushf(&mcopy, "%s/%s", SYSLINUX_MODULES, modules[i]);
	strlist_push(&mcopy, cfg_path);
	strlist_push(&mcopy, kernel_copy);
	strlist_push(&mcopy, "::");
	rc = tool(mformat) < 0 || tool(syslinux) < 0 || tool(mcopy.items) < 0 ? -1 : 0;
	strlist_release(&mcopy);
	free(part);
	free(sectors);
	free(hidden);
	free(offset);
done:
	free(kdata);
	free(cfg);
	free(cfg_path);
	free(kernel_copy);
	return rc;
}

int image_write(const struct project *p, const char *kind, const char *cmdline, const char *out)
{
	if (check_cmdline(cmdline) < 0)
		return -1;
	char *kernel = project_artifact(p);
	char *tmp = xasprintf("%s.tmp", out);
	int rc;
	if (!strcmp(kind, "iso")) {
		rc = write_iso(kernel, cmdline, tmp);
	} else if (!strcmp(kind, "qcow2")) {
		/* the raw disk, converted */
		char *raw = xasprintf("%s.raw", tmp);
		rc = image_write(p, "disk", cmdline, raw);
		if (rc == 0) {
			char *argv[] = {"qemu-img", "convert", "-q", "-f", "raw",
					"-O",	    "qcow2",   raw,  tmp,  NULL};
			rc = tool(argv);
		}
		unlink(raw);
		free(raw);
	} else {
		char *dir = xasprintf("%s.d", tmp);
		rc = mkdir_p(dir);
		if (rc == 0) {
			/* mtools and syslinux stamp files with the clock unless told */
			char *epoch = xasprintf("%lld", (long long)image_time());
			setenv("SOURCE_DATE_EPOCH", epoch, 1);
			free(epoch);
			rc = write_disk(kernel, cmdline, tmp, dir);
		}
		remove_tree(dir);
		free(dir);
	}
	if (rc == 0 && rename(tmp, out) < 0)
		rc = error("rename %s:", tmp);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(kernel);
	return rc;
}

int image_for_run(const struct project *p, const char *kind, const char *cmdline, char **out)
{
	if (cmdline) {
		*out = xasprintf("%s/run.%s", p->builddir, kind);
		return image_write(p, kind, cmdline, *out);
	}
	*out = image_path(p, kind);
	char *kernel = project_artifact(p);
	int64_t ti = file_mtime_ns(*out), tk = file_mtime_ns(kernel);
	free(kernel);
	if (ti >= 0 && ti >= tk)
		return 0;
	return image_write(p, kind, NULL, *out);
}

static int check_kind(const struct project *p, const char *kind, const struct pos *pos, bool strict)
{
	bool exists = false;
	for (size_t i = 0; image_kinds[i]; i++)
		exists |= !strcmp(image_kinds[i], kind);
	if (!exists) {
		const char *hint = str_suggest(kind, image_kinds, 4);
		if (pos)
			return error_at(pos, "images: unknown image '%s'%s%s%s", kind,
					hint ? " (did you mean '"
					     : " (known: kernel, iso, disk, qcow2",
					hint ? hint : "", hint ? "'?)" : ")");
		return error("--image %s: unknown image%s%s%s", kind,
			     hint ? " (did you mean '" : " (known: kernel, iso, disk, qcow2",
			     hint ? hint : "", hint ? "'?)" : ")");
	}
	if (image_known(p, kind))
		return 1;
	if (strict)
		return error("--image %s: target '%s' makes no %s image", kind, p->target.name,
			     kind);
	warning("images: target '%s' makes no %s image: skipped", p->target.name, kind);
	return 0;
}

int image_wanted(const struct project *p, const char *list, struct strlist *out)
{
	strlist_push(out, "kernel");
	int rc = 0;
	if (list) {
		char *copy = xstrdup(list);
		for (char *save, *k = strtok_r(copy, ",", &save); k;
		     k = strtok_r(NULL, ",", &save)) {
			int r = check_kind(p, k, NULL, true);
			if (r < 0)
				rc = -1;
			else if (r > 0 && !strlist_has(out, k))
				strlist_push(out, k);
		}
		free(copy);
		return rc;
	}
	const struct config *c = &p->config;
	for (size_t i = 0; i < c->images.len; i++) {
		int r = check_kind(p, c->images.items[i], &c->images_pos[i], false);
		if (r < 0)
			rc = -1;
		else if (r > 0 && !strlist_has(out, c->images.items[i]))
			strlist_push(out, c->images.items[i]);
	}
	return rc;
}

int image_update(const struct project *p, const struct strlist *kinds)
{
	char *kernel = project_artifact(p);
	int64_t tk = file_mtime_ns(kernel);
	free(kernel);
	int made = 0;
	for (size_t i = 0; i < kinds->len; i++) {
		if (!strcmp(kinds->items[i], "kernel"))
			continue;
		char *path = image_path(p, kinds->items[i]);
		int64_t ti = file_mtime_ns(path);
		int rc = 0;
		if (ti < 0 || ti < tk) {
			rc = image_write(p, kinds->items[i], NULL, path);
			made++;
		}
		free(path);
		if (rc < 0)
			return -1;
	}
	return made;
}
