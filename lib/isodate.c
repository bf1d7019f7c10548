/* isodate.c: rewriting the dates of an ISO9660 image (ECMA-119) in place:
 * the primary volume descriptor's four dates (17-byte text), the 7-byte
 * recording date of every directory record, walked from the root directory,
 * and the Rock Ridge timestamps (TF entries of the SUSP system use areas,
 * continuation areas included). Every offset is checked against the file. */
#include "isodate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define SECTOR	    2048
#define PVD	    (16 * SECTOR)
#define MAX_DEPTH   8
#define MAX_EXTENTS 4096

struct iso {
	int fd;
	uint64_t size;
	struct tm tm;
	unsigned extents; /* directory extents visited: a bound on a corrupt tree */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void record_date(const struct iso *iso, uint8_t d[7])
{
	d[0] = (uint8_t)(iso->tm.tm_year);
	d[1] = (uint8_t)(iso->tm.tm_mon + 1);
	d[2] = (uint8_t)iso->tm.tm_mday;
	d[3] = (uint8_t)iso->tm.tm_hour;
	d[4] = (uint8_t)iso->tm.tm_min;
	d[5] = (uint8_t)iso->tm.tm_sec;
	d[6] = 0; /* UTC */
}

/* The 7-byte (or 17-byte text) date of a TF entry's timestamps. */
static void tf_dates(const struct iso *iso, uint8_t *e, size_t len)
{
	if (len < 5)
		return;
	bool text = e[4] & 0x80; /* LONG_FORM */
	size_t size = text ? 17 : 7, count = 0;
	for (int bit = 0; bit < 7; bit++)
		count += (e[4] >> bit) & 1;
	for (size_t i = 0; i < count && 5 + (i + 1) * size <= len; i++) {
		uint8_t *d = e + 5 + i * size;
		if (!text) {
			record_date(iso, d);
		} else {
			char s[64];
			snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02d00", iso->tm.tm_year + 1900,
				 iso->tm.tm_mon + 1, iso->tm.tm_mday, iso->tm.tm_hour,
				 iso->tm.tm_min, iso->tm.tm_sec);
			memcpy(d, s, 16);
			d[16] = 0;
		}
	}
}

static int susp_area(struct iso *iso, uint8_t *area, size_t len, int depth);

/* The continuation area a CE entry names, its TF entries set in place. */
static int susp_continuation(struct iso *iso, const uint8_t *e, int depth)
{
	uint64_t off = (uint64_t)le32(e + 4) * SECTOR + le32(e + 12);
	uint32_t len = le32(e + 20);
	if (depth > 4 || off > iso->size || len > iso->size - off || len > SECTOR)
		return error("ISO: a malformed Rock Ridge continuation");
	uint8_t buf[SECTOR];
	if (pread(iso->fd, buf, len, (off_t)off) != (ssize_t)len)
		return error("ISO: cannot read a continuation area:");
	int rc = susp_area(iso, buf, len, depth + 1);
	if (rc == 0 && pwrite(iso->fd, buf, len, (off_t)off) != (ssize_t)len)
		rc = error("ISO: cannot write a continuation area:");
	return rc;
}

/* The SUSP entries of a system use area: "XX", length, version, data. */
static int susp_area(struct iso *iso, uint8_t *area, size_t len, int depth)
{
	for (size_t pos = 0; pos + 4 <= len;) {
		uint8_t *e = area + pos;
		size_t elen = e[2];
		if (elen < 4 || elen > len - pos)
			break; /* padding, or the end */
		if (e[0] == 'T' && e[1] == 'F')
			tf_dates(iso, e, elen);
		else if (e[0] == 'C' && e[1] == 'E' && elen >= 28 &&
			 susp_continuation(iso, e, depth) < 0)
			return -1;
		else if (e[0] == 'S' && e[1] == 'T')
			break;
		pos += elen;
	}
	return 0;
}

/* Sets the dates of the records of the directory at extent (len bytes). */
static int walk(struct iso *iso, uint32_t extent, uint32_t len, int depth)
{
	if (depth > MAX_DEPTH || ++iso->extents > MAX_EXTENTS)
		return error("ISO: the directory tree is too deep or too large");
	uint64_t off = (uint64_t)extent * SECTOR;
	if (off > iso->size || len > iso->size - off || len > (16u << 20))
		return error("ISO: a directory lies outside the image");
	uint8_t *dir = xmalloc(len ? len : 1);
	if (pread(iso->fd, dir, len, (off_t)off) != (ssize_t)len) {
		free(dir);
		return error("ISO: cannot read a directory:");
	}
	int rc = 0;
	for (uint32_t pos = 0; pos < len && rc == 0;) {
		uint8_t rlen = dir[pos];
		if (rlen == 0) { /* no record crosses a sector: go to the next one */
			pos = (pos / SECTOR + 1) * SECTOR;
			continue;
		}
		if (rlen < 34 || rlen > len - pos) {
			rc = error("ISO: a malformed directory record");
			break;
		}
		uint8_t *r = dir + pos;
		record_date(iso, r + 18);
		size_t name = r[32], sys = 33 + name + (name % 2 == 0); /* padded to even */
		if (sys < rlen && susp_area(iso, r + sys, rlen - sys, 0) < 0) {
			rc = -1;
			break;
		}
		bool is_dir = r[25] & 2;
		bool self = r[32] == 1 && (r[33] == 0 || r[33] == 1); /* "." and ".." */
		if (is_dir && !self)
			rc = walk(iso, le32(r + 2), le32(r + 10), depth + 1);
		pos += rlen;
	}
	if (rc == 0 && pwrite(iso->fd, dir, len, (off_t)off) != (ssize_t)len)
		rc = error("ISO: cannot write a directory:");
	free(dir);
	return rc;
}

int iso_set_dates(const char *path, time_t t)
{
	struct iso iso = {.fd = open(path, O_RDWR | O_CLOEXEC)};
	if (iso.fd < 0)
		return error("ISO: open %s:", path);
	struct stat st;
	uint8_t pvd[SECTOR];
	int rc = -1;
	if (fstat(iso.fd, &st) < 0 || pread(iso.fd, pvd, SECTOR, PVD) != SECTOR) {
		error("ISO: %s has no volume descriptor", path);
		goto done;
	}
	iso.size = (uint64_t)st.st_size;
	if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5)) {
		error("ISO: %s has no primary volume descriptor", path);
		goto done;
	}
	gmtime_r(&t, &iso.tm);
	char text[64];
	snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02d00", iso.tm.tm_year + 1900,
		 iso.tm.tm_mon + 1, iso.tm.tm_mday, iso.tm.tm_hour, iso.tm.tm_min, iso.tm.tm_sec);
	/* creation, modification, effective: set; expiration: none */
	static const unsigned dates[] = {813, 830, 864};
	for (size_t i = 0; i < ARRAY_SIZE(dates); i++) {
		memcpy(pvd + dates[i], text, 16);
		pvd[dates[i] + 16] = 0; /* offset from UTC */
	}
	memset(pvd + 847, '0', 16);
	pvd[847 + 16] = 0;
	record_date(&iso, pvd + 156 + 18); /* the root directory's record */
	if (pwrite(iso.fd, pvd, SECTOR, PVD) != SECTOR) {
		error("ISO: cannot write %s:", path);
		goto done;
	}
	rc = walk(&iso, le32(pvd + 156 + 2), le32(pvd + 156 + 10), 0);
	/* libarchive's information block after the volume descriptors says
	 * when it was written ("INFO Sun Nov 22 04:59:58 2026\nlibarchive ...") */
	uint8_t info[64];
	if (rc == 0 && pread(iso.fd, info, sizeof(info), 19 * SECTOR) == (ssize_t)sizeof(info) &&
	    !memcmp(info, "INFO ", 5) && info[5 + 24] == '\n') {
		char when[32];
		strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &iso.tm);
		if (strlen(when) == 24 && pwrite(iso.fd, when, 24, 19 * SECTOR + 5) != 24)
			rc = error("ISO: cannot write %s:", path);
	}
done:
	close(iso.fd);
	return rc;
}
