/* fuzz_stack: arbitrary frames and calls into a configured instance of
 * mirage's TCP/IP stack (10.0.0.2/24, a TCP listener on port 80, a UDP
 * endpoint on 53, a connection out to 10.0.0.1:8080), with a clock the
 * input moves. The input is a list of operations:
 *   0 LEN16 BYTES   a frame from the wire
 *   1 MS            time passes (then the timers run)
 *   2 N             accept, then read and write N bytes on every connection
 *   3 I             close connection I (shutdown when I is odd)
 *   4 PORT16        connect to 10.0.0.1:PORT
 *   5 N             receive datagrams, send one of N bytes back
 * Checksums are not checked in this build (FUZZING_BUILD_MODE_...), so that
 * frames reach the protocols; sequence numbers and ports are deterministic.
 * Every frame the stack sends is parsed back. The stack is freed at the
 * end: no leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t clock_ns;
static uint32_t rng;

static void link_send(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	struct eth_hdr e;
	if (eth_parse(frame, len, &e) != 0 || len > ETH_HLEN + STACK_MTU)
		__builtin_trap(); /* the stack sends only whole frames */
}

static int link_recv(void *ctx, void *buf, size_t size, size_t *len)
{
	(void)ctx, (void)buf, (void)size, (void)len;
	return 0;
}

static uint64_t link_now(void *ctx)
{
	(void)ctx;
	return clock_ns;
}

static void link_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		rng = rng * 1103515245u + 12345u;
		p[i] = (uint8_t)(rng >> 16);
	}
}

#define MAX_CONNS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	clock_ns = 1000000000ULL;
	rng = 1;
	struct link link = {
	    NULL, link_send, link_recv, link_now, link_random, {0x02, 0, 0, 0, 0, 2}, 1500};
	struct stack *s = stack_new(&link, "fuzz", 0x0a000002, 24, 0x0a000001);
	struct mirage_tcpip *api = stack_api(s);
	struct mirage_tcp *listener = NULL, *conns[MAX_CONNS];
	struct mirage_udp *udp = NULL;
	int nconns = 0;
	stack_tcp_listen(api, 80, &listener);
	stack_udp_bind(api, 53, &udp);
	if (stack_tcp_connect(api, 0x0a000001, 8080, &conns[0]) == MIRAGE_OK)
		nconns = 1;
	static uint8_t frame[4096], buf[70000];
	size_t i = 0;
	while (i < size) {
		uint8_t op = data[i++];
		switch (op % 6) {
		case 0: {
			if (i + 2 > size)
				break;
			size_t len = rd16(data + i) % sizeof(frame);
			i += 2;
			if (len > size - i)
				len = size - i;
			memcpy(frame, data + i, len); /* the stack may keep nothing of it */
			i += len;
			stack_input(s, frame, len);
			break;
		}
		case 1:
			if (i < size)
				clock_ns += (uint64_t)data[i++] * 10000000ULL;
			stack_timers(s);
			break;
		case 2: {
			size_t n = i < size ? (size_t)data[i++] * 257 : 0;
			struct mirage_tcp *c;
			while (nconns < MAX_CONNS && stack_tcp_accept(listener, &c) == MIRAGE_OK)
				conns[nconns++] = c;
			for (int k = 0; k < nconns; k++) {
				size_t got, wrote;
				stack_tcp_read(conns[k], buf, sizeof(buf), &got);
				stack_tcp_write(conns[k], buf, n, &wrote);
			}
			break;
		}
		case 3: {
			if (i >= size || !nconns)
				break;
			int k = data[i] / 2 % nconns;
			if (data[i++] & 1) {
				stack_tcp_shutdown(conns[k]);
			} else {
				stack_tcp_close(conns[k]);
				conns[k] = conns[--nconns];
			}
			break;
		}
		case 4:
			if (i + 2 <= size && nconns < MAX_CONNS) {
				uint16_t port = rd16(data + i);
				if (port && stack_tcp_connect(api, 0x0a000001, port,
							      &conns[nconns]) == MIRAGE_OK)
					nconns++;
			}
			i += 2;
			break;
		case 5: {
			size_t n = i < size ? data[i++] * 6u : 0, got;
			uint32_t from;
			uint16_t port;
			while (stack_udp_recvfrom(udp, buf, sizeof(buf), &got, &from, &port) ==
			       MIRAGE_OK)
				stack_udp_sendto(udp, from, port ? port : 1, buf, n);
			break;
		}
		}
	}
	for (int k = 0; k < nconns; k++)
		stack_tcp_close(conns[k]);
	stack_tcp_close(listener);
	stack_udp_close(udp);
	stack_free(s);
	return 0;
}
