/* tls.c: the thread-local storage of the unikernel's one thread, for the
 * platforms that set it up themselves (unix, virtio; the hvt monitor does it
 * for its guests): a block from the heap laid out by mirage_tls.h. */
#include <stdlib.h>

#include "mirage_rt.h"
#include "mirage_tls.h"

uint64_t mirage_tls_init(const void *image, size_t filesz, size_t memsz, size_t align)
{
	struct mirage_tls_layout l;
	mirage_tls_layout(MIRAGE_TLS_X86, memsz, align, &l);
	uint8_t *block = aligned_alloc(l.align, mirage_tls_round(l.size, l.align));
	if (!block)
		mirage_abort("no memory for the thread-local storage");
	return mirage_tls_fill(MIRAGE_TLS_X86, &l, block, (uintptr_t)block, image, filesz);
}
