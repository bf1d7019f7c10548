/* stdio.c: the streams of mirage's C library, over its descriptors
 * (file.c): stdin reads end of file, stdout and stderr write to the console
 * at once (nothing is buffered, so nothing is lost when the unikernel ends
 * or faults), and fopen() reads the files of kv_ro devices. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"

#define F_READ	1
#define F_WRITE 2
#define F_EOF	4
#define F_ERR	8

struct mirage_file {
	int fd;
	int flags;
	int ungot; /* a character pushed back by ungetc, or EOF */
};

static struct mirage_file std[3] = {
    {STDIN_FILENO, F_READ, EOF}, {STDOUT_FILENO, F_WRITE, EOF}, {STDERR_FILENO, F_WRITE, EOF}};
FILE *const stdin = &std[0];
FILE *const stdout = &std[1];
FILE *const stderr = &std[2];

int __libc_file_writable(FILE *f)
{
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	return f->fd;
}

void __libc_file_failed(FILE *f)
{
	f->flags |= F_ERR;
}

/* The flags of a mode ("r", "rb", "w+", ...); -1 for a mode that is none. */
static int mode_flags(const char *mode, int *oflags)
{
	int f;
	switch (*mode) {
	case 'r':
		f = F_READ, *oflags = O_RDONLY;
		break;
	case 'w':
		f = F_WRITE, *oflags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		f = F_WRITE, *oflags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (strchr(mode, '+')) {
		f = F_READ | F_WRITE;
		*oflags = (*oflags & ~O_ACCMODE) | O_RDWR;
	}
	return f;
}

FILE *fdopen(int fd, const char *mode)
{
	int oflags;
	int flags = mode_flags(mode, &oflags);
	if (flags < 0)
		return NULL;
	int have = fcntl(fd, F_GETFL);
	if (have < 0)
		return NULL;
	if ((flags & F_WRITE) && (have & O_ACCMODE) == O_RDONLY) {
		errno = EINVAL;
		return NULL;
	}
	FILE *f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	*f = (struct mirage_file){fd, flags, EOF};
	return f;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
	int oflags;
	if (mode_flags(mode, &oflags) < 0)
		return NULL;
	int fd = open(path, oflags);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

FILE *freopen(const char *restrict path, const char *restrict mode, FILE *restrict f)
{
	int oflags, flags = mode_flags(mode, &oflags);
	if (flags < 0)
		return NULL;
	if (!path) { /* the same file, another mode: only reading is possible */
		if (flags & F_WRITE && !(f->flags & F_WRITE)) {
			errno = EBADF;
			return NULL;
		}
		f->flags = flags;
		f->ungot = EOF;
		return f;
	}
	int fd = open(path, oflags);
	if (fd < 0)
		return NULL;
	if (f->fd > 2)
		close(f->fd);
	*f = (struct mirage_file){fd, flags, EOF};
	return f;
}

int fclose(FILE *f)
{
	if (f == stdin || f == stdout || f == stderr)
		return 0; /* the console stays */
	int rc = close(f->fd);
	free(f);
	return rc < 0 ? EOF : 0;
}

int fflush(FILE *f)
{
	(void)f; /* nothing is buffered */
	return 0;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	(void)f, (void)buf, (void)size;
	return mode == _IOFBF || mode == _IOLBF || mode == _IONBF ? 0 : -1;
}

void setbuf(FILE *restrict f, char *restrict buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int fileno(FILE *f)
{
	return f->fd;
}

int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & F_ERR) != 0;
}

void clearerr(FILE *f)
{
	f->flags &= ~(F_EOF | F_ERR);
}

/* --- reading --- */

size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return 0;
	}
	if (size == 0 || n == 0)
		return 0;
	size_t want = size * n, got = 0;
	if (want / size != n) {
		f->flags |= F_ERR;
		errno = EOVERFLOW;
		return 0;
	}
	unsigned char *out = p;
	if (f->ungot != EOF) {
		out[got++] = (unsigned char)f->ungot;
		f->ungot = EOF;
	}
	while (got < want) {
		ssize_t r = read(f->fd, out + got, want - got);
		if (r < 0) {
			f->flags |= F_ERR;
			break;
		}
		if (r == 0) {
			f->flags |= F_EOF;
			break;
		}
		got += (size_t)r;
	}
	return got / size;
}

int fgetc(FILE *f)
{
	unsigned char c;
	return fread(&c, 1, 1, f) == 1 ? c : EOF;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF || f->ungot != EOF)
		return EOF;
	f->ungot = (unsigned char)c;
	f->flags &= ~F_EOF;
	return (unsigned char)c;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
	if (n <= 0)
		return NULL;
	int i = 0;
	while (i < n - 1) {
		int c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0 && (n > 1 || ferror(f)))
		return NULL;
	s[i] = '\0';
	return s;
}

ssize_t getdelim(char **restrict line, size_t *restrict cap, int delim, FILE *restrict f)
{
	if (!line || !cap) {
		errno = EINVAL;
		return -1;
	}
	size_t len = 0;
	for (;;) {
		int c = fgetc(f);
		if (c == EOF && len == 0)
			return -1;
		if (len + 2 > *cap || !*line) {
			size_t n = *cap < 64 ? 128 : *cap * 2;
			char *p = realloc(*line, n);
			if (!p) {
				f->flags |= F_ERR;
				return -1;
			}
			*line = p;
			*cap = n;
		}
		if (c == EOF)
			break;
		(*line)[len++] = (char)c;
		if (c == delim)
			break;
	}
	(*line)[len] = '\0';
	return (ssize_t)len;
}

ssize_t getline(char **restrict line, size_t *restrict cap, FILE *restrict f)
{
	return getdelim(line, cap, '\n', f);
}

/* --- positions --- */

int fseeko(FILE *f, off_t offset, int whence)
{
	if (whence == SEEK_CUR && f->ungot != EOF)
		offset--;
	if (lseek(f->fd, offset, whence) < 0)
		return -1; /* the console cannot move: ESPIPE, as a pipe */
	f->ungot = EOF;
	f->flags &= ~F_EOF;
	return 0;
}

int fseek(FILE *f, long offset, int whence)
{
	return fseeko(f, offset, whence);
}

off_t ftello(FILE *f)
{
	off_t pos = lseek(f->fd, 0, SEEK_CUR);
	if (pos < 0)
		return -1;
	return f->ungot != EOF && pos > 0 ? pos - 1 : pos;
}

long ftell(FILE *f)
{
	return ftello(f);
}

void rewind(FILE *f)
{
	fseeko(f, 0, SEEK_SET);
	f->flags &= ~F_ERR;
}

int fgetpos(FILE *restrict f, fpos_t *restrict pos)
{
	off_t p = ftello(f);
	if (p < 0)
		return -1;
	*pos = p;
	return 0;
}

int fsetpos(FILE *f, const fpos_t *pos)
{
	return fseeko(f, *pos, SEEK_SET);
}

/* --- writing --- */

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	int fd = __libc_file_writable(f);
	if (fd < 0 || size == 0 || n == 0)
		return 0;
	if (write(fd, p, size * n) < 0) {
		f->flags |= F_ERR;
		return 0;
	}
	return n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	size_t n = strlen(s);
	return n == 0 || fwrite(s, n, 1, f) == 1 ? 0 : EOF;
}

int puts(const char *s)
{
	/* one write: the line is not split from its newline */
	size_t n = strlen(s);
	char buf[256];
	if (n < sizeof(buf)) {
		memcpy(buf, s, n);
		buf[n] = '\n';
		return fwrite(buf, n + 1, 1, stdout) == 1 ? 0 : EOF;
	}
	return fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF ? EOF : 0;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;
	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

void perror(const char *s)
{
	int err = errno;
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strerror(err));
	else
		fprintf(stderr, "%s\n", strerror(err));
}

/* --- the file system is read-only --- */

int remove(const char *path)
{
	return unlink(path);
}

int rename(const char *from, const char *to)
{
	(void)to;
	return unlink(from);
}

FILE *tmpfile(void)
{
	errno = EROFS;
	return NULL;
}

char *tmpnam(char *s)
{
	(void)s;
	errno = EROFS;
	return NULL;
}
