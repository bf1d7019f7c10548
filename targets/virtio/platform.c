/* platform.c: the platform ABI for virtio unikernels: serial console (COM1),
 * clocks from the TSC (calibrated against the PIT when first needed) and
 * the CMOS real-time clock, boot arguments and memory from the multiboot or
 * PVH boot information, virtio-pci network and block devices, and the exit
 * status carried out through QEMU's isa-debug-exit device and COM2. */
#include <stdint.h>
#include <string.h>

#include "io.h"
#include "mirage_platform.h"
#include "mirage_rt.h"
#include "virtio.h"

void __mirage_heap_init(void *start, size_t len);
_Noreturn void virtio_start(uint32_t protocol, uint32_t info);

extern char _end[];

/* The ports mirage run's QEMU command line puts the status serial port and
 * isa-debug-exit at: constants of target.yaml, given as -D by the tool. */
#if !defined(MIRAGE_STATUS_PORT) || !defined(MIRAGE_EXIT_PORT)
#error "built without the target's constants (MIRAGE_STATUS_PORT, MIRAGE_EXIT_PORT)"
#endif
#define COM1		0x3f8
#define COM2		MIRAGE_STATUS_PORT
#define DEBUG_EXIT_PORT MIRAGE_EXIT_PORT

/* --- console --- */

static void serial_init(uint16_t port)
{
	outb(port + 1, 0x00); /* no interrupts */
	outb(port + 3, 0x80); /* divisor latch */
	outb(port + 0, 0x01); /* 115200 baud */
	outb(port + 1, 0x00);
	outb(port + 3, 0x03); /* 8N1 */
	outb(port + 2, 0xc7); /* FIFO */
}

static void serial_write(uint16_t port, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* wait for room (an absent port reads 0xff: no wait) */
		for (int n = 0; n < 100000 && !(inb(port + 5) & 0x20); n++)
			cpu_relax();
		outb(port, (uint8_t)buf[i]);
	}
}

void plat_console_write(const char *buf, size_t len)
{
	serial_write(COM1, buf, len);
}

/* --- clocks --- */

static uint64_t tsc_base, tsc_hz;

/* TSC ticks per second, against ~10 ms of the PIT's channel 0 (1.193182 MHz). */
static uint64_t calibrate(void)
{
	outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2, binary */
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	uint32_t elapsed = 0;
	uint16_t last = 0xffff;
	uint64_t t0 = rdtsc();
	while (elapsed < 11932) {
		outb(0x43, 0x00); /* latch channel 0 */
		uint16_t now = inb(0x40);
		now |= (uint16_t)(inb(0x40) << 8);
		elapsed += (uint16_t)(last - now);
		last = now;
	}
	uint64_t t1 = rdtsc();
	return (t1 - t0) * 1193182 / elapsed;
}

uint64_t plat_clock_monotonic(void)
{
	if (!tsc_hz) {
		tsc_hz = calibrate();
		if (!tsc_hz)
			tsc_hz = 1000000000;
	}
	return (uint64_t)((unsigned __int128)(rdtsc() - tsc_base) * 1000000000u / tsc_hz);
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static uint64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* days since 1970-01-01 (H. Hinnant's algorithm) */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)(era * 146097 + (int64_t)doe - 719468);
}

static uint64_t wall_base;

uint64_t plat_clock_wall(void)
{
	if (!wall_base) {
		while (cmos(0x0a) & 0x80) /* an update in progress */
			cpu_relax();
		uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04), day = cmos(0x07),
			mon = cmos(0x08), year = cmos(0x09), b = cmos(0x0b);
		if (!(b & 0x04)) { /* BCD */
#define BIN(x) ((uint8_t)(((x)&0x0f) + ((x) >> 4) * 10))
			sec = BIN(sec), min = BIN(min), day = BIN(day), mon = BIN(mon),
			year = BIN(year);
			hour = (uint8_t)(BIN(hour & 0x7f) | (hour & 0x80));
		}
		if (!(b & 0x02) && (hour & 0x80)) /* 12-hour clock, PM */
			hour = (uint8_t)(((hour & 0x7f) % 12) + 12);
		uint64_t days = days_from_civil(2000 + year, mon, day);
		uint64_t secs = days * 86400 + hour * 3600u + min * 60u + sec;
		wall_base = secs * 1000000000u - plat_clock_monotonic();
	}
	return wall_base + plat_clock_monotonic();
}

/* --- devices (devices.c) --- */

mirage_result plat_random(void *buf, size_t len)
{
	static int have_rdrand = -1;
	static uint64_t x;
	if (have_rdrand < 0) {
		uint32_t a, b, c, d;
		cpuid(1, &a, &b, &c, &d);
		have_rdrand = (c >> 30) & 1;
		x = rdtsc() ^ 0x9e3779b97f4a7c15ULL;
	}
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = 0;
		int ok = 0;
		for (int tries = 0; have_rdrand && !ok && tries < 10; tries++)
			__asm__ __volatile__("rdrand %0; setc %b1" : "=r"(v), "=q"(ok));
		if (!ok) {
			/* no RDRAND: a TSC-seeded xorshift, which is NOT for keys */
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v = x ^ rdtsc();
		}
		size_t n = len - i < 8 ? len - i : 8;
		memcpy(p + i, &v, n);
	}
	return MIRAGE_OK;
}

/* --- exit --- */

void plat_exit(int status)
{
	/* The whole status on COM2, for `mirage run` (it reads it from a
	 * file); then isa-debug-exit, which ends QEMU with (v << 1) | 1; then
	 * a reset through the keyboard controller (QEMU -no-reboot exits). */
	char msg[16];
	int n = 0;
	unsigned v = (unsigned)status & 0xff;
	msg[n++] = (char)('0' + v / 100);
	msg[n++] = (char)('0' + v / 10 % 10);
	msg[n++] = (char)('0' + v % 10);
	msg[n++] = '\n';
	serial_write(COM2, msg, (size_t)n);
	outl(DEBUG_EXIT_PORT, v & 0x7f);
	outb(0x64, 0xfe);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

/* --- boot --- */

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct pvh_memmap {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define PVH_MAGIC 0x336ec578
#define MAX_ARGS  128

static char cmdline[4096];
static char *argv[MAX_ARGS + 1];

static void heap_from(uint64_t lo, uint64_t hi)
{
	uint64_t start = ((uintptr_t)_end + 4095) & ~4095ULL;
	if (hi > 0x100000000ULL)
		hi = 0x100000000ULL; /* the page tables map 4 GiB */
	if (lo <= start && hi > start)
		__mirage_heap_init((void *)(uintptr_t)start, hi - start);
}

void virtio_start(uint32_t protocol, uint32_t info)
{
	serial_init(COM1);
	serial_init(COM2);
	virtio_traps_init();
	tsc_base = rdtsc();
	virtio_devices_init();
	const char *cl = NULL;
	if (protocol == 1) {
		const struct mb_info *mb = (const struct mb_info *)(uintptr_t)info;
		if (mb->flags & (1 << 2))
			cl = (const char *)(uintptr_t)mb->cmdline;
		if (mb->flags & (1 << 6)) {
			uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
			while (p < end) {
				const struct mb_mmap *m = (const struct mb_mmap *)(uintptr_t)p;
				if (m->type == 1)
					heap_from(m->addr, m->addr + m->len);
				p += m->size + 4;
			}
		} else if (mb->flags & 1) {
			heap_from(0x100000, 0x100000 + (uint64_t)mb->mem_upper * 1024);
		}
	} else {
		const struct pvh_start_info *si = (const struct pvh_start_info *)(uintptr_t)info;
		if (si->magic == PVH_MAGIC) {
			if (si->cmdline_paddr)
				cl = (const char *)(uintptr_t)si->cmdline_paddr;
			const struct pvh_memmap *m =
			    (const struct pvh_memmap *)(uintptr_t)si->memmap_paddr;
			for (uint32_t i = 0; si->version >= 1 && m && i < si->memmap_entries; i++)
				if (m[i].type == 1)
					heap_from(m[i].addr, m[i].addr + m[i].size);
		}
	}
	if (cl) {
		strncpy(cmdline, cl, sizeof(cmdline) - 1);
		cmdline[sizeof(cmdline) - 1] = '\0';
	}
	int argc = mirage_args_split(cmdline, protocol == 1, argv, MAX_ARGS);
	virtio_tls_init();
	virtio_scan();
	mirage_exit(mirage_main(argc, argv));
}
