/* SPDX-License-Identifier: MIT */
/*
 * Extra identity mappings (a framebuffer above 4 GiB). SDM Vol. 3A, chapter
 * "Paging", "4-Level Paging": the boot PDPT (boot/entry.S) has entries 0-3 for
 * the first 4 GiB; each further PDPT entry takes one page directory of 512
 * 2-MByte pages from a small static reserve.
 */
#include "arch/paging.h"

#include "arch/x86.h"
#include "lib/processor-flags.h"

#define GIB             (1ULL << 30)
#define SPARE_PDS       8       /* 8 GiB beyond the first 4: a framebuffer, ACPI tables */

extern uint64_t boot_pml4[], boot_pdpt[], boot_pd[];
static uint64_t spare_pd[SPARE_PDS][512] __attribute__((aligned(4096)));
static unsigned spare_used;

void paging_load_boot_tables(void)
{
	/* "4-Level Paging": one PML4 entry, four PDPT entries, 4 x 512 PDEs of
	 * 2-MByte pages (PS=1), as boot/entry.S builds them. */
	boot_pml4[0] = (uint64_t)(uintptr_t)boot_pdpt | _PAGE_PRESENT | _PAGE_RW;
	for (unsigned g = 0; g < 4; g++)
		boot_pdpt[g] = (uint64_t)(uintptr_t)&boot_pd[g * 512] | _PAGE_PRESENT | _PAGE_RW;
	for (unsigned i = 0; i < 4 * 512; i++)
		boot_pd[i] = (uint64_t)i << 21 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	write_cr3((uint64_t)(uintptr_t)boot_pml4);
}

bool paging_map_identity(uint64_t pa, uint64_t len)
{
	if (!len || pa + len < pa || pa + len > 512 * GIB)
		return false;
	uint64_t first = pa / GIB, last = (pa + len - 1) / GIB;
	unsigned need = 0;

	for (uint64_t g = first; g <= last; g++)
		need += !(boot_pdpt[g] & _PAGE_PRESENT);
	if (spare_used + need > SPARE_PDS)
		return false;
	for (uint64_t g = first; g <= last; g++) {
		if (boot_pdpt[g] & _PAGE_PRESENT)
			continue;
		uint64_t *pd = spare_pd[spare_used++];
		for (unsigned i = 0; i < 512; i++)
			pd[i] = (g * GIB + i * (2ULL << 20)) | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
		boot_pdpt[g] = (uint64_t)(uintptr_t)pd | _PAGE_PRESENT | _PAGE_RW;
	}
	/* "Invalidation of TLBs and Paging-Structure Caches": entries that were
	 * not present are the only ones changed, and only when need > 0; reload
	 * CR3 then, not on every call (the ACPI and PVH readers map each table and
	 * field they read; an emulator pays for each flush). */
	if (need)
		write_cr3(read_cr3());
	return true;
}

bool paging_map_uncached(uint64_t pa)
{
	/* "Memory Types and Their Properties": PCD and PWT with PAT entry 3 at its
	 * reset value give UC; set on the 2 MiB page that holds pa. */
	if (!paging_map_identity(pa & ~0xfffULL, 4096))
		return false;
	uint64_t *pd = (uint64_t *)(uintptr_t)(boot_pdpt[pa / GIB] & ~0xfffULL);
	pd[(pa >> 21) & 511] |= _PAGE_PCD | _PAGE_PWT;
	write_cr3(read_cr3());  /* flush the old translation */
	return true;
}

const void *paging_phys_map(void *ctx, uint64_t pa, uint32_t len)
{
	(void)ctx;
	if (pa == 0 || !len || !paging_map_identity(pa, len))
		return 0;
	return phys_to_virt(pa);
}
