/* hvt.h: the monitor's core, shared by its modules. The core creates the VM,
 * loads the unikernel, sets up long mode and runs the vCPU; modules (net,
 * block) parse their options, open their devices and serve their
 * hypercalls. */
#ifndef HVT_H
#define HVT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "elfload.h"
#include "hvt_abi.h"

struct hvt {
	uint8_t *mem; /* guest memory, identity-mapped from guest address 0 */
	uint64_t mem_size;
	int kvm, vm, vcpu;
	struct kvm_run *run;
	struct hvt_boot_info *boot; /* in guest memory: the guest may change it */
	/* The devices as the monitor set them up. Checks use this copy, never
	 * the one in the boot info, which the guest can overwrite. */
	struct hvt_device devices[MIRAGE_MAX_DEVICES];
	uint32_t ndevices;
	struct elf_image image;
	uint64_t exits; /* VM exits so far */
	bool done;
	int status; /* the exit status once done */
};

/* Guest memory [gpa, gpa + len) as a host pointer, or NULL when any of it
 * lies outside guest memory. Every guest address MUST go through here. */
void *hvt_checked(struct hvt *h, uint64_t gpa, uint64_t len);
#define HVT_ARG(h, gpa, type) ((type *)hvt_checked((h), (gpa), sizeof(type)))

/* Stops the guest for breaking the ABI: prints why and sets the status. */
void hvt_hostile(struct hvt *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "mirage-hvt: ..." to stderr. */
void hvt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A hypercall handler: gets the guest-physical address written to its port. */
typedef void (*hvt_hypercall_fn)(struct hvt *h, uint64_t gpa);
void hvt_register(enum hvt_hypercall nr, hvt_hypercall_fn fn);

/* A device attached on the command line, checked against the manifest. */
struct hvt_attachment {
	const char *name; /* the declared device */
	const char *what; /* tap, @FD or file */
	uint32_t type;	  /* enum mirage_devtype */
	int fd;
	struct hvt_device *dev; /* its entry in the boot info, once set up */
};

struct hvt_module {
	const char *name;
	/* Takes an option it knows: returns 1 when taken, 0 when not its own,
	 * -1 after a message when malformed. */
	int (*option)(const char *arg);
	/* Opens its devices, fills their boot-info entries and registers its
	 * hypercalls. Returns 0 or -1 after a message. */
	int (*setup)(struct hvt *h);
	/* The lines of --help for its options. */
	void (*usage)(FILE *f);
};

extern const struct hvt_module hvt_module_net;
extern const struct hvt_module hvt_module_block;

/* Records an attachment; refuses one named twice. Returns 0 or -1. */
int hvt_attach(const char *name, const char *what, uint32_t type);
/* The attachments of a type, in command-line order. */
struct hvt_attachment *hvt_attachments(size_t *n);
/* Adds a device; returns the monitor's entry (handle set), copied into the
 * boot info by hvt_publish_devices once filled in. */
struct hvt_device *hvt_boot_device(struct hvt *h, const char *name, uint32_t type);
void hvt_publish_devices(struct hvt *h);
/* Makes hvt_wait_input report handle ready when fd is readable. Returns 0
 * or -1 after a message. */
int hvt_register_pollfd(int fd, uint32_t handle);
/* Waits up to timeout_ns (at most a day) for a registered fd to be
 * readable; returns their handles' bits (0: none, the time passed). */
uint64_t hvt_wait_input(uint64_t timeout_ns);
/* The device behind a guest's handle if it is of type, else NULL. */
const struct hvt_device *hvt_device(struct hvt *h, uint32_t handle, uint32_t type);

/* kvm.c: creates the VM with mem_size bytes of memory and one vCPU. */
int hvt_vm_create(struct hvt *h, uint64_t mem_size);
/* Page tables, descriptor tables and registers: long mode, ring 3; the FS
 * base is the thread pointer (0: the guest has no thread-local storage). */
int hvt_vcpu_init(struct hvt *h, uint64_t entry, uint64_t boot_info, uint64_t stack_top,
		  uint64_t fs_base);
/* Runs until the guest stops; returns its status. */
int hvt_vm_run(struct hvt *h);
/* The guest address of the guard page below the stack. */
uint64_t hvt_stack_guard(const struct hvt *h);
/* TSC frequency of the vCPU in Hz: KVM's, else the host's, measured. */
uint64_t hvt_tsc_hz(struct hvt *h);

/* With MIRAGE_HVT_STATS set, the monitor prints "mirage-hvt: N VM exits"
 * on stderr when the guest stops and at every SIGUSR1 (which sets this). */
extern volatile int hvt_stats_wanted;
void hvt_print_stats(const struct hvt *h);

/* seccomp.c: only the system calls the hypercalls need, from now on. */
int hvt_seccomp(void);

/* Guest memory layout (below the unikernel, which is loaded at 1 MiB). */
#define HVT_GDT_BASE	 0x1000
#define HVT_TSS_BASE	 0x1080
#define HVT_IDT_BASE	 0x1800
#define HVT_PML4_BASE	 0x2000
#define HVT_PDPT_BASE	 0x3000
#define HVT_PD_BASE	 0x4000 /* four page directories: 4 GiB */
#define HVT_PT_BASE	 0x8000 /* the first 2 MiB in 4 KiB pages */
#define HVT_PT_GUARD	 0x9000 /* the 2 MiB holding the stack's guard page, in pages */
#define HVT_FAULT_STACK	 0xf000
#define HVT_FAULT_STUBS	 0x10000
#define HVT_BOOT_INFO	 0x11000
#define HVT_ARGS_BASE	 0x13000
#define HVT_ARGS_END	 0x20000
#define HVT_CONSOLE_BASE 0x20000
#define HVT_CONSOLE_SIZE 0x10000
#define HVT_KERNEL_BASE	 0x100000
#define HVT_STACK_SIZE	 0x40000
#define HVT_GUARD_SIZE	 0x1000 /* unmapped, below the stack: an overflow faults */

#endif
