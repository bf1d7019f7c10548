/* platform.c: the platform ABI for the unix target, a unikernel as a Linux
 * process. The executable's command line is
 *     NAME [--net:DEV=TAPIFACE] [--block:DEV=FILE] [--] [BOOT ARGUMENTS]
 * console: stdout; clocks: clock_gettime; random: getrandom; network: a tap
 * interface through /dev/net/tun; block: a file; yield: ppoll. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "mirage_platform.h"
#include "mirage_rt.h"

#define SECTOR_SIZE 512
#define NET_MTU	    1500

struct attachment {
	const char *device; /* declared name */
	const char *what;   /* tap interface or file */
	enum mirage_devtype type;
	int fd; /* once acquired, else -1 */
	uint64_t capacity;
};

static struct attachment attached[PLAT_MAX_HANDLES];
static uint64_t base_time; /* the monotonic clock at start */

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
static size_t nattached;
static const char *progname = "unikernel";

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
 * that a stack overflow is reported too. Only async-signal-safe calls. */
static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	const ucontext_t *uc = ctx;
#if defined(__x86_64__)
	uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	uint64_t sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	uint64_t pc = uc->uc_mcontext.pc, sp = uc->uc_mcontext.sp;
#else
	uint64_t pc = 0, sp = 0;
#endif
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	const char *what = sig == SIGSEGV  ? "segmentation fault"
			   : sig == SIGBUS ? "bus error"
			   : sig == SIGILL ? "illegal instruction"
					   : "arithmetic exception";
	bool overflow = sig == SIGSEGV && addr < sp + 4096 && sp - addr < (1 << 20);
	char msg[256];
	int n = snprintf(msg, sizeof(msg),
			 "%s: the unikernel faulted: %s at pc 0x%llx, address 0x%llx%s\n", progname,
			 what, (unsigned long long)pc, (unsigned long long)addr,
			 overflow ? ": the stack overflowed" : "");
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	_exit(MIRAGE_EXIT_CRASH);
}

static void catch_faults(void)
{
	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* abort() of the C library: reported as mirage_abort does. */
static void on_abort(int sig)
{
	(void)sig;
	fflush(stdout);
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "%s: abort\n", progname);
	if (n > 0 && write(STDOUT_FILENO, msg, (size_t)n) < 0)
		n = 0;
	_exit(MIRAGE_EXIT_ABORT);
}

/* mirage run may end the unikernel with SIGTERM (--timeout): what it
 * printed is written first. */
static void on_term(int sig)
{
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	if (argc > 0)
		progname = mirage_manifest.unikernel;
	/* the console is line-buffered wherever it goes, as on the other
	 * targets: a pipe or a file gets each line as it is printed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	catch_faults();
	signal(SIGTERM, on_term);
	signal(SIGABRT, on_abort);
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
			return MIRAGE_EXIT_DEVICE;
	}
	/* argv[a - 1] becomes the new argv[0] */
	argv[a - 1] = (char *)mirage_manifest.unikernel;
	plat_exit(mirage_main(argc - a + 1, argv + a - 1));
}

void plat_console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
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
	struct pollfd fds[PLAT_MAX_HANDLES];
	unsigned handle_of[PLAT_MAX_HANDLES];
	nfds_t n = 0;
	for (size_t i = 0; i < nattached; i++) {
		if (attached[i].type != MIRAGE_DEV_NET || attached[i].fd < 0)
			continue;
		fds[n] = (struct pollfd){.fd = attached[i].fd, .events = POLLIN};
		handle_of[n++] = (unsigned)i;
	}
	uint64_t now = plat_clock_monotonic();
	uint64_t wait = deadline > now ? deadline - now : 0;
	struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
	fflush(stdout); /* a partial line is out before the unikernel waits */
	int rc = ppoll(fds, n, &ts, NULL);
	if (rc <= 0)
		return 0;
	uint64_t ready = 0;
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].revents & POLLIN)
			ready |= (uint64_t)1 << handle_of[i];
	return ready;
}

mirage_result plat_random(void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MIRAGE_EIO;
		}
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

mirage_result plat_net_acquire(const char *name, unsigned *handle, struct plat_net_info *info)
{
	struct attachment *at = acquire(name, MIRAGE_DEV_NET, handle);
	if (!at)
		return MIRAGE_NOT_FOUND;
	/* TUNSETIFF would create a tap that is connected to nothing */
	if (strlen(at->what) >= IF_NAMESIZE || !if_nametoindex(at->what)) {
		fail("device '%s': tap '%s' does not exist", name, at->what);
		return MIRAGE_EIO;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fail("device '%s': cannot open /dev/net/tun: %s", name, strerror(errno));
		return MIRAGE_EIO;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (strlen(at->what) >= sizeof(ifr.ifr_name)) {
		fail("device '%s': interface name '%s' is too long", name, at->what);
		close(fd);
		return MIRAGE_EIO;
	}
	strcpy(ifr.ifr_name, at->what);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fail("device '%s': cannot attach to tap interface '%s': %s", name, at->what,
		     strerror(errno));
		close(fd);
		return MIRAGE_EIO;
	}
	at->fd = fd;
	/* a random, locally administered, unicast address */
	if (plat_random(info->mac, 6) != MIRAGE_OK)
		memcpy(info->mac, "\x02\x00\x00\x00\x00\x01", 6);
	info->mac[0] = (uint8_t)((info->mac[0] & 0xfe) | 0x02);
	info->mtu = NET_MTU;
	return MIRAGE_OK;
}

mirage_result plat_net_read(unsigned handle, void *buf, size_t size, size_t *len)
{
	ssize_t n = read(attached[handle].fd, buf, size);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? MIRAGE_AGAIN
										 : MIRAGE_EIO;
	*len = (size_t)n;
	return MIRAGE_OK;
}

mirage_result plat_net_write(unsigned handle, const void *buf, size_t len)
{
	ssize_t n;
	do
		n = write(attached[handle].fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? MIRAGE_OK : MIRAGE_EIO;
}

mirage_result plat_block_acquire(const char *name, unsigned *handle, struct plat_block_info *info)
{
	struct attachment *at = acquire(name, MIRAGE_DEV_BLOCK, handle);
	if (!at)
		return MIRAGE_NOT_FOUND;
	int fd = open(at->what, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("device '%s': cannot open %s: %s", name, at->what, strerror(errno));
		return MIRAGE_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fail("device '%s': %s is not a regular file", name, at->what);
		close(fd);
		return MIRAGE_EIO;
	}
	at->fd = fd;
	at->capacity = (uint64_t)st.st_size / SECTOR_SIZE * SECTOR_SIZE;
	if ((uint64_t)st.st_size != at->capacity)
		fail("device '%s': %s is %lld bytes, not a whole number of %d-byte sectors: the "
		     "last %lld are not used",
		     name, at->what, (long long)st.st_size, SECTOR_SIZE,
		     (long long)(st.st_size % SECTOR_SIZE));
	info->capacity = at->capacity;
	info->sector_size = SECTOR_SIZE;
	return MIRAGE_OK;
}

/* Moves len bytes between a block device's file and buf. */
static mirage_result block_rw(unsigned handle, uint64_t offset, char *p, size_t len, bool write)
{
	while (len) {
		ssize_t n = write ? pwrite(attached[handle].fd, p, len, (off_t)offset)
				  : pread(attached[handle].fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
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
	return fdatasync(attached[handle].fd) == 0 ? MIRAGE_OK : MIRAGE_EIO;
}

void plat_exit(int status)
{
	fflush(stdout);
	exit(status & 0xff);
}
