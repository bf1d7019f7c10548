/*
 * hvt_abi.h: the interface between an hvt unikernel and its monitor,
 * mirage-hvt. Both sides include this file; every type has a fixed size and
 * layout on x86_64.
 *
 * The words MUST and MAY are used as in RFC 2119.
 *
 * Machine state at entry. The monitor loads the unikernel's ELF segments at
 * their physical addresses (1 MiB and up), identity-maps guest memory, and
 * starts the vCPU in 64-bit mode at privilege level 3, at the ELF
 * entry point, with %rdi holding the guest-physical address of a struct
 * hvt_boot_info and %rsp 16-byte aligned at the top of memory. The first
 * 4 KiB page is not mapped, so a NULL dereference faults. The FPU, SSE and
 * SSE2 are enabled; AVX is not, and CPUID reports KVM's defaults. Interrupts are off; faults are
 * reported by the monitor, which then stops the guest with status HVT_STATUS_FAULT.
 *
 * Why privilege level 3: on software-assisted KVM (kvm_pvm) a ring-0 guest
 * is run by KVM's instruction emulator, thousands of times slower and unable
 * to run most SSE instructions, while ring-3 code runs natively. On hardware
 * KVM both run natively; ring 3 costs nothing there.
 *
 * Hypercalls. The guest writes the 32-bit guest-physical address of the
 * call's argument struct to I/O port HVT_PORT(nr) with `outl`. The TSS's I/O
 * permission bitmap opens these ports to privilege level 3; any other port
 * faults. The monitor
 * MUST check that the whole struct and every buffer it names lie in guest
 * memory, and refuses the call (stopping the guest with a message and
 * HVT_STATUS_HOSTILE) otherwise, as it does for an unknown hypercall or
 * device handle. On return, the struct's result fields are filled in.
 *
 * Console. The guest appends console bytes to the buffer named in the boot
 * info and advances console_len; the monitor writes out and resets the
 * buffer at every VM exit, so output costs no exit of its own until the
 * buffer is full, when the guest MUST make the HVT_CONSOLE hypercall.
 */
#ifndef HVT_ABI_H
#define HVT_ABI_H

#include <stdint.h>

#include "mirage_devtypes.h"
#include "mirage_note.h"

/* 2: the monitor sets the thread-local storage up (the ELF's PT_TLS)
 * 3: network I/O moves many frames per VM exit (HVT_NETIO) */
#define HVT_ABI_VERSION 3

#define HVT_PORT_BASE 0x500
#define HVT_PORT(nr)  (HVT_PORT_BASE + (nr))
/* The monitor's own fault handlers report vector numbers on this port. */
#define HVT_PORT_FAULT (HVT_PORT_BASE + 0x40)

enum hvt_hypercall {
	HVT_WALLTIME = 1,
	HVT_CONSOLE = 2, /* flush the console buffer; no argument struct needed */
	/* 3, 4, 5: ABI 2's poll and one-frame network calls, retired */
	HVT_BLOCK_WRITE = 6,
	HVT_BLOCK_READ = 7,
	HVT_BLOCK_FLUSH = 8,
	HVT_EXIT = 9,
	HVT_ABORT = 10,
	HVT_RANDOM = 11,
	HVT_NETIO = 12,
	HVT_HYPERCALL_MAX = 13,
};

/* Results of hypercalls (the `ret` fields). */
enum hvt_result { HVT_OK = 0, HVT_AGAIN = 1, HVT_EINVAL = 2, HVT_EIO = 3 };

/* Guest memory the monitor gives (--mem): guest addresses fit the 32 bits
 * of outl. What a unikernel needs is its own (the monitor says when --mem is
 * too small): its image from 1 MiB, its thread-local storage, HVT_HEAP_MIN
 * of heap at least, a guard page and the stack; hello fits in 2 MiB. */
#define HVT_MEM_MIN  (1ULL << 20)
#define HVT_MEM_MAX  (3ULL << 30)
#define HVT_HEAP_MIN (64ULL << 10)

/* Exit statuses of the monitor besides the guest's own. */
#define HVT_STATUS_MONITOR 125 /* the monitor failed before the guest ran (as docker's) */
#define HVT_STATUS_ABORT   134 /* the guest called HVT_ABORT */
#define HVT_STATUS_FAULT   139 /* the guest faulted (as a shell reports SIGSEGV) */
#define HVT_STATUS_HOSTILE 140 /* the guest broke this ABI */

struct hvt_walltime {
	uint64_t nsecs; /* out: nanoseconds since the Unix epoch */
};

/* Network I/O and waiting, many frames per VM exit (on a host where an
 * exit costs 0.1 ms or more, a frame per exit would cap a server at a few
 * thousand requests a second). The monitor sends the frames of tx in order,
 * each on its device (a frame it cannot send is dropped and counted: the
 * network is lossy, TCP sends it again); then reads frames into the buffers
 * of rx, taking one from each network device in turn, until the buffers are
 * full or no device has one. When it read none, it waits up to timeout_ns
 * (at most a day) for input on any network device, then reads again. So one
 * exit sends what the guest queued, waits, and brings what came. With no
 * network device it is the guest's way to sleep. */
#define HVT_NETIO_MAX 64   /* frames in tx, buffers in rx */
#define HVT_FRAME_MAX 1514 /* a frame: the MTU (1500) and the Ethernet header */
struct hvt_frame {
	uint64_t data;	 /* guest address of the frame or buffer */
	uint32_t len;	 /* tx: the frame's length, 14 to HVT_FRAME_MAX; rx: in, the
			  * buffer's size, at least HVT_FRAME_MAX; out, the frame's */
	uint32_t handle; /* tx: the network device to send on; rx: out, where it came from */
};

struct hvt_netio {
	uint64_t tx;	     /* struct hvt_frame[ntx] */
	uint64_t rx;	     /* struct hvt_frame[nrx] */
	uint32_t ntx;	     /* at most HVT_NETIO_MAX */
	uint32_t nrx;	     /* in: buffers, at most HVT_NETIO_MAX; out: frames read */
	uint64_t timeout_ns; /* how long to wait when no frame was read */
	uint64_t ready;	     /* out: devices that may have more input, bit h for handle h */
	uint32_t dropped;    /* out: frames of tx not sent */
	uint32_t pad;
};

struct hvt_block_io {
	uint32_t handle;
	uint32_t ret;	 /* out: enum hvt_result */
	uint64_t offset; /* bytes, a multiple of the sector size */
	uint64_t data;
	uint64_t len; /* bytes, a multiple of the sector size; any number of sectors */
};

struct hvt_exit {
	int32_t status;
	uint32_t pad;
};

struct hvt_abort {
	uint64_t message; /* a string, at most len bytes */
	uint64_t len;
};

struct hvt_random {
	uint64_t data; /* filled with len bytes from the host's entropy source */
	uint64_t len;  /* at most 4096 */
};

/* The devices the monitor attached (the unikernel's network and block
 * devices, MIRAGE_MAX_DEVICES at most). */
struct hvt_device {
	char name[MIRAGE_NAME_MAX]; /* NUL-terminated */
	uint32_t type;		    /* enum mirage_devtype: MIRAGE_DEV_NET or MIRAGE_DEV_BLOCK */
	uint32_t handle;	    /* for net and block hypercalls; < 64 */
	uint8_t mac[6];		    /* net */
	uint16_t mtu;		    /* net */
	uint32_t sector_size;	    /* block */
	uint64_t capacity;	    /* block, bytes */
};

#define HVT_BOOT_MAGIC 0x6d697261676568ULL /* "hegarim" */

struct hvt_boot_info {
	uint64_t magic;
	uint32_t abi_version;
	uint32_t ndevices;
	uint64_t mem_size;   /* bytes of guest memory */
	uint64_t heap_start; /* first byte free after the unikernel */
	uint64_t heap_end;   /* end of the heap (the stack is above) */
	uint64_t tsc_hz;     /* TSC ticks per second; MUST NOT be 0 */
	uint64_t argc;
	uint64_t argv; /* char *[argc + 1] */
	uint64_t console_buf;
	uint64_t console_size;
	uint64_t console_len; /* written by the guest, reset by the monitor */
	struct hvt_device devices[MIRAGE_MAX_DEVICES];
};

/*
 * ELF notes: the monitor refuses an executable without the ABI note
 * (mirage_note.h) for target "hvt" and HVT_ABI_VERSION, or without the device
 * manifest note.
 */

#endif
