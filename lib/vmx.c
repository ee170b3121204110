/* VMX decision tables and decoders: see vmx.h. */
#include "lib/vmx.h"

#include "lib/msr-index.h"
#include "lib/processor-flags.h"


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

const char *vmx_instruction_error_str(uint32_t error)
{
	switch (error) {
	case 1:  return "VMCALL executed in VMX root operation";
	case 2:  return "VMCLEAR with invalid physical address";
	case 3:  return "VMCLEAR with VMXON pointer";
	case 4:  return "VMLAUNCH with non-clear VMCS";
	case 5:  return "VMRESUME with non-launched VMCS";
	case 9:  return "VMPTRLD with invalid physical address";
	case 10: return "VMPTRLD with VMXON pointer";
	case 11: return "VMPTRLD with incorrect VMCS revision identifier";
	case 12: return "VMREAD/VMWRITE from/to unsupported VMCS component";
	case 15: return "VMXON executed in VMX root operation";
	default: return "see the SDM's VM-instruction error numbers";
	}
}

const char *vmx_token_str(enum vmx_token t)
{
	switch (t) {
	case VMX_ON:                 return "on";
	case VMX_NO_VMX:             return "no-vmx";
	case VMX_LOCKED_OFF:         return "locked-off";
	case VMX_VMXON_FAIL_INVALID: return "vmxon-fail-invalid";
	case VMX_VMXON_FAIL_VALID:   return "vmxon-fail-valid";
	case VMX_FAULT:              return "fault";
	case VMX_ALLOC_FAILED:       return "alloc-failed";
	}
	return "fault";
}

const char *vmx_token_advice(enum vmx_token t)
{
	switch (t) {
	case VMX_ON:
		return 0;
	case VMX_NO_VMX:
		return "this CPU does not offer Intel VMX (CPUID.1:ECX.VMX is 0): AMD CPUs have SVM "
		       "instead; under a hypervisor, give the guest VMX (nested virtualization, e.g. "
		       "kvm_intel nested=1 and QEMU -cpu host)";
	case VMX_LOCKED_OFF:
		return "VMX is disabled in firmware: enable Intel VT-x in the BIOS setup "
		       "(IA32_FEATURE_CONTROL is locked with VMX off), then power-cycle";
	case VMX_VMXON_FAIL_INVALID:
		return "VMXON failed with VMfailInvalid: the CPU rejected the VMXON region or its "
		       "state; report this with the log";
	case VMX_VMXON_FAIL_VALID:
		return "VMXON failed with VMfailValid: see the error number; the CPU may already "
		       "be in VMX operation (another hypervisor or firmware left it on)";
	case VMX_FAULT:
		return "a VMX step raised an exception: VMX is advertised but not usable here "
		       "(check firmware settings, or the hypervisor's nested-VMX support)";
	case VMX_ALLOC_FAILED:
		return "no usable VMXON page for this CPU: the CPU rejects the page's address, "
		       "size or memory type (IA32_VMX_BASIC; see detail=), which no build setting "
		       "changes: report this with the log";
	}
	return "";
}
