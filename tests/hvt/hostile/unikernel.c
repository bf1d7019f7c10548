/* hostile: raw hypercalls with bad pointers, lengths, handles and numbers.
 * Each --test names the monitor's expected answer in tests/hvt/run. */
#include <hvt_abi.h>
#include <mirage.h>
#include <stdio.h>
#include <string.h>

static void out(unsigned port, uint64_t value)
{
	__asm__ __volatile__("outl %0, %1"
			     :
			     : "a"((uint32_t)value), "d"((uint16_t)port)
			     : "memory");
}

static struct hvt_boot_info *boot_info(void)
{
	/* the monitor's layout (hvt.h): not part of the ABI, but stable enough
	 * for a test that checks the magic first */
	struct hvt_boot_info *b = (struct hvt_boot_info *)0x11000;
	return b->magic == HVT_BOOT_MAGIC ? b : NULL;
}

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	struct hvt_boot_info *b = boot_info();
	if (!b) {
		printf("hostile: no boot info\n");
		return 2;
	}
	uint64_t mem = b->mem_size;
	uint32_t disk = b->devices[0].handle;
	const char *c = args->test;
	static uint8_t buf[4096];
	printf("hostile: case %s\n", c);
	if (!strcmp(c, "arg-outside")) {
		out(HVT_PORT(HVT_WALLTIME), mem + 4096);
	} else if (!strcmp(c, "arg-straddle")) {
		out(HVT_PORT(HVT_WALLTIME), mem - 4);
	} else if (!strcmp(c, "buffer-outside")) {
		static struct hvt_block_io io;
		io = (struct hvt_block_io){disk, 0, 0, mem - 512, 1024};
		out(HVT_PORT(HVT_BLOCK_READ), (uintptr_t)&io);
	} else if (!strcmp(c, "length-wraps")) {
		static struct hvt_block_io io;
		io = (struct hvt_block_io){disk, 0, 0, (uintptr_t)buf, UINT64_MAX - 511};
		out(HVT_PORT(HVT_BLOCK_WRITE), (uintptr_t)&io);
		printf("hostile: block write of 2^64 bytes: ret %u\n", io.ret);
		static struct hvt_block_io bio;
		bio = (struct hvt_block_io){disk, 0, 512, (uintptr_t)buf, UINT64_MAX - 511};
		out(HVT_PORT(HVT_BLOCK_READ), (uintptr_t)&bio);
		printf("hostile: block read past the disk: ret %u\n", bio.ret);
		return io.ret == HVT_EINVAL && bio.ret == HVT_EINVAL ? 3 : 4;
	} else if (!strcmp(c, "bad-handle")) {
		static struct hvt_block_io io;
		io = (struct hvt_block_io){31, 0, 0, (uintptr_t)buf, 512};
		out(HVT_PORT(HVT_BLOCK_READ), (uintptr_t)&io);
	} else if (!strcmp(c, "wrong-handle-type")) {
		static struct hvt_frame f;
		static struct hvt_netio io;
		f = (struct hvt_frame){(uintptr_t)buf, 64, disk};
		io = (struct hvt_netio){(uintptr_t)&f, 0, 1, 0, 0, 0, 0, 0};
		out(HVT_PORT(HVT_NETIO), (uintptr_t)&io);
	} else if (!strcmp(c, "netio-too-many")) {
		static struct hvt_netio io;
		io = (struct hvt_netio){0, (uintptr_t)buf, 0, HVT_NETIO_MAX + 1, 0, 0, 0, 0};
		out(HVT_PORT(HVT_NETIO), (uintptr_t)&io);
	} else if (!strcmp(c, "netio-short-buffer")) {
		static struct hvt_frame f;
		static struct hvt_netio io;
		f = (struct hvt_frame){(uintptr_t)buf, 100, 0};
		io = (struct hvt_netio){0, (uintptr_t)&f, 0, 1, 0, 0, 0, 0};
		out(HVT_PORT(HVT_NETIO), (uintptr_t)&io);
	} else if (!strcmp(c, "netio-list-outside")) {
		static struct hvt_netio io;
		io = (struct hvt_netio){mem - 8, 0, 1, 0, 0, 0, 0, 0};
		out(HVT_PORT(HVT_NETIO), (uintptr_t)&io);
	} else if (!strcmp(c, "retired-hypercall")) {
		out(HVT_PORT(3), (uintptr_t)buf);
	} else if (!strcmp(c, "unknown-hypercall")) {
		out(HVT_PORT(0), 0);
	} else if (!strcmp(c, "unknown-port")) {
		out(HVT_PORT(HVT_HYPERCALL_MAX), 0);
	} else if (!strcmp(c, "closed-port")) {
		out(0x3f8, 'x');
	} else if (!strcmp(c, "console-length")) {
		b->console_len = UINT64_MAX;
		out(HVT_PORT(HVT_CONSOLE), 0);
		printf("hostile: still running\n");
		return 0;
	} else if (!strcmp(c, "null")) {
		*(volatile int *)0 = 1;
	} else if (!strcmp(c, "abort")) {
		static const char msg[] = "on purpose";
		static struct hvt_abort a = {0, sizeof(msg)};
		a.message = (uintptr_t)msg;
		out(HVT_PORT(HVT_ABORT), (uintptr_t)&a);
	} else if (!strcmp(c, "abort-outside")) {
		static struct hvt_abort a;
		a = (struct hvt_abort){mem - 10, 100};
		out(HVT_PORT(HVT_ABORT), (uintptr_t)&a);
	} else if (!strcmp(c, "random-huge")) {
		static struct hvt_random r;
		r = (struct hvt_random){(uintptr_t)buf, 1 << 20};
		out(HVT_PORT(HVT_RANDOM), (uintptr_t)&r);
	} else if (!strcmp(c, "spoof-devices")) {
		/* the boot info is the guest's to scribble on: a bigger disk, a
		 * network device turned block, more devices than there are */
		b->devices[0].capacity = 1ULL << 40;
		b->devices[1].type = MIRAGE_DEV_BLOCK;
		b->ndevices = MIRAGE_MAX_DEVICES;
		static struct hvt_block_io io;
		io = (struct hvt_block_io){disk, 0, 1ULL << 39, (uintptr_t)buf, 512};
		out(HVT_PORT(HVT_BLOCK_WRITE), (uintptr_t)&io);
		printf("hostile: write past the real disk: ret %u\n", io.ret);
		if (io.ret != HVT_EINVAL)
			return 5;
		io = (struct hvt_block_io){1, 0, 0, (uintptr_t)buf, 512};
		out(HVT_PORT(HVT_BLOCK_READ), (uintptr_t)&io);
	} else if (!strcmp(c, "poll-forever")) {
		/* a timeout past a day: capped, and --timeout on mirage run ends it */
		static struct hvt_netio io = {0, 0, 0, 0, UINT64_MAX, 0, 0, 0};
		out(HVT_PORT(HVT_NETIO), (uintptr_t)&io);
	} else {
		printf("hostile: unknown case\n");
		return 2;
	}
	printf("hostile: the monitor let it pass\n");
	return 1;
}
