/* dhcp.c: the DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK; then
 * the lease is renewed with its server at T1, with any server at T2, and
 * given up when it expires. Messages are retransmitted at 4, 8, ... 64 s
 * (RFC 2131 4.1), each a little earlier or later. */
#include <string.h>

#include "stack.h"

#define SEC 1000000000ULL

static void send_msg(struct stack *s, uint8_t type, uint32_t ciaddr, uint32_t requested,
		     uint32_t server, uint32_t dst)
{
	struct dhcp_msg m;
	memset(&m, 0, sizeof(m));
	m.type = type;
	m.xid = s->dhcp.xid;
	m.ciaddr = ciaddr;
	m.requested = requested;
	m.server_id = server;
	memcpy(m.chaddr, s->link.mac, 6);
	uint8_t buf[320];
	size_t n = dhcp_build(buf, &m);
	udp_output(s, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT, buf, n);
}

/* The next retransmission: the interval (doubled each time, up to 64 s),
 * a second more or less at random. */
static void schedule(struct stack *s, uint64_t now)
{
	struct dhcp *d = &s->dhcp;
	uint64_t jitter = stack_random(s) % (2 * SEC);
	d->next = now + d->interval + jitter - SEC;
	if (d->interval < 64 * SEC)
		d->interval *= 2;
}

static void discover(struct stack *s, uint64_t now)
{
	struct dhcp *d = &s->dhcp;
	d->state = DHCP_SELECTING;
	d->xid = stack_random(s);
	d->interval = 4 * SEC;
	send_msg(s, DHCP_DISCOVER, 0, 0, 0, 0xffffffffu);
	schedule(s, now);
}

void dhcp_start(struct stack *s)
{
	discover(s, stack_now(s));
}

static unsigned prefix_of(uint32_t mask)
{
	unsigned n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

void dhcp_input(struct stack *s, const uint8_t *p, size_t len)
{
	struct dhcp *d = &s->dhcp;
	struct dhcp_msg m;
	if (dhcp_parse(p, len, &m) < 0 || m.op != 2 || m.xid != d->xid ||
	    memcmp(m.chaddr, s->link.mac, 6))
		return;
	uint64_t now = stack_now(s);
	if (m.type == DHCP_OFFER && d->state == DHCP_SELECTING && m.yiaddr && m.server_id) {
		d->offered = m.yiaddr;
		d->server = m.server_id;
		d->state = DHCP_REQUESTING;
		d->interval = 4 * SEC;
		send_msg(s, DHCP_REQUEST, 0, d->offered, d->server, 0xffffffffu);
		schedule(s, now);
	} else if (m.type == DHCP_ACK && d->state != DHCP_SELECTING && m.yiaddr) {
		uint32_t lease = m.lease ? m.lease : 3600;
		uint64_t l = (uint64_t)lease * SEC;
		d->state = DHCP_BOUND;
		if (m.server_id)
			d->server = m.server_id;
		d->t1 = now + (m.t1 ? (uint64_t)m.t1 * SEC : l / 2);
		d->t2 = now + (m.t2 ? (uint64_t)m.t2 * SEC : l / 8 * 7);
		d->expiry = now + l;
		d->next = d->t1;
		uint32_t mask = m.mask ? m.mask : 0xffffff00u;
		stack_configure(s, m.yiaddr, prefix_of(mask),
				s->fixed_gateway ? s->fixed_gateway : m.router);
	} else if (m.type == DHCP_NAK && d->state != DHCP_SELECTING) {
		s->configured = false;
		discover(s, now);
	}
}

void dhcp_timers(struct stack *s, uint64_t now, uint64_t *next)
{
	struct dhcp *d = &s->dhcp;
	if (d->state == DHCP_OFF)
		return;
	if (now >= d->next) {
		switch (d->state) {
		case DHCP_SELECTING:
			send_msg(s, DHCP_DISCOVER, 0, 0, 0, 0xffffffffu);
			schedule(s, now);
			break;
		case DHCP_REQUESTING:
			if (d->interval > 32 * SEC) { /* no answer: start again */
				discover(s, now);
				break;
			}
			send_msg(s, DHCP_REQUEST, 0, d->offered, d->server, 0xffffffffu);
			schedule(s, now);
			break;
		case DHCP_BOUND:
		case DHCP_RENEWING:
		case DHCP_REBINDING:
			if (now >= d->expiry) { /* the lease is gone */
				s->configured = false;
				stack_event(s);
				discover(s, now);
				break;
			}
			if (now >= d->t2) {
				d->state = DHCP_REBINDING;
				send_msg(s, DHCP_REQUEST, s->ip, 0, 0, 0xffffffffu);
			} else {
				d->state = DHCP_RENEWING;
				send_msg(s, DHCP_REQUEST, s->ip, 0, 0, d->server);
			}
			/* again halfway to the next limit, at least a minute on */
			uint64_t limit = now >= d->t2 ? d->expiry : d->t2;
			uint64_t wait = (limit - now) / 2;
			d->next = now + (wait > 60 * SEC ? wait : 60 * SEC);
			if (d->next > limit)
				d->next = limit;
			break;
		default:
			break;
		}
	}
	if (d->state != DHCP_OFF && d->next < *next)
		*next = d->next;
}
