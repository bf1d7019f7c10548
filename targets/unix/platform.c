/* platform.c: the platform ABI for the unix target, a unikernel as a static
 * Linux process with no C library but mirage's, over raw system calls
 * (syscall.h). The executable's command line is
 *     NAME [--net:DEV=TAPIFACE] [--block:DEV=FILE] [--] [BOOT ARGUMENTS]
 * console: standard output; clocks: clock_gettime; random: getrandom;
 * network: a tap interface through /dev/net/tun; block: a file; yield:
 * ppoll; heap: an anonymous mapping. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <asm/errno.h>
#include <asm/poll.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <asm/stat.h>
#include <asm/ucontext.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <linux/fcntl.h>
#include <linux/if_tun.h>
#include <linux/ioctl.h>
#include <linux/mman.h>
#include <linux/sockios.h>
#include <linux/time.h>
#include <linux/time_types.h>

#include "mirage_platform.h"
#include "mirage_rt.h"
#include "syscall.h"
#include "unix.h"

#define SECTOR_SIZE 512
#define NET_MTU	    1500
/* the heap is reserved, not committed: pages are had as they are touched */
#define HEAP_MAX (1ULL << 30)
#define HEAP_MIN (16ULL << 20)
/* linux/if.h's IFNAMSIZ and struct ifreq (that header wants a C library's
 * sys/socket.h): a name, then a union of 24 bytes */
#define IFNAMSIZ 16
struct ifreq {
	char name[IFNAMSIZ];
	union {
		short flags;
		int ifindex;
		char pad[24];
	} u;
};

void __mirage_heap_init(void *start, size_t len);
void unix_start(long *sp);
void unix_sigreturn(void);

struct attachment {
	const char *device; /* declared name */
	const char *what;   /* tap interface or file */
	enum mirage_devtype type;
	int fd; /* once acquired, else -1 */
	uint64_t capacity;
};

static struct attachment attached[PLAT_MAX_HANDLES];
static size_t nattached;
static uint64_t base_time; /* the monotonic clock at start */
static const char *progname = "unikernel";

static uint64_t clock_ns(int id)
{
	struct __kernel_timespec ts = {0, 0};
	sys2(__NR_clock_gettime, id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Writes all of buf to fd. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long n = sys3(__NR_write, fd, buf, len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A message of the platform on standard error: "NAME: ...". */
static void fail(const char *fmt, ...)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s: ", progname);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg + n, sizeof(msg) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(msg) - 2)
		len = sizeof(msg) - 2;
	msg[len++] = '\n';
	write_all(2, msg, len);
}

static const char *error_text(long err)
{
	return strerror((int)-err);
}

static struct attachment *find_attachment(const char *device)
{
	for (size_t i = 0; i < nattached; i++)
		if (!strcmp(attached[i].device, device))
			return &attached[i];
	return NULL;
}

/* Takes "--FLAG:DEV=WHAT" for the attach flag of a device type ("--net:",
 * "--block:"); returns 0, or -1 after a message. The string is kept (argv
 * lives as long as the process). */
static int attach(char *arg, int type, char *spec)
{
	char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		fail("malformed attachment '%s' (expected --%s:DEVICE=%s)", arg,
		     mirage_devtype_attach((unsigned)type),
		     mirage_devtype_placeholder((unsigned)type));
		return -1;
	}
	*eq = '\0';
	const struct mirage_note_entry *e = mirage_manifest_find(spec);
	if (!e) {
		fail("device '%s' is attached but not declared in the unikernel", spec);
		return -1;
	}
	if (e->type != (unsigned)type) {
		fail("device '%s' is a %s device, not %s", spec, mirage_devtype_name(e->type),
		     mirage_devtype_name((unsigned)type));
		return -1;
	}
	if (find_attachment(spec)) {
		fail("device '%s' is attached twice", spec);
		return -1;
	}
	if (nattached == PLAT_MAX_HANDLES) {
		fail("too many attachments");
		return -1;
	}
	attached[nattached++] = (struct attachment){spec, eq + 1, (enum mirage_devtype)type, -1, 0};
	return 0;
}

/* A fault is reported (what, where) and ends the process with
 * MIRAGE_EXIT_CRASH, as on the other targets, from a stack of its own so
 * that a stack overflow is reported too. */
static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	const struct ucontext *uc = ctx;
#if defined(__x86_64__)
	uint64_t pc = uc->uc_mcontext.rip, sp = uc->uc_mcontext.rsp;
#else
	uint64_t pc = uc->uc_mcontext.pc, sp = uc->uc_mcontext.sp;
#endif
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	const char *what = sig == SIGSEGV   ? "segmentation fault"
			   : sig == SIGBUS  ? "bus error"
			   : sig == SIGILL  ? "illegal instruction"
			   : sig == SIGTRAP ? "breakpoint"
					    : "arithmetic exception";
	bool overflow = sig == SIGSEGV && addr < sp + 4096 && sp - addr < (1 << 20);
	char msg[256];
	int n = snprintf(msg, sizeof(msg),
			 "%s: the unikernel faulted: %s at pc 0x%llx, address 0x%llx%s\n", progname,
			 what, (unsigned long long)pc, (unsigned long long)addr,
			 overflow ? ": the stack overflowed" : "");
	if (n > 0)
		write_all(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	sys1(__NR_exit_group, MIRAGE_EXIT_CRASH);
}

static void catch_faults(void)
{
	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_flags = 0, .ss_size = sizeof(altstack)};
	sys2(__NR_sigaltstack, &ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = (__sighandler_t)(void (*)(void))on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_RESTORER;
	sa.sa_restorer = unix_sigreturn;
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sys4(__NR_rt_sigaction, sigs[i], &sa, NULL, sizeof(sa.sa_mask));
}

/* The heap: the largest anonymous reservation had, from HEAP_MAX down. */
static void heap_init(void)
{
	for (uint64_t len = HEAP_MAX; len >= HEAP_MIN; len /= 2) {
		long p = sys6(__NR_mmap, 0, (long)len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p > 0 || p < -4095) {
			__mirage_heap_init((void *)p, len);
			return;
		}
	}
	fail("cannot map a heap of %llu MiB", (unsigned long long)(HEAP_MIN >> 20));
	sys1(__NR_exit_group, MIRAGE_EXIT_DEVICE);
}

/* The thread-local storage, when the executable has any: its TLS segment
 * found through the program headers the kernel gives (auxv, after the
 * environment), the thread pointer set. */
static void tls_init(char **envp)
{
	while (*envp)
		envp++;
	const Elf64_Phdr *ph = NULL;
	unsigned long phnum = 0;
	for (unsigned long *av = (unsigned long *)(envp + 1); av[0] != AT_NULL; av += 2) {
		if (av[0] == AT_PHDR)
			ph = (const Elf64_Phdr *)av[1];
		else if (av[0] == AT_PHNUM)
			phnum = av[1];
	}
	for (unsigned long i = 0; ph && i < phnum; i++) {
		if (ph[i].p_type != PT_TLS)
			continue;
		uint64_t tp = mirage_tls_init((const void *)ph[i].p_vaddr, ph[i].p_filesz,
					      ph[i].p_memsz, ph[i].p_align ? ph[i].p_align : 1);
#if defined(__x86_64__)
		sys2(__NR_arch_prctl, 0x1002 /* ARCH_SET_FS */, tp);
#else
		__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp));
#endif
	}
}

/* Called by _start with the initial stack: argc, argv..., NULL, envp... */
void unix_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	progname = mirage_manifest.unikernel;
	catch_faults();
	heap_init();
	tls_init(argv + argc + 1);
	base_time = clock_ns(CLOCK_MONOTONIC);
	int a = 1;
	for (; a < argc; a++) {
		if (!strcmp(argv[a], "--")) {
			a++;
			break;
		}
		const char *rest;
		int type = mirage_devtype_attach_option(argv[a], &rest);
		if (type < 0)
			break;
		if (attach(argv[a], type, argv[a] + (rest - argv[a])) < 0)
			plat_exit(MIRAGE_EXIT_DEVICE);
	}
	static char *none[2];
	if (argc == 0) /* started without even a name */
		argc = 1, argv = none;
	/* argv[a - 1] becomes the new argv[0] */
	argv[a - 1] = (char *)mirage_manifest.unikernel;
	mirage_exit(mirage_main(argc - a + 1, argv + a - 1));
}

void plat_console_write(const char *buf, size_t len)
{
	write_all(1, buf, len);
}

uint64_t plat_clock_monotonic(void)
{
	/* time since the unikernel started, as on the other targets */
	return clock_ns(CLOCK_MONOTONIC) - base_time;
}

uint64_t plat_clock_wall(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t plat_yield(uint64_t deadline)
{
	/* the tap interfaces, then the sockets of the tcpip devices */
	enum { MAX_SOCKETS = 1024 };
	struct pollfd fds[PLAT_MAX_HANDLES + MAX_SOCKETS];
	unsigned handle_of[PLAT_MAX_HANDLES];
	unsigned n = 0;
	for (size_t i = 0; i < nattached; i++) {
		if (attached[i].type != MIRAGE_DEV_NET || attached[i].fd < 0)
			continue;
		fds[n] = (struct pollfd){.fd = attached[i].fd, .events = POLLIN, .revents = 0};
		handle_of[n++] = (unsigned)i;
	}
	unsigned taps = n;
	n += (unsigned)unix_sockets_pollfds(fds + n, MAX_SOCKETS);
	uint64_t now = plat_clock_monotonic();
	uint64_t wait = deadline > now ? deadline - now : 0;
	struct __kernel_timespec ts = {(long long)(wait / 1000000000u),
				       (long long)(wait % 1000000000u)};
	long rc = sys5(__NR_ppoll, fds, n, &ts, NULL, 0);
	if (rc <= 0)
		return 0;
	uint64_t ready = 0;
	for (unsigned i = 0; i < taps; i++)
		if (fds[i].revents & POLLIN)
			ready |= (uint64_t)1 << handle_of[i];
	for (unsigned i = taps; i < n; i++)
		if (fds[i].revents)
			ready |= PLAT_READY_OTHER;
	return ready;
}

mirage_result plat_random(void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		long n = sys3(__NR_getrandom, p, len, 0);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return MIRAGE_EIO;
		p += n;
		len -= (size_t)n;
	}
	return MIRAGE_OK;
}

static struct attachment *acquire(const char *name, enum mirage_devtype type, unsigned *handle)
{
	struct attachment *at = find_attachment(name);
	if (!at || at->type != type)
		return NULL;
	*handle = (unsigned)(at - attached);
	return at;
}

/* Whether a network interface of that name exists (TUNSETIFF would create a
 * tap connected to nothing). */
static bool interface_exists(const char *name)
{
	long s = sys3(__NR_socket, 2 /* AF_INET */, 2 /* SOCK_DGRAM */ | O_CLOEXEC, 0);
	if (s < 0)
		return true; /* cannot tell: TUNSETIFF will say */
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, name);
	long rc = sys3(__NR_ioctl, s, SIOCGIFINDEX, &ifr);
	sys1(__NR_close, s);
	return rc == 0;
}

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	struct attachment *at = acquire(name, MIRAGE_DEV_NET, handle);
	if (!at)
		return MIRAGE_NOT_FOUND;
	if (strlen(at->what) >= IFNAMSIZ) {
		fail("device '%s': interface name '%s' is too long", name, at->what);
		return MIRAGE_EIO;
	}
	if (!interface_exists(at->what)) {
		fail("device '%s': tap '%s' does not exist", name, at->what);
		return MIRAGE_EIO;
	}
	long fd = sys4(__NR_openat, AT_FDCWD, "/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
	if (fd < 0) {
		fail("device '%s': cannot open /dev/net/tun: %s", name, error_text(fd));
		return MIRAGE_EIO;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.u.flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.name, at->what);
	long rc = sys3(__NR_ioctl, fd, TUNSETIFF, &ifr);
	if (rc < 0) {
		fail("device '%s': cannot attach to tap interface '%s': %s", name, at->what,
		     error_text(rc));
		sys1(__NR_close, fd);
		return MIRAGE_EIO;
	}
	at->fd = (int)fd;
	/* a random, locally administered, unicast address */
	if (plat_random(info->mac, 6) != MIRAGE_OK)
		memcpy(info->mac, "\x02\x00\x00\x00\x00\x01", 6);
	info->mac[0] = (uint8_t)((info->mac[0] & 0xfe) | 0x02);
	info->mtu = NET_MTU;
	return MIRAGE_OK;
}

mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len)
{
	long n = sys3(__NR_read, attached[handle].fd, buf, size);
	if (n < 0)
		return n == -EAGAIN || n == -EINTR ? MIRAGE_AGAIN : MIRAGE_EIO;
	*len = (size_t)n;
	return MIRAGE_OK;
}

mirage_result plat_net_write(unsigned handle, const void *buf, size_t len)
{
	long n;
	do
		n = sys3(__NR_write, attached[handle].fd, buf, len);
	while (n == -EINTR);
	return n == (long)len ? MIRAGE_OK : MIRAGE_EIO;
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	struct attachment *at = acquire(name, MIRAGE_DEV_BLOCK, handle);
	if (!at)
		return MIRAGE_NOT_FOUND;
	long fd = sys4(__NR_openat, AT_FDCWD, at->what, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		fail("device '%s': cannot open %s: %s", name, at->what, error_text(fd));
		return MIRAGE_EIO;
	}
	struct stat st;
	if (sys2(__NR_fstat, fd, &st) < 0 || (st.st_mode & 0170000) != 0100000) {
		fail("device '%s': %s is not a regular file", name, at->what);
		sys1(__NR_close, fd);
		return MIRAGE_EIO;
	}
	uint64_t size = (uint64_t)st.st_size;
	at->fd = (int)fd;
	at->capacity = size / SECTOR_SIZE * SECTOR_SIZE;
	if (size != at->capacity)
		fail("device '%s': %s is %llu bytes, not a whole number of %d-byte sectors: the "
		     "last %llu are not used",
		     name, at->what, (unsigned long long)size, SECTOR_SIZE,
		     (unsigned long long)(size % SECTOR_SIZE));
	info->capacity = at->capacity;
	info->sector_size = SECTOR_SIZE;
	return MIRAGE_OK;
}

/* Moves len bytes between a block device's file and buf. */
static mirage_result block_rw(unsigned handle, uint64_t offset, char *p, size_t len, bool write)
{
	while (len) {
		long n = sys4(write ? __NR_pwrite64 : __NR_pread64, attached[handle].fd, p, len,
			      (long)offset);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return MIRAGE_EIO;
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return MIRAGE_OK;
}

mirage_result plat_block_read(unsigned handle, uint64_t offset, void *buf, size_t len)
{
	return block_rw(handle, offset, buf, len, false);
}

mirage_result plat_block_write(unsigned handle, uint64_t offset, const void *buf, size_t len)
{
	return block_rw(handle, offset, (char *)buf, len, true);
}

mirage_result plat_block_flush(unsigned handle)
{
	return sys1(__NR_fdatasync, attached[handle].fd) == 0 ? MIRAGE_OK : MIRAGE_EIO;
}

void plat_exit(int status)
{
	for (;;)
		sys1(__NR_exit_group, status & 0xff);
}
