/* start.S: the entry of a virtio unikernel on aarch64 (QEMU -M virt, from
 * -kernel). The image is a flat binary with the arm64 Linux Image header, so
 * that QEMU and boot loaders load it at RAM + 0x80000 and pass the device
 * tree's address in x0. From EL2 it drops to EL1; at EL1 it installs the exception
 * vectors, enables FP/SIMD, identity-maps the first 4 GiB (device memory
 * below 1 GiB, normal cacheable memory above, where RAM starts), turns the
 * MMU and caches on (bss zeroed first: the tables are there), and calls
 * virtio_start(x0 = the device tree). */
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
	adr x1, __bss_start
	adr x2, _end
2:	cmp x1, x2
	b.hs 3f
	str xzr, [x1], #8
	b 2b
3:
	/* four 1 GiB blocks: device, then normal memory */
	adr x1, boot_l1
	mov x2, #0x401			/* AF, AttrIdx 0 (device), block */
	orr x2, x2, #(3 << 53)		/* UXN, PXN */
	str x2, [x1]
	mov x3, #1
	mov x4, #0x705			/* AF, inner shareable, AttrIdx 1 (normal), block */
1:	lsl x2, x3, #30
	orr x2, x2, x4
	str x2, [x1, x3, lsl #3]
	add x3, x3, #1
	cmp x3, #4
	b.ne 1b

	ldr x1, =0xff00			/* MAIR: 0 = Device-nGnRnE, 1 = Normal write-back */
	msr mair_el1, x1
	/* TCR: T0SZ 32 (4 GiB), walks cacheable and inner shareable, 4 KiB
	 * granule, no TTBR1 walks (EPD1), 32-bit physical addresses */
	ldr x1, =(32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
	msr tcr_el1, x1
	adr x1, boot_l1
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

	adr x1, boot_stack_top
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
	.align 4
	.skip 65536
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
