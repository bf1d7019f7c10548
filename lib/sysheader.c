/* sysheader.c: the headers of C and POSIX systems. */
#include "sysheader.h"

#include <string.h>

#include "util.h"

/* C11 and POSIX.1-2017 headers outside the system directories, and a few
 * every Unix C library has. */
static const char *const names[] = {
    "aio.h",	  "assert.h",	"complex.h",   "cpio.h",	"ctype.h",   "dirent.h",
    "dlfcn.h",	  "endian.h",	"err.h",       "errno.h",	"error.h",   "execinfo.h",
    "fcntl.h",	  "features.h", "fenv.h",      "float.h",	"fmtmsg.h",  "fnmatch.h",
    "ftw.h",	  "getopt.h",	"glob.h",      "grp.h",		"iconv.h",   "ifaddrs.h",
    "inttypes.h", "iso646.h",	"langinfo.h",  "libgen.h",	"limits.h",  "locale.h",
    "malloc.h",	  "math.h",	"memory.h",    "monetary.h",	"mqueue.h",  "ndbm.h",
    "netdb.h",	  "nl_types.h", "poll.h",      "pthread.h",	"pwd.h",     "regex.h",
    "sched.h",	  "search.h",	"semaphore.h", "setjmp.h",	"shadow.h",  "signal.h",
    "spawn.h",	  "stdalign.h", "stdarg.h",    "stdatomic.h",	"stdbool.h", "stddef.h",
    "stdint.h",	  "stdio.h",	"stdlib.h",    "stdnoreturn.h", "string.h",  "strings.h",
    "syslog.h",	  "tar.h",	"termios.h",   "tgmath.h",	"threads.h", "time.h",
    "uchar.h",	  "ucontext.h", "ulimit.h",    "unistd.h",	"utime.h",   "utmp.h",
    "utmpx.h",	  "wchar.h",	"wctype.h",    "wordexp.h",	"alloca.h",  "byteswap.h",
    "paths.h",	  "sysexits.h", "link.h",      "elf.h",		"mntent.h",  "stdio_ext.h",
};

static const char *const dirs[] = {"sys/",   "netinet/", "netinet6/", "arpa/", "net/",
				   "linux/", "asm/",	 "bits/",     "gnu/",  "netpacket/"};

bool sysheader_known(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (str_starts(name, dirs[i]) && str_ends(name, ".h") && !strstr(name, ".."))
			return true;
	return false;
}
