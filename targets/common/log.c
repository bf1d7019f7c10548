/* log.c: mirage_log. Variadic, so built without -mgeneral-regs-only on the
 * freestanding targets (runtime_fp): its doubles arrive in FP registers. */
#include <stdarg.h>
#include <stdio.h>

#include "mirage_platform.h"

void mirage_log(const char *fmt, ...)
{
	char buf[1024];
	uint64_t t = plat_clock_monotonic();
	int n = snprintf(buf, sizeof(buf), "[%5llu.%06llu] ", (unsigned long long)(t / 1000000000),
			 (unsigned long long)(t % 1000000000 / 1000));
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';
	plat_console_write(buf, len);
}
