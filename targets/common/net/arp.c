/* arp.c: ARP (RFC 826) for IPv4 over Ethernet: a cache of resolved
 * addresses, requests (retried, then given up with the packets they held),
 * replies, and a gratuitous announcement of the stack's own address. */
#include <stdlib.h>
#include <string.h>

#include "stack.h"

#define ARP_RETRY_NS 1000000000ULL

static struct arp_entry *find(struct stack *s, uint32_t ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (s->arp[i].ip == ip && s->arp[i].ip)
			return &s->arp[i];
	return NULL;
}

static void drop_held(struct arp_entry *e)
{
	for (int i = 0; i < e->nheld; i++)
		free(e->held[i]);
	e->nheld = 0;
}

/* A free entry, else the oldest resolved one, else NULL. */
static struct arp_entry *take(struct stack *s)
{
	struct arp_entry *victim = NULL;
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &s->arp[i];
		if (!e->ip)
			return e;
		if (e->resolved && (!victim || e->expires < victim->expires))
			victim = e;
	}
	if (victim)
		drop_held(victim);
	return victim;
}

static void send_arp(struct stack *s, uint16_t op, const uint8_t *dmac, const uint8_t *tha,
		     uint32_t tpa)
{
	uint8_t frame[ETH_HLEN + ARP_LEN];
	struct eth_hdr h;
	memcpy(h.dst, dmac, 6);
	memcpy(h.src, s->link.mac, 6);
	h.type = ETH_TYPE_ARP;
	eth_build(frame, &h);
	struct arp_pkt a = {op, {0}, {0}, s->ip, tpa};
	memcpy(a.sha, s->link.mac, 6);
	memcpy(a.tha, tha, 6);
	arp_build(frame + ETH_HLEN, &a);
	s->link.send(s->link.ctx, frame, sizeof(frame));
}

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero[6] = {0};

/* Learns ip's address; sends what waited for it. */
static void learn(struct stack *s, uint32_t ip, const uint8_t mac[6], bool create)
{
	struct arp_entry *e = find(s, ip);
	if (!e && !create)
		return;
	if (!e && !(e = take(s)))
		return;
	e->ip = ip;
	memcpy(e->mac, mac, 6);
	e->resolved = true;
	e->tries = 0;
	e->expires = stack_now(s) + ARP_LIFETIME_NS;
	int n = e->nheld;
	e->nheld = 0;
	for (int i = 0; i < n; i++) {
		eth_send_held(s, e->mac, e->held[i], e->held_len[i]);
		free(e->held[i]);
	}
}

void arp_input(struct stack *s, const uint8_t *p, size_t len)
{
	struct arp_pkt a;
	if (arp_parse(p, len, &a) < 0 || !a.spa || !memcmp(a.sha, bcast, 6))
		return;
	bool for_us = s->configured && a.tpa == s->ip;
	/* RFC 826: update an entry we have; add one when the packet is for us */
	learn(s, a.spa, a.sha, for_us);
	if (for_us && a.op == ARP_REQUEST)
		send_arp(s, ARP_REPLY, a.sha, a.sha, a.spa);
}

bool arp_resolve(struct stack *s, uint32_t ip, uint8_t mac[6], const uint8_t *pkt, size_t len)
{
	struct arp_entry *e = find(s, ip);
	if (e && e->resolved) {
		memcpy(mac, e->mac, 6);
		return true;
	}
	if (!e) {
		if (!(e = take(s)))
			return false;
		memset(e, 0, sizeof(*e));
		e->ip = ip;
		e->tries = 1;
		e->expires = stack_now(s) + ARP_RETRY_NS;
		send_arp(s, ARP_REQUEST, bcast, zero, ip);
	}
	/* hold the packet; when full, the oldest goes (its sender retransmits) */
	uint8_t *copy = malloc(len);
	if (!copy)
		return false;
	memcpy(copy, pkt, len);
	if (e->nheld == ARP_QUEUE) {
		free(e->held[0]);
		memmove(e->held, e->held + 1, (ARP_QUEUE - 1) * sizeof(e->held[0]));
		memmove(e->held_len, e->held_len + 1, (ARP_QUEUE - 1) * sizeof(e->held_len[0]));
		e->nheld--;
	}
	e->held[e->nheld] = copy;
	e->held_len[e->nheld++] = len;
	return false;
}

void arp_announce(struct stack *s)
{
	/* a gratuitous request: who has our address, from us */
	send_arp(s, ARP_REQUEST, bcast, zero, s->ip);
}

void arp_timers(struct stack *s, uint64_t now, uint64_t *next)
{
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &s->arp[i];
		if (!e->ip)
			continue;
		if (now >= e->expires) {
			if (e->resolved || e->tries >= ARP_TRIES) {
				drop_held(e);
				memset(e, 0, sizeof(*e));
				continue;
			}
			e->tries++;
			e->expires = now + ARP_RETRY_NS;
			send_arp(s, ARP_REQUEST, bcast, zero, e->ip);
		}
		if (!e->resolved && e->expires < *next)
			*next = e->expires;
	}
}

void arp_free(struct stack *s)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		drop_held(&s->arp[i]);
}
