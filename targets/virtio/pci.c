/* pci.c: the legacy (transitional) virtio-pci transport on x86_64: PCI
 * configuration through ports 0xcf8/0xcfc on bus 0, registers in the I/O
 * space of BAR0. */
#include <stdint.h>
#include <string.h>

#include "io.h"
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
	return inb((uint16_t)(io(d) + VIO_CONFIG + off));
}

static uint32_t config32(struct vdev *d, unsigned off)
{
	return inl((uint16_t)(io(d) + VIO_CONFIG + off));
}

static const struct vtransport pci = {host_features, guest_features, set_status, queue,
				      notify,	     config8,	     config32};

int virtio_scan(void)
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
