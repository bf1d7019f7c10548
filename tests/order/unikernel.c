/* order: prints the size of each block device, in the description's order. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)args;
	printf("order: first %" PRIu64 " KiB\n", mirage_block_size(dev->first) / 1024);
	printf("order: second %" PRIu64 " KiB\n", mirage_block_size(dev->second) / 1024);
	printf("order: third %" PRIu64 " KiB\n", mirage_block_size(dev->third) / 1024);
	return 0;
}
