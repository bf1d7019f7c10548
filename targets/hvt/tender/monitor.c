/* monitor.c: the monitor of hvt unikernels: options, loading, the core
 * hypercalls (clock, console, poll, exit, abort), then the run. It is the
 * whole of mirage-hvt (main.c) and runs inside mirage run too
 * (monitor.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"
#include "mirage_tls.h"
#include "monitor.h"

static const struct hvt_module *const modules[] = {&hvt_module_net, &hvt_module_block};
#define NMODULES (sizeof(modules) / sizeof(modules[0]))

static struct hvt_attachment attachments[MIRAGE_MAX_DEVICES];
static size_t nattachments;
static int epfd = -1;

void hvt_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mirage-hvt: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void hvt_hostile(struct hvt *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mirage-hvt: the unikernel broke the hvt ABI: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	h->done = true;
	h->status = HVT_STATUS_HOSTILE;
}

int hvt_attach(const char *name, const char *what, uint32_t type)
{
	for (size_t i = 0; i < nattachments; i++) {
		if (!strcmp(attachments[i].name, name)) {
			hvt_warn("device '%s' is attached twice", name);
			return -1;
		}
	}
	if (nattachments == MIRAGE_MAX_DEVICES) {
		hvt_warn("too many devices (at most %d)", MIRAGE_MAX_DEVICES);
		return -1;
	}
	attachments[nattachments++] = (struct hvt_attachment){name, what, type, -1, NULL};
	return 0;
}

struct hvt_attachment *hvt_attachments(size_t *n)
{
	*n = nattachments;
	return attachments;
}

struct hvt_device *hvt_boot_device(struct hvt *h, const char *name, uint32_t type)
{
	struct hvt_device *d = &h->devices[h->ndevices];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->type = type;
	d->handle = h->ndevices++;
	return d;
}

void hvt_publish_devices(struct hvt *h)
{
	memcpy(h->boot->devices, h->devices, sizeof(h->devices));
	h->boot->ndevices = h->ndevices;
}

const struct hvt_device *hvt_device(struct hvt *h, uint32_t handle, uint32_t type)
{
	if (handle >= h->ndevices || h->devices[handle].type != type)
		return NULL;
	return &h->devices[handle];
}

int hvt_register_pollfd(int fd, uint32_t handle)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = handle};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		hvt_warn("epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* --- the core hypercalls --- */

static void hc_walltime(struct hvt *h, uint64_t gpa)
{
	struct hvt_walltime *a = HVT_ARG(h, gpa, struct hvt_walltime);
	if (!a)
		return hvt_hostile(h, "walltime: argument outside guest memory");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	a->nsecs = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void hc_console(struct hvt *h, uint64_t gpa)
{
	/* the run loop has already written the buffer out */
	(void)h, (void)gpa;
}

volatile int hvt_stats_wanted;

void hvt_print_stats(const struct hvt *h)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "mirage-hvt: %llu VM exits\n",
			 (unsigned long long)h->exits);
	if (n > 0 && write(2, line, (size_t)n) < 0)
		return;
}

static void on_sigusr1(int sig)
{
	(void)sig;
	hvt_stats_wanted = 1;
}

uint64_t hvt_wait_input(uint64_t timeout_ns)
{
	struct timespec ts = {(time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u)};
	if (ts.tv_sec > 86400)
		ts.tv_sec = 86400;
	struct epoll_event ev[MIRAGE_MAX_DEVICES];
	int n = epoll_pwait2(epfd, ev, MIRAGE_MAX_DEVICES, &ts, NULL);
	uint64_t ready = 0;
	for (int i = 0; i < n; i++)
		ready |= 1ULL << ev[i].data.u32;
	return ready;
}

static void hc_exit(struct hvt *h, uint64_t gpa)
{
	struct hvt_exit *a = HVT_ARG(h, gpa, struct hvt_exit);
	if (!a)
		return hvt_hostile(h, "exit: argument outside guest memory");
	h->done = true;
	h->status = a->status & 0xff;
}

static void hc_abort(struct hvt *h, uint64_t gpa)
{
	struct hvt_abort *a = HVT_ARG(h, gpa, struct hvt_abort);
	if (!a)
		return hvt_hostile(h, "abort: argument outside guest memory");
	uint64_t len = a->len > 1024 ? 1024 : a->len;
	const char *msg = hvt_checked(h, a->message, len);
	if (!msg)
		return hvt_hostile(h, "abort: message outside guest memory");
	hvt_warn("the unikernel aborted: %.*s", (int)strnlen(msg, len), msg);
	h->done = true;
	h->status = HVT_STATUS_ABORT;
}

static void hc_random(struct hvt *h, uint64_t gpa)
{
	struct hvt_random *a = HVT_ARG(h, gpa, struct hvt_random);
	if (!a)
		return hvt_hostile(h, "random: argument outside guest memory");
	if (a->len > 4096)
		return hvt_hostile(h, "random: %llu bytes asked (at most 4096)",
				   (unsigned long long)a->len);
	uint8_t *p = hvt_checked(h, a->data, a->len);
	if (!p)
		return hvt_hostile(h, "random: buffer outside guest memory");
	for (uint64_t got = 0; got < a->len;) {
		ssize_t n = getrandom(p + got, a->len - got, 0);
		if (n <= 0) {
			hvt_warn("getrandom: %s", strerror(errno));
			h->done = true;
			h->status = HVT_STATUS_MONITOR;
			return;
		}
		got += (uint64_t)n;
	}
}

/* --- setup --- */

static void usage(FILE *f)
{
	fprintf(f, "usage: mirage-hvt [OPTIONS] UNIKERNEL.hvt [--] [ARGS...]\n"
		   "Runs an hvt unikernel in a KVM virtual machine.\n\n"
		   "  --mem=MB              guest memory in MiB (default 64, at most 3072;\n"
		   "                        at least what the unikernel needs: 2 for hello)\n");
	for (size_t i = 0; i < NMODULES; i++)
		modules[i]->usage(f);
	fprintf(f,
		"  --help                this help\n"
		"  --version             the monitor's and the ABI's version\n\n"
		"The unikernel's exit status is the monitor's; %d when it aborts, %d when it\n"
		"faults, %d when it breaks the hvt ABI, %d when the monitor itself fails.\n",
		HVT_STATUS_ABORT, HVT_STATUS_FAULT, HVT_STATUS_HOSTILE, HVT_STATUS_MONITOR);
}

static int parse_mem(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long mb = strtoull(s, &end, 10);
	if (errno || *end || end == s || mb < (HVT_MEM_MIN >> 20) || mb > (HVT_MEM_MAX >> 20)) {
		hvt_warn("--mem=%s: expected a number of MiB from %llu to %llu", s,
			 HVT_MEM_MIN >> 20, HVT_MEM_MAX >> 20);
		return -1;
	}
	*out = (uint64_t)mb << 20;
	return 0;
}

/* Whether mem holds what the image needs: itself from 1 MiB, its TLS block
 * (first in the heap), HVT_HEAP_MIN of heap, the guard page and the stack;
 * else says how much it needs. */
static int enough_memory(const struct elf_image *img, const char *path, uint64_t mem)
{
	uint64_t tls = 0;
	if (img->tls.memsz) {
		struct mirage_tls_layout l;
		mirage_tls_layout(1, img->tls.memsz, img->tls.align, &l);
		tls = l.size + l.align;
	}
	uint64_t image_end = (img->end + 0xfff) & ~0xfffULL;
	uint64_t need = image_end + tls + HVT_HEAP_MIN + HVT_GUARD_SIZE + HVT_STACK_SIZE;
	if (mem >= need)
		return 0;
	uint64_t mib = (need + (1 << 20) - 1) >> 20;
	hvt_warn("--mem=%llu: %s needs --mem=%llu at least (its image ends at %llu KiB, then %llu "
		 "KiB of thread-local storage, %llu KiB of heap at least, a %llu KiB stack)",
		 (unsigned long long)(mem >> 20), path, (unsigned long long)mib,
		 (unsigned long long)(image_end >> 10), (unsigned long long)(tls >> 10),
		 (unsigned long long)(HVT_HEAP_MIN >> 10),
		 (unsigned long long)(HVT_STACK_SIZE >> 10));
	return -1;
}

static uint8_t *read_image(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hvt_warn("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 30)) {
		hvt_warn("%s is not a regular file of at most 1 GiB", path);
		close(fd);
		return NULL;
	}
	uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		hvt_warn("cannot read %s", path);
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* Checks the attachments against the manifest, both ways. */
static int check_manifest(const struct elf_image *img, const char *path)
{
	int rc = 0;
	for (size_t i = 0; i < nattachments; i++) {
		const struct mirage_note_entry *e = NULL;
		for (uint32_t k = 0; k < img->ndevices && !e; k++)
			if (!strcmp(img->devices[k].name, attachments[i].name))
				e = &img->devices[k];
		if (!e) {
			hvt_warn("%s declares no device '%s'", path, attachments[i].name);
			rc = -1;
		} else if (e->type != attachments[i].type) {
			hvt_warn("device '%s' of %s is a %s device, not %s", attachments[i].name,
				 path, mirage_devtype_name(e->type),
				 mirage_devtype_name(attachments[i].type));
			rc = -1;
		}
	}
	for (uint32_t k = 0; k < img->ndevices; k++) {
		const struct mirage_note_entry *e = &img->devices[k];
		const char *flag = mirage_devtype_attach(e->type);
		if (!flag)
			continue;
		bool found = false;
		for (size_t i = 0; i < nattachments && !found; i++)
			found = !strcmp(attachments[i].name, e->name);
		if (!found) {
			hvt_warn("device '%s' (%s) is not attached: give --%s:%s=%s", e->name,
				 mirage_devtype_name(e->type), flag, e->name,
				 mirage_devtype_placeholder(e->type));
			rc = -1;
		}
	}
	return rc;
}

/* Writes argc/argv into guest memory: argv[0] is the image's name. */
static int write_args(struct hvt *h, const char *name, int argc, char **argv)
{
	uint64_t ptrs = HVT_ARGS_BASE;
	uint64_t strs = ptrs + (uint64_t)(argc + 2) * 8;
	uint64_t *vec = (uint64_t *)(h->mem + ptrs);
	for (int i = -1; i < argc; i++) {
		const char *s = i < 0 ? name : argv[i];
		size_t n = strlen(s) + 1;
		if (strs + n > HVT_ARGS_END) {
			hvt_warn("the unikernel's arguments are too long (at most %d bytes)",
				 HVT_ARGS_END - HVT_ARGS_BASE - 64);
			return -1;
		}
		memcpy(h->mem + strs, s, n);
		vec[i + 1] = strs;
		strs += n;
	}
	vec[argc + 1] = 0;
	h->boot->argc = (uint64_t)argc + 1;
	h->boot->argv = ptrs;
	return 0;
}

int hvt_monitor_main(int argc, char **argv)
{
	uint64_t mem = 64ULL << 20;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--version")) {
			printf("mirage-hvt %s (hvt ABI %d)\n", MIRAGE_VERSION, HVT_ABI_VERSION);
			return 0;
		}
		if (!strncmp(a, "--mem=", 6)) {
			if (parse_mem(a + 6, &mem) < 0)
				return HVT_STATUS_MONITOR;
			continue;
		}
		int taken = 0;
		for (size_t m = 0; m < NMODULES && !taken; m++)
			taken = modules[m]->option(a);
		if (taken < 0)
			return HVT_STATUS_MONITOR;
		if (!taken) {
			hvt_warn("unknown option '%s' (see --help)", a);
			return HVT_STATUS_MONITOR;
		}
	}
	if (i >= argc) {
		hvt_warn("no unikernel given (see --help)");
		return HVT_STATUS_MONITOR;
	}
	const char *path = argv[i++];
	if (i < argc && !strcmp(argv[i], "--"))
		i++;

	size_t len;
	uint8_t *file = read_image(path, &len);
	if (!file)
		return HVT_STATUS_MONITOR;
	struct hvt h;
	memset(&h, 0, sizeof(h));
	char err[256];
	int ok = 0;
	if (elf_parse(file, len, HVT_KERNEL_BASE, HVT_MEM_MAX - HVT_STACK_SIZE - HVT_GUARD_SIZE,
		      &h.image, err, sizeof(err)) < 0)
		hvt_warn("%s: %s", path, err);
	else if (check_manifest(&h.image, path) == 0 && enough_memory(&h.image, path, mem) == 0 &&
		 hvt_vm_create(&h, mem) == 0)
		ok = 1;
	if (!ok) {
		free(file); /* the image is refused: nothing is left behind */
		return HVT_STATUS_MONITOR;
	}
	elf_load(file, &h.image, h.mem);

	h.boot = (struct hvt_boot_info *)(h.mem + HVT_BOOT_INFO);
	h.boot->magic = HVT_BOOT_MAGIC;
	h.boot->abi_version = HVT_ABI_VERSION;
	h.boot->mem_size = mem;
	h.boot->heap_start = (h.image.end + 0xfff) & ~0xfffULL;
	h.boot->heap_end = hvt_stack_guard(&h);
	/* the one thread's TLS block, first in the heap: the guest at privilege
	 * level 3 cannot set its own FS base */
	uint64_t fs_base = 0;
	if (h.image.tls.memsz) {
		const struct elf_tls *t = &h.image.tls;
		struct mirage_tls_layout l;
		mirage_tls_layout(1, t->memsz, t->align, &l);
		uint64_t at = mirage_tls_round(h.boot->heap_start, l.align);
		if (at + l.size > h.boot->heap_end) {
			hvt_warn("%s: no room for its thread-local storage in %llu MiB", path,
				 (unsigned long long)(mem >> 20));
			free(file);
			return HVT_STATUS_MONITOR;
		}
		fs_base = mirage_tls_fill(1, &l, h.mem + at, at, file + t->offset, t->filesz);
		h.boot->heap_start = (at + l.size + 0xfff) & ~0xfffULL;
	}
	free(file);
	h.boot->tsc_hz = hvt_tsc_hz(&h);
	h.boot->console_buf = HVT_CONSOLE_BASE;
	h.boot->console_size = HVT_CONSOLE_SIZE;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (write_args(&h, base, argc - i, argv + i) < 0)
		return HVT_STATUS_MONITOR;

	hvt_register(HVT_WALLTIME, hc_walltime);
	hvt_register(HVT_CONSOLE, hc_console);
	hvt_register(HVT_EXIT, hc_exit);
	hvt_register(HVT_ABORT, hc_abort);
	hvt_register(HVT_RANDOM, hc_random);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		hvt_warn("epoll_create1: %s", strerror(errno));
		return HVT_STATUS_MONITOR;
	}
	for (size_t m = 0; m < NMODULES; m++)
		if (modules[m]->setup(&h) < 0)
			return HVT_STATUS_MONITOR;
	hvt_publish_devices(&h);
	if (hvt_vcpu_init(&h, h.image.entry, HVT_BOOT_INFO, mem, fs_base) < 0)
		return HVT_STATUS_MONITOR;
	if (getenv("MIRAGE_HVT_STATS")) {
		/* no SA_RESTART: KVM_RUN returns, and the run loop prints */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigusr1;
		sigaction(SIGUSR1, &sa, NULL);
	}
	if (hvt_seccomp() < 0)
		return HVT_STATUS_MONITOR;
	int status = hvt_vm_run(&h);
	if (getenv("MIRAGE_HVT_STATS"))
		hvt_print_stats(&h);
	return status;
}
