/* test_libc.c: mirage's C library (targets/common/libc) on the host
 * (libc_host.h), checked against the host's C library where they must
 * agree: integers, strings, the allocator. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "libc_host.h"
#include "unit.h"

/* The same format through both libraries. */
#define SAME(...)                                                       \
	do {                                                            \
		char want_[512], got_[512];                             \
		int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__);  \
		int gn_ = tl_snprintf(got_, sizeof(got_), __VA_ARGS__); \
		CHECK_STR(got_, want_);                                 \
		CHECK(wn_ == gn_);                                      \
	} while (0)

TEST(printf_integers)
{
	SAME("%d %i %u", 42, -42, 42u);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, 7, -7, 0);
	SAME("%x %X %#x %#X %o %#o %#o", 255u, 255u, 255u, 255u, 8u, 8u, 0u);
	SAME("%ld %lld %lu %llu", LONG_MIN, LLONG_MIN, ULONG_MAX, ULLONG_MAX);
	SAME("%hd %hhd %hu %hhu", (short)-3, (signed char)-3, (unsigned short)65535,
	     (unsigned char)255);
	SAME("%zu %zd %jd %td", (size_t)123, (ssize_t)-5, (intmax_t)-9, (ptrdiff_t)-1);
	SAME("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
	SAME("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	SAME("%s|%10s|%-10s|%.2s|%5.1s|", "abc", "abc", "abc", "abc", "abc");
	SAME("100%% done %d%%", 5);
	SAME("%p", (void *)0x1234);
}

TEST(printf_floats)
{
	SAME("%f %f %f %f", 0.0, 1.0, -2.5, 3.14159265358979);
	SAME("%.0f %.1f %.2f %.10f", 2.5, 0.05, 1.005, 1.0 / 3);
	SAME("%e %E %.3e %.0e", 12345.678, 0.000123, -1e100, 5e-300);
	SAME("%g %g %g %g %g %g", 100000.0, 1000000.0, 0.0001, 0.00001, 123.456, 1e-10);
	SAME("%G %.3g %.10g %#g", 1e20, 3.14159, 2.0 / 3, 1.5);
	SAME("[%10.3f] [%-10.2f] [%010.2f] [%+f] [% f]", 3.14159, 2.5, -2.5, 1.0, 1.0);
	SAME("%f %f %F %e", HUGE_VAL, -HUGE_VAL, HUGE_VAL, NAN);
	SAME("%.3f %.3f %.2f %.0f %.0f %.1f %.0e %.1e", 999.9995, 0.0005, 0.125, 0.5, 1.5, 0.25,
	     25.0, 0.125);
	SAME("%f", 1e20);
	SAME("%.15g %.16g", 0.1, 123456789.123456789); /* 16 significant digits are exact */
}

TEST(printf_console)
{
	fake_console_len = 0;
	int n = tl_printf("x=%d %s\n", 5, "ok");
	tl_puts("line");
	CHECK_STR(fake_console, "x=5 ok\nline\n");
	CHECK(n == 7);
	/* longer than the 256-byte staging buffer */
	fake_console_len = 0;
	char big[1000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(tl_printf("<%s>", big) == 1001);
	CHECK(fake_console_len == 1001 && fake_console[0] == '<' && fake_console[1000] == '>');
	char small[4];
	CHECK(tl_snprintf(small, sizeof(small), "%d", 123456) == 6);
	CHECK_STR(small, "123");
	CHECK(tl_snprintf(NULL, 0, "%s", "abc") == 3);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

TEST(stdlib)
{
	char *end;
	CHECK(tl_strtoll("  -123abc", &end, 10) == -123 && !strcmp(end, "abc"));
	CHECK(tl_strtoll("0x1F", &end, 0) == 31 && *end == '\0');
	CHECK(tl_strtoll("017", &end, 0) == 15);
	CHECK(tl_strtoll("z", &end, 36) == 35);
	tl_errno = 0;
	CHECK(tl_strtoll("9223372036854775808", &end, 10) == LLONG_MAX && tl_errno == ERANGE);
	tl_errno = 0;
	CHECK(tl_strtoll("-9223372036854775808", &end, 10) == LLONG_MIN && tl_errno == 0);
	CHECK(tl_strtoull("18446744073709551615", &end, 10) == ULLONG_MAX);
	CHECK(tl_strtoll("abc", &end, 10) == 0 && !strcmp(end, "abc"));
	CHECK(tl_strtoll("0x", &end, 16) == 0 && !strcmp(end, "x"));
	CHECK(tl_atoi("42") == 42);
	int v[200];
	for (int i = 0; i < 200; i++)
		v[i] = (i * 7919) % 211 - 100;
	tl_qsort(v, 200, sizeof(int), cmp_int);
	int sorted = 1;
	for (int i = 1; i < 200; i++)
		sorted &= v[i - 1] <= v[i];
	CHECK(sorted);
	int key = v[137];
	int *hit = tl_bsearch(&key, v, 200, sizeof(int), cmp_int);
	CHECK(hit && *hit == key);
	key = 1000;
	CHECK(tl_bsearch(&key, v, 200, sizeof(int), cmp_int) == NULL);
}

TEST(strings)
{
	CHECK(tl_strlen("hello") == 5);
	CHECK(tl_strcmp("a", "b") < 0 && tl_strcmp("b", "a") > 0 && !tl_strcmp("x", "x"));
	CHECK(tl_strcmp("\xff", "a") > 0); /* as unsigned char */
	CHECK(tl_strncmp("abcd", "abce", 3) == 0);
	CHECK_STR(tl_strstr("hello world", "o w"), "o world");
	CHECK(tl_strstr("abc", "d") == NULL);
	CHECK_STR(tl_strchr("a/b/c", '/'), "/b/c");
	CHECK_STR(tl_strrchr("a/b/c", '/'), "/c");
	CHECK(tl_strchr("abc", '\0') && *tl_strchr("abc", '\0') == '\0');
	char buf[64] = "a,b,,c";
	char *save, *t1 = tl_strtok_r(buf, ",", &save), *t2 = tl_strtok_r(NULL, ",", &save);
	char *t3 = tl_strtok_r(NULL, ",", &save), *t4 = tl_strtok_r(NULL, ",", &save);
	CHECK_STR(t1, "a");
	CHECK_STR(t2, "b");
	CHECK_STR(t3, "c");
	CHECK(t4 == NULL);
	char m[32];
	for (int i = 0; i < 32; i++)
		m[i] = (char)i;
	tl_memmove(m + 1, m, 20); /* overlapping, forwards */
	CHECK(m[1] == 0 && m[20] == 19);
	tl_memmove(m, m + 1, 20); /* overlapping, backwards */
	CHECK(m[0] == 0 && m[19] == 19);
	char a[40], b[40];
	for (int off = 0; off < 8; off++) {
		memset(a, 1, sizeof(a));
		tl_memset(a + off, 7, 25);
		memset(b, 1, sizeof(b));
		memset(b + off, 7, 25);
		CHECK(!memcmp(a, b, sizeof(a)));
		tl_memcpy(a + off, "0123456789abcdefghijklmnopqrstu", 30);
		CHECK(!tl_memcmp(a + off, "0123456789abcdefghijklmnopqrstu", 30));
	}
	for (int c = -1; c < 256; c++) {
		CHECK(!tl_isspace(c) == !isspace(c));
		CHECK(!tl_ispunct(c) == !ispunct(c));
		CHECK(!tl_isxdigit(c) == !isxdigit(c));
		CHECK(tl_toupper(c) == toupper(c) && tl_tolower(c) == tolower(c));
	}
}

static _Alignas(16) unsigned char heap[1 << 20];

TEST(malloc)
{
	tl___mirage_heap_init(heap + 3, sizeof(heap) - 3);
	void *p[500];
	unsigned seed = 1;
	size_t sizes[500];
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 500; i++) {
			seed = seed * 1103515245 + 12345;
			sizes[i] = (seed >> 16) % 700;
			p[i] = tl_malloc(sizes[i]);
			CHECK(p[i] != NULL && ((uintptr_t)p[i] & 15) == 0);
			if (p[i])
				memset(p[i], i & 0xff, sizes[i]);
		}
		/* free every other one, check the rest, then grow some */
		for (int i = 0; i < 500; i += 2)
			tl_free(p[i]);
		for (int i = 1; i < 500; i += 2) {
			unsigned char *q = p[i];
			for (size_t k = 0; k < sizes[i]; k++)
				if (q[k] != (i & 0xff)) {
					CHECK(!"corrupted");
					break;
				}
			q = tl_realloc(q, sizes[i] + 100);
			CHECK(q != NULL);
			for (size_t k = 0; q && k < sizes[i]; k++)
				if (q[k] != (i & 0xff)) {
					CHECK(!"realloc lost data");
					break;
				}
			tl_free(q);
		}
	}
	/* everything was freed: one big block fits again */
	void *big = tl_malloc(sizeof(heap) - 4096);
	CHECK(big != NULL);
	tl_free(big);
	CHECK(tl_malloc(sizeof(heap)) == NULL && tl_errno == ENOMEM);
	CHECK(tl_calloc(SIZE_MAX / 2, 4) == NULL);
	int *z = tl_calloc(100, sizeof(int));
	int zero = 1;
	for (int i = 0; z && i < 100; i++)
		zero &= z[i] == 0;
	CHECK(z && zero);
	void *al = tl_aligned_alloc(256, 100);
	CHECK(al && ((uintptr_t)al & 255) == 0);
	tl_free(al);
	tl_free(z);
	char *d = tl_strdup("copy me");
	CHECK_STR(d, "copy me");
	tl_free(d);
	/* a double free is caught */
	void *twice = tl_malloc(10);
	tl_free(twice);
	fake_exit_msg[0] = '\0';
	if (!setjmp(fake_on_exit))
		tl_free(twice);
	CHECK(strstr(fake_exit_msg, "double free") != NULL);
}

int main(void)
{
	RUN(printf_integers);
	RUN(printf_floats);
	RUN(printf_console);
	RUN(stdlib);
	RUN(strings);
	RUN(malloc);
	return unit_failures != 0;
}
