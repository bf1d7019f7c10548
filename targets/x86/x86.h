/* x86.h: what the x86_64 kernels of the virtio and xen targets share: port
 * I/O and other instructions, the boot (boot.S, bootinfo.c), the traps
 * (traps.c) and the PC devices both use (pc.c). */
#ifndef MIRAGE_X86_H_RUNTIME
#define MIRAGE_X86_H_RUNTIME

#include <stddef.h>
#include <stdint.h>

#include "mirage_cpu.h"

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

/* --- the boot --- */

/* The target's C entry, called by boot.S in long mode: protocol 1 is
 * multiboot (info: the multiboot information), 2 is PVH (the start info). */
_Noreturn void x86_start(uint32_t protocol, uint32_t info);

/* Reads the boot information: the memory map becomes the heap (above the
 * kernel, below 4 GiB), the command line the arguments. Returns argc; argv
 * holds at most max arguments and a NULL. */
int x86_boot_args(uint32_t protocol, uint32_t info, char **argv, int max);

/* --- traps.c --- */

/* Reports faults instead of hanging, from the start: the IDT, a TSS with a
 * stack of its own, page 0 and the boot stack's guard page unmapped. */
void x86_traps_init(void);
/* An interrupt gate for vector, taken on the stack in use (interrupts are
 * let in at an idle wait's halt only). */
void x86_irq_gate(unsigned vector, void (*stub)(void));
/* boot.S's interrupt stubs: one that ends the local APIC's interrupt, one
 * for spurious interrupts (no EOI). */
void x86_irq_stub(void);
void x86_spurious_stub(void);

/* --- pc.c: the PC devices of QEMU's machines --- */

#define PC_COM1 0x3f8

void pc_serial_init(uint16_t port);
/* Writes to a 16550 UART, waiting for room (an absent port does not wait). */
void pc_serial_write(uint16_t port, const char *buf, size_t len);
/* TSC ticks per second, measured against ~10 ms of the PIT. */
uint64_t pc_tsc_hz(void);
/* Seconds since 1970 from the CMOS real-time clock. */
uint64_t pc_cmos_seconds(void);
/* Random bytes from RDRAND, else a TSC-seeded xorshift (not for keys). */
void pc_random(void *buf, size_t len);
/* Ends the unikernel under QEMU with status: written on the status port
 * (MIRAGE_STATUS_PORT, a serial port that mirage run reads), then through
 * isa-debug-exit (MIRAGE_EXIT_PORT), then a reset, then a halt. */
_Noreturn void pc_exit(int status);

#endif
