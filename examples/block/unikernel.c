/* block: fills the whole disk with a pattern in requests of 1 to 64 sectors,
 * reads it back in requests of other sizes, and checks every byte; checks
 * that misaligned and out-of-range requests are refused. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECTORS 64

static uint8_t pattern(uint64_t offset, int64_t seed)
{
	uint64_t x = (offset + (uint64_t)seed) * 0x9e3779b97f4a7c15u;
	return (uint8_t)(x >> 56);
}

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	struct mirage_block *disk = dev->disk;
	size_t ss = mirage_block_sector_size(disk);
	uint64_t size = mirage_block_size(disk);
	printf("block: %" PRIu64 " sectors of %zu bytes\n", size / ss, ss);
	if (size < ss * MAX_SECTORS) {
		printf("block: FAIL: the disk needs at least %d sectors\n", MAX_SECTORS);
		return 1;
	}
	uint8_t *buf = malloc(ss * MAX_SECTORS);
	if (!buf)
		return 1;

	uint64_t requests = 0;
	for (uint64_t off = 0, n = 1; off < size; off += n * ss, n = n % MAX_SECTORS + 1) {
		if (off + n * ss > size)
			n = (size - off) / ss;
		for (size_t i = 0; i < n * ss; i++)
			buf[i] = pattern(off + i, args->seed);
		if (mirage_block_write(disk, off, buf, n * ss) != MIRAGE_OK) {
			printf("block: FAIL: write of %" PRIu64 " sectors at %" PRIu64 "\n", n,
			       off);
			return 1;
		}
		requests++;
	}
	if (mirage_block_flush(disk) != MIRAGE_OK) {
		printf("block: FAIL: flush\n");
		return 1;
	}
	for (uint64_t off = 0, n = MAX_SECTORS;
	     off<size; off += n * ss, n = n> 1 ? n - 1 : MAX_SECTORS) {
		if (off + n * ss > size)
			n = (size - off) / ss;
		memset(buf, 0, n * ss);
		if (mirage_block_read(disk, off, buf, n * ss) != MIRAGE_OK) {
			printf("block: FAIL: read of %" PRIu64 " sectors at %" PRIu64 "\n", n, off);
			return 1;
		}
		for (size_t i = 0; i < n * ss; i++) {
			if (buf[i] != pattern(off + i, args->seed)) {
				printf("block: FAIL: byte %" PRIu64 " differs\n", off + i);
				return 1;
			}
		}
		requests++;
	}
	/* the contract: whole sectors, within the device */
	if (mirage_block_read(disk, 1, buf, ss) != MIRAGE_INVALID ||
	    mirage_block_read(disk, 0, buf, ss - 1) != MIRAGE_INVALID ||
	    mirage_block_read(disk, size, buf, ss) != MIRAGE_INVALID ||
	    mirage_block_write(disk, size - ss, buf, 2 * ss) != MIRAGE_INVALID) {
		printf("block: FAIL: a request breaking the contract was accepted\n");
		return 1;
	}
	free(buf);
	printf("block: %" PRIu64 " sectors written and verified in %" PRIu64 " requests\n",
	       size / ss, requests);
	return 0;
}
