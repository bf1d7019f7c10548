/* udp.c: UDP (RFC 768): endpoints bound to a port, each with a queue of
 * datagrams received (the oldest dropped when full), datagrams sent from
 * them; the DHCP client's port. */
#include <stdlib.h>
#include <string.h>

#include "stack.h"

struct udp_dgram {
	uint32_t addr;
	uint16_t port;
	size_t len;
	uint8_t *data;
};

struct udp_ep {
	struct mirage_udp api; /* first: what the API sees */
	struct stack *s;
	uint16_t port;
	struct udp_dgram q[UDP_QUEUE];
	int head, n;
	struct udp_ep *next;
};

bool udp_port_used(struct stack *s, uint16_t port)
{
	for (struct udp_ep *u = s->udps; u; u = u->next)
		if (u->port == port)
			return true;
	return port == DHCP_CLIENT_PORT && s->dhcp.state != DHCP_OFF;
}

void udp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len)
{
	struct udp_hdr h;
	if (udp_parse(p, len, ip->src, ip->dst, &h) < 0)
		return;
	const uint8_t *data = p + UDP_HLEN;
	size_t n = h.len - UDP_HLEN;
	if (h.dport == DHCP_CLIENT_PORT && s->dhcp.state != DHCP_OFF) {
		dhcp_input(s, data, n);
		return;
	}
	if (!s->configured)
		return;
	struct udp_ep *u = s->udps;
	while (u && u->port != h.dport)
		u = u->next;
	if (!u)
		return;
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, data, n);
	if (u->n == UDP_QUEUE) { /* full: the oldest goes */
		free(u->q[u->head].data);
		u->head = (u->head + 1) % UDP_QUEUE;
		u->n--;
	}
	u->q[(u->head + u->n++) % UDP_QUEUE] = (struct udp_dgram){ip->src, h.sport, n, copy};
	stack_event(s);
}

int udp_output(struct stack *s, uint16_t sport, uint32_t dst, uint16_t dport, const void *buf,
	       size_t len)
{
	if (len > ipv4_max_payload(s) - UDP_HLEN)
		return -1;
	uint8_t *p = ipv4_payload(s);
	memcpy(p + UDP_HLEN, buf, len);
	struct udp_hdr h = {sport, dport, (uint16_t)(UDP_HLEN + len)};
	udp_build(p, &h, s->configured ? s->ip : 0, dst);
	return ipv4_output(s, dst, IP_PROTO_UDP, UDP_HLEN + len);
}

mirage_result stack_udp_bind(struct mirage_tcpip *api, uint16_t port, struct mirage_udp **out)
{
	struct stack *s = (struct stack *)api;
	if (!out)
		return MIRAGE_INVALID;
	if (!port)
		port = stack_ephemeral_port(s, false);
	if (!port || udp_port_used(s, port) || s->nudps == UDP_MAX_ENDPOINTS)
		return MIRAGE_INVALID;
	struct udp_ep *u = calloc(1, sizeof(*u));
	if (!u)
		return MIRAGE_EIO;
	u->api.stack = api;
	u->s = s;
	u->port = port;
	u->next = s->udps;
	s->udps = u;
	s->nudps++;
	*out = &u->api;
	return MIRAGE_OK;
}

mirage_result stack_udp_sendto(struct mirage_udp *api, uint32_t addr, uint16_t port,
			       const void *buf, size_t len)
{
	struct udp_ep *u = (struct udp_ep *)api;
	if (!port || (!buf && len))
		return MIRAGE_INVALID;
	if (!u->s->configured)
		return MIRAGE_AGAIN;
	if (len > ipv4_max_payload(u->s) - UDP_HLEN)
		return MIRAGE_INVALID; /* outgoing datagrams are not fragmented */
	return udp_output(u->s, u->port, addr, port, buf, len) == 0 ? MIRAGE_OK : MIRAGE_EIO;
}

mirage_result stack_udp_recvfrom(struct mirage_udp *api, void *buf, size_t size, size_t *len,
				 uint32_t *addr, uint16_t *port)
{
	struct udp_ep *u = (struct udp_ep *)api;
	if (!len || (!buf && size))
		return MIRAGE_INVALID;
	if (!u->n)
		return MIRAGE_AGAIN;
	struct udp_dgram *d = &u->q[u->head];
	size_t n = d->len < size ? d->len : size;
	memcpy(buf, d->data, n);
	*len = n;
	if (addr)
		*addr = d->addr;
	if (port)
		*port = d->port;
	free(d->data);
	u->head = (u->head + 1) % UDP_QUEUE;
	u->n--;
	return MIRAGE_OK;
}

static void ep_free(struct udp_ep *u)
{
	for (int i = 0; i < u->n; i++)
		free(u->q[(u->head + i) % UDP_QUEUE].data);
	free(u);
}

void stack_udp_close(struct mirage_udp *api)
{
	struct udp_ep *u = (struct udp_ep *)api;
	struct stack *s = u->s;
	for (struct udp_ep **pp = &s->udps; *pp; pp = &(*pp)->next)
		if (*pp == u) {
			*pp = u->next;
			s->nudps--;
			break;
		}
	ep_free(u);
}

void udp_free_all(struct stack *s)
{
	while (s->udps) {
		struct udp_ep *u = s->udps;
		s->udps = u->next;
		ep_free(u);
	}
	s->nudps = 0;
}
