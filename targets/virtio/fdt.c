/* fdt.c: the little of a flattened device tree the virtio runtime reads on
 * aarch64: /chosen/bootargs and the first /memory node's reg. */
#include "fdt.h"

#include <string.h>

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Whether the string at s, of which avail bytes are readable, is lit. */
static int name_is(const char *s, size_t avail, const char *lit)
{
	size_t n = strlen(lit) + 1;
	return n <= avail && !memcmp(s, lit, n);
}

void fdt_read(const uint8_t *fdt, size_t max, char *cmdline, size_t cmdline_size,
	      uint64_t *mem_base, uint64_t *mem_size)
{
	if (!fdt || max < 40 || be32(fdt) != 0xd00dfeed)
		return;
	uint32_t total = be32(fdt + 4), off_struct = be32(fdt + 8), off_strings = be32(fdt + 12);
	uint32_t size_struct = be32(fdt + 36);
	if (total > max || off_struct >= total || size_struct > total - off_struct ||
	    off_strings >= total)
		return;
	const uint8_t *p = fdt + off_struct, *end = p + size_struct;
	int depth = 0;
	int in_chosen = 0, in_memory = 0;
	while (p + 4 <= end) {
		uint32_t token = be32(p);
		p += 4;
		if (token == 1) { /* begin node */
			const char *name = (const char *)p;
			size_t avail = (size_t)(end - p);
			size_t n = strnlen(name, avail);
			depth++;
			if (depth == 2) {
				in_chosen = name_is(name, avail, "chosen");
				in_memory = n >= 6 && !memcmp(name, "memory", 6);
			}
			p += (n + 4) & ~(size_t)3;
		} else if (token == 2) { /* end node */
			if (depth-- == 2)
				in_chosen = in_memory = 0;
		} else if (token == 3) { /* property */
			if (p + 8 > end)
				return;
			uint32_t len = be32(p), nameoff = be32(p + 4);
			p += 8;
			if (len > (size_t)(end - p) || nameoff >= total - off_strings)
				return;
			const char *pname = (const char *)fdt + off_strings + nameoff;
			size_t pavail = total - off_strings - nameoff;
			if (in_chosen && name_is(pname, pavail, "bootargs")) {
				size_t n = len < cmdline_size - 1 ? len : cmdline_size - 1;
				memcpy(cmdline, p, n);
				cmdline[n] = '\0';
			} else if (in_memory && name_is(pname, pavail, "reg") && len >= 16 &&
				   !*mem_size) {
				*mem_base = (uint64_t)be32(p) << 32 | be32(p + 4);
				*mem_size = (uint64_t)be32(p + 8) << 32 | be32(p + 12);
			}
			p += (len + 3) & ~(uint32_t)3;
		} else if (token == 9) { /* end */
			return;
		}
	}
}
