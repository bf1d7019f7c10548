/* blkfront.c: Xen block devices (device/vbd/N): one ring of 32 requests,
 * each of up to 11 page segments (44 KiB), through bounce pages granted
 * once. A read or write of any length is cut into such requests, as many
 * queued at once as the ring holds, with one notification per batch.
 * Flush is BLKIF_OP_FLUSH_DISKCACHE, else a write barrier, else nothing
 * when the backend offers neither (its writes are then not cached). */
#include <stdlib.h>
#include <string.h>

#include "mirage_platform.h"
#include "ring.h"
#include "xenbus.h"

#define OP_READ	   0
#define OP_WRITE   1
#define OP_BARRIER 2
#define OP_FLUSH   3
#define SEGS	   11

struct blk_seg {
	uint32_t gref;
	uint8_t first_sect, last_sect;
	uint16_t pad;
};
struct blk_req {
	uint8_t operation, nr_segments;
	uint16_t handle;
	uint64_t id, sector;
	struct blk_seg seg[SEGS];
};
struct blk_rsp {
	uint64_t id;
	uint8_t operation;
	int16_t status;
};
union blk_entry {
	struct blk_req req;
	struct blk_rsp rsp;
};
_Static_assert(sizeof(union blk_entry) == 112, "blkif entries");

#define SLOTS	   32
#define SLOT_BYTES (SEGS * XEN_PAGE)
#define MAX_BLKS   4
#define MS	   1000000ULL
#define SEC	   1000000000ULL

struct blkfront {
	struct xenbus_dev dev;
	struct xen_front_ring ring;
	uint32_t port;
	uint64_t capacity;
	size_t sector_size;
	int flush_op;	/* OP_FLUSH, OP_BARRIER or -1 */
	uint8_t *pages; /* SLOTS * SEGS bounce pages */
	uint32_t gref[SLOTS * SEGS];
};

static struct blkfront blks[MAX_BLKS];
static int nblks;

static int setup(struct blkfront *b)
{
	void *rp = aligned_alloc(XEN_PAGE, XEN_PAGE);
	b->pages = aligned_alloc(XEN_PAGE, (size_t)SLOTS * SLOT_BYTES);
	if (!rp || !b->pages) {
		xenbus_fail(&b->dev, "no memory for the ring (1.4 MiB)");
		return -1;
	}
	memset(rp, 0, XEN_PAGE);
	xen_ring_init(&b->ring, rp, sizeof(union blk_entry));
	uint16_t dom = b->dev.backend_id;
	int ref = xen_grant(dom, (uintptr_t)rp / XEN_PAGE, 0);
	for (unsigned i = 0; i < SLOTS * SEGS; i++) {
		int g = xen_grant(dom, ((uintptr_t)b->pages + (size_t)i * XEN_PAGE) / XEN_PAGE, 0);
		if (g < 0) {
			xenbus_fail(&b->dev, "the grant table is full");
			return -1;
		}
		b->gref[i] = (uint32_t)g;
	}
	if (ref < 0 || xen_evtchn_alloc_unbound(dom, &b->port) < 0) {
		xenbus_fail(&b->dev, "no grant or event channel for the ring");
		return -1;
	}
	if (xenbus_wait_backend(&b->dev, 1u << XENBUS_INITWAIT | 1u << XENBUS_CONNECTED,
				"ready (InitWait)") < 0)
		return -1;
	if (xenbus_write(&b->dev, "ring-ref", (uint64_t)ref) < 0 ||
	    xenbus_write(&b->dev, "event-channel", b->port) < 0 ||
	    xenbus_write_str(&b->dev, "protocol", "x86_64-abi") < 0 ||
	    xenbus_write(&b->dev, "state", XENBUS_INITIALISED) < 0) {
		xenbus_fail(&b->dev, "could not write the front end's keys");
		return -1;
	}
	if (xenbus_wait_backend(&b->dev, 1u << XENBUS_CONNECTED, "connected") < 0)
		return -1;
	uint64_t sectors, ssize = 512, flag;
	if (xenbus_read_u64(&b->dev, "sectors", &sectors) < 0) {
		xenbus_fail(&b->dev, "the backend gives no size (sectors)");
		return -1;
	}
	xenbus_read_u64(&b->dev, "sector-size", &ssize);
	if (ssize < 512 || ssize > XEN_PAGE || (ssize & (ssize - 1))) {
		xenbus_fail(&b->dev,
			    "the backend's sector-size is not a power of two of 512 to 4096");
		return -1;
	}
	/* "sectors" counts 512-byte units (io/blkif.h) */
	b->capacity = sectors * 512 / ssize * ssize;
	b->sector_size = (size_t)ssize;
	b->flush_op = xenbus_read_u64(&b->dev, "feature-flush-cache", &flag) == 0 && flag ? OP_FLUSH
		      : xenbus_read_u64(&b->dev, "feature-barrier", &flag) == 0 && flag ? OP_BARRIER
											: -1;
	xenbus_write(&b->dev, "state", XENBUS_CONNECTED);
	return 0;
}

int xen_block_open(int nth)
{
	if (nblks == MAX_BLKS)
		return -1;
	struct blkfront *b = &blks[nblks];
	if (xenbus_find("device/vbd", nth, &b->dev) < 0 || setup(b) < 0)
		return -1;
	return nblks++;
}

uint64_t xen_block_capacity(int h)
{
	return blks[h].capacity;
}

size_t xen_block_sector_size(int h)
{
	return blks[h].sector_size;
}

/* Waits for the responses to every queued request; the status of the
 * first that failed, or MIRAGE_OK. Reads are copied out of the bounce pages
 * (slot i holds the bytes at out + i * SLOT_BYTES). */
static mirage_result complete(struct blkfront *b, uint8_t *out, size_t len)
{
	mirage_result res = MIRAGE_OK;
	uint64_t end = xen_system_time() + 30 * SEC;
	while (b->ring.rsp_cons != b->ring.req_prod_pvt) {
		xen_evtchn_clear_all();
		if (!xen_ring_responses(&b->ring)) {
			if (xen_system_time() >= end)
				return MIRAGE_EIO; /* the backend is gone */
			xen_evtchn_wait(end);
			continue;
		}
		uint32_t prod = b->ring.sring->rsp_prod;
		barrier();
		if (!xen_ring_response_ok(&b->ring, prod))
			return MIRAGE_EIO;
		for (; b->ring.rsp_cons != prod; b->ring.rsp_cons++) {
			const struct blk_rsp *r = xen_ring_slot(&b->ring, b->ring.rsp_cons);
			uint64_t slot = r->id;
			if (r->status != 0 || slot >= SLOTS) {
				res = MIRAGE_EIO;
				continue;
			}
			if (out && slot * SLOT_BYTES < len) {
				size_t n = len - slot * SLOT_BYTES;
				memcpy(out + slot * SLOT_BYTES, b->pages + slot * SLOT_BYTES,
				       n < SLOT_BYTES ? n : SLOT_BYTES);
			}
		}
	}
	return res;
}

mirage_result xen_block_io(int h, int write, uint64_t offset, void *buf, size_t len)
{
	struct blkfront *b = &blks[h];
	uint8_t *p = buf;
	while (len) {
		/* one batch: up to SLOTS requests */
		size_t batch = len < (size_t)SLOTS * SLOT_BYTES ? len : (size_t)SLOTS * SLOT_BYTES;
		for (size_t at = 0, slot = 0; at < batch; at += SLOT_BYTES, slot++) {
			size_t n = batch - at < SLOT_BYTES ? batch - at : SLOT_BYTES;
			uint8_t *bounce = b->pages + slot * SLOT_BYTES;
			if (write)
				memcpy(bounce, p + at, n);
			struct blk_req *r = xen_ring_slot(&b->ring, b->ring.req_prod_pvt++);
			r->operation = write ? OP_WRITE : OP_READ;
			r->handle = 0;
			r->id = slot;
			r->sector = (offset + at) / 512;
			r->nr_segments = (uint8_t)((n + XEN_PAGE - 1) / XEN_PAGE);
			for (unsigned s = 0; s < r->nr_segments; s++) {
				size_t bytes =
				    n - s * XEN_PAGE < XEN_PAGE ? n - s * XEN_PAGE : XEN_PAGE;
				r->seg[s] = (struct blk_seg){b->gref[slot * SEGS + s], 0,
							     (uint8_t)(bytes / 512 - 1), 0};
			}
		}
		if (xen_ring_push(&b->ring))
			xen_evtchn_notify(b->port);
		mirage_result res = complete(b, write ? NULL : p, batch);
		if (res != MIRAGE_OK)
			return res;
		p += batch, offset += batch, len -= batch;
	}
	return MIRAGE_OK;
}

mirage_result xen_block_flush(int h)
{
	struct blkfront *b = &blks[h];
	if (b->flush_op < 0)
		return MIRAGE_OK;
	struct blk_req *r = xen_ring_slot(&b->ring, b->ring.req_prod_pvt++);
	memset(r, 0, sizeof(*r));
	r->operation = (uint8_t)b->flush_op;
	if (xen_ring_push(&b->ring))
		xen_evtchn_notify(b->port);
	return complete(b, NULL, 0);
}
