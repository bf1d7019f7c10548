/* strtod.c: strtod, strtof, strtold and atof of mirage's C library,
 * correctly rounded (to nearest, ties to even) for every input: decimal
 * numbers are converted exactly with big integers (big.h), hexadecimal ones
 * bit by bit. Built with floating point (libc.yaml: fp). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "big.h"
#include "libc.h"

/* Significant decimal digits kept: a halfway case of a double needs at most
 * 767, so digits past these only tell that the number is above what the
 * kept ones say (a sticky digit stands for them). */
#define MAX_DIGITS 780

struct format {
	int mant;	/* bits of the significand, the hidden one included */
	int emin, emax; /* of normal numbers, as 1.f * 2^E */
};
static const struct format binary32 = {24, -126, 127};
static const struct format binary64 = {53, -1022, 1023};

/* q * 2^e, and more below q when sticky, rounded to nearest-even into f.
 * Returns its bits (sign apart); *range is set when it overflows, or
 * underflows (tiny and inexact), as ERANGE wants. */
static uint64_t round_binary(uint64_t q, int e, bool sticky, const struct format *f, bool *range)
{
	int z = __builtin_clzll(q);
	q <<= z;
	e -= z;
	int exp = e + 63; /* value = 1.xxx * 2^exp */
	uint64_t inf = (uint64_t)(2 * f->emax + 1) << (f->mant - 1);
	if (exp > f->emax) {
		*range = true;
		return inf;
	}
	int keep = exp >= f->emin ? f->mant : f->mant - (f->emin - exp);
	if (keep < 0) {
		*range = true;
		return 0;
	}
	int drop = 64 - keep;
	uint64_t m = drop == 64 ? 0 : q >> drop;
	uint64_t rem = drop == 64 ? q : q & ((1ULL << drop) - 1);
	uint64_t half = 1ULL << (drop - 1);
	if (rem > half || (rem == half && (sticky || (m & 1))))
		m++;
	if (exp < f->emin && (rem || sticky))
		*range = true;
	uint64_t bits;
	if (exp >= f->emin) /* m carries its hidden bit into the exponent field */
		bits = ((uint64_t)(exp - f->emin) << (f->mant - 1)) + m;
	else
		bits = m; /* subnormal; a carry makes it the least normal number */
	if (bits >= inf) {
		*range = true;
		return inf;
	}
	return bits;
}

static bool match(const char *s, const char *word)
{
	for (; *word; s++, word++)
		if (tolower((unsigned char)*s) != *word)
			return false;
	return true;
}

/* A number parsed: infinity, NaN, or (q, e2, sticky) for hexadecimal, or
 * the digits and exponent of a decimal. */
struct parsed {
	enum { P_NONE, P_INF, P_NAN, P_HEX, P_DEC } kind;
	bool neg;
	const char *end;
	uint64_t q; /* hex: the significand's first 64 bits */
	int e2;	    /* hex: value = q * 2^e2 */
	bool sticky;
	char digits[MAX_DIGITS + 1]; /* dec: significant digits, no leading zeros */
	int ndigits;
	long e10; /* dec: value = 0.DIGITS * 10^e10 */
};

static void parse_hex(const char *p, struct parsed *r)
{
	bool any = false, point = false;
	int lost = 0; /* significant hex digits beyond the 16 kept, before the point */
	r->q = 0;
	r->e2 = 0;
	for (;; p++) {
		int d;
		if (*p == '.' && !point) {
			point = true;
			continue;
		}
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (isxdigit((unsigned char)*p))
			d = (*p | 32) - 'a' + 10;
		else
			break;
		any = true;
		if (r->q >> 60) {
			r->sticky |= d != 0;
			if (!point)
				lost++;
		} else {
			r->q = r->q * 16 + (uint64_t)d;
			if (point)
				r->e2 -= 4;
		}
	}
	if (!any)
		return;
	r->e2 += 4 * lost;
	r->kind = P_HEX;
	r->end = p;
	if ((*p | 32) == 'p') {
		const char *x = p + 1;
		bool neg = false;
		if (*x == '+' || *x == '-')
			neg = *x++ == '-';
		if (isdigit((unsigned char)*x)) {
			long v = 0;
			for (; isdigit((unsigned char)*x); x++)
				if (v < 100000)
					v = v * 10 + (*x - '0');
			r->e2 += (int)(neg ? -v : v);
			r->end = x;
		}
	}
}

static void parse_dec(const char *p, struct parsed *r)
{
	bool any = false, point = false, started = false;
	long before = 0; /* significant digits before the point, kept or not */
	long lead = 0;	 /* zeros after the point before the first significant one */
	r->ndigits = 0;
	for (;; p++) {
		if (*p == '.' && !point) {
			point = true;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		any = true;
		if (!started && *p == '0') {
			lead += point;
			continue;
		}
		started = true;
		before += !point;
		if (r->ndigits < MAX_DIGITS)
			r->digits[r->ndigits++] = *p;
		else
			r->sticky |= *p != '0';
	}
	if (!any)
		return;
	r->kind = P_DEC;
	r->end = p;
	long exp = 0;
	if ((*p | 32) == 'e') {
		const char *x = p + 1;
		bool neg = false;
		if (*x == '+' || *x == '-')
			neg = *x++ == '-';
		if (isdigit((unsigned char)*x)) {
			for (; isdigit((unsigned char)*x); x++)
				if (exp < 100000000)
					exp = exp * 10 + (*x - '0');
			if (neg)
				exp = -exp;
			r->end = x;
		}
	}
	r->e10 = (started ? before - lead : 0) + exp;
	if (r->sticky)
		r->digits[r->ndigits++] = '1'; /* stands for the nonzero digits dropped */
}

static void parse(const char *s, struct parsed *r)
{
	memset(r, 0, offsetof(struct parsed, digits));
	r->end = s;
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		r->neg = *p++ == '-';
	if (match(p, "inf")) {
		r->kind = P_INF;
		r->end = p + (match(p, "infinity") ? 8 : 3);
	} else if (match(p, "nan")) {
		r->kind = P_NAN;
		r->end = p + 3;
		if (p[3] == '(') { /* nan(n-char-sequence) */
			const char *x = p + 4;
			while (isalnum((unsigned char)*x) || *x == '_')
				x++;
			if (*x == ')')
				r->end = x + 1;
		}
	} else if (p[0] == '0' && (p[1] | 32) == 'x' &&
		   (isxdigit((unsigned char)p[2]) ||
		    (p[2] == '.' && isxdigit((unsigned char)p[3])))) {
		parse_hex(p + 2, r);
	} else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
		parse_dec(p, r);
	}
	if (r->kind == P_NONE && p[0] == '0') {
		/* "0x" with no hex digit after it: the 0 alone */
		r->kind = P_DEC;
		r->end = p + 1;
	}
	if (r->kind == P_NONE)
		r->neg = false; /* no number: +0 */
}

/* The decimal r, exactly, as q * 2^e2 with 57 or 58 significant bits and a
 * sticky bit. */
static uint64_t decimal_to_binary(const struct parsed *r, int *e2, bool *sticky)
{
	struct big x, y;
	big_set(&x, 0);
	for (int i = 0; i < r->ndigits; i++)
		big_mul_add(&x, 10, (uint32_t)(r->digits[i] - '0'));
	long e10 = r->e10 - r->ndigits; /* value = X * 10^e10 */
	big_set(&y, 1);
	if (e10 >= 0)
		big_mul_pow10(&x, (int)e10);
	else
		big_mul_pow10(&y, (int)-e10);
	/* q = floor(x * 2^s / y) with 2^57 <= q < 2^59 */
	int s = 58 - (big_bits(&x) - big_bits(&y));
	if (s > 0)
		big_shl(&x, s);
	else
		big_shl(&y, -s);
	uint64_t q = 0;
	big_shl(&y, 58);
	for (int bit = 58; bit >= 0; bit--) {
		if (big_cmp(&x, &y) >= 0) {
			big_sub(&x, &y);
			q |= 1ULL << bit;
		}
		big_shr1(&y);
	}
	*e2 = -s;
	*sticky = !big_is_zero(&x);
	return q;
}

/* The bits of the nearest number of format f (sign apart), with errno. */
static uint64_t convert(const struct parsed *r, const struct format *f)
{
	uint64_t inf = (uint64_t)(2 * f->emax + 1) << (f->mant - 1);
	bool range = false;
	uint64_t bits = 0;
	switch (r->kind) {
	case P_INF:
		return inf;
	case P_NAN:
		return inf | (1ULL << (f->mant - 2)); /* a quiet NaN */
	case P_HEX:
		if (r->q)
			bits = round_binary(r->q, r->e2, r->sticky, f, &range);
		break;
	case P_DEC:
		if (r->ndigits == 0)
			break;
		/* out of range of any binary64 whatever the digits: 0.D * 10^e10 */
		if (r->e10 > 310) {
			bits = inf;
			range = true;
		} else if (r->e10 < -325) {
			range = true;
		} else {
			int e2;
			bool sticky;
			uint64_t q = decimal_to_binary(r, &e2, &sticky);
			bits = round_binary(q, e2, sticky, f, &range);
		}
		break;
	default:
		break;
	}
	if (range)
		errno = ERANGE;
	return bits;
}

double strtod(const char *restrict s, char **restrict end)
{
	struct parsed r;
	parse(s, &r);
	if (end)
		*end = (char *)r.end;
	uint64_t bits = convert(&r, &binary64) | (uint64_t)r.neg << 63;
	double d;
	memcpy(&d, &bits, sizeof(d));
	return d;
}

float strtof(const char *restrict s, char **restrict end)
{
	struct parsed r;
	parse(s, &r);
	if (end)
		*end = (char *)r.end;
	uint32_t bits = (uint32_t)convert(&r, &binary32) | (uint32_t)r.neg << 31;
	float f;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

long double strtold(const char *restrict s, char **restrict end)
{
	return strtod(s, end); /* long double has a double's precision here */
}

double atof(const char *s)
{
	return strtod(s, NULL);
}
