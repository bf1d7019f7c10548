/* xenstore.c: a xenstore client over the ring page the toolstack gave us
 * (HVM_PARAM_STORE_PFN, _EVTCHN): one request at a time, waiting for its
 * answer; watch events that come in between are dropped (a waiter re-reads
 * what it watches). Paths without a leading / are relative to the domain's
 * own directory, as xenstored resolves them. */
#include <stdio.h>
#include <string.h>

#include "mirage_cpu.h"
#include "mirage_platform.h"
#include "xen.h"
#include "xs_wire.h"

#define MS  1000000ULL
#define SEC 1000000000ULL

static volatile struct xs_ring_page *ring;
static uint32_t port, next_id = 1;

int xen_store_init(void)
{
	uint64_t pfn, evtchn;
	if (xen_hvm_param(HVM_PARAM_STORE_PFN, &pfn) < 0 || !pfn ||
	    xen_hvm_param(HVM_PARAM_STORE_EVTCHN, &evtchn) < 0)
		return -1;
	ring = (volatile struct xs_ring_page *)(uintptr_t)(pfn * XEN_PAGE);
	port = (uint32_t)evtchn;
	xen_evtchn_watch(port);
	return 0;
}

/* Waits for the daemon (it notifies us after reading or writing), at most
 * until end. */
static int wait_store(uint64_t end)
{
	if (xen_system_time() >= end)
		return -1;
	xen_evtchn_wait(end);
	return 0;
}

static int send_all(const uint8_t *msg, size_t len, uint64_t end)
{
	size_t done = 0;
	while (done < len) {
		xen_evtchn_clear_all();
		uint32_t prod = ring->req_prod;
		size_t n =
		    xs_ring_put((char *)ring->req, ring->req_cons, &prod, msg + done, len - done);
		barrier();
		ring->req_prod = prod;
		xen_evtchn_notify(port);
		done += n;
		if (!n && wait_store(end) < 0)
			return -1;
	}
	return 0;
}

static int recv_all(void *buf, size_t len, uint64_t end)
{
	size_t done = 0;
	while (done < len) {
		xen_evtchn_clear_all();
		uint32_t cons = ring->rsp_cons, prod = ring->rsp_prod;
		barrier();
		size_t n = xs_ring_get((const char *)ring->rsp, &cons, prod, (uint8_t *)buf + done,
				       len - done);
		barrier();
		ring->rsp_cons = cons;
		if (n)
			xen_evtchn_notify(port);
		done += n;
		if (!n && wait_store(end) < 0)
			return -1;
	}
	return 0;
}

/* One request; its answer's payload in reply (NUL-terminated, truncated to
 * size). Returns the payload's length, or -1 (an error answer, a timeout,
 * a broken answer). */
static int request(uint32_t type, const char *const *parts, size_t nparts, int nul_last,
		   char *reply, size_t size)
{
	static uint8_t msg[sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX];
	static char payload[XS_PAYLOAD_MAX + 1];
	if (!ring)
		return -1;
	uint32_t id = next_id++;
	size_t len = xs_msg_build(type, id, 0, parts, nparts, nul_last, msg, sizeof(msg));
	uint64_t end = xen_system_time() + 5 * SEC;
	if (!len || send_all(msg, len, end) < 0)
		return -1;
	for (;;) {
		struct xs_msg_hdr h;
		if (recv_all(&h, sizeof(h), end) < 0 || xs_msg_check(&h) < 0 ||
		    recv_all(payload, h.len, end) < 0)
			return -1;
		payload[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT || h.req_id != id)
			continue; /* a watch fired: the waiter re-reads */
		if (h.type == XS_ERROR)
			return -1;
		if (reply && size) {
			size_t n = h.len < size - 1 ? h.len : size - 1;
			memcpy(reply, payload, n);
			reply[n] = '\0';
		}
		return (int)h.len;
	}
}

int xen_store_read(const char *path, char *buf, size_t size)
{
	const char *parts[] = {path};
	return request(XS_READ, parts, 1, 1, buf, size) < 0 ? -1 : 0;
}

int xen_store_write(const char *path, const char *value)
{
	const char *parts[] = {path, value};
	return request(XS_WRITE, parts, 2, 0, NULL, 0) < 0 ? -1 : 0;
}

int xen_store_read_u64(const char *path, uint64_t *v)
{
	char buf[32];
	if (xen_store_read(path, buf, sizeof(buf)) < 0 || !buf[0])
		return -1;
	uint64_t n = 0;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9' || n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	*v = n;
	return 0;
}

int xen_store_directory(const char *path, char *buf, size_t size)
{
	const char *parts[] = {path};
	int len = request(XS_DIRECTORY, parts, 1, 1, buf, size);
	if (len < 0)
		return -1;
	int n = 0;
	for (int i = 0; i < len && (size_t)i < size - 1; i++)
		n += buf[i] == '\0';
	return n;
}

int xen_store_wait_state(const char *path, unsigned mask, uint64_t timeout_ns)
{
	/* the watch's events wake the wait; its token is the path */
	const char *parts[] = {path, path};
	int watching = request(XS_WATCH, parts, 2, 1, NULL, 0) >= 0;
	uint64_t end = xen_system_time() + timeout_ns;
	int state = -1;
	for (;;) {
		uint64_t v;
		xen_evtchn_clear_all();
		if (xen_store_read_u64(path, &v) == 0 && v < 32 && (mask >> v & 1)) {
			state = (int)v;
			break;
		}
		uint64_t now = xen_system_time();
		if (now >= end)
			break;
		/* without a watch, look again every 10 ms */
		xen_evtchn_wait(watching || end - now < 10 * MS ? end : now + 10 * MS);
	}
	if (watching)
		request(XS_UNWATCH, parts, 2, 1, NULL, 0);
	return state;
}
