/* SPDX-License-Identifier: MIT */
/*
 * The SVM conformance rules of selftest=svm, pure: each rule's id, the APM's
 * words, what must happen and the judgement of what did. AMD64 APM Vol. 2,
 * 15.5 "VMRUN Instruction" (15.5.1 "Basic Operation": the consistency checks,
 * VMRUN's #GP and #UD), 15.6 "#VMEXIT" (EXITCODE), 15.7.1 "State Saved on
 * Exit" (nRIP), 15.12 "Exception Intercepts"; appendix C "SVM Intercept Exit
 * Codes"; and by title "Instruction Intercepts", "CR and DR Intercepts", "I/O
 * Permissions Map", "MSR Intercepts", "Pause Intercept Filtering", "TLB
 * Control", "Virtual GIF", "TSC Offset", "Event Injection", "VMSAVE and VMLOAD
 * Instructions", "Shutdown". The consistency-check rules take
 * lib/vmcb_check.c as their oracle: the VMCB is broken in exactly the way the
 * rule names, checked to be so, and VMRUN must refuse it with VMEXIT_INVALID.
 */
#ifndef VMXPROBE_LIB_SVM_RULES_H
#define VMXPROBE_LIB_SVM_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmcb.h"
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
	/* More instruction, CR, DR and exception intercepts (stub guests). */
	SR_INVLPG_INTERCEPT,
	SR_INVD_INTERCEPT,
	SR_WBINVD_INTERCEPT,
	SR_RDPMC_INTERCEPT,
	SR_PUSHF_INTERCEPT,
	SR_POPF_INTERCEPT,
	SR_INTN_INTERCEPT,
	SR_SIDT_INTERCEPT,
	SR_SGDT_INTERCEPT,
	SR_DR7_READ_INTERCEPT,
	SR_DR7_WRITE_INTERCEPT,
	SR_CR4_WRITE_INTERCEPT,
	SR_RDTSCP_INTERCEPT,
	SR_DE_INTERCEPT,
	SR_GP_INTERCEPT,
	SR_PF_INTERCEPT,
	SR_SHUTDOWN_INTERCEPT,
	/* The permission maps: read and write bits apart, the third MSR range,
	 * MSRs outside the ranges, I/O sizes, strings and an access across ports. */
	SR_MSRPM_READ_NOT_WRITE,
	SR_MSRPM_WRITE_NOT_READ,
	SR_MSRPM_HIGH,
	SR_MSRPM_OUTSIDE,
	SR_IOPM_OUTSB,
	SR_IOPM_IN_WORD,
	SR_IOPM_STRADDLE,
	/* Pause filter, TLB control, virtual GIF, TSC offset. */
	SR_PAUSE_FILTER_EXITS,
	SR_PAUSE_FILTER_HOLDS,
	SR_TLB_FLUSH_ALL,
	SR_TLB_FLUSH_ASID,
	SR_VGIF_CLGI,
	SR_VGIF_STGI,
	SR_TSC_OFFSET,
	/* Event injection: the vector delivered and the frame it pushed. */
	SR_EVENTINJ_ERROR_CODE,
	SR_EVENTINJ_NMI,
	SR_EVENTINJ_INTR,
	/* VMSAVE and VMLOAD in the host: the state they store and load. */
	SR_VMSAVE_STATE,
	SR_VMLOAD_STATE,
	SR_RULES
};

/* SR_EXPECT_VALUE: the exit, and the value the rule read (o->value) is want;
 * SR_EXPECT_RANGE: the exit, and o->lo <= o->value <= o->hi; SR_EXPECT_EVENT:
 * a HLT exit in the rules' IDT handler for vector, with the frame the event
 * pushed (error code, then the guest's first RIP); SR_EXPECT_HOST: no guest,
 * and o->value (the fields that differ) is 0. */
enum svm_expect { SR_EXPECT_INVALID, SR_EXPECT_EXIT64, SR_EXPECT_GP, SR_EXPECT_UD,
		  SR_EXPECT_EXIT, SR_EXPECT_NRIP, SR_EXPECT_VALUE, SR_EXPECT_RANGE,
		  SR_EXPECT_EVENT, SR_EXPECT_HOST };

/* The one-instruction guests the rules run (arch/svm_entry.S). */
enum svm_stub { STUB_HLT, STUB_UD, STUB_BP, STUB_CPUID, STUB_RDTSC, STUB_PAUSE,
		STUB_CR0_WRITE, STUB_CR3_READ, STUB_CR0_CD, STUB_RDMSR, STUB_WRMSR, STUB_OUT,
		STUB_IN, STUB_VMLOAD, STUB_VMSAVE, STUB_STGI, STUB_CLGI, STUB_VMMCALL,
		STUB_LOAD, STUB_STORE, STUB_JUMP, STUB_INVLPG, STUB_INVD, STUB_WBINVD,
		STUB_RDPMC, STUB_PUSHF, STUB_POPF, STUB_INTN, STUB_SIDT, STUB_SGDT, STUB_DR7_READ,
		STUB_DR7_WRITE, STUB_CR4_WRITE, STUB_RDTSCP, STUB_DIVIDE, STUB_OUTSB, STUB_IN_WORD,
		STUB_OUT_WORD_7F, STUB_PAUSE_LOOP };

/* What a rule needs of the CPU beyond SVM (CPUID Fn8000_000A_EDX, Fn8000_0001_EDX). */
enum svm_need { NEED_NONE, NEED_NRIPS, NEED_PAUSEFILTER, NEED_FLUSHBYASID,
		NEED_VGIF, NEED_RDTSCP };

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
	enum svm_need need;
	uint32_t dr;                            /* DR intercept bits set */
	uint32_t int_ctl;                       /* VINTR control bits set */
	uint16_t pause_count;                   /* the pause filter count */
	uint8_t tlb_ctl;                        /* the second VMRUN's TLB_CONTROL (TLB rules) */
	uint64_t tsc_offset;
	uint64_t event;                         /* EVENTINJ */
	bool guest_if;                          /* the guest runs with RFLAGS.IF set */
	bool shutdown;                          /* no exception intercepts, an empty guest IDT */
	uint64_t want;                          /* SR_EXPECT_VALUE */
	unsigned vector;                        /* SR_EXPECT_EVENT: the vector delivered */
	bool error_code;                        /* ... pushing an error code: event >> 32 */
};

/* What happened (kept per rule and CPU: small fields first, the rule-specific
 * ones sharing their room). */
struct svm_observed {
	int16_t vector;         /* VMRUN raised this exception, or -1 */
	int16_t delivered;      /* SR_EXPECT_EVENT: the handler's vector, or -1 */
	bool exited;
	uint8_t insn_len;       /* the exiting instruction's length, for SR_EXPECT_NRIP */
	uint64_t exit_code;
	uint64_t rip, next_rip; /* the guest's RIP at the exit and nRIP */
	uint64_t exit_info_1, exit_info_2;
	union {
		struct {
			uint64_t value, lo, hi;         /* SR_EXPECT_VALUE, _RANGE and _HOST */
		};
		struct {
			uint64_t frame[2];              /* SR_EXPECT_EVENT: the top of the guest's stack */
			uint64_t start_rip;             /* ... the guest's RIP at VMRUN */
		};
	};
};

enum svm_verdict { SR_PASS, SR_FAIL, SR_SKIP };

/* The rules' MSR and I/O permission maps set their bits for these (15.11
 * "MSR Intercepts": C000_0000h-C000_1FFFh at byte 800h, two bits per MSR, read
 * then write; 15.10.1 "I/O Permissions Map": one bit per port). */
#define SR_MSR_READ_MARKED      0x00000174u     /* MSR_IA32_SYSENTER_CS: read bit only */
#define SR_MSR_WRITE_MARKED     0x00000175u     /* MSR_IA32_SYSENTER_ESP: write bit only */
#define SR_MSR_HIGH_MARKED      0xc0010015u     /* MSR_K7_HWCR: read bit, third range */
#define SR_MSR_PASSED           0xc0000102u     /* MSR_KERNEL_GS_BASE: clear */
#define SR_MSR_OUTSIDE          0x40000000u     /* in no range of the MSRPM */
#define SR_PORT_INTERCEPTED     0x80            /* the POST port */
/* The #PF rule's linear address: PML4 entry 1, which vmxprobe's page tables
 * (shared with the guest) never fill. */
#define SR_GVA_UNMAPPED         0x8000000000ULL
#define SR_GVA_NONCANONICAL     0x8000000000000000ULL

/* The rules' IDT handlers (arch/svm_entry.S): vector v's is a HLT at
 * base + v * SR_HANDLER_SIZE. The vector whose handler holds rip, or -1. */
#define SR_HANDLER_SIZE         4
int svm_rules_handler_vector(uint64_t rip, uint64_t base);

/* VMSAVE and VMLOAD's MSRs ("VMSAVE and VMLOAD Instructions"), in the
 * order of the VMCB's save area from STAR. */
enum { SR_STATE_MSRS = 8 };
extern const uint32_t svm_state_msr[SR_STATE_MSRS];
/* Values each MSR takes (canonical, SYSENTER's below 4 GiB: AMD keeps 32 bits). */
uint64_t svm_state_pattern(unsigned i);
/* The MSRs (bit i for svm_state_msr[i]) whose field in the save area at s (the
 * VMCB's, 0x400 on) differs from vals[i]. */
unsigned svm_state_differs(const struct vmcb_save_area *save, const uint64_t vals[SR_STATE_MSRS]);
/* svm_state_msr[i]'s field in the save area. */
uint64_t *svm_state_field(struct vmcb_save_area *save, unsigned i);
void svm_rules_msrpm(uint8_t *msrpm);           /* 8 KiB */
void svm_rules_iopm(uint8_t *iopm);             /* 12 KiB */

const struct svm_rule *svm_rule(enum svm_rule_id r);
/* The consistency check a SR_CHECK_* rule breaks. */
enum vmcb_rule svm_rule_check(enum svm_rule_id r);
enum svm_verdict svm_rule_judge(enum svm_rule_id r, const struct svm_observed *o);
/* "VMEXIT_INVALID", "#GP", "exit 0x46", ... : what was observed, for the log. */
void svm_rule_describe(char *buf, unsigned size, enum svm_rule_id r, const struct svm_observed *o);
const char *svm_verdict_str(enum svm_verdict v);

#endif
