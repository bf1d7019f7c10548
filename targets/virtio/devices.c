/* devices.c: the platform ABI's network and block calls for virtio
 * unikernels, over the virtqueue drivers, on every architecture. Devices are
 * matched to the manifest by order: the n-th network (block) device of the
 * manifest is the n-th virtio-net (virtio-blk) device the transport found
 * (PCI slot order on x86_64, QEMU command-line order on aarch64). */
#include <stdint.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "virtio.h"

/* The ABI note of a MIRAGE image: which target and ABI it was built for. */
MIRAGE_ABI_NOTE("virtio", 1);

static int handles[64];

void virtio_devices_init(void)
{
	for (int i = 0; i < 64; i++)
		handles[i] = -1;
}

uint64_t plat_yield(uint64_t deadline)
{
	for (;;) {
		uint64_t ready = 0;
		/* handles of network devices are their manifest index */
		for (unsigned i = 0; i < mirage_manifest.n && i < 64; i++)
			if (mirage_manifest.devices[i].type == MIRAGE_DEV_NET && handles[i] >= 0 &&
			    virtio_net_pending(handles[i]))
				ready |= 1ULL << i;
		if (ready || plat_clock_monotonic() >= deadline)
			return ready;
		virtio_idle(deadline);
	}
}

static mirage_result acquire(const char *name, unsigned type, unsigned *index)
{
	int nth;
	if (mirage_manifest_rank(name, type, index, &nth) < 0)
		return MIRAGE_NOT_FOUND;
	int h = virtio_open(type == MIRAGE_DEV_NET ? VIRTIO_NET : VIRTIO_BLOCK, nth);
	if (h < 0)
		return MIRAGE_NOT_FOUND;
	handles[*index] = h;
	return MIRAGE_OK;
}

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	mirage_result r = acquire(name, MIRAGE_DEV_NET, handle);
	if (r == MIRAGE_OK) {
		virtio_net_mac(handles[*handle], info->mac);
		info->mtu = 1500;
	}
	return r;
}

mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len)
{
	return virtio_net_read(handles[handle], buf, size, len);
}

mirage_result plat_net_write(unsigned handle, const void *buf, size_t len)
{
	return virtio_net_write(handles[handle], buf, len);
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	mirage_result r = acquire(name, MIRAGE_DEV_BLOCK, handle);
	if (r == MIRAGE_OK) {
		info->capacity = virtio_block_capacity(handles[*handle]);
		info->sector_size = 512;
	}
	return r;
}

mirage_result plat_block_read(unsigned handle, uint64_t offset, void *buf, size_t len)
{
	return virtio_block_io(handles[handle], 0, offset, buf, len);
}

mirage_result plat_block_write(unsigned handle, uint64_t offset, const void *buf, size_t len)
{
	return virtio_block_io(handles[handle], 1, offset, (void *)buf, len);
}

mirage_result plat_block_flush(unsigned handle)
{
	return virtio_block_flush(handles[handle]);
}
