/* misc.c: the small parts of mirage's C library: locale.h (the "C" locale),
 * signal.h (signals only come from raise), atexit, div, the unistd.h calls
 * about processes and the machine, and system(). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mirage_platform.h"
#include "mirage_rt.h"

/* --- locale.h --- */

char *setlocale(int category, const char *locale)
{
	if (category < LC_CTYPE || category > LC_ALL)
		return NULL;
	if (!locale || !*locale || !strcmp(locale, "C") || !strcmp(locale, "POSIX"))
		return "C";
	return NULL; /* no other locale */
}

struct lconv *localeconv(void)
{
	static struct lconv c = {".",	   "",	     "",       "",	 "",	   "",
				 "",	   "",	     "",       "",	 CHAR_MAX, CHAR_MAX,
				 CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX,
				 CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX};
	return &c;
}

/* --- signal.h --- */

static __sighandler_t handlers[NSIG];

__sighandler_t signal(int sig, __sighandler_t handler)
{
	if (sig <= 0 || sig >= NSIG || sig == SIGKILL) {
		errno = EINVAL;
		return SIG_ERR;
	}
	__sighandler_t old = handlers[sig];
	handlers[sig] = handler;
	return old;
}

int raise(int sig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	__sighandler_t h = handlers[sig];
	if (h == SIG_IGN)
		return 0;
	if (h == SIG_DFL) {
		/* every default action that matters here ends the program */
		if (sig == SIGCHLD)
			return 0;
		char msg[64];
		snprintf(msg, sizeof(msg), "raise(%d): %s", sig, strsignal(sig));
		mirage_abort(msg);
	}
	handlers[sig] = SIG_DFL; /* as C's signal() leaves it */
	h(sig);
	return 0;
}

/* --- exit --- */

#define MAX_ATEXIT 32
static void (*at_exit[MAX_ATEXIT])(void);
static int n_atexit;

int atexit(void (*fn)(void))
{
	if (n_atexit == MAX_ATEXIT)
		return -1;
	at_exit[n_atexit++] = fn;
	return 0;
}

void __libc_run_atexit(void)
{
	while (n_atexit > 0)
		at_exit[--n_atexit]();
}

void _Exit(int status)
{
	plat_exit(status);
}

void _exit(int status)
{
	plat_exit(status);
}

int system(const char *command)
{
	if (!command)
		return 0; /* no command processor */
	errno = ENOSYS;
	return -1;
}

/* --- arithmetic --- */

div_t div(int a, int b)
{
	return (div_t){a / b, a % b};
}

ldiv_t ldiv(long a, long b)
{
	return (ldiv_t){a / b, a % b};
}

lldiv_t lldiv(long long a, long long b)
{
	return (lldiv_t){a / b, a % b};
}

intmax_t imaxabs(intmax_t x)
{
	return x < 0 ? -x : x;
}

imaxdiv_t imaxdiv(intmax_t a, intmax_t b)
{
	return (imaxdiv_t){a / b, a % b};
}

int rand_r(unsigned *seed)
{
	/* the LCG of rand(), on 32 bits of state */
	*seed = *seed * 1103515245u + 12345u;
	return (int)((*seed >> 1) & RAND_MAX);
}

long random(void)
{
	return rand();
}

void srandom(unsigned seed)
{
	srand(seed);
}

/* --- unistd.h: one process, one user, the machine --- */

pid_t getpid(void)
{
	return 1;
}

pid_t getppid(void)
{
	return 0;
}

uid_t getuid(void)
{
	return 0;
}

uid_t geteuid(void)
{
	return 0;
}

gid_t getgid(void)
{
	return 0;
}

gid_t getegid(void)
{
	return 0;
}

int getpagesize(void)
{
	return 4096;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100;
	case _SC_OPEN_MAX:
		return 64;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	}
	errno = EINVAL;
	return -1;
}
