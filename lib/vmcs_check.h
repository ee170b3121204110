/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checker (lib/vmcs_check.c), pure: the SDM's VM-entry checks on
 * a struct vmcs_config. Intel SDM Vol. 3C, chapter "VM Entries": "Checks on
 * VMX Controls and Host-State Area" and "Checking and Loading Guest State".
 * Include lib/vmcs_config.h for the structures.
 */
#ifndef VMXPROBE_LIB_VMCS_CHECK_H
#define VMXPROBE_LIB_VMCS_CHECK_H

#include <stdint.h>

#include "lib/vmxcap.h"

/* In lib/vmcs_config.h, which includes this header. */
struct vmcs_config;

/*
 * The SDM's VM-entry checks that concern the fields of struct vmcs_config, in
 * the SDM's order: controls against the allowed 0/1-settings, host CR0/CR4
 * fixed bits and host state, IA-32e consistency between controls, EFER and
 * CR4.PAE, guest CR0/CR4 fixed bits (unrestricted guest relaxes PE/PG), segment
 * and descriptor-table rules, RIP/RSP and base canonicality, RFLAGS, the VMCS
 * link pointer, activity and interruptibility state. NULL when all pass; else the first rule broken,
 * as a static string naming it (e.g. "host CR4: bit 13 (VMXE) must be 1
 * (IA32_VMX_CR4_FIXED0)"). phys_bits: MAXPHYADDR.
 */
const char *vmcs_check(const struct vmxcap_msrs *m, unsigned phys_bits,
		       const struct vmcs_config *c);

/*
 * What VM entry must do with c, in the SDM's order ("VM Entries": the checks
 * on the controls and the host-state area come before those on the guest-state
 * area; "these checks may be performed in any order" within each): the first
 * rule broken among the control fields (VMfailValid, error 7 "VM entry with
 * invalid control field(s)"), among the host-state fields (error 8 "VM entry
 * with invalid host-state field(s)"), and among the guest-state fields (a
 * VM-entry failure, exit reason 33 with bit 31 set, once the first two pass).
 * NULL where that class passes. With guest, the exit qualifications that
 * failure may carry (SDM "VM-Entry Failures During or After Loading Guest
 * State"), a set: bit q for qualification q (ENTRY_QUAL_*, lib/vmcs.h). 0
 * ("in most cases"); 4 (an invalid VMCS link pointer) where the link pointer
 * is broken, with 0 too where another guest check is ("any order"); and 2 (the
 * PDPTEs, which the checker does not read) as well for a guest that uses PAE
 * paging.
 */
struct vmcs_entry_verdict {
	const char *control, *host, *guest;
	unsigned guest_quals;
};
struct vmcs_entry_verdict vmcs_check_classes(const struct vmxcap_msrs *m, unsigned phys_bits,
					     const struct vmcs_config *c);

#endif
