/* stack.c: mirage's own TCP/IP stack: its creation and configuration, the
 * frames it takes, its timers, and the table of the API's operations. */
#include <stdlib.h>
#include <string.h>

#include "stack.h"

uint64_t stack_now(struct stack *s)
{
	return s->link.now(s->link.ctx);
}

uint32_t stack_random(struct stack *s)
{
	uint32_t r;
	s->link.random(s->link.ctx, &r, sizeof(r));
	return r;
}

static mirage_result stack_ipv4(struct mirage_tcpip *api, uint32_t *addr, unsigned *prefix,
				uint32_t *gateway)
{
	struct stack *s = (struct stack *)api;
	if (!s->configured)
		return MIRAGE_AGAIN;
	if (addr)
		*addr = s->ip;
	if (prefix)
		*prefix = s->prefix;
	if (gateway)
		*gateway = s->gateway;
	return MIRAGE_OK;
}

static void stack_step(struct mirage_tcpip *api, uint64_t *deadline)
{
	struct stack *s = (struct stack *)api;
	stack_poll(s);
	uint64_t next = stack_timers(s);
	if (next < *deadline)
		*deadline = next;
}

static const struct tcpip_ops ops = {
    .ipv4 = stack_ipv4,
    .listen = stack_tcp_listen,
    .accept = stack_tcp_accept,
    .connect = stack_tcp_connect,
    .read = stack_tcp_read,
    .write = stack_tcp_write,
    .shutdown = stack_tcp_shutdown,
    .close = stack_tcp_close,
    .peer = stack_tcp_peer,
    .udp_bind = stack_udp_bind,
    .sendto = stack_udp_sendto,
    .recvfrom = stack_udp_recvfrom,
    .udp_close = stack_udp_close,
    .step = stack_step,
};

struct stack *stack_new(const struct link *link, const char *name, uint32_t ip, unsigned prefix,
			uint32_t gateway)
{
	struct stack *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->api.ops = &ops;
	s->api.name = name;
	s->link = *link;
	s->name = name;
	s->ip_id = (uint16_t)stack_random(s);
	s->next_port = (uint16_t)(49152 + stack_random(s) % 16384);
	if (ip) {
		stack_configure(s, ip, prefix, gateway);
	} else {
		s->fixed_gateway = gateway;
		dhcp_start(s);
	}
	return s;
}

void stack_configure(struct stack *s, uint32_t ip, unsigned prefix, uint32_t gateway)
{
	bool changed = !s->configured || s->ip != ip;
	s->ip = ip;
	s->prefix = prefix;
	s->mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
	s->gateway = gateway;
	s->configured = true;
	if (changed) {
		arp_announce(s);
		stack_event(s); /* mirage_tcpip_ipv4 has an answer */
	}
}

void stack_free(struct stack *s)
{
	tcp_free_all(s);
	udp_free_all(s);
	arp_free(s);
	ipv4_free(s);
	free(s);
}

void stack_input(struct stack *s, const uint8_t *frame, size_t len)
{
	eth_input(s, frame, len);
}

int stack_poll(struct stack *s)
{
	int n = 0;
	size_t len;
	/* a bound: a flood of frames does not keep timers from running */
	while (n < 256 && s->link.recv(s->link.ctx, s->rxframe, sizeof(s->rxframe), &len) == 1) {
		stack_input(s, s->rxframe, len);
		n++;
	}
	return n;
}

uint64_t stack_timers(struct stack *s)
{
	/* each protocol runs what is due and lowers next to when it is next
	 * due: after running a timer, to its new time */
	uint64_t now = stack_now(s), next = UINT64_MAX;
	arp_timers(s, now, &next);
	ipv4_timers(s, now, &next);
	dhcp_timers(s, now, &next);
	tcp_timers(s, now, &next);
	return next;
}

uint16_t stack_ephemeral_port(struct stack *s, bool tcp)
{
	for (int tries = 0; tries < 16384; tries++) {
		uint16_t p = s->next_port;
		s->next_port = (uint16_t)(p == 65535 ? 49152 : p + 1);
		if (!(tcp ? tcp_port_used(s, p) : udp_port_used(s, p)))
			return p;
	}
	return 0;
}
