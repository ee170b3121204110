/* SPDX-License-Identifier: MIT */
/*
 * The VMXON conformance rules of selftest=vmxon, pure: each rule's id, the SDM
 * rule it quotes, what the SDM says must happen, and the judgement of what did.
 * Sources: Intel SDM Vol. 3C, chapter "VMX Instruction Reference" (the
 * Operation sections of VMXON, VMXOFF, VMCLEAR, VMPTRLD) and "VM Instruction
 * Error Numbers"; Vol. 3D appendix A.7/A.8 "VMX-Fixed Bits in CR0/CR4".
 */
#ifndef VMXPROBE_LIB_VMX_RULES_H
#define VMXPROBE_LIB_VMX_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/vmcs_entry_rules.h"
#include "lib/vmx.h"

enum st_rule_id {
	ST_VMXON_NO_VMXE,
	ST_VMXOFF_OUTSIDE,
	ST_VMXON_MISALIGNED,
	ST_VMXON_BEYOND_MAXPHYADDR,
	ST_VMXON_BAD_REVISION,
	ST_VMXON_IN_ROOT_NO_VMCS,
	ST_VMCLEAR_VMXON_PTR,
	ST_VMPTRLD_VMXON_PTR,
	ST_VMXON_IN_ROOT,
	ST_CR0_FIXED_CLEAR,
	ST_CR4_FIXED_CLEAR,
	/* selftest=vmx: the rules above, then these (a VMCS and a guest per rule). */
	ST_VMWRITE_READ_ONLY,
	ST_VMREAD_UNSUPPORTED,
	ST_VMWRITE_UNSUPPORTED,
	ST_VMRESUME_CLEAR,
	ST_VMLAUNCH_LAUNCHED,
	ST_EXCEPTION_BITMAP,
	ST_PREEMPTION_ZERO,
	ST_PREEMPTION_EXPIRES,
	ST_PREEMPTION_SAVE,
	ST_MSR_BITMAP_READ,
	ST_MSR_BITMAP_READ_CLEAR,
	ST_MSR_BITMAP_WRITE,
	ST_MSR_BITMAP_WRITE_CLEAR,
	ST_IO_BITMAP,
	ST_IO_BITMAP_CLEAR,
	ST_VPID_NONZERO,
	ST_VPID_ZERO,
	ST_EPT_RUNS,
	ST_EPT_VIOLATION_READ,
	ST_EPT_VIOLATION_WRITE,
	ST_EPT_MISCONFIG,
	ST_INVEPT_SINGLE,
	ST_INVEPT_ALL,
	ST_INVVPID_ADDRESS,
	ST_INVVPID_SINGLE,
	ST_INVVPID_ALL,
	ST_UNRESTRICTED_REAL_MODE,
	/* INVEPT/INVVPID with invalid operands. */
	ST_INVEPT_BAD_TYPE,
	ST_INVVPID_BAD_TYPE,
	ST_INVVPID_SINGLE_VPID_ZERO,
	ST_INVVPID_ADDRESS_VPID_ZERO,
	ST_INVVPID_ADDRESS_NON_CANONICAL,
	/* The topics (lib/vmx_topics.h): event injection, windows, MTF, MSR lists,
	 * CR0 masks, I/O bitmaps, the EPT permission matrix. */
	ST_INJECT_EXT_INTR,
	ST_INJECT_NMI,
	ST_INJECT_EXCEPTION,
	ST_INJECT_SOFT_INTR,
	ST_INTR_WINDOW,
	ST_INTR_WINDOW_STI,
	ST_NMI_WINDOW,
	ST_MTF,
	ST_MSR_LOAD,
	ST_MSR_STORE,
	ST_MSR_LOAD_SMBASE,
	ST_CR0_READ_SHADOW,
	ST_CR0_WRITE_MASKED,
	ST_IO_BITMAP_B,
	ST_IO_OUTSB,
	ST_IO_STRADDLE,
	ST_IO_WRAP,
	ST_EPT_READ_ONLY_WRITE,
	ST_EPT_EXEC_ONLY_READ,
	ST_EPT_NO_EXEC_FETCH,
	/* More topics: CR4 masks, CR3-target values, the high MSR bitmaps and MSRs
	 * outside them, EPT misconfigurations, A/D flags, 2 MiB and 1 GiB pages. */
	ST_CR4_READ_SHADOW,
	ST_CR4_WRITE_MASKED,
	ST_CR3_TARGET_HIT,
	ST_CR3_TARGET_MISS,
	ST_MSR_BITMAP_HIGH_READ,
	ST_MSR_BITMAP_HIGH_READ_CLEAR,
	ST_MSR_BITMAP_HIGH_WRITE,
	ST_MSR_BITMAP_HIGH_WRITE_CLEAR,
	ST_MSR_OUTSIDE_READ,
	ST_MSR_OUTSIDE_WRITE,
	ST_EPT_MISCONFIG_RESERVED_BIT,
	ST_EPT_MISCONFIG_MEMTYPE,
	ST_EPT_MISCONFIG_NONLEAF,
	ST_EPT_ACCESSED,
	ST_EPT_DIRTY,
	ST_EPT_2MB_PAGE,
	ST_EPT_1GB_PAGE,
	ST_INTR_WINDOW_MOV_SS,
	ST_TPR_BELOW_THRESHOLD,
	ST_ACK_INTR_ON_EXIT,
	ST_EXT_INTR_EXIT_IF_CLEAR,
	/* Pending debug exceptions; INIT and SIPI sent by another CPU (kernel/vmx_cross.c). */
	ST_PENDING_DBG_BS,
	ST_PENDING_DBG_BP,
	ST_INIT_HELD_IN_ROOT,
	ST_INIT_EXIT,
	ST_SIPI_EXIT,
	ST_CR3_TARGET_LAST,
	ST_VMLAUNCH_MOV_SS,
	ST_VMLAUNCH_MOV_SS_NO_VMCS,
	ST_DBG_MOV_SS_SHADOW,
	ST_MOV_SS_VMCALL,
	ST_NMI_WINDOW_BLOCKED,
	ST_NMI_WINDOW_IRET,
	ST_SIPI_IGNORED_ACTIVE,
	/* The rest of the EPT permission matrix. */
	ST_EPT_R_READ,
	ST_EPT_R_FETCH,
	ST_EPT_RW_WRITE,
	ST_EPT_X_FETCH,
	ST_EPT_X_WRITE,
	ST_EPT_RX_READ,
	ST_EPT_RX_WRITE,
	ST_EPT_RX_FETCH,
	ST_EPT_RWX_WRITE,
	ST_EPT_NP_FETCH,
	ST_EPT_WX_MISCONFIG,
	ST_EPT_W_MISCONFIG_WRITE,
	/* APIC virtualization, virtual-interrupt delivery, VMCS shadowing
	 * (kernel/vmx_apicv.c, lib/vmx_apicv.h). */
	ST_APIC_ACCESS_READ_EXIT,
	ST_APIC_ACCESS_WRITE_EXIT,
	ST_APIC_ACCESS_VTPR_READ,
	ST_APIC_ACCESS_VTPR_WRITE,
	ST_APIC_REG_VIRT_READ,
	ST_APIC_REG_VIRT_PPR_EXIT,
	ST_APIC_WRITE_EXIT,
	ST_VID_AT_ENTRY,
	ST_VID_EOI_EXIT,
	ST_POSTED_INTR,
	ST_SHADOW_VMREAD,
	ST_SHADOW_VMWRITE,
	ST_SHADOW_VMWRITE_EXIT,
	/* The VM-entry checks asked of the CPU: one per lib/vmcs_entry_rules.c rule. */
	ST_ENTRY_FIRST,
	ST_ENTRY_LAST = ST_ENTRY_FIRST + ENTRY_RULES - 1,
	ST_RULES
};
#define ST_VMXON_RULES  (ST_CR4_FIXED_CLEAR + 1)        /* selftest=vmxon: the first ones */

enum st_expect {
	ST_EXPECT_UD, ST_EXPECT_GP, ST_EXPECT_FAIL_INVALID, ST_EXPECT_FAIL_VALID,
	ST_EXPECT_EXIT,         /* a VM exit with basic reason `exit` (and qualification, if qual_mask) */
	ST_EXPECT_SUCCEED,      /* VMsucceed */
	ST_EXPECT_ENTRY_FAIL,   /* VM entry fails as the checker says (st_observed.entry_expect) */
};

struct st_rule {
	const char *id;         /* short name for the log */
	const char *quote;      /* the rule, as the SDM states it */
	enum st_expect expect;
	uint32_t error;         /* the VM-instruction error number, for ST_EXPECT_FAIL_VALID */
	uint32_t exit;          /* the basic exit reason, for ST_EXPECT_EXIT */
	uint64_t qual, qual_mask; /* the exit qualification's expected bits (mask 0: any) */
	uint32_t info, info_mask; /* the VM-exit interruption information's expected bits */
	bool before_guest;      /* the exit comes before the guest's first instruction */
	bool check_gpa;         /* the guest-physical address field must be gpa */
	uint64_t gpa;
	bool check_cycles;      /* the exit must come within [cycles_min, cycles_bound] */
	bool check_timer_saved; /* the saved preemption-timer value must be below the initial one */
	bool check_value;       /* the observed value must be the expected one (st_observed.value) */
};

/* What an instruction (or a VM entry) did: an exception vector (>= 0), its VMX
 * outcome, or, after a VM entry, the VM exit that followed. */
struct st_observed {
	int vector;
	enum vmx_outcome outcome;
	bool has_error;
	uint32_t error;
	bool has_exit;
	uint32_t exit_reason;   /* bit 31 kept: an entry failure */
	uint64_t qual;
	uint32_t info;
	bool rip_unchanged;     /* the guest's RIP at the exit is its entry point */
	uint64_t gpa;           /* the guest-physical address field (EPT exits) */
	uint64_t cycles;        /* TSC cycles from just before the entry to just after the exit */
	uint64_t cycles_bound;  /* what the rule allows, where it bounds the time */
	uint64_t cycles_min;    /* and the least it allows */
	/* A rule-specific value (the guest's result, a stored MSR, the frame an
	 * injected event pushed) and what the SDM says it must be. */
	bool has_value;
	uint64_t value, value_expected;
	bool has_timer;
	uint32_t timer_initial, timer_saved;    /* the preemption-timer field before and after */
	/* After an exit, for a rule that fails: what else the exit said. */
	bool has_details;
	uint32_t error_code;    /* VM-exit interruption error code */
	uint32_t idt_info;      /* IDT-vectoring information */
	uint64_t rip;           /* the guest's RIP at the exit */
	/* ST_EXPECT_ENTRY_FAIL: what the checker says VM entry must do (ENTRY_FAIL_* bits). */
	unsigned entry_expect;
};

enum st_verdict { ST_NOT_RUN, ST_PASS, ST_FAIL, ST_SKIP };

const struct st_rule *st_rule(enum st_rule_id id);
enum st_verdict st_judge(enum st_rule_id id, const struct st_observed *o);
/* "#UD", "VMfailValid(15)", "VMfailInvalid", "VMsucceed", "#GP", ... */
void st_describe(char *buf, size_t size, const struct st_observed *o);
/* The same, with an exit's details (vector, error code, IDT-vectoring
 * information, guest RIP, guest-physical address) when the rule failed. */
void st_describe_verdict(char *buf, size_t size, const struct st_observed *o, enum st_verdict v);
const char *st_verdict_str(enum st_verdict v);

/* One CPU's rule verdicts, each an enum st_verdict kept in a byte (a CPU's
 * record is small), counted (ST_NOT_RUN counts as skipped). */
struct st_tally {
	unsigned passed, failed, skipped;
};
struct st_tally st_tally(const uint8_t *v, unsigned n);

#endif
