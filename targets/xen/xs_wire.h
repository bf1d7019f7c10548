/* xs_wire.h: the xenstore wire protocol (Xen's io/xs_wire.h) over the rings
 * of a shared page, with no hypercall: unit-tested on the host
 * (tests/unit/test_xen.c). xenstore.c adds the event channel and waiting. */
#ifndef XEN_XS_WIRE_H
#define XEN_XS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define XS_RING_SIZE   1024u
#define XS_PAYLOAD_MAX 4096u

enum xs_type {
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_WRITE = 11,
	XS_RM = 13,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16
};

struct xs_msg_hdr {
	uint32_t type, req_id, tx_id, len;
};

/* The page xenstored shares with the domain. */
struct xs_ring_page {
	char req[XS_RING_SIZE];
	char rsp[XS_RING_SIZE];
	volatile uint32_t req_cons, req_prod, rsp_cons, rsp_prod;
};

/* Copies up to len bytes into a ring whose consumer is at cons and producer
 * at *prod (advanced); returns how many fit. */
size_t xs_ring_put(char *ring, uint32_t cons, uint32_t *prod, const void *data, size_t len);
/* Copies up to len bytes out of a ring (from *cons, advanced, to prod);
 * returns how many there were. */
size_t xs_ring_get(const char *ring, uint32_t *cons, uint32_t prod, void *data, size_t len);

/* A request: the header and the payload, the parts each followed by a NUL
 * but the last when nul_last is 0 (XS_WRITE's value). Returns its length
 * into out (XS_PAYLOAD_MAX + header at most), or 0 when too long. */
size_t xs_msg_build(uint32_t type, uint32_t req_id, uint32_t tx_id, const char *const *parts,
		    size_t nparts, int nul_last, uint8_t *out, size_t size);
/* Checks a response header: 0, or -1 when its length is more than the
 * protocol allows (the daemon is not trusted either). */
int xs_msg_check(const struct xs_msg_hdr *h);

#endif
