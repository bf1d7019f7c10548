/* cpu.h: the memory barrier and the spin-wait hint the virtqueue code needs,
 * for each architecture of the virtio target. */
#ifndef VIRTIO_CPU_H
#define VIRTIO_CPU_H

/* Orders memory accesses to shared rings against the device. */
static inline void barrier(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("dmb ish" : : : "memory");
#else
	__asm__ __volatile__("" : : : "memory"); /* x86: stores are not reordered */
#endif
}

/* Tells the CPU it is spinning. */
static inline void cpu_relax(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("yield" : : : "memory");
#else
	__asm__ __volatile__("pause" : : : "memory");
#endif
}

#endif
