/* apic.c (x86_64): the idle wait. The CPU halts with interrupts let in at
 * that one instruction (`sti; hlt`); the local APIC's timer, armed for the
 * deadline, or a network device's MSI-X message (pci.c) ends the halt, and
 * the stub (x86/boot.S) only ends the interrupt: the drivers poll. An
 * interrupt that comes while the runtime works stays pending in the APIC
 * and ends the next halt at once, so no frame waits for the timer. */
#include <stdint.h>

#include "../x86/x86.h"
#include "mirage_platform.h"
#include "virtio.h"

#define LAPIC		0xfee00000UL
#define LAPIC_ID	0x020
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_INIT	0x380
#define LAPIC_CURRENT	0x390
#define LAPIC_DIVIDE	0x3e0
#define LVT_MASKED	(1u << 16)
#define NS		1000000000ULL

int virtio_polling;
static uint64_t lapic_hz;

static uint32_t rd(unsigned reg)
{
	return *(volatile uint32_t *)(LAPIC + reg);
}

static void wr(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC + reg) = v;
}

/* The legacy PICs masked, the APIC on, the gates set: enough for an
 * interrupt to be routed here. */
static int lapic_on;

static void lapic_enable(void)
{
	/* the legacy PICs off: a BIOS leaves them on, the PIT's IRQ 0 at
	 * vector 8 (the double fault's) */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	x86_irq_gate(VIRTIO_VECTOR_TIMER, x86_irq_stub);
	x86_irq_gate(VIRTIO_VECTOR_DEVICE, x86_irq_stub);
	x86_irq_gate(VIRTIO_VECTOR_SPURIOUS, x86_spurious_stub);
	wr(LAPIC_SVR, 0x100 | VIRTIO_VECTOR_SPURIOUS);
	wr(LAPIC_DIVIDE, 0x3); /* by 16 */
	wr(LAPIC_LVT_TIMER, VIRTIO_VECTOR_TIMER | LVT_MASKED);
	lapic_on = 1;
}

/* The timer's rate, measured against the clock at the first wait, not at
 * boot: a unikernel that never waits never pays for it. 250 us is enough:
 * the rate only places a wake-up, and the wait reads the clock again. */
static void lapic_calibrate(void)
{
	if (!lapic_on)
		lapic_enable();
	/* the clock's own calibration (10 ms, at its first reading) must not
	 * fall inside the timer's count */
	(void)plat_clock_monotonic();
	wr(LAPIC_INIT, 0xffffffffu);
	uint64_t t0 = plat_clock_monotonic(), t1;
	while ((t1 = plat_clock_monotonic()) - t0 < 250000)
		cpu_relax();
	uint32_t counted = 0xffffffffu - rd(LAPIC_CURRENT);
	wr(LAPIC_INIT, 0);
	lapic_hz = (uint64_t)counted * NS / (t1 - t0);
	if (!lapic_hz)
		lapic_hz = 62500000;		  /* QEMU's: 1 GHz by 16 */
	wr(LAPIC_LVT_TIMER, VIRTIO_VECTOR_TIMER); /* one-shot */
}

uint32_t virtio_apic_id(void)
{
	if (!lapic_on)
		lapic_enable(); /* on before an interrupt is routed to it */
	return rd(LAPIC_ID) >> 24;
}

void virtio_idle(uint64_t deadline)
{
	if (!lapic_hz)
		lapic_calibrate();
	uint64_t now = plat_clock_monotonic();
	if (now >= deadline)
		return;
	uint64_t wait = deadline - now;
	uint64_t cap = virtio_polling ? 1000000 : NS; /* the caller waits again */
	if (wait > cap)
		wait = cap;
	uint64_t count = (uint64_t)((unsigned __int128)wait * lapic_hz / NS);
	wr(LAPIC_INIT, count < 1 ? 1 : count > 0xffffffffu ? 0xffffffffu : (uint32_t)count);
	__asm__ __volatile__("sti; hlt; cli" : : : "memory");
	wr(LAPIC_INIT, 0);
	virtio_mmio_ack_all(); /* edge-triggered: the next interrupt is an edge */
}
