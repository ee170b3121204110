/* SPDX-License-Identifier: MIT */
/* The SVM conformance rules: see svm_rules.h. */
#include "lib/svm_rules.h"

#include "lib/fmt.h"
#include "lib/npt.h"
#include "lib/vmcb.h"

/* The #NPF error code (EXITINFO1) bits: "Nested Page Faults", as the page-fault
 * error code: P, RW, US (always 1: nested accesses are user accesses), RSV, ID. */
#define NPF_P   1
#define NPF_RW  2
#define NPF_US  4
#define NPF_RSV 8
#define NPF_ID  16
#define NPF_MASK 0x1f

static const struct svm_rule extra[SR_RULES - SR_EXITCODE_64] = {
	[SR_EXITCODE_64 - SR_EXITCODE_64] = { "exitcode-invalid-64",
		"VMEXIT_INVALID: EXITCODE -1 (appendix C: a 64-bit field; -1 is FFFF_FFFF_FFFF_FFFFh)",
		SR_EXPECT_EXIT64, 0 },
	[SR_VMRUN_UNALIGNED - SR_EXITCODE_64] = { "vmrun-unaligned",
		"VMRUN: #GP if rAX is not aligned on a 4-Kbyte boundary", SR_EXPECT_GP, 0 },
	[SR_VMRUN_BEYOND - SR_EXITCODE_64] = { "vmrun-beyond-maxphyaddr",
		"VMRUN: #GP if rAX references a physical address beyond the maximum supported", SR_EXPECT_GP, 0 },
	[SR_VMRUN_NO_SVME - SR_EXITCODE_64] = { "vmrun-no-svme",
		"VMRUN: #UD if EFER.SVME is 0", SR_EXPECT_UD, 0 },
	[SR_UD_INTERCEPT - SR_EXITCODE_64] = { "intercept-ud",
		"Exception intercepts: a #UD with its intercept bit set causes #VMEXIT with EXITCODE 40h + 6",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 6, .stub = STUB_UD },
	[SR_BP_INTERCEPT - SR_EXITCODE_64] = { "intercept-bp",
		"Exception intercepts: INT3 (#BP) with its intercept bit set causes #VMEXIT with EXITCODE 40h + 3",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 3, .stub = STUB_BP },
	[SR_NRIP - SR_EXITCODE_64] = { "nrip-save",
		"NRIP save: on an intercepted CPUID, nRIP holds the address of the next sequential instruction",
		SR_EXPECT_NRIP, SVM_EXIT_CPUID, .stub = STUB_CPUID },
	[SR_RDTSC_INTERCEPT - SR_EXITCODE_64] = { "intercept-rdtsc",
		"Instruction intercepts: RDTSC with its intercept set causes #VMEXIT (EXITCODE 6Eh)",
		SR_EXPECT_EXIT, SVM_EXIT_RDTSC, .stub = STUB_RDTSC, .misc3 = 1u << SVM_INTERCEPT_RDTSC },
	[SR_PAUSE_INTERCEPT - SR_EXITCODE_64] = { "intercept-pause",
		"Instruction intercepts: PAUSE with its intercept set (pause filter count 0) causes #VMEXIT (EXITCODE 77h)",
		SR_EXPECT_EXIT, SVM_EXIT_PAUSE, .stub = STUB_PAUSE, .misc3 = 1u << SVM_INTERCEPT_PAUSE },
	[SR_CR0_WRITE_INTERCEPT - SR_EXITCODE_64] = { "intercept-cr0-write",
		"CR intercepts: a MOV to CR0 with the CR0 write intercept set causes #VMEXIT (EXITCODE 10h)",
		SR_EXPECT_EXIT, SVM_EXIT_WRITE_CR0, .stub = STUB_CR0_WRITE, .cr = 1u << SVM_INTERCEPT_CR0_WRITE },
	[SR_CR3_READ_INTERCEPT - SR_EXITCODE_64] = { "intercept-cr3-read",
		"CR intercepts: a MOV from CR3 with the CR3 read intercept set causes #VMEXIT (EXITCODE 03h)",
		SR_EXPECT_EXIT, SVM_EXIT_READ_CR3, .stub = STUB_CR3_READ, .cr = 1u << SVM_INTERCEPT_CR3_READ },
	[SR_CR0_SELECTIVE_WRITE - SR_EXITCODE_64] = { "intercept-cr0-selective",
		"Selective CR0 write intercept: a MOV to CR0 that changes a bit other than TS and MP causes #VMEXIT (EXITCODE 65h)",
		SR_EXPECT_EXIT, SVM_EXIT_CR0_SEL_WRITE, .stub = STUB_CR0_CD,
		.misc3 = 1u << SVM_INTERCEPT_SELECTIVE_CR0 },
	[SR_MSRPM_READ - SR_EXITCODE_64] = { "msrpm-read",
		"MSR intercepts: RDMSR of an MSR whose read bit is set in the MSRPM causes #VMEXIT (EXITCODE 7Ch, EXITINFO1 0)",
		SR_EXPECT_EXIT, SVM_EXIT_MSR, .stub = STUB_RDMSR, .msr_prot = true,
		.rcx = SR_MSR_INTERCEPTED, .info1 = 0, .info1_mask = 1 },
	[SR_MSRPM_WRITE - SR_EXITCODE_64] = { "msrpm-write",
		"MSR intercepts: WRMSR of an MSR whose write bit is set in the MSRPM causes #VMEXIT (EXITCODE 7Ch, EXITINFO1 1)",
		SR_EXPECT_EXIT, SVM_EXIT_MSR, .stub = STUB_WRMSR, .msr_prot = true,
		.rcx = SR_MSR_INTERCEPTED, .info1 = 1, .info1_mask = 1 },
	[SR_MSRPM_CLEAR - SR_EXITCODE_64] = { "msrpm-clear",
		"MSR intercepts: RDMSR of an MSR whose bits are clear in the MSRPM runs in the guest (here: then HLT, EXITCODE 78h)",
		SR_EXPECT_EXIT, SVM_EXIT_HLT, .stub = STUB_RDMSR, .msr_prot = true, .rcx = SR_MSR_PASSED },
	[SR_IOPM_OUT - SR_EXITCODE_64] = { "iopm-out",
		"IOIO intercepts: OUT to a port whose IOPM bit is set causes #VMEXIT (EXITCODE 7Bh, EXITINFO1 TYPE 0 and the port in bits 31:16)",
		SR_EXPECT_EXIT, SVM_EXIT_IOIO, .stub = STUB_OUT, .io_prot = true,
		.info1 = (uint64_t)SR_PORT_INTERCEPTED << 16, .info1_mask = 0xffff0001 },
	[SR_IOPM_IN - SR_EXITCODE_64] = { "iopm-in",
		"IOIO intercepts: IN from a port whose IOPM bit is set causes #VMEXIT (EXITCODE 7Bh, EXITINFO1 TYPE 1)",
		SR_EXPECT_EXIT, SVM_EXIT_IOIO, .stub = STUB_IN, .io_prot = true,
		.info1 = ((uint64_t)SR_PORT_INTERCEPTED << 16) | 1, .info1_mask = 0xffff0001 },
	[SR_VMLOAD_INTERCEPT - SR_EXITCODE_64] = { "intercept-vmload",
		"Instruction intercepts: VMLOAD with its intercept set causes #VMEXIT (EXITCODE 82h)",
		SR_EXPECT_EXIT, SVM_EXIT_VMLOAD, .stub = STUB_VMLOAD, .misc4 = 1u << SVM_INTERCEPT_VMLOAD },
	[SR_VMSAVE_INTERCEPT - SR_EXITCODE_64] = { "intercept-vmsave",
		"Instruction intercepts: VMSAVE with its intercept set causes #VMEXIT (EXITCODE 83h)",
		SR_EXPECT_EXIT, SVM_EXIT_VMSAVE, .stub = STUB_VMSAVE, .misc4 = 1u << SVM_INTERCEPT_VMSAVE },
	[SR_STGI_INTERCEPT - SR_EXITCODE_64] = { "intercept-stgi",
		"Instruction intercepts: STGI with its intercept set causes #VMEXIT (EXITCODE 84h)",
		SR_EXPECT_EXIT, SVM_EXIT_STGI, .stub = STUB_STGI, .misc4 = 1u << SVM_INTERCEPT_STGI },
	[SR_CLGI_INTERCEPT - SR_EXITCODE_64] = { "intercept-clgi",
		"Instruction intercepts: CLGI with its intercept set causes #VMEXIT (EXITCODE 85h)",
		SR_EXPECT_EXIT, SVM_EXIT_CLGI, .stub = STUB_CLGI, .misc4 = 1u << SVM_INTERCEPT_CLGI },
	[SR_VMMCALL_UD - SR_EXITCODE_64] = { "vmmcall-ud",
		"VMMCALL: #UD when the VMMCALL intercept is clear (here intercepted: EXITCODE 46h)",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 6, .stub = STUB_VMMCALL,
		.misc4 = 1u << SVM_INTERCEPT_VMMCALL },
	[SR_EVENTINJ_RUNS - SR_EXITCODE_64] = { "eventinj-delivered",
		"Event injection: an injected exception is delivered through the guest's IDT and is not subject to exception intercepts (here the IDT's HLT: EXITCODE 78h)",
		SR_EXPECT_EXIT, SVM_EXIT_HLT, .stub = STUB_HLT },
	[SR_NPF_NOT_PRESENT - SR_EXITCODE_64] = { "npf-not-present",
		"Nested paging: a read of a guest-physical page that is not present in the nested tables causes #NPF (EXITCODE 400h), EXITINFO1 P=0 US=1, EXITINFO2 the address",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_LOAD, .rdi = NPT_GPA_NOT_PRESENT, .npt = true,
		.info1 = NPF_US, .info1_mask = NPF_MASK, .check_info2 = true, .info2 = NPT_GPA_NOT_PRESENT },
	[SR_NPF_READ_ONLY - SR_EXITCODE_64] = { "npf-read-only",
		"Nested paging: a write to a page the nested tables map read-only causes #NPF, EXITINFO1 P=1 RW=1 US=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_STORE, .rdi = NPT_GPA_READ_ONLY, .npt = true,
		.info1 = NPF_P | NPF_RW | NPF_US, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_READ_ONLY },
	[SR_NPF_NO_EXEC - SR_EXITCODE_64] = { "npf-no-exec",
		"Nested paging: an instruction fetch from a page the nested tables mark NX causes #NPF, EXITINFO1 P=1 US=1 ID=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_JUMP, .rdi = NPT_GPA_NO_EXEC, .npt = true,
		.info1 = NPF_P | NPF_US | NPF_ID, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_NO_EXEC },
	[SR_NPF_RESERVED - SR_EXITCODE_64] = { "npf-reserved",
		"Nested paging: a nested page table entry with a reserved bit set causes #NPF, EXITINFO1 P=1 RSV=1 US=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_LOAD, .rdi = NPT_GPA_RESERVED, .npt = true,
		.info1 = NPF_P | NPF_US | NPF_RSV, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_RESERVED },
};

void svm_rules_msrpm(uint8_t *msrpm)
{
	unsigned n = SR_MSR_INTERCEPTED - 0xc0000000u;

	for (unsigned i = 0; i < 2 * 4096; i++)
		msrpm[i] = 0;
	msrpm[0x800 + (2 * n) / 8] |= (uint8_t)(3u << ((2 * n) % 8));  /* read and write */
}

void svm_rules_iopm(uint8_t *iopm)
{
	for (unsigned i = 0; i < 3 * 4096; i++)
		iopm[i] = 0;
	iopm[SR_PORT_INTERCEPTED / 8] |= (uint8_t)(1u << (SR_PORT_INTERCEPTED % 8));
}

/* One rule per consistency check: its name and words are the checker's. */
static struct svm_rule checks[SR_CHECK_LAST - SR_CHECK_FIRST + 1];

enum vmcb_rule svm_rule_check(enum svm_rule_id r)
{
	return (enum vmcb_rule)(VMCB_VMRUN_INTERCEPT + (r - SR_CHECK_FIRST));
}

const struct svm_rule *svm_rule(enum svm_rule_id r)
{
	if ((unsigned)r >= SR_RULES)
		return 0;
	if (r <= SR_CHECK_LAST) {
		struct svm_rule *c = &checks[r - SR_CHECK_FIRST];
		c->id = vmcb_rule_name(svm_rule_check(r));
		c->quote = vmcb_rule_text(svm_rule_check(r));
		c->expect = SR_EXPECT_INVALID;
		return c;
	}
	return &extra[r - SR_EXITCODE_64];
}

static bool invalid(uint64_t code)
{
	return code == SVM_EXIT_ERR || code == SVM_EXIT_ERR_LOW32;
}

enum svm_verdict svm_rule_judge(enum svm_rule_id r, const struct svm_observed *o)
{
	const struct svm_rule *rule = svm_rule(r);

	if (!rule)
		return SR_FAIL;
	switch (rule->expect) {
	case SR_EXPECT_INVALID:
		return o->vector < 0 && o->exited && invalid(o->exit_code) ? SR_PASS : SR_FAIL;
	case SR_EXPECT_EXIT64:
		return o->vector < 0 && o->exited && o->exit_code == SVM_EXIT_ERR ? SR_PASS : SR_FAIL;
	case SR_EXPECT_GP:
		return o->vector == 13 ? SR_PASS : SR_FAIL;
	case SR_EXPECT_UD:
		return o->vector == 6 ? SR_PASS : SR_FAIL;
	case SR_EXPECT_EXIT:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       (o->exit_info_1 & rule->info1_mask) == rule->info1 &&
		       (!rule->check_info2 || o->exit_info_2 == rule->info2) ? SR_PASS : SR_FAIL;
	case SR_EXPECT_NRIP:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       o->next_rip == o->rip + o->insn_len ? SR_PASS : SR_FAIL;
	}
	return SR_FAIL;
}

void svm_rule_describe(char *buf, unsigned size, const struct svm_observed *o)
{
	if (o->vector >= 0)
		fmt_snprintf(buf, size, "%s", o->vector == 13 ? "#GP" : o->vector == 6 ? "#UD" : "an exception");
	else if (!o->exited)
		fmt_snprintf(buf, size, "nothing (no exit)");
	else if (o->exit_code == SVM_EXIT_ERR)
		fmt_snprintf(buf, size, "VMEXIT_INVALID (0xffffffffffffffff)");
	else if (o->exit_code == SVM_EXIT_ERR_LOW32)
		fmt_snprintf(buf, size, "VMEXIT_INVALID written as 0x00000000ffffffff");
	else
		fmt_snprintf(buf, size, "exit 0x%lx at rip=0x%lx nrip=0x%lx exitinfo1=0x%lx exitinfo2=0x%lx",
			     o->exit_code, o->rip, o->next_rip, o->exit_info_1, o->exit_info_2);
}

const char *svm_verdict_str(enum svm_verdict v)
{
	return v == SR_PASS ? "PASS" : v == SR_SKIP ? "SKIP" : "FAIL";
}
