/* microvm.c (x86_64): the virtio-mmio transports of QEMU's -M microvm, and
 * their interrupts through an I/O APIC. microvm puts its transports 0x200
 * bytes apart from 0xfeb00000: with its second I/O APIC (there when ACPI
 * is, the default) 24 of them, transport i on that APIC's pin i (GSI
 * 24 + i); without it 8, on pins 5 + i of the first. QEMU tells a Linux
 * kernel so on its command line, which a PVH kernel does not get: the
 * layout is QEMU's, and the second APIC is probed. On a PC the window reads
 * as zeros: no devices. */
#include <stdint.h>

#include "virtio.h"

#define MMIO_BASE 0xfeb00000UL
#define IOAPIC1	  0xfec00000UL
#define IOAPIC2	  0xfec10000UL
#define IOREGSEL  0x00
#define IOWIN	  0x10
#define IOAPICVER 0x01
#define IOREDTBL  0x10 /* + 2 * pin: the low half, then the high */

static uintptr_t ioapic;
static unsigned first_pin;

static uint32_t ioapic_read(uintptr_t a, unsigned reg)
{
	*(volatile uint32_t *)(a + IOREGSEL) = reg;
	return *(volatile uint32_t *)(a + IOWIN);
}

static void ioapic_write(uintptr_t a, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(a + IOREGSEL) = reg;
	*(volatile uint32_t *)(a + IOWIN) = v;
}

int virtio_mmio_window(uintptr_t *base, unsigned *count)
{
	/* an I/O APIC's version register: the version in bits 7:0, the
	 * highest redirection entry in bits 23:16; nothing there reads 0 */
	uint32_t ver = ioapic_read(IOAPIC2, IOAPICVER);
	if (ver && ver != 0xffffffffu) {
		ioapic = IOAPIC2;
		first_pin = 0;
		*count = 24;
	} else {
		ioapic = IOAPIC1;
		first_pin = 5;
		*count = 8;
	}
	*base = MMIO_BASE;
	return 0;
}

int virtio_mmio_irq_enable(unsigned i)
{
	if (!ioapic)
		return -1;
	unsigned pin = first_pin + i;
	/* to this CPU's local APIC; fixed, physical, edge-triggered, active
	 * high, not masked: an edge per interrupt the transport raises (the
	 * idle wait acknowledges them, virtio_mmio_ack_all) */
	ioapic_write(ioapic, IOREDTBL + 2 * pin + 1, virtio_apic_id() << 24);
	ioapic_write(ioapic, IOREDTBL + 2 * pin, VIRTIO_VECTOR_DEVICE);
	return 0;
}

int virtio_scan(void)
{
	return virtio_mmio_scan() + virtio_pci_scan();
}
