/* sha256.h: SHA-256 (FIPS 180-4), for artifact reports and cache keys. */
#ifndef MIRAGE_SHA256_H
#define MIRAGE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t block[64];
	size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the 64 lowercase hex digits and a NUL to hex. */
void sha256_final_hex(struct sha256 *s, char hex[65]);
/* The digest of a file as hex; returns 0, or -1 (recorded). */
int sha256_file(const char *path, char hex[65]);

#endif
