/* libc.h: what the parts of mirage's C library share (internal). */
#ifndef MIRAGE_LIBC_H
#define MIRAGE_LIBC_H

#include <stdio.h>

/* The descriptor of a stream that may be written, or -1 (EBADF, its error
 * flag set). */
int __libc_file_writable(FILE *f);
/* Sets a stream's error flag. */
void __libc_file_failed(FILE *f);
/* A Unicode code point as UTF-8 into out (4 bytes); its length, or 0 when
 * it is none (a surrogate, or above U+10FFFF). */
int __libc_utf8_encode(unsigned long c, char *out);

#endif
