/* vring.h: the virtqueues and the network and block drivers, shared by the
 * transports (legacy virtio-pci on x86_64, legacy virtio-mmio on aarch64).
 * A transport finds its devices and adds them with vring_add. */
#ifndef VIRTIO_VRING_H
#define VIRTIO_VRING_H

#include <stdint.h>

#include "virtio.h"

struct vdev;

struct vtransport {
	uint32_t (*host_features)(struct vdev *d);
	void (*guest_features)(struct vdev *d, uint32_t f);
	void (*set_status)(struct vdev *d, uint8_t s);
	/* Gives queue index the ring at mem (4096-aligned, for size entries);
	 * returns the size the device wants (0: no such queue) when mem is
	 * NULL. */
	uint16_t (*queue)(struct vdev *d, uint16_t index, void *mem, uint16_t size);
	void (*notify)(struct vdev *d, uint16_t index);
	uint8_t (*config8)(struct vdev *d, unsigned off);
	uint32_t (*config32)(struct vdev *d, unsigned off);
	/* Makes used buffers of queue index interrupt the idle wait (after the
	 * queue is set up). Returns 0, or -1 when the device cannot. */
	int (*irq)(struct vdev *d, uint16_t index);
};

/* Adds a device found by a transport at base (an I/O port or an address). */
void vring_add(enum virtio_kind kind, const struct vtransport *t, uintptr_t base, uint8_t order);
/* The base of device d, and the order it was added with, for its transport. */
uintptr_t vring_base(const struct vdev *d);
uint8_t vring_order(const struct vdev *d);

#endif
