/* monitor.h: the monitor as a function, for mirage-hvt's main and for
 * mirage run, which calls it in its own process rather than exec the
 * program (one exec less on every run; the same code, options and
 * messages). */
#ifndef HVT_MONITOR_H
#define HVT_MONITOR_H

/* Runs mirage-hvt's command line (argv[0] is not looked at) and returns
 * its exit status: the unikernel's, or HVT_STATUS_*. It installs a seccomp
 * filter before the guest runs: afterwards the caller may only write and
 * exit (_exit, so that nothing allocates or runs exit handlers). Once per
 * process. */
int hvt_monitor_main(int argc, char **argv);

#endif
