/* fuzz_strftime.c: libFuzzer target for strftime in mirage's C library
 * against glibc's (in UTC): a time from the bytes, taken apart by both
 * gmtime_r (which must agree), then a format built from the C99 and POSIX
 * conversions and literal bytes; the same text and length, with any buffer
 * size. */
#include <time.h>

#include "fuzz_libc.h"

/* mirage's struct tm: the same fields as glibc's */
struct m_tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setenv("TZ", "UTC", 1);
		tzset();
		ready = 1;
	}
	struct bytes b = {data, size < 512 ? size : 512};
	int64_t t = 0;
	for (int i = 0; i < 5; i++)
		t = t << 8 | take(&b);
	t -= (int64_t)1 << 38; /* from about 6700 BC to 10700 AD */
	time_t tt = (time_t)t;
	struct tm want;
	struct m_tm got;
	if (!gmtime_r(&tt, &want))
		return 0;
	if (!tl_gmtime_r(&tt, &got) || got.tm_year != want.tm_year || got.tm_yday != want.tm_yday ||
	    got.tm_wday != want.tm_wday || got.tm_sec != want.tm_sec)
		DIFFER("gmtime_r(%lld) differs", (long long)t);
	if (tl_timegm(&got) != tt)
		DIFFER("timegm(gmtime_r(%lld)) differs", (long long)t);
	got.tm_zone = want.tm_zone;
	static const char convs[] = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%";
	char fmt[128];
	int n = 0;
	while (b.n > 1 && n < 120) {
		unsigned c = take(&b);
		if (c & 0x80) {
			fmt[n++] = '%';
			fmt[n++] = convs[(c & 0x7f) % (sizeof(convs) - 1)];
		} else if (c >= 0x20 && c < 0x7f && c != '%') {
			fmt[n++] = (char)c;
		}
	}
	fmt[n] = '\0';
	size_t max = take(&b) % 300 + 1;
	char a[512], m[512];
	size_t na = strftime(a, max, fmt, &want), nm = tl_strftime(m, max, fmt, &got);
	if (na != nm || (na && strcmp(a, m)))
		DIFFER("strftime(\"%s\", %lld, %zu): glibc %zu '%s', mirage %zu '%s'", fmt,
		       (long long)t, max, na, na ? a : "", nm, nm ? m : "");
	return 0;
}
