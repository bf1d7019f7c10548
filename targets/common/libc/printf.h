/* printf.h: the formatting engine shared by printf.c and printf_fp.c
 * (internal to mirage's C library). */
#ifndef MIRAGE_LIBC_PRINTF_H
#define MIRAGE_LIBC_PRINTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Where formatted characters go: a caller's buffer (snprintf), a buffer
 * that grows (asprintf), or a local buffer written to a descriptor when
 * full (printf, fprintf, dprintf). */
struct sink {
	char *buf;
	size_t cap;   /* bytes of buf usable */
	size_t pos;   /* bytes in buf */
	size_t total; /* characters produced, as printf returns */
	int fd;	      /* >= 0: written there when full */
	bool grow;    /* buf is the heap's and grows */
	bool failed;  /* a write or an allocation failed */
};

struct spec {
	int left, plus, space, alt, zero;
	int width;     /* -1: none */
	int precision; /* -1: none */
	char conv;
	bool long_double; /* L */
};

void sink_putc(struct sink *s, char c);
void sink_pad(struct sink *s, char c, int n);
/* Formats a floating-point argument (conversions f F e E g G a A) taken
 * from *ap: printf_fp.c, built with floating point. */
void fmt_fp(struct sink *s, const struct spec *sp, va_list *ap);
/* The engine: fmt with ap into s. Returns the characters produced, or -1
 * (an output error, or more than INT_MAX characters: EOVERFLOW). */
int __libc_format(struct sink *s, const char *fmt, va_list ap);

#endif
