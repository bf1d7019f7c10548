#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)args;
	const char *key;
	size_t len;
	for (size_t i = 0; mirage_kv_list(dev->files, i, &key) == MIRAGE_OK; i++)
		if (mirage_kv_size(dev->files, key, &len) == MIRAGE_OK)
			printf("%s %zu\n", key, len);
	return 0;
}
