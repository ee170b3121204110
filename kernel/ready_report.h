/* SPDX-License-Identifier: MIT */
/* The hypervisor readiness lines ("ready:"), after the capability report. */
#ifndef VMXPROBE_KERNEL_READY_REPORT_H
#define VMXPROBE_KERNEL_READY_REPORT_H

#include "kernel/vmx.h"

/* One line per hypervisor from the boot CPU's result (NULL if it has none);
 * mismatched: how many CPUs' capability MSRs differ from the boot CPU's. */
void ready_report(const struct vmx_result *bsp, unsigned mismatched);

#endif
