/* printf_fp.c: %f %e %g for mirage's freestanding libc. The one file of the
 * libc that uses floating-point registers (built without
 * -mgeneral-regs-only). Digits are exact to about 16 significant places;
 * exact ties round to even. */
#include <stdint.h>
#include <string.h>

#include "printf.h"

#define MAX_DIGITS 17

/* Splits x > 0 into decimal digits d[0..n) and exponent e: x ~ 0.d * 10^e. */
static int decimal(double x, char *d, int *e)
{
	int exp = 0;
	while (x >= 1e16) {
		x /= 1e16;
		exp += 16;
	}
	while (x >= 10) {
		x /= 10;
		exp++;
	}
	while (x < 1e-16) {
		x *= 1e16;
		exp -= 16;
	}
	while (x < 1) {
		x *= 10;
		exp--;
	}
	/* x in [1, 10): 17 digits through a 64-bit integer */
	uint64_t m = (uint64_t)(x * 1e16 + 0.5);
	if (m >= 100000000000000000ULL) {
		m /= 10;
		exp++;
	}
	for (int i = MAX_DIGITS - 1; i >= 0; i--) {
		d[i] = (char)('0' + m % 10);
		m /= 10;
	}
	*e = exp + 1;
	return MAX_DIGITS;
}

/* Whether x, whose digits d[keep..] read "5000...", lies exactly halfway:
 * its binary value, m * 2^exp with m odd, has exactly -exp decimal places
 * (the last always a 5) when exp < 0, and is an integer otherwise. */
static int exact_tie(double x, int keep, int e)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	int be = (int)((bits >> 52) & 0x7ff);
	uint64_t m = bits & ((1ULL << 52) - 1);
	if (be)
		m |= 1ULL << 52;
	else
		be = 1;
	int exp = be - 1075;
	while (m && !(m & 1)) {
		m >>= 1;
		exp++;
	}
	if (exp >= 0)
		return x < 1e17; /* an integer: its 17 digits are exact */
	return e - 1 - keep == exp;
}

/* Rounds d[0..n) to keep digits; may carry into a new leading 1. */
static void round_digits(double x, char *d, int keep, int *e)
{
	if (keep >= MAX_DIGITS)
		return;
	if (keep < 0) {
		memset(d, '0', MAX_DIGITS);
		return;
	}
	int up = d[keep] > '5';
	if (d[keep] == '5') {
		/* a tie (all that follows is zero) rounds to even, as the
		 * default rounding mode does; anything more rounds up */
		int tie = 1;
		for (int i = keep + 1; i < MAX_DIGITS; i++)
			tie &= d[i] == '0';
		tie = tie && exact_tie(x, keep, *e);
		up = !tie || (keep > 0 && (d[keep - 1] - '0') % 2 == 1);
	}
	for (int i = keep; i < MAX_DIGITS; i++)
		d[i] = '0';
	for (int i = keep - 1; up && i >= 0; i--) {
		if (d[i] == '9') {
			d[i] = '0';
		} else {
			d[i]++;
			up = 0;
		}
	}
	if (up) {
		memmove(d + 1, d, MAX_DIGITS - 1);
		d[0] = '1';
		(*e)++;
	}
}

static char digit_at(const char *d, int i)
{
	return i >= 0 && i < MAX_DIGITS ? d[i] : '0';
}

void fmt_fp(struct sink *s, const struct spec *sp, va_list *ap)
{
	double x = va_arg(*ap, double);
	char out[400];
	int n = 0;
	int upper = sp->conv == 'F' || sp->conv == 'E' || sp->conv == 'G';
	int neg = __builtin_signbit(x) != 0;
	if (neg)
		x = -x;
	int prec = sp->precision < 0 ? 6 : sp->precision > 300 ? 300 : sp->precision;
	if (x != x || x > 1.7976931348623157e308) {
		const char *w = x != x ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		memcpy(out, w, 3);
		n = 3;
	} else {
		char d[MAX_DIGITS];
		int e = 0;
		if (x == 0)
			memset(d, '0', MAX_DIGITS);
		else
			decimal(x, d, &e);
		char conv = (char)(sp->conv | 32);
		int strip = 0;
		if (conv == 'g') {
			int p = prec ? prec : 1;
			int e10 = x == 0 ? 0 : e - 1;
			char r[MAX_DIGITS];
			memcpy(r, d, MAX_DIGITS);
			int er = e;
			if (x != 0) {
				round_digits(x, r, p, &er);
				e10 = er - 1;
			}
			if (e10 < -4 || e10 >= p) {
				conv = 'e';
				prec = p - 1;
			} else {
				conv = 'f';
				prec = p - 1 - e10;
			}
			strip = !sp->alt;
		}
		if (conv == 'e') {
			if (x != 0)
				round_digits(x, d, prec + 1, &e);
			out[n++] = d[0];
			if (prec || sp->alt)
				out[n++] = '.';
			for (int i = 1; i <= prec; i++)
				out[n++] = digit_at(d, i);
			if (strip) {
				while (n && out[n - 1] == '0')
					n--;
				if (n && out[n - 1] == '.')
					n--;
			}
			int e10 = x == 0 ? 0 : e - 1;
			out[n++] = upper ? 'E' : 'e';
			out[n++] = e10 < 0 ? '-' : '+';
			if (e10 < 0)
				e10 = -e10;
			if (e10 >= 100)
				out[n++] = (char)('0' + e10 / 100);
			out[n++] = (char)('0' + e10 / 10 % 10);
			out[n++] = (char)('0' + e10 % 10);
		} else {
			/* digit i has weight 10^(e - 1 - i) */
			if (x != 0)
				round_digits(x, d, e + prec, &e);
			if (e <= 0)
				out[n++] = '0';
			for (int i = 0; i < e && n < 340; i++)
				out[n++] = digit_at(d, i);
			if (prec || sp->alt)
				out[n++] = '.';
			for (int i = 0; i < prec && n < 390; i++)
				out[n++] = digit_at(d, e + i);
			if (strip && (prec || sp->alt)) {
				while (out[n - 1] == '0')
					n--;
				if (out[n - 1] == '.')
					n--;
			}
		}
	}
	const char *sign = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	int len = (int)strlen(sign) + n;
	int pad = sp->width > len ? sp->width - len : 0;
	int finite = !(x != x || x > 1.7976931348623157e308);
	if (!sp->left && !(sp->zero && finite))
		sink_pad(s, ' ', pad);
	for (const char *p = sign; *p; p++)
		sink_putc(s, *p);
	if (!sp->left && sp->zero && finite)
		sink_pad(s, '0', pad);
	for (int i = 0; i < n; i++)
		sink_putc(s, out[i]);
	if (sp->left)
		sink_pad(s, ' ', pad);
}
