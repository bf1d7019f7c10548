/* platform.c (aarch64): the platform ABI for virtio unikernels on QEMU's
 * -M virt: PL011 console, the generic timer, the PL031 real-time clock, boot
 * arguments and memory from the device tree, virtio-mmio network and block
 * devices, and the exit status through semihosting (SYS_EXIT), falling back
 * to PSCI SYSTEM_OFF where semihosting is off. */
#include <stdint.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "fdt.h"
#include "virtio.h"

void __mirage_heap_init(void *start, size_t len);
_Noreturn void virtio_start(uint64_t dtb);
_Noreturn void virtio_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

extern char _end[];

#define PL011	 0x09000000UL
#define PL031	 0x09010000UL
#define RAM_BASE 0x40000000UL

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* --- console --- */

void plat_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		while (mmio_read32(PL011 + 0x18) & (1 << 5)) /* TXFF */
			;
		mmio_write32(PL011, (uint8_t)buf[i]);
	}
}

/* --- clocks --- */

static uint64_t counter(void)
{
	uint64_t v;
	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_base;

uint64_t plat_clock_monotonic(void)
{
	uint64_t hz;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(hz));
	if (!hz)
		hz = 62500000;
	return (uint64_t)((unsigned __int128)(counter() - counter_base) * 1000000000u / hz);
}

static uint64_t wall_base;

uint64_t plat_clock_wall(void)
{
	if (!wall_base)
		wall_base = (uint64_t)mmio_read32(PL031) * 1000000000u - plat_clock_monotonic();
	return wall_base + plat_clock_monotonic();
}

/* --- devices (../devices.c) --- */

mirage_result plat_random(void *buf, size_t len)
{
	static int have_rndr = -1;
	static uint64_t x;
	if (have_rndr < 0) {
		uint64_t isar0;
		__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
		have_rndr = (isar0 >> 60) & 0xf ? 1 : 0;
		x = counter() ^ 0x9e3779b97f4a7c15ULL;
	}
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = 0;
		int ok = 0;
		if (have_rndr) {
			uint64_t nzcv;
			/* RNDR (s3_3_c2_c4_0): Z set when it failed */
			__asm__ __volatile__("mrs %0, s3_3_c2_c4_0; mrs %1, nzcv"
					     : "=r"(v), "=r"(nzcv));
			ok = !(nzcv & (1 << 30));
		}
		if (!ok) {
			/* no RNDR: a counter-seeded xorshift, which is NOT for keys */
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v = x ^ counter();
		}
		size_t n = len - i < 8 ? len - i : 8;
		memcpy(p + i, &v, n);
	}
	return MIRAGE_OK;
}

/* --- exit --- */

extern char semihosting_exit_insn[];

static _Noreturn void psci_off(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000008; /* SYSTEM_OFF */
	__asm__ __volatile__("hvc #0" : "+r"(x0) : : "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

void plat_exit(int status)
{
	/* SYS_EXIT with ADP_Stopped_ApplicationExit and the status: QEMU ends
	 * with it when semihosting is on; when it is off the HLT traps, and the
	 * exception handler powers off through PSCI instead */
	static uint64_t block[2];
	block[0] = 0x20026;
	block[1] = (uint64_t)status & 0xff;
	register uint64_t x0 __asm__("x0") = 0x18;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
	__asm__ __volatile__(".globl semihosting_exit_insn\nsemihosting_exit_insn: hlt #0xf000"
			     : "+r"(x0)
			     : "r"(x1)
			     : "memory");
	psci_off();
}

static void put_hex(uint64_t v)
{
	char b[19] = "0x";
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	plat_console_write(b, 18);
}

void virtio_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (elr == (uint64_t)(uintptr_t)semihosting_exit_insn)
		psci_off(); /* no semihosting: the status cannot go out */
	static const char msg[] = "\nunikernel fault: exception ";
	plat_console_write(msg, sizeof(msg) - 1);
	put_hex(kind);
	plat_console_write(" esr ", 5);
	put_hex(esr);
	plat_console_write(" pc ", 4);
	put_hex(elr);
	plat_console_write(" address ", 9);
	put_hex(far);
	plat_console_write("\n", 1);
	plat_exit(139);
}

/* --- boot: the device tree --- */

static char cmdline[4096];

#define MAX_ARGS 128
static char *argv[MAX_ARGS + 1];

void virtio_start(uint64_t dtb)
{
	counter_base = counter();
	virtio_devices_init();
	uint64_t base = 0, size = 0;
	/* QEMU gives the device tree in x0 to images it boots like Linux, and
	 * puts it at the start of RAM for others */
	const uint8_t *fdt = dtb ? (const uint8_t *)(uintptr_t)dtb : (const uint8_t *)RAM_BASE;
	fdt_read(fdt, 64 << 20, cmdline, sizeof(cmdline), &base, &size);
	if (!size) {
		base = RAM_BASE;
		size = 128 << 20;
	}
	uint64_t start = ((uintptr_t)_end + 4095) & ~4095ULL;
	uint64_t end = base + size;
	if (end > 0x100000000ULL)
		end = 0x100000000ULL; /* the page tables map 4 GiB */
	if (start < end)
		__mirage_heap_init((void *)(uintptr_t)start, end - start);
	int argc = mirage_args_split(cmdline, 0, argv, MAX_ARGS);
	virtio_scan();
	plat_exit(mirage_main(argc, argv));
}
