/* fuzz_wire: every packet parser of mirage's TCP/IP stack (net/wire.c) over
 * arbitrary bytes, the first byte choosing the parser; what parses is
 * built again and parsed back (the builders write what the parsers read). */
#include <stdint.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t which = data[0];
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	/* a copy of exactly n bytes: reading past it is caught */
	uint8_t *buf = n ? __builtin_malloc(n) : NULL;
	if (n)
		memcpy(buf, p, n);
	uint8_t out[2048];
	const uint32_t src = 0x0a000001, dst = 0x0a000002;
	switch (which % 8) {
	case 0: {
		struct eth_hdr h;
		if (eth_parse(buf, n, &h) == 0)
			eth_build(out, &h);
		break;
	}
	case 1: {
		struct arp_pkt a, b;
		if (arp_parse(buf, n, &a) == 0) {
			arp_build(out, &a);
			if (arp_parse(out, ARP_LEN, &b) != 0 || memcmp(&a, &b, sizeof(a)))
				__builtin_trap();
		}
		break;
	}
	case 2: {
		struct ip_hdr h;
		if (ip_parse(buf, n, &h) == 0 && (h.hlen > n || h.len > n || h.len < h.hlen))
			__builtin_trap();
		break;
	}
	case 3: {
		struct icmp_hdr h;
		icmp_parse(buf, n, &h);
		break;
	}
	case 4: {
		struct udp_hdr h;
		if (udp_parse(buf, n, src, dst, &h) == 0 && (h.len > n || h.len < UDP_HLEN))
			__builtin_trap();
		break;
	}
	case 5: {
		struct tcp_hdr h, g;
		if (tcp_parse(buf, n, src, dst, &h) == 0) {
			if (h.hlen > n || h.hlen < TCP_HLEN)
				__builtin_trap();
			/* the header again, with its options, and back */
			size_t hl = tcp_build(out, &h, src, dst, 0);
			if (tcp_parse(out, hl, src, dst, &g) != 0 || g.seq != h.seq ||
			    g.flags != h.flags || g.mss != h.mss)
				__builtin_trap();
		}
		break;
	}
	case 6: {
		struct dhcp_msg m;
		if (dhcp_parse(buf, n, &m) == 0)
			dhcp_build(out, &m);
		break;
	}
	case 7: {
		char text[32];
		size_t k = n < sizeof(text) - 1 ? n : sizeof(text) - 1;
		memcpy(text, p, k);
		text[k] = '\0';
		uint32_t a;
		ipv4_parse_text(text, &a);
		break;
	}
	}
	__builtin_free(buf);
	return 0;
}
