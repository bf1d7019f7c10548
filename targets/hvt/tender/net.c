/* net.c: the network module: --net:NAME=TAP (or =@FD), --net-mac:NAME=MAC,
 * and the network I/O hypercall (HVT_NETIO), which also serves the guest's waits. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "hvt.h"

#define NET_MTU	  1500
#define FRAME_MAX HVT_FRAME_MAX
_Static_assert(NET_MTU + 14 == HVT_FRAME_MAX, "a frame is the MTU and a header");

struct mac_option {
	const char *name;
	uint8_t mac[6];
};
static struct mac_option macs[MIRAGE_MAX_DEVICES];
static size_t nmacs;
static int fds[MIRAGE_MAX_DEVICES]; /* by handle */

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int net_option(const char *arg)
{
	if (!strncmp(arg, "--net-mac:", 10)) {
		const char *eq = strchr(arg + 10, '=');
		if (!eq || eq == arg + 10 || nmacs == MIRAGE_MAX_DEVICES) {
			hvt_warn("malformed option '%s' (expected --net-mac:NAME=MAC)", arg);
			return -1;
		}
		struct mac_option *m = &macs[nmacs];
		if (parse_mac(eq + 1, m->mac) < 0 || (m->mac[0] & 1)) {
			hvt_warn("%s: not a unicast MAC address (xx:xx:xx:xx:xx:xx)", arg);
			return -1;
		}
		m->name = strndup(arg + 10, (size_t)(eq - arg - 10));
		nmacs++;
		return 1;
	}
	if (strncmp(arg, "--net:", 6))
		return 0;
	const char *eq = strchr(arg + 6, '=');
	if (!eq || eq == arg + 6 || !eq[1]) {
		hvt_warn("malformed option '%s' (expected --net:NAME=TAP or --net:NAME=@FD)", arg);
		return -1;
	}
	char *name = strndup(arg + 6, (size_t)(eq - arg - 6));
	if (hvt_attach(name, eq + 1, MIRAGE_DEV_NET) < 0) {
		free(name);
		return -1;
	}
	return 1;
}

static int open_tap(const char *ifname)
{
	/* TUNSETIFF would create a tap that is connected to nothing */
	if (strlen(ifname) >= IF_NAMESIZE || !if_nametoindex(ifname)) {
		hvt_warn("tap '%s' does not exist", ifname);
		return -1;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		hvt_warn("cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
		hvt_warn("interface name '%s' is too long", ifname);
		close(fd);
		return -1;
	}
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		hvt_warn("cannot attach to tap interface '%s': %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads frames into rx[0..n), one from each device in turn, until they are
 * full or none has one; *more: the devices that may have more. Returns how
 * many were read. */
static uint32_t read_frames(struct hvt *h, struct hvt_frame *rx, void **bufs, uint32_t n,
			    uint64_t *more)
{
	uint64_t live = 0;
	for (uint32_t i = 0; i < h->ndevices; i++)
		if (h->devices[i].type == MIRAGE_DEV_NET)
			live |= 1ULL << i;
	uint32_t got = 0;
	while (got < n && live) {
		for (uint32_t d = 0; d < h->ndevices && got < n; d++) {
			if (!(live >> d & 1))
				continue;
			ssize_t r = read(fds[d], bufs[got], FRAME_MAX);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				live &= ~(1ULL << d); /* EAGAIN, or the tap is gone */
				continue;
			}
			rx[got].len = (uint32_t)r;
			rx[got].handle = d;
			got++;
		}
	}
	*more = live;
	return got;
}

static void hc_netio(struct hvt *h, uint64_t gpa)
{
	struct hvt_netio *a = HVT_ARG(h, gpa, struct hvt_netio);
	if (!a)
		return hvt_hostile(h, "netio: argument outside guest memory");
	uint32_t ntx = a->ntx, nrx = a->nrx;
	if (ntx > HVT_NETIO_MAX || nrx > HVT_NETIO_MAX)
		return hvt_hostile(h, "netio: %u frames, %u buffers (at most %d each)", ntx, nrx,
				   HVT_NETIO_MAX);
	struct hvt_frame *tx = hvt_checked(h, a->tx, (uint64_t)ntx * sizeof(*tx));
	struct hvt_frame *rx = hvt_checked(h, a->rx, (uint64_t)nrx * sizeof(*rx));
	if ((ntx && !tx) || (nrx && !rx))
		return hvt_hostile(h, "netio: frame list outside guest memory");
	uint32_t dropped = 0;
	for (uint32_t i = 0; i < ntx; i++) {
		/* read once: the guest may change its memory meanwhile */
		struct hvt_frame f = tx[i];
		if (!hvt_device(h, f.handle, MIRAGE_DEV_NET))
			return hvt_hostile(h, "netio: %u is not a network handle", f.handle);
		if (f.len < 14 || f.len > FRAME_MAX)
			return hvt_hostile(h, "netio: a frame of %u bytes", f.len);
		const void *data = hvt_checked(h, f.data, f.len);
		if (!data)
			return hvt_hostile(h, "netio: frame outside guest memory");
		ssize_t n;
		do
			n = write(fds[f.handle], data, f.len);
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)f.len)
			dropped++;
	}
	void *bufs[HVT_NETIO_MAX];
	for (uint32_t i = 0; i < nrx; i++) {
		struct hvt_frame f = rx[i];
		bufs[i] = f.len >= FRAME_MAX ? hvt_checked(h, f.data, FRAME_MAX) : NULL;
		if (!bufs[i])
			return hvt_hostile(h, "netio: buffer %u outside guest memory or short", i);
	}
	uint64_t more = 0;
	uint32_t got = read_frames(h, rx, bufs, nrx, &more);
	if (!got && a->timeout_ns) {
		more = hvt_wait_input(a->timeout_ns);
		if (more && nrx)
			got = read_frames(h, rx, bufs, nrx, &more);
	}
	a->nrx = got;
	a->ready = more;
	a->dropped = dropped;
}

static int net_setup(struct hvt *h)
{
	size_t n;
	struct hvt_attachment *at = hvt_attachments(&n);
	for (size_t i = 0; i < n; i++) {
		if (at[i].type != MIRAGE_DEV_NET)
			continue;
		int fd;
		if (at[i].what[0] == '@') {
			char *end;
			errno = 0;
			long v = strtol(at[i].what + 1, &end, 10);
			if (*end || end == at[i].what + 1 || errno || v < 0 || v > 65535 ||
			    fcntl((int)v, F_GETFD) < 0) {
				hvt_warn("--net:%s=%s: not an open file descriptor", at[i].name,
					 at[i].what);
				return -1;
			}
			fd = (int)v;
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		} else if ((fd = open_tap(at[i].what)) < 0) {
			return -1;
		}
		at[i].fd = fd;
		struct hvt_device *d = hvt_boot_device(h, at[i].name, MIRAGE_DEV_NET);
		at[i].dev = d;
		fds[d->handle] = fd;
		if (hvt_register_pollfd(fd, d->handle) < 0)
			return -1;
		d->mtu = NET_MTU;
		bool given = false;
		for (size_t k = 0; k < nmacs && !given; k++) {
			if (!strcmp(macs[k].name, at[i].name)) {
				memcpy(d->mac, macs[k].mac, 6);
				given = true;
			}
		}
		if (!given) {
			/* random, locally administered, unicast */
			if (getrandom(d->mac, 6, 0) != 6)
				memcpy(d->mac, "\x02\x00\x00\x00\x00\x01", 6);
			d->mac[0] = (uint8_t)((d->mac[0] & 0xfe) | 0x02);
		}
	}
	for (size_t k = 0; k < nmacs; k++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = at[i].type == MIRAGE_DEV_NET && !strcmp(at[i].name, macs[k].name);
		if (!found) {
			hvt_warn("--net-mac:%s: no network device '%s' is attached", macs[k].name,
				 macs[k].name);
			return -1;
		}
	}
	hvt_register(HVT_NETIO, hc_netio);
	return 0;
}

static void net_usage(FILE *f)
{
	fprintf(
	    f, "  --net:NAME=TAP        attach network device NAME to tap interface TAP\n"
	       "  --net:NAME=@FD        ... or to the open tap file descriptor FD\n"
	       "  --net-mac:NAME=MAC    its MAC address (default: random, locally administered)\n");
}

const struct hvt_module hvt_module_net = {"net", net_option, net_setup, net_usage};
