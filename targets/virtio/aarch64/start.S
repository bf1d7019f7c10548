/* start.S: the entry of a virtio unikernel on aarch64 (QEMU -M virt, from
 * -kernel). The image is a flat binary with the arm64 Linux Image header, so
 * that QEMU and boot loaders load it at RAM + 0x80000 and pass the device
 * tree's address in x0. From EL2 it drops to EL1; at EL1 it installs the
 * exception vectors, enables FP/SIMD, identity-maps the first 4 GiB (device
 * memory below 1 GiB, normal cacheable memory above, where RAM starts; page
 * 0 and a guard page below the stack left out), turns the MMU and caches on
 * (bss zeroed first: the tables are there), and calls virtio_start(x0 = the
 * device tree) on SP_EL0, exceptions having SP_EL1 to themselves. */
	.section .text.boot, "ax"
	.globl _start
_start:
	b real_start			/* code0 */
	.long 0				/* code1 */
	.quad 0x80000			/* text_offset */
	.quad _end - _start		/* image_size, bss included */
	.quad 0xa			/* flags: little-endian, 4 KiB pages, anywhere */
	.quad 0, 0, 0
	.ascii "ARM\x64"		/* magic */
	.long 0

real_start:
	mov x19, x0			/* the device tree */
	mrs x1, CurrentEL
	lsr x1, x1, #2
	cmp x1, #2
	b.ne el1
	/* EL2: the guest runs at EL1, 64-bit */
	mov x1, #(1 << 31)		/* HCR_EL2.RW */
	msr hcr_el2, x1
	mov x1, #0x3c5			/* EL1h, interrupts masked */
	msr spsr_el2, x1
	adr x1, el1
	msr elr_el2, x1
	eret

el1:
	adr x1, vectors
	msr vbar_el1, x1
	mov x1, #(3 << 20)		/* CPACR_EL1.FPEN: FP and SIMD at EL1 and EL0 */
	msr cpacr_el1, x1
	isb

	/* bss first: the page tables live there */
	adrp x1, __bss_start
	add x1, x1, :lo12:__bss_start
	adrp x2, _end
	add x2, x2, :lo12:_end
2:	cmp x1, x2
	b.hs 3f
	str xzr, [x1], #8
	b 2b
3:
	/* The first 4 GiB, identity-mapped: device memory below 1 GiB (2 MiB
	 * blocks, but for its first 2 MiB in pages, page 0 left out: a NULL
	 * dereference faults), normal memory above (RAM: 2 MiB blocks, but for
	 * the 2 MiB holding the stack's guard page, in pages, the guard left out:
	 * an overflow faults). Addresses through adrp: the image may be large. */
	adrp x1, boot_l1
	add x1, x1, :lo12:boot_l1
	adrp x2, boot_l2_dev
	add x2, x2, :lo12:boot_l2_dev
	orr x3, x2, #3			/* a table */
	str x3, [x1]
	adrp x4, boot_l2_ram
	add x4, x4, :lo12:boot_l2_ram
	orr x3, x4, #3
	str x3, [x1, #8]
	ldr x5, =0x705			/* AF, inner shareable, AttrIdx 1 (normal), block */
	mov x3, #(2 << 30)
	orr x3, x3, x5
	str x3, [x1, #16]
	mov x3, #(3 << 30)
	orr x3, x3, x5
	str x3, [x1, #24]
	/* device: 2 MiB blocks, AF, AttrIdx 0, UXN and PXN */
	ldr x6, =(0x401 | (3 << 53))
	mov x7, #0
1:	lsl x3, x7, #21
	orr x3, x3, x6
	str x3, [x2, x7, lsl #3]
	add x7, x7, #1
	cmp x7, #512
	b.ne 1b
	/* its first 2 MiB in pages, page 0 left out */
	adrp x8, boot_l3_dev
	add x8, x8, :lo12:boot_l3_dev
	ldr x6, =(0x403 | (3 << 53))
	mov x7, #1
1:	lsl x3, x7, #12
	orr x3, x3, x6
	str x3, [x8, x7, lsl #3]
	add x7, x7, #1
	cmp x7, #512
	b.ne 1b
	orr x3, x8, #3
	str x3, [x2]
	/* RAM: 2 MiB blocks from 1 GiB */
	mov x14, #(1 << 30)
	mov x7, #0
1:	lsl x3, x7, #21
	add x3, x3, x14
	orr x3, x3, x5
	str x3, [x4, x7, lsl #3]
	add x7, x7, #1
	cmp x7, #512
	b.ne 1b
	/* the 2 MiB block holding the guard page, in pages, the guard left out */
	adrp x9, boot_stack_guard
	add x9, x9, :lo12:boot_stack_guard
	sub x10, x9, x14		/* the guard's offset in the RAM gigabyte */
	lsr x11, x10, #21		/* its block */
	lsl x12, x11, #21
	add x12, x12, x14		/* the block's address */
	adrp x8, boot_l3_ram
	add x8, x8, :lo12:boot_l3_ram
	ldr x6, =0x707			/* AF, inner shareable, AttrIdx 1, page */
	mov x7, #0
1:	lsl x3, x7, #12
	add x3, x3, x12
	orr x3, x3, x6
	str x3, [x8, x7, lsl #3]
	add x7, x7, #1
	cmp x7, #512
	b.ne 1b
	lsr x13, x10, #12
	and x13, x13, #511
	str xzr, [x8, x13, lsl #3]
	orr x3, x8, #3
	str x3, [x4, x11, lsl #3]

	ldr x1, =0xff00			/* MAIR: 0 = Device-nGnRnE, 1 = Normal write-back */
	msr mair_el1, x1
	/* TCR: T0SZ 32 (4 GiB), walks cacheable and inner shareable, 4 KiB
	 * granule, no TTBR1 walks (EPD1), 32-bit physical addresses */
	ldr x1, =(32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
	msr tcr_el1, x1
	adrp x1, boot_l1
	add x1, x1, :lo12:boot_l1
	msr ttbr0_el1, x1
	isb
	tlbi vmalle1
	dsb sy
	isb
	mrs x1, sctlr_el1
	orr x1, x1, #1			/* M */
	orr x1, x1, #(1 << 2)		/* C */
	orr x1, x1, #(1 << 12)		/* I */
	bic x1, x1, #(1 << 1)		/* no alignment checks */
	msr sctlr_el1, x1
	isb

	/* exceptions run on a stack of their own (SP_EL1), the unikernel on
	 * SP_EL0: a stack overflow is reported, not a hang */
	adrp x1, exception_stack_top
	add x1, x1, :lo12:exception_stack_top
	mov sp, x1
	msr spsel, #0
	adrp x1, boot_stack_top
	add x1, x1, :lo12:boot_stack_top
	mov sp, x1
	mov x0, x19
	bl virtio_start
4:	wfi
	b 4b

	/* exceptions: all go to virtio_exception(kind, esr, elr, far) */
	.macro vector kind
	.align 7
	mov x0, #\kind
	mrs x1, esr_el1
	mrs x2, elr_el1
	mrs x3, far_el1
	b virtio_exception
	.endm

	.align 11
vectors:
	vector 0
	vector 1
	vector 2
	vector 3
	vector 4
	vector 5
	vector 6
	vector 7
	vector 8
	vector 9
	vector 10
	vector 11
	vector 12
	vector 13
	vector 14
	vector 15

	.section .bss
	.align 12
boot_l1:
	.skip 4096
boot_l2_dev:
	.skip 4096
boot_l3_dev:
	.skip 4096
boot_l2_ram:
	.skip 4096
boot_l3_ram:
	.skip 4096
	.skip 16384
exception_stack_top:
	/* a page left unmapped below the stack: an overflow faults */
	.globl boot_stack_guard
boot_stack_guard:
	.skip 4096
	.skip 524288			/* the stack: 512 KiB, as real code (parsers,
				 * interpreters) recurses */
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
