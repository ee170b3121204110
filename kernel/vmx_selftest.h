/* SPDX-License-Identifier: MIT */
/* selftest=vmxon: the SDM's rules for VMX instructions, on every CPU. */
#ifndef VMXPROBE_KERNEL_VMX_SELFTEST_H
#define VMXPROBE_KERNEL_VMX_SELFTEST_H

#include <stdbool.h>

#include "kernel/vmx.h"

/* On CPU `cpu`, after its probe (whose result is r): check every rule. */
void vmx_selftest_cpu(unsigned cpu, const struct vmx_result *r);

/* BSP: print the rule lines and a "selftest:" line for each of the n CPUs
 * whose finished[i] says it ran to the end (any other online CPU gets a FAIL
 * line); online[i] says which CPUs to report. Returns the failures. */
unsigned vmx_selftest_report(unsigned n, const bool *online, const bool *finished);

#endif
