/* boot.S (x86_64): the way into long mode for the kernels of the virtio and
 * xen targets. Boot protocols arrive here in 32-bit protected mode with
 * paging off and %edi saying which (1: multiboot, virtio/start.S; 2: PVH),
 * %esi its information:
 *   PVH: QEMU's PVH loader (-M microvm, pc), Xen's PVH guests; %ebx holds
 *     the start info (its entry is in the note at the end).
 * It builds the page tables (the first 4 GiB identity-mapped in 2 MiB
 * pages), enters long mode, and calls x86_start(protocol, info) in C, which
 * the target defines. Nothing before long mode touches SSE. It also holds
 * the exception and interrupt stubs (traps.c), the boot stack and its guard
 * page. */

	.section .text.boot, "ax"
	.code32

	/* the entry of a kernel without another (xen): PVH */
	.weak _start
	.set _start, start_pvh

	.globl start_pvh
start_pvh:
	mov $2, %edi
	mov %ebx, %esi

	.globl x86_boot32
x86_boot32:
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
	call x86_start
3:	cli
	hlt
	jmp 3b

	/* The exception stubs: each pushes a zero error code where the CPU
	 * pushes none, then its vector, and goes to x86_trap(frame). The
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
	.globl x86_trap_stubs
x86_trap_stubs:
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
	call x86_trap
1:	cli
	hlt
	jmp 1b

	/* Interrupts only end an idle wait (virtio/apic.c): they are let in at one
	 * `sti; hlt` and do nothing but end the local APIC's interrupt (its EOI
	 * register; the address fits a zero-extended 32-bit move). */
	.align 16
	.globl x86_irq_stub
x86_irq_stub:
	push %rax
	mov $0xfee000b0, %eax
	movl $0, (%rax)
	pop %rax
	iretq

	/* a spurious interrupt takes no EOI */
	.align 16
	.globl x86_spurious_stub
x86_spurious_stub:
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
