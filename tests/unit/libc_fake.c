/* libc_fake.c: the runtime under mirage's C library in the host tests
 * (libc_host.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_host.h"

char fake_console[65536];
size_t fake_console_len;
jmp_buf fake_on_exit;
char fake_exit_msg[256];
uint64_t fake_wall_ns = 1700000000ULL * 1000000000ULL, fake_monotonic_ns;

void plat_console_write(const char *buf, size_t len);
void plat_console_write(const char *buf, size_t len)
{
	if (fake_console_len + len < sizeof(fake_console)) {
		memcpy(fake_console + fake_console_len, buf, len);
		fake_console_len += len;
		fake_console[fake_console_len] = '\0';
	}
}

_Noreturn void mirage_exit(int status);
_Noreturn void mirage_exit(int status)
{
	tl___libc_run_atexit();
	snprintf(fake_exit_msg, sizeof(fake_exit_msg), "exit %d", status);
	longjmp(fake_on_exit, 1);
}

_Noreturn void plat_exit(int status);
_Noreturn void plat_exit(int status)
{
	snprintf(fake_exit_msg, sizeof(fake_exit_msg), "_exit %d", status);
	longjmp(fake_on_exit, 1);
}

_Noreturn void mirage_abort(const char *msg);
_Noreturn void mirage_abort(const char *msg)
{
	snprintf(fake_exit_msg, sizeof(fake_exit_msg), "%s", msg ? msg : "(null)");
	longjmp(fake_on_exit, 1);
}

uint64_t plat_clock_wall(void);
uint64_t plat_clock_wall(void)
{
	return fake_wall_ns;
}

uint64_t plat_clock_monotonic(void);
uint64_t plat_clock_monotonic(void)
{
	return fake_monotonic_ns;
}

void mirage_sleep(uint64_t ns);
void mirage_sleep(uint64_t ns)
{
	fake_wall_ns += ns;
	fake_monotonic_ns += ns;
}

/* --- kv_ro devices --- */

struct mirage_kv {
	const char *name;
	const char *const *pairs;
	size_t n;
};
static struct mirage_kv kvs[8];
static size_t nkvs;

void fake_kv_add(const char *device, const char *const *pairs)
{
	size_t n = 0;
	while (pairs[2 * n])
		n++;
	kvs[nkvs++] = (struct mirage_kv){device, pairs, n};
}

typedef int mirage_result; /* MIRAGE_OK 0, MIRAGE_NOT_FOUND 4 */

struct mirage_kv *mirage_kv_device(const char *name);
struct mirage_kv *mirage_kv_device(const char *name)
{
	for (size_t i = 0; i < nkvs; i++)
		if (!strcmp(kvs[i].name, name))
			return &kvs[i];
	return NULL;
}

const char *mirage_kv_device_name(size_t index);
const char *mirage_kv_device_name(size_t index)
{
	return index < nkvs ? kvs[index].name : NULL;
}

size_t mirage_kv_count(struct mirage_kv *kv);
size_t mirage_kv_count(struct mirage_kv *kv)
{
	return kv->n;
}

mirage_result mirage_kv_list(struct mirage_kv *kv, size_t index, const char **key);
mirage_result mirage_kv_list(struct mirage_kv *kv, size_t index, const char **key)
{
	if (index >= kv->n)
		return 4;
	*key = kv->pairs[2 * index];
	return 0;
}

mirage_result mirage_kv_get(struct mirage_kv *kv, const char *key, const void **data, size_t *len);
mirage_result mirage_kv_get(struct mirage_kv *kv, const char *key, const void **data, size_t *len)
{
	for (size_t i = 0; i < kv->n; i++)
		if (!strcmp(kv->pairs[2 * i], key)) {
			*data = kv->pairs[2 * i + 1];
			*len = strlen(kv->pairs[2 * i + 1]);
			return 0;
		}
	return 4;
}

/* the heap, as a platform gives it before anything runs */
static _Alignas(16) unsigned char heap[8 << 20];

__attribute__((constructor)) static void fake_heap(void)
{
	tl___mirage_heap_init(heap, sizeof(heap));
}
