/* stdio.h: mirage's C library. stdout and stderr are the console (written
 * at once, in order); stdin is at end of file. fopen() reads the files of
 * kv_ro devices: a device named D is the read-only directory /D, so
 * fopen("/D/css/site.css", "r"); opening for writing fails with EROFS. */
#ifndef _STDIO_H
#define _STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
typedef struct mirage_file FILE;
typedef long fpos_t;
extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;
#define stdin	     stdin
#define stdout	     stdout
#define stderr	     stderr
#define EOF	     (-1)
#define BUFSIZ	     1024
#define FILENAME_MAX 4096
#define FOPEN_MAX    16
#define TMP_MAX	     238328
#define L_tmpnam     20
#define _IOFBF	     0
#define _IOLBF	     1
#define _IONBF	     2
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif
int printf(const char *restrict fmt, ...) __attribute__((format(__printf__, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 2, 3)));
int dprintf(int fd, const char *restrict fmt, ...) __attribute__((format(__printf__, 2, 3)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 2, 3)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 3, 4)));
int asprintf(char **restrict out, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 2, 3)));
int vprintf(const char *restrict fmt, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int vdprintf(int fd, const char *restrict fmt, va_list ap);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);
int vasprintf(char **restrict out, const char *restrict fmt, va_list ap);
int scanf(const char *restrict fmt, ...) __attribute__((format(__scanf__, 1, 2)));
int fscanf(FILE *restrict f, const char *restrict fmt, ...)
    __attribute__((format(__scanf__, 2, 3)));
int sscanf(const char *restrict s, const char *restrict fmt, ...)
    __attribute__((format(__scanf__, 2, 3)));
int vscanf(const char *restrict fmt, va_list ap);
int vfscanf(FILE *restrict f, const char *restrict fmt, va_list ap);
int vsscanf(const char *restrict s, const char *restrict fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
int fflush(FILE *f);
FILE *fopen(const char *restrict path, const char *restrict mode);
FILE *fdopen(int fd, const char *mode);
FILE *freopen(const char *restrict path, const char *restrict mode, FILE *restrict f);
int fclose(FILE *f);
size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *restrict s, int n, FILE *restrict f);
int ungetc(int c, FILE *f);
ssize_t getline(char **restrict line, size_t *restrict cap, FILE *restrict f);
ssize_t getdelim(char **restrict line, size_t *restrict cap, int delim, FILE *restrict f);
int fseek(FILE *f, long offset, int whence);
int fseeko(FILE *f, off_t offset, int whence);
long ftell(FILE *f);
off_t ftello(FILE *f);
void rewind(FILE *f);
int fgetpos(FILE *restrict f, fpos_t *restrict pos);
int fsetpos(FILE *f, const fpos_t *pos);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
void setbuf(FILE *restrict f, char *restrict buf);
void perror(const char *s);
int remove(const char *path);
int rename(const char *from, const char *to);
FILE *tmpfile(void);
char *tmpnam(char *s);
#endif
