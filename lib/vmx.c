/* SPDX-License-Identifier: MIT */
/* VMX decision tables and decoders: see vmx.h. */
#include "lib/vmx.h"

#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"


/*
 * Linux's init_ia32_feat_ctl() (arch/x86/kernel/cpu/feat_ctl.c), for a kernel
 * that may do VMXON and is not launched through tboot (vmxprobe never is; a set
 * CR4.SMXE is not "in SMX operation"): a locked MSR is left alone and VMX is
 * usable only with VMX-outside-SMX enabled; an unlocked one is written with
 * FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX alone, ignoring whatever
 * the BIOS left there, "to avoid enabling random features or faulting on the
 * WRMSR" (no SGX, LMCE or SENTER bits are locked in).
 */
struct feat_ctl_decision feat_ctl_decide(uint64_t msr)
{
	struct feat_ctl_decision d = { FEAT_CTL_USE, msr };

	if (msr & FEAT_CTL_LOCKED) {
		/* Never write a locked MSR: it would #GP, and the firmware decided. */
		d.action = (msr & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX) ? FEAT_CTL_USE :
								      FEAT_CTL_LOCKED_OFF;
		return d;
	}
	d.action = FEAT_CTL_WRITE;
	d.value = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
	return d;
}

struct vmx_basic vmx_basic_decode(uint64_t msr)
{
	struct vmx_basic b;

	b.revision = (uint32_t)(msr & VMX_BASIC_REVISION_MASK);
	b.region_size = (uint32_t)((msr >> 32) & 0x1fff);
	b.addr_32bit = (msr >> 48) & 1;
	b.dual_monitor = (msr >> 49) & 1;
	b.memtype = (uint8_t)((msr >> 50) & 0xf);
	b.ins_outs = (msr >> 54) & 1;
	b.true_ctls = (msr >> 55) & 1;
	b.no_hw_errcode_check = (msr >> 56) & 1;
	return b;
}

const char *vmxon_region_problem(const struct vmx_basic *b, uint64_t pa, unsigned phys_bits)
{
	/* SDM Vol. 3C, "VMXON Region": 4 KiB aligned, within the physical-address
	 * width, below 4 GiB when IA32_VMX_BASIC[48] is set, and at most 4 KiB. */
	if (b->region_size == 0 || b->region_size > 4096)
		return "VMXON region size is not in 1..4096 bytes";
	if (b->memtype != VMX_BASIC_MEM_TYPE_WB)
		return "VMXON region memory type is not write-back";
	if (pa & 0xfff)
		return "VMXON region is not 4 KiB aligned";
	if (phys_bits < 64 && (pa + 4095) >> phys_bits)
		return "VMXON region is beyond the physical-address width";
	if (b->addr_32bit && (pa + 4095) >> 32)
		return "VMXON region is above 4 GiB but IA32_VMX_BASIC[48] limits it to 32 bits";
	return 0;
}

enum vmx_outcome vmx_outcome_from_rflags(uint64_t rflags)
{
	if (rflags & X86_EFLAGS_CF)
		return VMX_FAIL_INVALID;
	if (rflags & X86_EFLAGS_ZF)
		return VMX_FAIL_VALID;
	return VMX_SUCCEED;
}

/* SDM Vol. 3C, "VM Instruction Error Numbers" (table "VM-Instruction Error Numbers"). */
static const char *const instruction_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "Invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_str(uint32_t error)
{
	return STR_TABLE(instruction_errors, error, "see the SDM's VM-instruction error numbers");
}

static const char *const token_names[VMX_TOKENS] = {
	[VMX_ON] = "on",
	[VMX_NO_VMX] = "no-vmx",
	[VMX_LOCKED_OFF] = "locked-off",
	[VMX_VMXON_FAIL_INVALID] = "vmxon-fail-invalid",
	[VMX_VMXON_FAIL_VALID] = "vmxon-fail-valid",
	[VMX_FAULT] = "fault",
	[VMX_ALLOC_FAILED] = "alloc-failed",
};

static const char *const token_advice[VMX_TOKENS] = {
	[VMX_NO_VMX] = "this CPU does not offer Intel VMX (CPUID.1:ECX.VMX is 0): AMD CPUs have SVM "
		       "instead; under a hypervisor, give the guest VMX (nested virtualization, e.g. "
		       "kvm_intel nested=1 and QEMU -cpu host)",
	[VMX_LOCKED_OFF] = "VMX is disabled in firmware: enable Intel VT-x in the BIOS setup "
			   "(IA32_FEATURE_CONTROL is locked with VMX off), then power-cycle",
	[VMX_VMXON_FAIL_INVALID] = "VMXON failed with VMfailInvalid: the CPU rejected the VMXON "
				   "region or its state; report this with the log",
	[VMX_VMXON_FAIL_VALID] = "VMXON failed with VMfailValid: see the error number; the CPU may "
				 "already be in VMX operation (another hypervisor or firmware left it on)",
	[VMX_FAULT] = "a VMX step raised an exception: VMX is advertised but not usable here "
		      "(check firmware settings, or the hypervisor's nested-VMX support)",
	[VMX_ALLOC_FAILED] = "no usable VMXON page for this CPU: the CPU rejects the page's address, "
			     "size or memory type (IA32_VMX_BASIC; see detail=), which no build "
			     "setting changes: report this with the log",
};

const char *vmx_token_str(enum vmx_token t)
{
	return STR_TABLE(token_names, t, "fault");
}

const char *vmx_token_advice(enum vmx_token t)
{
	return STR_TABLE(token_advice, t, 0);
}

const char *vmx_token_advice_under(enum vmx_token t, const char *hv_vendor)
{
	if (t == VMX_NO_VMX && str_eq(hv_vendor, "TCGTCGTCGTCG"))
		return "QEMU's TCG emulates no VMX: use KVM on an Intel host (qemu-system-x86_64 "
		       "-accel kvm -cpu host, with nested VMX on: kvm_intel nested=1), or Bochs, "
		       "which emulates VMX";
	return vmx_token_advice(t);
}

const char *vmx_not_on_why(enum vmx_token t)
{
	if (t == VMX_NO_VMX)
		return "VMX is not available on this CPU (see its vmx: line)";
	if (t == VMX_LOCKED_OFF)
		return "VMX is disabled in firmware on this CPU (see its vmx: line)";
	return "VMXON does not succeed on this CPU (see its vmx: line)";
}
