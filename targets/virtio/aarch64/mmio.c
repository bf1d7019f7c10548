/* mmio.c (aarch64): the legacy virtio-mmio transport of QEMU's -M virt:
 * 32 transports of 0x200 bytes from 0x0a000000. QEMU gives the first device
 * on its command line the highest transport: scanning downwards finds the
 * devices in command-line order. */
#include <stdint.h>

#include "vring.h"

#define MMIO_BASE  0x0a000000UL
#define MMIO_SIZE  0x200
#define MMIO_COUNT 32

#define MAGIC		   0x000
#define VERSION		   0x004
#define DEVICE_ID	   0x008
#define HOST_FEATURES	   0x010
#define HOST_FEATURES_SEL  0x014
#define GUEST_FEATURES	   0x020
#define GUEST_FEATURES_SEL 0x024
#define GUEST_PAGE_SIZE	   0x028
#define QUEUE_SEL	   0x030
#define QUEUE_NUM_MAX	   0x034
#define QUEUE_NUM	   0x038
#define QUEUE_ALIGN	   0x03c
#define QUEUE_PFN	   0x040
#define QUEUE_NOTIFY	   0x050
#define INTERRUPT_STATUS   0x060
#define INTERRUPT_ACK	   0x064
#define STATUS		   0x070
#define CONFIG		   0x100
/* QEMU's -M virt wires transport i to SPI 16 + i: interrupt 48 + i */
#define MMIO_INTID 48

int virtio_gic_enable(unsigned intid);
void virtio_mmio_irq(unsigned intid);

static uint32_t rd(struct vdev *d, unsigned off)
{
	return *(volatile uint32_t *)(vring_base(d) + off);
}

static void wr(struct vdev *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(vring_base(d) + off) = v;
}

static uint32_t host_features(struct vdev *d)
{
	wr(d, HOST_FEATURES_SEL, 0);
	return rd(d, HOST_FEATURES);
}

static void guest_features(struct vdev *d, uint32_t f)
{
	wr(d, GUEST_FEATURES_SEL, 0);
	wr(d, GUEST_FEATURES, f);
	wr(d, GUEST_PAGE_SIZE, 4096);
}

static void set_status(struct vdev *d, uint8_t s)
{
	wr(d, STATUS, s);
}

static uint16_t queue(struct vdev *d, uint16_t index, void *mem, uint16_t size)
{
	wr(d, QUEUE_SEL, index);
	if (!mem) {
		uint32_t max = rd(d, QUEUE_NUM_MAX);
		return (uint16_t)(max > 256 ? 256 : max);
	}
	wr(d, QUEUE_NUM, size);
	wr(d, QUEUE_ALIGN, 4096);
	wr(d, QUEUE_PFN, (uint32_t)((uintptr_t)mem >> 12));
	return 0;
}

static void notify(struct vdev *d, uint16_t index)
{
	__asm__ __volatile__("dsb sy" : : : "memory");
	wr(d, QUEUE_NOTIFY, index);
}

static uint8_t config8(struct vdev *d, unsigned off)
{
	return *(volatile uint8_t *)(vring_base(d) + CONFIG + off);
}

static uint32_t config32(struct vdev *d, unsigned off)
{
	return rd(d, CONFIG + off);
}

static int irq(struct vdev *d, uint16_t index)
{
	(void)index; /* one interrupt for every queue of a transport */
	unsigned i = (unsigned)((vring_base(d) - MMIO_BASE) / MMIO_SIZE);
	return virtio_gic_enable(MMIO_INTID + i);
}

void virtio_mmio_irq(unsigned intid)
{
	if (intid < MMIO_INTID || intid >= MMIO_INTID + MMIO_COUNT)
		return;
	uintptr_t base = MMIO_BASE + (uintptr_t)(intid - MMIO_INTID) * MMIO_SIZE;
	volatile uint32_t *r = (volatile uint32_t *)base;
	r[INTERRUPT_ACK / 4] = r[INTERRUPT_STATUS / 4];
}

static const struct vtransport mmio = {host_features, guest_features, set_status, queue,
				       notify,	      config8,	      config32,	  irq};

int virtio_scan(void)
{
	int n = 0;
	for (unsigned i = MMIO_COUNT; i-- > 0;) {
		uintptr_t base = MMIO_BASE + (uintptr_t)i * MMIO_SIZE;
		volatile uint32_t *r = (volatile uint32_t *)base;
		if (r[MAGIC / 4] != 0x74726976 || r[VERSION / 4] != 1)
			continue; /* no transport, or a modern one */
		uint32_t id = r[DEVICE_ID / 4];
		if (id != VIRTIO_NET && id != VIRTIO_BLOCK && id != VIRTIO_CONSOLE)
			continue; /* the kinds are the virtio device ids */
		vring_add((enum virtio_kind)id, &mmio, base, (uint8_t)i);
		n++;
	}
	return n;
}
