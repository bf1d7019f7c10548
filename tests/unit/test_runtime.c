/* test_runtime.c: the common guest runtime (boot arguments, device API) on
 * the host, over a fake platform. Linked with targets/common/{args,devices}.c. */
#include <stdlib.h>

#include "fdt.h"
#include "mirage_platform.h"
#include "mirage_rt.h"
#include "unit.h"

/* --- the fake platform --- */

static char console[4096];
static size_t console_len;
static uint8_t disk[512 * 8];

void plat_console_write(const char *buf, size_t len)
{
	if (console_len + len < sizeof(console)) {
		memcpy(console + console_len, buf, len);
		console_len += len;
		console[console_len] = '\0';
	}
}

uint64_t plat_clock_monotonic(void)
{
	static uint64_t t;
	return t += 1000;
}

uint64_t plat_clock_wall(void)
{
	return 0;
}

uint64_t plat_yield(uint64_t deadline)
{
	(void)deadline;
	return 0;
}

mirage_result plat_random(void *buf, size_t len)
{
	memset(buf, 4, len);
	return MIRAGE_OK;
}

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	(void)name, (void)handle, (void)info;
	return MIRAGE_NOT_FOUND;
}

mirage_result plat_net_read(unsigned h, void *buf, size_t size, size_t *len)
{
	(void)h, (void)buf, (void)size, (void)len;
	return MIRAGE_AGAIN;
}

mirage_result plat_net_write(unsigned h, const void *buf, size_t len)
{
	(void)h, (void)buf, (void)len;
	return MIRAGE_OK;
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	if (strcmp(name, "disk"))
		return MIRAGE_NOT_FOUND;
	*handle = 0;
	info->capacity = sizeof(disk);
	info->sector_size = 512;
	return MIRAGE_OK;
}

mirage_result plat_block_read(unsigned h, uint64_t off, void *buf, size_t len)
{
	(void)h;
	memcpy(buf, disk + off, len);
	return MIRAGE_OK;
}

mirage_result plat_block_write(unsigned h, uint64_t off, const void *buf, size_t len)
{
	(void)h;
	memcpy(disk + off, buf, len);
	return MIRAGE_OK;
}

mirage_result plat_block_flush(unsigned h)
{
	(void)h;
	return MIRAGE_OK;
}

void plat_exit(int status)
{
	exit(status);
}

/* the C library's part of mirage_exit: nothing registered here */
void __libc_run_atexit(void)
{
}

static const struct mirage_note_entry entries[] = {{"disk", MIRAGE_DEV_BLOCK}};
const struct mirage_manifest mirage_manifest = {"test", 1, entries};

int mirage_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

/* --- the tests --- */

struct args {
	const char *who;
	int64_t n;
	bool loud;
	int64_t req;
};

static const struct mirage_arg_spec specs[] = {
    {"who", MIRAGE_ARG_STRING, true, "world", 0, false, "who", offsetof(struct args, who)},
    {"n", MIRAGE_ARG_INT, true, NULL, 7, false, NULL, offsetof(struct args, n)},
    {"loud", MIRAGE_ARG_BOOL, true, NULL, 0, false, NULL, offsetof(struct args, loud)},
    {"req", MIRAGE_ARG_INT, false, NULL, 0, false, "needed", offsetof(struct args, req)},
};

static int parse(struct args *a, int argc, const char **argv)
{
	console_len = 0;
	console[0] = '\0';
	return mirage_args_parse("test", specs, 4, a, argc, (char **)argv);
}

TEST(args_defaults_and_values)
{
	struct args a;
	const char *v1[] = {"test", "--req=1", NULL};
	CHECK(parse(&a, 2, v1) == MIRAGE_ARGS_OK);
	CHECK_STR(a.who, "world");
	CHECK(a.n == 7 && !a.loud && a.req == 1);
	const char *v2[] = {"test",   "--who=",	    "--n=-9223372036854775808",
			    "--loud", "--req=0x10", NULL};
	CHECK(parse(&a, 5, v2) == MIRAGE_ARGS_OK);
	CHECK_STR(a.who, "");
	CHECK(a.n == INT64_MIN && a.loud && a.req == 16);
	const char *v3[] = {"test", "--loud=false", "--req=3", "--who=a=b", NULL};
	CHECK(parse(&a, 4, v3) == MIRAGE_ARGS_OK);
	CHECK(!a.loud);
	CHECK_STR(a.who, "a=b");
}

TEST(args_errors)
{
	struct args a;
	const char *bad[][3] = {
	    {"--n=abc", "boot argument --n: 'abc' is not a 64-bit integer"},
	    {"--n=9223372036854775808", "is not a 64-bit integer"},
	    {"--n=", "is not a 64-bit integer"},
	    {"--n", "boot argument --n needs a value (--n=INT)"},
	    {"--req=2", "boot argument --req is given twice"},
	    {"--lodu", "unknown boot argument '--lodu' (did you mean '--loud'?)"},
	    {"--loud=yes", "--loud: 'yes' is not true or false"},
	    {"--nope=1", "unknown boot argument '--nope'"},
	    {"--who", "--who needs a value"},
	    {"positional", "unexpected boot argument 'positional'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *v[] = {"test", "--req=1", bad[i][0], NULL};
		CHECK(parse(&a, 3, v) == MIRAGE_ARGS_ERROR);
		CHECK(strstr(console, bad[i][1]) != NULL);
	}
	const char *v[] = {"test", NULL};
	CHECK(parse(&a, 1, v) == MIRAGE_ARGS_ERROR);
	CHECK(strstr(console, "missing required boot argument --req=INT") != NULL);
}

TEST(args_help)
{
	struct args a;
	const char *v[] = {"test", "--help", NULL};
	CHECK(parse(&a, 2, v) == MIRAGE_ARGS_HELP);
	CHECK(strstr(console, "--who=STRING") && strstr(console, "(default: \"world\")"));
	CHECK(strstr(console, "--loud[=BOOL]") && strstr(console, "(required)"));
}

TEST(args_split)
{
	char line[] = "/boot/kernel  --who=\"a b\" --n=3\t\"\" x";
	char *argv[8];
	int argc = mirage_args_split(line, 1, argv, 7);
	CHECK(argc == 5);
	CHECK_STR(argv[0], "test");
	CHECK_STR(argv[1], "--who=a b");
	CHECK_STR(argv[2], "--n=3");
	CHECK_STR(argv[3], "");
	CHECK_STR(argv[4], "x");
	CHECK(argv[5] == NULL);
	char many[] = "a b c d e f";
	CHECK(mirage_args_split(many, 0, argv, 3) == 3 && argv[3] == NULL);
	char empty[] = "   ";
	CHECK(mirage_args_split(empty, 1, argv, 7) == 1 && argv[1] == NULL);
}

TEST(fdt)
{
	/* the device tree QEMU -M virt gave a kernel run with
	 * -m 128 -append "--times=2 --greeting=x" (tests/fuzz/corpus/fdt) */
	static uint8_t buf[16384];
	FILE *f = fopen("tests/fuzz/corpus/fdt/virt.dtb", "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	CHECK(n > 1000);
	char cmdline[64] = "";
	uint64_t base = 0, size = 0;
	fdt_read(buf, n, cmdline, sizeof(cmdline), &base, &size);
	CHECK_STR(cmdline, "--times=2 --greeting=x");
	CHECK(base == 0x40000000 && size == 128 << 20);
	char small[8] = "";
	fdt_read(buf, n, small, sizeof(small), &base, &size);
	CHECK_STR(small, "--times");
	/* a tree that says it is longer than the buffer is not read */
	char none[16] = "";
	base = size = 0;
	fdt_read(buf, 100, none, sizeof(none), &base, &size);
	CHECK(!none[0] && !size);
}

TEST(block_contract)
{
	struct mirage_block *b;
	CHECK(mirage_block_init("disk", &b) == MIRAGE_OK);
	CHECK(mirage_block_size(b) == sizeof(disk));
	uint8_t buf[1024];
	memset(buf, 0xab, sizeof(buf));
	CHECK(mirage_block_write(b, 512, buf, 1024) == MIRAGE_OK);
	CHECK(disk[512] == 0xab && disk[1535] == 0xab && disk[1536] == 0);
	CHECK(mirage_block_read(b, 1, buf, 512) == MIRAGE_INVALID);
	CHECK(mirage_block_read(b, 0, buf, 100) == MIRAGE_INVALID);
	CHECK(mirage_block_read(b, sizeof(disk), buf, 512) == MIRAGE_INVALID);
	CHECK(mirage_block_read(b, UINT64_MAX - 511, buf, 512) == MIRAGE_INVALID);
	CHECK(mirage_block_read(b, sizeof(disk) - 512, buf, 512) == MIRAGE_OK);
	CHECK(mirage_block_read(b, 0, buf, 0) == MIRAGE_OK);
	struct mirage_block *none;
	CHECK(mirage_block_init("other", &none) == MIRAGE_NOT_FOUND);
	console_len = 0;
	CHECK(mirage_device_failed("other", MIRAGE_DEV_BLOCK, MIRAGE_NOT_FOUND) ==
	      MIRAGE_EXIT_DEVICE);
	CHECK(strstr(console, "device 'other' (block) failed to initialise: not attached"));
}

TEST(kv)
{
	static const unsigned char a[] = "A", b[] = "BB";
	static const struct mirage_kv_entry e[] = {{"a", a, 1}, {"dir/b", b, 2}, {"dir/c", b, 0}};
	static const struct mirage_kv_data data = {3, e};
	struct mirage_kv *kv;
	CHECK(mirage_kv_init("files", &data, &kv) == MIRAGE_OK);
	CHECK(mirage_kv_count(kv) == 3);
	const void *p;
	size_t len;
	CHECK(mirage_kv_get(kv, "dir/b", &p, &len) == MIRAGE_OK && len == 2 && p == b);
	CHECK(mirage_kv_get(kv, "dir/c", &p, &len) == MIRAGE_OK && len == 0);
	CHECK(mirage_kv_get(kv, "a", &p, &len) == MIRAGE_OK && len == 1);
	CHECK(mirage_kv_get(kv, "dir", &p, &len) == MIRAGE_NOT_FOUND);
	CHECK(mirage_kv_size(kv, "zzz", &len) == MIRAGE_NOT_FOUND);
	const char *key;
	CHECK(mirage_kv_list(kv, 1, &key) == MIRAGE_OK && !strcmp(key, "dir/b"));
	CHECK(mirage_kv_list(kv, 3, &key) == MIRAGE_NOT_FOUND);
}

TEST(log_and_strerror)
{
	console_len = 0;
	mirage_log("x=%d", 5);
	CHECK(strstr(console, "] x=5\n") != NULL && console[0] == '[');
	CHECK_STR(mirage_strerror(MIRAGE_AGAIN), "try again");
}

int main(void)
{
	RUN(args_defaults_and_values);
	RUN(args_errors);
	RUN(args_help);
	RUN(args_split);
	RUN(fdt);
	RUN(block_contract);
	RUN(kv);
	RUN(log_and_strerror);
	return unit_failures != 0;
}
