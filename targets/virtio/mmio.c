/* mmio.c: the legacy virtio-mmio transport, on aarch64 (QEMU's -M virt) and
 * x86_64 (QEMU's -M microvm). The platform says where its transports are
 * and wires their interrupts (virtio_mmio_window, virtio_mmio_irq_enable).
 * QEMU gives the first device on its command line the highest transport, on
 * both machines: scanning downwards finds the devices in command-line
 * order. */
#include <stdint.h>

#include "vring.h"

#define MMIO_SIZE 0x200

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
static uintptr_t window_base;
static unsigned window_count;
static uint64_t enabled; /* the transports whose interrupt is on */

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
#if defined(__aarch64__)
	__asm__ __volatile__("dsb sy" : : : "memory");
#else
	__asm__ __volatile__("" : : : "memory"); /* x86: stores are not reordered */
#endif
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

static unsigned transport(struct vdev *d)
{
	return (unsigned)((vring_base(d) - window_base) / MMIO_SIZE);
}

static int irq(struct vdev *d, uint16_t index)
{
	(void)index; /* one interrupt for every queue of a transport */
	unsigned i = transport(d);
	if (virtio_mmio_irq_enable(i) < 0)
		return -1;
	enabled |= 1ULL << i;
	return 0;
}

void virtio_mmio_ack_all(void)
{
	for (unsigned i = 0; i < window_count; i++)
		if (enabled >> i & 1)
			virtio_mmio_ack(i);
}

void virtio_mmio_ack(unsigned i)
{
	if (i >= window_count)
		return;
	volatile uint32_t *r = (volatile uint32_t *)(window_base + (uintptr_t)i * MMIO_SIZE);
	r[INTERRUPT_ACK / 4] = r[INTERRUPT_STATUS / 4];
}

static const struct vtransport mmio = {host_features, guest_features, set_status, queue,
				       notify,	      config8,	      config32,	  irq};

int virtio_mmio_scan(void)
{
	if (virtio_mmio_window(&window_base, &window_count) < 0)
		return 0;
	int n = 0;
	for (unsigned i = window_count; i-- > 0;) {
		uintptr_t base = window_base + (uintptr_t)i * MMIO_SIZE;
		volatile uint32_t *r = (volatile uint32_t *)base;
		/* the device first: a transport without one reads 0, and where
		 * there are no transports (a PC) the window reads 0 too */
		uint32_t id = r[DEVICE_ID / 4];
		if (id != VIRTIO_NET && id != VIRTIO_BLOCK && id != VIRTIO_CONSOLE)
			continue; /* the kinds are the virtio device ids */
		if (r[MAGIC / 4] != 0x74726976 || r[VERSION / 4] != 1)
			continue; /* not a transport, or a modern one */
		vring_add((enum virtio_kind)id, &mmio, base, (uint8_t)i);
		n++;
	}
	return n;
}
