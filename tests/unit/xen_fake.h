/* xen_fake.h: what the xen runtime's protocol code (xenstore.c, gnttab.c)
 * asks of the hypervisor, faked on the host for test_xen and fuzz_xs: HVM
 * parameters naming a ring page of ours, event channels that run a fake
 * xenstored at each notification, and a clock that jumps to each wait's
 * timeout. The daemon keeps a few keys; fake_store_hostile makes it answer
 * with the bytes of a buffer instead (the fuzz target). */
#ifndef XEN_FAKE_H
#define XEN_FAKE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xen.h"
#include "xs_wire.h"

static struct xs_ring_page fake_page __attribute__((aligned(4096)));
static uint64_t fake_time = 1000;
static int fake_events_before; /* watch events put before each answer */
static const uint8_t *fake_hostile;
static size_t fake_hostile_len;
static unsigned fake_notifies, fake_waits;

#define FAKE_KEYS 16
static char fake_keys[FAKE_KEYS][64], fake_values[FAKE_KEYS][64];

static void fake_set(const char *k, const char *v)
{
	for (int i = 0; i < FAKE_KEYS; i++)
		if (!fake_keys[i][0] || !strcmp(fake_keys[i], k)) {
			snprintf(fake_keys[i], sizeof(fake_keys[i]), "%s", k);
			snprintf(fake_values[i], sizeof(fake_values[i]), "%s", v);
			return;
		}
}

static const char *fake_get(const char *k)
{
	for (int i = 0; i < FAKE_KEYS; i++)
		if (fake_keys[i][0] && !strcmp(fake_keys[i], k))
			return fake_values[i];
	return NULL;
}

int xen_hvm_param(unsigned index, uint64_t *value)
{
	*value = index == HVM_PARAM_STORE_PFN ? (uintptr_t)&fake_page / 4096 : 5;
	return 0;
}

void xen_evtchn_watch(uint32_t port)
{
	(void)port;
}

void xen_evtchn_clear_all(void)
{
}

uint64_t xen_system_time(void)
{
	return fake_time;
}

void xen_evtchn_wait(uint64_t timeout)
{
	fake_waits++;
	if (timeout > fake_time)
		fake_time = timeout;
}

long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)nr, (void)a1, (void)a2, (void)a3;
	return 0;
}

static void fake_answer(uint32_t type, uint32_t id, const void *payload, size_t len)
{
	struct xs_msg_hdr h = {type, id, 0, (uint32_t)len};
	uint32_t prod = fake_page.rsp_prod;
	xs_ring_put(fake_page.rsp, fake_page.rsp_cons, &prod, &h, sizeof(h));
	xs_ring_put(fake_page.rsp, fake_page.rsp_cons, &prod, payload, len);
	fake_page.rsp_prod = prod;
}

/* The daemon: answers every whole request waiting in the ring. */
void xen_evtchn_notify(uint32_t port)
{
	(void)port;
	fake_notifies++;
	if (fake_hostile) {
		/* whatever fits, once */
		uint32_t prod = fake_page.rsp_prod;
		size_t n = xs_ring_put(fake_page.rsp, fake_page.rsp_cons, &prod, fake_hostile,
				       fake_hostile_len);
		fake_page.rsp_prod = prod;
		fake_hostile += n, fake_hostile_len -= n;
		fake_page.req_cons = fake_page.req_prod; /* requests read and dropped */
		return;
	}
	for (;;) {
		struct xs_msg_hdr h;
		uint32_t cons = fake_page.req_cons;
		if (fake_page.req_prod - cons < sizeof(h))
			return;
		xs_ring_get(fake_page.req, &cons, fake_page.req_prod, &h, sizeof(h));
		if (fake_page.req_prod - cons < h.len)
			return;
		char body[XS_PAYLOAD_MAX + 1];
		xs_ring_get(fake_page.req, &cons, fake_page.req_prod, body, h.len);
		body[h.len] = '\0';
		fake_page.req_cons = cons;
		for (int i = 0; i < fake_events_before; i++)
			fake_answer(XS_WATCH_EVENT, 0, "x\0tok", 6);
		const char *v = fake_get(body);
		switch (h.type) {
		case XS_READ:
			if (v)
				fake_answer(XS_READ, h.req_id, v, strlen(v));
			else
				fake_answer(XS_ERROR, h.req_id, "ENOENT", 7);
			break;
		case XS_WRITE:
			fake_set(body, body + strlen(body) + 1);
			fake_answer(XS_WRITE, h.req_id, "OK", 3);
			break;
		case XS_DIRECTORY:
			/* the children of device/vif: 10, 2 and a stray name */
			fake_answer(XS_DIRECTORY, h.req_id, "10\0002\000abc", 9);
			break;
		default:
			fake_answer(h.type, h.req_id, "OK", 3);
		}
	}
}

#endif
