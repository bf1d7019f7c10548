/* gnttab.c: the grant table (version 1), through which backends in dom0 map
 * our ring and buffer pages: its frames are mapped into pages of ours
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table), and an entry is granted
 * by writing the frame and domain before the flags. The first 8 entries
 * are the toolstack's. */
#include <stdint.h>

#include "mirage_cpu.h"
#include "xen.h"

#define FRAMES	 8
#define ENTRIES	 (FRAMES * XEN_PAGE / sizeof(struct grant_entry_v1))
#define RESERVED 8

static struct grant_entry_v1 table[ENTRIES] __attribute__((aligned(XEN_PAGE)));
static uint16_t free_list[ENTRIES];
static unsigned nfree;

int xen_gnttab_init(void)
{
	for (unsigned i = 0; i < FRAMES; i++) {
		struct xen_add_to_physmap map = {DOMID_SELF, 0, XENMAPSPACE_grant_table, i,
						 ((uintptr_t)table + i * XEN_PAGE) / XEN_PAGE};
		if (xen_hypercall(HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uintptr_t)&map,
				  0) != 0)
			return -1;
	}
	for (unsigned i = ENTRIES; i-- > RESERVED;)
		free_list[nfree++] = (uint16_t)i;
	return 0;
}

int xen_grant(uint16_t dom, uint64_t gpfn, int readonly)
{
	if (!nfree)
		return -1;
	unsigned ref = free_list[--nfree];
	volatile struct grant_entry_v1 *e = &table[ref];
	e->domid = dom;
	e->frame = (uint32_t)gpfn;
	barrier();
	e->flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0));
	return (int)ref;
}

void xen_grant_end(int ref)
{
	if (ref < RESERVED || (unsigned)ref >= ENTRIES)
		return;
	table[ref].flags = 0;
	barrier();
	free_list[nfree++] = (uint16_t)ref;
}
