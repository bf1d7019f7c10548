/* wchar.c: wide and multibyte characters of mirage's C library (wchar.h,
 * wctype.h, and stdlib.h's mb* and wc* functions). Wide characters are
 * Unicode code points, multibyte characters UTF-8; the character classes
 * are those of the "C" locale (ASCII only). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "libc.h"

int __libc_utf8_encode(unsigned long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if ((c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
		return 0;
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* mbstate_t: __fill holds the bits of a character begun, __left the bytes
 * it still needs (low four bits) and its length (above). */
#define LEFT(st)   ((st)&15)
#define LENGTH(st) ((st) >> 4)

int mbsinit(const mbstate_t *ps)
{
	return !ps || ps->__left == 0;
}

/* Whether c may follow the lead of a character of len bytes whose lead
 * gave bits: no overlong form, no surrogate, nothing past U+10FFFF. */
static int second_ok(unsigned len, unsigned bits, unsigned char c)
{
	if (len == 3 && bits == 0)
		return c >= 0xa0;
	if (len == 3 && bits == 0xd)
		return c < 0xa0;
	if (len == 4 && bits == 0)
		return c >= 0x90;
	if (len == 4 && bits == 4)
		return c < 0x90;
	return 1;
}

size_t mbrtowc(wchar_t *restrict wc, const char *restrict s, size_t n, mbstate_t *restrict ps)
{
	static mbstate_t internal;
	if (!ps)
		ps = &internal;
	if (!s) {
		s = "";
		n = 1;
		wc = NULL;
	}
	if (n == 0)
		return (size_t)-2;
	unsigned fill = ps->__fill, state = ps->__left;
	size_t used = 0;
	if (LEFT(state) == 0) {
		unsigned char c = (unsigned char)s[used++];
		if (c < 0x80) {
			if (wc)
				*wc = c;
			return c ? 1 : 0;
		}
		if (c >= 0xc2 && c < 0xe0)
			fill = c & 0x1f, state = 2 << 4 | 1;
		else if (c >= 0xe0 && c < 0xf0)
			fill = c & 0x0f, state = 3 << 4 | 2;
		else if (c >= 0xf0 && c < 0xf5)
			fill = c & 0x07, state = 4 << 4 | 3;
		else
			goto bad;
	}
	while (LEFT(state) && used < n) {
		unsigned char c = (unsigned char)s[used++];
		if ((c & 0xc0) != 0x80)
			goto bad;
		if (LEFT(state) == LENGTH(state) - 1 && !second_ok(LENGTH(state), fill, c))
			goto bad;
		fill = (fill << 6) | (c & 0x3f);
		state--;
	}
	if (LEFT(state)) {
		ps->__fill = fill;
		ps->__left = state;
		return (size_t)-2;
	}
	ps->__fill = ps->__left = 0;
	if (wc)
		*wc = (wchar_t)fill;
	return fill ? used : 0;
bad:
	ps->__fill = ps->__left = 0;
	errno = EILSEQ;
	return (size_t)-1;
}

size_t mbrlen(const char *restrict s, size_t n, mbstate_t *restrict ps)
{
	static mbstate_t internal;
	return mbrtowc(NULL, s, n, ps ? ps : &internal);
}

size_t wcrtomb(char *restrict s, wchar_t wc, mbstate_t *restrict ps)
{
	(void)ps;
	char buf[4];
	if (!s)
		s = buf, wc = 0;
	int n = __libc_utf8_encode((unsigned long)wc, s);
	if (!n) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	return (size_t)n;
}

size_t mbsrtowcs(wchar_t *restrict d, const char **restrict s, size_t n, mbstate_t *restrict ps)
{
	const char *p = *s;
	size_t count = 0;
	while (!d || count < n) {
		wchar_t w;
		size_t k = mbrtowc(&w, p, 4, ps);
		if (k == (size_t)-1 || k == (size_t)-2) {
			errno = EILSEQ;
			if (d)
				*s = p;
			return (size_t)-1;
		}
		if (d)
			d[count] = w;
		if (k == 0) {
			if (d)
				*s = NULL;
			return count;
		}
		p += k;
		count++;
	}
	*s = p;
	return count;
}

size_t wcsrtombs(char *restrict d, const wchar_t **restrict s, size_t n, mbstate_t *restrict ps)
{
	(void)ps;
	const wchar_t *p = *s;
	size_t count = 0;
	for (;; p++) {
		char buf[4];
		int k = __libc_utf8_encode((unsigned long)*p, buf);
		if (!k) {
			errno = EILSEQ;
			if (d)
				*s = p;
			return (size_t)-1;
		}
		if (*p == 0) {
			if (d) {
				if (count < n)
					d[count] = '\0';
				if (count < n)
					*s = NULL;
				else
					*s = p;
			}
			return count;
		}
		if (d && count + (size_t)k > n) {
			*s = p;
			return count;
		}
		if (d)
			memcpy(d + count, buf, (size_t)k);
		count += (size_t)k;
	}
}

wint_t btowc(int c)
{
	return c >= 0 && c < 0x80 ? (wint_t)c : WEOF;
}

int wctob(wint_t c)
{
	return c < 0x80 ? (int)c : EOF;
}

int mblen(const char *s, size_t n)
{
	static mbstate_t st;
	if (!s) {
		memset(&st, 0, sizeof(st));
		return 0; /* UTF-8 has no shift states */
	}
	size_t k = mbrtowc(NULL, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2) {
		memset(&st, 0, sizeof(st));
		errno = EILSEQ;
		return -1;
	}
	return (int)k;
}

int mbtowc(wchar_t *restrict wc, const char *restrict s, size_t n)
{
	if (!s)
		return 0;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t k = mbrtowc(wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2) {
		errno = EILSEQ;
		return -1;
	}
	return (int)k;
}

int wctomb(char *s, wchar_t wc)
{
	if (!s)
		return 0;
	size_t k = wcrtomb(s, wc, NULL);
	return k == (size_t)-1 ? -1 : (int)k;
}

size_t mbstowcs(wchar_t *restrict d, const char *restrict s, size_t n)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	const char *p = s;
	return mbsrtowcs(d, &p, n, &st);
}

size_t wcstombs(char *restrict d, const wchar_t *restrict s, size_t n)
{
	const wchar_t *p = s;
	return wcsrtombs(d, &p, n, NULL);
}

/* --- wide strings --- */

size_t wcslen(const wchar_t *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int wcscmp(const wchar_t *a, const wchar_t *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return *a < *b ? -1 : *a > *b;
}

int wcsncmp(const wchar_t *a, const wchar_t *b, size_t n)
{
	for (; n && *a && *a == *b; n--, a++, b++)
		;
	return n == 0 ? 0 : *a < *b ? -1 : *a > *b;
}

wchar_t *wcscpy(wchar_t *restrict d, const wchar_t *restrict s)
{
	wchar_t *r = d;
	while ((*d++ = *s++))
		;
	return r;
}

wchar_t *wcsncpy(wchar_t *restrict d, const wchar_t *restrict s, size_t n)
{
	size_t i = 0;
	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}

wchar_t *wcscat(wchar_t *restrict d, const wchar_t *restrict s)
{
	wcscpy(d + wcslen(d), s);
	return d;
}

wchar_t *wcschr(const wchar_t *s, wchar_t c)
{
	for (;; s++) {
		if (*s == c)
			return (wchar_t *)s;
		if (!*s)
			return NULL;
	}
}

wchar_t *wcsrchr(const wchar_t *s, wchar_t c)
{
	const wchar_t *found = NULL;
	for (;; s++) {
		if (*s == c)
			found = s;
		if (!*s)
			return (wchar_t *)found;
	}
}

wchar_t *wmemcpy(wchar_t *restrict d, const wchar_t *restrict s, size_t n)
{
	return memcpy(d, s, n * sizeof(wchar_t));
}

wchar_t *wmemmove(wchar_t *d, const wchar_t *s, size_t n)
{
	return memmove(d, s, n * sizeof(wchar_t));
}

wchar_t *wmemset(wchar_t *d, wchar_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = c;
	return d;
}

int wmemcmp(const wchar_t *a, const wchar_t *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b)
			return *a < *b ? -1 : 1;
	return 0;
}

wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n)
{
	for (; n; n--, s++)
		if (*s == c)
			return (wchar_t *)s;
	return NULL;
}

/* --- wctype.h: the "C" locale's classes, ASCII only --- */

#define ASCII(c, f) ((c) < 0x80 ? f((int)(c)) : 0)

int iswalnum(wint_t c)
{
	return ASCII(c, isalnum);
}

int iswalpha(wint_t c)
{
	return ASCII(c, isalpha);
}

int iswblank(wint_t c)
{
	return ASCII(c, isblank);
}

int iswcntrl(wint_t c)
{
	return ASCII(c, iscntrl);
}

int iswdigit(wint_t c)
{
	return ASCII(c, isdigit);
}

int iswgraph(wint_t c)
{
	return ASCII(c, isgraph);
}

int iswlower(wint_t c)
{
	return ASCII(c, islower);
}

int iswprint(wint_t c)
{
	return ASCII(c, isprint);
}

int iswpunct(wint_t c)
{
	return ASCII(c, ispunct);
}

int iswspace(wint_t c)
{
	return ASCII(c, isspace);
}

int iswupper(wint_t c)
{
	return ASCII(c, isupper);
}

int iswxdigit(wint_t c)
{
	return ASCII(c, isxdigit);
}

wint_t towlower(wint_t c)
{
	return c < 0x80 ? (wint_t)tolower((int)c) : c;
}

wint_t towupper(wint_t c)
{
	return c < 0x80 ? (wint_t)toupper((int)c) : c;
}

static const char *const classes[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
				      "lower", "print", "punct", "space", "upper", "xdigit"};
static int (*const class_fn[])(wint_t) = {iswalnum, iswalpha, iswblank, iswcntrl,
					  iswdigit, iswgraph, iswlower, iswprint,
					  iswpunct, iswspace, iswupper, iswxdigit};

wctype_t wctype(const char *name)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(name, classes[i]))
			return (wctype_t)i + 1;
	return 0;
}

int iswctype(wint_t c, wctype_t type)
{
	if (type < 1 || type > (wctype_t)(sizeof(classes) / sizeof(classes[0])))
		return 0;
	return class_fn[type - 1](c);
}
