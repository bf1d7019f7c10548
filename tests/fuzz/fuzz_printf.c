/* fuzz_printf.c: libFuzzer target for printf's conversions in mirage's C
 * library against glibc's: a value (the first 8 bytes), then conversions
 * built from the bytes (flags, width, precision, length, conversion), for
 * floating point and integers alike; the same text and length. */
#include <locale.h>
#include <math.h>

#include "fuzz_libc.h"

static void one(const char *fmt, double d, long long v, int floating)
{
	char want[4096], got[4096];
	int wn =
	    floating ? snprintf(want, sizeof(want), fmt, d) : snprintf(want, sizeof(want), fmt, v);
	int gn = floating ? tl_snprintf(got, sizeof(got), fmt, d)
			  : tl_snprintf(got, sizeof(got), fmt, v);
	/* glibc drops the zeros %#g keeps when rounding carries into a new
	 * power of ten ("1.e+06"): mirage does what C says */
	if (floating && strchr(fmt, '#') && strpbrk(fmt, "gG") && strstr(want, ".e"))
		return;
	if (floating && strchr(fmt, '#') && strpbrk(fmt, "gG") && strstr(want, ".E"))
		return;
	if (wn != gn || strcmp(want, got))
		DIFFER("printf(\"%s\", %a / %lld): glibc %d '%s', mirage %d '%s'", fmt, d, v, wn,
		       want, gn, got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready)
		setlocale(LC_CTYPE, "C.UTF-8"), ready = 1;
	struct bytes b = {data, size};
	uint64_t bits = 0;
	for (int i = 0; i < 8; i++)
		bits = bits << 8 | take(&b);
	double d;
	memcpy(&d, &bits, sizeof(d));
	long long v = (long long)bits;
	while (b.n) {
		char fmt[64];
		int n = 0;
		fmt[n++] = '%';
		unsigned flags = take(&b);
		for (int i = 0; i < 5; i++)
			if (flags & (1u << i))
				fmt[n++] = "-+ #0"[i];
		unsigned w = take(&b);
		if (w & 0x80)
			n += snprintf(fmt + n, 8, "%u", w & 0x3f);
		unsigned p = take(&b);
		if (p & 0x80)
			n += snprintf(fmt + n, 8, ".%u", p & 0x40 ? (p & 0x3f) * 23 : p & 0x3f);
		unsigned c = take(&b);
		int floating = c & 1;
		if (floating) {
			fmt[n++] = "feEgGaAF"[(c >> 1) & 7];
		} else {
			const char *len[] = {"", "ll", "hh", "h", "l", "j", "z", "t"};
			n += snprintf(fmt + n, 4, "%s", len[(c >> 1) & 7]);
			fmt[n++] = "diouxXdc"[(c >> 4) & 7];
		}
		fmt[n] = '\0';
		if (!floating && fmt[n - 1] == 'c' && (strpbrk(fmt + 1, "ljzth.+ #0") || w & 0x40))
			continue; /* %c takes no length, precision or flag but '-' (undefined) */
		one(fmt, d, v, floating);
	}
	return 0;
}
