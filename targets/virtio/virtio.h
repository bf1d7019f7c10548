/* virtio.h: device enumeration and the legacy virtio drivers (network and
 * block) of the virtio runtime, and its idle wait. Devices are driven by
 * polling; interrupts (a virtio-net device's used buffers, a timer) only
 * end the idle wait, in which the CPU halts. */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include <stddef.h>
#include <stdint.h>

#include "mirage_api.h"

enum virtio_kind { VIRTIO_NET = 1, VIRTIO_BLOCK = 2, VIRTIO_CONSOLE = 3 };

/* Resets the table of opened devices (devices.c), before mirage_main. */
void virtio_devices_init(void);

/* Halts the CPU until an interrupt (a device's, or the timer's armed for
 * deadline, monotonic nanoseconds) or the deadline; MAY return early
 * (apic.c on x86_64, aarch64/gic.c on aarch64). */
void virtio_idle(uint64_t deadline);
/* x86_64: the interrupt vectors, and the local APIC's id (MSI-X messages
 * go to it). */
#define VIRTIO_VECTOR_TIMER    0x20
#define VIRTIO_VECTOR_DEVICE   0x21
#define VIRTIO_VECTOR_SPURIOUS 0xff
uint32_t virtio_apic_id(void);
/* Set when an opened network device could not be given an interrupt: the
 * idle wait then lasts at most a millisecond (the device is polled). */
extern int virtio_polling;

/* The platform's: finds its virtio devices with its transports' scans, in
 * the order they are matched to the manifest. Returns how many. Called by
 * the first virtio_open (a unikernel without devices probes nothing). */
int virtio_scan(void);
/* The transports' scans, each returning how many it found: virtio-mmio
 * (mmio.c) from the highest transport down, which is QEMU's command-line
 * order; virtio-pci (pci.c, x86_64) in slot order. */
int virtio_mmio_scan(void);
int virtio_pci_scan(void);
/* The platform's virtio-mmio transports: count of them, 0x200 bytes apart
 * from base. Returns 0, or -1 when the machine has none. */
int virtio_mmio_window(uintptr_t *base, unsigned *count);
/* Makes transport i's interrupt end the idle wait. Returns 0 or -1. */
int virtio_mmio_irq_enable(unsigned i);
/* Acknowledges transport i's interrupt (its level line drops); the _all
 * form those of every transport whose interrupt was enabled. */
void virtio_mmio_ack(unsigned i);
void virtio_mmio_ack_all(void);
/* The index-th device of a kind in scan order (0 first), set up; or -1
 * when there is none. Returns a handle for the calls below. */
int virtio_open(enum virtio_kind kind, int index);

void virtio_net_mac(int h, uint8_t mac[6]);
mirage_result virtio_net_read(int h, void *buf, size_t size, size_t *len);
mirage_result virtio_net_write(int h, const void *buf, size_t len);
/* Whether a packet is waiting. */
int virtio_net_pending(int h);

/* Writes buf to the first virtio console, waiting until the device took it
 * (the status channel of mirage run on aarch64). Returns 0, or -1 when there
 * is no console device. */
int virtio_console_write(const char *buf, size_t len);

uint64_t virtio_block_capacity(int h);
mirage_result virtio_block_io(int h, int write, uint64_t offset, void *buf, size_t len);
mirage_result virtio_block_flush(int h);

#endif
