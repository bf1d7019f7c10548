/* pci.c: the legacy (transitional) virtio-pci transport on x86_64: PCI
 * configuration through ports 0xcf8/0xcfc on bus 0, registers in the I/O
 * space of BAR0, and MSI-X messages to the local APIC (apic.c) for the
 * queues that end the idle wait. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../x86/x86.h"
#include "vring.h"

#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_DEVICE_NET	  0x1000
#define PCI_DEVICE_BLOCK  0x1001

/* legacy virtio-pci registers, from BAR0 (I/O space) */
#define VIO_HOST_FEATURES  0x00
#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN	   0x08
#define VIO_QUEUE_SIZE	   0x0c
#define VIO_QUEUE_SELECT   0x0e
#define VIO_QUEUE_NOTIFY   0x10
#define VIO_STATUS	   0x12
#define VIO_CONFIG	   0x14 /* device config, without MSI-X */
#define VIO_MSI_CONFIG	   0x14 /* with MSI-X: the configuration change vector */
#define VIO_MSI_QUEUE	   0x16 /* ... the selected queue's vector */
#define VIO_CONFIG_MSIX	   0x18 /* ... and the device config after them */
#define VIO_NO_VECTOR	   0xffff

#define PCI_STATUS_CAPS 0x10
#define PCI_CAP_MSIX	0x11
#define MSIX_ENABLE	(1u << 31) /* of the capability's first dword */
#define MSIX_MASKALL	(1u << 30)
/* where BARs the firmware left unassigned go: high in the PCI hole below
 * the local APIC, far above the guest's memory (mirage run gives 128 MiB) */
#define MMIO_FREE 0xfe000000u

static uint32_t pci_read(uint8_t slot, uint8_t off)
{
	outl(0xcf8, 0x80000000u | (uint32_t)slot << 11 | (off & 0xfc));
	return inl(0xcfc);
}

static void pci_write(uint8_t slot, uint8_t off, uint32_t v)
{
	outl(0xcf8, 0x80000000u | (uint32_t)slot << 11 | (off & 0xfc));
	outl(0xcfc, v);
}

static uint16_t io(struct vdev *d)
{
	return (uint16_t)vring_base(d);
}

static bool msix_on[32]; /* by slot: the device config moved */

static uint16_t config_base(struct vdev *d)
{
	return (uint16_t)(io(d) + (msix_on[vring_order(d) % 32] ? VIO_CONFIG_MSIX : VIO_CONFIG));
}

static uint32_t host_features(struct vdev *d)
{
	return inl(io(d) + VIO_HOST_FEATURES);
}

static void guest_features(struct vdev *d, uint32_t f)
{
	outl(io(d) + VIO_GUEST_FEATURES, f);
}

static void set_status(struct vdev *d, uint8_t s)
{
	outb(io(d) + VIO_STATUS, s);
}

static uint16_t queue(struct vdev *d, uint16_t index, void *mem, uint16_t size)
{
	(void)size; /* legacy PCI queues have the device's size */
	outw(io(d) + VIO_QUEUE_SELECT, index);
	if (!mem)
		return inw(io(d) + VIO_QUEUE_SIZE);
	outl(io(d) + VIO_QUEUE_PFN, (uint32_t)((uintptr_t)mem >> 12));
	return 0;
}

static void notify(struct vdev *d, uint16_t index)
{
	outw(io(d) + VIO_QUEUE_NOTIFY, index);
}

static uint8_t config8(struct vdev *d, unsigned off)
{
	return inb((uint16_t)(config_base(d) + off));
}

static uint32_t config32(struct vdev *d, unsigned off)
{
	return inl((uint16_t)(config_base(d) + off));
}

/* The memory address of BAR bar of slot, assigned when the firmware left it
 * at 0; 0 when it is not a 32-bit memory BAR. */
static uint32_t memory_bar(uint8_t slot, unsigned bar)
{
	static uint32_t next = MMIO_FREE;
	uint8_t off = (uint8_t)(0x10 + 4 * bar);
	uint32_t v = pci_read(slot, off);
	if (v & 1 || (v & 6) == 4)
		return 0; /* I/O, or 64-bit */
	if (v & ~0xfu)
		return v & ~0xfu;
	pci_write(slot, off, 0xffffffffu);
	uint32_t size = ~(pci_read(slot, off) & ~0xfu) + 1;
	if (!size || size > (16u << 20))
		return 0;
	next = (next + size - 1) & ~(size - 1);
	pci_write(slot, off, next);
	uint32_t at = next;
	next += size;
	return at;
}

/* MSI-X on for slot: table entry 0 sends VIRTIO_VECTOR_DEVICE to this CPU.
 * Returns 0, or -1 when the device has no MSI-X capability. */
static int msix_enable(uint8_t slot)
{
	if (msix_on[slot])
		return 0;
	if (!(pci_read(slot, 0x04) >> 16 & PCI_STATUS_CAPS))
		return -1;
	uint8_t cap = (uint8_t)(pci_read(slot, 0x34) & 0xfc);
	for (int hops = 0; cap && hops < 48; hops++) {
		uint32_t head = pci_read(slot, cap);
		if ((head & 0xff) == PCI_CAP_MSIX)
			break;
		cap = (uint8_t)((head >> 8) & 0xfc);
	}
	if (!cap)
		return -1;
	uint32_t table = pci_read(slot, (uint8_t)(cap + 4));
	uint32_t bar = memory_bar(slot, table & 7);
	if (!bar)
		return -1;
	pci_write(slot, 0x04, pci_read(slot, 0x04) | 0x2); /* memory space on */
	volatile uint32_t *e = (volatile uint32_t *)(uintptr_t)(bar + (table & ~7u));
	e[0] = 0xfee00000u | virtio_apic_id() << 12; /* to this CPU's local APIC */
	e[1] = 0;
	e[2] = VIRTIO_VECTOR_DEVICE; /* fixed, edge */
	e[3] = 0;		     /* not masked */
	uint32_t head = pci_read(slot, cap);
	pci_write(slot, cap, (head | MSIX_ENABLE) & ~MSIX_MASKALL);
	msix_on[slot] = true;
	return 0;
}

static int irq(struct vdev *d, uint16_t index)
{
	if (msix_enable(vring_order(d) % 32) < 0)
		return -1;
	outw(io(d) + VIO_MSI_CONFIG, VIO_NO_VECTOR);
	outw(io(d) + VIO_QUEUE_SELECT, index);
	outw(io(d) + VIO_MSI_QUEUE, 0); /* table entry 0 */
	return inw(io(d) + VIO_MSI_QUEUE) == 0 ? 0 : -1;
}

static const struct vtransport pci = {host_features, guest_features, set_status, queue,
				      notify,	     config8,	     config32,	 irq};

int virtio_pci_scan(void)
{
	int n = 0;
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint32_t id = pci_read(slot, 0);
		if ((id & 0xffff) != PCI_VENDOR_VIRTIO)
			continue;
		uint16_t device = (uint16_t)(id >> 16);
		if (device != PCI_DEVICE_NET && device != PCI_DEVICE_BLOCK)
			continue;
		uint32_t bar0 = pci_read(slot, 0x10);
		if (!(bar0 & 1))
			continue; /* a modern-only device: no legacy I/O BAR */
		if ((bar0 & ~3u) == 0) {
			/* firmware that leaves BARs alone (qboot, none at all): size
			 * the I/O BAR and place it ourselves */
			static uint32_t next_io = 0xc000;
			pci_write(slot, 0x10, 0xffffffff);
			uint32_t size = ~(pci_read(slot, 0x10) & ~3u) + 1;
			size &= 0xffff;
			if (size == 0 || size > 0x1000)
				continue;
			next_io = (next_io + size - 1) & ~(size - 1);
			pci_write(slot, 0x10, next_io | 1);
			bar0 = next_io | 1;
			next_io += size;
		}
		/* I/O space and bus mastering on */
		pci_write(slot, 0x04, pci_read(slot, 0x04) | 0x5);
		vring_add(device == PCI_DEVICE_NET ? VIRTIO_NET : VIRTIO_BLOCK, &pci, bar0 & ~3u,
			  slot);
		n++;
	}
	return n;
}
