/* start.S: the multiboot entry of a virtio kernel (QEMU's -kernel under
 * -M pc, GRUB, SYSLINUX's mboot.c32): %eax holds 0x2badb002 and %ebx the
 * multiboot information. The header uses the "a.out kludge" (load
 * addresses), since QEMU refuses an ELF64 otherwise. The rest of the way
 * into long mode, and the PVH entry, are x86/boot.S's. */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010002 /* memory information, load addresses */

	.section .text.multiboot, "ax"
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
	jmp x86_boot32

	.section .note.GNU-stack, "", @progbits
