/* gic.c (aarch64): the idle wait on QEMU's -M virt. The CPU waits for an
 * interrupt (wfi) with interrupts masked: a pending one ends the wait
 * without being taken. The GICv2 distributor forwards the virtual timer
 * (armed for the deadline) and the virtio-mmio devices' interrupts
 * (mmio.c); after the wait each is acknowledged at the GIC, the timer
 * stopped and the device's interrupt cleared: the drivers poll. Without a
 * GICv2 the wait lasts a millisecond at most, spinning. */
#include <stdint.h>

#include "mirage_cpu.h"
#include "mirage_platform.h"
#include "virtio.h"

#define GICD		0x08000000UL
#define GICC		0x08010000UL
#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define GICC_IIDR	0xfc
#define INTID_VTIMER	27 /* the virtual timer's PPI */
#define INTID_SPURIOUS	1023
#define NS		1000000000ULL

/* QEMU's -M virt wires virtio-mmio transport i to SPI 16 + i: 48 + i */
#define INTID_MMIO 48

static int gic_enable(unsigned intid);

int virtio_polling;
static int gic; /* 1: set up; -1: none */

static uint32_t rd(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static void wr(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static void gic_init(void)
{
	/* a GICv2 CPU interface identifies itself (GICC_IIDR's architecture
	 * version, bits 19:16: 2) */
	if ((rd(GICC + GICC_IIDR) >> 16 & 0xf) != 2) {
		gic = -1;
		return;
	}
	wr(GICD + GICD_CTLR, 1);
	wr(GICC + GICC_PMR, 0xf0);
	wr(GICC + GICC_CTLR, 1);
	gic = 1;
	gic_enable(INTID_VTIMER);
}

int virtio_mmio_irq_enable(unsigned i)
{
	return gic_enable(INTID_MMIO + i);
}

static int gic_enable(unsigned intid)
{
	if (!gic)
		gic_init();
	if (gic < 0 || intid >= 32 * ((rd(GICD + GICD_TYPER) & 0x1f) + 1))
		return -1;
	*(volatile uint8_t *)(GICD + GICD_IPRIORITYR + intid) = 0xa0;
	if (intid >= 32)
		*(volatile uint8_t *)(GICD + GICD_ITARGETSR + intid) = 1; /* CPU 0 */
	wr(GICD + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
	return 0;
}

static uint64_t counter_hz(void)
{
	uint64_t hz;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz ? hz : 62500000;
}

void virtio_idle(uint64_t deadline)
{
	if (!gic)
		gic_init();
	uint64_t now = plat_clock_monotonic();
	if (now >= deadline)
		return;
	uint64_t wait = deadline - now;
	if (gic < 0 || virtio_polling) {
		/* no interrupts to end a wait: poll again within a millisecond */
		uint64_t until = now + (wait < 1000000 ? wait : 1000000);
		while (plat_clock_monotonic() < until)
			cpu_relax();
		return;
	}
	if (wait > NS)
		wait = NS; /* the caller waits again */
	uint64_t cnt;
	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(cnt));
	uint64_t cval = cnt + (uint64_t)((unsigned __int128)wait * counter_hz() / NS) + 1;
	__asm__ __volatile__("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			     :
			     : "r"(cval), "r"((uint64_t)1)
			     : "memory");
	__asm__ __volatile__("dsb sy; wfi" : : : "memory");
	__asm__ __volatile__("msr cntv_ctl_el0, %0; isb" : : "r"((uint64_t)0) : "memory");
	/* acknowledge what ended the wait, and whatever else is pending */
	for (int n = 0; n < 64; n++) {
		uint32_t iar = rd(GICC + GICC_IAR);
		unsigned intid = iar & 0x3ff;
		if (intid == INTID_SPURIOUS)
			break;
		if (intid >= INTID_MMIO)
			virtio_mmio_ack(intid - INTID_MMIO);
		wr(GICC + GICC_EOIR, iar);
	}
}
