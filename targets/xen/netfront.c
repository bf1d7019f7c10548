/* netfront.c: Xen network devices (device/vif/N) with the receive path by
 * copy (request-rx-copy): a transmit and a receive ring of 256 entries
 * each, every entry with a granted page of its own, granted once. A frame
 * sent is copied into a free transmit page and queued; the backend is
 * notified only when its event index asks for it, so that frames sent in
 * one turn of the event loop cost one notification. Received frames are
 * copied out and their pages given back to the backend at once. */
#include <stdlib.h>
#include <string.h>

#include "mirage_platform.h"
#include "ring.h"
#include "xenbus.h"

struct tx_req {
	uint32_t gref;
	uint16_t offset, flags, id, size;
};
struct tx_rsp {
	uint16_t id;
	int16_t status;
};
struct rx_req {
	uint16_t id, pad;
	uint32_t gref;
};
struct rx_rsp {
	uint16_t id, offset, flags;
	int16_t status;
};
union tx_entry {
	struct tx_req req;
	struct tx_rsp rsp;
};
union rx_entry {
	struct rx_req req;
	struct rx_rsp rsp;
};
_Static_assert(sizeof(union tx_entry) == 12 && sizeof(union rx_entry) == 8, "netif entries");

#define SLOTS	 256
#define MAX_NETS 4
#define RX_MORE	 4 /* NETRXF_more_data */

struct netfront {
	struct xenbus_dev dev;
	struct xen_front_ring tx, rx;
	uint32_t port;
	uint8_t mac[6];
	uint8_t *tx_pages, *rx_pages; /* SLOTS pages each */
	uint32_t tx_gref[SLOTS], rx_gref[SLOTS];
	uint16_t tx_free[SLOTS];
	unsigned ntx_free;
};

static struct netfront nets[MAX_NETS];
static int nnets;

static uint64_t pfn(const void *p)
{
	return (uintptr_t)p / XEN_PAGE;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++, s++) {
			char c = *s;
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
				     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
							    : 16;
			if (d > 15)
				return -1;
			v = v * 16 + d;
		}
		mac[i] = (uint8_t)v;
		if (*s != (i < 5 ? ':' : '\0'))
			return -1;
		s += i < 5;
	}
	return 0;
}

static void post_rx(struct netfront *n, uint16_t id)
{
	struct rx_req *r = xen_ring_slot(&n->rx, n->rx.req_prod_pvt++);
	r->id = id;
	r->gref = n->rx_gref[id];
}

static int setup(struct netfront *n)
{
	char mac[32];
	if (xenbus_read(&n->dev, 0, "mac", mac, sizeof(mac)) < 0 || parse_mac(mac, n->mac) < 0) {
		xenbus_fail(&n->dev, "no MAC address (mac) in xenstore");
		return -1;
	}
	void *txp = aligned_alloc(XEN_PAGE, XEN_PAGE), *rxp = aligned_alloc(XEN_PAGE, XEN_PAGE);
	n->tx_pages = aligned_alloc(XEN_PAGE, (size_t)SLOTS * XEN_PAGE);
	n->rx_pages = aligned_alloc(XEN_PAGE, (size_t)SLOTS * XEN_PAGE);
	if (!txp || !rxp || !n->tx_pages || !n->rx_pages) {
		xenbus_fail(&n->dev, "no memory for the rings (2 MiB)");
		return -1;
	}
	memset(txp, 0, XEN_PAGE);
	memset(rxp, 0, XEN_PAGE);
	xen_ring_init(&n->tx, txp, sizeof(union tx_entry));
	xen_ring_init(&n->rx, rxp, sizeof(union rx_entry));
	uint16_t b = n->dev.backend_id;
	int txref = xen_grant(b, pfn(txp), 0), rxref = xen_grant(b, pfn(rxp), 0);
	for (unsigned i = 0; i < SLOTS; i++) {
		int t = xen_grant(b, pfn(n->tx_pages + (size_t)i * XEN_PAGE), 1);
		int r = xen_grant(b, pfn(n->rx_pages + (size_t)i * XEN_PAGE), 0);
		if (t < 0 || r < 0) {
			xenbus_fail(&n->dev, "the grant table is full");
			return -1;
		}
		n->tx_gref[i] = (uint32_t)t, n->rx_gref[i] = (uint32_t)r;
		n->tx_free[n->ntx_free++] = (uint16_t)(SLOTS - 1 - i);
	}
	if (txref < 0 || rxref < 0 || xen_evtchn_alloc_unbound(b, &n->port) < 0) {
		xenbus_fail(&n->dev, "no grant or event channel for the rings");
		return -1;
	}
	if (xenbus_wait_backend(&n->dev, 1u << XENBUS_INITWAIT | 1u << XENBUS_CONNECTED,
				"ready (InitWait)") < 0)
		return -1;
	if (xenbus_write(&n->dev, "tx-ring-ref", (uint64_t)txref) < 0 ||
	    xenbus_write(&n->dev, "rx-ring-ref", (uint64_t)rxref) < 0 ||
	    xenbus_write(&n->dev, "event-channel", n->port) < 0 ||
	    xenbus_write(&n->dev, "request-rx-copy", 1) < 0 ||
	    xenbus_write(&n->dev, "feature-rx-notify", 1) < 0 ||
	    /* whole checksums: the stack checks every one */
	    xenbus_write(&n->dev, "feature-no-csum-offload", 1) < 0 ||
	    xenbus_write(&n->dev, "state", XENBUS_CONNECTED) < 0) {
		xenbus_fail(&n->dev, "could not write the front end's keys");
		return -1;
	}
	if (xenbus_wait_backend(&n->dev, 1u << XENBUS_CONNECTED, "connected") < 0)
		return -1;
	for (unsigned i = 0; i < n->rx.size && i < SLOTS; i++)
		post_rx(n, (uint16_t)i);
	if (xen_ring_push(&n->rx))
		xen_evtchn_notify(n->port);
	return 0;
}

int xen_net_open(int nth)
{
	if (nnets == MAX_NETS)
		return -1;
	struct netfront *n = &nets[nnets];
	if (xenbus_find("device/vif", nth, &n->dev) < 0 || setup(n) < 0)
		return -1;
	return nnets++;
}

void xen_net_mac(int h, uint8_t mac[6])
{
	memcpy(mac, nets[h].mac, 6);
}

/* Gives back the pages of frames sent. */
static void reap_tx(struct netfront *n)
{
	while (xen_ring_responses(&n->tx)) {
		uint32_t prod = n->tx.sring->rsp_prod;
		barrier();
		if (!xen_ring_response_ok(&n->tx, prod))
			return;
		for (; n->tx.rsp_cons != prod; n->tx.rsp_cons++) {
			const struct tx_rsp *r = xen_ring_slot(&n->tx, n->tx.rsp_cons);
			if (r->id < SLOTS && n->ntx_free < SLOTS)
				n->tx_free[n->ntx_free++] = r->id;
		}
	}
}

mirage_result xen_net_write(int h, const void *buf, size_t len)
{
	struct netfront *n = &nets[h];
	if (len > XEN_PAGE)
		return MIRAGE_INVALID;
	reap_tx(n);
	if (!n->ntx_free || !xen_ring_free(&n->tx))
		return MIRAGE_AGAIN;
	uint16_t id = n->tx_free[--n->ntx_free];
	memcpy(n->tx_pages + (size_t)id * XEN_PAGE, buf, len);
	struct tx_req *r = xen_ring_slot(&n->tx, n->tx.req_prod_pvt++);
	*r = (struct tx_req){n->tx_gref[id], 0, 0, id, (uint16_t)len};
	if (xen_ring_push(&n->tx))
		xen_evtchn_notify(n->port);
	return MIRAGE_OK;
}

int xen_net_pending(int h)
{
	return xen_ring_responses(&nets[h].rx);
}

mirage_result xen_net_read(int h, void *buf, size_t size, size_t *len)
{
	struct netfront *n = &nets[h];
	for (;;) {
		uint32_t prod = n->rx.sring->rsp_prod;
		barrier();
		if (prod == n->rx.rsp_cons || !xen_ring_response_ok(&n->rx, prod))
			return MIRAGE_AGAIN;
		const struct rx_rsp r =
		    *(const struct rx_rsp *)xen_ring_slot(&n->rx, n->rx.rsp_cons);
		n->rx.rsp_cons++;
		uint16_t id = r.id < SLOTS ? r.id : 0;
		post_rx(n, id);
		if (xen_ring_push(&n->rx))
			xen_evtchn_notify(n->port);
		/* errors, and frames in pieces (we did not offer feature-sg),
		 * are dropped */
		if (r.status <= 0 || r.id >= SLOTS || (r.flags & RX_MORE) ||
		    (size_t)r.offset + (size_t)r.status > XEN_PAGE)
			continue;
		size_t l = (size_t)r.status < size ? (size_t)r.status : size;
		memcpy(buf, n->rx_pages + (size_t)id * XEN_PAGE + r.offset, l);
		*len = l;
		return MIRAGE_OK;
	}
}
