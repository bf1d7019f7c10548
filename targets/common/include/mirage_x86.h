/* mirage_x86.h: the x86 exception vectors by name, for the monitor's and the
 * runtimes' fault reports (Intel SDM vol. 3, table 6-1). */
#ifndef MIRAGE_X86_H
#define MIRAGE_X86_H

#define X86_PAGE_FAULT 14

static inline const char *x86_vector_name(unsigned v)
{
	static const char *const names[] = {"divide error",
					    "debug",
					    "NMI",
					    "breakpoint",
					    "overflow",
					    "bound range",
					    "invalid opcode",
					    "device not available",
					    "double fault",
					    "coprocessor overrun",
					    "invalid TSS",
					    "segment not present",
					    "stack fault",
					    "general protection fault",
					    "page fault",
					    "reserved",
					    "x87 floating-point error",
					    "alignment check",
					    "machine check",
					    "SIMD floating-point error"};
	return v < sizeof(names) / sizeof(names[0]) ? names[v] : "exception";
}

/* Whether the CPU pushes an error code for vector v. */
static inline int x86_vector_has_error(unsigned v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

#endif
