/* icmp.c: ICMP (RFC 792): echo requests are answered; the rest is not
 * taken. */
#include <string.h>

#include "stack.h"

void icmp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len)
{
	struct icmp_hdr h;
	if (icmp_parse(p, len, &h) < 0 || h.type != ICMP_ECHO_REQUEST || !s->configured ||
	    ip->dst != s->ip || len > ipv4_max_payload(s))
		return;
	uint8_t *out = ipv4_payload(s);
	memmove(out, p, len);
	out[0] = ICMP_ECHO_REPLY;
	out[1] = 0;
	wr16(out + 2, 0);
	wr16(out + 2, csum_fold(csum_add(0, out, len)));
	ipv4_output(s, ip->src, IP_PROTO_ICMP, len);
}
