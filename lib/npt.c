/* SPDX-License-Identifier: MIT */
/* Identity nested page tables: see npt.h. */
#include "lib/npt.h"

#include "lib/processor-flags.h"

#define NPT_DIR         (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define GIB             (1ULL << 30)
#define TWO_MIB         (2ULL << 20)

uint64_t npt_build(struct npt_tables *t, uint64_t pa)
{
	for (unsigned i = 0; i < 512; i++) {
		t->pml4[i] = 0;
		t->pdpt[i] = 0;
	}
	t->pml4[0] = (pa + __builtin_offsetof(struct npt_tables, pdpt)) | NPT_DIR;
	for (unsigned g = 0; g < 4; g++) {
		t->pdpt[g] = (pa + __builtin_offsetof(struct npt_tables, pd) + g * 4096) | NPT_DIR;
		for (unsigned i = 0; i < 512; i++)
			t->pd[g][i] = (g * GIB + i * TWO_MIB) | NPT_DIR | _PAGE_PSE;
	}
	/* GiB 4: the faulting pages (npt.h). */
	t->pdpt[4] = (pa + __builtin_offsetof(struct npt_tables, pd_faults)) | NPT_DIR;
	for (unsigned i = 0; i < 512; i++)
		t->pd_faults[i] = 0;
	t->pd_faults[0] = NPT_GPA_READ_ONLY | _PAGE_PRESENT | _PAGE_USER | _PAGE_PSE;
	t->pd_faults[1] = NPT_GPA_NO_EXEC | NPT_DIR | _PAGE_PSE | (1ULL << 63);
	t->pd_faults[2] = NPT_GPA_RESERVED | NPT_DIR | _PAGE_PSE | (1ULL << 13);
	return pa;
}

void npt_tlb_page(struct npt_tables *t, unsigned cpu, bool present)
{
	if (cpu < NPT_TLB_PAGES)
		t->pd_faults[4 + cpu] = present ? _PAGE_PRESENT | _PAGE_USER | _PAGE_PSE : 0;
}

uint64_t npt_translate(const struct npt_tables *t, uint64_t pa, uint64_t gpa)
{
	const uint64_t addr_mask = 0x000ffffffffff000ULL;
	uint64_t e = t->pml4[(gpa >> 39) & 511];

	if (!(e & _PAGE_PRESENT) || (e & addr_mask) != pa + __builtin_offsetof(struct npt_tables, pdpt))
		return ~0ULL;
	e = t->pdpt[(gpa >> 30) & 511];
	uint64_t pd_pa = e & addr_mask, pd0 = pa + __builtin_offsetof(struct npt_tables, pd);
	if (!(e & _PAGE_PRESENT) || pd_pa < pd0 || pd_pa >= pd0 + 5 * 4096 || (pd_pa - pd0) % 4096)
		return ~0ULL;
	unsigned g = (unsigned)((pd_pa - pd0) / 4096);
	e = (g < 4 ? t->pd[g] : t->pd_faults)[(gpa >> 21) & 511];
	/* A 2 MiB PDE's bits 20:13 are reserved (must be 0). */
	if (!(e & _PAGE_PRESENT) || !(e & _PAGE_PSE) || !(e & _PAGE_USER) || (e & 0x1fe000))
		return ~0ULL;
	return (e & 0x000fffffffe00000ULL) | (gpa & (TWO_MIB - 1));
}
