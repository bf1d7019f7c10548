/* traps.c (x86_64): a fault is reported, never a hang or a silent reset:
 * every exception vector runs a stub (boot.S) that reports what happened
 * and where, on a stack of its own (IST 1 of a TSS), then ends the unikernel
 * with MIRAGE_EXIT_CRASH. Page 0 is unmapped (a NULL dereference faults),
 * and so is a guard page below the boot stack (an overflow faults). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "mirage_x86.h"
#include "x86.h"

extern char x86_trap_stubs[];	/* 32 stubs of 16 bytes */
extern uint64_t boot_pd[];	/* 2048 entries: 4 GiB in 2 MiB pages */
extern char boot_stack_guard[]; /* the page below the boot stack */

_Noreturn void x86_trap(const uint64_t *frame);

#define PTE_P	 1
#define PTE_W	 2
#define PTE_PS	 0x80
#define PAGE	 4096
#define LARGE	 (2u << 20)
#define SEL_CODE 0x08
#define SEL_TSS	 0x18

struct idt_gate {
	uint16_t offset0, selector;
	uint8_t ist, type;
	uint16_t offset1;
	uint32_t offset2, zero;
} __attribute__((packed));

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap;
} __attribute__((packed));

static struct idt_gate idt[256];
static struct tss tss;
static uint64_t gdt[5];
static uint8_t trap_stack[16384] __attribute__((aligned(16)));
static uint64_t pt_low[512] __attribute__((aligned(PAGE)));
static uint64_t pt_guard[512] __attribute__((aligned(PAGE)));

/* Maps the 2 MiB region holding addr in 4 KiB pages (table pt), the same
 * identity map, so that single pages can be left out. */
static uint64_t *split(uint64_t addr, uint64_t *pt)
{
	uint64_t region = addr / LARGE;
	if (!(boot_pd[region] & PTE_PS))
		return (uint64_t *)(uintptr_t)(boot_pd[region] & ~0xfffULL); /* split already */
	for (uint64_t i = 0; i < 512; i++)
		pt[i] = (region * LARGE + i * PAGE) | PTE_P | PTE_W;
	boot_pd[region] = (uint64_t)(uintptr_t)pt | PTE_P | PTE_W;
	return pt;
}

/* An interrupt gate: the handler at off, on the stack of IST ist (0: the
 * current one). */
static void set_gate(unsigned vector, uint64_t off, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
	    (uint16_t)off, SEL_CODE, ist, 0x8e, (uint16_t)(off >> 16), (uint32_t)(off >> 32), 0};
}

void x86_irq_gate(unsigned vector, void (*stub)(void))
{
	/* taken at the idle wait's hlt only: on the stack in use */
	set_gate(vector, (uintptr_t)stub, 0);
}

void x86_traps_init(void)
{
	split(0, pt_low)[0] = 0;
	uint64_t guard = (uintptr_t)boot_stack_guard;
	split(guard, pt_guard)[guard / PAGE % 512] = 0;
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");

	tss.ist[0] = (uintptr_t)(trap_stack + sizeof(trap_stack));
	tss.iomap = sizeof(tss);
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	gdt[1] = 0x00af9a000000ffffULL; /* 0x08: 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL; /* 0x10: data */
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		 ((base >> 24) & 0xff) << 56; /* 0x18: an available 64-bit TSS */
	gdt[4] = base >> 32;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uintptr_t)gdt},
				  idtr = {sizeof(idt) - 1, (uintptr_t)idt};
	for (int v = 0; v < 32; v++)
		set_gate((unsigned)v, (uintptr_t)x86_trap_stubs + 16 * (uint64_t)v, 1);
	/* the code and data selectors keep their values: no reload needed */
	__asm__ __volatile__("lgdt %0; lidt %1; ltr %w2"
			     :
			     : "m"(gdtr), "m"(idtr), "r"(SEL_TSS)
			     : "memory");
}

void x86_trap(const uint64_t *frame)
{
	uint64_t vector = frame[0], err = frame[1], rip = frame[2], cr2;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
	char msg[256];
	uint64_t guard = (uintptr_t)boot_stack_guard;
	if (vector == X86_PAGE_FAULT)
		snprintf(msg, sizeof(msg),
			 "\n%s: the unikernel faulted: page fault at rip 0x%llx, address 0x%llx "
			 "(%s, %s)%s\n",
			 mirage_manifest.unikernel, (unsigned long long)rip,
			 (unsigned long long)cr2, err & 2 ? "write" : "read",
			 err & 1 ? "protection" : "not mapped",
			 cr2 >= guard && cr2 < guard + PAGE ? ": the stack overflowed" : "");
	else
		snprintf(msg, sizeof(msg),
			 "\n%s: the unikernel faulted: %s (vector %llu) at rip 0x%llx\n",
			 mirage_manifest.unikernel, x86_vector_name((unsigned)vector),
			 (unsigned long long)vector, (unsigned long long)rip);
	plat_console_write(msg, strlen(msg));
	plat_exit(MIRAGE_EXIT_CRASH);
}
