/* SPDX-License-Identifier: MIT */
/*
 * The VMCS builder (lib/vmcs_build.c), pure: vmxprobe's VMCS for its guest
 * from the CPU's capability MSRs and its own state, and a control field's
 * value from the capability MSRs. Intel SDM Vol. 3C, chapter "Virtual Machine
 * Control Structures"; Vol. 3D appendix A for the capability MSRs (the TRUE
 * MSRs when IA32_VMX_BASIC[55] is set). Include lib/vmcs_config.h for the
 * structures.
 */
#ifndef VMXPROBE_LIB_VMCS_BUILD_H
#define VMXPROBE_LIB_VMCS_BUILD_H

#include <stdint.h>

#include "lib/vmxcap.h"

/* In lib/vmcs_config.h, which includes this header. */
struct vmcs_config;
struct vmcs_host_facts;
struct vmcs_plan;

/*
 * A control field: the bits in `want` set, every other bit at the value the CPU
 * requires (allowed 0-settings from bits 31:0 of the capability MSR, allowed
 * 1-settings from bits 63:32; the TRUE MSR where IA32_VMX_BASIC[55] is set and
 * true_msr is not 0). Bits of `want` the CPU does not allow go to *missing
 * (and stay 0). `optional` bits are set where allowed, dropped silently if not.
 */
uint32_t vmx_control(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr,
		     uint32_t want, uint32_t optional, uint32_t *missing);

/*
 * Build vmxprobe's VMCS for a 64-bit guest sharing the host's paging and
 * descriptor tables, with HLT exiting, IA-32e mode guest, host address-space
 * size, EFER save/load where allowed, every exception exiting (bitmap all ones),
 * the preemption timer where asked and allowed. Returns NULL, or the SDM name
 * of a control vmxprobe needs that the CPU does not allow (e.g. "HLT exiting"):
 * then the VMCS is not to be launched.
 */
const char *vmcs_config_build(const struct vmxcap_msrs *m, const struct vmcs_host_facts *h,
			      const struct vmcs_plan *p, struct vmcs_config *c);

#endif
