/* printf_fp.c: %f %F %e %E %g %G %a %A for mirage's C library. The digits
 * are exact: the binary value is expanded in full with big integers
 * (big.h), then rounded to nearest, ties to even, as glibc does. A long
 * double argument is printed with a double's precision. Built with floating
 * point (libc.yaml: fp). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "big.h"
#include "printf.h"

/* Room for every digit of a double: 767 significant, 309 before the point. */
#define MAX_DIGITS 1100

/* The value, taken apart. */
struct decimal {
	char d[MAX_DIGITS + 2]; /* significant digits, no leading or trailing zeros */
	int n;
	int point; /* value = 0.d * 10^point */
};

/* The exact decimal expansion of m * 2^e2 (m > 0). */
static void expand(uint64_t m, int e2, struct decimal *x)
{
	struct big b;
	big_set(&b, m);
	if (e2 >= 0)
		big_shl(&b, e2);
	else
		big_mul_pow5(&b, -e2); /* m / 2^k = m * 5^k / 10^k */
	x->n = big_decimal(&b, x->d);
	x->point = x->n + (e2 < 0 ? e2 : 0);
	while (x->n > 0 && x->d[x->n - 1] == '0')
		x->n--;
}

/* Rounds x to keep digits (counted from its first), to nearest, ties to
 * even. keep may be 0 or less: the value then rounds to 0 or to one unit of
 * the first place kept. */
static void round_to(struct decimal *x, int keep)
{
	if (keep >= x->n)
		return;
	if (keep < 0) {
		x->n = 0;
		return;
	}
	char first = x->d[keep];
	bool above = first > '5' || (first == '5' && x->n > keep + 1);
	bool tie = first == '5' && x->n == keep + 1;
	bool odd = keep > 0 && ((x->d[keep - 1] - '0') & 1);
	x->n = keep;
	if (!(above || (tie && odd))) {
		while (x->n > 0 && x->d[x->n - 1] == '0')
			x->n--;
		return;
	}
	int i = keep - 1;
	while (i >= 0 && x->d[i] == '9')
		i--;
	if (i < 0) { /* 999 -> 1000 */
		x->d[0] = '1';
		x->n = 1;
		x->point++;
		return;
	}
	x->d[i]++;
	x->n = i + 1;
}

/* The digit of x at place i (0: the first), '0' past its end. */
static char digit(const struct decimal *x, int i)
{
	return i >= 0 && i < x->n ? x->d[i] : '0';
}

/* What is printed, sign apart: the head, then zeros, then the tail (an
 * exponent): zeros asked for past the exact digits take no room. */
struct out {
	char prefix[4]; /* sign, then 0x for %a */
	char head[MAX_DIGITS + 16];
	int len;
	long zeros;
	char tail[8];
	int ntail;
};

static void put(struct out *o, char c)
{
	if (o->len < (int)sizeof(o->head))
		o->head[o->len++] = c;
}

/* The rest of n digits from place i of x: the exact ones, then zeros. */
static void put_digits(struct out *o, const struct decimal *x, int i, int n)
{
	for (; n > 0 && i < x->n; i++, n--)
		put(o, digit(x, i));
	o->zeros += n > 0 ? n : 0;
}

static void put_exp(struct out *o, char e, int exp, int min_digits)
{
	o->tail[o->ntail++] = e;
	o->tail[o->ntail++] = exp < 0 ? '-' : '+';
	if (exp < 0)
		exp = -exp;
	char buf[8];
	int n = 0;
	do
		buf[n++] = (char)('0' + exp % 10);
	while ((exp /= 10) || n < min_digits);
	while (n)
		o->tail[o->ntail++] = buf[--n];
}

/* %f: prec digits after the point (the value rounded already). */
static void body_f(struct out *o, const struct decimal *x, int prec, bool alt)
{
	if (x->point <= 0)
		put(o, '0');
	for (int i = 0; i < x->point; i++)
		put(o, digit(x, i));
	if (prec > 0 || alt)
		put(o, '.');
	if (x->point < 0) { /* the zeros between the point and the digits */
		int lead = -x->point < prec ? -x->point : prec;
		for (int i = 0; i < lead; i++)
			put(o, '0');
		put_digits(o, x, 0, prec - lead);
	} else {
		put_digits(o, x, x->point, prec);
	}
}

/* %e: one digit, the point, prec digits, the exponent. */
static void body_e(struct out *o, const struct decimal *x, int prec, bool alt, bool upper)
{
	put(o, digit(x, 0));
	if (prec > 0 || alt)
		put(o, '.');
	put_digits(o, x, 1, prec);
	put_exp(o, upper ? 'E' : 'e', x->n ? x->point - 1 : 0, 2);
}

/* %g without #: drops the zeros that end a fraction, and its point when
 * nothing follows it. */
static void trim_zeros(struct out *o)
{
	o->zeros = 0;
	bool dot = memchr(o->head, '.', (size_t)o->len) != NULL;
	while (dot && o->len > 0 && o->head[o->len - 1] == '0')
		o->len--;
	if (dot && o->len > 0 && o->head[o->len - 1] == '.')
		o->len--;
}

/* %a: hexadecimal, the first digit 1 (0 for zero and subnormals, as glibc). */
static void body_a(struct out *o, uint64_t frac, int exp, bool normal, int prec, bool alt,
		   bool upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t lead = normal ? 1 : 0;
	/* 52 bits of fraction: 13 hex digits */
	if (prec >= 0 && prec < 13) {
		int drop = 4 * (13 - prec);
		uint64_t rem = frac & ((1ULL << drop) - 1), half = 1ULL << (drop - 1);
		frac >>= drop;
		if (rem > half || (rem == half && ((frac & 1) || (prec == 0 && (lead & 1)))))
			frac++;
		if (frac >> (4 * prec)) { /* carried into the leading digit */
			frac &= (1ULL << (4 * prec)) - 1;
			lead++;
		}
		frac <<= drop;
	}
	int digits = 13;
	if (prec < 0)
		while (digits > 0 && !((frac >> (4 * (13 - digits))) & 15))
			digits--;
	else if (prec < 13)
		digits = prec;
	put(o, hex[lead]);
	if (digits > 0 || alt)
		put(o, '.');
	for (int i = 0; i < digits; i++)
		put(o, hex[(frac >> (4 * (12 - i))) & 15]);
	o->zeros += prec > 13 ? prec - 13 : 0;
	put_exp(o, upper ? 'P' : 'p', exp, 1);
}

void fmt_fp(struct sink *s, const struct spec *sp, va_list *ap)
{
	double v = sp->long_double ? (double)va_arg(*ap, long double) : va_arg(*ap, double);
	uint64_t bits;
	memcpy(&bits, &v, sizeof(bits));
	bool neg = bits >> 63;
	int be = (int)((bits >> 52) & 0x7ff);
	uint64_t frac = bits & ((1ULL << 52) - 1);
	char conv = sp->conv;
	bool upper = conv == 'F' || conv == 'E' || conv == 'G' || conv == 'A';
	char lower = (char)(conv | 32);
	static struct out o; /* large: kept off the stack */
	o.len = 0;
	o.zeros = 0;
	o.ntail = 0;
	int np = 0;
	if (neg)
		o.prefix[np++] = '-';
	else if (sp->plus)
		o.prefix[np++] = '+';
	else if (sp->space)
		o.prefix[np++] = ' ';
	bool finite = be != 0x7ff;
	if (!finite) {
		const char *w = frac ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		for (; *w; w++)
			put(&o, *w);
	} else if (lower == 'a') {
		o.prefix[np++] = '0';
		o.prefix[np++] = upper ? 'X' : 'x';
		bool normal = be != 0;
		int exp = !be && !frac ? 0 : (normal ? be - 1023 : -1022);
		body_a(&o, frac, exp, normal, sp->precision, sp->alt, upper);
	} else {
		static struct decimal x; /* large: kept off the stack */
		uint64_t m = be ? frac | (1ULL << 52) : frac;
		if (m)
			expand(m, (be ? be : 1) - 1075, &x);
		else
			x.n = 0, x.point = 1;
		int prec = sp->precision < 0 ? 6 : sp->precision;
		bool alt = sp->alt;
		if (lower == 'f') {
			round_to(&x, x.point + prec);
			body_f(&o, &x, prec, alt);
		} else if (lower == 'e') {
			round_to(&x, prec + 1);
			body_e(&o, &x, prec, alt, upper);
		} else { /* g: %e or %f by the exponent, P significant digits */
			int p = prec == 0 ? 1 : prec;
			round_to(&x, p);
			int exp = x.n ? x.point - 1 : 0;
			if (exp < p && exp >= -4)
				body_f(&o, &x, p - 1 - exp, alt);
			else
				body_e(&o, &x, p - 1, alt, upper);
			if (!alt)
				trim_zeros(&o);
		}
	}
	/* width: spaces, or zeros after the sign (not for inf and nan) */
	long len = np + o.len + o.zeros + o.ntail;
	int pad = sp->width > len ? sp->width - (int)len : 0;
	if (!sp->left && !(sp->zero && finite))
		sink_pad(s, ' ', pad);
	for (int i = 0; i < np; i++)
		sink_putc(s, o.prefix[i]);
	if (!sp->left && sp->zero && finite)
		sink_pad(s, '0', pad);
	for (int i = 0; i < o.len; i++)
		sink_putc(s, o.head[i]);
	for (long i = 0; i < o.zeros; i++)
		sink_putc(s, '0');
	for (int i = 0; i < o.ntail; i++)
		sink_putc(s, o.tail[i]);
	if (sp->left)
		sink_pad(s, ' ', pad);
}
