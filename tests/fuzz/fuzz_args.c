/* fuzz_args.c: libFuzzer target for the boot-argument parser of the guest
 * runtime. The input is split at NUL bytes into argv. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_rt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[64];
	int argc = 0;
	argv[argc++] = "fuzz";
	for (size_t i = 0; i <= size && argc < 63;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	struct args a;
	mirage_args_parse("fuzz", specs, NSPECS, &a, argc, argv);
	free(buf);
	return 0;
}
