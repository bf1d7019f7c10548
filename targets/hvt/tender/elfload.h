/* elfload.h: reading an hvt unikernel's ELF image: headers, loadable segments
 * and the MIRAGE notes, every offset and size checked against the file and
 * against guest memory. Pure functions over buffers: no KVM, fuzzable. */
#ifndef HVT_ELFLOAD_H
#define HVT_ELFLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "hvt_abi.h"

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	uint64_t offset, filesz; /* in the file */
	uint64_t paddr, memsz;	 /* in guest memory */
};

/* The TLS image (PT_TLS), when the unikernel has thread-local variables. */
struct elf_tls {
	uint64_t offset, filesz; /* its initialised bytes, in the file */
	uint64_t memsz, align;	 /* its size in all, its alignment (a power of two) */
};

/* The largest TLS segment the monitor sets up. */
#define ELF_MAX_TLS (1 << 20)

struct elf_image {
	uint64_t entry;
	struct elf_tls tls; /* memsz 0: none */
	uint64_t end;	    /* the first guest address above every segment */
	size_t nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	int have_abi;
	struct mirage_note_abi abi;
	int have_manifest;
	uint32_t ndevices;
	struct mirage_note_entry devices[MIRAGE_MAX_DEVICES];
};

/* Reads the image in file[0..len) for a guest whose loadable range is
 * [lo, hi). Returns 0, or -1 with a message (no trailing newline) in err. */
int elf_parse(const uint8_t *file, size_t len, uint64_t lo, uint64_t hi, struct elf_image *img,
	      char *err, size_t errlen);
/* Copies the segments of a parsed image into guest memory mem (its size is
 * at least img->end), which must be fresh, all zero: their tails (bss) are
 * left as they are. */
void elf_load(const uint8_t *file, const struct elf_image *img, uint8_t *mem);

#endif
