/* SPDX-License-Identifier: MIT */
/*
 * Intel MultiProcessor Specification tables, pure: the floating pointer scan,
 * the configuration table's header and processor entries, and the default
 * configurations. The kernel falls back to these when there is no usable ACPI
 * MADT; they fill the same struct madt_info as the MADT walk (lib/acpi.h).
 * Reference: MultiProcessor Specification, version 1.4 (May 1997), chapter 4
 * "MP Configuration Table" and chapter 5 "Default Configurations". Where the
 * spec leaves a choice, Linux's arch/x86/kernel/mpparse.c is followed (named
 * at each place).
 *
 * 4 "MP Configuration Table": the floating pointer is searched for in the first
 * KiB of the EBDA (or the last KiB of base memory when there is no EBDA) and in
 * the BIOS ROM between 0xF0000 and 0xFFFFF.
 */
#ifndef VMXPROBE_LIB_MPTABLE_H
#define VMXPROBE_LIB_MPTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/acpi.h"
#include "lib/diag.h"

#define MP_FPS_LEN              16      /* 4.1: length field 1, in 16-byte units */
#define MP_CONFIG_HEADER_LEN    44      /* 4.2: the fixed header before the entries */
#define MP_DEFAULT_LAPIC_ADDR   0xfee00000u     /* 5: local APICs of a default configuration */

struct mp_fps {
	uint32_t config_pa;     /* physical address of the configuration table, 0 if none */
	uint8_t spec_rev;       /* 1 (MP 1.1) or 4 (MP 1.4) */
	uint8_t default_config; /* MP feature byte 1: 0, or a chapter 5 default configuration,
				   which wins over config_pa (Linux's default_get_smp_config()) */
};

/*
 * 4.1 "MP Floating Pointer Structure": the offset of the first valid floating
 * pointer in [base, base+len) (base 16-byte aligned), or -1. Valid: "_MP_" on a
 * 16-byte boundary, a length field of at least 1 (16-byte units) whose bytes lie
 * in the area and sum to zero, and spec revision 1 or 4.
 */
long mp_scan_fps(const uint8_t *base, size_t len);

/* 4.1: parse a floating pointer of avail bytes; false (with a diagnostic) if unusable. */
bool mp_fps_parse(const uint8_t *p, size_t avail, struct mp_fps *out, struct diag *d);

/*
 * 4.2 "MP Configuration Table Header" and 4.3 "Base MP Configuration Table
 * Entries": t points at the table and avail bytes are readable from it. Checks
 * "PCMP", a base table length between 44 and avail, the checksum, the revision
 * and the local APIC address, then walks the header's entry count of entries
 * and adds each 4.3.1 "Processor Entries" CPU to mi. false (mi empty) if the
 * table is unusable; mi->complete says whether every entry was walked.
 */
bool mp_config_parse(const uint8_t *t, size_t avail, struct madt_info *mi, struct diag *d);

/*
 * 5 "Default Configurations" (feature byte 1 != 0): two CPUs, local APIC IDs 0
 * and 1, local APICs at 0xFEE00000.
 */
void mp_default_cpus(struct madt_info *mi, struct diag *d);

#endif
