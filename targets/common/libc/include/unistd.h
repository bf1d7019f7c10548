/* unistd.h: mirage's C library. Descriptors 0, 1 and 2 are the console
 * (0 reads end of file); open() (fcntl.h) gives read-only descriptors on
 * the files of kv_ro devices. There are no processes, users or links. */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <stddef.h>
#include <sys/types.h>
#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif
#define F_OK		     0
#define X_OK		     1
#define W_OK		     2
#define R_OK		     4
#define _SC_PAGESIZE	     30
#define _SC_PAGE_SIZE	     _SC_PAGESIZE
#define _SC_CLK_TCK	     2
#define _SC_OPEN_MAX	     4
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
off_t lseek(int fd, off_t offset, int whence);
int close(int fd);
int isatty(int fd);
int access(const char *path, int mode);
char *getcwd(char *buf, size_t size);
int chdir(const char *path);
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
long sysconf(int name);
int getpagesize(void);
int unlink(const char *path);
int rmdir(const char *path);
_Noreturn void _exit(int status);
#endif
