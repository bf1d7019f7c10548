/* limits.h: mirage's C library (LP64 targets). */
#ifndef _LIMITS_H
#define _LIMITS_H
#define CHAR_BIT  __CHAR_BIT__
#define SCHAR_MIN (-__SCHAR_MAX__ - 1)
#define SCHAR_MAX __SCHAR_MAX__
#define UCHAR_MAX (__SCHAR_MAX__ * 2 + 1)
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#else
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#endif
#define SHRT_MIN   (-__SHRT_MAX__ - 1)
#define SHRT_MAX   __SHRT_MAX__
#define USHRT_MAX  (__SHRT_MAX__ * 2 + 1)
#define INT_MIN	   (-__INT_MAX__ - 1)
#define INT_MAX	   __INT_MAX__
#define UINT_MAX   (__INT_MAX__ * 2U + 1U)
#define LONG_MIN   (-__LONG_MAX__ - 1L)
#define LONG_MAX   __LONG_MAX__
#define ULONG_MAX  (__LONG_MAX__ * 2UL + 1UL)
#define LLONG_MIN  (-__LONG_LONG_MAX__ - 1LL)
#define LLONG_MAX  __LONG_LONG_MAX__
#define ULLONG_MAX (__LONG_LONG_MAX__ * 2ULL + 1ULL)
#define LONG_BIT   64
#define WORD_BIT   32
/* multibyte characters are UTF-8 */
#define MB_LEN_MAX 4
/* POSIX */
#define SSIZE_MAX __LONG_MAX__
#define PATH_MAX  4096
#define NAME_MAX  255
#define PIPE_BUF  4096
#define IOV_MAX	  1024
#define PAGESIZE  4096
#define PAGE_SIZE PAGESIZE
#endif
