/* start_aarch64.S: the entry of a unix unikernel on aarch64, a static Linux
 * process with no C library but mirage's. The kernel starts it with sp at
 * argc, then argv, then the environment. */
	.text
	.globl _start
	.type _start, %function
_start:
	mov x29, #0		/* the end of the frame chain */
	mov x30, #0
	mov x0, sp
	bl unix_start
	brk #0
	.size _start, .-_start

/* Where a signal handler returns to: rt_sigreturn. */
	.globl unix_sigreturn
	.type unix_sigreturn, %function
unix_sigreturn:
	mov x8, #139
	svc #0
	brk #0
	.size unix_sigreturn, .-unix_sigreturn

	.section .note.GNU-stack, "", %progbits
