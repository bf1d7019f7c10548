/* blockbench: times writing then reading the whole disk. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	struct mirage_block *b = dev->disk;
	size_t ss = mirage_block_sector_size(b);
	uint64_t size = mirage_block_size(b);
	size_t chunk = (size_t)args->sectors * ss;
	uint8_t *buf = malloc(chunk);
	if (!buf || chunk == 0 || size % chunk)
		return 2;
	memset(buf, 0x5a, chunk);
	uint64_t t0 = mirage_clock_monotonic();
	for (uint64_t off = 0; off < size; off += chunk)
		if (mirage_block_write(b, off, buf, chunk) != MIRAGE_OK)
			return 1;
	uint64_t t1 = mirage_clock_monotonic();
	for (uint64_t off = 0; off < size; off += chunk)
		if (mirage_block_read(b, off, buf, chunk) != MIRAGE_OK)
			return 1;
	uint64_t t2 = mirage_clock_monotonic();
	printf("blockbench: %" PRIu64 " MiB in %lld-sector requests: write %" PRIu64
	       " ms, read %" PRIu64 " ms\n",
	       size >> 20, (long long)args->sectors, (t1 - t0) / 1000000, (t2 - t1) / 1000000);
	return 0;
}
