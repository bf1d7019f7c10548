/* wire.c: the packet formats of wire.h. */
#include "wire.h"

#include <string.h>

/* Whether a received checksum verifies (folds to 0). A fuzzing build of the
 * whole stack (fuzz_stack) takes every checksum, so that arbitrary frames
 * reach the protocols' state. */
static bool csum_ok(uint16_t folded)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	(void)folded;
	return true;
#else
	return folded == 0;
#endif
}

uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;
	for (; len >= 2; p += 2, len -= 2)
		s += rd16(p);
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint8_t ph[12];
	wr32(ph, src);
	wr32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = proto;
	wr16(ph + 10, len);
	return csum_add(0, ph, sizeof(ph));
}

int eth_parse(const uint8_t *p, size_t n, struct eth_hdr *h)
{
	if (n < ETH_HLEN)
		return -1;
	memcpy(h->dst, p, 6);
	memcpy(h->src, p + 6, 6);
	h->type = rd16(p + 12);
	return 0;
}

void eth_build(uint8_t *p, const struct eth_hdr *h)
{
	memcpy(p, h->dst, 6);
	memcpy(p + 6, h->src, 6);
	wr16(p + 12, h->type);
}

int arp_parse(const uint8_t *p, size_t n, struct arp_pkt *a)
{
	if (n < ARP_LEN || rd16(p) != 1 || rd16(p + 2) != ETH_TYPE_IPV4 || p[4] != 6 || p[5] != 4)
		return -1;
	a->op = rd16(p + 6);
	memcpy(a->sha, p + 8, 6);
	a->spa = rd32(p + 14);
	memcpy(a->tha, p + 18, 6);
	a->tpa = rd32(p + 24);
	return 0;
}

void arp_build(uint8_t *p, const struct arp_pkt *a)
{
	wr16(p, 1);
	wr16(p + 2, ETH_TYPE_IPV4);
	p[4] = 6;
	p[5] = 4;
	wr16(p + 6, a->op);
	memcpy(p + 8, a->sha, 6);
	wr32(p + 14, a->spa);
	memcpy(p + 18, a->tha, 6);
	wr32(p + 24, a->tpa);
}

int ip_parse(const uint8_t *p, size_t n, struct ip_hdr *h)
{
	if (n < IP_HLEN || p[0] >> 4 != 4)
		return -1;
	h->hlen = (uint8_t)((p[0] & 15) * 4);
	h->tos = p[1];
	h->len = rd16(p + 2);
	h->id = rd16(p + 4);
	uint16_t f = rd16(p + 6);
	h->df = (f & 0x4000) != 0;
	h->mf = (f & 0x2000) != 0;
	h->frag = (uint16_t)((f & 0x1fff) * 8);
	h->ttl = p[8];
	h->proto = p[9];
	h->src = rd32(p + 12);
	h->dst = rd32(p + 16);
	if (h->hlen < IP_HLEN || h->len < h->hlen || h->len > n || (f & 0x8000))
		return -1;
	if (!csum_ok(csum_fold(csum_add(0, p, h->hlen))))
		return -1;
	return 0;
}

void ip_build(uint8_t *p, const struct ip_hdr *h)
{
	p[0] = 0x45;
	p[1] = h->tos;
	wr16(p + 2, h->len);
	wr16(p + 4, h->id);
	wr16(p + 6, (uint16_t)((h->df ? 0x4000 : 0) | (h->mf ? 0x2000 : 0) | (h->frag / 8)));
	p[8] = h->ttl;
	p[9] = h->proto;
	wr16(p + 10, 0);
	wr32(p + 12, h->src);
	wr32(p + 16, h->dst);
	wr16(p + 10, csum_fold(csum_add(0, p, IP_HLEN)));
}

int icmp_parse(const uint8_t *p, size_t n, struct icmp_hdr *h)
{
	if (n < 8 || !csum_ok(csum_fold(csum_add(0, p, n))))
		return -1;
	h->type = p[0];
	h->code = p[1];
	h->rest = rd32(p + 4);
	return 0;
}

int udp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct udp_hdr *h)
{
	if (n < UDP_HLEN)
		return -1;
	h->sport = rd16(p);
	h->dport = rd16(p + 2);
	h->len = rd16(p + 4);
	if (h->len < UDP_HLEN || h->len > n)
		return -1;
	if (rd16(p + 6) != 0 &&
	    !csum_ok(csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, h->len), p, h->len))))
		return -1;
	return 0;
}

void udp_build(uint8_t *p, const struct udp_hdr *h, uint32_t src, uint32_t dst)
{
	wr16(p, h->sport);
	wr16(p + 2, h->dport);
	wr16(p + 4, h->len);
	wr16(p + 6, 0);
	uint16_t c = csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, h->len), p, h->len));
	wr16(p + 6, c ? c : 0xffff); /* 0 means "no checksum" */
}

int tcp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct tcp_hdr *h)
{
	if (n < TCP_HLEN || n > 0xffff)
		return -1;
	h->sport = rd16(p);
	h->dport = rd16(p + 2);
	h->seq = rd32(p + 4);
	h->ack = rd32(p + 8);
	h->hlen = (uint8_t)((p[12] >> 4) * 4);
	h->flags = p[13] & 0x3f;
	h->win = rd16(p + 14);
	h->mss = 0;
	h->wscale = -1;
	if (h->hlen < TCP_HLEN || h->hlen > n)
		return -1;
	if (!csum_ok(csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)n), p, n))))
		return -1;
	/* options: kind, length, value; end (0) and no-op (1) are one byte */
	for (size_t i = TCP_HLEN; i < h->hlen;) {
		uint8_t kind = p[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= h->hlen || p[i + 1] < 2 || i + p[i + 1] > h->hlen)
			return -1;
		uint8_t len = p[i + 1];
		if (kind == 2 && len == 4)
			h->mss = rd16(p + i + 2);
		else if (kind == 3 && len == 3)
			h->wscale = (int8_t)(p[i + 2] > 14 ? 14 : p[i + 2]);
		i += len;
	}
	return 0;
}

size_t tcp_build(uint8_t *p, struct tcp_hdr *h, uint32_t src, uint32_t dst, size_t len)
{
	size_t hlen = TCP_HLEN;
	if (h->mss) {
		p[hlen] = 2;
		p[hlen + 1] = 4;
		wr16(p + hlen + 2, h->mss);
		hlen += 4;
	}
	if (h->wscale >= 0) {
		p[hlen] = 1; /* no-op: the option ends on a word */
		p[hlen + 1] = 3;
		p[hlen + 2] = 3;
		p[hlen + 3] = (uint8_t)h->wscale;
		hlen += 4;
	}
	h->hlen = (uint8_t)hlen;
	wr16(p, h->sport);
	wr16(p + 2, h->dport);
	wr32(p + 4, h->seq);
	wr32(p + 8, h->ack);
	p[12] = (uint8_t)((hlen / 4) << 4);
	p[13] = h->flags;
	wr16(p + 14, h->win);
	wr16(p + 16, 0);
	wr16(p + 18, 0);
	uint16_t total = (uint16_t)(hlen + len);
	wr16(p + 16, csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_TCP, total), p, total)));
	return hlen;
}

#define DHCP_COOKIE 0x63825363
#define BOOTP_LEN   236

int dhcp_parse(const uint8_t *p, size_t n, struct dhcp_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (n < BOOTP_LEN + 4 || p[1] != 1 || p[2] != 6 || rd32(p + BOOTP_LEN) != DHCP_COOKIE)
		return -1;
	m->op = p[0];
	m->xid = rd32(p + 4);
	m->ciaddr = rd32(p + 12);
	m->yiaddr = rd32(p + 16);
	memcpy(m->chaddr, p + 28, 6);
	for (size_t i = BOOTP_LEN + 4; i < n;) {
		uint8_t code = p[i];
		if (code == 255)
			break;
		if (code == 0) {
			i++;
			continue;
		}
		if (i + 1 >= n || i + 2 + p[i + 1] > n)
			return -1;
		uint8_t len = p[i + 1];
		const uint8_t *v = p + i + 2;
		if (code == 53 && len == 1)
			m->type = v[0];
		else if (len == 4 && (code == 1 || code == 3 || code == 50 || code == 51 ||
				      code == 54 || code == 58 || code == 59)) {
			uint32_t x = rd32(v);
			switch (code) {
			case 1:
				m->mask = x;
				break;
			case 3:
				m->router = x;
				break;
			case 50:
				m->requested = x;
				break;
			case 51:
				m->lease = x;
				break;
			case 54:
				m->server_id = x;
				break;
			case 58:
				m->t1 = x;
				break;
			case 59:
				m->t2 = x;
				break;
			}
		} else if (code == 3 && len > 4 && len % 4 == 0) {
			m->router = rd32(v); /* the first of several routers */
		}
		i += 2 + len;
	}
	return m->type ? 0 : -1;
}

size_t dhcp_build(uint8_t *p, const struct dhcp_msg *m)
{
	memset(p, 0, 300);
	p[0] = 1; /* BOOTREQUEST */
	p[1] = 1; /* Ethernet */
	p[2] = 6;
	wr32(p + 4, m->xid);
	wr16(p + 10, 0x8000); /* broadcast: we cannot take unicast before we have an address */
	wr32(p + 12, m->ciaddr);
	memcpy(p + 28, m->chaddr, 6);
	wr32(p + BOOTP_LEN, DHCP_COOKIE);
	size_t i = BOOTP_LEN + 4;
	p[i++] = 53;
	p[i++] = 1;
	p[i++] = m->type;
	if (m->requested) {
		p[i++] = 50;
		p[i++] = 4;
		wr32(p + i, m->requested);
		i += 4;
	}
	if (m->server_id) {
		p[i++] = 54;
		p[i++] = 4;
		wr32(p + i, m->server_id);
		i += 4;
	}
	/* the client identifier: type 1 (Ethernet) and the MAC */
	p[i++] = 61;
	p[i++] = 7;
	p[i++] = 1;
	memcpy(p + i, m->chaddr, 6);
	i += 6;
	/* the parameters asked for: subnet mask, router, lease, T1, T2 */
	static const uint8_t params[] = {1, 3, 51, 58, 59};
	p[i++] = 55;
	p[i++] = sizeof(params);
	memcpy(p + i, params, sizeof(params));
	i += sizeof(params);
	p[i++] = 255;
	return i < 300 ? 300 : i; /* BOOTP's minimum size, padded */
}

int ipv4_parse_text(const char *s, uint32_t *addr)
{
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned v = 0;
		int digits = 0;
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		if (v > 255 || digits > 3)
			return -1;
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*addr = a;
	return 0;
}
