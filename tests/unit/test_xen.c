/* test_xen.c: the xen runtime's protocol code on the host: the xenstore
 * rings and messages (xs_wire.c), the client (xenstore.c) against a fake
 * xenstored, the shared request/response rings (ring.h) and the grant
 * table's bookkeeping (gnttab.c). */
#include "ring.h"
#include "unit.h"
#include "xen_fake.h"
#include "xs_wire.h"

TEST(xs_rings)
{
	char ring[XS_RING_SIZE];
	uint32_t prod = 0xfffffff0u, cons = 0xfffffff0u; /* about to wrap */
	char in[1500], out[1500];
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7);
	CHECK(xs_ring_put(ring, cons, &prod, in, sizeof(in)) == XS_RING_SIZE);
	CHECK(xs_ring_put(ring, cons, &prod, in, 1) == 0); /* full */
	CHECK(xs_ring_get(ring, &cons, prod, out, 100) == 100);
	CHECK(!memcmp(in, out, 100));
	CHECK(xs_ring_put(ring, cons, &prod, in + XS_RING_SIZE, 100) == 100);
	CHECK(xs_ring_get(ring, &cons, prod, out + 100, sizeof(out)) == XS_RING_SIZE);
	CHECK(!memcmp(in, out, 100 + XS_RING_SIZE));
	CHECK(cons == prod && prod == 0xfffffff0u + XS_RING_SIZE + 100);
	/* an index beyond the ring (a broken or hostile peer): nothing moves */
	uint32_t bad = cons + XS_RING_SIZE + 1;
	CHECK(xs_ring_get(ring, &cons, bad, out, 10) == 0);
	uint32_t p2 = cons + 5000;
	CHECK(xs_ring_put(ring, cons, &p2, in, 10) == 0);
}

TEST(xs_messages)
{
	uint8_t buf[sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX];
	const char *parts[] = {"device/vif/0/state", "4"};
	size_t n = xs_msg_build(XS_WRITE, 9, 0, parts, 2, 0, buf, sizeof(buf));
	struct xs_msg_hdr h;
	memcpy(&h, buf, sizeof(h));
	CHECK(n == sizeof(h) + 20 && h.type == XS_WRITE && h.req_id == 9 && h.len == 20);
	CHECK(!memcmp(buf + sizeof(h), "device/vif/0/state\0004", 20));
	n = xs_msg_build(XS_READ, 1, 0, parts, 1, 1, buf, sizeof(buf));
	CHECK(n == sizeof(h) + 19 && buf[n - 1] == '\0');
	static char big[XS_PAYLOAD_MAX + 1];
	memset(big, 'a', XS_PAYLOAD_MAX);
	const char *too[] = {big};
	CHECK(xs_msg_build(XS_READ, 1, 0, too, 1, 1, buf, sizeof(buf)) == 0);
	struct xs_msg_hdr long_one = {XS_READ, 1, 0, XS_PAYLOAD_MAX + 1};
	CHECK(xs_msg_check(&long_one) < 0);
}

TEST(xenstore_client)
{
	CHECK(xen_store_init() == 0);
	fake_set("device/vif/0/mac", "00:16:3e:00:00:01");
	fake_set("backend/state", "2");
	char buf[64];
	CHECK(xen_store_read("device/vif/0/mac", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "00:16:3e:00:00:01");
	CHECK(xen_store_read("nope", buf, sizeof(buf)) < 0);
	/* truncated to the buffer */
	CHECK(xen_store_read("device/vif/0/mac", buf, 6) == 0 && !strcmp(buf, "00:16"));
	CHECK(xen_store_write("data/x", "7") == 0);
	uint64_t v;
	CHECK(xen_store_read_u64("data/x", &v) == 0 && v == 7);
	fake_set("data/big", "99999999999999999999999");
	CHECK(xen_store_read_u64("data/big", &v) < 0);
	fake_set("data/neg", "-1");
	CHECK(xen_store_read_u64("data/neg", &v) < 0);
	char list[64];
	CHECK(xen_store_directory("device/vif", list, sizeof(list)) == 3);
	/* watch events in between are skipped */
	fake_events_before = 2;
	CHECK(xen_store_read("device/vif/0/mac", buf, sizeof(buf)) == 0);
	CHECK_STR(buf, "00:16:3e:00:00:01");
	fake_events_before = 0;
	/* a state reached, a state that never comes (the wait ends at its limit) */
	CHECK(xen_store_wait_state("backend/state", 1u << 2 | 1u << 4, 1000000000) == 2);
	uint64_t t0 = fake_time;
	CHECK(xen_store_wait_state("backend/state", 1u << 4, 1000000000) < 0);
	CHECK(fake_time >= t0 + 1000000000);
}

TEST(shared_rings)
{
	CHECK(xen_ring_entries(12) == 256); /* netif tx */
	CHECK(xen_ring_entries(8) == 256);  /* netif rx */
	CHECK(xen_ring_entries(112) == 32); /* blkif */
	static uint8_t page[4096] __attribute__((aligned(4096)));
	struct xen_front_ring r;
	xen_ring_init(&r, page, 12);
	CHECK(xen_ring_free(&r) == 256);
	/* the backend asked for an event at request 1: the first push notifies */
	r.req_prod_pvt++;
	CHECK(xen_ring_push(&r) == 1);
	/* it is busy (asks at 10): pushes before then do not */
	r.sring->req_event = 10;
	r.req_prod_pvt += 3;
	CHECK(xen_ring_push(&r) == 0);
	r.req_prod_pvt += 6;
	CHECK(xen_ring_push(&r) == 1);
	CHECK(xen_ring_free(&r) == 246);
	/* no responses: asks for an event at the next */
	CHECK(!xen_ring_responses(&r) && r.sring->rsp_event == 1);
	r.sring->rsp_prod = 4;
	CHECK(xen_ring_responses(&r) && xen_ring_response_ok(&r, 4));
	CHECK(!xen_ring_response_ok(&r, 11)); /* more than was asked */
	/* slots wrap */
	CHECK(xen_ring_slot(&r, 256) == xen_ring_slot(&r, 0));
}

TEST(grant_table)
{
	CHECK(xen_gnttab_init() == 0);
	int a = xen_grant(1, 0x1234, 0), b = xen_grant(2, 0x99, 1);
	CHECK(a >= 8 && b >= 8 && a != b); /* the toolstack's first 8 are left */
	int n = 2;
	while (xen_grant(0, 1, 1) >= 0)
		n++;
	CHECK(n == 8 * 4096 / 8 - 8); /* the table fills, then says so */
	xen_grant_end(a);
	CHECK(xen_grant(3, 7, 0) == a); /* given back, taken again */
	xen_grant_end(3);		/* reserved: ignored */
	CHECK(xen_grant(3, 7, 0) < 0);
}

int main(void)
{
	RUN(xs_rings);
	RUN(xs_messages);
	RUN(xenstore_client);
	RUN(shared_rings);
	RUN(grant_table);
	return unit_failures != 0;
}
