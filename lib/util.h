/* util.h: memory, strings, string lists and files shared by the whole tool. */
#ifndef MIRAGE_UTIL_H
#define MIRAGE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A broken invariant of the tool itself: prints where and aborts. */
#define BUG(msg) bug(__FILE__, __LINE__, msg)
_Noreturn void bug(const char *file, int line, const char *msg);

/* Allocation that never returns NULL: out of memory aborts the tool. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* A growable byte buffer, always NUL-terminated. STRBUF_INIT or zeroed. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
#define STRBUF_INIT \
	{           \
		0   \
	}
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the buffer's string (never NULL) and leaves sb empty; caller frees. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

/* A growable list of owned strings, NULL-terminated (items[len] == NULL). */
struct strlist {
	char **items;
	size_t len, cap;
};
#define STRLIST_INIT \
	{            \
		0    \
	}
/* Appends a copy of s. */
void strlist_push(struct strlist *l, const char *s);
/* Appends s itself; the list takes ownership. */
void strlist_push_owned(struct strlist *l, char *s);
void strlist_pushf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a copy of every string of src. */
void strlist_add_all(struct strlist *l, const struct strlist *src);
bool strlist_has(const struct strlist *l, const char *s);
void strlist_sort(struct strlist *l);
void strlist_release(struct strlist *l);

bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
/* [a-z][a-z0-9_]* (and '-' where dash), at most max characters: the names
 * of devices, arguments, targets and implementations. */
bool str_is_name(const char *s, bool dash, size_t max);
/* A C identifier: [A-Za-z_][A-Za-z0-9_]*. */
bool str_is_identifier(const char *s);
/* Edit distance, capped: returns at most cap + 1. */
size_t str_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to word when close enough to be a likely typo, or NULL. */
const char *str_suggest(const char *word, const char *const *candidates, size_t n);

/* Reads a whole file; returns a new NUL-terminated buffer (length in *len when
 * len is not NULL) or NULL with errno set. */
char *file_read(const char *path, size_t *len);
/* Writes data to path atomically (temporary file + rename) unless the file
 * already has exactly that content, which keeps its timestamp. Returns 1 when
 * written, 0 when unchanged, -1 on error (recorded). */
int file_write_if_changed(const char *path, const void *data, size_t len);
/* Writes data to path atomically. Returns 0 or -1 (recorded). */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* Creates a directory and its parents. Returns 0 or -1 (recorded). */
int mkdir_p(const char *path);
/* Removes a file tree; a missing path is not an error. Returns 0 or -1. */
int remove_tree(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);
/* Modification time in nanoseconds, or -1 when the file is missing. */
int64_t file_mtime_ns(const char *path);

/* Takes an exclusive lock on the file at path (created when missing),
 * waiting for it after saying so on stderr when another process holds it
 * ("waiting for another mirage using WHAT"). Returns the descriptor that
 * holds it (closing it releases the lock), or -1 (recorded). */
int lock_file(const char *path, const char *what);

/* Returns a new string: dir/name, or name alone when it is absolute or dir is
 * empty or ".". */
char *path_join(const char *dir, const char *name);
/* Returns a new string: the directory part of path ("." when none). */
char *path_dirname(const char *path);
/* An absolute path with ".", ".." and repeated slashes resolved lexically
 * ("/a/b/../c/" -> "/a/c"). Returns a new string. */
char *path_normalize(const char *abs);
/* Whether path is dir or lies below it (both absolute and normalised). */
bool path_under(const char *path, const char *dir);
/* Returns a pointer into path at its last component. */
const char *path_basename(const char *path);

#endif
