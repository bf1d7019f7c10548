/*
 * mirage_platform.h: the platform ABI. Each target implements these calls
 * (targets/<name>/); the common runtime (targets/common/) builds the user API
 * of mirage.h on them. User code MUST NOT call them.
 *
 * Boot: the platform MUST prepare its C environment (stack, zeroed .bss,
 * heap, console), then call mirage_main(argc, argv) with the boot arguments
 * (argv[0] is the unikernel's name, argv[argc] is NULL), then mirage_exit()
 * with its result (which ends in plat_exit()). Before mirage_main, it MUST refuse a device
 * attachment that the manifest (mirage_manifest in mirage_rt.h) does not declare with the same
 * type; a declared but unattached network or block device is refused when mirage_main initialises
 * it.
 */
#ifndef MIRAGE_PLATFORM_H
#define MIRAGE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirage_api.h"

/* Writes len bytes to the console; MUST write all of them before returning. */
void plat_console_write(const char *buf, size_t len);

/* Monotonic nanoseconds; MUST never decrease. */
uint64_t plat_clock_monotonic(void);
/* Wall-clock nanoseconds since the Unix epoch. */
uint64_t plat_clock_wall(void);

/* Waits until the monotonic clock reaches deadline or a network handle has
 * input. Returns the set of handles that may have input (bit h for handle h;
 * PLAT_READY_OTHER: a source of the platform's own, such as unix's sockets),
 * 0 when the deadline passed. MAY return early with 0. */
uint64_t plat_yield(uint64_t deadline);

/* Fills buf with entropy. */
mirage_result plat_random(void *buf, size_t len);

#define PLAT_MAX_HANDLES 63
#define PLAT_READY_OTHER (1ULL << 63)

struct plat_net_info {
	uint8_t mac[6];
	size_t mtu;
};
/* Opens the network device declared as name. MIRAGE_NOT_FOUND when it is not
 * attached; MIRAGE_EIO when it is attached but cannot be opened (a message
 * saying why MUST have been written to the console). handle < PLAT_MAX_HANDLES. */
mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info);
mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len);
mirage_result plat_net_write(unsigned handle, const void *buf, size_t len);

struct plat_block_info {
	uint64_t capacity; /* bytes, a whole number of sectors */
	size_t sector_size;
};
/* Opens the block device declared as name; the same results as
 * plat_net_acquire. */
mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info);
/* offset and len are checked by the caller: sector-aligned and in range. */
mirage_result plat_block_read(unsigned handle, uint64_t offset, void *buf, size_t len);
mirage_result plat_block_write(unsigned handle, uint64_t offset, const void *buf, size_t len);
mirage_result plat_block_flush(unsigned handle);

/* Ends the unikernel with status. */
_Noreturn void plat_exit(int status);

#endif
