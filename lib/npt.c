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
	return pa;
}

uint64_t npt_translate(const struct npt_tables *t, uint64_t pa, uint64_t gpa)
{
	const uint64_t addr_mask = 0x000ffffffffff000ULL;
	uint64_t e = t->pml4[(gpa >> 39) & 511];

	if (!(e & _PAGE_PRESENT) || (e & addr_mask) != pa + __builtin_offsetof(struct npt_tables, pdpt))
		return ~0ULL;
	e = t->pdpt[(gpa >> 30) & 511];
	uint64_t pd_pa = e & addr_mask, pd0 = pa + __builtin_offsetof(struct npt_tables, pd);
	if (!(e & _PAGE_PRESENT) || pd_pa < pd0 || pd_pa >= pd0 + 4 * 4096 || (pd_pa - pd0) % 4096)
		return ~0ULL;
	e = t->pd[(pd_pa - pd0) / 4096][(gpa >> 21) & 511];
	if (!(e & _PAGE_PRESENT) || !(e & _PAGE_PSE) || !(e & _PAGE_USER))
		return ~0ULL;
	return (e & 0x000fffffffe00000ULL) | (gpa & (TWO_MIB - 1));
}
