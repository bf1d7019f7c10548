/* floor-pvh.S: the least a PVH kernel can do, as the virtio benchmark's
 * floor: at its 32-bit entry, write 0 to isa-debug-exit (QEMU exits 1). */
	.section .text
	.code32
	.globl _start
_start:
	xor %eax, %eax
	mov $0xf4, %dx
	outl %eax, %dx
1:	hlt
	jmp 1b

	.section .note.pvh, "a", @note
	.align 4
	.long 4, 4, 18
	.asciz "Xen"
	.long _start

	.section .note.GNU-stack, "", @progbits
