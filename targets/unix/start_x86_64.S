/* start_x86_64.S: the entry of a unix unikernel on x86_64, a static Linux
 * process with no C library but mirage's. The kernel starts it with %rsp at
 * argc, then argv, then the environment (the System V ABI's initial stack). */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp		/* the end of the frame chain */
	mov %rsp, %rdi
	and $-16, %rsp
	call unix_start
	ud2
	.size _start, .-_start

/* Where a signal handler returns to: rt_sigreturn (x86_64 requires one). */
	.globl unix_sigreturn
	.type unix_sigreturn, @function
unix_sigreturn:
	mov $15, %eax
	syscall
	ud2
	.size unix_sigreturn, .-unix_sigreturn

	.section .note.GNU-stack, "", @progbits
