/* SPDX-License-Identifier: MIT */
/*
 * The x86/HVM direct boot ABI ("PVH"), pure: what QEMU's -kernel (and Xen,
 * cloud-hypervisor, Firecracker) hand over. Xen's public header
 * arch-x86/hvm/start_info.h: the loader enters the ELF note
 * XEN_ELFNOTE_PHYS32_ENTRY's address in 32-bit protected mode, paging off, with
 * EBX the physical address of a struct hvm_start_info (magic 336EC578H): the
 * command line, the memory map (version 1) and the ACPI RSDP, each by
 * physical address. pvh_parse() copies them into the same boot information
 * the Multiboot2 walker fills (lib/mb2.h).
 */
#ifndef VMXPROBE_LIB_PVH_H
#define VMXPROBE_LIB_PVH_H

#define XEN_HVM_START_MAGIC_VALUE       0x336ec578
#define XEN_ELFNOTE_PHYS32_ENTRY        18

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "lib/mb2.h"
#include "lib/phys.h"

/* hvm_start_info and its memory-map entries (start_info.h, version 1). */
#define PVH_START_INFO_LEN      56
#define PVH_MEMMAP_ENTRY_LEN    24

/* Fill b from the hvm_start_info at start_pa: loader "PVH", the command line
 * (cut to MB2_CMDLINE_MAX - 1, said in cmdline_truncated), the memory map (E820
 * types, as Multiboot2's), the RSDP bytes (by its revision: old or new). false,
 * with *why, when the structure is missing, has the wrong magic or a version
 * without what vmxprobe needs; truncated or absurd parts are dropped with *why
 * set, the rest kept. */
bool pvh_parse(const struct phys_map *m, uint64_t start_pa, struct mb2_info *b, const char **why);
#endif

#endif
