/* fuzz_cmdline.c: libFuzzer target for the kernel command line splitter
 * (virtio's boot arguments), followed by the boot-argument parser. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_rt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	char *argv[9];
	int argc = mirage_args_split(line, size & 1, argv, 8);
	if (argc < 1 || argc > 8 || argv[argc] != NULL)
		abort();
	struct args a;
	mirage_args_parse("fuzz", specs, NSPECS, &a, argc, argv);
	free(line);
	return 0;
}
