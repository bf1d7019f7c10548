/* net: a minimal IPv4 host. It answers ARP requests and ICMP echo requests
 * for the address given by --ip, and exits after --count echo replies. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETH_HLEN      14
#define ETHERTYPE_IP  0x0800
#define ETHERTYPE_ARP 0x0806

static uint8_t my_mac[6];
static uint8_t my_ip[4];

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int parse_ip(const char *s, uint8_t ip[4])
{
	for (int i = 0; i < 4; i++) {
		char *end;
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long v = strtoul(s, &end, 10);
		if (v > 255 || *end != (i < 3 ? '.' : '\0'))
			return -1;
		ip[i] = (uint8_t)v;
		s = end + 1;
	}
	return 0;
}

/* The Internet checksum of len bytes. */
static uint16_t checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An ARP request for my_ip becomes a reply, in place. */
static size_t arp(uint8_t *f, size_t len)
{
	uint8_t *a = f + ETH_HLEN;
	if (len < ETH_HLEN + 28 || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IP ||
	    get16(a + 6) != 1 || memcmp(a + 24, my_ip, 4))
		return 0;
	put16(a + 6, 2);	   /* reply */
	memcpy(a + 18, a + 8, 10); /* target = the sender's MAC and IP */
	memcpy(a + 8, my_mac, 6);
	memcpy(a + 14, my_ip, 4);
	memcpy(f, a + 18, 6);
	memcpy(f + 6, my_mac, 6);
	return ETH_HLEN + 28;
}

/* An ICMP echo request to my_ip becomes the echo reply, in place. */
static size_t icmp_echo(uint8_t *f, size_t len)
{
	uint8_t *ip = f + ETH_HLEN;
	if (len < ETH_HLEN + 20 || (ip[0] >> 4) != 4 || ip[9] != 1 || memcmp(ip + 16, my_ip, 4))
		return 0;
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	size_t total = get16(ip + 2);
	if (ihl < 20 || total < ihl + 8 || ETH_HLEN + total > len)
		return 0;
	uint8_t *icmp = ip + ihl;
	if (icmp[0] != 8)
		return 0;
	icmp[0] = 0; /* echo reply */
	put16(icmp + 2, 0);
	put16(icmp + 2, checksum(icmp, total - ihl));
	memcpy(ip + 16, ip + 12, 4);
	memcpy(ip + 12, my_ip, 4);
	ip[8] = 64;
	put16(ip + 10, 0);
	put16(ip + 10, checksum(ip, ihl));
	memcpy(f, f + 6, 6);
	memcpy(f + 6, my_mac, 6);
	return ETH_HLEN + total;
}

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	struct mirage_net *net = dev->net0;
	if (parse_ip(args->ip, my_ip) < 0) {
		printf("net: --ip=%s is not an IPv4 address\n", args->ip);
		return 2;
	}
	mirage_net_mac(net, my_mac);
	printf("net: %s at %02x:%02x:%02x:%02x:%02x:%02x, mtu %zu\n", args->ip, my_mac[0],
	       my_mac[1], my_mac[2], my_mac[3], my_mac[4], my_mac[5], mirage_net_mtu(net));
	uint8_t frame[1514 + 64];
	int64_t replies = 0;
	for (;;) {
		mirage_wait(mirage_clock_monotonic() + 1000000000);
		size_t len;
		mirage_result r;
		while ((r = mirage_net_read(net, frame, sizeof(frame), &len)) == MIRAGE_OK) {
			if (len < ETH_HLEN)
				continue;
			uint16_t type = get16(frame + 12);
			size_t out = 0;
			if (type == ETHERTYPE_ARP)
				out = arp(frame, len);
			else if (type == ETHERTYPE_IP && (out = icmp_echo(frame, len)))
				replies++;
			if (out && mirage_net_write(net, frame, out) != MIRAGE_OK)
				printf("net: a reply could not be sent\n");
			if (out && type == ETHERTYPE_IP)
				printf("net: echo reply %lld\n", (long long)replies);
			if (args->count && replies >= args->count) {
				printf("net: answered %lld echo requests\n", (long long)replies);
				return 0;
			}
		}
		if (r != MIRAGE_AGAIN) {
			printf("net: read failed: %s\n", mirage_strerror(r));
			return 1;
		}
	}
}
