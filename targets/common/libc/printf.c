/* printf.c: the printf family of mirage's C library (the variadic entry
 * points are in printf_va.c, the floating-point conversions in
 * printf_fp.c). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "libc.h"
#include "printf.h"

static void flush(struct sink *s)
{
	if (s->pos && write(s->fd, s->buf, s->pos) != (ssize_t)s->pos)
		s->failed = true;
	s->pos = 0;
}

void sink_putc(struct sink *s, char c)
{
	s->total++;
	if (s->fd >= 0) {
		s->buf[s->pos++] = c;
		if (s->pos == s->cap)
			flush(s);
	} else if (s->grow) {
		if (s->failed)
			return;
		if (s->pos + 1 >= s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			char *p = realloc(s->buf, cap);
			if (!p) {
				s->failed = true;
				return;
			}
			s->buf = p;
			s->cap = cap;
		}
		s->buf[s->pos++] = c;
	} else if (s->pos + 1 < s->cap) {
		s->buf[s->pos++] = c;
	}
}

void sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

static void put_bytes(struct sink *s, const struct spec *sp, const char *str, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		sink_pad(s, ' ', pad);
	for (size_t i = 0; i < n; i++)
		sink_putc(s, str[i]);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

static void put_str(struct sink *s, const struct spec *sp, const char *str)
{
	if (!str)
		str = "(null)";
	put_bytes(s, sp, str,
		  sp->precision >= 0 ? strnlen(str, (size_t)sp->precision) : strlen(str));
}

/* %ls: wide characters as UTF-8, whole characters within the precision. */
static void put_wstr(struct sink *s, const struct spec *sp, const wchar_t *ws)
{
	if (!ws) {
		put_str(s, sp, "(null)");
		return;
	}
	size_t n = 0;
	char mb[4];
	for (const wchar_t *w = ws; *w; w++) {
		size_t k = wcrtomb(mb, *w, NULL);
		if (k == (size_t)-1) {
			s->failed = true;
			return;
		}
		if (sp->precision >= 0 && n + k > (size_t)sp->precision)
			break;
		n += k;
	}
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		sink_pad(s, ' ', pad);
	for (size_t done = 0; done < n; ws++) {
		size_t k = wcrtomb(mb, *ws, NULL);
		for (size_t i = 0; i < k; i++)
			sink_putc(s, mb[i]);
		done += k;
	}
	if (sp->left)
		sink_pad(s, ' ', pad);
}

static void put_int(struct sink *s, const struct spec *sp, uintmax_t v, int negative)
{
	char digits[64];
	int n = 0;
	unsigned base = 10;
	const char *set = "0123456789abcdef";
	switch (sp->conv) {
	case 'o':
		base = 8;
		break;
	case 'x':
	case 'p':
		base = 16;
		break;
	case 'X':
		base = 16;
		set = "0123456789ABCDEF";
		break;
	}
	while (v) {
		digits[n++] = set[v % base];
		v /= base;
	}
	int prec = sp->precision >= 0 ? sp->precision : 1;
	int zeros = prec > n ? prec - n : 0;
	if (sp->alt && base == 8 && zeros == 0 && (n == 0 || digits[n - 1] != '0'))
		zeros = 1;
	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if (sp->plus && (sp->conv == 'd' || sp->conv == 'i'))
		prefix = "+";
	else if (sp->space && (sp->conv == 'd' || sp->conv == 'i'))
		prefix = " ";
	else if ((sp->alt && base == 16 && n) || sp->conv == 'p')
		prefix = sp->conv == 'X' ? "0X" : "0x";
	int len = (int)strlen(prefix) + zeros + n;
	int pad = sp->width > len ? sp->width - len : 0;
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		sink_pad(s, ' ', pad);
	for (const char *p = prefix; *p; p++)
		sink_putc(s, *p);
	sink_pad(s, '0', zeros);
	while (n)
		sink_putc(s, digits[--n]);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

/* Length modifiers: hh h (none) l ll j z t L. */
enum size { S_HH = -2, S_H, S_INT, S_L, S_LL, S_MAX };

int __libc_format(struct sink *s, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink_putc(s, *fmt);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = {0, 0, 0, 0, 0, -1, -1, 0, false};
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '+')
				sp.plus = 1;
			else if (*fmt == ' ')
				sp.space = 1;
			else if (*fmt == '#')
				sp.alt = 1;
			else if (*fmt == '0')
				sp.zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(args, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = sp.width == INT32_MIN ? INT32_MAX : -sp.width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				if (sp.width < 100000000)
					sp.width =
					    (sp.width < 0 ? 0 : sp.width * 10) + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.precision = 0;
			if (*fmt == '*') {
				sp.precision = va_arg(args, int);
				if (sp.precision < 0)
					sp.precision = -1; /* as if none */
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					if (sp.precision < 100000000)
						sp.precision = sp.precision * 10 + (*fmt - '0');
			}
		}
		enum size size = S_INT;
		for (;; fmt++) {
			if (*fmt == 'h')
				size = size == S_H ? S_HH : S_H;
			else if (*fmt == 'l')
				size = size == S_L ? S_LL : S_L;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't')
				size = S_MAX;
			else if (*fmt == 'L' || *fmt == 'q')
				size = S_LL, sp.long_double = true;
			else
				break;
		}
		sp.conv = *fmt;
		switch (*fmt) {
		case 'd':
		case 'i': {
			intmax_t v = size >= S_LL  ? (intmax_t)va_arg(args, long long)
				     : size == S_L ? va_arg(args, long)
						   : va_arg(args, int);
			if (size == S_H)
				v = (short)v;
			else if (size == S_HH)
				v = (signed char)v;
			put_int(s, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			uintmax_t v = size >= S_LL  ? va_arg(args, unsigned long long)
				      : size == S_L ? va_arg(args, unsigned long)
						    : va_arg(args, unsigned);
			if (size == S_H)
				v = (unsigned short)v;
			else if (size == S_HH)
				v = (unsigned char)v;
			put_int(s, &sp, v, 0);
			break;
		}
		case 'p': {
			void *p = va_arg(args, void *);
			if (p) {
				put_int(s, &sp, (uintptr_t)p, 0);
			} else {
				sp.precision = -1;
				put_str(s, &sp, "(nil)");
			}
			break;
		}
		case 'c':
			if (size == S_L) {
				wchar_t w[2] = {(wchar_t)va_arg(args, wint_t), 0};
				sp.precision = -1;
				put_wstr(s, &sp, w);
			} else {
				char c = (char)va_arg(args, int);
				put_bytes(s, &sp, &c, 1);
			}
			break;
		case 's':
			if (size == S_L)
				put_wstr(s, &sp, va_arg(args, const wchar_t *));
			else
				put_str(s, &sp, va_arg(args, const char *));
			break;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			fmt_fp(s, &sp, &args);
			break;
		case 'n': {
			void *p = va_arg(args, void *);
			if (size == S_HH)
				*(signed char *)p = (signed char)s->total;
			else if (size == S_H)
				*(short *)p = (short)s->total;
			else if (size == S_L || size == S_LL || size == S_MAX)
				*(long *)p = (long)s->total;
			else
				*(int *)p = (int)s->total;
			break;
		}
		case '%':
			sink_putc(s, '%');
			break;
		default:
			/* an unknown conversion is printed as written */
			for (const char *p = start; p <= fmt && *p; p++)
				sink_putc(s, *p);
			if (!*fmt)
				fmt--;
			break;
		}
	}
	va_end(args);
	if (s->fd >= 0)
		flush(s);
	else if (s->cap && s->pos < s->cap)
		s->buf[s->pos] = '\0';
	if (s->failed)
		return -1;
	if (s->total > INT32_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)s->total;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct sink s = {buf, size, 0, 0, -1, false, false};
	return __libc_format(&s, fmt, ap);
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int vasprintf(char **restrict out, const char *restrict fmt, va_list ap)
{
	struct sink s = {NULL, 0, 0, 0, -1, true, false};
	int n = __libc_format(&s, fmt, ap);
	if (n < 0 || !s.buf) {
		free(s.buf);
		*out = NULL;
		if (n >= 0) /* nothing was produced: an empty string */
			return (*out = strdup("")) ? 0 : -1;
		return -1;
	}
	*out = s.buf;
	return n;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char buf[256];
	struct sink s = {buf, sizeof(buf), 0, 0, fd, false, false};
	return __libc_format(&s, fmt, ap);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	int fd = __libc_file_writable(f);
	if (fd < 0)
		return -1;
	int n = vdprintf(fd, fmt, ap);
	if (n < 0)
		__libc_file_failed(f);
	return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}
