/* SPDX-License-Identifier: MIT */
/*
 * ACPI table access, pure: RSDP parsing and the legacy scan, table checksums,
 * the RSDT/XSDT walk, the MADT walk and the FADT's PM timer. Tables are reached
 * through a caller-supplied map function (identity in the kernel, a synthetic
 * buffer in host tests), which returns NULL for memory it cannot reach; every
 * length is checked before it is read. References: ACPI Specification 6.5,
 * chapter 5.2 "ACPI System Description Tables".
 */
#ifndef VMXPROBE_LIB_ACPI_H
#define VMXPROBE_LIB_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "lib/phys.h"

#define ACPI_SDT_HEADER_LEN     36

struct acpi_rsdp {
	uint8_t revision;
	uint32_t rsdt;
	uint64_t xsdt;          /* 0 when absent or its extended checksum is bad */
	char oem[7];
};

/* 5.2.5.3: the 8-bit sum of all bytes of the structure is zero. */
bool acpi_checksum_ok(const void *p, size_t len);

/* The RSDP's 6-byte OEM ID (5.2.5.3: offset 9), NUL-terminated into oem[7];
 * empty when p is NULL or shorter than 15 bytes. */
void acpi_rsdp_oem(const uint8_t *p, size_t avail, char oem[7]);

/* Parse an RSDP of avail bytes; false (with a diagnostic) if unusable. */
bool acpi_rsdp_parse(const uint8_t *p, size_t avail, struct acpi_rsdp *out, struct diag *d);

/*
 * 5.2.5.1 "Finding the RSDP on IA-PC Systems": the signature on a 16-byte
 * boundary with a valid checksum. Returns the offset in [base, base+len), or -1.
 */
long acpi_scan_rsdp(const uint8_t *base, size_t len);

/*
 * Find the table with signature sig through the XSDT (preferred) or the RSDT,
 * checking the root table and each candidate's length and checksum. Returns the
 * table and its length, or NULL; problems go to d.
 */
const uint8_t *acpi_find_table(const struct phys_map *m, const struct acpi_rsdp *r,
			       const char sig[4], uint32_t *len, struct diag *d);

/* 5.2.12 "Multiple APIC Description Table (MADT)". */
#define MADT_TYPE_LAPIC                 0
#define MADT_TYPE_LAPIC_ADDR_OVERRIDE   5
#define MADT_TYPE_X2APIC                9
#define MADT_ENABLED                    0x1     /* Local APIC Flags: Enabled */
#define MADT_ONLINE_CAPABLE             0x2     /* Local APIC Flags: Online Capable */

struct madt_cpu {
	uint32_t apic_id;
	uint32_t uid;           /* ACPI processor UID */
	uint32_t flags;         /* MADT_ENABLED, MADT_ONLINE_CAPABLE */
	bool x2apic_entry;      /* from a type 9 entry */
};

struct madt_info {
	uint64_t lapic_addr;    /* the header's address, or the type 5 override */
	bool lapic_override;
	uint32_t flags;
	struct madt_cpu *cpus;  /* caller's array of cap entries */
	unsigned cap;
	unsigned stored;        /* entries in cpus[] */
	unsigned enabled;       /* CPUs with the Enabled flag, stored or not */
	unsigned disabled;      /* present but not enabled: counted, never started */
	unsigned overflow;      /* enabled CPUs that did not fit in cpus[] */
	uint32_t max_apic_id;
	bool complete;          /* the walk reached the table's end (not cut short) */
};

/*
 * Add one CPU to a list (the MADT walk and the MP table parser both fill a
 * struct madt_info): a repeated APIC ID is reported and ignored; enabled and
 * disabled entries are counted; entries beyond cap are counted as overflow.
 */
void cpu_list_add(struct madt_info *mi, uint32_t apic_id, uint32_t uid, uint32_t flags,
		  bool x2apic_entry, struct diag *d);

/* Walk a MADT (already checksummed) of len bytes. false if it is unusable. */
bool madt_parse(const uint8_t *madt, uint32_t len, struct madt_info *mi, struct diag *d);

/* 5.2.9 "Fixed ACPI Description Table (FADT)": the ACPI PM timer. */
struct fadt_pm_timer {
	bool present;
	uint16_t port;          /* I/O port of PM_TMR_BLK (or X_PM_TMR_BLK in I/O space) */
	bool ext32;             /* TMR_VAL_EXT: 32-bit counter, else 24-bit */
};
void fadt_pm_timer(const uint8_t *fadt, uint32_t len, struct fadt_pm_timer *t);

#endif
