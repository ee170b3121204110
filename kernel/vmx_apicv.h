/* SPDX-License-Identifier: MIT */
/* selftest=vmx: the APIC-virtualization and VMCS-shadowing rules (kernel/vmx_apicv.c). */
#ifndef VMXPROBE_KERNEL_VMX_APICV_H
#define VMXPROBE_KERNEL_VMX_APICV_H

#include "kernel/vmx.h"
#include "kernel/vmx_conformance.h"

/* On CPU `cpu`, in VMX root operation, after the other guest rules: APIC-access
 * exits, virtualized APIC reads and writes, APIC-write exits, virtual-interrupt
 * delivery and EOI virtualization, VMREAD and VMWRITE through a shadow VMCS;
 * each SKIP, the control named, where the CPU does not offer it. */
void vmx_apicv_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s);

#endif
