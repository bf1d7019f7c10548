/* sysheader.h: the names of the headers C and POSIX systems provide, for
 * telling a user whose code includes one that mirage's C library does not
 * have it (rather than only the compiler's "No such file or directory"). */
#ifndef MIRAGE_SYSHEADER_H
#define MIRAGE_SYSHEADER_H

#include <stdbool.h>

/* Whether name ("sys/socket.h") is a header of the C standard, POSIX, or a
 * Unix system directory (sys/, netinet/, arpa/, net/, linux/, asm/, bits/). */
bool sysheader_known(const char *name);

#endif
