/* malloc.c: the allocator of mirage's freestanding libc. Chunks carry their
 * size in a header and, when free, a footer, so that neighbours coalesce in
 * constant time; free chunks sit on one list, searched first-fit; fresh
 * memory is cut from the top of the heap. 16-byte alignment. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mirage_api.h"

#define ALIGN	  16
#define HDR	  16 /* header: size and flags, then the previous chunk's size */
#define MIN_CHUNK 48 /* header and two list pointers, rounded */
#define USED	  1
#define PREV_FREE 2
#define FLAGS	  (USED | PREV_FREE)

struct chunk {
	size_t size;		   /* whole chunk, flags in the low bits */
	size_t prev_size;	   /* valid when PREV_FREE */
	struct chunk *next, *prev; /* on the free list, when free */
};

static char *heap_lo, *top, *heap_hi; /* [heap_lo, top) holds chunks */
static struct chunk *free_list;

void __mirage_heap_init(void *start, size_t len);

void __mirage_heap_init(void *start, size_t len)
{
	uintptr_t lo = ((uintptr_t)start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uintptr_t hi = ((uintptr_t)start + len) & ~(uintptr_t)(ALIGN - 1);
	heap_lo = top = (char *)lo;
	heap_hi = (char *)(hi > lo ? hi : lo);
	free_list = NULL;
}

static size_t csize(const struct chunk *c)
{
	return c->size & ~(size_t)FLAGS;
}

static struct chunk *next_chunk(struct chunk *c)
{
	return (struct chunk *)((char *)c + csize(c));
}

static void unlink_free(struct chunk *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		free_list = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* Marks c (of size n) free, with its footer, and puts it on the list. */
static void make_free(struct chunk *c, size_t n)
{
	c->size = n | (c->size & PREV_FREE);
	c->next = free_list;
	c->prev = NULL;
	if (free_list)
		free_list->prev = c;
	free_list = c;
	struct chunk *after = next_chunk(c);
	if ((char *)after < top) {
		after->prev_size = n;
		after->size |= PREV_FREE;
	}
}

static size_t request(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return need < MIN_CHUNK ? MIN_CHUNK : need;
}

/* Cuts a used chunk of need bytes from c (free, off the list), returning the
 * rest to the list when it is big enough. */
static void carve(struct chunk *c, size_t need)
{
	size_t have = csize(c);
	struct chunk *after = next_chunk(c);
	if (have - need >= MIN_CHUNK) {
		c->size = need | USED | (c->size & PREV_FREE);
		struct chunk *rest = next_chunk(c);
		rest->size = 0;
		make_free(rest, have - need);
	} else {
		c->size = have | USED | (c->size & PREV_FREE);
		if ((char *)after < top)
			after->size &= ~(size_t)PREV_FREE;
	}
}

void *malloc(size_t n)
{
	size_t need = request(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	for (struct chunk *c = free_list; c; c = c->next) {
		if (csize(c) >= need) {
			unlink_free(c);
			carve(c, need);
			return (char *)c + HDR;
		}
	}
	if ((size_t)(heap_hi - top) < need) {
		errno = ENOMEM;
		return NULL;
	}
	/* the chunk below the top is never free (free gives a chunk next to the
	 * top back to it), so a chunk cut from the top has no PREV_FREE */
	struct chunk *c = (struct chunk *)top;
	top += need;
	c->size = need | USED;
	return (char *)c + HDR;
}

void free(void *p)
{
	if (!p)
		return;
	struct chunk *c = (struct chunk *)((char *)p - HDR);
	if ((char *)c < heap_lo || (char *)c >= top || !(c->size & USED))
		mirage_abort("free: not an allocated pointer (double free or corruption)");
	size_t n = csize(c);
	struct chunk *after = next_chunk(c);
	if ((char *)after < top && !(after->size & USED)) {
		unlink_free(after);
		n += csize(after);
	}
	if (c->size & PREV_FREE) {
		struct chunk *before = (struct chunk *)((char *)c - c->prev_size);
		unlink_free(before);
		n += csize(before);
		c = before;
	}
	if ((char *)c + n == top) {
		/* give it back to the top */
		top = (char *)c;
		return;
	}
	c->size &= PREV_FREE;
	make_free(c, n);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	struct chunk *c = (struct chunk *)((char *)p - HDR);
	size_t need = request(n), have = csize(c);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	if (need <= have)
		return p;
	/* grow in place at the top of the heap */
	if ((char *)c + have == top && (size_t)(heap_hi - (char *)c) >= need) {
		top = (char *)c + need;
		c->size = need | USED | (c->size & PREV_FREE);
		return p;
	}
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have - HDR);
		free(p);
	}
	return q;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (align <= ALIGN)
		return malloc(n);
	if (align & (align - 1) || align > 4096) {
		errno = EINVAL;
		return NULL;
	}
	/* take more, then give the unaligned front back as a free chunk */
	char *p = malloc(n + align + MIN_CHUNK);
	if (!p)
		return NULL;
	uintptr_t want = ((uintptr_t)p + MIN_CHUNK + align - 1) & ~(uintptr_t)(align - 1);
	struct chunk *c = (struct chunk *)(p - HDR);
	size_t front = want - (uintptr_t)p;
	struct chunk *aligned = (struct chunk *)((char *)c + front);
	aligned->size = (csize(c) - front) | USED;
	c->size = front | USED | (c->size & PREV_FREE);
	free((char *)c + HDR);
	return (void *)want;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	int saved = errno;
	void *p = aligned_alloc(align, n);
	int err = errno;
	errno = saved;
	if (!p)
		return err == EINVAL ? EINVAL : ENOMEM;
	*out = p;
	return 0;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}
