/* mirage_cpu.h: the memory barrier and the spin-wait hint shared rings need,
 * and the thread pointer, for each architecture of the freestanding targets
 * (virtio, xen). */
#ifndef MIRAGE_CPU_H
#define MIRAGE_CPU_H

#include <stdint.h>

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

/* Sets the thread pointer (x86_64: the FS base MSR; aarch64: TPIDR_EL0). */
static inline void cpu_set_tp(uint64_t tp)
{
#if defined(__aarch64__)
	__asm__ __volatile__("msr tpidr_el0, %0" : : "r"(tp) : "memory");
#else
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(0xc0000100u), "a"((uint32_t)tp), "d"((uint32_t)(tp >> 32))
			     : "memory");
#endif
}

#endif
