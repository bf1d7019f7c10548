/* fuzz_xs: the xen runtime's xenstore client (xenstore.c, xs_wire.c) fed a
 * hostile daemon's answers: whatever bytes the input holds come back on the
 * response ring while the client reads, lists and waits. No crash, no read
 * beyond a buffer, and every call ends. */
#include <stddef.h>
#include <stdint.h>

#include "../unit/xen_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&fake_page, 0, sizeof(fake_page));
	fake_hostile = data;
	fake_hostile_len = size;
	if (xen_store_init() < 0)
		return 0;
	char buf[64];
	uint64_t v;
	xen_store_read("device/vif/0/mac", buf, sizeof(buf));
	xen_store_read_u64("backend/state", &v);
	xen_store_directory("device/vif", buf, sizeof(buf));
	xen_store_wait_state("backend/state", 1u << 4, 100000000);
	xen_store_write("data/x", "1");
	return 0;
}
