/* tcp.c: TCP (RFC 9293): connections and listeners, the state machine,
 * sending and retransmitting from a send buffer, receiving into a receive
 * buffer (out-of-order data kept in place), the MSS and window scale
 * options, the RTO of RFC 6298 with exponential back-off, congestion
 * control with fast retransmit and recovery (RFC 5681, 6582), Limited
 * Transmit (RFC 3042), Early Retransmit (RFC 5827), a tail loss probe and
 * lost retransmissions found by counting duplicate ACKs (after RFC 8985), delayed
 * ACKs, the RST and SYN checks of RFC 5961, TIME-WAIT, and limits on
 * connections and on each listener's queue. Segments are parsed by wire.c;
 * nothing here reads a byte the parser did not check. */
#include <stdlib.h>
#include <string.h>

#include "stack.h"

#define MS		1000000ULL
#define SEC		1000000000ULL
#define RTO_INITIAL	(1 * SEC)
#define RTO_MIN		(200 * MS) /* Linux's; RFC 6298 suggests 1 s */
#define RTO_MAX		(60 * SEC)
#define DELACK		(40 * MS)
#define TIME_WAIT_NS	(60 * SEC) /* 2 MSL, MSL 30 s */
#define MAX_RETRIES	12	   /* retransmissions of data before giving up */
#define MAX_SYN_RETRIES 6
#define DEFAULT_MSS	536 /* when the peer gives none (RFC 9293 3.7.1) */

#define SEQ_LT(a, b)  ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

enum tcp_state {
	CLOSED,
	LISTEN,
	SYN_SENT,
	SYN_RCVD,
	ESTABLISHED,
	FIN_WAIT_1,
	FIN_WAIT_2,
	CLOSE_WAIT,
	CLOSING,
	LAST_ACK,
	TIME_WAIT
};

struct ooo {
	uint32_t start, end; /* sequence numbers held past rcv_nxt */
};

struct tcp_conn {
	struct mirage_tcp api; /* first: what the API sees */
	struct stack *s;
	enum tcp_state state;
	uint32_t rip;
	uint16_t lport, rport;
	/* a listener's queue: connections established, not yet accepted */
	struct tcp_conn *parent; /* the listener of a connection not yet accepted */
	struct tcp_conn *qhead, *qtail, *qnext;
	int pending; /* a listener's connections in SYN_RCVD or queued */
	/* sending */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd; /* bytes, scaled */
	uint8_t snd_shift, rcv_shift;
	uint16_t mss;
	uint8_t *sbuf;
	size_t shead, slen; /* sbuf[shead..] holds slen bytes from sequence sseq */
	uint32_t sseq;
	bool fin_wanted, fin_sent;
	uint32_t fin_seq;
	/* receiving */
	uint32_t irs, rcv_nxt;
	uint8_t *rbuf;
	size_t rhead, rlen; /* rlen bytes ready to read at rbuf[rhead..] */
	size_t rwnd_adv;    /* the window last advertised */
	struct ooo ooo[TCP_OOO_RANGES];
	int nooo;
	bool fin_rcvd;
	/* timers (0: off) */
	uint64_t rto_at, ack_at, tw_at, tlp_at;
	bool tlp_sent; /* the flight's one tail loss probe is out */
	uint64_t rto;
	int64_t srtt, rttvar; /* 0: no sample yet */
	int retries;
	bool rtt_on;
	uint32_t rtt_seq;
	uint64_t rtt_t;
	int ack_pending; /* in-order segments not yet acknowledged */
	/* congestion */
	uint32_t cwnd, ssthresh, recover;
	int dupacks;
	bool recovery;
	int rexmit_limit; /* in recovery: more duplicate ACKs than this, and the
			   * last retransmission was lost too */
	/* the handle */
	bool owned;  /* given to the user, who must close it */
	bool closed; /* the user closed it: freed when the protocol is done */
	bool reset;  /* reset or failed: reads and writes give MIRAGE_EIO */
	struct tcp_conn *next;
};

/* --- connections --- */

bool tcp_port_used(struct stack *s, uint16_t port)
{
	for (struct tcp_conn *c = s->conns; c; c = c->next)
		if (c->lport == port)
			return true;
	return false;
}

static void conn_free(struct tcp_conn *c)
{
	struct stack *s = c->s;
	for (struct tcp_conn **pp = &s->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			s->nconns--;
			break;
		}
	free(c->sbuf);
	free(c->rbuf);
	free(c);
}

/* Forgets a connection the user does not hold, or leaves it CLOSED for the
 * user to see. */
static void conn_done(struct tcp_conn *c)
{
	if (c->parent) { /* never accepted */
		struct tcp_conn *l = c->parent;
		l->pending--;
		for (struct tcp_conn **pp = &l->qhead; *pp; pp = &(*pp)->qnext)
			if (*pp == c) {
				*pp = c->qnext;
				if (l->qtail == c) {
					l->qtail = NULL;
					for (struct tcp_conn *q = l->qhead; q; q = q->qnext)
						l->qtail = q;
				}
				break;
			}
		conn_free(c);
		return;
	}
	c->state = CLOSED;
	c->rto_at = c->ack_at = c->tw_at = c->tlp_at = 0;
	if (!c->owned || c->closed)
		conn_free(c);
	else
		stack_event(c->s);
}

static struct tcp_conn *conn_new(struct stack *s)
{
	if (s->nconns >= TCP_MAX_CONNS) {
		/* a connection in TIME-WAIT gives way */
		struct tcp_conn *old = NULL;
		for (struct tcp_conn *c = s->conns; c; c = c->next)
			if (c->state == TIME_WAIT && (!old || c->tw_at < old->tw_at))
				old = c;
		if (!old)
			return NULL;
		conn_done(old);
	}
	struct tcp_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->api.stack = &s->api;
	c->s = s;
	c->rto = RTO_INITIAL;
	c->mss = DEFAULT_MSS;
	c->next = s->conns;
	s->conns = c;
	s->nconns++;
	return c;
}

/* The buffers of a connection that exchanges data. */
static int conn_buffers(struct tcp_conn *c)
{
	c->sbuf = malloc(TCP_SND_BUF);
	c->rbuf = malloc(TCP_RCV_BUF);
	return c->sbuf && c->rbuf ? 0 : -1;
}

static uint16_t our_mss(struct stack *s)
{
	return (uint16_t)(s->link.mtu - IP_HLEN - TCP_HLEN);
}

/* --- sending --- */

static size_t rcv_window(struct tcp_conn *c)
{
	return c->rbuf ? TCP_RCV_BUF - c->rlen : 0;
}

/* Copies len bytes of the send buffer from sequence seq into out. */
static void sbuf_copy(struct tcp_conn *c, uint32_t seq, uint8_t *out, size_t len)
{
	size_t off = (c->shead + (seq - c->sseq)) % TCP_SND_BUF;
	size_t first = TCP_SND_BUF - off < len ? TCP_SND_BUF - off : len;
	memcpy(out, c->sbuf + off, first);
	memcpy(out + first, c->sbuf, len - first);
}

/* Sends one segment: flags, len bytes of data from seq (from the send
 * buffer), with an ACK and the window when synchronised; SYNs carry the
 * MSS and window scale options. */
static void send_segment(struct tcp_conn *c, uint32_t seq, uint8_t flags, size_t len)
{
	struct stack *s = c->s;
	uint8_t *p = ipv4_payload(s);
	struct tcp_hdr h;
	memset(&h, 0, sizeof(h));
	h.sport = c->lport;
	h.dport = c->rport;
	h.seq = seq;
	h.flags = flags;
	h.wscale = -1;
	if (flags & TCP_SYN) {
		h.mss = our_mss(s);
		if (c->state == SYN_SENT || c->rcv_shift)
			h.wscale = TCP_RCV_WSCALE;
	}
	if (c->state != SYN_SENT || (flags & TCP_ACK)) {
		h.flags |= TCP_ACK;
		h.ack = c->rcv_nxt;
	}
	size_t wnd = rcv_window(c);
	if (flags & TCP_SYN)
		h.win = (uint16_t)(wnd > 65535 ? 65535 : wnd); /* never scaled in a SYN */
	else
		h.win = (uint16_t)((wnd >> c->rcv_shift) > 65535 ? 65535 : wnd >> c->rcv_shift);
	c->rwnd_adv = (size_t)h.win << ((flags & TCP_SYN) ? 0 : c->rcv_shift);
	size_t hlen = TCP_HLEN + (h.mss ? 4 : 0) + (h.wscale >= 0 ? 4 : 0);
	if (len)
		sbuf_copy(c, seq, p + hlen, len);
	tcp_build(p, &h, s->ip, c->rip, len);
	ipv4_output(s, c->rip, IP_PROTO_TCP, hlen + len);
	if (h.flags & TCP_ACK) {
		c->ack_pending = 0;
		c->ack_at = 0;
	}
}

static void send_ack(struct tcp_conn *c)
{
	send_segment(c, c->snd_nxt, TCP_ACK, 0);
}

/* A RST in answer to a segment no connection takes (RFC 9293 3.10.7.1). */
static void send_reset(struct stack *s, const struct ip_hdr *ip, const struct tcp_hdr *t,
		       size_t dlen)
{
	if (t->flags & TCP_RST)
		return;
	uint8_t *p = ipv4_payload(s);
	struct tcp_hdr h;
	memset(&h, 0, sizeof(h));
	h.sport = t->dport;
	h.dport = t->sport;
	h.wscale = -1;
	if (t->flags & TCP_ACK) {
		h.seq = t->ack;
		h.flags = TCP_RST;
	} else {
		h.ack = t->seq + (uint32_t)dlen + !!(t->flags & TCP_SYN) + !!(t->flags & TCP_FIN);
		h.flags = TCP_RST | TCP_ACK;
	}
	tcp_build(p, &h, ip->dst, ip->src, 0);
	ipv4_output(s, ip->src, IP_PROTO_TCP, TCP_HLEN);
}

static void arm_rto(struct tcp_conn *c)
{
	c->rto_at = stack_now(c->s) + c->rto;
}

/* The tail loss probe (RFC 8985 7): a flight that gets no ACK for two
 * round trips sends one segment (new data, else its last again), so that a
 * lost tail or lost ACKs cost a round trip, not an RTO. One per flight, or
 * in recovery one per ACK that moves, and then it is the first segment
 * missing that goes again (its retransmission may have been lost, with
 * nothing after it to say so). */
static void retransmit_hole(struct tcp_conn *c, int base);
static void fast_retransmit(struct tcp_conn *c);

static void arm_tlp(struct tcp_conn *c)
{
	c->tlp_at = 0;
	if (c->tlp_sent || !c->srtt || c->snd_una == c->snd_max)
		return;
	uint64_t pto = 2 * (uint64_t)c->srtt;
	if (c->snd_max - c->snd_una <= c->mss)
		pto += DELACK + 10 * MS; /* one segment: the peer may delay its ACK */
	if (pto < 10 * MS)
		pto = 10 * MS;
	uint64_t at = stack_now(c->s) + pto;
	if (!c->rto_at || at < c->rto_at)
		c->tlp_at = at;
}

static void tail_probe(struct tcp_conn *c)
{
	c->tlp_at = 0;
	c->tlp_sent = true;
	if (c->recovery) {
		retransmit_hole(c, c->dupacks);
		return;
	}
	if (c->dupacks > 0) {
		/* something past the first segment missing arrived, and no more
		 * duplicates came: it was lost (RACK's inference, RFC 8985) */
		fast_retransmit(c);
		return;
	}
	uint32_t end = c->sseq + (uint32_t)c->slen, inflight = c->snd_nxt - c->snd_una;
	if (c->snd_nxt == c->snd_max && SEQ_LT(c->snd_nxt, end) && inflight < c->snd_wnd) {
		uint32_t n = end - c->snd_nxt;
		n = n < c->mss ? n : c->mss;
		n = n < c->snd_wnd - inflight ? n : c->snd_wnd - inflight;
		send_segment(c, c->snd_nxt, TCP_ACK | TCP_PSH, n);
		c->snd_nxt += n;
		c->snd_max = c->snd_nxt;
	} else if (c->fin_sent && SEQ_GT(c->snd_max, c->fin_seq)) {
		send_segment(c, c->fin_seq, TCP_FIN | TCP_ACK, 0);
	} else if (SEQ_GT(end, c->snd_una)) {
		uint32_t n = end - c->snd_una < c->mss ? end - c->snd_una : c->mss;
		send_segment(c, end - n, TCP_ACK | TCP_PSH, n);
	}
}

/* Sends what the windows allow: new data, then the FIN once all is sent;
 * else an ACK when one is due (force). */
static void output(struct tcp_conn *c, bool force_ack)
{
	bool sent = false;
	if (c->state == ESTABLISHED || c->state == CLOSE_WAIT || c->state == FIN_WAIT_1 ||
	    c->state == CLOSING || c->state == LAST_ACK) {
		/* Limited Transmit (RFC 3042): the first two duplicate ACKs
		 * each let one new segment out, so that a loss in a small
		 * window still brings the three that start a fast retransmit */
		uint32_t cwnd = c->cwnd;
		if (!c->recovery && c->dupacks > 0 && c->dupacks < 3)
			cwnd += (uint32_t)c->dupacks * c->mss;
		uint32_t wnd = c->snd_wnd < cwnd ? c->snd_wnd : cwnd;
		uint32_t end = c->sseq + (uint32_t)c->slen; /* the data's end */
		for (;;) {
			uint32_t inflight = c->snd_nxt - c->snd_una;
			if (SEQ_GEQ(c->snd_nxt, end) || inflight >= wnd)
				break;
			uint32_t n = end - c->snd_nxt;
			if (n > wnd - inflight)
				n = wnd - inflight;
			if (n > c->mss)
				n = c->mss;
			/* no small segment while more is in flight (Nagle's rule, but
			 * for the last piece of a write) */
			send_segment(c, c->snd_nxt, TCP_ACK | (c->snd_nxt + n == end ? TCP_PSH : 0),
				     n);
			if (!c->rtt_on && !SEQ_LT(c->snd_nxt, c->snd_max)) {
				c->rtt_on = true;
				c->rtt_seq = c->snd_nxt;
				c->rtt_t = stack_now(c->s);
			}
			c->snd_nxt += n;
			if (SEQ_GT(c->snd_nxt, c->snd_max))
				c->snd_max = c->snd_nxt;
			sent = true;
		}
		if (c->fin_wanted && c->snd_nxt == end &&
		    (!c->fin_sent || c->snd_nxt == c->fin_seq)) {
			c->fin_seq = end;
			c->fin_sent = true;
			send_segment(c, c->snd_nxt, TCP_FIN | TCP_ACK, 0);
			c->snd_nxt++;
			if (SEQ_GT(c->snd_nxt, c->snd_max))
				c->snd_max = c->snd_nxt;
			if (c->state == ESTABLISHED)
				c->state = FIN_WAIT_1;
			else if (c->state == CLOSE_WAIT)
				c->state = LAST_ACK;
			sent = true;
		}
		if (c->snd_nxt != c->snd_una && !c->rto_at)
			arm_rto(c);
		if (sent)
			arm_tlp(c);
		/* a zero window with data waiting: probe it when the timer fires */
		if (c->snd_wnd == 0 && c->slen && !c->rto_at)
			arm_rto(c);
	}
	if (!sent && force_ack)
		send_ack(c);
}

/* --- timers --- */

static void rtt_sample(struct tcp_conn *c, uint64_t r)
{
	/* RFC 6298 2.2 and 2.3, in nanoseconds */
	int64_t rr = (int64_t)r;
	if (!c->srtt) {
		c->srtt = rr;
		c->rttvar = rr / 2;
	} else {
		int64_t d = c->srtt - rr;
		c->rttvar = (3 * c->rttvar + (d < 0 ? -d : d)) / 4;
		c->srtt = (7 * c->srtt + rr) / 8;
	}
	int64_t var = 4 * c->rttvar;
	uint64_t rto = (uint64_t)(c->srtt + (var > (int64_t)MS ? var : (int64_t)MS));
	c->rto = rto < RTO_MIN ? RTO_MIN : rto > RTO_MAX ? RTO_MAX : rto;
}

static void retransmit_timeout(struct tcp_conn *c, uint64_t now)
{
	c->rto_at = c->tlp_at = 0;
	bool syn = c->state == SYN_SENT || c->state == SYN_RCVD;
	if (++c->retries > (syn ? MAX_SYN_RETRIES : MAX_RETRIES)) {
		c->reset = true;
		conn_done(c);
		return;
	}
	/* back off (RFC 6298 5.5), and measure no retransmitted segment */
	c->rto = c->rto * 2 > RTO_MAX ? RTO_MAX : c->rto * 2;
	c->rtt_on = false;
	if (syn) {
		send_segment(c, c->iss, TCP_SYN | (c->state == SYN_RCVD ? TCP_ACK : 0), 0);
		c->rto_at = now + c->rto;
		return;
	}
	uint32_t inflight = c->snd_max - c->snd_una;
	if (c->snd_wnd == 0 && c->slen && inflight <= 1) {
		/* the peer's window is shut: a probe of one byte, as long as it
		 * takes (a probe is not a failure) */
		send_segment(c, c->snd_una, TCP_ACK, 1);
		if (SEQ_LT(c->snd_nxt, c->snd_una + 1))
			c->snd_nxt = c->snd_una + 1;
		if (SEQ_LT(c->snd_max, c->snd_nxt))
			c->snd_max = c->snd_nxt;
		c->retries = 0;
		c->rto_at = now + c->rto;
		return;
	}
	/* the loss window (RFC 5681 3.1), then go back to the first byte unacked */
	uint32_t half = inflight / 2, two = 2u * c->mss;
	c->ssthresh = half > two ? half : two;
	c->cwnd = c->mss;
	c->recovery = false;
	c->dupacks = 0;
	c->snd_nxt = c->snd_una;
	output(c, false);
	if (!c->rto_at)
		c->rto_at = now + c->rto;
}

void tcp_timers(struct stack *s, uint64_t now, uint64_t *next)
{
	for (struct tcp_conn *c = s->conns, *nx; c; c = nx) {
		nx = c->next;
		if (c->tw_at && now >= c->tw_at) {
			conn_done(c);
			continue;
		}
		if (c->ack_at && now >= c->ack_at && c->state != CLOSED)
			send_ack(c);
		if (c->tlp_at && now >= c->tlp_at)
			tail_probe(c);
		if (c->rto_at && now >= c->rto_at) {
			retransmit_timeout(c, now);
			/* it may be gone */
			bool alive = false;
			for (struct tcp_conn *x = s->conns; x && !alive; x = x->next)
				alive = x == c;
			if (!alive)
				continue;
		}
		uint64_t t[] = {c->tw_at, c->ack_at, c->rto_at, c->tlp_at};
		for (size_t i = 0; i < 4; i++)
			if (t[i] && t[i] < *next)
				*next = t[i];
	}
}

/* --- receiving --- */

/* Writes len bytes at sequence seq (within the window) into the receive
 * buffer. */
static void rbuf_put(struct tcp_conn *c, uint32_t seq, const uint8_t *data, size_t len)
{
	size_t off = (c->rhead + c->rlen + (seq - c->rcv_nxt)) % TCP_RCV_BUF;
	size_t first = TCP_RCV_BUF - off < len ? TCP_RCV_BUF - off : len;
	memcpy(c->rbuf + off, data, first);
	memcpy(c->rbuf, data + first, len - first);
}

/* Keeps [seq, seq + len) as received out of order; false when it cannot. */
static bool ooo_add(struct tcp_conn *c, uint32_t seq, uint32_t len)
{
	uint32_t start = seq, end = seq + len;
	/* merge with every range it touches */
	for (int i = 0; i < c->nooo;) {
		struct ooo *o = &c->ooo[i];
		if (SEQ_LEQ(o->start, end) && SEQ_GEQ(o->end, start)) {
			if (SEQ_LT(o->start, start))
				start = o->start;
			if (SEQ_GT(o->end, end))
				end = o->end;
			c->ooo[i] = c->ooo[--c->nooo];
		} else {
			i++;
		}
	}
	if (c->nooo == TCP_OOO_RANGES)
		return false;
	c->ooo[c->nooo++] = (struct ooo){start, end};
	return true;
}

/* After rcv_nxt moved: ranges it reached become readable. */
static void ooo_advance(struct tcp_conn *c)
{
	bool moved = true;
	while (moved) {
		moved = false;
		for (int i = 0; i < c->nooo; i++) {
			struct ooo *o = &c->ooo[i];
			if (SEQ_LEQ(o->start, c->rcv_nxt)) {
				if (SEQ_GT(o->end, c->rcv_nxt)) {
					c->rlen += o->end - c->rcv_nxt;
					c->rcv_nxt = o->end;
				}
				c->ooo[i] = c->ooo[--c->nooo];
				moved = true;
				break;
			}
		}
	}
}

/* The data and FIN of an acceptable segment (trimmed to the window). */
static void take_data(struct tcp_conn *c, uint32_t seq, const uint8_t *data, size_t len, bool fin)
{
	if (!c->rbuf)
		return;
	if (SEQ_LT(seq, c->rcv_nxt)) { /* already had the start */
		uint32_t skip = c->rcv_nxt - seq;
		if (skip >= len) {
			if (skip > len) /* entirely old: the FIN too */
				fin = false;
			skip = (uint32_t)len;
		}
		data += skip;
		len -= skip;
		seq += skip;
	}
	size_t wnd = rcv_window(c), off = seq - c->rcv_nxt;
	if (off >= wnd) {
		len = 0;
		fin = false;
	} else if (off + len > wnd) {
		len = wnd - off;
		fin = false;
	}
	bool immediate = false;
	if (len) {
		if (off == 0) {
			rbuf_put(c, seq, data, len);
			c->rlen += len;
			c->rcv_nxt += (uint32_t)len;
			immediate = c->nooo > 0; /* a gap filled: say so at once */
			ooo_advance(c);
			stack_event(c->s);
		} else {
			rbuf_put(c, seq, data, len);
			ooo_add(c, seq, (uint32_t)len);
			immediate = true; /* a duplicate ACK tells the sender what is missing */
		}
	}
	if (fin && seq + len == c->rcv_nxt && !c->fin_rcvd) {
		c->rcv_nxt++;
		c->fin_rcvd = true;
		immediate = true;
		stack_event(c->s);
		switch (c->state) {
		case ESTABLISHED:
			c->state = CLOSE_WAIT;
			break;
		case FIN_WAIT_1:
			c->state = CLOSING;
			break;
		case FIN_WAIT_2:
			c->state = TIME_WAIT;
			c->rto_at = 0;
			c->tw_at = stack_now(c->s) + TIME_WAIT_NS;
			break;
		default:
			break;
		}
	}
	if (immediate) {
		send_ack(c);
	} else if (len) {
		/* every second full segment at once, else within 40 ms */
		if (++c->ack_pending >= 2)
			send_ack(c);
		else if (!c->ack_at)
			c->ack_at = stack_now(c->s) + DELACK;
	}
}

/* The options of a SYN, for the connection. */
static void take_syn_options(struct tcp_conn *c, const struct tcp_hdr *t)
{
	uint16_t peer = t->mss ? t->mss : DEFAULT_MSS;
	uint16_t ours = our_mss(c->s);
	c->mss = peer < ours ? peer : ours;
	if (c->mss < 64)
		c->mss = 64;
	if (t->wscale >= 0) {
		c->snd_shift = (uint8_t)t->wscale;
		c->rcv_shift = TCP_RCV_WSCALE;
	} else {
		c->snd_shift = c->rcv_shift = 0;
	}
	c->cwnd = 10u * c->mss; /* RFC 6928's initial window */
	c->ssthresh = 0xffffffffu;
}

/* In recovery, sends the first segment missing again. Each segment in
 * flight past it may still bring one duplicate ACK (counted from `base`
 * on); more than that, on a wire that keeps order, says this retransmission
 * was lost as well: it goes again without waiting for the RTO (as RACK
 * would find, RFC 8985). */
static void retransmit_hole(struct tcp_conn *c, int base)
{
	uint32_t n = c->sseq + (uint32_t)c->slen - c->snd_una;
	if (n > c->mss)
		n = c->mss;
	if (n)
		send_segment(c, c->snd_una, TCP_ACK, n);
	c->rtt_on = false;
	c->rexmit_limit = base + (int)((c->snd_max - c->snd_una + c->mss - 1) / c->mss);
}

/* Enters fast recovery (RFC 5681 3.2, RFC 6582): half the flight is the
 * new threshold, the first segment missing goes again. */
static void fast_retransmit(struct tcp_conn *c)
{
	uint32_t inflight = c->snd_max - c->snd_una, two = 2u * c->mss;
	c->ssthresh = inflight / 2 > two ? inflight / 2 : two;
	c->recover = c->snd_max;
	c->recovery = true;
	retransmit_hole(c, 0);
	c->cwnd = c->ssthresh + 3u * c->mss;
	c->tlp_sent = false;
	arm_tlp(c);
}

/* The ACK field of a synchronised connection (RFC 9293 3.10.7.4, fifth). */
static bool take_ack(struct tcp_conn *c, const struct tcp_hdr *t, size_t dlen)
{
	if (SEQ_GT(t->ack, c->snd_max)) { /* acknowledges what was never sent */
		send_ack(c);
		return false;
	}
	uint32_t old_wnd = c->snd_wnd;
	if (SEQ_LT(c->snd_wl1, t->seq) || (c->snd_wl1 == t->seq && SEQ_LEQ(c->snd_wl2, t->ack))) {
		c->snd_wnd = (uint32_t)t->win << c->snd_shift;
		c->snd_wl1 = t->seq;
		c->snd_wl2 = t->ack;
	}
	if (SEQ_GT(t->ack, c->snd_una)) {
		uint32_t acked = t->ack - c->snd_una;
		/* the data acknowledged leaves the buffer; the FIN counts one */
		uint32_t data = acked;
		if (c->fin_sent && SEQ_GT(t->ack, c->fin_seq))
			data--;
		if (data > c->slen)
			data = (uint32_t)c->slen;
		c->shead = (c->shead + data) % TCP_SND_BUF;
		c->slen -= data;
		c->sseq += data;
		c->snd_una = t->ack;
		if (SEQ_LT(c->snd_nxt, c->snd_una))
			c->snd_nxt = c->snd_una;
		if (c->rtt_on && SEQ_GT(t->ack, c->rtt_seq)) {
			c->rtt_on = false;
			rtt_sample(c, stack_now(c->s) - c->rtt_t);
		}
		c->retries = 0;
		/* congestion: recovery ends, or slow start, or avoidance */
		if (c->recovery) {
			if (SEQ_GEQ(t->ack, c->recover)) {
				c->recovery = false;
				c->cwnd = c->ssthresh;
			} else { /* a partial ACK: the next hole goes at once (RFC 6582) */
				c->dupacks = 0;
				retransmit_hole(c, 0);
				c->cwnd = c->cwnd > acked ? c->cwnd - acked + c->mss : c->mss;
			}
		} else if (c->cwnd < c->ssthresh) {
			c->cwnd += acked < c->mss ? acked : c->mss;
		} else {
			c->cwnd += (uint32_t)((uint64_t)c->mss * c->mss / c->cwnd) + 1;
		}
		c->dupacks = 0;
		c->rto_at = c->snd_una == c->snd_max ? 0 : stack_now(c->s) + c->rto;
		c->tlp_sent = false;
		arm_tlp(c);
		if (data)
			stack_event(c->s); /* room to write */
	} else if (t->ack == c->snd_una && dlen == 0 && !(t->flags & (TCP_SYN | TCP_FIN)) &&
		   c->snd_wnd == old_wnd && c->snd_max != c->snd_una) {
		/* a duplicate ACK: the third sends the first byte missing; with
		 * fewer than four segments out and nothing new to send, one
		 * fewer than those out does (Early Retransmit, RFC 5827) */
		uint32_t out = c->snd_max - c->snd_una;
		int thresh = 3;
		if (out < 4u * c->mss && SEQ_GEQ(c->snd_max, c->sseq + (uint32_t)c->slen)) {
			int segs = (int)((out + c->mss - 1) / c->mss);
			thresh = segs - 1 < 1 ? 1 : segs - 1 < 3 ? segs - 1 : 3;
		}
		if (++c->dupacks == thresh && !c->recovery) {
			fast_retransmit(c);
		} else if (c->recovery && c->dupacks > thresh) {
			c->cwnd += c->mss;
			if (c->dupacks > c->rexmit_limit)
				retransmit_hole(c, c->dupacks);
		} else if (!c->recovery) {
			/* fewer than the threshold so far: if no more come, the
			 * probe timer retransmits (tail_probe) */
			c->tlp_sent = false;
			arm_tlp(c);
		}
	}
	return true;
}

/* Whether a segment falls in the receive window (RFC 9293 3.10.7.4). */
static bool acceptable(struct tcp_conn *c, uint32_t seq, size_t len)
{
	size_t wnd = rcv_window(c);
	if (len == 0)
		return wnd == 0
			   ? seq == c->rcv_nxt
			   : SEQ_GEQ(seq, c->rcv_nxt) && SEQ_LT(seq, c->rcv_nxt + (uint32_t)wnd);
	if (wnd == 0)
		return false;
	uint32_t end = seq + (uint32_t)len - 1, right = c->rcv_nxt + (uint32_t)wnd;
	return (SEQ_GEQ(seq, c->rcv_nxt) && SEQ_LT(seq, right)) ||
	       (SEQ_GEQ(end, c->rcv_nxt) && SEQ_LT(end, right));
}

/* A segment for a listener: a SYN makes a connection in SYN-RCVD. */
static void listen_input(struct stack *s, struct tcp_conn *l, const struct ip_hdr *ip,
			 const struct tcp_hdr *t, size_t dlen)
{
	if (t->flags & TCP_RST)
		return;
	if (t->flags & TCP_ACK) {
		send_reset(s, ip, t, dlen);
		return;
	}
	if (!(t->flags & TCP_SYN) || l->pending >= TCP_BACKLOG)
		return; /* a full queue drops the SYN: the peer tries again */
	struct tcp_conn *c = conn_new(s);
	if (!c)
		return;
	if (conn_buffers(c) < 0) {
		conn_free(c);
		return;
	}
	c->parent = l;
	l->pending++;
	c->state = SYN_RCVD;
	c->rip = ip->src;
	c->rport = t->sport;
	c->lport = l->lport;
	c->irs = t->seq;
	c->rcv_nxt = t->seq + 1;
	take_syn_options(c, t);
	c->snd_wnd = t->win; /* a SYN's window is not scaled */
	c->snd_wl1 = t->seq;
	c->iss = stack_random(s);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->sseq = c->iss + 1;
	send_segment(c, c->iss, TCP_SYN | TCP_ACK, 0);
	arm_rto(c);
}

/* A segment for a connection in SYN-SENT (RFC 9293 3.10.7.3). */
static void syn_sent_input(struct tcp_conn *c, const struct ip_hdr *ip, const struct tcp_hdr *t,
			   size_t dlen)
{
	bool ack_ok = false;
	if (t->flags & TCP_ACK) {
		if (SEQ_LEQ(t->ack, c->iss) || SEQ_GT(t->ack, c->snd_max)) {
			send_reset(c->s, ip, t, dlen);
			return;
		}
		ack_ok = true;
	}
	if (t->flags & TCP_RST) {
		if (ack_ok) { /* refused */
			c->reset = true;
			conn_done(c);
		}
		return;
	}
	if (!(t->flags & TCP_SYN))
		return;
	c->irs = t->seq;
	c->rcv_nxt = t->seq + 1;
	take_syn_options(c, t);
	c->snd_wl1 = t->seq;
	c->snd_wl2 = t->ack;
	if (ack_ok) {
		c->snd_una = t->ack;
		c->snd_wnd = t->win; /* a SYN's window is never scaled */
		c->state = ESTABLISHED;
		c->rto_at = 0;
		c->retries = 0;
		send_ack(c);
		stack_event(c->s);
	} else { /* both opened at once */
		c->snd_wnd = t->win;
		c->state = SYN_RCVD;
		send_segment(c, c->iss, TCP_SYN | TCP_ACK, 0);
		arm_rto(c);
	}
}

static struct tcp_conn *find(struct stack *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
	struct tcp_conn *listener = NULL;
	for (struct tcp_conn *c = s->conns; c; c = c->next) {
		if (c->lport != lport)
			continue;
		if (c->state == LISTEN)
			listener = c;
		else if (c->state != CLOSED && c->rip == rip && c->rport == rport)
			return c;
	}
	return listener;
}

void tcp_input(struct stack *s, const struct ip_hdr *ip, const uint8_t *p, size_t len)
{
	struct tcp_hdr t;
	if (!s->configured || ip->dst != s->ip || tcp_parse(p, len, ip->src, ip->dst, &t) < 0)
		return;
	const uint8_t *data = p + t.hlen;
	size_t dlen = len - t.hlen;
	struct tcp_conn *c = find(s, ip->src, t.sport, t.dport);
	/* a new SYN to a connection in TIME-WAIT starts afresh (RFC 6191) */
	if (c && c->state == TIME_WAIT && (t.flags & TCP_SYN) && !(t.flags & TCP_ACK) &&
	    SEQ_GT(t.seq, c->rcv_nxt)) {
		conn_done(c);
		c = find(s, ip->src, t.sport, t.dport);
	}
	if (!c) {
		send_reset(s, ip, &t, dlen);
		return;
	}
	if (c->state == LISTEN) {
		listen_input(s, c, ip, &t, dlen);
		return;
	}
	if (c->state == SYN_SENT) {
		syn_sent_input(c, ip, &t, dlen);
		return;
	}
	/* synchronised states: the sequence number first */
	size_t seglen = dlen + !!(t.flags & TCP_SYN) + !!(t.flags & TCP_FIN);
	if (!acceptable(c, t.seq, seglen)) {
		if (!(t.flags & TCP_RST))
			send_ack(c);
		return;
	}
	if (t.flags & TCP_RST) {
		/* only at the exact next sequence number; within the window a
		 * challenge ACK (RFC 5961 3.2) */
		if (t.seq != c->rcv_nxt) {
			send_ack(c);
			return;
		}
		if (c->state == SYN_RCVD && c->parent) {
			conn_done(c);
			return;
		}
		c->reset = true;
		conn_done(c);
		return;
	}
	if (t.flags & TCP_SYN) {
		/* a SYN in a synchronised state: a challenge ACK (RFC 5961 4.2) */
		if (c->state != SYN_RCVD || t.seq != c->irs)
			send_ack(c);
		return;
	}
	if (!(t.flags & TCP_ACK))
		return;
	if (c->state == SYN_RCVD) {
		if (SEQ_LEQ(t.ack, c->snd_una) || SEQ_GT(t.ack, c->snd_max)) {
			send_reset(s, ip, &t, dlen);
			return;
		}
		c->state = ESTABLISHED;
		c->snd_una = t.ack;
		c->snd_wnd = (uint32_t)t.win << c->snd_shift;
		c->snd_wl1 = t.seq;
		c->snd_wl2 = t.ack;
		c->rto_at = 0;
		c->retries = 0;
		if (c->parent) { /* ready to be accepted */
			struct tcp_conn *l = c->parent;
			if (l->qtail)
				l->qtail->qnext = c;
			else
				l->qhead = c;
			l->qtail = c;
			stack_event(s);
		} else {
			stack_event(s);
		}
	}
	if (!take_ack(c, &t, dlen))
		return;
	/* our FIN acknowledged */
	bool fin_acked = c->fin_sent && SEQ_GT(c->snd_una, c->fin_seq);
	switch (c->state) {
	case FIN_WAIT_1:
		if (fin_acked)
			c->state = FIN_WAIT_2;
		break;
	case CLOSING:
		if (fin_acked) {
			c->state = TIME_WAIT;
			c->rto_at = 0;
			c->tw_at = stack_now(s) + TIME_WAIT_NS;
		}
		break;
	case LAST_ACK:
		if (fin_acked) {
			conn_done(c);
			return;
		}
		break;
	case TIME_WAIT:
		/* a FIN again: acknowledge it, and wait the whole time again */
		if (t.flags & TCP_FIN) {
			send_ack(c);
			c->tw_at = stack_now(s) + TIME_WAIT_NS;
		}
		return;
	default:
		break;
	}
	if (c->state == ESTABLISHED || c->state == FIN_WAIT_1 || c->state == FIN_WAIT_2)
		take_data(c, t.seq, data, dlen, (t.flags & TCP_FIN) != 0);
	else if ((t.flags & TCP_FIN) && !c->fin_rcvd)
		send_ack(c);
	output(c, false);
}

/* --- the API --- */

static struct tcp_conn *conn_of(struct mirage_tcp *api)
{
	return (struct tcp_conn *)api;
}

mirage_result stack_tcp_listen(struct mirage_tcpip *api, uint16_t port, struct mirage_tcp **out)
{
	struct stack *s = (struct stack *)api;
	if (!out || !port)
		return MIRAGE_INVALID;
	for (struct tcp_conn *c = s->conns; c; c = c->next)
		if (c->state == LISTEN && c->lport == port)
			return MIRAGE_INVALID; /* one listener per port */
	struct tcp_conn *l = conn_new(s);
	if (!l)
		return MIRAGE_EIO;
	l->state = LISTEN;
	l->lport = port;
	l->owned = true;
	*out = &l->api;
	return MIRAGE_OK;
}

mirage_result stack_tcp_accept(struct mirage_tcp *api, struct mirage_tcp **out)
{
	struct tcp_conn *l = conn_of(api);
	if (!out || l->state != LISTEN)
		return MIRAGE_INVALID;
	struct tcp_conn *c = l->qhead;
	if (!c)
		return MIRAGE_AGAIN;
	l->qhead = c->qnext;
	if (!l->qhead)
		l->qtail = NULL;
	l->pending--;
	c->qnext = NULL;
	c->parent = NULL;
	c->owned = true;
	*out = &c->api;
	return MIRAGE_OK;
}

mirage_result stack_tcp_connect(struct mirage_tcpip *api, uint32_t addr, uint16_t port,
				struct mirage_tcp **out)
{
	struct stack *s = (struct stack *)api;
	if (!out || !port || !addr || addr == 0xffffffffu)
		return MIRAGE_INVALID;
	if (!s->configured)
		return MIRAGE_AGAIN;
	uint16_t lport = stack_ephemeral_port(s, true);
	struct tcp_conn *c = lport ? conn_new(s) : NULL;
	if (!c)
		return MIRAGE_EIO;
	if (conn_buffers(c) < 0) {
		conn_free(c);
		return MIRAGE_EIO;
	}
	c->state = SYN_SENT;
	c->owned = true;
	c->rip = addr;
	c->rport = port;
	c->lport = lport;
	c->mss = our_mss(s);
	c->cwnd = 10u * c->mss;
	c->ssthresh = 0xffffffffu;
	c->iss = stack_random(s);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->sseq = c->iss + 1;
	send_segment(c, c->iss, TCP_SYN, 0);
	arm_rto(c);
	*out = &c->api;
	return MIRAGE_OK;
}

mirage_result stack_tcp_read(struct mirage_tcp *api, void *buf, size_t size, size_t *len)
{
	struct tcp_conn *c = conn_of(api);
	if (!len || (!buf && size) || c->state == LISTEN)
		return MIRAGE_INVALID;
	if (c->rlen == 0) {
		if (c->reset)
			return MIRAGE_EIO;
		if (c->fin_rcvd) {
			*len = 0;
			return MIRAGE_OK;
		}
		return c->state == CLOSED ? MIRAGE_EIO : MIRAGE_AGAIN;
	}
	size_t n = c->rlen < size ? c->rlen : size;
	size_t first = TCP_RCV_BUF - c->rhead < n ? TCP_RCV_BUF - c->rhead : n;
	memcpy(buf, c->rbuf + c->rhead, first);
	memcpy((uint8_t *)buf + first, c->rbuf, n - first);
	c->rhead = (c->rhead + n) % TCP_RCV_BUF;
	c->rlen -= n;
	*len = n;
	/* a window that opened by two segments or more is announced */
	if (c->state != CLOSED && rcv_window(c) >= c->rwnd_adv + 2u * c->mss)
		send_ack(c);
	return MIRAGE_OK;
}

mirage_result stack_tcp_write(struct mirage_tcp *api, const void *buf, size_t len, size_t *written)
{
	struct tcp_conn *c = conn_of(api);
	if (!written || (!buf && len) || c->state == LISTEN)
		return MIRAGE_INVALID;
	*written = 0;
	if (c->reset || c->fin_wanted || c->state == CLOSED)
		return MIRAGE_EIO;
	if (c->state == SYN_SENT || c->state == SYN_RCVD)
		return MIRAGE_AGAIN;
	if (c->state != ESTABLISHED && c->state != CLOSE_WAIT)
		return MIRAGE_EIO;
	size_t room = TCP_SND_BUF - c->slen, n = len < room ? len : room;
	if (n == 0)
		return len ? MIRAGE_AGAIN : MIRAGE_OK;
	size_t off = (c->shead + c->slen) % TCP_SND_BUF;
	size_t first = TCP_SND_BUF - off < n ? TCP_SND_BUF - off : n;
	memcpy(c->sbuf + off, buf, first);
	memcpy(c->sbuf, (const uint8_t *)buf + first, n - first);
	c->slen += n;
	*written = n;
	output(c, false);
	return MIRAGE_OK;
}

mirage_result stack_tcp_shutdown(struct mirage_tcp *api)
{
	struct tcp_conn *c = conn_of(api);
	if (c->state == LISTEN)
		return MIRAGE_INVALID;
	if (c->reset || c->state == CLOSED)
		return MIRAGE_EIO;
	if (c->fin_wanted)
		return MIRAGE_OK;
	c->fin_wanted = true;
	if (c->state == ESTABLISHED || c->state == CLOSE_WAIT)
		output(c, false);
	return MIRAGE_OK;
}

void stack_tcp_close(struct mirage_tcp *api)
{
	struct tcp_conn *c = conn_of(api);
	struct stack *s = c->s;
	c->closed = true;
	if (c->state == LISTEN) {
		/* the connections it has not handed over are reset */
		for (struct tcp_conn *x = s->conns, *nx; x; x = nx) {
			nx = x->next;
			if (x->parent != c)
				continue;
			send_segment(x, x->snd_nxt, TCP_RST | TCP_ACK, 0);
			conn_free(x);
		}
		conn_free(c);
		return;
	}
	switch (c->state) {
	case CLOSED:
		conn_free(c);
		return;
	case SYN_SENT:
		conn_done(c);
		return;
	default:
		break;
	}
	if (c->rlen) {
		/* data the user never read: the peer is told with a RST */
		send_segment(c, c->snd_nxt, TCP_RST | TCP_ACK, 0);
		conn_done(c);
		return;
	}
	if (c->state == ESTABLISHED || c->state == CLOSE_WAIT || c->state == SYN_RCVD) {
		c->fin_wanted = true;
		output(c, false);
	}
	/* the rest happens by itself: the handle is freed when the connection
	 * is (TIME-WAIT, or the last ACK) */
	if (c->state == CLOSED)
		conn_free(c);
}

mirage_result stack_tcp_peer(struct mirage_tcp *api, uint32_t *addr, uint16_t *port)
{
	struct tcp_conn *c = conn_of(api);
	if (c->state == LISTEN)
		return MIRAGE_INVALID;
	if (addr)
		*addr = c->rip;
	if (port)
		*port = c->rport;
	return MIRAGE_OK;
}

void tcp_free_all(struct stack *s)
{
	while (s->conns)
		conn_free(s->conns);
}
