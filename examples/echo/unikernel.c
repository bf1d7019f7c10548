/* echo: echoes every TCP connection and every UDP datagram on --port.
 * Each connection keeps what it could not write yet (the peer reading
 * slowly) and stops reading until that is gone; when the peer closes its
 * side, the rest is written and the connection closed. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF 16384

struct conn {
	struct mirage_tcp *tcp;
	char buf[BUF];
	size_t off, len; /* what is waiting to be written back */
	bool eof;	 /* the peer closed its side */
};

static void ip_text(uint32_t a, char out[16])
{
	snprintf(out, 16, "%" PRIu32 ".%" PRIu32 ".%" PRIu32 ".%" PRIu32, a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
}

/* Moves data along one connection. Returns false when it is done. */
static bool serve(struct conn *c)
{
	for (;;) {
		while (c->off < c->len) {
			size_t w;
			mirage_result r =
			    mirage_tcp_write(c->tcp, c->buf + c->off, c->len - c->off, &w);
			if (r == MIRAGE_AGAIN)
				return true;
			if (r != MIRAGE_OK)
				return false;
			c->off += w;
		}
		c->off = c->len = 0;
		if (c->eof) {
			mirage_tcp_shutdown(c->tcp);
			return false;
		}
		size_t n;
		mirage_result r = mirage_tcp_read(c->tcp, c->buf, sizeof(c->buf), &n);
		if (r == MIRAGE_AGAIN)
			return true;
		if (r != MIRAGE_OK)
			return false;
		if (n == 0)
			c->eof = true;
		c->len = n;
	}
}

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	if (args->port < 1 || args->port > 65535 || args->max_conns < 1) {
		printf("echo: --port must be 1 to 65535, --max_conns at least 1\n");
		return 64;
	}
	uint16_t port = (uint16_t)args->port;
	struct mirage_tcp *listener;
	struct mirage_udp *udp;
	if (mirage_tcp_listen(dev->stack, port, &listener) != MIRAGE_OK ||
	    mirage_udp_bind(dev->stack, port, &udp) != MIRAGE_OK) {
		printf("echo: port %u is taken\n", port);
		return 1;
	}
	/* the address, once DHCP (or the boot arguments) gave it */
	uint32_t addr;
	unsigned prefix;
	while (mirage_tcpip_ipv4(dev->stack, &addr, &prefix, NULL) == MIRAGE_AGAIN)
		mirage_wait(UINT64_MAX);
	char text[16];
	ip_text(addr, text);
	printf("echo: listening on %s/%u port %u (tcp and udp)\n", text, prefix, port);

	size_t max = (size_t)args->max_conns, n = 0;
	struct conn **conns = calloc(max, sizeof(*conns));
	for (;;) {
		/* new connections, as many as there is room for */
		struct mirage_tcp *t;
		while (n < max && mirage_tcp_accept(listener, &t) == MIRAGE_OK) {
			conns[n] = calloc(1, sizeof(struct conn));
			if (!conns[n]) {
				mirage_tcp_close(t);
				break;
			}
			conns[n++]->tcp = t;
		}
		for (size_t i = 0; i < n;) {
			if (serve(conns[i])) {
				i++;
				continue;
			}
			mirage_tcp_close(conns[i]->tcp);
			free(conns[i]);
			conns[i] = conns[--n];
		}
		/* datagrams, back where they came from */
		char dgram[2048];
		size_t len;
		uint32_t from;
		uint16_t fport;
		while (mirage_udp_recvfrom(udp, dgram, sizeof(dgram), &len, &from, &fport) ==
		       MIRAGE_OK)
			mirage_udp_sendto(udp, from, fport, dgram, len);
		mirage_wait(UINT64_MAX);
	}
}
