/* setjmp.h: freestanding libc of mirage. */
#ifndef _SETJMP_H
#define _SETJMP_H
/* x86_64: rbx rbp r12-r15 rsp rip; aarch64: x19-x30, sp, d8-d15 */
typedef unsigned long jmp_buf[22];
int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);
#endif
