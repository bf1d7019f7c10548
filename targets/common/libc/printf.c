/* printf.c: the printf family of mirage's freestanding libc (the variadic
 * entry points are in printf_va.c). stdout and stderr are the console. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mirage_platform.h"
#include "printf.h"

struct mirage_file {
	int unused;
};
static struct mirage_file console_file;
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;

void sink_putc(struct sink *s, char c)
{
	s->total++;
	if (s->console) {
		s->buf[s->pos++] = c;
		if (s->pos == s->cap) {
			plat_console_write(s->buf, s->pos);
			s->pos = 0;
		}
	} else if (s->pos + 1 < s->cap) {
		s->buf[s->pos++] = c;
	}
}

void sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

static void put_str(struct sink *s, const struct spec *sp, const char *str)
{
	if (!str)
		str = "(null)";
	size_t n = sp->precision >= 0 ? strnlen(str, (size_t)sp->precision) : strlen(str);
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		sink_pad(s, ' ', pad);
	for (size_t i = 0; i < n; i++)
		sink_putc(s, str[i]);
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

static int format(struct sink *s, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink_putc(s, *fmt);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = {0, 0, 0, 0, 0, -1, -1, 0};
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
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.width = (sp.width < 0 ? 0 : sp.width * 10) + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.precision = 0;
			if (*fmt == '*') {
				sp.precision = va_arg(args, int);
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					sp.precision = sp.precision * 10 + (*fmt - '0');
			}
		}
		int size = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t/intmax/ptrdiff */
		for (;; fmt++) {
			if (*fmt == 'h')
				size--;
			else if (*fmt == 'l')
				size++;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't')
				size = 3;
			else if (*fmt == 'L')
				size = 2;
			else
				break;
		}
		sp.conv = *fmt;
		switch (*fmt) {
		case 'd':
		case 'i': {
			intmax_t v = size >= 2	 ? (intmax_t)va_arg(args, long long)
				     : size == 1 ? va_arg(args, long)
						 : va_arg(args, int);
			if (size == -1)
				v = (short)v;
			else if (size <= -2)
				v = (signed char)v;
			put_int(s, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			uintmax_t v = size >= 2	  ? va_arg(args, unsigned long long)
				      : size == 1 ? va_arg(args, unsigned long)
						  : va_arg(args, unsigned);
			if (size == -1)
				v = (unsigned short)v;
			else if (size <= -2)
				v = (unsigned char)v;
			put_int(s, &sp, v, 0);
			break;
		}
		case 'p':
			put_int(s, &sp, (uintptr_t)va_arg(args, void *), 0);
			break;
		case 'c': {
			char c = (char)va_arg(args, int);
			if (!sp.left)
				sink_pad(s, ' ', sp.width - 1);
			sink_putc(s, c);
			if (sp.left)
				sink_pad(s, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_str(s, &sp, va_arg(args, const char *));
			break;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
			fmt_fp(s, &sp, &args);
			break;
		case '%':
			sink_putc(s, '%');
			break;
		default:
			/* an unknown conversion (or %n) is printed as written */
			for (const char *p = start; p <= fmt && *p; p++)
				sink_putc(s, *p);
			if (!*fmt)
				fmt--;
			break;
		}
	}
	va_end(args);
	if (s->console && s->pos)
		plat_console_write(s->buf, s->pos);
	else if (!s->console && s->cap)
		s->buf[s->pos] = '\0';
	return s->total > INT32_MAX ? -1 : (int)s->total;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct sink s = {buf, size, 0, 0, 0};
	return format(&s, fmt, ap);
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	(void)f;
	char buf[256];
	struct sink s = {buf, sizeof(buf), 0, 0, 1};
	return format(&s, fmt, ap);
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fputs(const char *restrict str, FILE *restrict f)
{
	(void)f;
	plat_console_write(str, strlen(str));
	return 0;
}

int puts(const char *str)
{
	fputs(str, stdout);
	plat_console_write("\n", 1);
	return 0;
}

int fputc(int c, FILE *f)
{
	(void)f;
	char ch = (char)c;
	plat_console_write(&ch, 1);
	return (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	(void)f;
	if (size && n)
		plat_console_write(p, size * n);
	return n;
}

int fflush(FILE *f)
{
	(void)f;
	return 0;
}
