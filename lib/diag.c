/* diag.c: recording and printing diagnostics. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool collect_mode;
static size_t nerrors;
static struct diag *list;
static size_t list_len, list_cap;

void diag_set_collect(bool collect)
{
	collect_mode = collect;
}

static char *format_message(const char *fmt, va_list ap, int saved_errno)
{
	char *msg = xvasprintf(fmt, ap);
	size_t n = strlen(msg);
	if (n && msg[n - 1] == ':') {
		char *full = xasprintf("%s %s", msg, strerror(saved_errno));
		free(msg);
		msg = full;
	}
	return msg;
}

static void record(const struct pos *p, const char *kind, char *msg)
{
	if (!collect_mode) {
		if (p && p->file)
			fprintf(stderr, "%s:%d:%d: %s%s\n", p->file, p->line, p->col, kind, msg);
		else
			fprintf(stderr, "mirage: %s%s\n", kind, msg);
		free(msg);
		return;
	}
	if (list_len == list_cap) {
		list_cap = list_cap ? 2 * list_cap : 8;
		list = xrealloc(list, list_cap * sizeof(*list));
	}
	struct diag *d = &list[list_len++];
	d->file = p && p->file ? xstrdup(p->file) : NULL;
	d->line = p ? p->line : 0;
	d->col = p ? p->col : 0;
	if (*kind) {
		d->message = xasprintf("%s%s", kind, msg);
		free(msg);
	} else {
		d->message = msg;
	}
}

int error_at(const struct pos *p, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap, saved);
	va_end(ap);
	nerrors++;
	record(p, "", msg);
	return -1;
}

int error(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap, saved);
	va_end(ap);
	nerrors++;
	record(NULL, "", msg);
	return -1;
}

void warning(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap, saved);
	va_end(ap);
	record(NULL, "warning: ", msg);
}

size_t diag_count(void)
{
	return nerrors;
}

const struct diag *diag_list(size_t *n)
{
	*n = list_len;
	return list;
}

void diag_reset(void)
{
	for (size_t i = 0; i < list_len; i++) {
		free(list[i].file);
		free(list[i].message);
	}
	free(list);
	list = NULL;
	list_len = list_cap = 0;
	nerrors = 0;
}
