/* start.S: the entries of a virtio unikernel. Two boot protocols lead here,
 * both in 32-bit protected mode with paging off:
 *   multiboot (v1): QEMU's -kernel, GRUB, SYSLINUX's mboot.c32; %eax holds
 *     0x2badb002 and %ebx the multiboot information. The header uses the
 *     "a.out kludge" (load addresses), since QEMU refuses an ELF64 otherwise;
 *   PVH: QEMU's PVH loader (-M microvm, pc), Xen; %ebx holds the start info.
 * Both build the page tables (the first 4 GiB identity-mapped in 2 MiB
 * pages), enter long mode, and call virtio_start(protocol, info) in C.
 * Nothing before long mode touches SSE. */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010002 /* memory information, load addresses */

	.section .text.boot, "ax"
	.code32
	.align 4
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long multiboot_header	/* header_addr */
	.long _load_start	/* load_addr */
	.long _edata		/* load_end_addr */
	.long _end		/* bss_end_addr */
	.long start_multiboot	/* entry_addr */

	.globl start_multiboot
	.globl _start
start_multiboot:
_start:
	mov $1, %edi
	mov %ebx, %esi
	jmp common32

	.globl start_pvh
start_pvh:
	mov $2, %edi
	mov %ebx, %esi

common32:
	cli
	cld
	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories */
	movl $boot_pdpt + 3, boot_pml4
	mov $boot_pd, %eax
	or $3, %eax
	xor %ecx, %ecx
1:	mov %eax, boot_pdpt(,%ecx,8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b
	/* 2048 entries of 2 MiB: present, writable, large */
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, boot_pd(,%ecx,8)
	mov %ecx, %eax
	shr $11, %eax		/* the high half: bits 32+ of (ecx << 21) */
	mov %eax, boot_pd + 4(,%ecx,8)
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov %cr4, %eax
	or $0x20, %eax		/* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx	/* EFER */
	rdmsr
	or $0x100, %eax		/* LME */
	wrmsr
	mov %cr0, %eax
	or $0x80000001, %eax	/* PG, PE */
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $start64

	.code64
start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $boot_stack_top, %rsp
	xor %ebp, %ebp
	/* the FPU and SSE, for user code: EM off, MP on; OSFXSR, OSXMMEXCPT */
	mov %cr0, %rax
	and $~4, %rax
	or $2, %rax
	mov %rax, %cr0
	mov %cr4, %rax
	or $0x600, %rax
	mov %rax, %cr4
	fninit
	mov %edi, %edi
	mov %esi, %esi
	call virtio_start
3:	cli
	hlt
	jmp 3b

	/* The exception stubs: each pushes a zero error code where the CPU
	 * pushes none, then its vector, and goes to virtio_trap(frame). The
	 * IDT (traps.c) gives them a stack of their own (IST 1), so that a
	 * stack overflow is reported too. */
	.macro trap vector, errcode
	.align 16
	.if \errcode == 0
	pushq $0
	.endif
	pushq $\vector
	jmp trap_common
	.endm

	.align 16
	.globl virtio_trap_stubs
virtio_trap_stubs:
	trap 0, 0
	trap 1, 0
	trap 2, 0
	trap 3, 0
	trap 4, 0
	trap 5, 0
	trap 6, 0
	trap 7, 0
	trap 8, 1
	trap 9, 0
	trap 10, 1
	trap 11, 1
	trap 12, 1
	trap 13, 1
	trap 14, 1
	trap 15, 0
	trap 16, 0
	trap 17, 1
	trap 18, 0
	trap 19, 0
	trap 20, 0
	trap 21, 1
	trap 22, 0
	trap 23, 0
	trap 24, 0
	trap 25, 0
	trap 26, 0
	trap 27, 0
	trap 28, 0
	trap 29, 1
	trap 30, 1
	trap 31, 0

trap_common:
	mov %rsp, %rdi		/* vector, error code, rip, cs, rflags, rsp, ss */
	and $-16, %rsp
	call virtio_trap
1:	cli
	hlt
	jmp 1b

	/* Interrupts only end an idle wait (apic.c): they are let in at one
	 * `sti; hlt` and do nothing but end the local APIC's interrupt (its EOI
	 * register; the address fits a zero-extended 32-bit move). */
	.align 16
	.globl virtio_irq_stub
virtio_irq_stub:
	push %rax
	mov $0xfee000b0, %eax
	movl $0, (%rax)
	pop %rax
	iretq

	/* a spurious interrupt takes no EOI */
	.align 16
	.globl virtio_spurious_stub
virtio_spurious_stub:
	iretq

	.section .rodata
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	/* PVH: the 32-bit entry, in a note of its own (XEN_ELFNOTE_PHYS32_ENTRY) */
	.section .note.pvh, "a", @note
	.align 4
	.long 4			/* namesz */
	.long 4			/* descsz */
	.long 18		/* type */
	.asciz "Xen"
	.long start_pvh

	.section .bss
	.align 4096
boot_pml4:
	.skip 4096
	.globl boot_pd
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	/* a page left unmapped (traps.c) below the stack: an overflow faults */
	.globl boot_stack_guard
boot_stack_guard:
	.skip 4096
	.skip 524288			/* the stack: 512 KiB, as real code (parsers,
				 * interpreters) recurses */
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
