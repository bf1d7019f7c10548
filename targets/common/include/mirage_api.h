/*
 * mirage_api.h: the calls and types of the unikernel API (see mirage.h, which
 * user code includes; the runtime includes this one).
 *
 * A unikernel implements
 *
 *     int start(const struct mirage_devices *dev, const struct mirage_args *args);
 *
 * `dev` has one field per device of mirage.yaml (`dev->net0`), `args` one per
 * boot argument (`args->times`); both are generated into mirage_devices.h by
 * `mirage configure`. start's return value is the unikernel's exit status.
 *
 * The words MUST and MAY are used as in RFC 2119. Every handle given to a call
 * MUST be one of the `dev` fields of its type. Unless said otherwise, calls are
 * not reentrant: a unikernel has one thread of control.
 *
 * Besides this API, user code MAY use mirage's C library, the same on every
 * target (README: C library lists its headers and functions): stdout and
 * stderr are the console, a kv_ro device named D is the read-only directory
 * /D, and math.h is newlib's libm.
 */
#ifndef MIRAGE_API_H
#define MIRAGE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The result of every call that can fail. */
typedef enum {
	MIRAGE_OK = 0,	      /* done */
	MIRAGE_AGAIN = 1,     /* nothing to do now (no packet waiting): try later */
	MIRAGE_INVALID = 2,   /* the arguments break the call's contract */
	MIRAGE_EIO = 3,	      /* the device failed */
	MIRAGE_NOT_FOUND = 4, /* no such key, device or entry */
} mirage_result;

/* A short, constant description of r ("ok", "try again", ...). */
const char *mirage_strerror(mirage_result r);

struct mirage_console;
struct mirage_net;
struct mirage_block;
struct mirage_kv;
struct mirage_tcpip; /* dev->N for a device of type tcpip */
struct mirage_tcp;   /* a listener or a connection */
struct mirage_udp;   /* a bound UDP endpoint */

/* Exit statuses the runtime itself uses. start's own status is taken modulo
 * 256 on targets that report 8-bit statuses (unix). */
#define MIRAGE_EXIT_BAD_ARGUMENT 64  /* a boot argument is unknown, malformed or missing */
#define MIRAGE_EXIT_DEVICE	 69  /* a device failed to initialise before start */
#define MIRAGE_EXIT_ABORT	 134 /* mirage_abort(), abort() or a failed assert() */
#define MIRAGE_EXIT_CRASH	 139 /* a fault: a bad pointer, a stack overflow (reported) */

/* --- console ------------------------------------------------------------ */

/* Writes len bytes of buf to the console. All of it is written before the
 * call returns; the output is ordered with printf's. Returns MIRAGE_OK. */
mirage_result mirage_console_write(struct mirage_console *c, const void *buf, size_t len);

/* printf to the console, prefixed with the monotonic time in seconds and
 * followed by a newline: "[    0.001234] message". */
void mirage_log(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));

/* --- time ---------------------------------------------------------------- */

/* Nanoseconds since an arbitrary point before start; never goes back. */
uint64_t mirage_clock_monotonic(void);
/* Nanoseconds since 1970-01-01 00:00 UTC, as the host or hardware tells it;
 * MAY jump. */
uint64_t mirage_clock_wall(void);
/* Returns after at least ns nanoseconds. */
void mirage_sleep(uint64_t ns);
/* Blocks until a network device may have input, a tcp or udp handle may
 * have become ready, or the monotonic clock reaches deadline (nanoseconds,
 * as mirage_clock_monotonic). Runs every tcpip device meanwhile (see below).
 * Returns true when something may be ready (mirage_net_read, accept, read,
 * write and recvfrom then tell), false when the deadline passed. MAY return
 * early. mirage_sleep runs the tcpip devices too. */
bool mirage_wait(uint64_t deadline);

/* --- random -------------------------------------------------------------- */

/* Fills buf with len bytes from the platform's entropy source. */
mirage_result mirage_random(void *buf, size_t len);

/* --- network (type: network) ------------------------------------------- */

/* Reads one Ethernet frame without blocking. On MIRAGE_OK, *len is its size.
 * MIRAGE_AGAIN: no frame waiting. MIRAGE_INVALID: size is smaller than the
 * MTU plus the 14-byte Ethernet header. */
mirage_result mirage_net_read(struct mirage_net *n, void *buf, size_t size, size_t *len);
/* Sends one Ethernet frame of len bytes (at most MTU + 14). */
mirage_result mirage_net_write(struct mirage_net *n, const void *buf, size_t len);
/* The interface's MAC address. */
void mirage_net_mac(struct mirage_net *n, uint8_t mac[6]);
/* The largest payload of a frame, without the Ethernet header (1500). */
size_t mirage_net_mtu(struct mirage_net *n);

/* --- block (type: block) ------------------------------------------------- */

/* Reads len bytes at offset. Both MUST be whole multiples of the sector size
 * and the range MUST lie within the device; any number of sectors MAY be
 * read in one call. MIRAGE_INVALID otherwise, MIRAGE_EIO on device failure. */
mirage_result mirage_block_read(struct mirage_block *b, uint64_t offset, void *buf, size_t len);
/* Writes len bytes at offset; the same rules as mirage_block_read. */
mirage_result mirage_block_write(struct mirage_block *b, uint64_t offset, const void *buf,
				 size_t len);
/* Returns once every completed write is on stable storage. */
mirage_result mirage_block_flush(struct mirage_block *b);
/* The device's size in bytes (a whole number of sectors). */
uint64_t mirage_block_size(struct mirage_block *b);
/* The sector size in bytes (512). */
size_t mirage_block_sector_size(struct mirage_block *b);

/* --- read-only key-value store (type: kv_ro) ------------------------------ */

/* Keys are the paths of the files below the `source:` directory, with '/'
 * between components ("css/site.css"), sorted by byte value. */

/* Finds key: *data points at its contents (valid for the unikernel's whole
 * life) and *len is its size. MIRAGE_NOT_FOUND when there is no such key. */
mirage_result mirage_kv_get(struct mirage_kv *kv, const char *key, const void **data, size_t *len);
/* The size of key's value, or MIRAGE_NOT_FOUND. */
mirage_result mirage_kv_size(struct mirage_kv *kv, const char *key, size_t *size);
/* The index-th key in sorted order, or MIRAGE_NOT_FOUND past the last. */
mirage_result mirage_kv_list(struct mirage_kv *kv, size_t index, const char **key);
/* The number of keys. */
size_t mirage_kv_count(struct mirage_kv *kv);

/* --- TCP/IP (type: tcpip) ------------------------------------------------- */

/* A tcpip device is a TCP/IP stack: mirage's own over the network device
 * its `network:` names (which then belongs to it: do not read its frames),
 * or the host's sockets (unix). Its address comes from the boot arguments
 * --N-ipv4=ADDR/PREFIX and --N-gateway=ADDR, or else from DHCP. IPv4
 * addresses are uint32_t in host byte order: 10.0.0.2 is 0x0a000002. No
 * call blocks: mirage_wait runs every stack (input, timers, retransmissions,
 * DHCP) and returns true when a tcp or udp handle may have become ready
 * since it was last called: read, accept and recvfrom until MIRAGE_AGAIN
 * before waiting again. MIRAGE_INVALID: a NULL where an answer goes, a
 * port 0 where one is needed, a handle of the wrong kind. */

/* The stack's address, prefix length and gateway (0 when none);
 * MIRAGE_AGAIN while it has no address yet (DHCP not answered). With the
 * host's sockets (unix) it answers MIRAGE_OK with 0.0.0.0/0: every address. */
mirage_result mirage_tcpip_ipv4(struct mirage_tcpip *s, uint32_t *addr, unsigned *prefix,
				uint32_t *gateway);
/* Listens on port, every address of the stack. MIRAGE_INVALID when the port
 * is taken by another listener. */
mirage_result mirage_tcp_listen(struct mirage_tcpip *s, uint16_t port,
				struct mirage_tcp **listener);
/* MIRAGE_AGAIN when no connection is waiting. */
mirage_result mirage_tcp_accept(struct mirage_tcp *listener, struct mirage_tcp **conn);
/* Starts connecting and returns at once; until established, read and write
 * give MIRAGE_AGAIN; if it fails, MIRAGE_EIO. MIRAGE_AGAIN at once while the
 * stack has no address. */
mirage_result mirage_tcp_connect(struct mirage_tcpip *s, uint32_t addr, uint16_t port,
				 struct mirage_tcp **conn);
/* Never blocks. MIRAGE_OK with *len > 0: data; MIRAGE_OK with *len == 0: the
 * peer closed its side; MIRAGE_AGAIN: nothing yet; MIRAGE_EIO: reset/failed. */
mirage_result mirage_tcp_read(struct mirage_tcp *c, void *buf, size_t size, size_t *len);
/* Queues up to len bytes, *written says how many (MIRAGE_AGAIN with 0 when
 * the send buffer is full); MIRAGE_EIO when reset or closed. */
mirage_result mirage_tcp_write(struct mirage_tcp *c, const void *buf, size_t len, size_t *written);
/* No more writes: FIN once the queued data is sent; reading goes on. */
mirage_result mirage_tcp_shutdown(struct mirage_tcp *c);
/* Releases c: a listener stops (connections not yet accepted are reset); an
 * open connection is closed gracefully (queued data still sent; data
 * received and never read makes it a reset instead). c is invalid
 * afterwards. */
void mirage_tcp_close(struct mirage_tcp *c);
/* The remote address and port of a connection. */
mirage_result mirage_tcp_peer(struct mirage_tcp *c, uint32_t *addr, uint16_t *port);
/* port 0: an ephemeral port. MIRAGE_INVALID when the port is taken. */
mirage_result mirage_udp_bind(struct mirage_tcpip *s, uint16_t port, struct mirage_udp **u);
/* Sends one datagram (255.255.255.255 broadcasts). MIRAGE_INVALID when it
 * does not fit one packet (datagrams are not fragmented on the way out);
 * MIRAGE_AGAIN while the stack has no address. */
mirage_result mirage_udp_sendto(struct mirage_udp *u, uint32_t addr, uint16_t port, const void *buf,
				size_t len);
/* MIRAGE_AGAIN when none waiting; a longer datagram is truncated to size. */
mirage_result mirage_udp_recvfrom(struct mirage_udp *u, void *buf, size_t size, size_t *len,
				  uint32_t *addr, uint16_t *port);
void mirage_udp_close(struct mirage_udp *u);

/* --- exit ------------------------------------------------------------------ */

/* Ends the unikernel with status, as returning it from start does. */
_Noreturn void mirage_exit(int status);
/* Ends the unikernel with MIRAGE_EXIT_ABORT after printing msg (MAY be NULL). */
_Noreturn void mirage_abort(const char *msg);

#ifdef __cplusplus
}
#endif

#endif
