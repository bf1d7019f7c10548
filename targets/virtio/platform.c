/* platform.c: the platform ABI for virtio unikernels on x86_64: serial
 * console (COM1), clocks from the TSC (calibrated against the PIT when first
 * needed) and the CMOS real-time clock, boot arguments and memory from the
 * multiboot or PVH boot information, virtio-pci network and block devices,
 * and the exit status carried out through QEMU's isa-debug-exit device and
 * COM2 (x86/pc.c). */
#include <stdint.h>

#include "../x86/x86.h"
#include "mirage_platform.h"
#include "mirage_rt.h"
#include "virtio.h"

#define MAX_ARGS 128

void plat_console_write(const char *buf, size_t len)
{
	pc_serial_write(PC_COM1, buf, len);
}

static uint64_t tsc_base, tsc_hz;

uint64_t plat_clock_monotonic(void)
{
	if (!tsc_hz)
		tsc_hz = pc_tsc_hz();
	return (uint64_t)((unsigned __int128)(rdtsc() - tsc_base) * 1000000000u / tsc_hz);
}

static uint64_t wall_base;

uint64_t plat_clock_wall(void)
{
	if (!wall_base)
		wall_base = pc_cmos_seconds() * 1000000000u - plat_clock_monotonic();
	return wall_base + plat_clock_monotonic();
}

mirage_result plat_random(void *buf, size_t len)
{
	pc_random(buf, len);
	return MIRAGE_OK;
}

void plat_exit(int status)
{
	pc_exit(status);
}

static char *argv[MAX_ARGS + 1];

void x86_start(uint32_t protocol, uint32_t info)
{
	pc_serial_init(PC_COM1);
	x86_traps_init();
	tsc_base = rdtsc();
	virtio_devices_init();
	int argc = x86_boot_args(protocol, info, argv, MAX_ARGS);
	mirage_tls_from_image();
	mirage_exit(mirage_main(argc, argv));
}
