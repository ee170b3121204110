/* SPDX-License-Identifier: MIT */
/*
 * From the firmware's list of CPUs (the MADT's, or the MP table's: struct
 * madt_info, lib/acpi.h) to the CPUs vmxprobe runs on, pure: which entries are
 * started, which are disabled, which do not fit MAX_CPUS or are out of reach
 * without x2APIC, and how many are enumerated. The kernel prints a line for
 * each entry `note` is called with (kernel/smp.c).
 */
#ifndef VMXPROBE_LIB_CPULIST_H
#define VMXPROBE_LIB_CPULIST_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/acpi.h"

/* Why an entry of the list is not started. */
enum cpu_plan_note {
	CPU_PLAN_DISABLED,      /* present but not enabled (ACPI 6.5 5.2.12.2: Enabled = 0) */
	CPU_PLAN_BEYOND_MAX,    /* enabled, but this build has no room for it */
};

struct cpu_plan {
	uint32_t *apic;         /* caller's array of cap IDs: [0] the boot CPU, then the APs */
	unsigned cap;           /* MAX_CPUS */
	unsigned n;             /* CPUs in apic[]: the boot CPU plus the APs to start */
	unsigned enumerated;    /* enabled entries, plus the boot CPU when it is not one */
	unsigned disabled;      /* present but not enabled */
	bool bsp_listed;        /* the boot CPU is an enabled entry */
	unsigned unreachable;   /* APs dropped by cpu_plan_limit_ids() */
};

typedef void (*cpu_plan_note_fn)(void *ctx, enum cpu_plan_note why, const struct madt_cpu *e);

/* Fill p (apic and cap set by the caller) from the list fw, for a boot CPU with
 * local APIC ID bsp_apic; note() is called for each entry not started. */
void cpu_plan_build(struct cpu_plan *p, const struct madt_info *fw, uint32_t bsp_apic,
		    cpu_plan_note_fn note, void *ctx);

/* Drop the APs whose ID is above max_id (IDs above 0xfe need x2APIC: ACPI 6.5
 * 5.2.12.12, SDM Vol. 3A "x2APIC"); they stay enumerated, so never online. */
void cpu_plan_limit_ids(struct cpu_plan *p, uint32_t max_id);

#endif
