/* diag.c: recording and printing diagnostics. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "util.h"

static bool collect_mode;
static int holding;	 /* depth of diag_hold calls */
static size_t held_from; /* first entry of list that is held, not collected */
static size_t nerrors;
static enum failure first_failure;
static struct diag *list;
static size_t list_len, list_cap;

void diag_set_collect(bool collect)
{
	collect_mode = collect;
}

bool diag_collecting(void)
{
	return collect_mode;
}

bool diag_progress(void)
{
	const char *ci = getenv("CI");
	return isatty(STDERR_FILENO) && !(ci && *ci) && !collect_mode;
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

static void print(const char *file, int line, int col, const char *msg)
{
	if (file)
		fprintf(stderr, "%s:%d:%d: %s\n", file, line, col, msg);
	else
		fprintf(stderr, "mirage: %s\n", msg);
}

static void record(const struct pos *p, const char *kind, char *msg)
{
	if (!collect_mode && !holding) {
		char *full = xasprintf("%s%s", kind, msg);
		print(p ? p->file : NULL, p ? p->line : 0, p ? p->col : 0, full);
		free(full);
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

static void vrecord(const struct pos *p, const char *kind, const char *fmt, va_list ap)
{
	int saved = errno;
	record(p, kind, format_message(fmt, ap, saved));
}

int error_at(const struct pos *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(p, "", fmt, ap);
	va_end(ap);
	nerrors++;
	return -1;
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(NULL, "", fmt, ap);
	va_end(ap);
	nerrors++;
	return -1;
}

char *suggestion(const char *word, const char *const *candidates, size_t n)
{
	if (!n)
		while (candidates[n])
			n++;
	const char *hint = str_suggest(word, candidates, n);
	if (hint)
		return xasprintf("did you mean '%s'?", hint);
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "known: ");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", candidates[i]);
	return strbuf_detach(&sb);
}

int error_suggest(const struct pos *p, const char *path, const char *what, const char *word,
		  const char *const *candidates, size_t n)
{
	char *s = suggestion(word, candidates, n);
	if (path && *path)
		error_at(p, "%s: %s '%s' is unknown (%s)", path, what, word, s);
	else
		error_at(p, "%s '%s' is unknown (%s)", what, word, s);
	free(s);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(NULL, "warning: ", fmt, ap);
	va_end(ap);
}

int failed(enum failure why)
{
	if (first_failure == FAIL_NONE)
		first_failure = why;
	return -1;
}

enum failure diag_failure(void)
{
	return first_failure;
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

void diag_hold(void)
{
	if (!holding++)
		held_from = list_len;
}

static const struct diag *sort_base;

/* By file, line, column; equal positions keep the order they were found in
 * (the indices are compared last, which makes qsort stable). */
static int cmp_index(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct diag *x = &sort_base[i], *y = &sort_base[j];
	if (!x->file != !y->file)
		return x->file ? 1 : -1;
	int c = x->file ? strcmp(x->file, y->file) : 0;
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return i < j ? -1 : i > j;
}

void diag_release_sorted(void)
{
	if (--holding > 0)
		return; /* an outer hold sorts them all */
	size_t n = list_len - held_from;
	if (n == 0)
		return;
	struct diag *held = list + held_from;
	size_t *idx = xmalloc((n ? n : 1) * sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_base = held;
	qsort(idx, n, sizeof(*idx), cmp_index);
	struct diag *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = held[idx[i]];
	memcpy(held, sorted, n * sizeof(*held));
	free(sorted);
	free(idx);
	if (collect_mode)
		return;
	for (size_t i = 0; i < n; i++) {
		print(held[i].file, held[i].line, held[i].col, held[i].message);
		free(held[i].file);
		free(held[i].message);
	}
	list_len = held_from;
}

void diag_discard_held(void)
{
	if (--holding > 0)
		return;
	for (size_t i = held_from; i < list_len; i++) {
		free(list[i].file);
		free(list[i].message);
	}
	nerrors -= nerrors < list_len - held_from ? nerrors : list_len - held_from;
	list_len = held_from;
	if (!list_len)
		first_failure = FAIL_NONE;
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
	first_failure = FAIL_NONE;
}
