/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checks asked of the CPU (selftest=vmx), pure: one rule per
 * check that lib/vmcs_check.c's checker knows, each with the SDM sentence, the
 * checker's words for it, and how to break exactly that check in a valid VMCS.
 * Intel SDM Vol. 3C, chapter "VM Entries": "Checks on VMX Controls and
 * Host-State Area" ("Checks on VM-Execution Control Fields", "Checks on VM-Exit
 * Control Fields", "Checks on VM-Entry Control Fields", "Checks on Host Control
 * Registers, MSRs, and SSP", "Checks on Host Segment and Descriptor-Table
 * Registers", "Checks Related to Address-Space Size") and "Checking and Loading
 * Guest State" ("Checks on Guest Control Registers, Debug Registers, and MSRs",
 * "Checks on Guest Segment Registers", "Checks on Guest Descriptor-Table
 * Registers", "Checks on Guest RIP, RFLAGS, and SSP", "Checks on Guest
 * Non-Register State").
 *
 * The kernel (kernel/vmx_conformance.c) builds the guest's valid VMCS, calls
 * entry_rule_prepare() (break it; the checker must name exactly this rule; what
 * the CPU must then do), launches it and judges with entry_rule_judge().
 */
#ifndef VMXPROBE_LIB_VMCS_ENTRY_RULES_H
#define VMXPROBE_LIB_VMCS_ENTRY_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmcs_config.h"

/* How many rules entry_rule() knows (checked against the table). */
#define ENTRY_RULES 201

/* What VM entry must do, as a set: any of the outcomes set is right ("these
 * checks may be performed in any order": a VMCS that breaks a control and a
 * host-state check may get either error). A VM-entry failure, exit reason 33
 * with bit 31 set, is one outcome per exit qualification q (ENTRY_QUAL_*,
 * lib/vmcs.h): ENTRY_FAIL_GUEST_QUAL(q). Every bit fits in a byte (the
 * kernel keeps the set in one). */
enum entry_expect {
	ENTRY_FAIL_CONTROL = 1,         /* VMfailValid, error 7 */
	ENTRY_FAIL_HOST = 2,            /* VMfailValid, error 8 */
	ENTRY_FAIL_GUEST = 4,           /* exit 33, qualification 0 (ENTRY_QUAL_DEFAULT) */
	ENTRY_FAIL_GUEST_PDPTE = ENTRY_FAIL_GUEST << ENTRY_QUAL_PDPTE,                  /* 2 */
	ENTRY_FAIL_GUEST_LINK_PTR = ENTRY_FAIL_GUEST << ENTRY_QUAL_VMCS_LINK_PTR,       /* 4 */
};
#define ENTRY_FAIL_GUEST_QUAL(q)        (ENTRY_FAIL_GUEST << (q))
#define ENTRY_FAIL_GUEST_QUAL_MAX       ENTRY_QUAL_VMCS_LINK_PTR        /* the highest the SDM names */

/* What the CPU offers the breaks, besides its capability MSRs. */
struct entry_env {
	const struct vmxcap_msrs *m;
	unsigned phys_bits;             /* MAXPHYADDR */
	uint64_t page;                  /* a 4 KiB-aligned page below MAXPHYADDR (bitmaps, link pointer) */
	uint64_t eptp;                  /* a valid EPTP for this CPU; 0: none (rules needing EPT skip) */
};

struct entry_rule {
	const char *name;               /* "entry-...", stable, kebab-case */
	const char *section;            /* the SDM subsection's title */
	const char *quote;              /* the SDM's sentence */
	const char *checker[2];         /* vmcs_check()'s words for it ([1]: TRUE-MSR variant, or NULL) */
	unsigned kind;                  /* how to break it (lib/vmcs_entry_rules.c) */
	unsigned arg;                   /* a segment, a control field, ... */
};

const struct entry_rule *entry_rule(unsigned i);

/*
 * Break rule i in the valid VMCS c, check that vmcs_check() now names exactly
 * that rule, and say what the CPU must do (*expect, ENTRY_FAIL_* bits). NULL,
 * or why the rule cannot be shown on this CPU (a SKIP), including
 * "vmxprobe's checker does not see the change as this rule (a bug in vmxprobe)".
 */
const char *entry_rule_prepare(unsigned i, const struct entry_env *e, struct vmcs_config *c,
			       unsigned *expect);

/* The SKIP reason entry_rule_prepare() gives when the checker names another rule. */
extern const char entry_rule_checker_bug[];

/* ENTRY_FAIL_* bits from the checker's verdict on a VMCS (0: VM entry succeeds):
 * the guest's, one per qualification in v->guest_quals. */
unsigned entry_expect_of(const struct vmcs_entry_verdict *v);

#endif
