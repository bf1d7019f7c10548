/* tcpip.h: the tcpip device behind the calls of mirage.h (api.c): each
 * implementation (mirage's own stack, net/; the host's sockets on unix)
 * gives a table of operations, and its handles begin with the device they
 * belong to, so that a call finds its implementation. The runtime runs
 * every tcpip device from mirage_wait through `step`. */
#ifndef MIRAGE_NET_TCPIP_H
#define MIRAGE_NET_TCPIP_H

#include <stdint.h>

#include "mirage_api.h"

struct tcpip_ops {
	mirage_result (*ipv4)(struct mirage_tcpip *s, uint32_t *addr, unsigned *prefix,
			      uint32_t *gateway);
	mirage_result (*listen)(struct mirage_tcpip *s, uint16_t port, struct mirage_tcp **out);
	mirage_result (*accept)(struct mirage_tcp *l, struct mirage_tcp **out);
	mirage_result (*connect)(struct mirage_tcpip *s, uint32_t addr, uint16_t port,
				 struct mirage_tcp **out);
	mirage_result (*read)(struct mirage_tcp *c, void *buf, size_t size, size_t *len);
	mirage_result (*write)(struct mirage_tcp *c, const void *buf, size_t len, size_t *written);
	mirage_result (*shutdown)(struct mirage_tcp *c);
	void (*close)(struct mirage_tcp *c);
	mirage_result (*peer)(struct mirage_tcp *c, uint32_t *addr, uint16_t *port);
	mirage_result (*udp_bind)(struct mirage_tcpip *s, uint16_t port, struct mirage_udp **out);
	mirage_result (*sendto)(struct mirage_udp *u, uint32_t addr, uint16_t port, const void *buf,
				size_t len);
	mirage_result (*recvfrom)(struct mirage_udp *u, void *buf, size_t size, size_t *len,
				  uint32_t *addr, uint16_t *port);
	void (*udp_close)(struct mirage_udp *u);
	/* Takes what came in and runs what is due; lowers *deadline to when it
	 * wants to run next. */
	void (*step)(struct mirage_tcpip *s, uint64_t *deadline);
};

struct mirage_tcpip {
	const struct tcpip_ops *ops;
	const char *name;
	uint64_t events; /* bumped whenever one of its handles may have become ready */
	struct mirage_tcpip *next_device;
};

/* Every TCP and UDP handle starts with its device. */
struct mirage_tcp {
	struct mirage_tcpip *stack;
};
struct mirage_udp {
	struct mirage_tcpip *stack;
};

/* Registers a device with the runtime (devices.c), which runs it from
 * mirage_wait; link is the network device it reads (NULL: none), whose
 * input no longer wakes mirage_wait by itself. */
void mirage_tcpip_register(struct mirage_tcpip *s, struct mirage_net *link);
/* The device's boot arguments --NAME-ipv4 and --NAME-gateway ("" when not
 * given) as numbers (0 when not given); a malformed one is reported on the
 * console and MIRAGE_INVALID. */
mirage_result mirage_tcpip_args(const char *name, const char *ipv4, const char *gateway,
				uint32_t *addr, unsigned *prefix, uint32_t *gateway_out);

#endif
