/* SPDX-License-Identifier: MIT */
/*
 * The VMRUN consistency checks on a VMCB, as the oracle the SVM guest and its
 * conformance rules judge the CPU by (as lib/vmcs_check.c is for VMX). AMD64
 * APM Vol. 2, section 15.5.1 "Basic Operation", "Canonicalization and
 * Consistency Checks" (VMRUN exits with VMEXIT_INVALID when one fails), and
 * section 15.20 "Event Injection"; checked in the order and with the meaning
 * KVM gives them for a nested VMRUN (arch/x86/kvm/svm/nested.c:
 * nested_vmcb_check_controls(), nested_vmcb_check_save(),
 * nested_svm_check_event_inj()).
 */
#ifndef VMXPROBE_LIB_VMCB_CHECK_H
#define VMXPROBE_LIB_VMCB_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmcb.h"

enum vmcb_rule {
	VMCB_OK,
	VMCB_VMRUN_INTERCEPT,   /* the VMRUN intercept bit is clear */
	VMCB_ASID_ZERO,         /* ASID is 0 */
	VMCB_NPT_UNSUPPORTED,   /* NP_ENABLE without nested paging offered */
	VMCB_NCR3,              /* nCR3 beyond the physical address width */
	VMCB_GPAT,              /* with nested paging, an invalid guest PAT */
	VMCB_MSRPM,             /* the MSR permission map reaches past the physical address width */
	VMCB_IOPM,              /* the I/O permission map reaches past it */
	VMCB_EVENTINJ_TYPE,     /* event injection of a reserved type */
	VMCB_EVENTINJ_VECTOR,   /* event injection of an exception that is not one */
	VMCB_EFER_SVME,         /* EFER.SVME is 0 */
	VMCB_CR0_CD_NW,         /* CR0.CD = 0 and CR0.NW = 1 */
	VMCB_CR0_HIGH,          /* CR0[63:32] not 0 */
	VMCB_DR6_HIGH,          /* DR6[63:32] not 0 */
	VMCB_DR7_HIGH,          /* DR7[63:32] not 0 */
	VMCB_EFER_MBZ,          /* a must-be-zero bit of EFER set */
	VMCB_LONG_MODE,         /* EFER.LME or LMA set on a CPU without long mode */
	VMCB_LME_PAE,           /* EFER.LME and CR0.PG set, CR4.PAE clear */
	VMCB_LME_PE,            /* EFER.LME and CR0.PG set, CR0.PE clear */
	VMCB_CR3_MBZ,           /* long mode: a CR3 bit in 63:52 (reserved, MBZ) */
	VMCB_CR4_MBZ,           /* a must-be-zero bit of CR4 set */
	VMCB_CS_L_D,            /* EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D all set */
	VMCB_ASID_RANGE,        /* vmxprobe's own: ASID not below CPUID Fn8000_000A EBX */
};
#define VMCB_RULES 23

/* What the CPU offers, which the checks depend on. */
struct vmcb_check_env {
	unsigned phys_bits;     /* CPUID Fn8000_0008 EAX[7:0] */
	bool long_mode;         /* CPUID Fn8000_0001 EDX[LM] */
	bool npt;               /* CPUID Fn8000_000A EDX[NP] */
	uint32_t nasid;         /* CPUID Fn8000_000A EBX */
	uint64_t efer_mbz;      /* EFER bits this CPU does not implement */
	uint64_t cr4_mbz;       /* CR4 bits this CPU does not implement */
};

/* The first rule the VMCB breaks, VMCB_OK when none. */
enum vmcb_rule vmcb_check(const struct vmcb *v, const struct vmcb_check_env *env);

/* The rule's short name ("asid-zero") and the APM's words for it. */
const char *vmcb_rule_name(enum vmcb_rule r);
const char *vmcb_rule_text(enum vmcb_rule r);

/* A guest PAT the processor accepts (each entry a defined memory type: 0, 1, 4-7). */
bool vmcb_pat_valid(uint64_t pat);

#endif
