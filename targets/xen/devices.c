/* devices.c: the platform ABI's network and block calls for xen
 * unikernels, and the idle wait. Devices are matched to the manifest by
 * order: the n-th network (block) device of the manifest is the n-th
 * device/vif (device/vbd) entry of xenstore in numeric order, which is the
 * order of the vif (disk) lines of the xl configuration. */
#include <stdint.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "xen.h"

static int handles[PLAT_MAX_HANDLES];
static int opened[PLAT_MAX_HANDLES];

uint64_t plat_yield(uint64_t deadline)
{
	for (;;) {
		uint64_t ready = 0;
		if (xen_present())
			xen_evtchn_clear_all();
		/* handles of network devices are their manifest index */
		for (unsigned i = 0; i < mirage_manifest.n && i < PLAT_MAX_HANDLES; i++)
			if (opened[i] && mirage_manifest.devices[i].type == MIRAGE_DEV_NET &&
			    xen_net_pending(handles[i]))
				ready |= 1ULL << i;
		uint64_t now = plat_clock_monotonic();
		if (ready || now >= deadline)
			return ready;
		if (xen_present()) {
			/* Xen's system time at the deadline; a deadline beyond
			 * reach (UINT64_MAX: none) is no timeout (0), not a sum
			 * that wraps into the past and never sleeps */
			uint64_t t = xen_system_time();
			xen_evtchn_wait(deadline - now > UINT64_MAX / 2 - t ? 0
									    : t + (deadline - now));
		} else
			__asm__ __volatile__("pause"); /* under QEMU: no devices, no timer */
	}
}

static mirage_result acquire(const char *name, unsigned type, unsigned *index)
{
	int nth;
	if (mirage_manifest_rank(name, type, index, &nth) < 0 || !xen_present())
		return MIRAGE_NOT_FOUND;
	int h = type == MIRAGE_DEV_NET ? xen_net_open(nth) : xen_block_open(nth);
	if (h < 0)
		return MIRAGE_NOT_FOUND;
	handles[*index] = h;
	opened[*index] = 1;
	return MIRAGE_OK;
}

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	mirage_result r = acquire(name, MIRAGE_DEV_NET, handle);
	if (r == MIRAGE_OK) {
		xen_net_mac(handles[*handle], info->mac);
		info->mtu = 1500;
	}
	return r;
}

mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len)
{
	return xen_net_read(handles[handle], buf, size, len);
}

mirage_result plat_net_write(unsigned handle, const void *buf, size_t len)
{
	return xen_net_write(handles[handle], buf, len);
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	mirage_result r = acquire(name, MIRAGE_DEV_BLOCK, handle);
	if (r == MIRAGE_OK) {
		info->capacity = xen_block_capacity(handles[*handle]);
		info->sector_size = xen_block_sector_size(handles[*handle]);
	}
	return r;
}

mirage_result plat_block_read(unsigned handle, uint64_t offset, void *buf, size_t len)
{
	return xen_block_io(handles[handle], 0, offset, buf, len);
}

mirage_result plat_block_write(unsigned handle, uint64_t offset, const void *buf, size_t len)
{
	return xen_block_io(handles[handle], 1, offset, (void *)buf, len);
}

mirage_result plat_block_flush(unsigned handle)
{
	return xen_block_flush(handles[handle]);
}
