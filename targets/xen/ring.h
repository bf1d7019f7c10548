/* ring.h: Xen's shared request/response rings (io/ring.h): a page holding
 * the producer and event indices and a power-of-two array of entries, each
 * a request or, once the backend answered it, a response. The front end
 * keeps its private producer and consumer; these are its calls, free of
 * hypercalls (unit-tested on the host, tests/unit/test_xen.c). */
#ifndef XEN_RING_H
#define XEN_RING_H

#include <stddef.h>
#include <stdint.h>

#include "mirage_cpu.h"

struct xen_sring {
	volatile uint32_t req_prod, req_event, rsp_prod, rsp_event;
	uint8_t pad[48];
	uint8_t ring[];
};

struct xen_front_ring {
	uint32_t req_prod_pvt, rsp_cons, size;
	struct xen_sring *sring;
	size_t entry;
};

/* The entries of a page of entry-byte entries: the largest power of two. */
static inline uint32_t xen_ring_entries(size_t entry)
{
	size_t n = (4096 - sizeof(struct xen_sring)) / entry;
	uint32_t p = 1;
	while (p * 2 <= n)
		p *= 2;
	return p;
}

static inline void xen_ring_init(struct xen_front_ring *r, void *page, size_t entry)
{
	struct xen_sring *s = page;
	s->req_prod = s->rsp_prod = 0;
	s->req_event = s->rsp_event = 1;
	r->sring = s;
	r->entry = entry;
	r->size = xen_ring_entries(entry);
	r->req_prod_pvt = r->rsp_cons = 0;
}

static inline void *xen_ring_slot(struct xen_front_ring *r, uint32_t idx)
{
	return r->sring->ring + (size_t)(idx & (r->size - 1)) * r->entry;
}

/* Requests that may still be queued. */
static inline uint32_t xen_ring_free(const struct xen_front_ring *r)
{
	return r->size - (r->req_prod_pvt - r->rsp_cons);
}

/* Publishes the queued requests; returns whether the backend asked to be
 * notified of them (its req_event lies among them). */
static inline int xen_ring_push(struct xen_front_ring *r)
{
	uint32_t old = r->sring->req_prod, now = r->req_prod_pvt;
	barrier();
	r->sring->req_prod = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (uint32_t)(now - r->sring->req_event) < (uint32_t)(now - old);
}

/* Whether responses wait; when none, asks for an event at the next one and
 * looks again (so that none is missed). */
static inline int xen_ring_responses(struct xen_front_ring *r)
{
	if (r->sring->rsp_prod != r->rsp_cons)
		return 1;
	r->sring->rsp_event = r->rsp_cons + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return r->sring->rsp_prod != r->rsp_cons;
}

/* Responses beyond what was requested are a broken backend's: the caller
 * stops at them. */
static inline int xen_ring_response_ok(const struct xen_front_ring *r, uint32_t prod)
{
	return (uint32_t)(prod - r->rsp_cons) <= (uint32_t)(r->req_prod_pvt - r->rsp_cons);
}

#endif
