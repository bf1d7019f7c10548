/* floor.c: the least a KVM monitor can do, as the benchmark's floor: open
 * /dev/kvm, create a VM with 4 MiB of memory and one vCPU in 64-bit mode
 * (page tables built by the host, privilege level 3 as mirage-hvt's
 * guests), run `out` once, and exit. Timed like the real monitor. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	size_t size = 4 << 20;
	uint8_t *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kvm_userspace_memory_region r = {0, 0, 0, size, (uint64_t)(uintptr_t)mem};
	if (kvm < 0 || vm < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		perror("kvm");
		return 1;
	}
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	int msz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_run *run = mmap(NULL, (size_t)msz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	uint64_t *pml4 = (void *)(mem + 0x1000), *pdpt = (void *)(mem + 0x2000),
		 *pd = (void *)(mem + 0x3000);
	pml4[0] = 0x2000 | 7;
	pdpt[0] = 0x3000 | 7;
	pd[0] = 0x87;
	pd[1] = 0x200000 | 0x87;
	/* mov $0x500, %dx; out %eax, %dx */
	static const uint8_t code[] = {0x66, 0xba, 0x00, 0x05, 0xef};
	memcpy(mem + 0x100000, code, sizeof(code));
	/* a TSS whose I/O bitmap (all zero) opens every port */
	uint16_t iomap = 104;
	memcpy(mem + 0x5000 + 102, &iomap, 2);
	struct kvm_sregs s;
	ioctl(vcpu, KVM_GET_SREGS, &s);
	struct kvm_segment cs = {.limit = 0xffffffff,
				 .selector = 0x1b,
				 .type = 11,
				 .present = 1,
				 .dpl = 3,
				 .s = 1,
				 .l = 1,
				 .g = 1};
	struct kvm_segment ds = {.limit = 0xffffffff,
				 .selector = 0x23,
				 .type = 3,
				 .present = 1,
				 .dpl = 3,
				 .db = 1,
				 .s = 1,
				 .g = 1};
	struct kvm_segment tr = {
	    .base = 0x5000, .limit = 104 + 0x600 / 8, .selector = 0x28, .type = 11, .present = 1};
	s.cs = cs;
	s.ds = s.es = s.fs = s.gs = s.ss = ds;
	s.tr = tr;
	s.cr3 = 0x1000;
	s.cr4 = 1 << 5;
	s.cr0 = 0x80050033;
	s.efer = 0x500;
	struct kvm_regs regs = {.rip = 0x100000, .rsp = 0x200000, .rflags = 2};
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ||
	    ioctl(vcpu, KVM_RUN, 0) < 0 || run->exit_reason != KVM_EXIT_IO) {
		fprintf(stderr, "floor: the guest did not reach its out (exit %u)\n",
			run->exit_reason);
		return 1;
	}
	return 0;
}
