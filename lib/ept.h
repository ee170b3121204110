/* SPDX-License-Identifier: MIT */
/*
 * The identity EPT of selftest=vmx's EPT rules, pure. Intel SDM Vol. 3C, "EPT
 * Translation Mechanism" ("Translation Using 4-Level EPT", the formats of the
 * EPT PML4E, PDPTE and PDE), "EPT Misconfigurations", "Extended-Page-Table
 * Pointer (EPTP)".
 *
 * Guest-physical [0, 4 GiB) maps to the same host-physical addresses, read,
 * write and execute, write-back, with 1 GiB pages where the CPU has them and
 * 2 MiB pages otherwise; [4 GiB, 4 GiB + 2 MiB) is a misconfigured, write-only
 * entry (EPT_MISCONFIG_GPA); [4 GiB + 2 MiB, 512 GiB) is not present
 * (EPT_UNMAPPED_GPA is there).
 */
#ifndef VMXPROBE_LIB_EPT_H
#define VMXPROBE_LIB_EPT_H

#include <stdbool.h>
#include <stdint.h>

#define EPT_IDENTITY_END        (4ull << 30)
#define EPT_MISCONFIG_GPA       (4ull << 30)            /* a write-only entry: misconfigured */
#define EPT_UNMAPPED_GPA        (5ull << 30)            /* no entry: an EPT violation */
/* The permission matrix (ept_map_permissions()): three 2 MiB leaves after the
 * misconfigured one, each mapping the same host 2 MiB region. */
#define EPT_READ_ONLY_GPA       (EPT_MISCONFIG_GPA + (2ull << 20))      /* R */
#define EPT_EXEC_ONLY_GPA       (EPT_MISCONFIG_GPA + (4ull << 20))      /* X only */
#define EPT_NO_EXEC_GPA         (EPT_MISCONFIG_GPA + (6ull << 20))      /* R and W */
/* More leaves of that PD (ept_map_topics()): a reserved bit (bit 12 of a 2 MiB
 * leaf), a reserved memory type (2), a 2 MiB page over the region of a known
 * value, and per CPU two leaves for the accessed and dirty flags; a 1 GiB page
 * at 6 GiB over host [0, 1 GiB), where the CPU has 1 GiB pages. */
#define EPT_RESERVED_BIT_GPA    (EPT_MISCONFIG_GPA + (8ull << 20))
#define EPT_BAD_MEMTYPE_GPA     (EPT_MISCONFIG_GPA + (10ull << 20))
#define EPT_2MB_GPA             (EPT_MISCONFIG_GPA + (12ull << 20))
#define EPT_NONLEAF_RESERVED_GPA (EPT_MISCONFIG_GPA + (14ull << 20))    /* a PDE to a table, bit 3 set */
#define EPT_AD_FIRST            16      /* misconfig_pd index of CPU 0's first A/D leaf */
#define EPT_AD_CPUS             ((512 - EPT_AD_FIRST) / 2)
#define EPT_AD_INDEX(cpu, k)    (EPT_AD_FIRST + 2 * (cpu) + (k))        /* k: 0 read, 1 write */
#define EPT_AD_GPA(cpu, k)      (EPT_MISCONFIG_GPA + ((uint64_t)EPT_AD_INDEX(cpu, k) << 21))
#define EPT_1GB_GPA             (6ull << 30)
#define EPT_RESERVED_MEMTYPE    2

struct ept_tables {
	uint64_t pml4[512];
	uint64_t pdpt[512];
	uint64_t pd[4][512];    /* 2 MiB pages for [0, 4 GiB), when there are no 1 GiB pages */
	uint64_t misconfig_pd[512];     /* [4 GiB, 5 GiB): the write-only entry at its start */
} __attribute__((aligned(4096)));

/* Fill t, which sits at host-physical address pa; returns the EPTP (memory type
 * write-back when wb, else uncacheable; page-walk length 4; no A/D flags). */
uint64_t ept_build(struct ept_tables *t, uint64_t pa, bool gb_pages, bool wb);

/* The permission matrix: EPT_READ_ONLY_GPA, EPT_EXEC_ONLY_GPA (only where
 * IA32_VMX_EPT_VPID_CAP[0] allows execute-only entries: exec_only; else not
 * present) and EPT_NO_EXEC_GPA map the 2 MiB host region that holds
 * host_pa, write-back. */
void ept_map_permissions(struct ept_tables *t, uint64_t host_pa, bool exec_only);

/* The topic leaves above: the two misconfigured ones over the region of
 * host_pa, the 2 MiB page over the region of marker_pa, the A/D leaves over
 * the region of ad_pa, and (gb_pages) the 1 GiB page at EPT_1GB_GPA; and the
 * non-leaf PDE with a reserved bit (bit 3; bits 6:3 are reserved in a PDE that
 * references an EPT page table), whose table is t's own PML4 page (t sits at
 * host-physical pa): should a CPU ignore the bit, the read finds a present
 * entry there and reads a page of these tables. */
void ept_map_topics(struct ept_tables *t, uint64_t pa, uint64_t host_pa, uint64_t marker_pa,
		    uint64_t ad_pa, bool gb_pages);

/*
 * "EPT Misconfigurations": a present EPT entry (bits 2:0 not 000b) is
 * misconfigured when bit 0 is 0 and bit 1 is 1; when it is execute-only
 * (100b) and the CPU does not allow that (exec_only, IA32_VMX_EPT_VPID_CAP[0]);
 * when a reserved bit is set (bits 51:phys_bits; a non-leaf entry's bits 7:3;
 * a 2 MiB leaf's bits 20:12, a 1 GiB leaf's 29:12); or, for a leaf, when its
 * memory type (bits 5:3) is 2, 3 or 7. level: 4 PML4E, 3 PDPTE, 2 PDE, 1 PTE.
 */
bool ept_entry_misconfigured(uint64_t e, unsigned level, unsigned phys_bits, bool exec_only);

#endif
