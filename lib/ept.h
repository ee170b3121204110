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

#endif
