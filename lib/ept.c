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
