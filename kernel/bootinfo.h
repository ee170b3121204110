/* SPDX-License-Identifier: MIT */
/* What the boot loader told us, copied out of its memory, and the parsed options. */
#ifndef VMXPROBE_KERNEL_BOOTINFO_H
#define VMXPROBE_KERNEL_BOOTINFO_H

#include <stdint.h>

#include "lib/mb2.h"
#include "lib/options.h"

extern struct mb2_info boot_info;
extern struct vp_options options;

/* Walk and copy the Multiboot2 information at mbi_addr; parse the command line. */
void bootinfo_init(uint32_t magic, uint64_t mbi_addr);

/* "bios" or "uefi". */
const char *bootinfo_firmware(void);

/* The ACPI RSDP's 6-byte OEM ID (NUL-terminated into oem[7]); empty if no RSDP tag. */
void bootinfo_acpi_oem(char oem[7]);

/* Print what was found, and any malformed-information or option warnings. */
void bootinfo_report(void);

/*
 * The kernel's own range (its image and the per-CPU pools) against the memory
 * map: where any of it lies outside available RAM, a "boot: fatal:" line names
 * the first such stretch and its type, and the run stops with FAIL.
 */
void bootinfo_check_image(void);

#endif
