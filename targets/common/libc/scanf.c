/* scanf.c: the scanf family of mirage's C library, over a string or a
 * stream. A number's field is the longest run of characters that could
 * begin one; it matches when it holds a digit (or is inf or nan), and its
 * value is that of its longest valid prefix, converted by strtol or strtod:
 * "1e+x" reads 1 and leaves "x", "0x" reads 0 for %i and %x, as glibc
 * does. A stream gives back only the one character that ended a field.
 * Built with floating point (libc.yaml: fp). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Where characters come from. */
struct source {
	const unsigned char *s; /* a string, or NULL */
	FILE *f;		/* else a stream */
	size_t count;		/* characters taken, for %n */
	bool eof;		/* the input ended */
};

static int get(struct source *in)
{
	int c;
	if (in->s)
		c = *in->s ? *in->s++ : EOF;
	else
		c = fgetc(in->f);
	if (c == EOF)
		in->eof = true;
	else
		in->count++;
	return c;
}

static void unget(struct source *in, int c)
{
	if (c == EOF)
		return;
	in->count--;
	if (in->s)
		in->s--;
	else
		ungetc(c, in->f);
}

static void skip_space(struct source *in)
{
	int c;
	while ((c = get(in)) != EOF && isspace(c))
		;
	unget(in, c);
}

/* The characters of one field, growing past the local buffer. */
struct field {
	char *p;
	size_t n, cap;
	char local[256];
	bool failed; /* out of memory */
};

static void field_init(struct field *f)
{
	f->p = f->local;
	f->local[0] = '\0';
	f->n = 0;
	f->cap = sizeof(f->local);
	f->failed = false;
}

static void field_add(struct field *f, int c)
{
	if (f->n + 1 >= f->cap) {
		size_t cap = f->cap * 2;
		char *p = f->p == f->local ? malloc(cap) : realloc(f->p, cap);
		if (!p) {
			f->failed = true;
			return;
		}
		if (f->p == f->local)
			memcpy(p, f->local, f->n);
		f->p = p;
		f->cap = cap;
	}
	f->p[f->n++] = (char)c;
	f->p[f->n] = '\0';
}

static void field_free(struct field *f)
{
	if (f->p != f->local)
		free(f->p);
}

/* Reads the longest prefix of an integer in base (0: by its prefix) of at
 * most width characters into f. Returns the base found; *digit tells
 * whether the field holds a digit. */
static int scan_int(struct source *in, size_t width, int base, struct field *f, bool *digit)
{
	int c = get(in);
	*digit = false;
	if ((c == '+' || c == '-') && f->n < width) {
		field_add(f, c);
		c = get(in);
	}
	if (c == '0' && f->n < width && (base == 0 || base == 16)) {
		field_add(f, c);
		*digit = true;
		c = get(in);
		if ((c | 32) == 'x' && f->n < width) {
			field_add(f, c);
			c = get(in);
			base = 16;
		} else if (base == 0) {
			base = 8;
		}
	}
	if (base == 0)
		base = 10;
	for (; c != EOF && f->n < width; c = get(in)) {
		int d = isdigit(c) ? c - '0' : isalpha(c) ? (c | 32) - 'a' + 10 : 99;
		if (d >= base)
			break;
		field_add(f, c);
		*digit = true;
	}
	unget(in, c);
	return base;
}

/* Reads as much of word (lower case) as the input has, at most width
 * characters in all; returns how many of its characters matched. */
static size_t match_word(struct source *in, size_t width, struct field *f, const char *word)
{
	size_t n = 0;
	for (; word[n] && f->n < width; n++) {
		int c = get(in);
		if (c == EOF || tolower(c) != word[n]) {
			unget(in, c);
			break;
		}
		field_add(f, c);
	}
	return n;
}

/* Reads the longest prefix of a floating-point number of at most width
 * characters into f. Returns whether it matches: a digit in its
 * significand, or inf, infinity or nan (not "infin": a word begun must be
 * whole). */
static bool scan_float(struct source *in, size_t width, struct field *f)
{
	int c = get(in);
	if ((c == '+' || c == '-') && f->n < width) {
		field_add(f, c);
		c = get(in);
	}
	if (c != EOF && (tolower(c) == 'i' || tolower(c) == 'n')) {
		unget(in, c);
		if (tolower(c) == 'n')
			return match_word(in, width, f, "nan") == 3;
		if (match_word(in, width, f, "inf") != 3)
			return false;
		size_t more = match_word(in, width, f, "inity");
		return more == 0 || more == 5;
	}
	bool hex = false, digits = false, point = false;
	if (c == '0' && f->n < width) {
		field_add(f, c);
		digits = true;
		c = get(in);
		if ((c | 32) == 'x' && f->n < width) {
			field_add(f, c);
			hex = true;
			digits = false;
			c = get(in);
		}
	}
	for (; c != EOF && f->n < width; c = get(in)) {
		if (c == '.' && !point) {
			point = true;
		} else if (hex ? isxdigit(c) : isdigit(c)) {
			digits = true;
		} else if (digits && (c | 32) == (hex ? 'p' : 'e')) {
			field_add(f, c);
			c = get(in);
			if ((c == '+' || c == '-') && f->n < width) {
				field_add(f, c);
				c = get(in);
			}
			for (; c != EOF && isdigit(c) && f->n < width; c = get(in))
				field_add(f, c);
			break;
		} else {
			break;
		}
		field_add(f, c);
	}
	unget(in, c);
	return digits;
}

/* Whether c is in the scanset that starts after '[' at *fmt; *fmt moves
 * past its ']'. */
static bool in_set(const unsigned char *set, int c)
{
	bool invert = *set == '^';
	if (invert)
		set++;
	bool found = false;
	for (const unsigned char *p = set; *p && (p == set || *p != ']'); p++) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				found = true;
			p += 2;
		} else if (*p == c) {
			found = true;
		}
	}
	return found != invert;
}

static const unsigned char *set_end(const unsigned char *set)
{
	const unsigned char *p = set;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']')
		p++;
	return p;
}

enum size { S_HH = -2, S_H, S_INT, S_L, S_LL, S_MAX };

static void store_int(void *p, enum size size, uintmax_t v)
{
	switch (size) {
	case S_HH:
		*(unsigned char *)p = (unsigned char)v;
		break;
	case S_H:
		*(unsigned short *)p = (unsigned short)v;
		break;
	case S_INT:
		*(unsigned *)p = (unsigned)v;
		break;
	default:
		*(unsigned long *)p = (unsigned long)v;
		break;
	}
}

static int scan(struct source *in, const char *format, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	const unsigned char *fmt = (const unsigned char *)format;
	/* as glibc: the input ending before anything was assigned gives EOF,
	 * even after conversions that were suppressed */
	int assigned = 0;
	for (; *fmt; fmt++) {
		if (isspace(*fmt)) {
			skip_space(in);
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%') {
				fmt++;
				skip_space(in);
			}
			int c = get(in);
			if (c != *fmt) {
				unget(in, c);
				if (c == EOF && assigned == 0)
					assigned = EOF;
				break;
			}
			continue;
		}
		fmt++;
		bool suppress = *fmt == '*';
		if (suppress)
			fmt++;
		size_t width = 0;
		for (; isdigit(*fmt); fmt++)
			width = width < 100000000 ? width * 10 + (size_t)(*fmt - '0') : width;
		enum size size = S_INT;
		bool ldbl = false;
		for (;; fmt++) {
			if (*fmt == 'h')
				size = size == S_H ? S_HH : S_H;
			else if (*fmt == 'l')
				size = size == S_L ? S_LL : S_L;
			else if (*fmt == 'j' || *fmt == 'z' || *fmt == 't')
				size = S_MAX;
			else if (*fmt == 'L' || *fmt == 'q')
				size = S_LL, ldbl = true;
			else
				break;
		}
		int conv = *fmt;
		if (!conv)
			break;
		if (conv == 'n') {
			if (!suppress)
				store_int(va_arg(args, void *), size, in->count);
			continue;
		}
		if (conv != 'c' && conv != '[')
			skip_space(in);
		void *dest = suppress ? NULL : va_arg(args, void *);
		struct field f;
		field_init(&f);
		bool ok = true;
		switch (conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
		case 'p': {
			int base = conv == 'd' || conv == 'u' ? 10
				   : conv == 'i'	      ? 0
				   : conv == 'o'	      ? 8
							      : 16;
			base = scan_int(in, width ? width : SIZE_MAX, base, &f, &ok);
			uintmax_t v = conv == 'd' || conv == 'i'
					  ? (uintmax_t)strtoll(f.p, NULL, base)
					  : strtoull(f.p, NULL, base);
			if (ok && dest)
				conv == 'p' ? (void)(*(void **)dest = (void *)(uintptr_t)v)
					    : store_int(dest, size, v);
			break;
		}
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
		case 'a':
		case 'A': {
			ok = scan_float(in, width ? width : SIZE_MAX, &f);
			if (!ok || !dest)
				break;
			if (ldbl)
				*(long double *)dest = strtod(f.p, NULL);
			else if (size == S_L)
				*(double *)dest = strtod(f.p, NULL);
			else
				*(float *)dest = strtof(f.p, NULL);
			break;
		}
		case 's': {
			int c;
			size_t n = 0;
			while ((!width || n < width) && (c = get(in)) != EOF) {
				if (isspace(c)) {
					unget(in, c);
					break;
				}
				field_add(&f, c);
				n++;
			}
			ok = n > 0;
			goto store_chars;
		}
		case 'c': {
			size_t want = width ? width : 1;
			int c;
			while (f.n < want && (c = get(in)) != EOF)
				field_add(&f, c);
			ok = f.n > 0; /* cut short by the end of input, glibc stores what came */
			goto store_chars;
		}
		case '[': {
			const unsigned char *set = fmt + 1;
			fmt = set_end(set);
			if (!*fmt) {
				ok = false;
				break;
			}
			int c;
			size_t n = 0;
			while ((!width || n < width) && (c = get(in)) != EOF) {
				if (!in_set(set, c)) {
					unget(in, c);
					break;
				}
				field_add(&f, c);
				n++;
			}
			ok = n > 0;
			goto store_chars;
		}
		default:
			ok = false;
			break;
		store_chars:
			if (!ok || !dest)
				break;
			if (size == S_L) { /* wide characters from UTF-8 */
				wchar_t *w = dest;
				mbstate_t st;
				memset(&st, 0, sizeof(st));
				for (size_t i = 0; i < f.n;) {
					size_t k = mbrtowc(w, f.p + i, f.n - i, &st);
					if (k == (size_t)-1 || k == (size_t)-2) {
						ok = false;
						break;
					}
					i += k ? k : 1;
					w++;
				}
				if (ok && conv != 'c')
					*w = 0;
			} else {
				memcpy(dest, f.p, f.n);
				if (conv != 'c')
					((char *)dest)[f.n] = '\0';
			}
			break;
		}
		bool nomem = f.failed;
		field_free(&f);
		if (nomem)
			ok = false;
		if (!ok) {
			if (in->eof && assigned == 0 && f.n == 0)
				assigned = EOF;
			break;
		}
		if (dest)
			assigned++;
	}
	va_end(args);
	return assigned;
}

int vsscanf(const char *restrict s, const char *restrict fmt, va_list ap)
{
	struct source in = {(const unsigned char *)s, NULL, 0, false};
	return scan(&in, fmt, ap);
}

int vfscanf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct source in = {NULL, f, 0, false};
	return scan(&in, fmt, ap);
}

int vscanf(const char *restrict fmt, va_list ap)
{
	return vfscanf(stdin, fmt, ap);
}

int sscanf(const char *restrict s, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}

int fscanf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfscanf(f, fmt, ap);
	va_end(ap);
	return n;
}

int scanf(const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vscanf(fmt, ap);
	va_end(ap);
	return n;
}
