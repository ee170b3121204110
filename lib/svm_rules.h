/* SPDX-License-Identifier: MIT */
/*
 * The SVM conformance rules of selftest=svm, pure: each rule's id, the APM's
 * words, what must happen and the judgement of what did. AMD64 APM Vol. 2,
 * 15.5 "VMRUN Instruction" (15.5.1 "Basic Operation": the consistency checks,
 * VMRUN's #GP and #UD), 15.6 "#VMEXIT" (EXITCODE), 15.7.1 "State Saved on
 * Exit" (nRIP), 15.12 "Exception Intercepts"; appendix C "SVM Intercept Exit
 * Codes". The consistency-check rules take lib/vmcb_check.c as their oracle:
 * the VMCB is broken in exactly the way the rule names, checked to be so, and
 * VMRUN must refuse it with VMEXIT_INVALID.
 */
#ifndef VMXPROBE_LIB_SVM_RULES_H
#define VMXPROBE_LIB_SVM_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmcb_check.h"

enum svm_rule_id {
	/* VMRUN with one consistency check broken: VMEXIT_INVALID (one per vmcb_rule). */
	SR_CHECK_FIRST,
	SR_CHECK_LAST = SR_CHECK_FIRST + VMCB_CS_L_D - VMCB_VMRUN_INTERCEPT,
	SR_EXITCODE_64,         /* VMEXIT_INVALID is written as the 64-bit -1 */
	SR_VMRUN_UNALIGNED,     /* VMRUN with rAX not 4 KiB aligned: #GP */
	SR_VMRUN_BEYOND,        /* VMRUN with rAX beyond the physical address width: #GP */
	SR_VMRUN_NO_SVME,       /* VMRUN with EFER.SVME clear: #UD */
	SR_UD_INTERCEPT,        /* a #UD in the guest with its intercept set: exit 0x46 */
	SR_BP_INTERCEPT,        /* an INT3 in the guest: exit 0x43 */
	SR_NRIP,                /* NRIP save: nRIP is the next instruction after CPUID */
	/* Intercepts and what runs without them: a stub guest, an exit expected. */
	SR_RDTSC_INTERCEPT,
	SR_PAUSE_INTERCEPT,
	SR_CR0_WRITE_INTERCEPT,
	SR_CR3_READ_INTERCEPT,
	SR_CR0_SELECTIVE_WRITE,
	SR_MSRPM_READ,
	SR_MSRPM_WRITE,
	SR_MSRPM_CLEAR,
	SR_IOPM_OUT,
	SR_IOPM_IN,
	SR_VMLOAD_INTERCEPT,
	SR_VMSAVE_INTERCEPT,
	SR_STGI_INTERCEPT,
	SR_CLGI_INTERCEPT,
	SR_VMMCALL_UD,
	SR_EVENTINJ_RUNS,
	/* Nested paging: #NPF (400h) with EXITINFO1 the error code, EXITINFO2 the address. */
	SR_NPF_NOT_PRESENT,
	SR_NPF_READ_ONLY,
	SR_NPF_NO_EXEC,
	SR_NPF_RESERVED,
	SR_RULES
};

enum svm_expect { SR_EXPECT_INVALID, SR_EXPECT_EXIT64, SR_EXPECT_GP, SR_EXPECT_UD,
		  SR_EXPECT_EXIT, SR_EXPECT_NRIP };

/* The one-instruction guests the rules run (arch/svm_entry.S). */
enum svm_stub { STUB_HLT, STUB_UD, STUB_BP, STUB_CPUID, STUB_RDTSC, STUB_PAUSE,
		STUB_CR0_WRITE, STUB_CR3_READ, STUB_CR0_CD, STUB_RDMSR, STUB_WRMSR, STUB_OUT,
		STUB_IN, STUB_VMLOAD, STUB_VMSAVE, STUB_STGI, STUB_CLGI, STUB_VMMCALL,
		STUB_LOAD, STUB_STORE, STUB_JUMP };

struct svm_rule {
	const char *id;
	const char *quote;
	enum svm_expect expect;
	uint64_t exit_code;     /* SR_EXPECT_EXIT */
	/* The intercept rules: the stub, and what to set in a good VMCB. */
	enum svm_stub stub;
	uint32_t misc3, misc4, cr;              /* intercept bits set (misc4: cleared for SR_VMMCALL_UD) */
	bool msr_prot, io_prot;                 /* through the rules' own permission maps */
	uint64_t rcx;                           /* the guest's RCX (the MSR) */
	uint64_t rdi;                           /* the guest's RDI (the address) */
	bool npt;                               /* needs nested paging (SKIP without) */
	uint64_t info1, info1_mask;             /* EXITINFO1's expected bits (mask 0: any) */
	bool check_info2;
	uint64_t info2;                         /* EXITINFO2, when check_info2 */
};

/* What happened. */
struct svm_observed {
	int vector;             /* VMRUN raised this exception, or -1 */
	bool exited;
	uint64_t exit_code;
	uint64_t rip, next_rip; /* the guest's RIP at the exit and nRIP */
	unsigned insn_len;      /* the exiting instruction's length, for SR_EXPECT_NRIP */
	uint64_t exit_info_1, exit_info_2;
};

enum svm_verdict { SR_PASS, SR_FAIL, SR_SKIP };

/* The rules' MSR and I/O permission maps set their bits for these (15.11
 * "MSR Intercepts": C000_0000h-C000_1FFFh at byte 800h, two bits per MSR, read
 * then write; 15.10.1 "I/O Permissions Map": one bit per port). */
#define SR_MSR_INTERCEPTED      0xc0000100u     /* MSR_FS_BASE: both bits set */
#define SR_MSR_PASSED           0xc0000102u     /* MSR_KERNEL_GS_BASE: clear */
#define SR_PORT_INTERCEPTED     0x80            /* the POST port */
void svm_rules_msrpm(uint8_t *msrpm);           /* 8 KiB */
void svm_rules_iopm(uint8_t *iopm);             /* 12 KiB */

const struct svm_rule *svm_rule(enum svm_rule_id r);
/* The consistency check a SR_CHECK_* rule breaks. */
enum vmcb_rule svm_rule_check(enum svm_rule_id r);
enum svm_verdict svm_rule_judge(enum svm_rule_id r, const struct svm_observed *o);
/* "VMEXIT_INVALID", "#GP", "exit 0x46", ... : what was observed, for the log. */
void svm_rule_describe(char *buf, unsigned size, const struct svm_observed *o);
const char *svm_verdict_str(enum svm_verdict v);

#endif
