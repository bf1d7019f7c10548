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

/* Why an operation of lib/ failed. lib/ returns -1 and records the category
 * with failed(); only cmd/ turns categories into exit statuses. */
enum failure {
	FAIL_NONE = 0,
	FAIL_ERROR,	  /* anything else: I/O, a broken installation */
	FAIL_USAGE,	  /* a bad option, or an option the target cannot take */
	FAIL_DESCRIPTION, /* the description is invalid, or the target cannot serve it */
	FAIL_BUILD,	  /* the toolchain failed */
	FAIL_FETCH,	  /* an archive of fetch: could not be had */
	FAIL_ATTACH,	  /* run: an attachment is missing, unknown or unusable */
	FAIL_NOTFOUND,	  /* run: a program the target runs with is missing */
	FAIL_NOEXEC,	  /* run: the unikernel or its runner could not be executed */
	FAIL_RUNNER,	  /* run: the monitor or emulator failed before the unikernel
			   * reported a status */
};

struct diag {
	char *file; /* NULL when the message has no position */
	int line, col;
	char *message;
};

/* In text mode (the default) every diagnostic is printed to stderr as it is
 * recorded; in collect mode they are kept for diag_list(). */
void diag_set_collect(bool collect);
/* Whether diagnostics are being collected (--json) rather than printed. */
bool diag_collecting(void);
/* Whether long work shows its progress: on a terminal (stderr), not in CI
 * (CI set) nor in a report (--json). */
bool diag_progress(void);
/* Records "file:line:col: message"; returns -1. A format ending in ':' gets
 * strerror(errno) appended. */
int error_at(const struct pos *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a message with no position; returns -1. Same ':' rule. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For a word that is not among candidates (NULL-terminated when n is 0):
 * "did you mean 'X'?" when one is close enough to be a typo, else "known: A,
 * B, C". Returns a new string. */
char *suggestion(const char *word, const char *const *candidates, size_t n);
/* Records "PATH: WHAT 'WORD' is unknown (SUGGESTION)" at p (NULL: no
 * position; PATH may be NULL). Returns -1. */
int error_suggest(const struct pos *p, const char *path, const char *what, const char *word,
		  const char *const *candidates, size_t n);
/* A warning: printed to stderr in text mode, kept in collect mode. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Between diag_hold() and diag_release_sorted(), text-mode diagnostics are
 * kept and then printed sorted by file, line and column, so that the errors
 * of one file read top to bottom whatever order they were found in. Holds
 * nest: the outermost release sorts and prints. */
void diag_hold(void);
void diag_release_sorted(void);
/* Ends a hold forgetting what it kept (an attempt that has a fallback). */
void diag_discard_held(void);
/* Records the category of the failure being returned; the first one since
 * the last diag_reset stays. Returns -1. */
int failed(enum failure why);
/* The category recorded, FAIL_NONE when none was. */
enum failure diag_failure(void);
/* Number of errors recorded since start (or the last diag_reset). */
size_t diag_count(void);
/* The collected diagnostics (collect mode only). */
const struct diag *diag_list(size_t *n);
void diag_reset(void);

#endif
