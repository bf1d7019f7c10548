/* seccomp.c: after setup the monitor needs only a handful of system calls:
 * a raw BPF filter (no libseccomp: the filter is twenty instructions, and a
 * library would be one more dependency to audit) allows exactly those, and
 * ioctl only as KVM_RUN (and KVM_GET_REGS/SREGS, to report a fault). Anything else kills the
 * monitor. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "hvt.h"

#define ALLOW(nr)                                        \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int hvt_seccomp(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* the sanitizers' runtimes need system calls of their own (LeakSanitizer
	 * clones and ptraces at exit): test builds run without the filter */
	return 0;
#endif
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    ALLOW(__NR_read),	       /* net */
	    ALLOW(__NR_write),	       /* console, net, messages */
	    ALLOW(__NR_pread64),       /* block */
	    ALLOW(__NR_pwrite64),      /* block */
	    ALLOW(__NR_fdatasync),     /* block flush */
	    ALLOW(__NR_epoll_pwait2),  /* poll */
	    ALLOW(__NR_clock_gettime), /* walltime, when the vDSO is not used */
	    ALLOW(__NR_getrandom),     /* random */
	    ALLOW(__NR_rt_sigreturn),  /* after SIGUSR1 (MIRAGE_HVT_STATS) */
	    ALLOW(__NR_exit_group),
	    /* ioctl: KVM_RUN, and reading the registers to report a fault */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 5),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_RUN, 2, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_GET_REGS, 1, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_GET_SREGS, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog prog = {(unsigned short)(sizeof(filter) / sizeof(filter[0])), filter};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		hvt_warn("cannot install the seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}
