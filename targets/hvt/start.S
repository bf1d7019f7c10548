/* start.S: the entry of an hvt unikernel. The monitor starts us in 64-bit
 * mode, privilege level 3, with %rdi = the boot info and %rsp at the top of
 * memory (hvt_abi.h). */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp		/* the end of the frame chain */
	and $-16, %rsp
	call hvt_start
	ud2
	.size _start, .-_start

	.section .note.GNU-stack, "", @progbits
