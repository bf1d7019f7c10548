/* sockets.c: the tcpip device of the unix target over the host's sockets
 * (Linux's own stack), made with raw system calls like the rest of the
 * platform. Every socket is non-blocking. Readiness is edge-like, as with
 * mirage's own stack: a handle is watched for input once a call on it found
 * none (MIRAGE_AGAIN), and for output once a write found no room or while
 * it connects; plat_yield polls the watched sockets (unix_sockets_pollfds)
 * and the device's step counts those that became ready as events. */
#include <stdlib.h>
#include <string.h>

#include <asm/errno.h>
#include <asm/poll.h>
#include <asm/socket.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/time_types.h>

#include "../common/net/tcpip.h"
#include "mirage_rt.h"
#include "syscall.h"
#include "unix.h"

/* Linux's socket constants, the same on x86_64 and aarch64; the kernel's
 * uapi headers leave them to the C library. */
#define AF_INET_       2
#define SOCK_STREAM_   1
#define SOCK_DGRAM_    2
#define SOCK_NONBLOCK_ 04000
#define SOCK_CLOEXEC_  02000000
#define MSG_NOSIGNAL_  0x4000
#define SHUT_WR_       1
#define LISTEN_BACKLOG 128

enum kind { TCP_LISTENER, TCP_CONN, UDP_EP };

struct handle {
	union {
		struct mirage_tcp tcp; /* first: what the API sees */
		struct mirage_udp udp;
	} u;
	enum kind kind;
	int fd;
	bool watch_in, watch_out; /* what plat_yield waits for */
	bool connecting, failed, shut;
	struct handle *next;
};

struct sockets {
	struct mirage_tcpip api; /* first */
	uint32_t addr;		 /* what listeners and UDP bind to (0: every address) */
	unsigned prefix;
	struct handle *handles;
};

static struct sockets *devices_[8];
static size_t ndevices_;

static struct sockets *of(struct mirage_tcpip *s)
{
	return (struct sockets *)s;
}

static struct handle *tcp_handle(struct mirage_tcp *c)
{
	return (struct handle *)c;
}

static struct handle *udp_handle(struct mirage_udp *u)
{
	return (struct handle *)u;
}

static struct sockaddr_in sockaddr(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET_;
	sa.sin_port = __builtin_bswap16(port);
	sa.sin_addr.s_addr = __builtin_bswap32(addr);
	return sa;
}

static struct handle *add(struct sockets *s, enum kind kind, int fd)
{
	struct handle *h = calloc(1, sizeof(*h));
	if (!h) {
		sys1(__NR_close, fd);
		return NULL;
	}
	h->u.tcp.stack = &s->api;
	h->kind = kind;
	h->fd = fd;
	h->watch_in = true;
	h->next = s->handles;
	s->handles = h;
	return h;
}

static void drop(struct handle *h)
{
	struct sockets *s = of(h->u.tcp.stack);
	for (struct handle **p = &s->handles; *p; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	sys1(__NR_close, h->fd);
	free(h);
}

/* A result for a failed call: MIRAGE_AGAIN (watching for dir) on EAGAIN. */
static mirage_result failure(struct handle *h, long err, bool out)
{
	if (err == -EAGAIN || err == -EINTR) {
		if (out)
			h->watch_out = true;
		else
			h->watch_in = true;
		return MIRAGE_AGAIN;
	}
	h->failed = true;
	return MIRAGE_EIO;
}

static mirage_result sk_ipv4(struct mirage_tcpip *api, uint32_t *addr, unsigned *prefix,
			     uint32_t *gateway)
{
	if (addr)
		*addr = of(api)->addr;
	if (prefix)
		*prefix = of(api)->prefix;
	if (gateway)
		*gateway = 0;
	return MIRAGE_OK;
}

static int new_socket(int type)
{
	return (int)sys3(__NR_socket, AF_INET_, type | SOCK_NONBLOCK_ | SOCK_CLOEXEC_, 0);
}

static mirage_result sk_listen(struct mirage_tcpip *api, uint16_t port, struct mirage_tcp **out)
{
	int fd = new_socket(SOCK_STREAM_);
	if (fd < 0)
		return MIRAGE_EIO;
	int one = 1;
	sys5(__NR_setsockopt, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = sockaddr(of(api)->addr, port);
	long r = sys3(__NR_bind, fd, &sa, sizeof(sa));
	if (r == 0)
		r = sys2(__NR_listen, fd, LISTEN_BACKLOG);
	if (r < 0) {
		sys1(__NR_close, fd);
		return r == -EADDRINUSE ? MIRAGE_INVALID : MIRAGE_EIO;
	}
	struct handle *h = add(of(api), TCP_LISTENER, fd);
	if (!h)
		return MIRAGE_EIO;
	*out = &h->u.tcp;
	return MIRAGE_OK;
}

static void nodelay(int fd)
{
	/* writes go out at once, as with mirage's own stack */
	int one = 1;
	sys5(__NR_setsockopt, fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static mirage_result sk_accept(struct mirage_tcp *l, struct mirage_tcp **out)
{
	struct handle *h = tcp_handle(l);
	if (h->kind != TCP_LISTENER)
		return MIRAGE_INVALID;
	long fd = sys4(__NR_accept4, h->fd, NULL, NULL, SOCK_NONBLOCK_ | SOCK_CLOEXEC_);
	if (fd < 0)
		return fd == -EAGAIN || fd == -EINTR || fd == -ECONNABORTED
			   ? (h->watch_in = true, MIRAGE_AGAIN)
			   : MIRAGE_EIO;
	nodelay((int)fd);
	struct handle *c = add(of(l->stack), TCP_CONN, (int)fd);
	if (!c)
		return MIRAGE_EIO;
	*out = &c->u.tcp;
	return MIRAGE_OK;
}

static mirage_result sk_connect(struct mirage_tcpip *api, uint32_t addr, uint16_t port,
				struct mirage_tcp **out)
{
	int fd = new_socket(SOCK_STREAM_);
	if (fd < 0)
		return MIRAGE_EIO;
	nodelay(fd);
	struct sockaddr_in sa = sockaddr(addr, port);
	long r = sys3(__NR_connect, fd, &sa, sizeof(sa));
	struct handle *h = add(of(api), TCP_CONN, fd);
	if (!h)
		return MIRAGE_EIO;
	if (r == -EINPROGRESS) {
		h->connecting = true;
		h->watch_out = true;
	} else if (r < 0) {
		h->failed = true; /* read and write say so */
	}
	*out = &h->u.tcp;
	return MIRAGE_OK;
}

/* Whether a connection in progress is established: MIRAGE_OK, AGAIN, EIO. */
static mirage_result connected(struct handle *h)
{
	if (h->failed)
		return MIRAGE_EIO;
	if (!h->connecting)
		return MIRAGE_OK;
	int err = 0;
	int len = sizeof(err);
	struct pollfd p = {h->fd, POLLOUT, 0};
	struct __kernel_timespec zero = {0, 0};
	if (sys5(__NR_ppoll, &p, 1, &zero, NULL, 0) <= 0) {
		h->watch_out = true;
		return MIRAGE_AGAIN;
	}
	sys5(__NR_getsockopt, h->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	h->connecting = false;
	if (err) {
		h->failed = true;
		return MIRAGE_EIO;
	}
	return MIRAGE_OK;
}

static mirage_result sk_read(struct mirage_tcp *c, void *buf, size_t size, size_t *len)
{
	struct handle *h = tcp_handle(c);
	*len = 0;
	if (h->kind != TCP_CONN)
		return MIRAGE_INVALID;
	mirage_result r = connected(h);
	if (r != MIRAGE_OK)
		return r == MIRAGE_AGAIN ? (h->watch_in = true, r) : r;
	long n = sys6(__NR_recvfrom, h->fd, (long)buf, (long)size, 0, 0, 0);
	if (n < 0)
		return failure(h, n, false);
	*len = (size_t)n;
	return MIRAGE_OK;
}

static mirage_result sk_write(struct mirage_tcp *c, const void *buf, size_t len, size_t *written)
{
	struct handle *h = tcp_handle(c);
	*written = 0;
	if (h->kind != TCP_CONN)
		return MIRAGE_INVALID;
	if (h->shut)
		return MIRAGE_EIO;
	mirage_result r = connected(h);
	if (r != MIRAGE_OK)
		return r;
	if (!len)
		return MIRAGE_OK;
	long n = sys6(__NR_sendto, h->fd, (long)buf, (long)len, MSG_NOSIGNAL_, 0, 0);
	if (n < 0)
		return failure(h, n, true);
	*written = (size_t)n;
	return MIRAGE_OK;
}

static mirage_result sk_shutdown(struct mirage_tcp *c)
{
	struct handle *h = tcp_handle(c);
	if (h->kind != TCP_CONN)
		return MIRAGE_INVALID;
	if (h->failed)
		return MIRAGE_EIO;
	h->shut = true;
	long r = sys2(__NR_shutdown, h->fd, SHUT_WR_);
	return r < 0 && r != -ENOTCONN ? MIRAGE_EIO : MIRAGE_OK;
}

static void sk_close(struct mirage_tcp *c)
{
	drop(tcp_handle(c));
}

static mirage_result sk_peer(struct mirage_tcp *c, uint32_t *addr, uint16_t *port)
{
	struct handle *h = tcp_handle(c);
	if (h->kind != TCP_CONN)
		return MIRAGE_INVALID;
	struct sockaddr_in sa;
	int len = sizeof(sa);
	if (sys3(__NR_getpeername, h->fd, &sa, &len) < 0)
		return h->connecting ? MIRAGE_AGAIN : MIRAGE_EIO;
	if (addr)
		*addr = __builtin_bswap32(sa.sin_addr.s_addr);
	if (port)
		*port = __builtin_bswap16(sa.sin_port);
	return MIRAGE_OK;
}

static mirage_result sk_udp_bind(struct mirage_tcpip *api, uint16_t port, struct mirage_udp **out)
{
	int fd = new_socket(SOCK_DGRAM_);
	if (fd < 0)
		return MIRAGE_EIO;
	int one = 1;
	sys5(__NR_setsockopt, fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	struct sockaddr_in sa = sockaddr(of(api)->addr, port);
	long r = sys3(__NR_bind, fd, &sa, sizeof(sa));
	if (r < 0) {
		sys1(__NR_close, fd);
		return r == -EADDRINUSE ? MIRAGE_INVALID : MIRAGE_EIO;
	}
	struct handle *h = add(of(api), UDP_EP, fd);
	if (!h)
		return MIRAGE_EIO;
	*out = &h->u.udp;
	return MIRAGE_OK;
}

static mirage_result sk_sendto(struct mirage_udp *u, uint32_t addr, uint16_t port, const void *buf,
			       size_t len)
{
	struct handle *h = udp_handle(u);
	struct sockaddr_in sa = sockaddr(addr, port);
	long n =
	    sys6(__NR_sendto, h->fd, (long)buf, (long)len, MSG_NOSIGNAL_, (long)&sa, sizeof(sa));
	if (n == -EMSGSIZE)
		return MIRAGE_INVALID;
	/* a full socket buffer loses the datagram, as a full wire would */
	return n >= 0 || n == -EAGAIN ? MIRAGE_OK : MIRAGE_EIO;
}

static mirage_result sk_recvfrom(struct mirage_udp *u, void *buf, size_t size, size_t *len,
				 uint32_t *addr, uint16_t *port)
{
	struct handle *h = udp_handle(u);
	struct sockaddr_in sa;
	int salen = sizeof(sa);
	*len = 0;
	long n = sys6(__NR_recvfrom, h->fd, (long)buf, (long)size, 0, (long)&sa, (long)&salen);
	if (n < 0) {
		mirage_result r = failure(h, n, false);
		h->failed = false; /* a datagram socket goes on */
		return r == MIRAGE_AGAIN ? r : MIRAGE_EIO;
	}
	*len = (size_t)n < size ? (size_t)n : size;
	if (addr)
		*addr = __builtin_bswap32(sa.sin_addr.s_addr);
	if (port)
		*port = __builtin_bswap16(sa.sin_port);
	return MIRAGE_OK;
}

static void sk_udp_close(struct mirage_udp *u)
{
	drop(udp_handle(u));
}

size_t unix_sockets_pollfds(struct pollfd *fds, size_t max)
{
	size_t n = 0;
	for (size_t d = 0; d < ndevices_; d++)
		for (struct handle *h = devices_[d]->handles; h && n < max; h = h->next) {
			short ev =
			    (short)((h->watch_in ? POLLIN : 0) | (h->watch_out ? POLLOUT : 0));
			if (ev)
				fds[n++] = (struct pollfd){h->fd, ev, 0};
		}
	return n;
}

/* The watched handles that became ready count as events, and are no longer
 * watched until a call finds them empty or full again. */
static void sk_step(struct mirage_tcpip *api, uint64_t *deadline)
{
	(void)deadline;
	struct sockets *s = of(api);
	enum { BATCH = 256 };
	struct pollfd fds[BATCH];
	struct handle *hs[BATCH];
	for (struct handle *h = s->handles; h;) {
		size_t n = 0;
		for (; h && n < BATCH; h = h->next)
			if (h->watch_in || h->watch_out) {
				fds[n] = (struct pollfd){h->fd,
							 (short)((h->watch_in ? POLLIN : 0) |
								 (h->watch_out ? POLLOUT : 0)),
							 0};
				hs[n++] = h;
			}
		struct __kernel_timespec zero = {0, 0};
		if (!n || sys5(__NR_ppoll, fds, n, &zero, NULL, 0) <= 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
				hs[i]->watch_in = false;
			if (fds[i].revents & (POLLOUT | POLLERR | POLLHUP))
				hs[i]->watch_out = false;
			s->api.events++;
		}
	}
}

static const struct tcpip_ops ops = {
    .ipv4 = sk_ipv4,
    .listen = sk_listen,
    .accept = sk_accept,
    .connect = sk_connect,
    .read = sk_read,
    .write = sk_write,
    .shutdown = sk_shutdown,
    .close = sk_close,
    .peer = sk_peer,
    .udp_bind = sk_udp_bind,
    .sendto = sk_sendto,
    .recvfrom = sk_recvfrom,
    .udp_close = sk_udp_close,
    .step = sk_step,
};

mirage_result mirage_tcpip_sockets_init(const char *name, struct mirage_net *net, const char *ipv4,
					const char *gateway, struct mirage_tcpip **out)
{
	(void)net;
	uint32_t addr, gw;
	unsigned prefix;
	mirage_result r = mirage_tcpip_args(name, ipv4, gateway, &addr, &prefix, &gw);
	if (r != MIRAGE_OK)
		return r;
	if (ndevices_ == sizeof(devices_) / sizeof(devices_[0]))
		return MIRAGE_EIO;
	struct sockets *s = calloc(1, sizeof(*s));
	if (!s)
		return MIRAGE_EIO;
	s->api.ops = &ops;
	s->api.name = name;
	s->addr = addr; /* --NAME-ipv4: listen there only; the gateway is the host's */
	s->prefix = prefix;
	devices_[ndevices_++] = s;
	mirage_tcpip_register(&s->api, NULL);
	*out = &s->api;
	return MIRAGE_OK;
}
