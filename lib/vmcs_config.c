/* SPDX-License-Identifier: MIT */
/*
 * What the VMCS builder (lib/vmcs_build.c), the VM-entry checker
 * (lib/vmcs_check.c) and the field list (lib/vmcs_fields.c) share: which
 * capability MSR governs a control field, and the secondary controls as VM
 * entry sees them. See vmcs_config.h.
 */
#include "lib/vmcs_config.h"

#include "lib/msr-index.h"
#include "lib/vmx.h"

/* ------------------------------------------------------------------------- */
/* Control fields and their capability MSRs                                  */

/* SDM Vol. 3D, A.2 "Reserved Controls and Default Settings": with
 * IA32_VMX_BASIC[55] set, the TRUE MSRs report which default1 controls may be 0. */
bool vmx_control_true_msr(const struct vmxcap_msrs *m, unsigned true_msr)
{
	return true_msr && vmxcap_has(m, true_msr) &&
	       vmx_basic_decode(vmxcap_get(m, MSR_IA32_VMX_BASIC)).true_ctls;
}

/* Bits 31:0: allowed 0-settings (a 1 there: the control must be 1); bits
 * 63:32: allowed 1-settings (a 0 there: the control must be 0). */
uint64_t vmx_control_cap(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr)
{
	return vmxcap_get(m, vmx_control_true_msr(m, true_msr) ? true_msr : msr);
}

/* The secondary controls as VM entry sees them: "If the 'activate secondary
 * controls' primary processor-based VM-execution control is 0 ... the logical
 * processor operates as if all the secondary processor-based VM-execution
 * controls were 0." */
uint32_t vmcs_secondary(const struct vmcs_config *c)
{
	return (c->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ? c->proc2 : 0;
}
