/* SPDX-License-Identifier: MIT */
/* selftest=vmxon: the rules for the VMX instructions themselves (kernel/vmx_vmxon_rules.c). */
#ifndef VMXPROBE_KERNEL_VMX_VMXON_RULES_H
#define VMXPROBE_KERNEL_VMX_VMXON_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vmx.h"
#include "kernel/vmx_conformance.h"

/* One CPU's situation: its regions and its CR values. */
struct vmxon_setup {
	uint64_t vmxon_pa, vmcs_pa;
	uint32_t rev;
	uint64_t cr0, cr4;              /* as the probe left them (restored by the runner) */
	uint64_t cr0v, cr4v;            /* with the VMX-fixed bits applied (CR0 already so) */
};

/* On a CPU whose VMXON worked (r): the VMXON rules, through s. True when the
 * CPU is left in VMX root operation with no current VMCS (the VMCS rules may
 * follow; the runner does VMXOFF); false when VMXON with the valid region
 * failed this time (the rules not yet run are the runner's to skip). */
bool vmx_vmxon_rules(const struct vmxon_setup *setup, const struct vmx_result *r,
		     const struct conf_sink *s);

#endif
