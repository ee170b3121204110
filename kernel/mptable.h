/* SPDX-License-Identifier: MIT */
/* The Intel MultiProcessor Specification table: the CPU list without an ACPI MADT. */
#ifndef VMXPROBE_KERNEL_MPTABLE_H
#define VMXPROBE_KERNEL_MPTABLE_H

#include <stdbool.h>

#include "lib/acpi.h"

/* Find the floating pointer and fill mi (whose cpus/cap the caller set) from the
 * configuration table or the default configuration; prints "smp: mptable ..."
 * lines (warnings included). false when there is none (or under UEFI). */
bool mptable_find(struct madt_info *mi);

#endif
