/* printf.h: the formatting engine shared by printf.c and printf_fp.c
 * (internal to mirage's freestanding libc). */
#ifndef MIRAGE_LIBC_PRINTF_H
#define MIRAGE_LIBC_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted characters go: a caller's buffer (snprintf) or a local
 * buffer flushed to the console (printf). */
struct sink {
	char *buf;
	size_t cap;   /* bytes of buf usable */
	size_t pos;   /* bytes in buf */
	size_t total; /* characters produced, as printf returns */
	int console;  /* flush buf to the console when full */
};

struct spec {
	int left, plus, space, alt, zero;
	int width;     /* -1: none */
	int precision; /* -1: none */
	char conv;
};

void sink_putc(struct sink *s, char c);
void sink_pad(struct sink *s, char c, int n);
/* Formats a double argument (conversions f F e E g G) taken from *ap. The
 * only part of the libc that touches floating-point registers: it is built
 * in its own file, without -mgeneral-regs-only. */
void fmt_fp(struct sink *s, const struct spec *sp, va_list *ap);

#endif
