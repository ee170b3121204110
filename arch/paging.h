/* SPDX-License-Identifier: MIT */
/* Identity mappings beyond the boot map's first 4 GiB. */
#ifndef VMXPROBE_ARCH_PAGING_H
#define VMXPROBE_ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Identity-map [pa, pa + len) with 2 MiB pages. Below 4 GiB it is mapped
 * already; above, up to 512 GiB, it is added from a reserve of 8 page
 * directories (1 GiB each). false when it cannot be (too high, or the reserve
 * is spent). */
bool paging_map_identity(uint64_t pa, uint64_t len);

/* The reader lib/'s parsers take (lib/phys.h, struct phys_map): [pa, pa + len)
 * identity-mapped as above, or NULL for address 0, length 0 or out of reach. */
const void *paging_phys_map(void *ctx, uint64_t pa, uint32_t len);

/* Identity-map the 2 MiB page holding pa (as above) and make it uncacheable
 * (an MMIO page such as the local APIC's). false when it cannot be mapped. */
bool paging_map_uncached(uint64_t pa);

/* Fill the boot page tables (boot/entry.S: boot_pml4, boot_pdpt, boot_pd) with
 * the identity map of the first 4 GiB, as the 32-bit entry does, and load them:
 * for vmxprobe.efi, which starts on the firmware's tables. */
void paging_load_boot_tables(void);

#endif
