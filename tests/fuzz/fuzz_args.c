/* fuzz_args.c: libFuzzer target for the boot-argument parser of the guest
 * runtime. The input is split at NUL bytes into argv. */
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
	int64_t req;
};

static const struct mirage_arg_spec specs[] = {
    {"s", MIRAGE_ARG_STRING, true, "d", 0, false, "a string", offsetof(struct args, s)},
    {"int", MIRAGE_ARG_INT, true, NULL, 3, false, NULL, offsetof(struct args, i)},
    {"b", MIRAGE_ARG_BOOL, true, NULL, 0, true, NULL, offsetof(struct args, b)},
    {"req", MIRAGE_ARG_INT, false, NULL, 0, false, "needed", offsetof(struct args, req)},
};

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
	mirage_args_parse("fuzz", specs, 4, &a, argc, argv);
	free(buf);
	return 0;
}
