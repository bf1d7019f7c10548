/* big.c: the unsigned big integers of big.h. Callers keep their numbers
 * within BIG_LIMBS: the conversions bound them (strtod.c explains how). */
#include "big.h"

#include <string.h>

static void trim(struct big *b)
{
	while (b->n > 0 && b->w[b->n - 1] == 0)
		b->n--;
}

void big_set(struct big *b, uint64_t v)
{
	b->w[0] = (uint32_t)v;
	b->w[1] = (uint32_t)(v >> 32);
	b->n = 2;
	trim(b);
}

bool big_is_zero(const struct big *b)
{
	return b->n == 0;
}

void big_mul_add(struct big *b, uint32_t m, uint32_t a)
{
	uint64_t carry = a;
	for (int i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->w[i] * m + carry;
		b->w[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry && b->n < BIG_LIMBS)
		b->w[b->n++] = (uint32_t)carry;
}

void big_mul_pow5(struct big *b, int e)
{
	for (; e >= 13; e -= 13)
		big_mul_add(b, 1220703125u, 0); /* 5^13 */
	uint32_t m = 1;
	while (e-- > 0)
		m *= 5;
	big_mul_add(b, m, 0);
}

void big_mul_pow10(struct big *b, int e)
{
	big_mul_pow5(b, e);
	big_shl(b, e);
}

void big_shl(struct big *b, int bits)
{
	if (b->n == 0 || bits <= 0)
		return;
	int limbs = bits / 32, s = bits % 32;
	int n = b->n + limbs + 1;
	if (n > BIG_LIMBS)
		n = BIG_LIMBS;
	for (int i = n - 1; i >= 0; i--) {
		int from = i - limbs;
		uint32_t hi = from >= 0 && from < b->n ? b->w[from] : 0;
		uint32_t lo = from - 1 >= 0 && from - 1 < b->n ? b->w[from - 1] : 0;
		b->w[i] = s ? (hi << s) | (lo >> (32 - s)) : hi;
	}
	b->n = n;
	trim(b);
}

void big_shr1(struct big *b)
{
	for (int i = 0; i < b->n; i++)
		b->w[i] = (b->w[i] >> 1) | (i + 1 < b->n ? b->w[i + 1] << 31 : 0);
	trim(b);
}

int big_bits(const struct big *b)
{
	if (b->n == 0)
		return 0;
	return (b->n - 1) * 32 + (32 - __builtin_clz(b->w[b->n - 1]));
}

int big_cmp(const struct big *a, const struct big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

void big_sub(struct big *a, const struct big *b)
{
	uint64_t borrow = 0;
	for (int i = 0; i < a->n; i++) {
		uint64_t sub = (i < b->n ? b->w[i] : 0) + borrow;
		borrow = a->w[i] < sub;
		a->w[i] = (uint32_t)((uint64_t)a->w[i] - sub);
	}
	trim(a);
}

uint32_t big_div_small(struct big *b, uint32_t d)
{
	uint64_t rem = 0;
	for (int i = b->n - 1; i >= 0; i--) {
		uint64_t cur = (rem << 32) | b->w[i];
		b->w[i] = (uint32_t)(cur / d);
		rem = cur % d;
	}
	trim(b);
	return (uint32_t)rem;
}

int big_decimal(struct big *b, char *out)
{
	/* groups of nine digits, least significant first */
	uint32_t groups[BIG_LIMBS * 32 / 29 + 2];
	int ng = 0;
	while (!big_is_zero(b))
		groups[ng++] = big_div_small(b, 1000000000u);
	int n = 0;
	for (int g = ng - 1; g >= 0; g--) {
		char nine[9];
		uint32_t v = groups[g];
		for (int i = 8; i >= 0; i--, v /= 10)
			nine[i] = (char)('0' + v % 10);
		int skip = 0;
		if (g == ng - 1)
			while (skip < 8 && nine[skip] == '0')
				skip++;
		memcpy(out + n, nine + skip, (size_t)(9 - skip));
		n += 9 - skip;
	}
	return n;
}
