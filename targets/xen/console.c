/* console.c: the PV console: a ring of output bytes in a page the toolstack
 * gave us (HVM_PARAM_CONSOLE_PFN), read by xenconsoled in dom0, which we
 * notify through an event channel (HVM_PARAM_CONSOLE_EVTCHN). A full ring
 * waits for the daemon. Lines end in CR LF: `xl console` puts the terminal
 * in raw mode. Without a PV console (the kernel is dom0) the hypervisor's
 * console_io writes to Xen's own console. */
#include <stdint.h>

#include "mirage_cpu.h"
#include "xen.h"

struct xencons_interface {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod, out_cons, out_prod;
};
_Static_assert(sizeof(struct xencons_interface) == 3088, "the console ring's layout");

#define OUT_SIZE 2048u
#define MS	 1000000ULL

static volatile struct xencons_interface *ring;
static uint32_t port;

void xen_console_init(void)
{
	uint64_t pfn, evtchn;
	if (xen_hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) < 0 || !pfn ||
	    xen_hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn) < 0)
		return;
	ring = (volatile struct xencons_interface *)(uintptr_t)(pfn * XEN_PAGE);
	port = (uint32_t)evtchn;
	xen_evtchn_watch(port);
}

/* Waits up to 10 ms for the daemon to read some (it notifies us). */
static void wait_daemon(uint32_t prod)
{
	xen_evtchn_notify(port);
	xen_evtchn_clear_all();
	if (ring->out_cons != prod)
		xen_evtchn_wait(xen_system_time() + 10 * MS);
}

static void put(char c)
{
	uint32_t prod = ring->out_prod;
	while (prod - ring->out_cons >= OUT_SIZE)
		wait_daemon(prod);
	ring->out[prod % OUT_SIZE] = c;
	barrier();
	ring->out_prod = prod + 1;
}

void xen_console_write(const char *buf, size_t len)
{
	if (!ring) {
		xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (uintptr_t)buf);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			put('\r');
		put(buf[i]);
	}
	barrier();
	xen_evtchn_notify(port);
}

void xen_console_drain(void)
{
	if (!ring)
		return;
	uint64_t end = xen_system_time() + 1000 * MS;
	while (ring->out_cons != ring->out_prod && xen_system_time() < end)
		wait_daemon(ring->out_prod);
}
