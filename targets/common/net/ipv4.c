/* ipv4.c: IPv4 (RFC 791): packets for this host (its address, the
 * broadcast addresses, anything while DHCP has not configured one) are
 * checked and given to their protocol; fragments are reassembled (a few
 * datagrams at once, each up to 64 KiB, dropped whole after 30 s without
 * its last piece); nothing is forwarded. Outgoing packets are never
 * fragmented: each protocol sends what fits the link's MTU. */
#include <stdlib.h>
#include <string.h>

#include "stack.h"

bool ipv4_is_local(struct stack *s, uint32_t dst)
{
	if (dst == 0xffffffffu)
		return true;
	if (!s->configured)
		return true; /* DHCP's offers may come to the address offered */
	return dst == s->ip || (s->mask && dst == (s->ip | ~s->mask));
}

static void deliver(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len)
{
	switch (ip->proto) {
	case IP_PROTO_ICMP:
		icmp_input(s, ip, p, len);
		break;
	case IP_PROTO_UDP:
		udp_input(s, ip, p, len);
		break;
	case IP_PROTO_TCP:
		tcp_input(s, ip, p, len);
		break;
	}
}

static void reasm_drop(struct reasm *r)
{
	free(r->data);
	free(r->have);
	memset(r, 0, sizeof(*r));
}

/* Adds a fragment; delivers the datagram once whole. */
static void reassemble(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len)
{
	struct reasm *r = NULL, *free_slot = NULL, *oldest = NULL;
	for (int i = 0; i < REASM_SLOTS; i++) {
		struct reasm *x = &s->reasm[i];
		if (!x->used) {
			if (!free_slot)
				free_slot = x;
			continue;
		}
		if (x->src == ip->src && x->dst == ip->dst && x->id == ip->id &&
		    x->proto == ip->proto)
			r = x;
		if (!oldest || x->deadline < oldest->deadline)
			oldest = x;
	}
	if (!r) {
		r = free_slot ? free_slot : oldest; /* the oldest gives way */
		if (r->used)
			reasm_drop(r);
		r->data = malloc(REASM_MAX);
		r->have = calloc(REASM_MAX / 8 / 8 + 1, 1);
		if (!r->data || !r->have) {
			reasm_drop(r);
			return;
		}
		r->used = true;
		r->src = ip->src;
		r->dst = ip->dst;
		r->id = ip->id;
		r->proto = ip->proto;
		r->deadline = stack_now(s) + REASM_TIMEOUT_NS;
	}
	/* a fragment past 64 KiB, or a middle one that is not a whole number
	 * of 8-byte blocks, is malformed: the datagram is dropped */
	if ((size_t)ip->frag + len > REASM_MAX || (ip->mf && len % 8)) {
		reasm_drop(r);
		return;
	}
	memcpy(r->data + ip->frag, p, len);
	for (size_t b = ip->frag / 8; b < (ip->frag + len + 7) / 8; b++)
		r->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!ip->mf)
		r->total = ip->frag + len;
	if (!r->total)
		return;
	for (size_t b = 0; b < (r->total + 7) / 8; b++)
		if (!(r->have[b / 8] & (1u << (b % 8))))
			return;
	struct ip_hdr whole = *ip;
	whole.frag = 0;
	whole.mf = false;
	whole.len = (uint16_t)(IP_HLEN + r->total);
	deliver(s, &whole, r->data, r->total);
	reasm_drop(r);
}

void ipv4_input(struct stack *s, const uint8_t *pkt, size_t len)
{
	struct ip_hdr ip;
	if (ip_parse(pkt, len, &ip) < 0 || !ipv4_is_local(s, ip.dst))
		return;
	const uint8_t *p = pkt + ip.hlen;
	size_t n = ip.len - ip.hlen;
	if (ip.mf || ip.frag)
		reassemble(s, &ip, p, n);
	else
		deliver(s, &ip, p, n);
}

int ipv4_output(struct stack *s, uint32_t dst, uint8_t proto, size_t len)
{
	uint32_t nh = dst;
	if (dst != 0xffffffffu && s->configured && s->mask &&
	    (dst & s->mask) != (s->ip & s->mask)) {
		if (!s->gateway)
			return -1; /* no route */
		nh = s->gateway;
	}
	struct ip_hdr ip = {IP_HLEN,
			    0,
			    64,
			    proto,
			    (uint16_t)(IP_HLEN + len),
			    s->ip_id++,
			    proto == IP_PROTO_TCP,
			    false,
			    0,
			    s->configured ? s->ip : 0,
			    dst};
	ip_build(s->frame + ETH_HLEN, &ip);
	eth_output_ip(s, nh, IP_HLEN + len);
	return 0;
}

void ipv4_timers(struct stack *s, uint64_t now, uint64_t *next)
{
	for (int i = 0; i < REASM_SLOTS; i++) {
		struct reasm *r = &s->reasm[i];
		if (!r->used)
			continue;
		if (now >= r->deadline)
			reasm_drop(r);
		else if (r->deadline < *next)
			*next = r->deadline;
	}
}

void ipv4_free(struct stack *s)
{
	for (int i = 0; i < REASM_SLOTS; i++)
		if (s->reasm[i].used)
			reasm_drop(&s->reasm[i]);
}
