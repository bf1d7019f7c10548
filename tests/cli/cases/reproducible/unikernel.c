/* kv: lists the embedded files, prints the text ones and checks the binary
 * one byte for byte. */
#include <mirage.h>
#include <stdio.h>
#include <string.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)args;
	struct mirage_kv *kv = dev->files;
	printf("kv: %zu files\n", mirage_kv_count(kv));
	const char *key;
	for (size_t i = 0; mirage_kv_list(kv, i, &key) == MIRAGE_OK; i++) {
		size_t size;
		mirage_kv_size(kv, key, &size);
		printf("kv: %s (%zu bytes)\n", key, size);
	}
	const void *data;
	size_t len;
	const char *texts[] = {"hello.txt", "nested/deeper/note.txt"};
	for (size_t i = 0; i < 2; i++) {
		if (mirage_kv_get(kv, texts[i], &data, &len) != MIRAGE_OK) {
			printf("kv: FAIL: %s is missing\n", texts[i]);
			return 1;
		}
		printf("kv: %s says: %.*s", texts[i], (int)len, (const char *)data);
	}
	if (mirage_kv_get(kv, "bin/blob.bin", &data, &len) != MIRAGE_OK || len != 300) {
		printf("kv: FAIL: bin/blob.bin is missing or not 300 bytes\n");
		return 1;
	}
	const unsigned char *b = data;
	for (size_t i = 0; i < len; i++) {
		unsigned want = i < 256 ? (unsigned)i : 255 - (unsigned)(i - 256);
		if (b[i] != want) {
			printf("kv: FAIL: bin/blob.bin byte %zu is %u, not %u\n", i, b[i], want);
			return 1;
		}
	}
	printf("kv: bin/blob.bin: 300 bytes, all as expected\n");
	if (mirage_kv_get(kv, "no/such/file", &data, &len) != MIRAGE_NOT_FOUND) {
		printf("kv: FAIL: a missing key was found\n");
		return 1;
	}
	return 0;
}
