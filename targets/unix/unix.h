/* unix.h: what the files of the unix target's platform share. */
#ifndef MIRAGE_UNIX_H
#define MIRAGE_UNIX_H

#include <stddef.h>

#include <asm/poll.h>

/* The sockets of the tcpip devices over the host's sockets that wait for
 * input or room (sockets.c), at most max, for plat_yield to wait on too. */
size_t unix_sockets_pollfds(struct pollfd *fds, size_t max);

#endif
