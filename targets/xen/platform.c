/* platform.c: the platform ABI for xen unikernels (PVH, x86_64). Xen
 * starts the kernel at the PVH entry (x86/boot.S) with the start info; the
 * console is the PV console, the clocks Xen's system time and wall clock,
 * the exit a SCHEDOP_shutdown. The same kernel also boots under QEMU's PVH
 * loader (-M microvm) where there is no Xen: then it is a PC (x86/pc.c):
 * serial console, TSC and CMOS clocks, the status through isa-debug-exit,
 * and no devices but the console and kv_ro. */
#include <stdint.h>
#include <stdio.h>

#include "../x86/x86.h"
#include "mirage_platform.h"
#include "mirage_rt.h"
#include "xen.h"

#define MAX_ARGS 128

/* The ABI note of a MIRAGE image: which target and ABI it was built for. */
MIRAGE_ABI_NOTE("xen", 1);

static int on_xen, have_store;
static uint64_t time_base, tsc_hz, wall_base;

void plat_console_write(const char *buf, size_t len)
{
	if (on_xen)
		xen_console_write(buf, len);
	else
		pc_serial_write(PC_COM1, buf, len);
}

uint64_t plat_clock_monotonic(void)
{
	if (on_xen)
		return xen_system_time() - time_base;
	if (!tsc_hz)
		tsc_hz = pc_tsc_hz();
	return (uint64_t)((unsigned __int128)(rdtsc() - time_base) * 1000000000u / tsc_hz);
}

uint64_t plat_clock_wall(void)
{
	if (!wall_base)
		wall_base = on_xen ? xen_wall_base() + time_base
				   : pc_cmos_seconds() * 1000000000u - plat_clock_monotonic();
	return wall_base + plat_clock_monotonic();
}

mirage_result plat_random(void *buf, size_t len)
{
	pc_random(buf, len);
	return MIRAGE_OK;
}

/* The exit status, for whoever started the domain: written to
 * data/mirage-exit-status in xenstore (the domain's own directory, readable
 * by dom0 while the domain is kept: on_poweroff and on_crash "preserve"),
 * then the domain powers off (0) or crashes (anything else). */
void plat_exit(int status)
{
	/* as dom0 (only in tests) there is no xenstore, but the I/O ports of
	 * QEMU's isa-debug-exit are ours */
	if (!on_xen || !have_store)
		pc_exit(status);
	unsigned v = (unsigned)status & 0xff;
	char s[8];
	snprintf(s, sizeof(s), "%u", v);
	xen_store_write("data/mirage-exit-status", s);
	xen_console_drain();
	unsigned reason = v ? SHUTDOWN_crash : SHUTDOWN_poweroff;
	for (;;)
		xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&reason, 0);
}

/* Whether the kernel runs on Xen (devices.c: no devices otherwise). */
int xen_present(void)
{
	return on_xen;
}

static char *argv[MAX_ARGS + 1];

void x86_start(uint32_t protocol, uint32_t info)
{
	on_xen = xen_init();
	if (on_xen) {
		time_base = xen_system_time();
		xen_console_init();
	} else {
		pc_serial_init(PC_COM1);
		time_base = rdtsc();
	}
	x86_traps_init();
	int argc = x86_boot_args(protocol, info, argv, MAX_ARGS);
	mirage_tls_from_image();
	/* without xenstore (dom0) there are no devices but the console */
	if (on_xen && xen_store_init() == 0) {
		have_store = 1;
		if (xen_gnttab_init() < 0)
			mirage_abort("xen: the grant table could not be mapped");
	}
	mirage_exit(mirage_main(argc, argv));
}
