/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables that map guest-physical addresses 1:1 to host-physical
 * ones for the first 4 GiB, with 2 MiB pages. AMD64 APM Vol. 2, 15.25 "Nested
 * Paging": the nested tables have the long-mode format (5.3 "Long-Mode Page
 * Translation": PML4, PDPT, and PDEs with PS=1 for 2-Mbyte pages), and "all
 * nested page table accesses are treated as user accesses", so every level
 * has U/S set, as Linux's NPT entries do.
 */
#ifndef VMXPROBE_LIB_NPT_H
#define VMXPROBE_LIB_NPT_H

#include <stdint.h>

struct npt_tables {
	uint64_t pml4[512];
	uint64_t pdpt[512];
	uint64_t pd[4][512];
} __attribute__((aligned(4096)));

/* Fill t, which lies at physical address pa, and return nCR3 (its PML4's address). */
uint64_t npt_build(struct npt_tables *t, uint64_t pa);

/* The host-physical address the tables map gpa to (walked as the CPU would),
 * or ~0 when it is not mapped; for tests. */
uint64_t npt_translate(const struct npt_tables *t, uint64_t pa, uint64_t gpa);

#endif
