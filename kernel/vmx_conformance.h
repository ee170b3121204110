/* SPDX-License-Identifier: MIT */
/* selftest=vmx: conformance rules that need a VMCS and a guest (kernel/vmx_conformance.c). */
#ifndef VMXPROBE_KERNEL_VMX_CONFORMANCE_H
#define VMXPROBE_KERNEL_VMX_CONFORMANCE_H

#include "kernel/vmx.h"
#include "lib/vmx_rules.h"

/* How the rules' results reach the self-test (kernel/vmx_selftest.c). */
struct conf_sink {
	void (*record)(void *ctx, enum st_rule_id id, struct st_observed o);
	void (*skip)(void *ctx, enum st_rule_id id, const char *why);
	void *ctx;
};

/* Boot CPU, before the APs start (selftest=vmx): the mappings the EPT rules use. */
void vmx_conformance_init(void);

/* On CPU `cpu`, in VMX root operation: the VMCS-access, exception-bitmap,
 * preemption-timer, MSR-bitmap, I/O-bitmap and VPID rules, each on a fresh
 * VMCS for the guest; SKIP where the CPU does not advertise the feature. */
void vmx_conformance_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s);

#endif
