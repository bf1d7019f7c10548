/* big.h: unsigned integers of up to 4352 bits, for the exact conversions
 * between binary and decimal floating point (strtod.c, printf_fp.c;
 * internal to mirage's C library). Integer arithmetic only. */
#ifndef MIRAGE_LIBC_BIG_H
#define MIRAGE_LIBC_BIG_H

#include <stdbool.h>
#include <stdint.h>

#define BIG_LIMBS 136

struct big {
	uint32_t w[BIG_LIMBS]; /* least significant first */
	int n;		       /* limbs in use; the top one is not zero */
};

void big_set(struct big *b, uint64_t v);
bool big_is_zero(const struct big *b);
/* b = b * m + a */
void big_mul_add(struct big *b, uint32_t m, uint32_t a);
/* b *= 5^e, b *= 10^e */
void big_mul_pow5(struct big *b, int e);
void big_mul_pow10(struct big *b, int e);
void big_shl(struct big *b, int bits);
void big_shr1(struct big *b);
/* The number of significant bits (0 for zero). */
int big_bits(const struct big *b);
int big_cmp(const struct big *a, const struct big *b);
/* a -= b, when a >= b */
void big_sub(struct big *a, const struct big *b);
/* b /= d; returns the remainder */
uint32_t big_div_small(struct big *b, uint32_t d);
/* The decimal digits of b (not zero) into out, most significant first,
 * without a terminator; returns how many (at most 1311). */
int big_decimal(struct big *b, char *out);

#endif
