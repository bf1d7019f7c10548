/* tls_image.c: the thread-local storage of the kernels whose linker script
 * delimits the TLS image (virtio, xen): set up once the heap is (the block
 * comes from it), the thread pointer set for the architecture. */
#include <stdint.h>

#include "mirage_cpu.h"
#include "mirage_rt.h"

extern char __tls_start[], __tdata_end[], __tbss_end[], __tls_align[];

void mirage_tls_from_image(void)
{
	size_t memsz = (size_t)(__tbss_end - __tls_start);
	if (memsz)
		cpu_set_tp(mirage_tls_init(__tls_start, (size_t)(__tdata_end - __tls_start), memsz,
					   (size_t)(uintptr_t)__tls_align));
}
