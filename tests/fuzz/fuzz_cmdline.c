/* fuzz_cmdline.c: libFuzzer target for the kernel command line splitter
 * (virtio's boot arguments), followed by the boot-argument parser. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mirage_rt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct mirage_manifest_entry none[1];
const struct mirage_manifest mirage_manifest = {"fuzz", 0, none};

void mirage_console_puts(const char *s)
{
	(void)s;
}

struct args {
	const char *s;
	int64_t i;
	bool b;
};

static const struct mirage_arg_spec specs[] = {
    {"s", MIRAGE_ARG_STRING, true, "d", 0, false, NULL, offsetof(struct args, s)},
    {"int", MIRAGE_ARG_INT, true, NULL, 3, false, NULL, offsetof(struct args, i)},
    {"b", MIRAGE_ARG_BOOL, true, NULL, 0, true, NULL, offsetof(struct args, b)},
};

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
	mirage_args_parse("fuzz", specs, 3, &a, argc, argv);
	free(line);
	return 0;
}
