/* image.c: the table of image kinds and their recipes. The ISO is written
 * with libarchive's ISO9660 writer (arc.c; El Torito, no emulation) with
 * ISOLINUX, its dates then set (isodate.c); the disk is an MBR with one FAT
 * partition made by mtools and made bootable by syslinux --offset, no root
 * and no loop mount needed; qcow2 is that disk converted by qemu-img. All
 * boot the kernel through SYSLINUX's mboot.c32 (multiboot), with the serial
 * console on COM1. External tools only ever see names of the tool's own,
 * relative to a directory of its own: never a user's path (mtools would
 * read "@@" in one as an offset, qemu-img a "proto:" prefix as a protocol). */
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
#include "isodate.h"
#include "proc.h"
#include "sha256.h"
#include "bundle.h"
#include "sbom.h"
#include "oci.h"
#include "xl.h"

/* Where Debian's isolinux and syslinux-common put SYSLINUX's files. */
#define ISOLINUX_BIN	 "/usr/lib/ISOLINUX/isolinux.bin"
#define SYSLINUX_MODULES "/usr/lib/syslinux/modules/bios"
#define SYSLINUX_MBR	 "/usr/lib/syslinux/mbr/mbr.bin"

#define DISK_OFFSET   (1 << 20) /* the partition starts at 1 MiB */
#define DISK_MIN_SIZE (8 << 20)

static const char *const modules[] = {"ldlinux.c32", "libcom32.c32", "mboot.c32"};

static int write_iso(const struct project *p, const char *cmdline, const char *out);
static int write_disk(const struct project *p, const char *cmdline, const char *out);
static int write_qcow2(const struct project *p, const char *cmdline, const char *out);
static int write_xl(const struct project *p, const char *cmdline, const char *out);
static int write_vmdk(const struct project *p, const char *cmdline, const char *out);
static int write_vhd(const struct project *p, const char *cmdline, const char *out);
static int write_gce(const struct project *p, const char *cmdline, const char *out);
static int write_oci(const struct project *p, const char *cmdline, const char *out);
static int write_bundle(const struct project *p, const char *cmdline, const char *out);
static int write_spdx(const struct project *p, const char *cmdline, const char *out);
static int write_oci_archive(const struct project *p, const char *cmdline, const char *out);

static const struct image_kind image_kinds[] = {
    {"kernel", "the unikernel itself", true, NULL, NULL, NULL, NULL},
    {"iso", "a BIOS-bootable ISO (El Torito, ISOLINUX)", true,
     "format=raw,if=ide,media=cdrom,readonly=on", "d", write_iso, NULL},
    {"disk", "a raw disk: an MBR, one bootable FAT partition (SYSLINUX)", true, "format=raw,if=ide",
     "c", write_disk, NULL},
    {"qcow2", "the raw disk as qcow2", true, "format=qcow2,if=ide", "c", write_qcow2, NULL},
    {"vmdk", "the raw disk as a stream-optimized VMDK (VMware, clouds)", false, NULL, NULL,
     write_vmdk, NULL},
    {"vhd", "the raw disk as a fixed VHD of whole MiB (Azure)", false, NULL, NULL, write_vhd, NULL},
    {"gce", "the raw disk as disk.raw of whole GiB in a tar.gz (Google Compute Engine)", false,
     NULL, NULL, write_gce, "gce.tar.gz"},
    {"xl", "the configuration for Xen's xl create (xen)", false, NULL, NULL, write_xl, NULL},
    {"spdx", "the SPDX 2.3 JSON software bill of materials (NAME.spdx.json)", false, NULL, NULL,
     write_spdx, "spdx.json"},
    {"tar.gz", "a bundle: the unikernel, what boots it, manifest.json, a run script", false, NULL,
     NULL, write_bundle, NULL},
    {"oci", "an OCI image layout directory (NAME.oci)", false, NULL, NULL, write_oci, NULL},
    {"oci-archive", "the OCI image layout as a tar (NAME.oci.tar)", false, NULL, NULL,
     write_oci_archive, "oci.tar"},
};

static const char *const kind_names[] = {"kernel", "iso",	  "disk", "qcow2", "vmdk",
					 "vhd",	   "gce",	  "xl",	  "spdx",  "tar.gz",
					 "oci",	   "oci-archive", NULL};
_Static_assert(ARRAY_SIZE(image_kinds) + 1 == ARRAY_SIZE(kind_names), "one name per kind");

const struct image_kind *image_kind_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(image_kinds); i++)
		if (!strcmp(image_kinds[i].name, name))
			return &image_kinds[i];
	return NULL;
}

const char *const *image_kind_names(void)
{
	return kind_names;
}

char *image_path(const struct project *p, const char *kind)
{
	if (!strcmp(kind, "kernel"))
		return project_artifact(p);
	const struct image_kind *k = image_kind_find(kind);
	return xasprintf("%s/%s.%s", p->builddir, p->config.name, k && k->ext ? k->ext : kind);
}

static int write_xl(const struct project *p, const char *cmdline, const char *out)
{
	char *text = xl_config(p, NULL, cmdline, XL_MEM_DEFAULT);
	if (!text)
		return -1;
	int rc = file_write_atomic(out, text, strlen(text), 0644);
	free(text);
	return rc;
}

static int write_spdx(const struct project *p, const char *cmdline, const char *out)
{
	(void)cmdline;
	return sbom_write(p, out);
}

static int write_bundle(const struct project *p, const char *cmdline, const char *out)
{
	(void)cmdline; /* the boot arguments are the run script's */
	return bundle_write(p, out);
}

static int write_oci(const struct project *p, const char *cmdline, const char *out)
{
	(void)cmdline; /* the boot arguments are given at run time */
	return oci_write_layout(p, out);
}

static int write_oci_archive(const struct project *p, const char *cmdline, const char *out)
{
	(void)cmdline;
	return oci_write_archive(p, out);
}

/* SOURCE_DATE_EPOCH when set and valid, else 0: images carry no build time. */
time_t image_time(void)
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
	for (const char *c = cmdline; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return error("boot arguments: a control character cannot be baked into a "
				     "SYSLINUX configuration");
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

static int write_iso(const struct project *p, const char *cmdline, const char *out)
{
	char *kernel = project_artifact(p);
	char *cfg = syslinux_cfg("/isolinux/", cmdline);
	const char *names[] = {"isolinux/isolinux.bin", "isolinux/ldlinux.c32",
			       "isolinux/libcom32.c32", "isolinux/mboot.c32", "kernel"};
	struct arc_file files[7] = {{"isolinux", NULL, 0, 1, 0}};
	char *data[5] = {NULL};
	int rc = -1;
	time_t t = image_time();
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
		files[1 + i] = (struct arc_file){names[i], data[i], len, 0, 0};
	}
	files[6] = (struct arc_file){"isolinux/isolinux.cfg", cfg, strlen(cfg), 0, 0};
	rc = arc_write_iso(out, files, 7, "isolinux/isolinux.bin", "isolinux/boot.cat", t);
	if (rc == 0)
		rc = iso_set_dates(out, t);
done:
	for (size_t i = 0; i < 5; i++)
		free(data[i]);
	free(cfg);
	free(kernel);
	return rc;
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

/* The disk at out; its directory is the tool's own: the recipe's tools run
 * there, on names relative to it. */
static int write_disk(const struct project *p, const char *cmdline, const char *out)
{
	char *kernel = project_artifact(p);
	char *dir = path_dirname(out);
	const char *name = path_basename(out);
	size_t klen;
	char *kdata = file_read(kernel, &klen);
	int rc = -1;
	char *cfg = syslinux_cfg("", cmdline);
	char *cfg_path = path_join(dir, "syslinux.cfg");
	char *kernel_copy = path_join(dir, "kernel");
	char *part = xasprintf("%s@@%d", name, DISK_OFFSET);
	char *sectors = NULL, *hidden = xasprintf("%d", DISK_OFFSET / 512);
	char *offset = xasprintf("%d", DISK_OFFSET);
	char *epoch = xasprintf("%lld", (long long)image_time());
	char **env = proc_env_with("SOURCE_DATE_EPOCH", epoch); /* mtools' dates */
	struct strlist mcopy = STRLIST_INIT;
	if (!kdata) {
		error("disk: cannot read %s:", kernel);
		goto done;
	}
	/* room for the kernel, SYSLINUX and FAT16's minimum, in whole MiB */
	uint64_t size =
	    ((uint64_t)klen * 2 + (4 << 20) + (1 << 20) - 1) & ~(uint64_t)((1 << 20) - 1);
	if (size < DISK_MIN_SIZE)
		size = DISK_MIN_SIZE;
	size += DISK_OFFSET;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error("create %s:", out);
		goto done;
	}
	int trc = ftruncate(fd, (off_t)size);
	close(fd);
	if (trc < 0) {
		error("size %s:", out);
		goto done;
	}
	if (write_mbr(out, size) < 0 || file_write_atomic(cfg_path, cfg, strlen(cfg), 0644) < 0 ||
	    file_write_atomic(kernel_copy, kdata, klen, 0644) < 0)
		goto done;
	time_t t = image_time();
	struct timespec times[2] = {{t, 0}, {t, 0}};
	utimensat(AT_FDCWD, cfg_path, times, 0);
	utimensat(AT_FDCWD, kernel_copy, times, 0);
	sectors = xasprintf("%llu", (unsigned long long)((size - DISK_OFFSET) / 512));
	/* a fixed serial number; clusters of 4 KiB keep the count in what
	 * SYSLINUX accepts for the FAT type mformat chooses */
	char *mformat[] = {"mformat", "-i", part,   "-T", sectors, "-h", "64",	     "-s",
			   "32",      "-H", hidden, "-c", "8",	   "-N", "4d495247", NULL};
	char *syslinux[] = {"syslinux", "--install", "--offset", offset, (char *)name, NULL};
	strlist_push(&mcopy, "mcopy");
	strlist_push(&mcopy, "-m");
	strlist_push(&mcopy, "-i");
	strlist_push(&mcopy, part);
	for (size_t i = 1; i < 3; i++)
		strlist_pushf(&mcopy, "%s/%s", SYSLINUX_MODULES, modules[i]);
	strlist_push(&mcopy, "syslinux.cfg");
	strlist_push(&mcopy, "kernel");
	strlist_push(&mcopy, "::");
	struct proc_opts po = {dir, env, -1, false};
	rc = proc_run(mformat, &po, "disk: mformat") < 0 ||
		     proc_run(syslinux, &po, "disk: syslinux") < 0 ||
		     proc_run(mcopy.items, &po, "disk: mcopy") < 0
		 ? -1
		 : 0;
done:
	strlist_release(&mcopy);
	proc_env_free(env);
	free(epoch);
	free(part);
	free(sectors);
	free(hidden);
	free(offset);
	free(kdata);
	free(cfg);
	free(cfg_path);
	free(kernel_copy);
	free(dir);
	free(kernel);
	return rc;
}

/* The raw disk converted by qemu-img to format (with -o options, or NULL),
 * working on names of its own in out's directory. */
static int convert_disk(const struct project *p, const char *cmdline, const char *out,
			const char *format, const char *options)
{
	char *dir = path_dirname(out);
	char *raw = path_join(dir, "disk.raw");
	int rc = write_disk(p, cmdline, raw);
	if (rc == 0) {
		char *rel = xasprintf("./%s", path_basename(out));
		struct strlist argv = STRLIST_INIT;
		/* -m 1: one request at a time, so that where clusters and
		 * compressed grains land never depends on which of several
		 * requests in flight finished first */
		const char *head[] = {"qemu-img", "convert", "-q", "-m",  "1",
				      "-f",	  "raw",     "-O", format};
		for (size_t i = 0; i < ARRAY_SIZE(head); i++)
			strlist_push(&argv, head[i]);
		if (options) {
			strlist_push(&argv, "-o");
			strlist_push(&argv, options);
		}
		strlist_push(&argv, "./disk.raw");
		strlist_push(&argv, rel);
		struct proc_opts po = {dir, NULL, -1, false};
		char *what = xasprintf("%s: qemu-img convert", format);
		rc = proc_run(argv.items, &po, what);
		free(what);
		strlist_release(&argv);
		free(rel);
	}
	unlink(raw);
	free(raw);
	free(dir);
	return rc;
}

static int write_qcow2(const struct project *p, const char *cmdline, const char *out)
{
	return convert_disk(p, cmdline, out, "qcow2", NULL);
}

/* VMware's stream-optimized VMDK, as clouds and ESXi import it. qemu-img
 * writes a random content ID (CID=) into its descriptor: it is made from
 * the file's digest instead. */
static int write_vmdk(const struct project *p, const char *cmdline, const char *out)
{
	int rc = convert_disk(p, cmdline, out, "vmdk", "subformat=streamOptimized");
	if (rc < 0)
		return rc;
	size_t len;
	char *data = file_read(out, &len);
	if (!data)
		return error("vmdk: cannot read %s:", out);
	/* "CID=" and up to 8 hex digits (qemu-img does not pad them), in the
	 * descriptor's text, which NULs pad to the end of its sectors: the
	 * value is rewritten with 8 digits, the text after it moved along */
	size_t limit = len < (1 << 20) ? len : (1 << 20);
	char *cid = memmem(data, limit, "\nCID=", 5);
	size_t at = cid ? (size_t)(cid - data) + 5 : 0;
	size_t digits = cid ? strspn(data + at, "0123456789abcdef") : 0;
	char *nul = cid ? memchr(data + at, '\0', limit - at) : NULL;
	size_t end = nul ? (size_t)(nul - data) : 0;
	bool room = nul && digits >= 1 && digits <= 8 && end + (8 - digits) <= limit;
	for (size_t i = 0; room && i < 8 - digits; i++)
		room = data[end + i] == '\0';
	if (!room) {
		free(data);
		return error("vmdk: %s has no CID in its descriptor that can be rewritten", out);
	}
	memmove(data + at + 8, data + at + digits, end - (at + digits));
	memcpy(data + at, "00000000", 8);
	struct sha256 h;
	char hex[65];
	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final_hex(&h, hex);
	memcpy(data + at, hex, 8);
	rc = file_write_atomic(out, data, len, 0644);
	free(data);
	return rc;
}

/* A fixed VHD of a whole number of MiB (as Azure wants). qemu-img writes the
 * time and a random UUID into its footer: they are set from
 * SOURCE_DATE_EPOCH and the disk's own digest, the checksum made again. */
static int write_vhd(const struct project *p, const char *cmdline, const char *out)
{
	int rc = convert_disk(p, cmdline, out, "vpc", "subformat=fixed,force_size=on");
	if (rc < 0)
		return rc;
	int fd = open(out, O_RDWR | O_CLOEXEC);
	struct stat st;
	uint8_t f[512];
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 512 ||
	    pread(fd, f, 512, st.st_size - 512) != 512 || memcmp(f, "conectix", 8)) {
		if (fd >= 0)
			close(fd);
		return error("vhd: %s has no VHD footer", out);
	}
	/* the seconds since 2000-01-01 */
	int64_t since = (int64_t)image_time() - 946684800;
	uint32_t ts = since > 0 ? (uint32_t)since : 0;
	f[24] = (uint8_t)(ts >> 24), f[25] = (uint8_t)(ts >> 16), f[26] = (uint8_t)(ts >> 8),
	f[27] = (uint8_t)ts;
	/* the UUID: from the disk's digest (the footer's own fields excluded) */
	struct sha256 h;
	char hex[65];
	sha256_init(&h);
	uint8_t buf[1 << 16];
	for (off_t at = 0; at < st.st_size - 512;) {
		size_t want = (size_t)(st.st_size - 512 - at) < sizeof(buf)
				  ? (size_t)(st.st_size - 512 - at)
				  : sizeof(buf);
		ssize_t n = pread(fd, buf, want, at);
		if (n <= 0)
			break;
		sha256_update(&h, buf, (size_t)n);
		at += n;
	}
	sha256_final_hex(&h, hex);
	for (int i = 0; i < 16; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		f[68 + i] = (uint8_t)v;
	}
	f[68 + 6] = (uint8_t)((f[68 + 6] & 0x0f) | 0x50); /* a name-based UUID */
	f[68 + 8] = (uint8_t)((f[68 + 8] & 0x3f) | 0x80);
	uint32_t sum = 0;
	memset(f + 64, 0, 4);
	for (int i = 0; i < 512; i++)
		sum += f[i];
	sum = ~sum;
	f[64] = (uint8_t)(sum >> 24), f[65] = (uint8_t)(sum >> 16), f[66] = (uint8_t)(sum >> 8),
	f[67] = (uint8_t)sum;
	rc = pwrite(fd, f, 512, st.st_size - 512) == 512 ? 0 : error("vhd: write %s:", out);
	close(fd);
	return rc;
}

/* Google Compute Engine's import format: disk.raw, its size a whole number
 * of GiB, alone in a gzip-compressed GNU tar. */
static int write_gce(const struct project *p, const char *cmdline, const char *out)
{
	char *dir = path_dirname(out);
	char *raw = path_join(dir, "disk.raw");
	int rc = write_disk(p, cmdline, raw);
	struct stat st;
	if (rc == 0 && stat(raw, &st) < 0)
		rc = error("gce: %s:", raw);
	if (rc == 0) {
		uint64_t gib = 1ULL << 30;
		uint64_t size = ((uint64_t)st.st_size + gib - 1) / gib * gib;
		rc = arc_write_targz_file(out, "disk.raw", raw, size, image_time());
	}
	unlink(raw);
	free(raw);
	free(dir);
	return rc;
}
int image_write(const struct project *p, const char *kind, const char *cmdline, const char *out)
{
	const struct image_kind *k = image_kind_find(kind);
	if (!k || !k->write)
		BUG("image_write: not a kind with a recipe");
	if (check_cmdline(cmdline) < 0)
		return -1;
	/* a directory of the tool's own, beside the image (one file system:
	 * the image is renamed into place) */
	char *parent = path_dirname(out);
	char *tmpl = path_join(parent, ".mirage-image-XXXXXX");
	free(parent);
	if (!mkdtemp(tmpl)) {
		int rc = error("create a directory beside %s:", out);
		free(tmpl);
		return rc;
	}
	char *tmp = path_join(tmpl, "image");
	int rc = k->write(p, cmdline, tmp);
	if (rc == 0 && rename(tmp, out) < 0) {
		/* an image that is a directory (oci): the old one is moved
		 * aside first, then removed with the temporary directory */
		char *old = path_join(tmpl, "old");
		if ((errno == EEXIST || errno == ENOTEMPTY || errno == EISDIR) &&
		    rename(out, old) == 0 && rename(tmp, out) == 0)
			rc = 0;
		else
			rc = error("rename %s:", tmp);
		free(old);
	}
	remove_tree(tmpl);
	free(tmp);
	free(tmpl);
	return rc;
}

int image_for_run(const struct project *p, const char *kind, const char *cmdline, bool dry_run,
		  char **out)
{
	if (cmdline) {
		/* a name of this run's own: runs in parallel never share one */
		if (check_cmdline(cmdline) < 0)
			return -1;
		char *tmpl = xasprintf("%s/run-XXXXXX.%s", p->builddir, kind);
		if (dry_run) {
			*out = tmpl;
			return 0;
		}
		int fd = mkstemps(tmpl, (int)strlen(kind) + 1);
		if (fd < 0) {
			int rc = error("create an image in %s:", p->builddir);
			free(tmpl);
			*out = NULL;
			return rc;
		}
		close(fd);
		*out = tmpl;
		int rc = image_write(p, kind, cmdline, tmpl);
		if (rc < 0)
			unlink(tmpl);
		return rc;
	}
	*out = image_path(p, kind);
	char *kernel = project_artifact(p);
	int64_t ti = file_mtime_ns(*out), tk = file_mtime_ns(kernel);
	free(kernel);
	if ((ti >= 0 && ti >= tk) || dry_run)
		return 0;
	return image_write(p, kind, NULL, *out);
}

/* 1 when the architecture makes kind, 0 when not, -1 (recorded) when kind
 * is no image kind at all. */
static int check_kind(const struct project *p, const char *kind, const struct pos *pos,
		      const char *from)
{
	if (!image_kind_find(kind))
		return error_suggest(pos, pos ? "images" : from, "image kind", kind,
				     image_kind_names(), 0);
	return target_makes_image(p->graph.arch, kind);
}

int image_wanted(const struct project *p, const char *list, const char *from, struct strlist *out)
{
	strlist_push(out, "kernel");
	const struct strlist *always = &p->graph.arch->images_always;
	for (size_t i = 0; i < always->len; i++)
		strlist_push(out, always->items[i]);
	int rc = 0;
	if (list) {
		char *copy = xstrdup(list);
		for (char *save, *k = strtok_r(copy, ",", &save); k;
		     k = strtok_r(NULL, ",", &save)) {
			int r = check_kind(p, k, NULL, from);
			if (r == 0)
				r = error("%s %s: %s on %s makes no %s image: %s", from, k,
					  p->target.name, p->graph.arch->name, k,
					  target_images_note(&p->target, p->graph.arch));
			if (r < 0)
				rc = -1;
			else if (!strlist_has(out, k))
				strlist_push(out, k);
		}
		free(copy);
		return rc < 0 ? failed(FAIL_USAGE) : 0;
	}
	/* the description's images for this target: checked when it was read;
	 * those this architecture does not make do not apply to it */
	const struct strlist *want = config_images(&p->config, p->target.name);
	for (size_t i = 0; want && i < want->len; i++)
		if (target_makes_image(p->graph.arch, want->items[i]) &&
		    !strlist_has(out, want->items[i]))
			strlist_push(out, want->items[i]);
	return 0;
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
			if (diag_progress())
				fprintf(stderr, "mirage: writing %s\n", path);
			rc = image_write(p, kinds->items[i], NULL, path);
			made++;
		}
		free(path);
		if (rc < 0)
			return failed(FAIL_BUILD);
	}
	return made;
}
