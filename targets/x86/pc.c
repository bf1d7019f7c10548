/* pc.c: the PC devices of QEMU's x86 machines that the virtio kernel uses,
 * and the xen kernel when it runs under QEMU's PVH loader instead of Xen:
 * 16550 serial ports, the TSC calibrated against the PIT, the CMOS clock,
 * RDRAND, and the exit status carried out through a serial port and QEMU's
 * isa-debug-exit device. */
#include <stdint.h>
#include <string.h>

#include "x86.h"

/* The ports mirage run's QEMU command line puts the status serial port and
 * isa-debug-exit at: constants of target.yaml, given as -D by the tool. */
#if !defined(MIRAGE_STATUS_PORT) || !defined(MIRAGE_EXIT_PORT)
#error "built without the target's constants (MIRAGE_STATUS_PORT, MIRAGE_EXIT_PORT)"
#endif

void pc_serial_init(uint16_t port)
{
	outb(port + 1, 0x00); /* no interrupts */
	outb(port + 3, 0x80); /* divisor latch */
	outb(port + 0, 0x01); /* 115200 baud */
	outb(port + 1, 0x00);
	outb(port + 3, 0x03); /* 8N1 */
	outb(port + 2, 0xc7); /* FIFO */
}

void pc_serial_write(uint16_t port, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* wait for room (an absent port reads 0xff: no wait) */
		for (int n = 0; n < 100000 && !(inb(port + 5) & 0x20); n++)
			cpu_relax();
		outb(port, (uint8_t)buf[i]);
	}
}

uint64_t pc_tsc_hz(void)
{
	/* channel 0 (1.193182 MHz), lobyte/hibyte, mode 2, binary; ~10 ms */
	outb(0x43, 0x34);
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
	uint64_t hz = (t1 - t0) * 1193182 / elapsed;
	return hz ? hz : 1000000000;
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

uint64_t pc_cmos_seconds(void)
{
	while (cmos(0x0a) & 0x80) /* an update in progress */
		cpu_relax();
	uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04), day = cmos(0x07),
		mon = cmos(0x08), year = cmos(0x09), b = cmos(0x0b);
	if (!(b & 0x04)) { /* BCD */
#define BIN(x) ((uint8_t)(((x)&0x0f) + ((x) >> 4) * 10))
		sec = BIN(sec), min = BIN(min), day = BIN(day), mon = BIN(mon), year = BIN(year);
		hour = (uint8_t)(BIN(hour & 0x7f) | (hour & 0x80));
	}
	if (!(b & 0x02) && (hour & 0x80)) /* 12-hour clock, PM */
		hour = (uint8_t)(((hour & 0x7f) % 12) + 12);
	uint64_t days = days_from_civil(2000 + year, mon, day);
	return days * 86400 + hour * 3600u + min * 60u + sec;
}

void pc_random(void *buf, size_t len)
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
}

void pc_exit(int status)
{
	/* The whole status on the status port, for `mirage run` (it reads it
	 * from a file); then isa-debug-exit, which ends QEMU with (v << 1) | 1;
	 * then a reset through the keyboard controller (QEMU -no-reboot exits). */
	char msg[4];
	unsigned v = (unsigned)status & 0xff;
	msg[0] = (char)('0' + v / 100);
	msg[1] = (char)('0' + v / 10 % 10);
	msg[2] = (char)('0' + v % 10);
	msg[3] = '\n';
	pc_serial_init(MIRAGE_STATUS_PORT);
	pc_serial_write(MIRAGE_STATUS_PORT, msg, sizeof(msg));
	outl(MIRAGE_EXIT_PORT, v & 0x7f);
	outb(0x64, 0xfe);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}
