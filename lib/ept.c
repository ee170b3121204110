/* SPDX-License-Identifier: MIT */
/* The identity EPT: see ept.h. */
#include "lib/ept.h"

#include "lib/vmcs.h"

#define GIB             (1ull << 30)
#define MIB2            (2ull << 20)
#define LEAF_WB         (VMX_EPT_RWX_MASK | ((uint64_t)MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT) | \
			 VMX_EPT_LARGE_PAGE)

uint64_t ept_build(struct ept_tables *t, uint64_t pa, bool gb_pages, bool wb)
{
	uint64_t pdpt = pa + __builtin_offsetof(struct ept_tables, pdpt);

	uint64_t *w = (uint64_t *)t;
	for (unsigned i = 0; i < sizeof(*t) / sizeof(uint64_t); i++)
		w[i] = 0;
	/* A non-leaf entry: read, write, execute, and the next table's address. */
	t->pml4[0] = pdpt | VMX_EPT_RWX_MASK;
	for (unsigned g = 0; g < EPT_IDENTITY_END / GIB; g++) {
		if (gb_pages) {
			t->pdpt[g] = (g * GIB) | LEAF_WB;
			continue;
		}
		uint64_t pd = pa + __builtin_offsetof(struct ept_tables, pd) + g * sizeof(t->pd[0]);
		t->pdpt[g] = pd | VMX_EPT_RWX_MASK;
		for (unsigned i = 0; i < 512; i++)
			t->pd[g][i] = (g * GIB + i * MIB2) | LEAF_WB;
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
