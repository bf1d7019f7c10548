/*
 * mirage_tls.h: the thread-local storage of a unikernel's one thread
 * (C11's _Thread_local, gcc's __thread), laid out as the architecture's ABI
 * wants for the local-exec model of a static executable. Shared by the
 * runtime (common/tls.c: unix, virtio) and the hvt monitor, which sets the
 * block up before the guest starts.
 *
 *   x86_64 (variant II): the TLS image, then a control block whose first
 *   word points to itself; the thread pointer (%fs base) is that block's
 *   address, the image just below it.
 *   aarch64 (variant I): a 16-byte control block, then the image; the thread
 *   pointer (TPIDR_EL0) is the block's address.
 */
#ifndef MIRAGE_TLS_H
#define MIRAGE_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* x86_64's control block is large enough for the words compilers read at
 * fixed offsets (the stack protector's canary at %fs:0x28). */
#define MIRAGE_TLS_TCB_X86_64  64
#define MIRAGE_TLS_TCB_AARCH64 16
/* whether the architecture compiled for is x86_64 */
#if defined(__x86_64__)
#define MIRAGE_TLS_X86 1
#else
#define MIRAGE_TLS_X86 0
#endif

struct mirage_tls_layout {
	size_t size;  /* bytes of the block */
	size_t align; /* its alignment */
	size_t image; /* where the TLS image starts in it */
	size_t tp;    /* where the thread pointer points in it */
};

static inline size_t mirage_tls_round(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* The layout for a TLS segment of memsz bytes aligned to align (a power of
 * two), on x86_64 (x86 true) or aarch64. */
static inline void mirage_tls_layout(int x86, size_t memsz, size_t align,
				     struct mirage_tls_layout *l)
{
	l->align = align < 16 ? 16 : align;
	if (x86) {
		/* the linker places variables at tp - memsz rounded to the
		 * segment's own alignment: the image ends exactly there */
		size_t data = mirage_tls_round(memsz, align);
		l->tp = mirage_tls_round(data, l->align);
		l->image = l->tp - data;
		l->size = l->tp + MIRAGE_TLS_TCB_X86_64;
	} else {
		l->tp = 0;
		l->image = mirage_tls_round(MIRAGE_TLS_TCB_AARCH64, l->align);
		l->size = l->image + mirage_tls_round(memsz, 16);
	}
}

/* Fills block (l->size bytes, aligned to l->align, at guest address base)
 * from the image's filesz initialised bytes; the rest is zero. Returns the
 * thread pointer's value. */
static inline uint64_t mirage_tls_fill(int x86, const struct mirage_tls_layout *l, uint8_t *block,
				       uint64_t base, const void *image, size_t filesz)
{
	memset(block, 0, l->size);
	memcpy(block + l->image, image, filesz);
	uint64_t tp = base + l->tp;
	if (x86)
		memcpy(block + l->tp, &tp, sizeof(tp)); /* %fs:0 is the block itself */
	return tp;
}

#endif
