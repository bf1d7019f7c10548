/* netsim.h: two of mirage's TCP/IP stacks (targets/common/net) on the host,
 * joined by a simulated wire that can lose, duplicate and reorder frames,
 * under a simulated clock: the protocols tested and fuzzed without a
 * network or real time. */
#ifndef MIRAGE_NETSIM_H
#define MIRAGE_NETSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"

#define SIM_QUEUE 4096

struct sim_frame {
	uint64_t at; /* when it arrives */
	size_t len;
	uint8_t data[1600];
};

struct sim_end {
	struct sim_frame *q[SIM_QUEUE]; /* frames on their way to this end */
	int n;
	struct stack *stack;
	struct sim_end *peer;
	unsigned long sent, delivered;
	/* what a test sees of the frames this end sends (NULL: nothing) */
	void (*tap)(const uint8_t *frame, size_t len);
};

struct sim {
	struct sim_end a, b;
	uint64_t now;
	uint64_t rng;
	int loss, dup, reorder; /* percent of frames, each way */
	uint64_t latency;	/* ns per hop */
	uint32_t fixed_random;	/* when not 0, every random number the stacks draw */
};

extern struct sim sim;

static inline uint64_t sim_rand(void)
{
	sim.rng ^= sim.rng << 13;
	sim.rng ^= sim.rng >> 7;
	sim.rng ^= sim.rng << 17;
	return sim.rng;
}

static inline void sim_deliver_to(struct sim_end *to, const void *frame, size_t len, uint64_t at)
{
	if (to->n == SIM_QUEUE || len > sizeof(to->q[0]->data))
		return;
	struct sim_frame *f = malloc(sizeof(*f));
	f->at = at;
	f->len = len;
	memcpy(f->data, frame, len);
	to->q[to->n++] = f;
}

static inline void sim_send(void *ctx, const void *frame, size_t len)
{
	struct sim_end *from = ctx, *to = from->peer;
	from->sent++;
	if (from->tap)
		from->tap(frame, len);
	if ((int)(sim_rand() % 100) < sim.loss)
		return;
	uint64_t at = sim.now + sim.latency;
	if ((int)(sim_rand() % 100) < sim.reorder)
		at += sim.latency * (1 + sim_rand() % 4);
	sim_deliver_to(to, frame, len, at);
	if ((int)(sim_rand() % 100) < sim.dup)
		sim_deliver_to(to, frame, len, at + sim.latency);
}

/* The earliest frame that has arrived, taken out. */
static inline int sim_recv(void *ctx, void *buf, size_t size, size_t *len)
{
	struct sim_end *e = ctx;
	int best = -1;
	for (int i = 0; i < e->n; i++)
		if (e->q[i]->at <= sim.now && (best < 0 || e->q[i]->at < e->q[best]->at))
			best = i;
	if (best < 0)
		return 0;
	struct sim_frame *f = e->q[best];
	memmove(e->q + best, e->q + best + 1, (size_t)(e->n - best - 1) * sizeof(e->q[0]));
	e->n--;
	size_t n = f->len < size ? f->len : size;
	memcpy(buf, f->data, n);
	*len = n;
	free(f);
	e->delivered++;
	return 1;
}

static inline uint64_t sim_now(void *ctx)
{
	(void)ctx;
	return sim.now;
}

static inline void sim_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = sim.fixed_random
					  ? (uint8_t)(sim.fixed_random >> (8 * (i % 4)))
					  : (uint8_t)sim_rand();
}

/* Two stacks, a at 10.0.0.1 and b at 10.0.0.2 (/24); ip 0 configures by
 * DHCP instead. */
static inline void sim_start(uint32_t ip_a, uint32_t ip_b)
{
	for (int i = 0; i < sim.a.n; i++)
		free(sim.a.q[i]);
	for (int i = 0; i < sim.b.n; i++)
		free(sim.b.q[i]);
	memset(&sim.a, 0, sizeof(sim.a));
	memset(&sim.b, 0, sizeof(sim.b));
	sim.a.peer = &sim.b;
	sim.b.peer = &sim.a;
	if (!sim.rng)
		sim.rng = 0x2545f4914f6cdd1dULL;
	if (!sim.latency)
		sim.latency = 100000; /* 0.1 ms */
	struct link la = {&sim.a,     sim_send,		  sim_recv, sim_now,
			  sim_random, {2, 0, 0, 0, 0, 1}, 1500};
	struct link lb = {&sim.b,     sim_send,		  sim_recv, sim_now,
			  sim_random, {2, 0, 0, 0, 0, 2}, 1500};
	sim.a.stack = stack_new(&la, "a", ip_a, 24, 0);
	sim.b.stack = stack_new(&lb, "b", ip_b, 24, 0);
}

static inline void sim_stop(void)
{
	stack_free(sim.a.stack);
	stack_free(sim.b.stack);
	sim.a.stack = sim.b.stack = NULL;
	for (int i = 0; i < sim.a.n; i++)
		free(sim.a.q[i]);
	for (int i = 0; i < sim.b.n; i++)
		free(sim.b.q[i]);
	sim.a.n = sim.b.n = 0;
}

/* Runs both stacks for ns of simulated time, or until done() says so. */
static inline void sim_run(uint64_t ns, bool (*done)(void))
{
	uint64_t end = sim.now + ns;
	while (sim.now < end) {
		struct stack *ss[2] = {sim.a.stack, sim.b.stack};
		for (int i = 0; i < 2; i++) {
			if (!ss[i])
				continue;
			stack_poll(ss[i]);
			stack_timers(ss[i]);
		}
		if (done && done())
			return;
		/* the next thing: a frame arriving, or a timer */
		uint64_t next = end;
		struct sim_end *es[2] = {&sim.a, &sim.b};
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < es[k]->n; i++)
				if (es[k]->q[i]->at < next)
					next = es[k]->q[i]->at;
		for (int i = 0; i < 2; i++)
			if (ss[i]) {
				uint64_t d = stack_timers(ss[i]);
				if (d < next)
					next = d;
			}
		sim.now = next > sim.now ? next : sim.now + 1;
	}
}

#endif
