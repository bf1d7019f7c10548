/* fuzz_rt.h: what the runtime's fuzz targets (fuzz_args.c, fuzz_cmdline.c)
 * give the runtime code they link: an empty manifest, a silent console, and
 * a table of boot arguments of every type, one of them required. */
#ifndef FUZZ_RT_H
#define FUZZ_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirage_rt.h"

static const struct mirage_note_entry none[1];
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
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

#endif
