/* SPDX-License-Identifier: MIT */
/*
 * The guest each CPU launches (kernel/guest.c), pure parts: its result tokens,
 * what to do about each, and the SDM's names of the basic exit reasons (Intel
 * SDM Vol. 3D, appendix C "VMX Basic Exit Reasons").
 */
#ifndef VMXPROBE_LIB_GUEST_H
#define VMXPROBE_LIB_GUEST_H

#include <stdint.h>

enum guest_token {
	GUEST_OK,               /* launched; CPUID, VMCALL, the timed CPUIDs and HLT exited as expected */
	GUEST_NOT_RUN,          /* VMXON did not succeed, or guest=off */
	GUEST_REJECTED,         /* vmxprobe's own VMCS check found a rule broken: not launched */
	GUEST_LAUNCH_FAIL_INVALID, /* VMLAUNCH/VMRESUME: VMfailInvalid */
	GUEST_LAUNCH_FAIL_VALID,   /* VMLAUNCH/VMRESUME: VMfailValid (error=) */
	GUEST_ENTRY_FAIL,       /* VM exit with reason bit 31: VM-entry failure (reason=) */
	GUEST_UNEXPECTED_EXIT,  /* a VM exit the guest's program does not explain (reason=) */
	GUEST_FAULT,            /* an exception during the sequence, or a failed VMWRITE/VMREAD */
	GUEST_ALLOC_FAILED,     /* no VMCS page or guest stack */
};
#define GUEST_TOKENS 9

const char *guest_token_str(enum guest_token t);
/* What the user should do about a result (NULL for GUEST_OK). */
const char *guest_token_advice(enum guest_token t);

/* The SDM's name of a basic exit reason (bits 15:0 of the exit reason). */
const char *vmx_exit_reason_str(uint32_t reason);

#endif
