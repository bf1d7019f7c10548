/* stack.h: mirage's own TCP/IP stack, inside the runtime: its state and
 * what its files (one protocol each) call of each other. The stack sits on
 * a link (a network device, or a fake one in the tests), reads the clock
 * and the random source it is given, and never blocks: stack_input takes a
 * frame, stack_timers runs what is due and says when the next is. */
#ifndef MIRAGE_NET_STACK_H
#define MIRAGE_NET_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpip.h"
#include "wire.h"

/* Limits, chosen for a unikernel serving many small connections. */
#define ARP_ENTRIES	  64
#define ARP_QUEUE	  8 /* packets held per address being resolved */
#define ARP_TRIES	  3 /* requests before the held packets are dropped */
#define ARP_LIFETIME_NS	  (300ULL * 1000000000ULL)
#define REASM_SLOTS	  4 /* datagrams being reassembled at once */
#define REASM_MAX	  65535
#define REASM_TIMEOUT_NS  (30ULL * 1000000000ULL)
#define TCP_MAX_CONNS	  128 /* connections, listeners included */
#define TCP_BACKLOG	  32  /* connections a listener holds before accept */
#define TCP_RCV_BUF	  (128 * 1024)
#define TCP_RCV_WSCALE	  2 /* 128 KiB advertised through a 16-bit window */
#define TCP_SND_BUF	  (64 * 1024)
#define TCP_OOO_RANGES	  8  /* out-of-order ranges kept */
#define UDP_QUEUE	  64 /* datagrams waiting per endpoint */
#define UDP_MAX_ENDPOINTS 64
#define STACK_MTU	  1500 /* the largest link MTU it takes */

/* What the stack runs on: frames out and in, the clock, randomness. */
struct link {
	void *ctx;
	/* Sends one Ethernet frame (it may be queued and sent later). */
	void (*send)(void *ctx, const void *frame, size_t len);
	/* Takes the next frame waiting: 1 (*len set), or 0 when none. */
	int (*recv)(void *ctx, void *buf, size_t size, size_t *len);
	uint64_t (*now)(void *ctx); /* monotonic nanoseconds */
	void (*random)(void *ctx, void *buf, size_t len);
	uint8_t mac[6];
	size_t mtu; /* the largest IP packet */
};

struct arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	bool resolved;
	uint64_t expires; /* resolved: when it is forgotten; else the next request */
	int tries;
	/* IP packets waiting for the address, each a copy */
	uint8_t *held[ARP_QUEUE];
	size_t held_len[ARP_QUEUE];
	int nheld;
};

struct reasm {
	bool used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint64_t deadline;
	uint8_t *data; /* REASM_MAX bytes */
	uint8_t *have; /* one bit per 8-byte block */
	size_t total;  /* known when the last fragment arrived, else 0 */
};

enum dhcp_state {
	DHCP_OFF,
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING
};

struct dhcp {
	enum dhcp_state state;
	uint32_t xid;
	uint32_t offered, server;
	uint64_t next;		 /* the next transmission, or the next state change */
	uint64_t interval;	 /* between transmissions, doubled up to 64 s */
	uint64_t t1, t2, expiry; /* of the lease, from when it was bound */
};

struct stack {
	struct mirage_tcpip api; /* first: what the API sees */
	struct link link;
	const char *name;
	/* configuration: static (boot arguments) or from DHCP */
	uint32_t ip, mask, gateway;
	unsigned prefix;
	uint32_t fixed_gateway; /* given with DHCP: it wins over the server's router */
	bool configured;
	uint16_t ip_id;
	struct arp_entry arp[ARP_ENTRIES];
	struct reasm reasm[REASM_SLOTS];
	struct dhcp dhcp;
	struct tcp_conn *conns; /* every connection and listener */
	int nconns;
	struct udp_ep *udps;
	int nudps;
	uint16_t next_port;		       /* the next ephemeral port to try */
	uint8_t frame[ETH_HLEN + STACK_MTU];   /* the frame being built */
	uint8_t rxframe[ETH_HLEN + STACK_MTU]; /* the frame being read */
};

/* A handle may have become ready: mirage_wait returns. */
static inline void stack_event(struct stack *s)
{
	s->api.events++;
}

/* --- stack.c: configuration, input, timers --- */
/* The stack over link, configured statically (ip != 0) or by DHCP (with
 * gateway, when not 0, instead of the server's router). */
struct stack *stack_new(const struct link *link, const char *name, uint32_t ip, unsigned prefix,
			uint32_t gateway);
/* The same as a device of the API (what the runtime registers). */
static inline struct mirage_tcpip *stack_api(struct stack *s)
{
	return &s->api;
}
void stack_free(struct stack *s);
/* Takes one frame. */
void stack_input(struct stack *s, const uint8_t *frame, size_t len);
/* Reads and takes every frame the link has. Returns how many. */
int stack_poll(struct stack *s);
/* Runs the timers that are due; returns when the next one is (UINT64_MAX:
 * none). Called again with nothing due, it only says when. */
uint64_t stack_timers(struct stack *s);
/* Sets the address (prefix bits; gateway 0: none) and announces it. */
void stack_configure(struct stack *s, uint32_t ip, unsigned prefix, uint32_t gateway);
uint64_t stack_now(struct stack *s);
/* A random 32-bit number. */
uint32_t stack_random(struct stack *s);

/* --- eth.c and arp.c --- */
void eth_input(struct stack *s, const uint8_t *frame, size_t len);
/* Sends the IP packet in s->frame + ETH_HLEN (len bytes) to next hop nh
 * (a broadcast when nh is 0xffffffff), resolving its address first. */
void eth_output_ip(struct stack *s, uint32_t nh, size_t len);
/* Sends a held IP packet (a copy) to mac. */
void eth_send_held(struct stack *s, const uint8_t mac[6], const uint8_t *pkt, size_t len);
void arp_input(struct stack *s, const uint8_t *payload, size_t len);
/* The Ethernet address of ip into mac: true when known; else a request is
 * sent and the packet (len bytes) held until the answer comes. */
bool arp_resolve(struct stack *s, uint32_t ip, uint8_t mac[6], const uint8_t *pkt, size_t len);
void arp_announce(struct stack *s);
void arp_timers(struct stack *s, uint64_t now, uint64_t *next);
void arp_free(struct stack *s);

/* --- ipv4.c --- */
void ipv4_input(struct stack *s, const uint8_t *pkt, size_t len);
/* Sends len bytes of payload already written at s->frame + ETH_HLEN +
 * IP_HLEN to dst. Returns 0, or -1 when there is no route. */
int ipv4_output(struct stack *s, uint32_t dst, uint8_t proto, size_t len);
/* The payload's place in s->frame. */
static inline uint8_t *ipv4_payload(struct stack *s)
{
	return s->frame + ETH_HLEN + IP_HLEN;
}
/* The largest payload of one IP packet. */
static inline size_t ipv4_max_payload(struct stack *s)
{
	return s->link.mtu - IP_HLEN;
}
bool ipv4_is_local(struct stack *s, uint32_t dst);
void ipv4_timers(struct stack *s, uint64_t now, uint64_t *next);
void ipv4_free(struct stack *s);

/* --- icmp.c --- */
void icmp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len);

/* --- udp.c --- */
void udp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len);
/* Sends a datagram from port sport (src address: ours, or 0 before DHCP
 * configured one). Returns 0 or -1. */
int udp_output(struct stack *s, uint16_t sport, uint32_t dst, uint16_t dport, const void *buf,
	       size_t len);
void udp_free_all(struct stack *s);
bool udp_port_used(struct stack *s, uint16_t port);
/* The API's UDP calls. */
mirage_result stack_udp_bind(struct mirage_tcpip *api, uint16_t port, struct mirage_udp **out);
mirage_result stack_udp_sendto(struct mirage_udp *u, uint32_t addr, uint16_t port, const void *buf,
			       size_t len);
mirage_result stack_udp_recvfrom(struct mirage_udp *u, void *buf, size_t size, size_t *len,
				 uint32_t *addr, uint16_t *port);
void stack_udp_close(struct mirage_udp *u);

/* --- dhcp.c --- */
void dhcp_start(struct stack *s);
/* A datagram to the client's port. */
void dhcp_input(struct stack *s, const uint8_t *p, size_t len);
void dhcp_timers(struct stack *s, uint64_t now, uint64_t *next);

/* --- tcp.c --- */
void tcp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len);
void tcp_timers(struct stack *s, uint64_t now, uint64_t *next);
void tcp_free_all(struct stack *s);
/* Whether a port is taken by a listener or a connection. */
bool tcp_port_used(struct stack *s, uint16_t port);
/* The API's TCP calls. */
mirage_result stack_tcp_listen(struct mirage_tcpip *api, uint16_t port, struct mirage_tcp **out);
mirage_result stack_tcp_accept(struct mirage_tcp *l, struct mirage_tcp **out);
mirage_result stack_tcp_connect(struct mirage_tcpip *api, uint32_t addr, uint16_t port,
				struct mirage_tcp **out);
mirage_result stack_tcp_read(struct mirage_tcp *c, void *buf, size_t size, size_t *len);
mirage_result stack_tcp_write(struct mirage_tcp *c, const void *buf, size_t len, size_t *written);
mirage_result stack_tcp_shutdown(struct mirage_tcp *c);
void stack_tcp_close(struct mirage_tcp *c);
mirage_result stack_tcp_peer(struct mirage_tcp *c, uint32_t *addr, uint16_t *port);

/* An ephemeral port free for TCP (tcp) or UDP, or 0 when none is. */
uint16_t stack_ephemeral_port(struct stack *s, bool tcp);

#endif
