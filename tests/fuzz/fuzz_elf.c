/* fuzz_elf.c: libFuzzer target for mirage-hvt's ELF and note reader, and
 * the loader when an image is accepted. */
#include <stdint.h>
#include <stdlib.h>

#include "elfload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LO 0x100000
#define HI (4 << 20)

static uint8_t mem[HI];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char err[256];
	if (elf_parse(data, size, LO, HI, &img, err, sizeof(err)) == 0) {
		if (img.end > HI || img.entry < LO)
			abort();
		elf_load(data, &img, mem);
	}
	return 0;
}
