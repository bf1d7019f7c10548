/* fuzz_libc.h: what the fuzz targets of mirage's C library share: the
 * library built for the host (tests/unit/libc_host.h) and a reader of the
 * fuzzer's bytes. glibc is the oracle: a difference aborts. */
#ifndef MIRAGE_FUZZ_LIBC_H
#define MIRAGE_FUZZ_LIBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/libc_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's bytes, taken a piece at a time (zeros once they run out). */
struct bytes {
	const uint8_t *p;
	size_t n;
};

static inline unsigned take(struct bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

/* What is left, as a NUL-terminated string (caller frees). */
static inline char *rest(struct bytes *b)
{
	char *s = malloc(b->n + 1);
	memcpy(s, b->p, b->n);
	s[b->n] = '\0';
	return s;
}

/* A difference from glibc: shown, then the fuzzer is told by a crash. */
#define DIFFER(...)                                    \
	do {                                           \
		fprintf(stderr, "fuzz: " __VA_ARGS__); \
		fputc('\n', stderr);                   \
		abort();                               \
	} while (0)

#endif
