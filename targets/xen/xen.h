/* xen.h: the part of Xen's guest ABI the xen target uses (x86_64, PVH), as
 * Xen's public headers define it (xen/include/public/: xen.h, memory.h,
 * event_channel.h, sched.h, hvm/params.h, grant_table.h, io/ring.h,
 * io/xs_wire.h, io/console.h, io/netif.h, io/blkif.h), and the runtime's
 * own interfaces between its files. */
#ifndef XEN_XEN_H
#define XEN_XEN_H

#include <stddef.h>
#include <stdint.h>

#include "mirage_api.h"

#define XEN_PAGE 4096

/* --- hypercalls (xen.h) --- */
#define HYPERVISOR_memory_op	    12
#define HYPERVISOR_xen_version	    17
#define HYPERVISOR_console_io	    18
#define HYPERVISOR_grant_table_op   20
#define HYPERVISOR_sched_op	    29
#define HYPERVISOR_event_channel_op 32
#define HYPERVISOR_hvm_op	    34

#define DOMID_SELF 0x7ff0u

#define CONSOLEIO_write 0

/* memory.h */
#define XENMEM_add_to_physmap	 7
#define XENMAPSPACE_shared_info	 0
#define XENMAPSPACE_grant_table	 1
struct xen_add_to_physmap {
	uint16_t domid, size;
	uint32_t space;
	uint64_t idx, gpfn;
};

/* sched.h */
#define SCHEDOP_yield	 0
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll	 3
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash	  3
struct sched_poll {
	uint32_t *ports;
	uint32_t nr_ports;
	uint64_t timeout; /* Xen system time, ns; 0: none */
};

/* event_channel.h */
#define EVTCHNOP_close		3
#define EVTCHNOP_send		4
#define EVTCHNOP_alloc_unbound	6
struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	uint32_t port; /* out */
};

/* hvm/hvm_op.h, hvm/params.h */
#define HVMOP_get_param		1
#define HVM_PARAM_STORE_PFN	1
#define HVM_PARAM_STORE_EVTCHN	2
#define HVM_PARAM_CONSOLE_PFN	17
#define HVM_PARAM_CONSOLE_EVTCHN 18
struct xen_hvm_param {
	uint16_t domid;
	uint32_t index;
	uint64_t value;
};

/* The shared info page (xen.h, x86_64 layout). */
struct vcpu_time_info {
	uint32_t version, pad0;
	uint64_t tsc_timestamp, system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags, pad1[2];
};
struct vcpu_info {
	uint8_t evtchn_upcall_pending, evtchn_upcall_mask;
	uint64_t evtchn_pending_sel;
	uint64_t cr2, pad;
	struct vcpu_time_info time;
};
struct shared_info {
	struct vcpu_info vcpu_info[32];
	uint64_t evtchn_pending[64], evtchn_mask[64];
	uint32_t wc_version, wc_sec, wc_nsec, wc_sec_hi;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc_version at 3072");

/* grant_table.h (version 1) */
#define GTF_permit_access 1
#define GTF_readonly	  4
struct grant_entry_v1 {
	uint16_t flags, domid;
	uint32_t frame;
};

/* --- platform.c --- */

/* Whether the kernel runs on Xen (else under QEMU's PVH loader: a PC). */
int xen_present(void);

/* --- hypercall.c --- */

/* Whether the kernel runs on Xen (CPUID); if so, sets up the hypercall page
 * and maps the shared info page. Called once, first. */
int xen_init(void);
extern volatile struct shared_info *xen_shared;
long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3);
/* An HVM parameter of this domain, or -1. */
int xen_hvm_param(unsigned index, uint64_t *value);
/* Xen's system time: nanoseconds since the host booted (pvclock). */
uint64_t xen_system_time(void);
/* Seconds and nanoseconds of the wall clock at system time 0. */
uint64_t xen_wall_base(void);

/* --- events.c --- */

/* Masks port (no upcall: the runtime polls) and remembers it. */
void xen_evtchn_watch(uint32_t port);
int xen_evtchn_alloc_unbound(uint16_t remote, uint32_t *port);
void xen_evtchn_notify(uint32_t port);
/* Clears port's pending bit; returns whether it was set. */
int xen_evtchn_clear(uint32_t port);
/* Clears the pending bits of every watched port (before looking at the
 * rings, then waiting). */
void xen_evtchn_clear_all(void);
/* Blocks the vCPU until one of the watched ports is pending or the system
 * time reaches timeout (0: none). */
void xen_evtchn_wait(uint64_t timeout);

/* --- console.c --- */

/* The PV console (its ring and event channel, from HVM parameters); when
 * there is none (dom0), the hypervisor's console_io. */
void xen_console_init(void);
void xen_console_write(const char *buf, size_t len);
/* Waits, for at most a second, until the console daemon has read it all. */
void xen_console_drain(void);

/* --- gnttab.c --- */

int xen_gnttab_init(void);
/* Grants domain dom access to the page at gpfn; returns the reference, or -1
 * when the table is full. */
int xen_grant(uint16_t dom, uint64_t gpfn, int readonly);
void xen_grant_end(int ref);

/* --- xenstore.c (the protocol in xs_wire.c) --- */

int xen_store_init(void);
/* Reads path into buf (NUL-terminated). 0, or -1 (absent, or an error). */
int xen_store_read(const char *path, char *buf, size_t size);
int xen_store_write(const char *path, const char *value);
/* Reads path as an unsigned number; -1 when absent or not one. */
int xen_store_read_u64(const char *path, uint64_t *v);
/* The entries of a directory, NUL-separated, into buf; their count or -1. */
int xen_store_directory(const char *path, char *buf, size_t size);
/* Waits until path reads as one of the XenBus states in the mask
 * (1 << state), for at most timeout_ns (a watch ends each wait). Returns the
 * state, or -1. */
int xen_store_wait_state(const char *path, unsigned mask, uint64_t timeout_ns);

/* XenBus states (io/xenbus.h) */
enum {
	XENBUS_INITIALISING = 1,
	XENBUS_INITWAIT = 2,
	XENBUS_INITIALISED = 3,
	XENBUS_CONNECTED = 4,
	XENBUS_CLOSING = 5,
	XENBUS_CLOSED = 6
};

/* --- netfront.c, blkfront.c: devices by their index among device/vif and
 * device/vbd (xenstore order) --- */

int xen_net_open(int nth);
void xen_net_mac(int h, uint8_t mac[6]);
mirage_result xen_net_read(int h, void *buf, size_t size, size_t *len);
mirage_result xen_net_write(int h, const void *buf, size_t len);
int xen_net_pending(int h);

int xen_block_open(int nth);
uint64_t xen_block_capacity(int h);
size_t xen_block_sector_size(int h);
mirage_result xen_block_io(int h, int write, uint64_t offset, void *buf, size_t len);
mirage_result xen_block_flush(int h);

#endif
