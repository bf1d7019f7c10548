/* bootinfo.c: what the boot protocols tell an x86_64 kernel: the memory map
 * (the heap) and the command line (the arguments), from the multiboot
 * information or the PVH start info (Xen's hvm_start_info, QEMU's PVH
 * loader: magic 0x336ec578). */
#include <stdint.h>
#include <string.h>

#include "mirage_rt.h"
#include "x86.h"

void __mirage_heap_init(void *start, size_t len);

extern char _end[];

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct pvh_memmap {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define PVH_MAGIC 0x336ec578
#define RAM	  1

static char cmdline[4096];

/* The heap: the part of RAM region [lo, hi) above the kernel. */
static void heap_from(uint64_t lo, uint64_t hi)
{
	uint64_t start = ((uintptr_t)_end + 4095) & ~4095ULL;
	if (hi > 0x100000000ULL)
		hi = 0x100000000ULL; /* the page tables map 4 GiB */
	if (lo <= start && hi > start)
		__mirage_heap_init((void *)(uintptr_t)start, hi - start);
}

static const char *multiboot(const struct mb_info *mb)
{
	if (mb->flags & (1 << 6)) {
		uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
		while (p < end) {
			const struct mb_mmap *m = (const struct mb_mmap *)(uintptr_t)p;
			if (m->type == RAM)
				heap_from(m->addr, m->addr + m->len);
			p += m->size + 4;
		}
	} else if (mb->flags & 1) {
		heap_from(0x100000, 0x100000 + (uint64_t)mb->mem_upper * 1024);
	}
	return mb->flags & (1 << 2) ? (const char *)(uintptr_t)mb->cmdline : NULL;
}

static const char *pvh(const struct pvh_start_info *si)
{
	if (si->magic != PVH_MAGIC)
		return NULL;
	const struct pvh_memmap *m = (const struct pvh_memmap *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; si->version >= 1 && m && i < si->memmap_entries; i++)
		if (m[i].type == RAM)
			heap_from(m[i].addr, m[i].addr + m[i].size);
	return si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : NULL;
}

int x86_boot_args(uint32_t protocol, uint32_t info, char **argv, int max)
{
	const char *cl = protocol == 1 ? multiboot((const struct mb_info *)(uintptr_t)info)
				       : pvh((const struct pvh_start_info *)(uintptr_t)info);
	if (cl) {
		strncpy(cmdline, cl, sizeof(cmdline) - 1);
		cmdline[sizeof(cmdline) - 1] = '\0';
	}
	/* multiboot loaders put the kernel's name first */
	return mirage_args_split(cmdline, protocol == 1, argv, max);
}
