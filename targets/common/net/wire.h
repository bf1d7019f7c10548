/* wire.h: the packet formats of mirage's TCP/IP stack (Ethernet, ARP, IPv4,
 * ICMP, UDP, TCP, DHCP), as pure functions over buffers: parsing checks
 * every length against the buffer and never reads past it; building writes
 * exactly the header's bytes. No state here: the protocols' state is in
 * their own files, and the parsers are fuzzed alone (fuzz_wire). Values
 * in the structs are in host byte order. */
#ifndef MIRAGE_NET_WIRE_H
#define MIRAGE_NET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_HLEN      14
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP  0x0806
#define IP_HLEN	      20 /* without options */
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP  6
#define IP_PROTO_UDP  17
#define UDP_HLEN      8
#define TCP_HLEN      20 /* without options */
#define ARP_LEN	      28

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The Internet checksum's sum of len bytes (to be folded by csum_fold),
 * added to sum. */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
/* The folded, complemented checksum of a sum. */
uint16_t csum_fold(uint32_t sum);
/* The sum of the IPv4 pseudo-header for TCP and UDP. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

struct eth_hdr {
	uint8_t dst[6], src[6];
	uint16_t type;
};
/* 0, or -1 when n is shorter than a header. */
int eth_parse(const uint8_t *p, size_t n, struct eth_hdr *h);
void eth_build(uint8_t *p, const struct eth_hdr *h);

#define ARP_REQUEST 1
#define ARP_REPLY   2
struct arp_pkt {
	uint16_t op;
	uint8_t sha[6], tha[6];
	uint32_t spa, tpa;
};
/* Ethernet/IPv4 ARP only. 0 or -1. */
int arp_parse(const uint8_t *p, size_t n, struct arp_pkt *a);
void arp_build(uint8_t *p, const struct arp_pkt *a);

struct ip_hdr {
	uint8_t hlen; /* bytes, options included */
	uint8_t tos, ttl, proto;
	uint16_t len; /* total length */
	uint16_t id;
	bool df, mf;
	uint16_t frag; /* offset in bytes */
	uint32_t src, dst;
};
/* Checks version, header length, total length against n, and the header
 * checksum. 0 or -1. Bytes past h->len are padding, not payload. */
int ip_parse(const uint8_t *p, size_t n, struct ip_hdr *h);
/* Writes a 20-byte header (checksum included). */
void ip_build(uint8_t *p, const struct ip_hdr *h);

#define ICMP_ECHO_REPLY	  0
#define ICMP_UNREACHABLE  3
#define ICMP_ECHO_REQUEST 8
struct icmp_hdr {
	uint8_t type, code;
	uint32_t rest; /* identifier and sequence for echo */
};
/* Checks the checksum over the whole message. 0 or -1. */
int icmp_parse(const uint8_t *p, size_t n, struct icmp_hdr *h);

struct udp_hdr {
	uint16_t sport, dport, len;
};
/* Checks the length and, when present, the checksum with the
 * pseudo-header. 0 or -1. */
int udp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct udp_hdr *h);
/* Writes the header and the checksum over the header and len - 8 bytes of
 * payload that follow it. */
void udp_build(uint8_t *p, const struct udp_hdr *h, uint32_t src, uint32_t dst);

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t hlen; /* bytes, options included */
	uint8_t flags;
	uint16_t win;
	/* options understood (0 when absent) */
	uint16_t mss;
	int8_t wscale; /* -1 when absent */
};
/* Checks the header length and the checksum with the pseudo-header; reads
 * the MSS and window scale options. 0 or -1. The payload is p[h->hlen..n). */
int tcp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct tcp_hdr *h);
/* Writes the header (with the MSS and window scale options when h->mss is
 * not 0 / h->wscale >= 0; h->hlen is set) and the checksum over len bytes
 * of payload that follow it. Returns the header's length. */
size_t tcp_build(uint8_t *p, struct tcp_hdr *h, uint32_t src, uint32_t dst, size_t len);

/* DHCP (RFC 2131) over BOOTP, the parts a client needs. */
#define DHCP_DISCOVER	 1
#define DHCP_OFFER	 2
#define DHCP_REQUEST	 3
#define DHCP_DECLINE	 4
#define DHCP_ACK	 5
#define DHCP_NAK	 6
#define DHCP_RELEASE	 7
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
struct dhcp_msg {
	uint8_t op; /* 1 request, 2 reply */
	uint32_t xid;
	uint32_t ciaddr, yiaddr;
	uint8_t chaddr[6];
	/* options */
	uint8_t type;
	uint32_t server_id, requested, mask, router, lease, t1, t2;
};
/* 0 or -1 (not a BOOTP message with the DHCP cookie). */
int dhcp_parse(const uint8_t *p, size_t n, struct dhcp_msg *m);
/* Writes a client message; returns its length (at most 300 bytes). */
size_t dhcp_build(uint8_t *p, const struct dhcp_msg *m);

/* "a.b.c.d" into an address (host order); 0 or -1. */
int ipv4_parse_text(const char *s, uint32_t *addr);

#endif
