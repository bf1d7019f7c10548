/* diag.h: diagnostics. lib/ records errors here and returns -1; cmd/ decides
 * whether they are printed at once (text) or reported at the end (--json). */
#ifndef MIRAGE_DIAG_H
#define MIRAGE_DIAG_H

#include <stdbool.h>
#include <stddef.h>

/* A position in a user's file; line and col count from 1. A NULL file means
 * "no position". */
struct pos {
	const char *file;
	int line, col;
};

struct diag {
	char *file; /* NULL when the message has no position */
	int line, col;
	char *message;
};

/* In text mode (the default) every diagnostic is printed to stderr as it is
 * recorded; in collect mode they are kept for diag_list(). */
void diag_set_collect(bool collect);
/* Records "file:line:col: message"; returns -1. A format ending in ':' gets
 * strerror(errno) appended. */
int error_at(const struct pos *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a message with no position; returns -1. Same ':' rule. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning: printed to stderr in text mode, kept in collect mode. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Between diag_hold() and diag_release_sorted(), text-mode diagnostics are
 * kept and then printed sorted by file, line and column, so that the errors
 * of one file read top to bottom whatever order they were found in. */
void diag_hold(void);
void diag_release_sorted(void);
/* Number of errors recorded since start (or the last diag_reset). */
size_t diag_count(void);
/* The collected diagnostics (collect mode only). */
const struct diag *diag_list(size_t *n);
void diag_reset(void);

#endif
