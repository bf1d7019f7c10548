/* wctype.h: mirage's C library. The classes of the "C" locale: only ASCII
 * characters are in any class. */
#ifndef _WCTYPE_H
#define _WCTYPE_H
#ifndef __MIRAGE_WINT
#define __MIRAGE_WINT
typedef __WINT_TYPE__ wint_t;
#endif
#define WEOF ((wint_t)-1)
typedef int wctype_t;
int iswalnum(wint_t c);
int iswalpha(wint_t c);
int iswblank(wint_t c);
int iswcntrl(wint_t c);
int iswdigit(wint_t c);
int iswgraph(wint_t c);
int iswlower(wint_t c);
int iswprint(wint_t c);
int iswpunct(wint_t c);
int iswspace(wint_t c);
int iswupper(wint_t c);
int iswxdigit(wint_t c);
wint_t towlower(wint_t c);
wint_t towupper(wint_t c);
wctype_t wctype(const char *name);
int iswctype(wint_t c, wctype_t type);
#endif
