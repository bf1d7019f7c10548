/* hypercall.c: finding Xen and talking to it: the CPUID leaves, the
 * hypercall page (written by Xen into a page of ours through the MSR the
 * leaves name), the shared info page mapped into our memory, and the time
 * Xen keeps there (pvclock: the TSC scaled from the last update). */
#include <stdint.h>
#include <string.h>

#include "../x86/x86.h"
#include "xen.h"

/* Xen fills it with one 32-byte stub per hypercall. */
static uint8_t hypercall_page[XEN_PAGE] __attribute__((aligned(XEN_PAGE)));
/* Our page the shared info page replaces in the physical map. */
static uint8_t shared_page[XEN_PAGE] __attribute__((aligned(XEN_PAGE)));

volatile struct shared_info *xen_shared;

long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	long ret;
	register uint64_t rdi __asm__("rdi") = a1;
	register uint64_t rsi __asm__("rsi") = a2;
	register uint64_t rdx __asm__("rdx") = a3;
	__asm__ __volatile__("call *%[stub]"
			     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
			     : [stub] "r"(hypercall_page + nr * 32)
			     : "rcx", "r8", "r9", "r10", "r11", "memory");
	return ret;
}

/* The base of Xen's CPUID leaves (they may be moved up when another
 * hypervisor's come first), or 0. */
static uint32_t xen_leaves(void)
{
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		uint32_t a, b, c, d;
		cpuid(base, &a, &b, &c, &d);
		char sig[13];
		memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
		if (!strcmp(sig, "XenVMMXenVMM") && a - base >= 2)
			return base;
	}
	return 0;
}

int xen_init(void)
{
	uint32_t base = xen_leaves();
	if (!base)
		return 0;
	uint32_t pages, msr, c, d;
	cpuid(base + 2, &pages, &msr, &c, &d);
	if (pages < 1)
		return 0;
	wrmsr(msr, (uintptr_t)hypercall_page);
	struct xen_add_to_physmap map = {DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					 (uintptr_t)shared_page / XEN_PAGE};
	if (xen_hypercall(HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uintptr_t)&map, 0) != 0)
		return 0;
	xen_shared = (volatile struct shared_info *)shared_page;
	/* events are polled, never delivered as upcalls */
	xen_shared->vcpu_info[0].evtchn_upcall_mask = 1;
	return 1;
}

int xen_hvm_param(unsigned index, uint64_t *value)
{
	struct xen_hvm_param p = {DOMID_SELF, index, 0};
	if (xen_hypercall(HYPERVISOR_hvm_op, HVMOP_get_param, (uintptr_t)&p, 0) != 0)
		return -1;
	*value = p.value;
	return 0;
}

uint64_t xen_system_time(void)
{
	volatile struct vcpu_time_info *t = &xen_shared->vcpu_info[0].time;
	uint32_t version;
	uint64_t ns;
	do {
		/* an odd version: Xen is updating it */
		version = t->version;
		__asm__ __volatile__("" : : : "memory");
		uint64_t delta = rdtsc() - t->tsc_timestamp;
		if (t->tsc_shift >= 0)
			delta <<= t->tsc_shift;
		else
			delta >>= -t->tsc_shift;
		ns = t->system_time +
		     (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
		__asm__ __volatile__("" : : : "memory");
	} while ((version & 1) || version != t->version);
	return ns;
}

uint64_t xen_wall_base(void)
{
	uint32_t version, sec, nsec, hi;
	do {
		version = xen_shared->wc_version;
		__asm__ __volatile__("" : : : "memory");
		sec = xen_shared->wc_sec, nsec = xen_shared->wc_nsec, hi = xen_shared->wc_sec_hi;
		__asm__ __volatile__("" : : : "memory");
	} while ((version & 1) || version != xen_shared->wc_version);
	return ((uint64_t)hi << 32 | sec) * 1000000000u + nsec;
}
