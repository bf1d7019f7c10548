/* platform.c: the platform ABI for hvt unikernels, over the hypercalls of
 * hvt_abi.h. Console output goes to a buffer the monitor drains at every VM
 * exit; clocks come from the TSC. Network frames are batched: a write
 * queues the frame, a read takes one of those the last HVT_NETIO brought,
 * and plat_yield makes that call: it sends the queue, waits, and brings the
 * input (one VM exit); a full queue is sent at once. The rest is one
 * hypercall each. */
#include <stdint.h>
#include <string.h>

#include "hvt_abi.h"
#include "mirage_platform.h"
#include "mirage_rt.h"

void __mirage_heap_init(void *start, size_t len);
_Noreturn void hvt_start(struct hvt_boot_info *bi);

/* The ABI note: the monitor refuses an image built for another target or
 * ABI version. */
MIRAGE_ABI_NOTE("hvt", HVT_ABI_VERSION);

static struct hvt_boot_info *boot;
static uint64_t tsc_hz, tsc_base;
static uint64_t wall_base; /* wall-clock at tsc_base, once asked for */
static uint64_t last_flush;

static inline void hypercall(enum hvt_hypercall nr, volatile void *arg)
{
	/* guest memory is identity-mapped below 4 GiB: the address fits 32 bits */
	__asm__ __volatile__("outl %0, %1"
			     :
			     : "a"((uint32_t)(uintptr_t)arg), "d"((uint16_t)HVT_PORT(nr))
			     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t plat_clock_monotonic(void)
{
	uint64_t t = rdtsc() - tsc_base;
	/* ticks to nanoseconds without overflow for centuries */
	return (uint64_t)((unsigned __int128)t * 1000000000u / tsc_hz);
}

uint64_t plat_clock_wall(void)
{
	if (!wall_base) {
		struct hvt_walltime w;
		hypercall(HVT_WALLTIME, &w);
		wall_base = w.nsecs - plat_clock_monotonic();
	}
	return wall_base + plat_clock_monotonic();
}

static void console_flush(void)
{
	if (boot->console_len) {
		hypercall(HVT_CONSOLE, NULL);
		last_flush = plat_clock_monotonic();
	}
}

void plat_console_write(const char *buf, size_t len)
{
	while (len) {
		size_t room = boot->console_size - boot->console_len;
		if (room == 0) {
			console_flush();
			continue;
		}
		size_t n = len < room ? len : room;
		memcpy((char *)(uintptr_t)boot->console_buf + boot->console_len, buf, n);
		boot->console_len += n;
		buf += n;
		len -= n;
	}
	/* Lines written within a millisecond of the last flush wait for the
	 * next VM exit (any exit drains the buffer): a burst of output costs
	 * no exit of its own, a lone line still appears at once. */
	if (boot->console_len && boot->console_buf &&
	    ((const char *)(uintptr_t)boot->console_buf)[boot->console_len - 1] == '\n' &&
	    plat_clock_monotonic() - last_flush > 1000000)
		console_flush();
}

/* --- the network: frames queued to send, frames brought in --- */

static struct hvt_frame tx[HVT_NETIO_MAX], rx[HVT_NETIO_MAX];
static uint8_t txbuf[HVT_NETIO_MAX][HVT_FRAME_MAX] __attribute__((aligned(64)));
static uint8_t rxbuf[HVT_NETIO_MAX][HVT_FRAME_MAX] __attribute__((aligned(64)));
static uint32_t ntx;
static uint32_t nrx;		  /* frames in rx[0..nrx) */
static bool taken[HVT_NETIO_MAX]; /* rx[i] read already */
static uint64_t pending;	  /* devices with frames in rx not read yet */

/* Sends what is queued and brings what came, waiting up to timeout_ns when
 * nothing did. Frames brought before and not read yet are kept (moved to the
 * front), unless they fill every buffer: then they are dropped, as a full
 * receive ring drops. Returns the devices with frames to read. */
static uint64_t netio(uint64_t timeout_ns)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < nrx; i++) {
		if (taken[i])
			continue;
		struct hvt_frame f = rx[kept];
		rx[kept] = rx[i];
		rx[i] = f;
		kept++;
	}
	if (kept == HVT_NETIO_MAX)
		kept = 0;
	for (uint32_t i = kept; i < HVT_NETIO_MAX; i++) {
		if (!rx[i].data) /* the first time: each descriptor its buffer */
			rx[i].data = (uint64_t)(uintptr_t)rxbuf[i];
		rx[i].len = HVT_FRAME_MAX;
		taken[i] = false;
	}
	for (uint32_t i = 0; i < kept; i++)
		taken[i] = false;
	struct hvt_netio io = {(uint64_t)(uintptr_t)tx,
			       (uint64_t)(uintptr_t)(rx + kept),
			       ntx,
			       HVT_NETIO_MAX - kept,
			       kept ? 0 : timeout_ns,
			       0,
			       0,
			       0};
	hypercall(HVT_NETIO, &io);
	last_flush = plat_clock_monotonic();
	ntx = 0;
	nrx = kept + io.nrx;
	pending = 0;
	for (uint32_t i = 0; i < nrx; i++)
		pending |= 1ULL << rx[i].handle;
	return pending;
}

uint64_t plat_yield(uint64_t deadline)
{
	uint64_t now = plat_clock_monotonic();
	return netio(deadline > now ? deadline - now : 0);
}

mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len)
{
	if (!(pending >> handle & 1))
		return MIRAGE_AGAIN;
	bool more = false;
	for (uint32_t i = 0; i < nrx; i++) {
		if (taken[i] || rx[i].handle != handle)
			continue;
		if (rx[i].len > size)
			return MIRAGE_INVALID;
		memcpy(buf, (const void *)(uintptr_t)rx[i].data, rx[i].len);
		*len = rx[i].len;
		taken[i] = true;
		for (uint32_t k = i + 1; k < nrx && !more; k++)
			more = !taken[k] && rx[k].handle == handle;
		if (!more)
			pending &= ~(1ULL << handle);
		return MIRAGE_OK;
	}
	pending &= ~(1ULL << handle);
	return MIRAGE_AGAIN;
}

mirage_result plat_net_write(unsigned handle, const void *buf, size_t len)
{
	if (len > HVT_FRAME_MAX)
		return MIRAGE_INVALID;
	if (ntx == HVT_NETIO_MAX)
		netio(0);
	tx[ntx] = (struct hvt_frame){(uint64_t)(uintptr_t)txbuf[ntx], (uint32_t)len, handle};
	memcpy(txbuf[ntx], buf, len);
	ntx++;
	return MIRAGE_OK;
}

mirage_result plat_random(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		size_t n = len < 4096 ? len : 4096;
		struct hvt_random r = {(uint64_t)(uintptr_t)p, n};
		hypercall(HVT_RANDOM, &r);
		p += n;
		len -= n;
	}
	return MIRAGE_OK;
}

static const struct hvt_device *find_device(const char *name, uint32_t type)
{
	for (uint32_t i = 0; i < boot->ndevices && i < MIRAGE_MAX_DEVICES; i++)
		if (boot->devices[i].type == type && !strcmp(boot->devices[i].name, name))
			return &boot->devices[i];
	return NULL;
}

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	const struct hvt_device *d = find_device(name, MIRAGE_DEV_NET);
	if (!d)
		return MIRAGE_NOT_FOUND;
	*handle = d->handle;
	memcpy(info->mac, d->mac, 6);
	info->mtu = d->mtu;
	return MIRAGE_OK;
}

static mirage_result result(uint32_t ret)
{
	switch (ret) {
	case HVT_OK:
		return MIRAGE_OK;
	case HVT_AGAIN:
		return MIRAGE_AGAIN;
	case HVT_EINVAL:
		return MIRAGE_INVALID;
	}
	return MIRAGE_EIO;
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	const struct hvt_device *d = find_device(name, MIRAGE_DEV_BLOCK);
	if (!d)
		return MIRAGE_NOT_FOUND;
	*handle = d->handle;
	info->capacity = d->capacity;
	info->sector_size = d->sector_size;
	return MIRAGE_OK;
}

static mirage_result block_io(enum hvt_hypercall nr, unsigned handle, uint64_t offset,
			      const void *buf, size_t len)
{
	struct hvt_block_io io = {handle, 0, offset, (uint64_t)(uintptr_t)buf, len};
	hypercall(nr, &io);
	return result(io.ret);
}

mirage_result plat_block_read(unsigned handle, uint64_t offset, void *buf, size_t len)
{
	return block_io(HVT_BLOCK_READ, handle, offset, buf, len);
}

mirage_result plat_block_write(unsigned handle, uint64_t offset, const void *buf, size_t len)
{
	return block_io(HVT_BLOCK_WRITE, handle, offset, buf, len);
}

mirage_result plat_block_flush(unsigned handle)
{
	return block_io(HVT_BLOCK_FLUSH, handle, 0, NULL, 0);
}

void plat_exit(int status)
{
	/* frames still queued go out first; the exit drains the console too */
	if (ntx)
		netio(0);
	struct hvt_exit e = {status, 0};
	for (;;)
		hypercall(HVT_EXIT, &e);
}

/* abort() and failed assertions go through mirage_abort, which prints and
 * calls plat_exit(MIRAGE_EXIT_ABORT): the same status as the monitor's own
 * HVT_STATUS_ABORT. */

void hvt_start(struct hvt_boot_info *bi)
{
	boot = bi;
	tsc_base = rdtsc();
	tsc_hz = bi->tsc_hz;
	last_flush = 0;
	if (!tsc_hz) {
		/* no clock can be trusted: refuse rather than guess */
		static const char msg[] = "the monitor gave no TSC frequency";
		struct hvt_abort a = {(uint64_t)(uintptr_t)msg, sizeof(msg) - 1};
		for (;;)
			hypercall(HVT_ABORT, &a);
	}
	__mirage_heap_init((void *)(uintptr_t)bi->heap_start, bi->heap_end - bi->heap_start);
	mirage_exit(mirage_main((int)bi->argc, (char **)(uintptr_t)bi->argv));
}
