/* kvm.c: the VM: memory, long mode at privilege level 3, the run loop. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"
#include "mirage_x86.h"

/* Control register and EFER bits (Intel SDM vol. 3, 2.5 and 2.2.1). */
#define CR0_PE	   (1u << 0)  /* protected mode */
#define CR0_MP	   (1u << 1)  /* monitor coprocessor: wait/fwait honour TS */
#define CR0_ET	   (1u << 4)  /* extension type (always 1) */
#define CR0_NE	   (1u << 5)  /* native x87 error reporting */
#define CR0_WP	   (1u << 16) /* write protection applies to ring 0 too */
#define CR0_PG	   (1u << 31) /* paging */
#define CR4_PAE	   (1u << 5)  /* physical address extension (needed for long mode) */
#define CR4_OSFXSR (1u << 9)  /* fxsave/fxrstor and SSE */
#define CR4_OSXMM  (1u << 10) /* unmasked SSE exceptions are #XM */
#define EFER_LME   (1u << 8)  /* long mode enable */
#define EFER_LMA   (1u << 10) /* long mode active */
#define RFLAGS_1   (1u << 1)  /* reserved, always 1 */

/* Page table entry bits. */
#define PTE_P  (1u << 0) /* present */
#define PTE_W  (1u << 1) /* writable */
#define PTE_U  (1u << 2) /* user (privilege level 3) */
#define PTE_PS (1u << 7) /* a 2 MiB page (in a page directory) */

static hvt_hypercall_fn handlers[HVT_HYPERCALL_MAX];

void hvt_register(enum hvt_hypercall nr, hvt_hypercall_fn fn)
{
	handlers[nr] = fn;
}

void *hvt_checked(struct hvt *h, uint64_t gpa, uint64_t len)
{
	if (gpa > h->mem_size || len > h->mem_size - gpa)
		return NULL;
	return h->mem + gpa;
}

int hvt_vm_create(struct hvt *h, uint64_t mem_size)
{
	h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (h->kvm < 0) {
		hvt_warn("cannot open /dev/kvm: %s", strerror(errno));
		return -1;
	}
	if (ioctl(h->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		hvt_warn("unsupported KVM API version");
		return -1;
	}
	h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
	if (h->vm < 0) {
		hvt_warn("KVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	h->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h->mem == MAP_FAILED) {
		hvt_warn("cannot map %llu bytes of guest memory: %s", (unsigned long long)mem_size,
			 strerror(errno));
		return -1;
	}
	h->mem_size = mem_size;
	struct kvm_userspace_memory_region region = {
	    .slot = 0,
	    .guest_phys_addr = 0,
	    .memory_size = mem_size,
	    .userspace_addr = (uint64_t)(uintptr_t)h->mem,
	};
	if (ioctl(h->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		hvt_warn("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -1;
	}
	h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
	if (h->vcpu < 0) {
		hvt_warn("KVM_CREATE_VCPU: %s", strerror(errno));
		return -1;
	}
	int size = ioctl(h->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		hvt_warn("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	h->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, h->vcpu, 0);
	if (h->run == MAP_FAILED) {
		hvt_warn("cannot map the vCPU: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t hvt_tsc_hz(struct hvt *h)
{
	int khz = ioctl(h->vcpu, KVM_GET_TSC_KHZ, 0);
	if (khz > 0)
		return (uint64_t)khz * 1000;
	/* KVM does not say (an old kernel): the guest's TSC runs at the
	 * host's, measured against the host's clock over 10 ms */
	uint64_t t0 = monotonic_ns(), c0 = rdtsc(), t1;
	while ((t1 = monotonic_ns()) - t0 < 10000000)
		;
	uint64_t hz = (uint64_t)((unsigned __int128)(rdtsc() - c0) * 1000000000u / (t1 - t0));
	return hz;
}

/* Page tables: guest memory identity-mapped, user-accessible (the guest runs
 * at privilege level 3), with 2 MiB pages but for the first 2 MiB, mapped in
 * 4 KiB pages so that page 0 can stay unmapped and NULL faults, and for the
 * 2 MiB holding the guard page below the stack, left unmapped too. */
static void map_memory(struct hvt *h)
{
	uint64_t *pml4 = (uint64_t *)(h->mem + HVT_PML4_BASE);
	uint64_t *pdpt = (uint64_t *)(h->mem + HVT_PDPT_BASE);
	uint64_t *pt = (uint64_t *)(h->mem + HVT_PT_BASE);
	pml4[0] = HVT_PDPT_BASE | PTE_P | PTE_W | PTE_U;
	uint64_t pages = (h->mem_size + (2 << 20) - 1) >> 21;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t *pd = (uint64_t *)(h->mem + HVT_PD_BASE + (i >> 9) * 0x1000);
		if ((i & 511) == 0)
			pdpt[i >> 9] = (HVT_PD_BASE + (i >> 9) * 0x1000) | PTE_P | PTE_W | PTE_U;
		pd[i & 511] = i == 0 ? HVT_PT_BASE | PTE_P | PTE_W | PTE_U
				     : (i << 21) | PTE_P | PTE_W | PTE_U | PTE_PS;
	}
	for (uint64_t i = 1; i < 512; i++)
		pt[i] = (i << 12) | PTE_P | PTE_W | PTE_U;
	uint64_t guard = hvt_stack_guard(h), region = guard >> 21;
	if (region) {
		uint64_t *gpt = (uint64_t *)(h->mem + HVT_PT_GUARD);
		for (uint64_t i = 0; i < 512; i++)
			gpt[i] = ((region << 21) + (i << 12)) | PTE_P | PTE_W | PTE_U;
		uint64_t *pd = (uint64_t *)(h->mem + HVT_PD_BASE + (region >> 9) * 0x1000);
		pd[region & 511] = HVT_PT_GUARD | PTE_P | PTE_W | PTE_U;
		pt = gpt;
	}
	pt[(guard >> 12) & 511] = 0;
}

uint64_t hvt_stack_guard(const struct hvt *h)
{
	return h->mem_size - HVT_STACK_SIZE - HVT_GUARD_SIZE;
}

/* Descriptor tables: flat 64-bit code and data segments for levels 0 and 3,
 * a TSS giving the fault handlers a stack, and an IDT whose every vector
 * runs a stub that reports the vector on HVT_PORT_FAULT. */
static void descriptor_tables(struct hvt *h)
{
	uint64_t *gdt = (uint64_t *)(h->mem + HVT_GDT_BASE);
	gdt[0] = 0;
	gdt[1] = 0x00209a0000000000ULL; /* 0x08: code, level 0, 64-bit */
	gdt[2] = 0x0000920000000000ULL; /* 0x10: data, level 0 */
	gdt[3] = 0x0020fa0000000000ULL; /* 0x18: code, level 3, 64-bit */
	gdt[4] = 0x0000f20000000000ULL; /* 0x20: data, level 3 */
	/* The TSS ends with an I/O permission bitmap that opens the hypercall
	 * ports, and only those, to the guest at level 3 (IOPL stays 0, which
	 * kvm_pvm would ignore anyway: there the bitmap always decides). */
	enum { IOMAP = 104, IOMAP_PORTS = HVT_PORT_FAULT, IOMAP_BYTES = IOMAP_PORTS / 8 + 1 };
	uint64_t tss = HVT_TSS_BASE, limit = IOMAP + IOMAP_BYTES;
	gdt[5] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((tss >> 24) & 0xff) << 56);
	gdt[6] = tss >> 32;
	uint8_t *t = h->mem + HVT_TSS_BASE;
	memset(t, 0, IOMAP);
	uint64_t rsp0 = HVT_FAULT_STACK;
	memcpy(t + 4, &rsp0, 8);
	uint16_t iomap = IOMAP;
	memcpy(t + 102, &iomap, 2);
	memset(t + IOMAP, 0xff, IOMAP_BYTES + 1); /* the byte after: required all ones */
	/* a 4-byte outl to port P needs P to P + 3 open */
	for (unsigned port = HVT_PORT_BASE; port < HVT_PORT_BASE + HVT_HYPERCALL_MAX + 3; port++)
		t[IOMAP + port / 8] &= (uint8_t) ~(1u << (port % 8));

	for (int v = 0; v < 32; v++) {
		uint8_t *stub = h->mem + HVT_FAULT_STUBS + v * 16;
		uint8_t code[] = {0xb8,
				  (uint8_t)v,
				  0,
				  0,
				  0, /* mov $v, %eax */
				  0x66,
				  0xba,
				  HVT_PORT_FAULT & 0xff,
				  HVT_PORT_FAULT >> 8, /* mov $port, %dx */
				  0xef,		       /* out %eax, %dx */
				  0xeb,
				  0xfe}; /* jmp . */
		memcpy(stub, code, sizeof(code));
		uint64_t off = HVT_FAULT_STUBS + v * 16;
		uint8_t *gate = h->mem + HVT_IDT_BASE + v * 16;
		uint64_t lo = (off & 0xffff) | (0x08ULL << 16) | (0x8eULL << 40) |
			      (((off >> 16) & 0xffff) << 48);
		uint64_t hi = off >> 32;
		memcpy(gate, &lo, 8);
		memcpy(gate + 8, &hi, 8);
	}
}

int hvt_vcpu_init(struct hvt *h, uint64_t entry, uint64_t boot_info, uint64_t stack_top,
		  uint64_t fs_base)
{
	map_memory(h);
	descriptor_tables(h);
	/* No KVM_SET_CPUID2: asking KVM for its supported CPUID costs more than
	 * the rest of the boot here, and the guest needs none of it (SSE and
	 * SSE2 are part of x86-64; CPUID reports KVM's defaults). */
	struct kvm_sregs s;
	if (ioctl(h->vcpu, KVM_GET_SREGS, &s) < 0) {
		hvt_warn("KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	struct kvm_segment code = {.base = 0,
				   .limit = 0xffffffff,
				   .selector = 0x18 | 3,
				   .type = 11,
				   .present = 1,
				   .dpl = 3,
				   .db = 0,
				   .s = 1,
				   .l = 1,
				   .g = 1};
	struct kvm_segment data = {.base = 0,
				   .limit = 0xffffffff,
				   .selector = 0x20 | 3,
				   .type = 3,
				   .present = 1,
				   .dpl = 3,
				   .db = 1,
				   .s = 1,
				   .g = 1};
	struct kvm_segment tr = {.base = HVT_TSS_BASE,
				 .limit = 104 + HVT_PORT_FAULT / 8 + 1,
				 .selector = 0x28,
				 .type = 11, /* 64-bit TSS, busy */
				 .present = 1,
				 .s = 0};
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	s.fs.base = fs_base; /* the thread pointer */
	s.tr = tr;
	s.gdt.base = HVT_GDT_BASE;
	s.gdt.limit = 7 * 8 - 1;
	s.idt.base = HVT_IDT_BASE;
	s.idt.limit = 32 * 16 - 1;
	s.cr3 = HVT_PML4_BASE;
	s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMM;
	s.cr0 = CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_MP | CR0_PE;
	s.efer = EFER_LME | EFER_LMA;
	if (ioctl(h->vcpu, KVM_SET_SREGS, &s) < 0) {
		hvt_warn("KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	struct kvm_regs r = {
	    .rip = entry,
	    .rsp = stack_top,
	    .rdi = boot_info,
	    .rflags = RFLAGS_1, /* IOPL 0: the TSS's I/O bitmap opens the hypercall ports */
	};
	if (ioctl(h->vcpu, KVM_SET_REGS, &r) < 0) {
		hvt_warn("KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Writes out what the guest put in its console buffer. */
static void drain_console(struct hvt *h)
{
	struct hvt_boot_info *b = h->boot;
	uint64_t len = b->console_len;
	if (!len)
		return;
	if (len > HVT_CONSOLE_SIZE)
		len = HVT_CONSOLE_SIZE; /* a hostile length: write what fits */
	const uint8_t *p = h->mem + HVT_CONSOLE_BASE;
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (uint64_t)n;
	}
	b->console_len = 0;
}

static void report_fault(struct hvt *h, uint32_t vector)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	ioctl(h->vcpu, KVM_GET_REGS, &r);
	ioctl(h->vcpu, KVM_GET_SREGS, &s);
	/* the frame the CPU pushed: [error code], rip, cs, rflags, rsp, ss */
	bool has_error = x86_vector_has_error(vector);
	uint64_t *frame = hvt_checked(h, r.rsp, 6 * 8);
	uint64_t rip = 0, err = 0, rsp = 0;
	if (frame) {
		err = has_error ? frame[0] : 0;
		rip = frame[has_error ? 1 : 0];
		rsp = frame[has_error ? 4 : 3];
	}
	uint64_t guard = hvt_stack_guard(h);
	if (vector == X86_PAGE_FAULT)
		hvt_warn("the unikernel faulted: %s at rip 0x%llx, address 0x%llx (%s, %s)%s",
			 x86_vector_name(vector), (unsigned long long)rip,
			 (unsigned long long)s.cr2, err & 2 ? "write" : "read",
			 err & 1 ? "protection" : "not mapped",
			 s.cr2 >= guard && s.cr2 < guard + HVT_GUARD_SIZE ? ": the stack overflowed"
									  : "");
	else
		hvt_warn("the unikernel faulted: %s (vector %u) at rip 0x%llx, rsp 0x%llx",
			 x86_vector_name(vector), vector, (unsigned long long)rip,
			 (unsigned long long)rsp);
	h->done = true;
	h->status = HVT_STATUS_FAULT;
}

static void io_exit(struct hvt *h)
{
	struct kvm_run *run = h->run;
	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 || run->io.count != 1) {
		hvt_hostile(h, "unexpected I/O on port 0x%x", run->io.port);
		return;
	}
	uint32_t value;
	memcpy(&value, (uint8_t *)run + run->io.data_offset, 4);
	if (run->io.port == HVT_PORT_FAULT) {
		report_fault(h, value);
		return;
	}
	unsigned nr = run->io.port - HVT_PORT_BASE;
	if (run->io.port < HVT_PORT_BASE || nr >= HVT_HYPERCALL_MAX || !handlers[nr]) {
		hvt_hostile(h, "unknown hypercall on port 0x%x", run->io.port);
		return;
	}
	handlers[nr](h, value);
}

int hvt_vm_run(struct hvt *h)
{
	while (!h->done) {
		if (hvt_stats_wanted) {
			hvt_stats_wanted = 0;
			hvt_print_stats(h);
		}
		if (ioctl(h->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			hvt_warn("KVM_RUN: %s", strerror(errno));
			return HVT_STATUS_MONITOR;
		}
		h->exits++;
		drain_console(h);
		switch (h->run->exit_reason) {
		case KVM_EXIT_IO:
			io_exit(h);
			break;
		case KVM_EXIT_SHUTDOWN:
			hvt_warn("the unikernel crashed (triple fault)");
			h->done = true;
			h->status = HVT_STATUS_FAULT;
			break;
		case KVM_EXIT_MMIO:
			hvt_hostile(h, "access to guest-physical address 0x%llx outside memory",
				    (unsigned long long)h->run->mmio.phys_addr);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			hvt_warn("KVM internal error (suberror %u): the host could not run an "
				 "instruction of the unikernel",
				 h->run->internal.suberror);
			h->done = true;
			h->status = HVT_STATUS_FAULT;
			break;
		case KVM_EXIT_FAIL_ENTRY:
			hvt_warn(
			    "KVM could not enter the guest (reason 0x%llx)",
			    (unsigned long long)h->run->fail_entry.hardware_entry_failure_reason);
			return HVT_STATUS_MONITOR;
		default:
			hvt_hostile(h, "unexpected VM exit %u", h->run->exit_reason);
			break;
		}
	}
	return h->status;
}
