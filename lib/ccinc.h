/* ccinc.h: the compiler's own header directory (immintrin.h, arm_neon.h,
 * cpuid.h, stdatomic.h...), which -nostdinc hides along with the host's C
 * library. Unikernels and libraries see it after mirage's C library:
 * -isystem DIR, as the Linux kernel does. */
#ifndef MIRAGE_CCINC_H
#define MIRAGE_CCINC_H

/* What `cc -print-file-name=include` says, remembered in the cache per
 * compiler binary (its path, size and time: an upgrade asks again). Returns
 * a new string, or NULL when cc is missing or names no such directory (the
 * build then says what is missing). */
char *cc_include_dir(const char *cc, const char *cachedir);

#endif
