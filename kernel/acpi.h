/* SPDX-License-Identifier: MIT */
/* ACPI discovery in the kernel: the RSDP, the MADT's CPUs and the PM timer. */
#ifndef VMXPROBE_KERNEL_ACPI_H
#define VMXPROBE_KERNEL_ACPI_H

#include <stdbool.h>

#include "kernel/percpu.h"
#include "lib/acpi.h"

struct acpi_facts {
	bool have_rsdp;
	const char *rsdp_from;          /* "mb2-new", "mb2-old", "scan" */
	struct acpi_rsdp rsdp;
	bool have_madt;
	struct madt_info madt;          /* cpus point at acpi_cpus[] */
	struct fadt_pm_timer pm;
};

/* MADT entries kept: every CPU the kernel can run plus as many disabled ones. */
#define ACPI_CPUS_MAX   (2 * MAX_CPUS)
extern struct madt_cpu acpi_cpus[ACPI_CPUS_MAX];

/* What acpi_init() found. */
extern struct acpi_facts acpi;

/* Find and walk the tables; print "acpi:" lines (problems included). */
void acpi_init(void);

#endif
