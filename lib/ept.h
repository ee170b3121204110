/* SPDX-License-Identifier: MIT */
/*
 * The identity EPT of selftest=vmx's EPT rules, pure. Intel SDM Vol. 3C, "EPT
 * Translation Mechanism" ("Translation Using 4-Level EPT", the formats of the
 * EPT PML4E, PDPTE, PDE and PTE), "EPT Misconfigurations", "Extended-Page-Table
 * Pointer (EPTP)", "EPT and Memory Typing".
 *
 * Guest-physical [0, 4 GiB) maps to the same host-physical addresses, read,
 * write and execute; [4 GiB, 4 GiB + 2 MiB) is a misconfigured, write-only
 * entry (EPT_MISCONFIG_GPA); [4 GiB + 2 MiB, 512 GiB) is not present
 * (EPT_UNMAPPED_GPA is there).
 *
 * The memory type of [0, 4 GiB) follows the firmware's memory map (lib/memmap.h:
 * the Multiboot2 map, or the PVH or UEFI map converted to it): write-back (6)
 * where the map says available RAM (type 1), uncacheable (0) everywhere else:
 * reserved (the flash, MMCONFIG), ACPI tables, ACPI NVS, bad memory, and what
 * no entry describes (the PCI hole, the local APIC and I/O APIC pages). Where
 * entries overlap, the stricter type wins, as memmap_range_available() has it.
 * "Memory Type Used for Translated Guest-Physical Addresses": the MTRRs have
 * no effect on a guest-physical access, so without this the guest's view of
 * device memory would be write-back. An empty map types nothing as RAM: all of
 * [0, 4 GiB) is uncacheable then (the guest still runs, more slowly).
 *
 * The ignore-PAT bit (bit 6) stays 0 in every leaf: the effective type is the
 * EPT type combined with the guest's PAT type as the MTRR type would be
 * (Vol. 3A, "Selecting Memory Types for Pentium III and More Recent Processor
 * Families"): where the EPT says UC, UC (WC only for a PAT type WC; the
 * kernel's page tables use PAT entries 0 and 3, WB and UC at their reset
 * values); in RAM, the type the guest's page tables choose. The rules' guest
 * shares the kernel's page tables, write-back but for the local APIC's page,
 * so its code and data are write-back.
 *
 * Leaves: a 1 GiB page (where the CPU has them) over a GiB that is all one
 * type; else a PD, with a 2 MiB page over each 2 MiB region of one type. A
 * region that mixes RAM and not-RAM is split into 4 KiB pages by a page table
 * from a pool of EPT_PT_POOL (a 4 KiB page that is partly RAM is UC), so that
 * the RAM in it, the kernel's image and pools included, stays write-back; when
 * the pool is used up, such a region is one uncacheable 2 MiB page, counted in
 * pt_short. The topic leaves from 4 GiB up are write-back whatever the map.
 */
#ifndef VMXPROBE_LIB_EPT_H
#define VMXPROBE_LIB_EPT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/mb2.h"

#define EPT_IDENTITY_END        (4ull << 30)
#define EPT_MISCONFIG_GPA       (4ull << 30)            /* a write-only entry: misconfigured */
#define EPT_UNMAPPED_GPA        (5ull << 30)            /* no entry: an EPT violation */
/* The permission matrix (ept_map_permissions()): three 2 MiB leaves after the
 * misconfigured one, each mapping the same host 2 MiB region. */
#define EPT_READ_ONLY_GPA       (EPT_MISCONFIG_GPA + (2ull << 20))      /* R */
#define EPT_EXEC_ONLY_GPA       (EPT_MISCONFIG_GPA + (4ull << 20))      /* X only */
#define EPT_NO_EXEC_GPA         (EPT_MISCONFIG_GPA + (6ull << 20))      /* R and W */
/* The rest of the matrix (ept_map_permissions()), leaves 8-10 of that PD. */
#define EPT_RX_GPA              (EPT_MISCONFIG_GPA + (16ull << 20))     /* R and X */
#define EPT_RWX_GPA             (EPT_MISCONFIG_GPA + (18ull << 20))     /* R, W and X */
#define EPT_WX_GPA              (EPT_MISCONFIG_GPA + (20ull << 20))     /* W and X: misconfigured */
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
/* Page tables for the 2 MiB regions of [0, 4 GiB) that mix RAM and not-RAM: a
 * SeaBIOS map has 2 (the first 2 MiB and the top of low RAM); a UEFI map has
 * more (OVMF's: its NVS ranges in low RAM, the runtime and ACPI ranges at the
 * top of low RAM). 128 KiB of bss. */
#define EPT_PT_POOL             32

struct ept_tables {
	uint64_t pml4[512];
	uint64_t pdpt[512];
	uint64_t pd[4][512];    /* 2 MiB pages for a GiB of [0, 4 GiB) not one 1 GiB page */
	uint64_t misconfig_pd[512];     /* [4 GiB, 5 GiB): the write-only entry at its start */
	uint64_t pt[EPT_PT_POOL][512];  /* 4 KiB pages for the regions of mixed types */
	unsigned pt_used;               /* of pt */
	unsigned pt_short;              /* mixed regions mapped UC as a whole: the pool ran out */
} __attribute__((aligned(4096)));

/* Fill t, which sits at host-physical address pa, typing [0, 4 GiB) by the n
 * entries of map (above); returns the EPTP (memory type of the EPT paging
 * structures write-back when wb, else uncacheable; page-walk length 4; no A/D
 * flags). */
uint64_t ept_build(struct ept_tables *t, uint64_t pa, bool gb_pages, bool wb,
		   const struct mb2_mmap_entry *map, unsigned n);

/* The permission matrix: EPT_READ_ONLY_GPA, EPT_EXEC_ONLY_GPA (only where
 * IA32_VMX_EPT_VPID_CAP[0] allows execute-only entries: exec_only; else not
 * present), EPT_NO_EXEC_GPA, EPT_RX_GPA, EPT_RWX_GPA and EPT_WX_GPA (write
 * and execute without read: misconfigured, whatever exec_only says) map the
 * 2 MiB host region that holds host_pa, write-back. */
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
