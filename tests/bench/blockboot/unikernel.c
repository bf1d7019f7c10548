/* blockboot: prints the block device's size and exits. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)args;
	printf("blockboot: %" PRIu64 " bytes\n", mirage_block_size(dev->disk));
	return 0;
}
