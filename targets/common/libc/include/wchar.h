/* wchar.h: mirage's C library. Wide characters are Unicode code points;
 * multibyte characters are UTF-8 (in the one locale, "C"). */
#ifndef _WCHAR_H
#define _WCHAR_H
#include <stdarg.h>
#include <stddef.h>
#ifndef __MIRAGE_WINT
#define __MIRAGE_WINT
typedef __WINT_TYPE__ wint_t;
#endif
typedef struct {
	unsigned __fill; /* the bits of a character begun */
	unsigned __left; /* its bytes still to come */
} mbstate_t;
#define WEOF	  ((wint_t)-1)
#define WCHAR_MIN __WCHAR_MIN__
#define WCHAR_MAX __WCHAR_MAX__
size_t wcslen(const wchar_t *s);
int wcscmp(const wchar_t *a, const wchar_t *b);
int wcsncmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *wcscpy(wchar_t *restrict d, const wchar_t *restrict s);
wchar_t *wcsncpy(wchar_t *restrict d, const wchar_t *restrict s, size_t n);
wchar_t *wcscat(wchar_t *restrict d, const wchar_t *restrict s);
wchar_t *wcschr(const wchar_t *s, wchar_t c);
wchar_t *wcsrchr(const wchar_t *s, wchar_t c);
wchar_t *wmemcpy(wchar_t *restrict d, const wchar_t *restrict s, size_t n);
wchar_t *wmemmove(wchar_t *d, const wchar_t *s, size_t n);
wchar_t *wmemset(wchar_t *d, wchar_t c, size_t n);
int wmemcmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n);
int mbsinit(const mbstate_t *ps);
size_t mbrlen(const char *restrict s, size_t n, mbstate_t *restrict ps);
size_t mbrtowc(wchar_t *restrict wc, const char *restrict s, size_t n, mbstate_t *restrict ps);
size_t wcrtomb(char *restrict s, wchar_t wc, mbstate_t *restrict ps);
size_t mbsrtowcs(wchar_t *restrict d, const char **restrict s, size_t n, mbstate_t *restrict ps);
size_t wcsrtombs(char *restrict d, const wchar_t **restrict s, size_t n, mbstate_t *restrict ps);
wint_t btowc(int c);
int wctob(wint_t c);
#endif
