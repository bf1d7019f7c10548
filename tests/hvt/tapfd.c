/* tapfd.c: opens a tap interface and runs a command with it as an open
 * descriptor, for testing mirage-hvt's --net:NAME=@FD:
 *     tapfd IFACE COMMAND [ARGS...]   ("@FD" in ARGS becomes "@<the fd>") */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: tapfd IFACE COMMAND [ARGS...]\n");
		return 2;
	}
	int fd = open("/dev/net/tun", O_RDWR);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tapfd");
		return 1;
	}
	char at[16];
	snprintf(at, sizeof(at), "@%d", fd);
	for (int i = 2; i < argc; i++) {
		char *p = strstr(argv[i], "@FD");
		if (p && !p[3]) {
			static char buf[4096];
			snprintf(buf, sizeof(buf), "%.*s%s", (int)(p - argv[i]), argv[i], at);
			argv[i] = buf;
		}
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
