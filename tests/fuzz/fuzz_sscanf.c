/* fuzz_sscanf.c: libFuzzer target for sscanf in mirage's C library against
 * glibc's: a format built from the bytes (conversions with widths,
 * suppression, literals and spaces), then an input string; the same
 * count, the same values, the same %n. */
#include <math.h>

#include "fuzz_libc.h"

#define MAXC 6

union value {
	long long ll;
	long l;
	int i;
	short h;
	signed char hh;
	double d;
	float f;
	char s[128];
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = {data, size < 2048 ? size : 2048};
	static const char *const convs[] = {"d",   "i",	    "u",    "x",  "o", "ld", "lld",
					    "hhd", "hd",    "f",    "lf", "g", "le", "s",
					    "c",   "[a-z]", "[^,]", "n",  "%", "lx"};
	char fmt[256];
	int n = 0, kinds[MAXC], nk = 0;
	unsigned count = take(&b) % MAXC + 1;
	for (unsigned k = 0; k < count; k++) {
		unsigned sep = take(&b);
		if (sep & 1)
			fmt[n++] = ' ';
		if (sep & 2)
			fmt[n++] = ",:x-"[(sep >> 2) & 3];
		unsigned c = take(&b) % (sizeof(convs) / sizeof(convs[0]));
		unsigned w = take(&b);
		fmt[n++] = '%';
		bool suppress = (w & 0x80) && c != 17 && c != 18;
		if (suppress)
			fmt[n++] = '*';
		if ((w & 0x40) && c != 17 && c != 18)
			n += snprintf(fmt + n, 8, "%u", (w & 0x1f) + 1);
		else if (c == 14 || c == 15 || c == 16 || c == 13)
			n += snprintf(fmt + n, 8, "%u", 100); /* the buffer's size */
		n += snprintf(fmt + n, 8, "%s", convs[c]);
		if (!suppress && c != 18)
			kinds[nk++] = (int)c;
	}
	fmt[n] = '\0';
	char *input = rest(&b);
	union value a[MAXC], m[MAXC];
	memset(a, 0x5a, sizeof(a));
	memset(m, 0x5a, sizeof(m));
	void *pa[MAXC], *pm[MAXC];
	for (int i = 0; i < MAXC; i++)
		pa[i] = &a[i], pm[i] = &m[i];
	int ra = sscanf(input, fmt, pa[0], pa[1], pa[2], pa[3], pa[4], pa[5]);
	int rm = tl_sscanf(input, fmt, pm[0], pm[1], pm[2], pm[3], pm[4], pm[5]);
	if (ra != rm)
		DIFFER("sscanf('%s', \"%s\"): glibc %d, mirage %d", input, fmt, ra, rm);
	/* the values assigned, and every %n (assigned whatever the count) */
	int assigned = 0;
	for (int i = 0; i < nk; i++) {
		int c = kinds[i];
		if (c != 17 && assigned++ >= ra)
			break;
		bool same;
		if (c == 9 || c == 11)
			same = !memcmp(&a[i].f, &m[i].f, sizeof(float)) ||
			       (isnan(a[i].f) && isnan(m[i].f));
		else if (c == 10 || c == 12)
			same = !memcmp(&a[i].d, &m[i].d, sizeof(double)) ||
			       (isnan(a[i].d) && isnan(m[i].d));
		else if (c == 13 || c == 15 || c == 16)
			same = !strcmp(a[i].s, m[i].s);
		else
			same = !memcmp(&a[i], &m[i], sizeof(a[i]));
		if (!same)
			DIFFER("sscanf('%s', \"%s\"): value %d differs", input, fmt, i);
	}
	free(input);
	return 0;
}
