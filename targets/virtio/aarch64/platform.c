/* platform.c (aarch64): the platform ABI for virtio unikernels on QEMU's
 * -M virt: PL011 console, the generic timer, the PL031 real-time clock, boot
 * arguments and memory from the device tree, virtio-mmio network and block
 * devices, and the exit status through semihosting (SYS_EXIT), falling back
 * to PSCI SYSTEM_OFF where semihosting is off. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "fdt.h"
#include "virtio.h"

void __mirage_heap_init(void *start, size_t len);
_Noreturn void virtio_start(uint64_t dtb);
_Noreturn void virtio_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

extern char _end[];

#define PL011		 0x09000000UL
#define PL031		 0x09010000UL
#define RAM_BASE	 0x40000000UL
#define VIRTIO_MMIO_BASE 0x0a000000UL /* 32 transports */

int virtio_mmio_window(uintptr_t *base, unsigned *count)
{
	*base = VIRTIO_MMIO_BASE;
	*count = 32;
	return 0;
}

int virtio_scan(void)
{
	return virtio_mmio_scan();
}

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
	/* The whole status on the virtio console mirage run attaches to a file;
	 * then SYS_EXIT with ADP_Stopped_ApplicationExit and the status, which
	 * ends QEMU when semihosting is on (by hand: -semihosting-config
	 * enable=on); when it is off the HLT traps, and the exception handler
	 * powers off through PSCI instead. */
	char msg[8] = {(char)('0' + (status & 0xff) / 100), (char)('0' + (status & 0xff) / 10 % 10),
		       (char)('0' + (status & 0xff) % 10), '\n'};
	virtio_console_write(msg, 4);
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

extern char boot_stack_guard[];

/* What an exception class of ESR_EL1 is (ARM ARM D17.2.37), for the report. */
static const char *exception_name(uint64_t esr)
{
	switch (esr >> 26) {
	case 0x00:
		return "undefined instruction";
	case 0x07:
		return "floating-point or SIMD access";
	case 0x0e:
		return "illegal execution state";
	case 0x15:
		return "system call";
	case 0x21:
		return "instruction abort";
	case 0x22:
		return "misaligned pc";
	case 0x25:
		return "data abort";
	case 0x26:
		return "misaligned stack pointer";
	case 0x2c:
		return "floating-point exception";
	case 0x3c:
		return "breakpoint";
	}
	return "exception";
}

void virtio_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (elr == (uint64_t)(uintptr_t)semihosting_exit_insn)
		psci_off(); /* no semihosting: the status cannot go out */
	char msg[256];
	uint64_t ec = esr >> 26, guard = (uint64_t)(uintptr_t)boot_stack_guard;
	if (kind % 4 != 0) /* an interrupt, FIQ or SError: none is enabled */
		snprintf(msg, sizeof(msg),
			 "\n%s: the unikernel faulted: an unexpected exception (kind %llu) at pc "
			 "0x%llx\n",
			 mirage_manifest.unikernel, (unsigned long long)kind,
			 (unsigned long long)elr);
	else if (ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21)
		snprintf(msg, sizeof(msg),
			 "\n%s: the unikernel faulted: %s at pc 0x%llx, address 0x%llx (%s)%s\n",
			 mirage_manifest.unikernel, exception_name(esr), (unsigned long long)elr,
			 (unsigned long long)far, (esr & (1 << 6)) ? "write" : "read",
			 far >= guard && far < guard + 4096 ? ": the stack overflowed" : "");
	else
		snprintf(msg, sizeof(msg),
			 "\n%s: the unikernel faulted: %s (esr 0x%llx) at pc 0x%llx\n",
			 mirage_manifest.unikernel, exception_name(esr), (unsigned long long)esr,
			 (unsigned long long)elr);
	plat_console_write(msg, strlen(msg));
	plat_exit(MIRAGE_EXIT_CRASH);
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
	mirage_tls_from_image();
	mirage_exit(mirage_main(argc, argv));
}
