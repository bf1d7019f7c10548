/* fuzz_fdt.c: libFuzzer target for the device tree reader of the virtio
 * runtime on aarch64 (boot arguments and memory). */
#include <stdint.h>
#include <string.h>

#include "fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cmdline[64];
	uint64_t base = 0, len = 0;
	cmdline[0] = '\0';
	fdt_read(data, size, cmdline, sizeof(cmdline), &base, &len);
	if (strnlen(cmdline, sizeof(cmdline)) == sizeof(cmdline))
		__builtin_trap(); /* not terminated */
	return 0;
}
