/* SPDX-License-Identifier: MIT */
/*
 * VMX decision tables and decoders, pure. References: Intel SDM Vol. 3C, chapter
 * "Introduction to Virtual Machine Extensions" ("Enabling and Entering VMX
 * Operation"), appendix "VMX Capability Reporting Facility" ("Basic VMX
 * Information", "VMX-Fixed Bits in CR0", "VMX-Fixed Bits in CR4"), and Vol. 3C
 * "VM Instruction Error Numbers".
 */
#ifndef VMXPROBE_LIB_VMX_H
#define VMXPROBE_LIB_VMX_H

#include <stdbool.h>
#include <stdint.h>

/* What to do about IA32_FEATURE_CONTROL (Linux's arch/x86/kernel/cpu/feat_ctl.c logic). */
enum feat_ctl_action {
	FEAT_CTL_USE,           /* locked, VMX enabled for this mode: go on */
	FEAT_CTL_WRITE,         /* unlocked: write `value` once (lock + enable), then go on */
	FEAT_CTL_LOCKED_OFF,    /* locked with VMX disabled for this mode: do not try VMXON */
};

struct feat_ctl_decision {
	enum feat_ctl_action action;
	uint64_t value;         /* for FEAT_CTL_WRITE */
};

/*
 * SDM Vol. 3C, "Enabling and Entering VMX Operation": bit 0 is the lock bit;
 * bit 1 enables VMXON in SMX operation, bit 2 outside SMX operation; "If the
 * lock bit is set, WRMSR to this MSR causes a general-protection exception".
 * The decision is Linux's init_ia32_feat_ctl() (see lib/vmx.c).
 */
struct feat_ctl_decision feat_ctl_decide(uint64_t msr);

/* SDM Vol. 3C, "VMX-Fixed Bits in CR0/CR4": bits set in FIXED0 must be 1, bits
 * clear in FIXED1 must be 0. */
static inline uint64_t vmx_fixed_bits(uint64_t cr, uint64_t fixed0, uint64_t fixed1)
{
	return (cr | fixed0) & fixed1;
}

/* True when no value satisfies both (a bit FIXED0 forces on that FIXED1 forbids). */
static inline bool vmx_fixed_conflict(uint64_t fixed0, uint64_t fixed1)
{
	return (fixed0 & ~fixed1) != 0;
}

/* SDM Vol. 3D, appendix A.1 "Basic VMX Information" (IA32_VMX_BASIC, MSR 480H). */
#define VMX_BASIC_REVISION_MASK 0x7fffffffu   /* bits 30:0; bit 31 is always 0 */

struct vmx_basic {
	uint32_t revision;      /* bits 30:0 */
	uint32_t region_size;   /* bits 44:32: VMXON/VMCS region bytes */
	bool addr_32bit;        /* bit 48: region addresses limited to 32 bits */
	bool dual_monitor;      /* bit 49 */
	uint8_t memtype;        /* bits 53:50: 0 UC, 6 WB */
	bool ins_outs;          /* bit 54 */
	bool true_ctls;         /* bit 55 */
	bool no_hw_errcode_check; /* bit 56: any hardware exception with or without an error code */
};

#define VMX_BASIC_MEM_TYPE_UC   0
#define VMX_BASIC_MEM_TYPE_WB   6

struct vmx_basic vmx_basic_decode(uint64_t msr);

/* Is a 4 KiB VMXON region at pa usable? NULL if so, else why not (for the log). */
const char *vmxon_region_problem(const struct vmx_basic *b, uint64_t pa, unsigned phys_bits);

/* SDM Vol. 3C, "Conventions" for VMX instructions: CF=1 VMfailInvalid, ZF=1
 * VMfailValid, both clear VMsucceed. */
enum vmx_outcome { VMX_SUCCEED, VMX_FAIL_INVALID, VMX_FAIL_VALID };
enum vmx_outcome vmx_outcome_from_rflags(uint64_t rflags);

/* VMCS field encoding of the VM-instruction error (SDM Vol. 3C, appendix "Field
 * Encoding in VMCS": 32-bit read-only data field 4400H). */
#define VM_INSTRUCTION_ERROR    0x4400

/* Short text for a VM-instruction error number (SDM "VM Instruction Error Numbers"). */
const char *vmx_instruction_error_str(uint32_t error);

/* Results of the per-CPU probe, as log tokens. */
enum vmx_token {
	VMX_ON, VMX_NO_VMX, VMX_LOCKED_OFF, VMX_VMXON_FAIL_INVALID, VMX_VMXON_FAIL_VALID,
	VMX_FAULT, VMX_ALLOC_FAILED,
};
#define VMX_TOKENS 7
const char *vmx_token_str(enum vmx_token t);
/* What the user should do about a result (NULL for VMX_ON). */
const char *vmx_token_advice(enum vmx_token t);
/*
 * The advice for a result where the hypervisor's CPUID signature (40000000H,
 * "" on bare metal) is known: under QEMU's TCG ("TCGTCGTCGTCG"), no-vmx says
 * that TCG emulates no VMX; otherwise vmx_token_advice(t).
 */
const char *vmx_token_advice_under(enum vmx_token t, const char *hv_vendor);
/* Why nothing ran in VMX operation on a CPU whose result is t (not on): the
 * detail of its guest: not-run line and its skipped rules. */
const char *vmx_not_on_why(enum vmx_token t);

#endif
