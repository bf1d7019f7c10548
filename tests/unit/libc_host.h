/* libc_host.h: mirage's C library built for the host (every name it
 * defines prefixed tl_, see the Makefile), its calls the tests use, and the
 * fake runtime under it (libc_fake.c): a console buffer, clocks the test
 * sets, kv_ro devices, and exits that return to the test. */
#ifndef MIRAGE_LIBC_HOST_H
#define MIRAGE_LIBC_HOST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

/* --- the fake runtime --- */
extern char fake_console[65536];
extern size_t fake_console_len;
extern jmp_buf fake_on_exit; /* longjmp'd to by exit and abort */
extern char fake_exit_msg[256];
extern uint64_t fake_wall_ns, fake_monotonic_ns; /* mirage_sleep advances both */
/* A kv_ro device: name and sorted NULL-terminated key/value pairs. */
void fake_kv_add(const char *device, const char *const *pairs);

/* --- the library --- */
extern int tl_errno;
typedef struct mirage_file TL_FILE;
extern TL_FILE *const tl_stdin, *const tl_stdout, *const tl_stderr;

int tl_snprintf(char *buf, size_t size, const char *fmt, ...);
int tl_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int tl_printf(const char *fmt, ...);
int tl_fprintf(TL_FILE *f, const char *fmt, ...);
int tl_asprintf(char **out, const char *fmt, ...);
int tl_sscanf(const char *s, const char *fmt, ...);
int tl_vsscanf(const char *s, const char *fmt, va_list ap);
int tl_fscanf(TL_FILE *f, const char *fmt, ...);
int tl_puts(const char *s);
int tl_fputs(const char *s, TL_FILE *f);
int tl_fputc(int c, TL_FILE *f);
size_t tl_fwrite(const void *p, size_t size, size_t n, TL_FILE *f);
TL_FILE *tl_fopen(const char *path, const char *mode);
int tl_fclose(TL_FILE *f);
size_t tl_fread(void *p, size_t size, size_t n, TL_FILE *f);
int tl_fgetc(TL_FILE *f);
int tl_getc(TL_FILE *f);
int tl_ungetc(int c, TL_FILE *f);
char *tl_fgets(char *s, int n, TL_FILE *f);
ssize_t tl_getline(char **line, size_t *cap, TL_FILE *f);
int tl_fseek(TL_FILE *f, long off, int whence);
long tl_ftell(TL_FILE *f);
void tl_rewind(TL_FILE *f);
int tl_feof(TL_FILE *f);
int tl_ferror(TL_FILE *f);
void tl_clearerr(TL_FILE *f);
void tl_perror(const char *s);
int tl_open(const char *path, int flags, ...);
ssize_t tl_read(int fd, void *buf, size_t n);
ssize_t tl_write(int fd, const void *buf, size_t n);
off_t tl_lseek(int fd, off_t off, int whence);
int tl_close(int fd);
int tl_access(const char *path, int mode);
struct stat;
int tl_stat(const char *path, void *st); /* mirage's struct stat: see test_libc_io.c */
typedef struct mirage_dir TL_DIR;
TL_DIR *tl_opendir(const char *path);
void *tl_readdir(TL_DIR *d); /* mirage's struct dirent */
int tl_closedir(TL_DIR *d);

void *tl_malloc(size_t n);
void *tl_calloc(size_t n, size_t size);
void *tl_realloc(void *p, size_t n);
void *tl_aligned_alloc(size_t align, size_t n);
int tl_posix_memalign(void **out, size_t align, size_t n);
void tl_free(void *p);
void tl___mirage_heap_init(void *start, size_t len);
double tl_strtod(const char *s, char **end);
float tl_strtof(const char *s, char **end);
double tl_atof(const char *s);
long long tl_strtoll(const char *s, char **end, int base);
unsigned long long tl_strtoull(const char *s, char **end, int base);
int tl_atoi(const char *s);
void tl_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *tl_bsearch(const void *key, const void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));
int tl_atexit(void (*fn)(void));
void tl___libc_run_atexit(void);

size_t tl_strlen(const char *s);
int tl_strcmp(const char *a, const char *b);
int tl_strncmp(const char *a, const char *b, size_t n);
int tl_strcoll(const char *a, const char *b);
size_t tl_strxfrm(char *d, const char *s, size_t n);
int tl_strcasecmp(const char *a, const char *b);
int tl_strncasecmp(const char *a, const char *b, size_t n);
char *tl_strstr(const char *h, const char *n);
char *tl_strchr(const char *s, int c);
char *tl_strrchr(const char *s, int c);
char *tl_strtok_r(char *s, const char *d, char **save);
char *tl_strerror(int err);
void *tl_memmove(void *d, const void *s, size_t n);
void *tl_memcpy(void *d, const void *s, size_t n);
void *tl_memset(void *d, int c, size_t n);
int tl_memcmp(const void *a, const void *b, size_t n);
char *tl_strdup(const char *s);
int tl_isspace(int c);
int tl_ispunct(int c);
int tl_toupper(int c);
int tl_tolower(int c);
int tl_isxdigit(int c);

struct tm;
time_t tl_time(time_t *t);
long tl_clock(void);
double tl_difftime(time_t a, time_t b);
time_t tl_mktime(void *tm); /* mirage's struct tm */
time_t tl_timegm(void *tm);
void *tl_gmtime_r(const time_t *t, void *tm);
void *tl_localtime_r(const time_t *t, void *tm);
size_t tl_strftime(char *s, size_t max, const char *fmt, const void *tm);
int tl_nanosleep(const void *req, void *rem);
int tl_gettimeofday(void *tv, void *tz);

size_t tl_mbrtowc(wchar_t *wc, const char *s, size_t n, void *ps);
size_t tl_wcrtomb(char *s, wchar_t wc, void *ps);
size_t tl_mbstowcs(wchar_t *d, const char *s, size_t n);
size_t tl_wcstombs(char *d, const wchar_t *s, size_t n);
size_t tl_wcslen(const wchar_t *s);

char *tl_setlocale(int category, const char *locale);
void *tl_localeconv(void);
void (*tl_signal(int sig, void (*h)(int)))(int);
int tl_raise(int sig);

#endif
