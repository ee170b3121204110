/* SPDX-License-Identifier: MIT */
/* The hypervisor readiness lines ("ready:"), after the capability report. */
#ifndef VMXPROBE_KERNEL_READY_REPORT_H
#define VMXPROBE_KERNEL_READY_REPORT_H

#include "kernel/svm.h"
#include "kernel/vmx.h"

/* One line per hypervisor from the boot CPU's result (NULL if it has none);
 * mismatched: how many CPUs' capability MSRs differ from the boot CPU's. Prints
 * nothing on a CPU with SVM: ready_report_svm() does. */
void ready_report(const struct vmx_result *bsp, unsigned mismatched);

/* The same from the SVM tables, from the boot CPU's svm: result (NULL if it
 * has none); mismatched: how many CPUs' CPUID Fn8000_000A differs from its. */
void ready_report_svm(const struct svm_result *bsp, unsigned mismatched);

#endif
