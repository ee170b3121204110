/* SPDX-License-Identifier: MIT */
/* Identity nested page tables (lib/npt.c), walked as the CPU would. */
#include "check.h"
#include "lib/npt.h"
#include "lib/processor-flags.h"

static struct npt_tables t;

int main(void)
{
	const uint64_t pa = 0x2340000;  /* where the tables lie (page aligned) */

	CHECK_EQ(npt_build(&t, pa), pa);
	/* The first 4 GiB map to themselves, at each edge of a 2 MiB page. */
	static const uint64_t gpas[] = { 0, 0x1000, 0x1fffff, 0x200000, 0x1234567, 0x7fffffff,
					 0xfee00000, 0xffffffff };
	for (unsigned i = 0; i < sizeof(gpas) / sizeof(gpas[0]); i++)
		CHECK_EQ(npt_translate(&t, pa, gpas[i]), gpas[i]);
	/* The faulting pages above 4 GiB: read-only and NX map (the access decides);
	 * a reserved bit or not present does not; nothing else is mapped. */
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_READ_ONLY + 0x123), NPT_GPA_READ_ONLY + 0x123);
	CHECK_EQ(t.pd_faults[0] & _PAGE_RW, 0);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_NO_EXEC), NPT_GPA_NO_EXEC);
	CHECK(t.pd_faults[1] >> 63);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_RESERVED), ~0ULL);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_NOT_PRESENT), ~0ULL);
	CHECK_EQ(npt_translate(&t, pa, NPT_FAULTS_END), ~0ULL);
	CHECK_EQ(npt_translate(&t, pa, 0x140000000ULL), ~0ULL);
	CHECK_EQ(npt_translate(&t, pa, 1ULL << 39), ~0ULL);
	/* The TLB pages: not present until a rule makes one present, onto 0. */
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_TLB(3) + 0x10), ~0ULL);
	npt_tlb_page(&t, 3, true);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_TLB(3) + 0x10), 0x10);
	CHECK_EQ(t.pd_faults[4 + 3] & _PAGE_RW, 0);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_TLB(2)), ~0ULL);
	npt_tlb_page(&t, 3, false);
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_TLB(3)), ~0ULL);
	npt_tlb_page(&t, NPT_TLB_PAGES, true);    /* none: ignored */
	CHECK_EQ(npt_translate(&t, pa, NPT_GPA_TLB(NPT_TLB_PAGES - 1) + (2ULL << 20)), ~0ULL);
	CHECK_EQ(NPT_GPA_TLB(NPT_TLB_PAGES), 0x140000000ULL);
	/* Every level user, writable, present ("all nested page table accesses are
	 * treated as user accesses"); the leaves are 2 MiB pages. */
	CHECK_EQ(t.pml4[0] & 7, 7);
	CHECK_EQ(t.pdpt[3] & 7, 7);
	CHECK_EQ(t.pd[2][17] & (_PAGE_PSE | 7), _PAGE_PSE | 7);
	CHECK_EQ(t.pdpt[3] & ~0xfffULL, pa + 0x2000 + 3 * 0x1000);
	return check_report("test_npt");
}
