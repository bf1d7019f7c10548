/* test_net.c: mirage's TCP/IP stack (targets/common/net), two stacks over
 * a simulated wire (netsim.h): the packet formats, ARP, ICMP, UDP, IPv4
 * reassembly, DHCP against a small server, and TCP: handshakes both ways,
 * transfers checked byte for byte with loss, duplication and reordering,
 * sequence numbers that wrap, half-close, simultaneous close, TIME-WAIT,
 * RST on closed ports, zero windows, and the limits. */
#include <stdio.h>

#include "netsim.h"
#include "unit.h"

struct sim sim;

#define A    sim.a.stack
#define B    sim.b.stack
#define MS   1000000ULL
#define SEC  1000000000ULL
#define IP_A 0x0a000001u
#define IP_B 0x0a000002u

static struct mirage_tcpip *api(struct stack *s)
{
	return stack_api(s);
}

TEST(wire)
{
	uint32_t a;
	CHECK(ipv4_parse_text("10.0.0.2", &a) == 0 && a == IP_B);
	CHECK(ipv4_parse_text("255.255.255.255", &a) == 0 && a == 0xffffffffu);
	CHECK(ipv4_parse_text("256.0.0.1", &a) < 0 && ipv4_parse_text("1.2.3", &a) < 0);
	CHECK(ipv4_parse_text("1.2.3.4.5", &a) < 0 && ipv4_parse_text("01.2.3.4x", &a) < 0);
	/* a TCP header with both options, back through the parser */
	uint8_t buf[64];
	struct tcp_hdr h = {1234, 80, 0xfffffff0u, 7, 0, TCP_SYN, 512, 1460, 7};
	size_t hl = tcp_build(buf, &h, IP_A, IP_B, 0);
	struct tcp_hdr g;
	CHECK(hl == 28 && tcp_parse(buf, hl, IP_A, IP_B, &g) == 0);
	CHECK(g.sport == 1234 && g.dport == 80 && g.seq == 0xfffffff0u && g.mss == 1460 &&
	      g.wscale == 7 && g.flags == TCP_SYN && g.win == 512);
	buf[5] ^= 1; /* a bit flipped: the checksum says so */
	CHECK(tcp_parse(buf, hl, IP_A, IP_B, &g) < 0);
	/* options that run past the header are refused */
	uint8_t bad[24] = {0};
	bad[12] = 6 << 4;
	bad[20] = 2;
	bad[21] = 40;
	wr16(bad + 16, csum_fold(csum_add(csum_pseudo(IP_A, IP_B, IP_PROTO_TCP, 24), bad, 24)));
	CHECK(tcp_parse(bad, 24, IP_A, IP_B, &g) < 0);
	/* IPv4: a header that claims more than there is */
	struct ip_hdr ip = {20, 0, 64, IP_PROTO_UDP, 60, 1, false, false, 0, IP_A, IP_B};
	ip_build(buf, &ip);
	struct ip_hdr ip2;
	CHECK(ip_parse(buf, 60, &ip2) == 0 && ip2.len == 60 && ip2.src == IP_A);
	CHECK(ip_parse(buf, 59, &ip2) < 0);
	/* DHCP: a message built, parsed back */
	struct dhcp_msg m, m2;
	memset(&m, 0, sizeof(m));
	m.type = DHCP_REQUEST;
	m.xid = 42;
	m.requested = IP_B;
	m.server_id = IP_A;
	uint8_t d[400];
	size_t dn = dhcp_build(d, &m);
	d[0] = 2; /* as if a reply */
	CHECK(dn >= 300 && dhcp_parse(d, dn, &m2) == 0 && m2.type == DHCP_REQUEST && m2.xid == 42 &&
	      m2.requested == IP_B && m2.server_id == IP_A);
	CHECK(dhcp_parse(d, 200, &m2) < 0);
}

/* --- TCP --- */

static struct mirage_tcp *listener, *server, *client;

static bool accepted(void)
{
	return stack_tcp_accept(listener, &server) == MIRAGE_OK;
}

/* a listens on 80, b connects; both ends open. */
static void open_pair(void)
{
	server = client = NULL;
	CHECK(stack_tcp_listen(api(A), 80, &listener) == MIRAGE_OK);
	CHECK(stack_tcp_connect(api(B), IP_A, 80, &client) == MIRAGE_OK);
	sim_run(5 * SEC, accepted);
	CHECK(server != NULL);
}

/* Sends n bytes of a pattern from one end while the other reads them all,
 * checking each byte; both within limit of simulated time. */
static bool transfer(struct mirage_tcp *from, struct mirage_tcp *to, size_t n, uint64_t limit)
{
	static uint8_t chunk[8192];
	size_t sent = 0, got = 0;
	bool ok = true;
	uint64_t end = sim.now + limit;
	while (got < n && sim.now < end) {
		while (sent < n) {
			size_t k = n - sent < sizeof(chunk) ? n - sent : sizeof(chunk), w = 0;
			for (size_t i = 0; i < k; i++)
				chunk[i] = (uint8_t)((sent + i) * 7 + (sent + i) / 251);
			if (stack_tcp_write(from, chunk, k, &w) != MIRAGE_OK || w == 0)
				break;
			sent += w;
		}
		size_t r;
		while (stack_tcp_read(to, chunk, sizeof(chunk), &r) == MIRAGE_OK && r) {
			for (size_t i = 0; i < r; i++)
				ok &= chunk[i] == (uint8_t)((got + i) * 7 + (got + i) / 251);
			got += r;
		}
		sim_run(1 * MS, NULL);
	}
	return ok && got == n;
}

static void close_all(void)
{
	if (client)
		stack_tcp_close(client);
	if (server)
		stack_tcp_close(server);
	if (listener)
		stack_tcp_close(listener);
	client = server = listener = NULL;
}

TEST(tcp_handshake_and_data)
{
	sim_start(IP_A, IP_B);
	open_pair();
	uint32_t addr;
	uint16_t port;
	CHECK(stack_tcp_peer(server, &addr, &port) == MIRAGE_OK && addr == IP_B && port >= 49152);
	char buf[64];
	size_t w, r;
	CHECK(stack_tcp_write(client, "hello", 5, &w) == MIRAGE_OK && w == 5);
	sim_run(10 * MS, NULL);
	CHECK(stack_tcp_read(server, buf, sizeof(buf), &r) == MIRAGE_OK && r == 5 &&
	      !memcmp(buf, "hello", 5));
	CHECK(stack_tcp_read(server, buf, sizeof(buf), &r) == MIRAGE_AGAIN);
	CHECK(transfer(server, client, 1 << 20, 60 * SEC));
	CHECK(transfer(client, server, 3 << 20, 60 * SEC));
	/* half-close: the client is done writing, reads on */
	CHECK(stack_tcp_shutdown(client) == MIRAGE_OK);
	CHECK(stack_tcp_write(client, "x", 1, &w) == MIRAGE_EIO);
	sim_run(10 * MS, NULL);
	CHECK(stack_tcp_read(server, buf, sizeof(buf), &r) == MIRAGE_OK && r == 0);
	CHECK(stack_tcp_write(server, "late", 4, &w) == MIRAGE_OK && w == 4);
	sim_run(10 * MS, NULL);
	CHECK(stack_tcp_read(client, buf, sizeof(buf), &r) == MIRAGE_OK && r == 4);
	stack_tcp_close(server);
	server = NULL;
	sim_run(10 * MS, NULL);
	CHECK(stack_tcp_read(client, buf, sizeof(buf), &r) == MIRAGE_OK && r == 0);
	stack_tcp_close(client);
	client = NULL;
	/* the client closed last... but it sent its FIN first: it waits */
	CHECK(B->nconns == 1 && A->nconns == 1); /* b in TIME-WAIT, a's listener */
	sim_run(61 * SEC, NULL);
	CHECK(B->nconns == 0);
	close_all();
	sim_stop();
}

TEST(tcp_loss_dup_reorder)
{
	int cases[][3] = {{5, 0, 0}, {0, 5, 0}, {0, 0, 20}, {5, 5, 10}};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		sim.loss = cases[k][0];
		sim.dup = cases[k][1];
		sim.reorder = cases[k][2];
		sim_start(IP_A, IP_B);
		open_pair();
		CHECK(server && transfer(client, server, 2 << 20, 600 * SEC));
		CHECK(server && transfer(server, client, 1 << 20, 600 * SEC));
		close_all();
		sim_run(120 * SEC, NULL);
		CHECK(A->nconns == 0 && B->nconns == 0);
		sim_stop();
	}
	sim.loss = sim.dup = sim.reorder = 0;
}

/* Loss recovery that does not wait for the RTO: a lost retransmission, a
 * lost tail, lost ACKs in a small window (tail loss probes, Early
 * Retransmit, Limited Transmit). 4 MiB with 5% of the frames lost each way
 * over a 0.2 ms round trip take well under a second of simulated time
 * (deterministic: the wire's randomness is seeded), where recovering by
 * RTO alone took two to four. */
TEST(tcp_loss_recovery)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		sim.loss = 5;
		sim.rng = seed * 0x9e3779b97f4a7c15ULL;
		sim_start(IP_A, IP_B);
		open_pair();
		uint64_t t0 = sim.now;
		CHECK(server && transfer(server, client, 4 << 20, 60 * SEC));
		CHECK(sim.now - t0 < 1 * SEC);
		close_all();
		sim_run(120 * SEC, NULL);
		sim_stop();
	}
	sim.loss = 0;
}

TEST(tcp_wraparound)
{
	/* every random number near 2^32: sequence numbers wrap at once */
	sim.fixed_random = 0xfffffc00u;
	sim_start(IP_A, IP_B);
	open_pair();
	CHECK(server && transfer(client, server, 256 << 10, 60 * SEC));
	CHECK(server && transfer(server, client, 256 << 10, 60 * SEC));
	close_all();
	sim_stop();
	sim.fixed_random = 0;
}

static bool refused_seen;
static bool refused(void)
{
	char c;
	size_t r;
	refused_seen = stack_tcp_read(client, &c, 1, &r) == MIRAGE_EIO;
	return refused_seen;
}

TEST(tcp_refused_and_limits)
{
	sim_start(IP_A, IP_B);
	/* nobody listens: a RST, the connection fails */
	CHECK(stack_tcp_connect(api(B), IP_A, 81, &client) == MIRAGE_OK);
	size_t w;
	CHECK(stack_tcp_write(client, "x", 1, &w) == MIRAGE_AGAIN);
	sim_run(5 * SEC, refused);
	CHECK(refused_seen);
	CHECK(stack_tcp_write(client, "x", 1, &w) == MIRAGE_EIO);
	stack_tcp_close(client);
	client = NULL;
	/* one listener per port; bad arguments */
	struct mirage_tcp *l2;
	CHECK(stack_tcp_listen(api(A), 80, &listener) == MIRAGE_OK);
	CHECK(stack_tcp_listen(api(A), 80, &l2) == MIRAGE_INVALID);
	CHECK(stack_tcp_listen(api(A), 0, &l2) == MIRAGE_INVALID);
	CHECK(stack_tcp_connect(api(B), IP_A, 0, &client) == MIRAGE_INVALID);
	/* the listener's queue is bounded: the rest wait and retry */
	struct mirage_tcp *c[TCP_BACKLOG + 8];
	for (int i = 0; i < TCP_BACKLOG + 8; i++)
		CHECK(stack_tcp_connect(api(B), IP_A, 80, &c[i]) == MIRAGE_OK);
	sim_run(100 * MS, NULL);
	int n = 0;
	struct mirage_tcp *s;
	while (stack_tcp_accept(listener, &s) == MIRAGE_OK) {
		stack_tcp_close(s);
		n++;
	}
	CHECK(n == TCP_BACKLOG);
	sim_run(10 * SEC, NULL); /* the others retried their SYN */
	while (stack_tcp_accept(listener, &s) == MIRAGE_OK) {
		stack_tcp_close(s);
		n++;
	}
	CHECK(n == TCP_BACKLOG + 8);
	for (int i = 0; i < TCP_BACKLOG + 8; i++)
		stack_tcp_close(c[i]);
	close_all();
	sim_run(200 * SEC, NULL);
	CHECK(A->nconns == 0 && B->nconns == 0);
	sim_stop();
}

static bool both_closed(void)
{
	char c;
	size_t r1 = 1, r2 = 1;
	return stack_tcp_read(client, &c, 1, &r1) == MIRAGE_OK && r1 == 0 &&
	       stack_tcp_read(server, &c, 1, &r2) == MIRAGE_OK && r2 == 0;
}

TEST(tcp_simultaneous_close_and_zero_window)
{
	sim_start(IP_A, IP_B);
	open_pair();
	/* the receiver reads nothing: the sender fills its window, then waits */
	static uint8_t big[TCP_RCV_BUF + TCP_SND_BUF + 4096];
	size_t w, total = 0;
	for (int i = 0; i < 20; i++) {
		if (stack_tcp_write(client, big, sizeof(big), &w) == MIRAGE_OK)
			total += w;
		sim_run(200 * MS, NULL);
	}
	CHECK(total == TCP_RCV_BUF + TCP_SND_BUF);
	sim_run(30 * SEC, NULL); /* probes, no failure */
	size_t r, got = 0;
	uint64_t end = sim.now + 30 * SEC;
	while (got < total && sim.now < end) {
		while (stack_tcp_read(server, big, 4096, &r) == MIRAGE_OK && r)
			got += r;
		sim_run(5 * MS, NULL);
	}
	CHECK(got == total);
	/* both close at once */
	CHECK(stack_tcp_shutdown(client) == MIRAGE_OK && stack_tcp_shutdown(server) == MIRAGE_OK);
	sim_run(5 * SEC, both_closed);
	CHECK(both_closed());
	close_all();
	sim_run(130 * SEC, NULL);
	CHECK(A->nconns == 0 && B->nconns == 0);
	sim_stop();
}

/* Both ends connect to each other at once, each from the port the other
 * connects to (the same random numbers give both the same ephemeral port):
 * the SYNs cross, each end goes through SYN-RCVD (RFC 9293 3.5). */
TEST(tcp_simultaneous_open)
{
	sim.fixed_random = 0x11111111u;
	sim_start(IP_A, IP_B);
	uint16_t port = A->next_port;
	CHECK(port == B->next_port);
	struct mirage_tcp *ca = NULL, *cb = NULL;
	CHECK(stack_tcp_connect(api(A), IP_B, port, &ca) == MIRAGE_OK);
	CHECK(stack_tcp_connect(api(B), IP_A, port, &cb) == MIRAGE_OK);
	sim_run(3 * SEC, NULL);
	size_t w, r;
	char buf[16];
	CHECK(stack_tcp_write(ca, "ab", 2, &w) == MIRAGE_OK && w == 2);
	CHECK(stack_tcp_write(cb, "ba", 2, &w) == MIRAGE_OK && w == 2);
	sim_run(100 * MS, NULL);
	CHECK(stack_tcp_read(cb, buf, sizeof(buf), &r) == MIRAGE_OK && r == 2 &&
	      !memcmp(buf, "ab", 2));
	CHECK(stack_tcp_read(ca, buf, sizeof(buf), &r) == MIRAGE_OK && r == 2 &&
	      !memcmp(buf, "ba", 2));
	stack_tcp_close(ca);
	stack_tcp_close(cb);
	sim_run(130 * SEC, NULL);
	CHECK(A->nconns == 0 && B->nconns == 0);
	sim_stop();
	sim.fixed_random = 0;
}

TEST(tcp_reset_unread)
{
	sim_start(IP_A, IP_B);
	open_pair();
	size_t w, r;
	CHECK(stack_tcp_write(client, "unread", 6, &w) == MIRAGE_OK);
	sim_run(10 * MS, NULL);
	/* closing with data never read: the peer sees a reset */
	stack_tcp_close(server);
	server = NULL;
	sim_run(10 * MS, NULL);
	char c;
	CHECK(stack_tcp_read(client, &c, 1, &r) == MIRAGE_EIO);
	close_all();
	sim_stop();
}

/* --- UDP, ARP, reassembly --- */

TEST(udp)
{
	sim_start(IP_A, IP_B);
	struct mirage_udp *ua, *ub, *u3;
	CHECK(stack_udp_bind(api(A), 7, &ua) == MIRAGE_OK);
	CHECK(stack_udp_bind(api(A), 7, &u3) == MIRAGE_INVALID);
	CHECK(stack_udp_bind(api(B), 0, &ub) == MIRAGE_OK);
	CHECK(stack_udp_sendto(ub, IP_A, 7, "ping", 4) == MIRAGE_OK);
	sim_run(10 * MS, NULL); /* an ARP exchange first */
	char buf[16];
	size_t n;
	uint32_t from;
	uint16_t port;
	CHECK(stack_udp_recvfrom(ua, buf, sizeof(buf), &n, &from, &port) == MIRAGE_OK && n == 4 &&
	      from == IP_B && !memcmp(buf, "ping", 4));
	CHECK(stack_udp_sendto(ua, from, port, "pong!", 5) == MIRAGE_OK);
	sim_run(10 * MS, NULL);
	CHECK(stack_udp_recvfrom(ub, buf, 3, &n, &from, &port) == MIRAGE_OK && n == 3 &&
	      port == 7); /* truncated to the buffer */
	CHECK(stack_udp_recvfrom(ub, buf, 3, &n, NULL, NULL) == MIRAGE_AGAIN);
	static char huge[2000];
	CHECK(stack_udp_sendto(ua, IP_B, 9, huge, sizeof(huge)) == MIRAGE_INVALID);
	stack_udp_close(ua);
	stack_udp_close(ub);
	sim_stop();
}

static void send_fragments(void)
{
	/* a 3000-byte UDP datagram to b's port 9, in three fragments, the
	 * last first */
	static uint8_t dgram[3008];
	for (size_t i = 8; i < sizeof(dgram); i++)
		dgram[i] = (uint8_t)i;
	struct udp_hdr u = {1000, 9, sizeof(dgram)};
	udp_build(dgram, &u, IP_A, IP_B);
	size_t offs[] = {2400, 0, 1200}, lens[] = {608, 1200, 1200};
	for (int k = 0; k < 3; k++) {
		uint8_t f[1600];
		struct eth_hdr e = {{2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}, ETH_TYPE_IPV4};
		eth_build(f, &e);
		struct ip_hdr ip = {20,
				    0,
				    64,
				    IP_PROTO_UDP,
				    (uint16_t)(20 + lens[k]),
				    99,
				    false,
				    offs[k] != 2400,
				    (uint16_t)offs[k],
				    IP_A,
				    IP_B};
		ip_build(f + ETH_HLEN, &ip);
		memcpy(f + ETH_HLEN + 20, dgram + offs[k], lens[k]);
		sim_deliver_to(&sim.b, f, ETH_HLEN + 20 + lens[k], sim.now);
	}
}

TEST(ipv4_reassembly_and_icmp)
{
	sim_start(IP_A, IP_B);
	struct mirage_udp *ub;
	CHECK(stack_udp_bind(api(B), 9, &ub) == MIRAGE_OK);
	send_fragments();
	sim_run(10 * MS, NULL);
	static uint8_t got[4000];
	size_t n = 0;
	CHECK(stack_udp_recvfrom(ub, got, sizeof(got), &n, NULL, NULL) == MIRAGE_OK && n == 3000);
	bool same = true;
	for (size_t i = 0; i < n; i++)
		same &= got[i] == (uint8_t)(i + 8);
	CHECK(same);
	/* an echo request to b is answered */
	uint8_t f[100];
	struct eth_hdr e = {{2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}, ETH_TYPE_IPV4};
	eth_build(f, &e);
	struct ip_hdr ip = {20, 0, 64, IP_PROTO_ICMP, 20 + 16, 5, false, false, 0, IP_A, IP_B};
	ip_build(f + ETH_HLEN, &ip);
	uint8_t *icmp = f + ETH_HLEN + 20;
	memset(icmp, 0xab, 16);
	icmp[0] = ICMP_ECHO_REQUEST;
	icmp[1] = 0;
	wr16(icmp + 2, 0);
	wr16(icmp + 2, csum_fold(csum_add(0, icmp, 16)));
	unsigned long before = sim.b.sent;
	sim_deliver_to(&sim.b, f, ETH_HLEN + 36, sim.now);
	sim_run(10 * MS, NULL);
	CHECK(sim.b.sent > before); /* the reply (after an ARP request for a) */
	stack_udp_close(ub);
	sim_stop();
}

/* --- DHCP against a small server on end a's side --- */

static int offers, acks, renewals;
static uint32_t requested_ip;

/* Answers b's DHCP messages as a server at 10.0.0.1 would. */
static void dhcp_server_tap(const uint8_t *frame, size_t len)
{
	struct eth_hdr e;
	struct ip_hdr ip;
	struct udp_hdr u;
	struct dhcp_msg m;
	if (eth_parse(frame, len, &e) < 0 || e.type != ETH_TYPE_IPV4 ||
	    ip_parse(frame + ETH_HLEN, len - ETH_HLEN, &ip) < 0 || ip.proto != IP_PROTO_UDP)
		return;
	const uint8_t *up = frame + ETH_HLEN + ip.hlen;
	if (udp_parse(up, ip.len - ip.hlen, ip.src, ip.dst, &u) < 0 || u.dport != 67 ||
	    dhcp_parse(up + 8, u.len - 8, &m) < 0)
		return;
	uint8_t reply[400];
	memset(&reply, 0, sizeof(reply));
	/* a BOOTREPLY: op 2, the client's xid and address, the options */
	struct dhcp_msg r = m;
	r.type = m.type == DHCP_DISCOVER ? DHCP_OFFER : DHCP_ACK;
	size_t n = dhcp_build(reply + 42, &r);
	uint8_t *d = reply + 42;
	d[0] = 2;
	wr32(d + 16, 0x0a000064u); /* yiaddr 10.0.0.100 */
	/* the options again, as a server writes them */
	size_t i = 240;
	d[i++] = 53, d[i++] = 1, d[i++] = r.type;
	d[i++] = 54, d[i++] = 4, wr32(d + i, IP_A), i += 4;
	d[i++] = 51, d[i++] = 4, wr32(d + i, 600), i += 4; /* a 10-minute lease */
	d[i++] = 1, d[i++] = 4, wr32(d + i, 0xffffff00u), i += 4;
	d[i++] = 3, d[i++] = 4, wr32(d + i, IP_A), i += 4;
	d[i++] = 255;
	(void)n;
	size_t dl = 300;
	struct eth_hdr re = {{0}, {2, 0, 0, 0, 0, 1}, ETH_TYPE_IPV4};
	memcpy(re.dst, e.src, 6);
	eth_build(reply, &re);
	struct udp_hdr ru = {67, 68, (uint16_t)(8 + dl)};
	udp_build(reply + 34, &ru, IP_A, 0xffffffffu);
	struct ip_hdr rip = {20,    0,	   64, IP_PROTO_UDP, (uint16_t)(28 + dl), 1,
			     false, false, 0,  IP_A,	     0xffffffffu};
	ip_build(reply + 14, &rip);
	if (m.type == DHCP_DISCOVER)
		offers++;
	else if (m.ciaddr)
		renewals++;
	else
		acks++, requested_ip = m.requested;
	sim_deliver_to(&sim.b, reply, 42 + dl, sim.now + sim.latency);
}

static bool configured(void)
{
	return stack_api(B)->ops->ipv4(stack_api(B), NULL, NULL, NULL) == MIRAGE_OK;
}

TEST(dhcp)
{
	sim_start(IP_A, 0);
	sim.b.tap = dhcp_server_tap;
	CHECK(!configured());
	sim_run(20 * SEC, configured);
	uint32_t addr, gw;
	unsigned prefix;
	CHECK(stack_api(B)->ops->ipv4(stack_api(B), &addr, &prefix, &gw) == MIRAGE_OK);
	CHECK(addr == 0x0a000064u && prefix == 24 && gw == IP_A);
	CHECK(offers == 1 && acks == 1 && requested_ip == 0x0a000064u);
	/* the lease is renewed at T1 (half of 10 minutes) */
	sim_run(320 * SEC, NULL);
	CHECK(renewals >= 1 && configured());
	/* and the address serves */
	struct mirage_udp *ua, *ub;
	CHECK(stack_udp_bind(api(A), 7, &ua) == MIRAGE_OK &&
	      stack_udp_bind(api(B), 7, &ub) == MIRAGE_OK);
	CHECK(stack_udp_sendto(ub, IP_A, 7, "hi", 2) == MIRAGE_OK);
	sim_run(10 * MS, NULL);
	char buf[4];
	size_t n;
	uint32_t from;
	CHECK(stack_udp_recvfrom(ua, buf, sizeof(buf), &n, &from, NULL) == MIRAGE_OK &&
	      from == 0x0a000064u);
	stack_udp_close(ua);
	stack_udp_close(ub);
	/* the server goes away: at expiry the address is given up */
	sim.b.tap = NULL;
	sim_run(700 * SEC, NULL);
	CHECK(!configured());
	sim_stop();
}

int main(void)
{
	RUN(wire);
	RUN(tcp_handshake_and_data);
	RUN(tcp_loss_dup_reorder);
	RUN(tcp_loss_recovery);
	RUN(tcp_wraparound);
	RUN(tcp_refused_and_limits);
	RUN(tcp_simultaneous_close_and_zero_window);
	RUN(tcp_simultaneous_open);
	RUN(tcp_reset_unread);
	RUN(udp);
	RUN(ipv4_reassembly_and_icmp);
	RUN(dhcp);
	return unit_failures != 0;
}
