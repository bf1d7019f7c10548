/* xs_wire.c: the xenstore rings and messages (see xs_wire.h). Indices are
 * free-running 32-bit counters; a ring holds XS_RING_SIZE bytes. */
#include <string.h>

#include "xs_wire.h"

size_t xs_ring_put(char *ring, uint32_t cons, uint32_t *prod, const void *data, size_t len)
{
	uint32_t used = *prod - cons;
	if (used > XS_RING_SIZE) /* a broken index: write nothing */
		return 0;
	size_t room = XS_RING_SIZE - used, n = len < room ? len : room;
	const uint8_t *p = data;
	for (size_t i = 0; i < n; i++)
		ring[(*prod + i) % XS_RING_SIZE] = (char)p[i];
	*prod += (uint32_t)n;
	return n;
}

size_t xs_ring_get(const char *ring, uint32_t *cons, uint32_t prod, void *data, size_t len)
{
	uint32_t avail = prod - *cons;
	if (avail > XS_RING_SIZE)
		return 0;
	size_t n = len < avail ? len : avail;
	uint8_t *p = data;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)ring[(*cons + i) % XS_RING_SIZE];
	*cons += (uint32_t)n;
	return n;
}

size_t xs_msg_build(uint32_t type, uint32_t req_id, uint32_t tx_id, const char *const *parts,
		    size_t nparts, int nul_last, uint8_t *out, size_t size)
{
	size_t len = 0;
	for (size_t i = 0; i < nparts; i++)
		len += strlen(parts[i]) + (i + 1 < nparts || nul_last);
	if (len > XS_PAYLOAD_MAX || sizeof(struct xs_msg_hdr) + len > size)
		return 0;
	struct xs_msg_hdr h = {type, req_id, tx_id, (uint32_t)len};
	memcpy(out, &h, sizeof(h));
	size_t at = sizeof(h);
	for (size_t i = 0; i < nparts; i++) {
		size_t n = strlen(parts[i]) + (i + 1 < nparts || nul_last);
		memcpy(out + at, parts[i], n);
		at += n;
	}
	return at;
}

int xs_msg_check(const struct xs_msg_hdr *h)
{
	return h->len > XS_PAYLOAD_MAX ? -1 : 0;
}
