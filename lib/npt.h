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

#include <stdbool.h>
#include <stdint.h>

struct npt_tables {
	uint64_t pml4[512];
	uint64_t pdpt[512];
	uint64_t pd[4][512];
	uint64_t pd_faults[512];        /* GiB 4: the conformance rules' faulting pages */
} __attribute__((aligned(4096)));

/*
 * The fifth GiB (4-5 GiB) is for the conformance rules (selftest=svm): four
 * 2 MiB pages that fault in four ways, the rest not present. "Nested Page
 * Faults" (#NPF, EXITCODE 400h): EXITINFO1 is the page-fault error code (P,
 * RW, US, RSV, ID), EXITINFO2 the guest-physical address.
 */
#define NPT_GPA_READ_ONLY       0x100000000ULL  /* present, not writable */
#define NPT_GPA_NO_EXEC         0x100200000ULL  /* present, writable, NX (bit 63) */
#define NPT_GPA_RESERVED        0x100400000ULL  /* present, a reserved bit (13) set */
#define NPT_GPA_NOT_PRESENT     0x100600000ULL  /* not present */
#define NPT_FAULTS_END          0x100800000ULL

/*
 * After them, one 2 MiB page per CPU for the TLB-control rules (15.16 "TLB
 * Control"): present (mapped read-only onto host-physical 0) or not, as the
 * rule sets it between two VMRUNs. CPUs from NPT_TLB_PAGES on have none.
 */
#define NPT_TLB_PAGES           (512 - 4)
#define NPT_GPA_TLB(cpu)        (NPT_FAULTS_END + (uint64_t)(cpu) * (2ULL << 20))

/* Fill t, which lies at physical address pa, and return nCR3 (its PML4's address). */
uint64_t npt_build(struct npt_tables *t, uint64_t pa);

/* Make CPU cpu's TLB page present or not present (cpu < NPT_TLB_PAGES). */
void npt_tlb_page(struct npt_tables *t, unsigned cpu, bool present);

/* The host-physical address the tables map gpa to (walked as the CPU would),
 * or ~0 when it is not mapped (not present, or a reserved bit set); for tests. */
uint64_t npt_translate(const struct npt_tables *t, uint64_t pa, uint64_t gpa);

#endif
