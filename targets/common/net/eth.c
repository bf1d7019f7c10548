/* eth.c: Ethernet: frames in, dispatched by type; IP packets out, to the
 * next hop's address (arp.c resolves it). */
#include <string.h>

#include "stack.h"

static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void eth_input(struct stack *s, const uint8_t *frame, size_t len)
{
	struct eth_hdr h;
	if (eth_parse(frame, len, &h) < 0)
		return;
	/* ours, or a broadcast; multicast is not taken */
	if (memcmp(h.dst, s->link.mac, 6) && memcmp(h.dst, broadcast, 6))
		return;
	if (h.type == ETH_TYPE_ARP)
		arp_input(s, frame + ETH_HLEN, len - ETH_HLEN);
	else if (h.type == ETH_TYPE_IPV4)
		ipv4_input(s, frame + ETH_HLEN, len - ETH_HLEN);
}

/* Sends s->frame's IP packet to mac. */
static void send_to(struct stack *s, const uint8_t mac[6], size_t len)
{
	struct eth_hdr h;
	memcpy(h.dst, mac, 6);
	memcpy(h.src, s->link.mac, 6);
	h.type = ETH_TYPE_IPV4;
	eth_build(s->frame, &h);
	s->link.send(s->link.ctx, s->frame, ETH_HLEN + len);
}

void eth_output_ip(struct stack *s, uint32_t nh, size_t len)
{
	if (nh == 0xffffffffu || (s->mask && nh == (s->ip | ~s->mask))) {
		send_to(s, broadcast, len);
		return;
	}
	uint8_t mac[6];
	if (arp_resolve(s, nh, mac, s->frame + ETH_HLEN, len))
		send_to(s, mac, len);
}

void eth_send_held(struct stack *s, const uint8_t mac[6], const uint8_t *pkt, size_t len)
{
	memcpy(s->frame + ETH_HLEN, pkt, len);
	send_to(s, mac, len);
}
