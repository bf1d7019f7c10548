/* devices.c: the user API of mirage.h on top of the platform ABI. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "net/tcpip.h"

/* Handles live in fixed pools: no allocation before start. */
#define MAX_DEVICES 64

struct mirage_console {
	const char *name;
};

struct mirage_net {
	const char *name;
	unsigned handle;
	struct plat_net_info info;
	bool owned; /* read by a tcpip device, not by the application */
};

struct mirage_block {
	const char *name;
	unsigned handle;
	struct plat_block_info info;
};

struct mirage_kv {
	const char *name;
	const struct mirage_kv_data *data;
};

static struct mirage_console consoles[MAX_DEVICES];
static struct mirage_net nets[MAX_DEVICES];
static struct mirage_block blocks[MAX_DEVICES];
static struct mirage_kv kvs[MAX_DEVICES];
static size_t nconsoles, nnets, nblocks, nkvs;

const char *mirage_strerror(mirage_result r)
{
	switch (r) {
	case MIRAGE_OK:
		return "ok";
	case MIRAGE_AGAIN:
		return "try again";
	case MIRAGE_INVALID:
		return "invalid argument";
	case MIRAGE_EIO:
		return "I/O error";
	case MIRAGE_NOT_FOUND:
		return "not found";
	}
	return "unknown result";
}

const struct mirage_note_entry *mirage_manifest_find(const char *name)
{
	for (size_t i = 0; i < mirage_manifest.n; i++)
		if (!strcmp(mirage_manifest.devices[i].name, name))
			return &mirage_manifest.devices[i];
	return NULL;
}

void mirage_console_puts(const char *s)
{
	plat_console_write(s, strlen(s));
}

int mirage_device_failed(const char *name, enum mirage_devtype type, mirage_result r)
{
	char buf[256];
	const char *attach = mirage_devtype_attach(type);
	if (r == MIRAGE_NOT_FOUND && attach)
		snprintf(buf, sizeof(buf),
			 "%s: device '%s' (%s) failed to initialise: not attached (give "
			 "--%s:%s=%s)\n",
			 mirage_manifest.unikernel, name, mirage_devtype_name(type), attach, name,
			 mirage_devtype_placeholder(type));
	else
		snprintf(buf, sizeof(buf), "%s: device '%s' (%s) failed to initialise: %s\n",
			 mirage_manifest.unikernel, name, mirage_devtype_name(type),
			 mirage_strerror(r));
	mirage_console_puts(buf);
	return r == MIRAGE_INVALID ? MIRAGE_EXIT_BAD_ARGUMENT : MIRAGE_EXIT_DEVICE;
}

/* --- console --- */

mirage_result mirage_console_init(const char *name, struct mirage_console **out)
{
	if (nconsoles == MAX_DEVICES)
		return MIRAGE_INVALID;
	consoles[nconsoles].name = name;
	*out = &consoles[nconsoles++];
	return MIRAGE_OK;
}

mirage_result mirage_console_write(struct mirage_console *c, const void *buf, size_t len)
{
	if (!c)
		return MIRAGE_INVALID;
	plat_console_write(buf, len);
	return MIRAGE_OK;
}

/* --- time --- */

uint64_t mirage_clock_monotonic(void)
{
	return plat_clock_monotonic();
}

uint64_t mirage_clock_wall(void)
{
	return plat_clock_wall();
}

/* --- waiting: the tcpip devices run here --- */

static struct mirage_tcpip *stacks;
static uint64_t events_seen; /* the stacks' events when mirage_wait last returned */

void mirage_tcpip_register(struct mirage_tcpip *s, struct mirage_net *link)
{
	s->next_device = stacks;
	stacks = s;
	if (link)
		link->owned = true;
}

/* Runs every stack once (input, timers); lowers *deadline to when one wants
 * to run next. Returns the sum of their events. */
static uint64_t run_stacks(uint64_t *deadline)
{
	uint64_t events = 0;
	for (struct mirage_tcpip *s = stacks; s; s = s->next_device) {
		s->ops->step(s, deadline);
		events += s->events;
	}
	return events;
}

/* The handles of the network devices the application reads itself. */
static uint64_t raw_handles(void)
{
	uint64_t h = 0;
	for (size_t i = 0; i < nnets; i++)
		if (!nets[i].owned)
			h |= (uint64_t)1 << nets[i].handle;
	return h;
}

void mirage_sleep(uint64_t ns)
{
	uint64_t deadline = plat_clock_monotonic() + ns;
	while (plat_clock_monotonic() < deadline) {
		uint64_t next = deadline;
		run_stacks(&next);
		plat_yield(next);
	}
}

bool mirage_wait(uint64_t deadline)
{
	/* plat_yield at least once: it is where a platform that batches its
	 * network I/O (hvt) sends what was queued and brings what came */
	uint64_t raw = raw_handles();
	for (bool yielded = false;; yielded = true) {
		uint64_t next = deadline;
		uint64_t events = run_stacks(&next);
		if (events != events_seen) {
			events_seen = events;
			return true;
		}
		if (yielded && plat_clock_monotonic() >= deadline)
			return false;
		if (plat_yield(next) & raw)
			return true;
	}
}

mirage_result mirage_random(void *buf, size_t len)
{
	return plat_random(buf, len);
}

/* --- network --- */

mirage_result mirage_net_init(const char *name, struct mirage_net **out)
{
	if (nnets == MAX_DEVICES)
		return MIRAGE_INVALID;
	struct mirage_net *n = &nets[nnets];
	mirage_result r = plat_net_acquire(name, &n->handle, &n->info);
	if (r != MIRAGE_OK)
		return r;
	n->name = name;
	nnets++;
	*out = n;
	return MIRAGE_OK;
}

mirage_result mirage_net_read(struct mirage_net *n, void *buf, size_t size, size_t *len)
{
	if (!n || !buf || !len || size < n->info.mtu + 14)
		return MIRAGE_INVALID;
	return plat_net_read(n->handle, buf, size, len);
}

mirage_result mirage_net_write(struct mirage_net *n, const void *buf, size_t len)
{
	if (!n || !buf || len > n->info.mtu + 14 || len < 14)
		return MIRAGE_INVALID;
	return plat_net_write(n->handle, buf, len);
}

void mirage_net_mac(struct mirage_net *n, uint8_t mac[6])
{
	memcpy(mac, n->info.mac, 6);
}

size_t mirage_net_mtu(struct mirage_net *n)
{
	return n->info.mtu;
}

/* --- block --- */

mirage_result mirage_block_init(const char *name, struct mirage_block **out)
{
	if (nblocks == MAX_DEVICES)
		return MIRAGE_INVALID;
	struct mirage_block *b = &blocks[nblocks];
	mirage_result r = plat_block_acquire(name, &b->handle, &b->info);
	if (r != MIRAGE_OK)
		return r;
	b->name = name;
	nblocks++;
	*out = b;
	return MIRAGE_OK;
}

static bool block_range_ok(const struct mirage_block *b, uint64_t offset, size_t len)
{
	uint64_t ss = b->info.sector_size;
	return offset % ss == 0 && len % ss == 0 && offset <= b->info.capacity &&
	       len <= b->info.capacity - offset;
}

mirage_result mirage_block_read(struct mirage_block *b, uint64_t offset, void *buf, size_t len)
{
	if (!b || (!buf && len) || !block_range_ok(b, offset, len))
		return MIRAGE_INVALID;
	if (len == 0)
		return MIRAGE_OK;
	return plat_block_read(b->handle, offset, buf, len);
}

mirage_result mirage_block_write(struct mirage_block *b, uint64_t offset, const void *buf,
				 size_t len)
{
	if (!b || (!buf && len) || !block_range_ok(b, offset, len))
		return MIRAGE_INVALID;
	if (len == 0)
		return MIRAGE_OK;
	return plat_block_write(b->handle, offset, buf, len);
}

mirage_result mirage_block_flush(struct mirage_block *b)
{
	if (!b)
		return MIRAGE_INVALID;
	return plat_block_flush(b->handle);
}

uint64_t mirage_block_size(struct mirage_block *b)
{
	return b->info.capacity;
}

size_t mirage_block_sector_size(struct mirage_block *b)
{
	return b->info.sector_size;
}

/* --- kv_ro --- */

mirage_result mirage_kv_init(const char *name, const struct mirage_kv_data *data,
			     struct mirage_kv **out)
{
	if (nkvs == MAX_DEVICES)
		return MIRAGE_INVALID;
	kvs[nkvs].name = name;
	kvs[nkvs].data = data;
	*out = &kvs[nkvs++];
	return MIRAGE_OK;
}

static const struct mirage_kv_entry *kv_find(const struct mirage_kv *kv, const char *key)
{
	size_t lo = 0, hi = kv->data->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, kv->data->entries[mid].key);
		if (c == 0)
			return &kv->data->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

mirage_result mirage_kv_get(struct mirage_kv *kv, const char *key, const void **data, size_t *len)
{
	if (!kv || !key || !data || !len)
		return MIRAGE_INVALID;
	const struct mirage_kv_entry *e = kv_find(kv, key);
	if (!e)
		return MIRAGE_NOT_FOUND;
	*data = e->data;
	*len = e->len;
	return MIRAGE_OK;
}

mirage_result mirage_kv_size(struct mirage_kv *kv, const char *key, size_t *size)
{
	if (!kv || !key || !size)
		return MIRAGE_INVALID;
	const struct mirage_kv_entry *e = kv_find(kv, key);
	if (!e)
		return MIRAGE_NOT_FOUND;
	*size = e->len;
	return MIRAGE_OK;
}

mirage_result mirage_kv_list(struct mirage_kv *kv, size_t index, const char **key)
{
	if (!kv || !key)
		return MIRAGE_INVALID;
	if (index >= kv->data->n)
		return MIRAGE_NOT_FOUND;
	*key = kv->data->entries[index].key;
	return MIRAGE_OK;
}

size_t mirage_kv_count(struct mirage_kv *kv)
{
	return kv ? kv->data->n : 0;
}

struct mirage_kv *mirage_kv_device(const char *name)
{
	for (size_t i = 0; i < nkvs; i++)
		if (!strcmp(kvs[i].name, name))
			return &kvs[i];
	return NULL;
}

const char *mirage_kv_device_name(size_t index)
{
	return index < nkvs ? kvs[index].name : NULL;
}

/* --- exit --- */

void mirage_exit(int status)
{
	/* as exit() does: what atexit() registered runs first */
	__libc_run_atexit();
	plat_exit(status);
}

void mirage_abort(const char *msg)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s: abort%s%s\n", mirage_manifest.unikernel, msg ? ": " : "",
		 msg ? msg : "");
	mirage_console_puts(buf);
	plat_exit(MIRAGE_EXIT_ABORT);
}

int mirage_manifest_rank(const char *name, unsigned type, unsigned *index, int *nth)
{
	int rank = 0;
	for (unsigned i = 0; i < mirage_manifest.n && i < PLAT_MAX_HANDLES; i++) {
		const struct mirage_note_entry *e = &mirage_manifest.devices[i];
		if (e->type != type)
			continue;
		if (!strcmp(e->name, name)) {
			*index = i;
			*nth = rank;
			return 0;
		}
		rank++;
	}
	return -1;
}
