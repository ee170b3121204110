/* SPDX-License-Identifier: MIT */
/* The guest's result tokens and the exit-reason names: see guest.h. */
#include "lib/guest.h"

#include "lib/string.h"

static const char *const token_names[GUEST_TOKENS] = {
	[GUEST_OK] = "ok",
	[GUEST_NOT_RUN] = "not-run",
	[GUEST_REJECTED] = "rejected",
	[GUEST_LAUNCH_FAIL_INVALID] = "launch-fail-invalid",
	[GUEST_LAUNCH_FAIL_VALID] = "launch-fail-valid",
	[GUEST_ENTRY_FAIL] = "entry-fail",
	[GUEST_UNEXPECTED_EXIT] = "unexpected-exit",
	[GUEST_FAULT] = "fault",
	[GUEST_ALLOC_FAILED] = "alloc-failed",
};

static const char *const token_advice[GUEST_TOKENS] = {
	[GUEST_NOT_RUN] = "no guest was launched: it runs only where VMXON succeeds (see the vmx: "
			  "lines), and not with guest=off",
	[GUEST_REJECTED] = "the CPU's capability MSRs do not allow a VMCS that vmxprobe's check "
			   "accepts (detail= names the rule): report this with the log",
	[GUEST_LAUNCH_FAIL_INVALID] = "VMLAUNCH failed with VMfailInvalid: there was no valid "
				      "current VMCS",
	[GUEST_LAUNCH_FAIL_VALID] = "VMXON works but VM entry does not: the CPU (or the hypervisor "
				    "below) rejected a VMCS vmxprobe's check accepts; see the error "
				    "number, and report it with the log",
	[GUEST_ENTRY_FAIL] = "VM entry failed while loading the guest (see reason=): under a "
			     "hypervisor, the hypervisor below does not support nested guests fully",
	[GUEST_UNEXPECTED_EXIT] = "the guest exited for a reason its program does not explain (see "
				  "reason= and name=): under a hypervisor, its nested VMX may not "
				  "pass the controls through",
	[GUEST_FAULT] = "a VMX instruction raised an exception while the guest was set up or run",
	[GUEST_ALLOC_FAILED] = "no VMCS page or guest stack for this CPU (the CPU rejects the page's "
			       "address or memory type): report this with the log",
};

const char *guest_token_str(enum guest_token t)
{
	return STR_TABLE(token_names, t, "fault");
}

const char *guest_token_advice(enum guest_token t)
{
	return STR_TABLE(token_advice, t, 0);
}

/* Appendix C "VMX Basic Exit Reasons". */
static const char *const reasons[] = {
	[0] = "Exception or non-maskable interrupt (NMI)",
	[1] = "External interrupt",
	[2] = "Triple fault",
	[3] = "INIT signal",
	[4] = "Start-up IPI (SIPI)",
	[5] = "I/O system-management interrupt (SMI)",
	[6] = "Other SMI",
	[7] = "Interrupt window",
	[8] = "NMI window",
	[9] = "Task switch",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "Control-register accesses",
	[29] = "MOV DR",
	[30] = "I/O instruction",
	[31] = "RDMSR",
	[32] = "WRMSR",
	[33] = "VM-entry failure due to invalid guest state",
	[34] = "VM-entry failure due to MSR loading",
	[36] = "MWAIT",
	[37] = "Monitor trap flag",
	[39] = "MONITOR",
	[40] = "PAUSE",
	[41] = "VM-entry failure due to machine-check event",
	[43] = "TPR below threshold",
	[44] = "APIC access",
	[45] = "Virtualized EOI",
	[46] = "Access to GDTR or IDTR",
	[47] = "Access to LDTR or TR",
	[48] = "EPT violation",
	[49] = "EPT misconfiguration",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "VMX-preemption timer expired",
	[53] = "INVVPID",
	[54] = "WBINVD or WBNOINVD",
	[55] = "XSETBV",
	[56] = "APIC write",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "Page-modification log full",
	[63] = "XSAVES",
	[64] = "XRSTORS",
};

const char *vmx_exit_reason_str(uint32_t reason)
{
	return STR_TABLE(reasons, reason & 0xffff, "see the SDM's basic exit reasons");
}
