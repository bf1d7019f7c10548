/* vring.c: virtqueues (the legacy layout: descriptors, then the available
 * ring, then the used ring on the next 4 KiB page), and the network and
 * block drivers over them, driven by polling (a network device's receive
 * queue interrupts the idle wait only). The transport (pci.c, mmio.c)
 * finds the devices and moves their registers. */
#include "vring.h"

#include <stdlib.h>
#include <string.h>

#include "mirage_cpu.h"

#define STATUS_ACK	 1
#define STATUS_DRIVER	 2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED	 128

#define NET_F_MAC   (1u << 5)
#define BLK_F_FLUSH (1u << 9)

#define DESC_F_NEXT  1
#define DESC_F_WRITE 2

#define NET_HDR	  10 /* struct virtio_net_hdr, legacy, without mergeable buffers */
#define NET_BUF	  2048
#define MAX_QUEUE 256

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vq {
	uint16_t size;
	uint16_t last_used;
	uint16_t free_head; /* tx: next descriptor to use */
	uint16_t in_flight;
	struct vring_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size] */
	volatile uint16_t *used;  /* flags, idx, then elems */
	uint8_t *bufs;		  /* net: size buffers of NET_BUF */
};

struct vdev {
	enum virtio_kind kind;
	const struct vtransport *t;
	uintptr_t base;
	uint8_t order; /* for messages and made-up MACs */
	int ready;
	uint32_t features;
	struct vq q[2];
	uint8_t mac[6];
	uint64_t capacity;
};

#define MAX_VDEV 32
static struct vdev devs[MAX_VDEV];
static int ndevs;

void vring_add(enum virtio_kind kind, const struct vtransport *t, uintptr_t base, uint8_t order)
{
	if (ndevs == MAX_VDEV)
		return;
	struct vdev *d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->t = t;
	d->base = base;
	d->order = order;
}

uintptr_t vring_base(const struct vdev *d)
{
	return d->base;
}

uint8_t vring_order(const struct vdev *d)
{
	return d->order;
}

static size_t vring_bytes(uint16_t n)
{
	size_t a = 16u * n + 6 + 2u * n;
	a = (a + 4095) & ~(size_t)4095;
	return a + 6 + 8u * n;
}

static int queue_setup(struct vdev *d, uint16_t index)
{
	struct vq *q = &d->q[index];
	uint16_t n = d->t->queue(d, index, NULL, 0);
	if (n == 0 || n > 32768)
		return -1;
	size_t bytes = vring_bytes(n);
	uint8_t *mem = aligned_alloc(4096, bytes);
	if (!mem)
		return -1;
	memset(mem, 0, bytes);
	q->size = n;
	q->desc = (struct vring_desc *)mem;
	q->avail = (volatile uint16_t *)(mem + 16u * n);
	q->used = (volatile uint16_t *)(mem + ((16u * n + 6 + 2u * n + 4095) & ~(size_t)4095));
	/* guest memory is identity-mapped: the address is the physical one */
	d->t->queue(d, index, mem, n);
	return 0;
}

static struct vring_used_elem *used_elem(struct vq *q, uint16_t i)
{
	return (struct vring_used_elem *)(uintptr_t)(q->used + 2) + (i % q->size);
}

static void avail_push(struct vq *q, uint16_t head)
{
	uint16_t idx = q->avail[1];
	q->avail[2 + idx % q->size] = head;
	barrier();
	q->avail[1] = (uint16_t)(idx + 1);
	barrier();
}

static int net_setup(struct vdev *d)
{
	d->features = d->t->host_features(d) & NET_F_MAC;
	d->t->guest_features(d, d->features);
	if (queue_setup(d, 0) < 0 || queue_setup(d, 1) < 0)
		return -1;
	/* a frame coming in ends the idle wait; without an interrupt the wait
	 * is short, and the device polled */
	if (d->t->irq(d, 0) < 0)
		virtio_polling = 1;
	for (int i = 0; i < 2; i++) {
		struct vq *q = &d->q[i];
		if (q->size > MAX_QUEUE)
			q->size = MAX_QUEUE; /* use no more descriptors than we have buffers */
		q->bufs = malloc((size_t)q->size * NET_BUF);
		if (!q->bufs)
			return -1;
	}
	/* every receive buffer is offered to the device */
	struct vq *rx = &d->q[0];
	for (uint16_t i = 0; i < rx->size; i++) {
		rx->desc[i] = (struct vring_desc){(uintptr_t)(rx->bufs + (size_t)i * NET_BUF),
						  NET_BUF, DESC_F_WRITE, 0};
		avail_push(rx, i);
	}
	if (d->features & NET_F_MAC) {
		for (unsigned i = 0; i < 6; i++)
			d->mac[i] = d->t->config8(d, i);
	} else {
		memcpy(d->mac, "\x02\x00\x00\x00\x00\x02", 6);
		d->mac[5] = (uint8_t)(0x10 + d->order);
	}
	return 0;
}

static int block_setup(struct vdev *d)
{
	d->features = d->t->host_features(d) & BLK_F_FLUSH;
	d->t->guest_features(d, d->features);
	if (queue_setup(d, 0) < 0)
		return -1;
	uint64_t lo = d->t->config32(d, 0), hi = d->t->config32(d, 4);
	d->capacity = (hi << 32 | lo) * 512;
	return 0;
}

/* A console: only its transmit queue (1) is used. */
static int console_setup(struct vdev *d)
{
	d->features = 0;
	d->t->guest_features(d, 0);
	return queue_setup(d, 0) < 0 || queue_setup(d, 1) < 0 ? -1 : 0;
}

int virtio_open(enum virtio_kind kind, int index)
{
	static int scanned;
	if (!scanned) {
		scanned = 1;
		virtio_scan();
	}
	for (int h = 0; h < ndevs; h++) {
		struct vdev *d = &devs[h];
		if (d->kind != kind || index-- > 0)
			continue;
		if (d->ready)
			return h;
		d->t->set_status(d, 0); /* reset */
		d->t->set_status(d, STATUS_ACK | STATUS_DRIVER);
		int rc = kind == VIRTIO_NET	? net_setup(d)
			 : kind == VIRTIO_BLOCK ? block_setup(d)
						: console_setup(d);
		if (rc < 0) {
			d->t->set_status(d, STATUS_FAILED);
			return -1;
		}
		d->t->set_status(d, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
		if (kind == VIRTIO_NET)
			d->t->notify(d, 0); /* the receive buffers */
		d->ready = 1;
		return h;
	}
	return -1;
}

void virtio_net_mac(int h, uint8_t mac[6])
{
	memcpy(mac, devs[h].mac, 6);
}

int virtio_net_pending(int h)
{
	struct vq *rx = &devs[h].q[0];
	return rx->used[1] != rx->last_used;
}

mirage_result virtio_net_read(int h, void *buf, size_t size, size_t *len)
{
	struct vdev *d = &devs[h];
	struct vq *rx = &d->q[0];
	if (rx->used[1] == rx->last_used)
		return MIRAGE_AGAIN;
	barrier();
	struct vring_used_elem *e = used_elem(rx, rx->last_used);
	uint16_t id = (uint16_t)e->id;
	uint32_t n = e->len;
	rx->last_used++;
	mirage_result r = MIRAGE_OK;
	if (id >= rx->size || n < NET_HDR || n - NET_HDR > size) {
		r = MIRAGE_EIO;
	} else {
		memcpy(buf, rx->bufs + (size_t)id * NET_BUF + NET_HDR, n - NET_HDR);
		*len = n - NET_HDR;
	}
	if (id < rx->size) {
		/* give the buffer back */
		avail_push(rx, id);
		d->t->notify(d, 0);
	}
	return r;
}

/* Takes back the transmit descriptors the device is done with. */
static void tx_reclaim(struct vq *tx)
{
	while (tx->used[1] != tx->last_used) {
		tx->last_used++;
		tx->in_flight--;
	}
}

mirage_result virtio_net_write(int h, const void *buf, size_t len)
{
	struct vdev *d = &devs[h];
	struct vq *tx = &d->q[1];
	if (len + NET_HDR > NET_BUF)
		return MIRAGE_INVALID;
	tx_reclaim(tx);
	while (tx->in_flight == tx->size) {
		cpu_relax();
		tx_reclaim(tx);
	}
	/* descriptors are used in order and completed in order */
	uint16_t i = tx->free_head;
	tx->free_head = (uint16_t)((i + 1) % tx->size);
	uint8_t *b = tx->bufs + (size_t)i * NET_BUF;
	memset(b, 0, NET_HDR);
	memcpy(b + NET_HDR, buf, len);
	tx->desc[i] = (struct vring_desc){(uintptr_t)b, (uint32_t)(len + NET_HDR), 0, 0};
	tx->in_flight++;
	avail_push(tx, i);
	d->t->notify(d, 1);
	return MIRAGE_OK;
}

int virtio_console_write(const char *buf, size_t len)
{
	int h = virtio_open(VIRTIO_CONSOLE, 0);
	if (h < 0)
		return -1;
	struct vdev *d = &devs[h];
	struct vq *tx = &d->q[1];
	static char out[64];
	if (len > sizeof(out))
		len = sizeof(out);
	memcpy(out, buf, len);
	tx->desc[0] = (struct vring_desc){(uintptr_t)out, (uint32_t)len, 0, 0};
	avail_push(tx, 0);
	d->t->notify(d, 1);
	for (long spins = 0; tx->used[1] == tx->last_used && spins < 100000000; spins++)
		cpu_relax();
	tx->last_used = tx->used[1];
	return 0;
}

uint64_t virtio_block_capacity(int h)
{
	return devs[h].capacity;
}

struct blk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* One request of three descriptors (header, data, status), waited for. */
static mirage_result block_request(struct vdev *d, uint32_t type, uint64_t sector, void *buf,
				   uint32_t len)
{
	struct vq *q = &d->q[0];
	static struct blk_req req;
	static volatile uint8_t status;
	req = (struct blk_req){type, 0, sector};
	status = 0xff;
	q->desc[0] = (struct vring_desc){(uintptr_t)&req, sizeof(req), DESC_F_NEXT, len ? 1 : 2};
	if (len)
		q->desc[1] = (struct vring_desc){
		    (uintptr_t)buf, len, (uint16_t)(DESC_F_NEXT | (type == 0 ? DESC_F_WRITE : 0)),
		    2};
	q->desc[2] = (struct vring_desc){(uintptr_t)&status, 1, DESC_F_WRITE, 0};
	avail_push(q, 0);
	d->t->notify(d, 0);
	while (q->used[1] == q->last_used)
		cpu_relax();
	barrier();
	q->last_used++;
	return status == 0 ? MIRAGE_OK : MIRAGE_EIO;
}

#define BLOCK_CHUNK (1u << 20)

mirage_result virtio_block_io(int h, int write, uint64_t offset, void *buf, size_t len)
{
	struct vdev *d = &devs[h];
	uint8_t *p = buf;
	while (len) {
		uint32_t n = len > BLOCK_CHUNK ? BLOCK_CHUNK : (uint32_t)len;
		mirage_result r = block_request(d, write ? 1 : 0, offset / 512, p, n);
		if (r != MIRAGE_OK)
			return r;
		p += n;
		offset += n;
		len -= n;
	}
	return MIRAGE_OK;
}

mirage_result virtio_block_flush(int h)
{
	struct vdev *d = &devs[h];
	if (!(d->features & BLK_F_FLUSH))
		return MIRAGE_OK; /* the device has no write cache to flush */
	return block_request(d, 4, 0, NULL, 0);
}
