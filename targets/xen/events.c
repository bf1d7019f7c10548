/* events.c: event channels, polled. Every port the runtime uses is masked
 * (Xen sends no upcall); the idle wait blocks the vCPU in SCHEDOP_poll on
 * them with the deadline as timeout, so a waiting unikernel uses no CPU.
 * Events only wake: the rings say what happened. A waiter clears the
 * pending bits, then looks at its rings, then waits, so that no event is
 * lost between the look and the wait. */
#include <stdint.h>

#include "xen.h"

#define MAX_PORTS 32

static uint32_t ports[MAX_PORTS];
static unsigned nports;

void xen_evtchn_watch(uint32_t port)
{
	if (port >= 64 * 64)
		return;
	__atomic_or_fetch(&xen_shared->evtchn_mask[port / 64], 1ULL << (port % 64),
			  __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < nports; i++)
		if (ports[i] == port)
			return;
	if (nports < MAX_PORTS)
		ports[nports++] = port;
}

int xen_evtchn_alloc_unbound(uint16_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound a = {DOMID_SELF, remote, 0};
	if (xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uintptr_t)&a, 0))
		return -1;
	*port = a.port;
	xen_evtchn_watch(a.port);
	return 0;
}

void xen_evtchn_notify(uint32_t port)
{
	uint32_t p = port;
	xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_send, (uintptr_t)&p, 0);
}

int xen_evtchn_clear(uint32_t port)
{
	uint64_t bit = 1ULL << (port % 64);
	return (__atomic_fetch_and(&xen_shared->evtchn_pending[port / 64], ~bit, __ATOMIC_SEQ_CST) &
		bit) != 0;
}

void xen_evtchn_clear_all(void)
{
	for (unsigned i = 0; i < nports; i++)
		xen_evtchn_clear(ports[i]);
}

void xen_evtchn_wait(uint64_t timeout)
{
	/* an upcall Xen flagged would make the poll return at once */
	xen_shared->vcpu_info[0].evtchn_upcall_pending = 0;
	struct sched_poll p = {ports, nports, timeout};
	xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_poll, (uintptr_t)&p, 0);
}
