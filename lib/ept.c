/* SPDX-License-Identifier: MIT */
/* The identity EPT: see ept.h. */
#include "lib/ept.h"

#include "lib/memmap.h"
#include "lib/vmcs.h"

#define GIB             (1ull << 30)
#define MIB2            (2ull << 20)
#define PAGE            4096ull
#define LEAF_WB         (VMX_EPT_RWX_MASK | ((uint64_t)MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT) | \
			 VMX_EPT_LARGE_PAGE)

/* How much of a range the memory map says is available RAM. */
enum ram { RAM_NONE, RAM_SOME, RAM_ALL };

static enum ram ram_in(const struct mb2_mmap_entry *map, unsigned n, uint64_t start, uint64_t end)
{
	struct memmap_hole h;
	uint64_t at = start;

	/* Each turn steps over one stretch that is not RAM (h.end > at), so at
	 * most 2n + 1 turns; RAM before a stretch or after the last one: some. */
	while (!memmap_range_available(map, n, at, end, &h)) {
		if (h.start > at)
			return RAM_SOME;
		if (h.end >= end)
			return RAM_NONE;
		at = h.end;
	}
	return at == start ? RAM_ALL : RAM_SOME;
}

/* Vol. 3C, "EPT Translation Mechanism", table "Format of an EPT Page-Table Entry
 * that Maps a 4-KByte Page" (and the PDE and PDPTE that map a page, with bit 7
 * set): bits 2:0 read, write, execute; bits 5:3 the EPT memory type, here
 * write-back (6) over RAM and uncacheable (0) elsewhere ("EPT and Memory
 * Typing"); bit 6, ignore PAT, 0: the guest's PAT type combines with it (ept.h). */
static uint64_t typed_leaf(uint64_t hpa, bool ram)
{
	return hpa | VMX_EPT_RWX_MASK |
	       ((uint64_t)(ram ? MTRR_TYPE_WRBACK : MTRR_TYPE_UNCACHABLE) << VMX_EPT_MT_EPTE_SHIFT);
}

/* The PDE of the 2 MiB region at gpa: a 2 MiB page of the region's one type,
 * or (mixed types) a page table from the pool, or, the pool used up, an
 * uncacheable 2 MiB page. */
static uint64_t region_pde(struct ept_tables *t, uint64_t pa, const struct mb2_mmap_entry *map,
			   unsigned n, uint64_t gpa)
{
	enum ram r = ram_in(map, n, gpa, gpa + MIB2);

	if (r != RAM_SOME)
		return typed_leaf(gpa, r == RAM_ALL) | VMX_EPT_LARGE_PAGE;
	if (t->pt_used == EPT_PT_POOL) {
		t->pt_short++;
		return typed_leaf(gpa, false) | VMX_EPT_LARGE_PAGE;
	}
	/* Vol. 3C, table "Format of an EPT Page-Directory Entry (PDE) that
	 * References an EPT Page Table": bit 7 0, bits 6:3 reserved (0), the
	 * table's address in bits N-1:12. */
	uint64_t *pt = t->pt[t->pt_used];
	struct memmap_hole h;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t at = gpa + i * PAGE;
		pt[i] = typed_leaf(at, memmap_range_available(map, n, at, at + PAGE, &h));
	}
	return (pa + __builtin_offsetof(struct ept_tables, pt) + t->pt_used++ * sizeof(t->pt[0])) |
	       VMX_EPT_RWX_MASK;
}

uint64_t ept_build(struct ept_tables *t, uint64_t pa, bool gb_pages, bool wb,
		   const struct mb2_mmap_entry *map, unsigned n)
{
	uint64_t pdpt = pa + __builtin_offsetof(struct ept_tables, pdpt);

	uint64_t *w = (uint64_t *)t;
	for (unsigned i = 0; i < sizeof(*t) / sizeof(uint64_t); i++)
		w[i] = 0;
	/* A non-leaf entry: read, write, execute, and the next table's address. */
	t->pml4[0] = pdpt | VMX_EPT_RWX_MASK;
	for (unsigned g = 0; g < EPT_IDENTITY_END / GIB; g++) {
		/* Vol. 3C, table "Format of an EPT Page-Directory-Pointer-Table Entry
		 * (PDPTE) that Maps a 1-GByte Page": only over a GiB of one type. */
		enum ram r = gb_pages ? ram_in(map, n, g * GIB, (g + 1) * GIB) : RAM_SOME;
		if (r != RAM_SOME) {
			t->pdpt[g] = typed_leaf(g * GIB, r == RAM_ALL) | VMX_EPT_LARGE_PAGE;
			continue;
		}
		uint64_t pd = pa + __builtin_offsetof(struct ept_tables, pd) + g * sizeof(t->pd[0]);
		t->pdpt[g] = pd | VMX_EPT_RWX_MASK;
		for (unsigned i = 0; i < 512; i++)
			t->pd[g][i] = region_pde(t, pa, map, n, g * GIB + i * MIB2);
	}
	/* "EPT Misconfigurations": an entry that is present (bits 2:0 not 000b) but
	 * write-only (bit 1 set, bit 0 clear) is misconfigured. */
	t->pdpt[EPT_MISCONFIG_GPA / GIB] = (pa + __builtin_offsetof(struct ept_tables, misconfig_pd)) |
					   VMX_EPT_RWX_MASK;
	t->misconfig_pd[0] = EPT_MISCONFIG_GPA | VMX_EPT_WRITABLE_MASK | VMX_EPT_LARGE_PAGE |
			     ((uint64_t)MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT);
	return (pa + __builtin_offsetof(struct ept_tables, pml4)) | VMX_EPTP_PWL_4 |
	       (wb ? VMX_EPTP_MT_WB : VMX_EPTP_MT_UC);
}

void ept_map_permissions(struct ept_tables *t, uint64_t host_pa, bool exec_only)
{
	uint64_t leaf = (host_pa & ~(MIB2 - 1)) | VMX_EPT_LARGE_PAGE |
			((uint64_t)MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT);

	t->misconfig_pd[1] = leaf | VMX_EPT_READABLE_MASK;
	t->misconfig_pd[2] = exec_only ? leaf | VMX_EPT_EXECUTABLE_MASK : 0;
	t->misconfig_pd[3] = leaf | VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK;
	t->misconfig_pd[(EPT_RX_GPA - EPT_MISCONFIG_GPA) / MIB2] =
		leaf | VMX_EPT_READABLE_MASK | VMX_EPT_EXECUTABLE_MASK;
	t->misconfig_pd[(EPT_RWX_GPA - EPT_MISCONFIG_GPA) / MIB2] = leaf | VMX_EPT_RWX_MASK;
	t->misconfig_pd[(EPT_WX_GPA - EPT_MISCONFIG_GPA) / MIB2] =
		leaf | VMX_EPT_WRITABLE_MASK | VMX_EPT_EXECUTABLE_MASK;
}

void ept_map_topics(struct ept_tables *t, uint64_t pa, uint64_t host_pa, uint64_t marker_pa,
		    uint64_t ad_pa, bool gb_pages)
{
	uint64_t region = host_pa & ~(MIB2 - 1);

	t->misconfig_pd[(EPT_RESERVED_BIT_GPA - EPT_MISCONFIG_GPA) / MIB2] = region | LEAF_WB | (1ull << 12);
	t->misconfig_pd[(EPT_BAD_MEMTYPE_GPA - EPT_MISCONFIG_GPA) / MIB2] =
		region | VMX_EPT_RWX_MASK | VMX_EPT_LARGE_PAGE |
		((uint64_t)EPT_RESERVED_MEMTYPE << VMX_EPT_MT_EPTE_SHIFT);
	t->misconfig_pd[(EPT_2MB_GPA - EPT_MISCONFIG_GPA) / MIB2] = (marker_pa & ~(MIB2 - 1)) | LEAF_WB;
	t->misconfig_pd[(EPT_NONLEAF_RESERVED_GPA - EPT_MISCONFIG_GPA) / MIB2] =
		(pa + __builtin_offsetof(struct ept_tables, pml4)) | VMX_EPT_RWX_MASK | (1ull << 3);
	for (unsigned i = EPT_AD_FIRST; i < 512; i++)
		t->misconfig_pd[i] = (ad_pa & ~(MIB2 - 1)) | LEAF_WB;
	if (gb_pages)
		t->pdpt[EPT_1GB_GPA / GIB] = LEAF_WB;           /* host [0, 1 GiB) */
}

bool ept_entry_misconfigured(uint64_t e, unsigned level, unsigned phys_bits, bool exec_only)
{
	bool leaf = level == 1 || ((level == 2 || level == 3) && (e & VMX_EPT_LARGE_PAGE));
	uint64_t reserved = phys_bits < 52 ? ((1ull << 52) - 1) & ~((1ull << phys_bits) - 1) : 0;
	unsigned type = (e >> VMX_EPT_MT_EPTE_SHIFT) & 7;

	if (!(e & VMX_EPT_RWX_MASK))
		return false;                           /* not present: a violation, if anything */
	if ((e & VMX_EPT_RWX_MASK & 3) == VMX_EPT_WRITABLE_MASK)
		return true;
	if ((e & VMX_EPT_RWX_MASK) == VMX_EPT_EXECUTABLE_MASK && !exec_only)
		return true;
	if (!leaf)
		reserved |= 0xf8ull;                    /* bits 7:3 */
	else if (level == 2)
		reserved |= 0x1ff000ull;                /* bits 20:12 */
	else if (level == 3)
		reserved |= 0x3ffff000ull;              /* bits 29:12 */
	if (e & reserved)
		return true;
	return leaf && (type == 2 || type == 3 || type == 7);
}
