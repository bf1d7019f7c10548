/* fdt.h: reading the boot arguments and the memory of a flattened device
 * tree (the device tree QEMU passes an arm64 Image). */
#ifndef VIRTIO_FDT_H
#define VIRTIO_FDT_H

#include <stddef.h>
#include <stdint.h>

/* Copies /chosen/bootargs into cmdline (NUL-terminated, truncated to fit)
 * and the first /memory reg (two cells of address, two of size) into
 * *mem_base and *mem_size, when present; leaves them otherwise. Every offset
 * is checked against the tree's own sizes, and those against max (the
 * bytes readable at fdt). */
void fdt_read(const uint8_t *fdt, size_t max, char *cmdline, size_t cmdline_size,
	      uint64_t *mem_base, uint64_t *mem_size);

#endif
