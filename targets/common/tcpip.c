/* tcpip.c: the tcpip device: the calls of mirage.h, passed to the
 * implementation a handle belongs to (net/tcpip.h), and mirage's own stack
 * (net/) as a device over a network device. */
#include <stdio.h>
#include <string.h>

#include "mirage_rt.h"
#include "net/stack.h"

/* --- the API --- */

mirage_result mirage_tcpip_ipv4(struct mirage_tcpip *s, uint32_t *addr, unsigned *prefix,
				uint32_t *gateway)
{
	if (!s)
		return MIRAGE_INVALID;
	return s->ops->ipv4(s, addr, prefix, gateway);
}

mirage_result mirage_tcp_listen(struct mirage_tcpip *s, uint16_t port, struct mirage_tcp **listener)
{
	if (!s || !port || !listener)
		return MIRAGE_INVALID;
	return s->ops->listen(s, port, listener);
}

mirage_result mirage_tcp_accept(struct mirage_tcp *listener, struct mirage_tcp **conn)
{
	if (!listener || !conn)
		return MIRAGE_INVALID;
	return listener->stack->ops->accept(listener, conn);
}

mirage_result mirage_tcp_connect(struct mirage_tcpip *s, uint32_t addr, uint16_t port,
				 struct mirage_tcp **conn)
{
	if (!s || !port || !conn)
		return MIRAGE_INVALID;
	return s->ops->connect(s, addr, port, conn);
}

mirage_result mirage_tcp_read(struct mirage_tcp *c, void *buf, size_t size, size_t *len)
{
	if (!c || !len || (!buf && size))
		return MIRAGE_INVALID;
	return c->stack->ops->read(c, buf, size, len);
}

mirage_result mirage_tcp_write(struct mirage_tcp *c, const void *buf, size_t len, size_t *written)
{
	if (!c || !written || (!buf && len))
		return MIRAGE_INVALID;
	return c->stack->ops->write(c, buf, len, written);
}

mirage_result mirage_tcp_shutdown(struct mirage_tcp *c)
{
	if (!c)
		return MIRAGE_INVALID;
	return c->stack->ops->shutdown(c);
}

void mirage_tcp_close(struct mirage_tcp *c)
{
	if (c)
		c->stack->ops->close(c);
}

mirage_result mirage_tcp_peer(struct mirage_tcp *c, uint32_t *addr, uint16_t *port)
{
	if (!c)
		return MIRAGE_INVALID;
	return c->stack->ops->peer(c, addr, port);
}

mirage_result mirage_udp_bind(struct mirage_tcpip *s, uint16_t port, struct mirage_udp **u)
{
	if (!s || !u)
		return MIRAGE_INVALID;
	return s->ops->udp_bind(s, port, u);
}

mirage_result mirage_udp_sendto(struct mirage_udp *u, uint32_t addr, uint16_t port, const void *buf,
				size_t len)
{
	if (!u || !port || (!buf && len))
		return MIRAGE_INVALID;
	return u->stack->ops->sendto(u, addr, port, buf, len);
}

mirage_result mirage_udp_recvfrom(struct mirage_udp *u, void *buf, size_t size, size_t *len,
				  uint32_t *addr, uint16_t *port)
{
	if (!u || !len || (!buf && size))
		return MIRAGE_INVALID;
	return u->stack->ops->recvfrom(u, buf, size, len, addr, port);
}

void mirage_udp_close(struct mirage_udp *u)
{
	if (u)
		u->stack->ops->udp_close(u);
}

/* --- the boot arguments --- */

/* "A.B.C.D/N" into *addr and *prefix. */
static int parse_cidr(const char *s, uint32_t *addr, unsigned *prefix)
{
	const char *slash = strchr(s, '/');
	char ip[16];
	size_t n = slash ? (size_t)(slash - s) : 0;
	if (!slash || n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (ipv4_parse_text(ip, addr) < 0)
		return -1;
	const char *p = slash + 1;
	unsigned v = 0;
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || digits > 2 || p[digits])
		return -1;
	for (size_t i = 0; i < digits; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	if (v > 32)
		return -1;
	*prefix = v;
	return 0;
}

/* The device's boot arguments: --NAME-ipv4=A.B.C.D/N and --NAME-gateway=A.B.C.D
 * ("" when not given). A malformed one is reported and MIRAGE_INVALID. */
mirage_result mirage_tcpip_args(const char *name, const char *ipv4, const char *gateway,
				uint32_t *addr, unsigned *prefix, uint32_t *gw)
{
	char msg[256];
	*addr = *gw = 0;
	*prefix = 0;
	if (ipv4 && *ipv4 && parse_cidr(ipv4, addr, prefix) < 0) {
		snprintf(msg, sizeof(msg),
			 "%s: --%s-ipv4=%s: expected an address and a prefix length, as in "
			 "10.0.0.2/24\n",
			 mirage_manifest.unikernel, name, ipv4);
		mirage_console_puts(msg);
		return MIRAGE_INVALID;
	}
	if (gateway && *gateway && ipv4_parse_text(gateway, gw) < 0) {
		snprintf(msg, sizeof(msg),
			 "%s: --%s-gateway=%s: expected an address, as in 10.0.0.1\n",
			 mirage_manifest.unikernel, name, gateway);
		mirage_console_puts(msg);
		return MIRAGE_INVALID;
	}
	return MIRAGE_OK;
}

/* --- mirage's own stack over a network device --- */

static void link_send(void *ctx, const void *frame, size_t len)
{
	/* a frame the device cannot take now is lost, as on a wire: TCP sends
	 * it again */
	(void)mirage_net_write(ctx, frame, len);
}

static int link_recv(void *ctx, void *buf, size_t size, size_t *len)
{
	return mirage_net_read(ctx, buf, size, len) == MIRAGE_OK;
}

static uint64_t link_now(void *ctx)
{
	(void)ctx;
	return mirage_clock_monotonic();
}

static void link_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	if (mirage_random(buf, len) != MIRAGE_OK)
		mirage_abort("tcpip: no randomness for sequence numbers and ports");
}

mirage_result mirage_tcpip_init(const char *name, struct mirage_net *net, const char *ipv4,
				const char *gateway, struct mirage_tcpip **out)
{
	uint32_t addr, gw;
	unsigned prefix;
	mirage_result r = mirage_tcpip_args(name, ipv4, gateway, &addr, &prefix, &gw);
	if (r != MIRAGE_OK)
		return r;
	if (!net)
		return MIRAGE_NOT_FOUND;
	if (mirage_net_mtu(net) > STACK_MTU)
		return MIRAGE_INVALID; /* frames larger than the stack's buffers */
	struct link link = {net, link_send, link_recv, link_now, link_random, {0}, 0};
	mirage_net_mac(net, link.mac);
	link.mtu = mirage_net_mtu(net);
	struct stack *s = stack_new(&link, name, addr, prefix, gw);
	if (!s)
		return MIRAGE_EIO;
	mirage_tcpip_register(stack_api(s), net);
	*out = stack_api(s);
	return MIRAGE_OK;
}
