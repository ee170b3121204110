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
	ST_RULES
};

enum st_expect { ST_EXPECT_UD, ST_EXPECT_GP, ST_EXPECT_FAIL_INVALID, ST_EXPECT_FAIL_VALID };

struct st_rule {
	const char *id;         /* short name for the log */
	const char *quote;      /* the rule, as the SDM states it */
	enum st_expect expect;
	uint32_t error;         /* the VM-instruction error number, for ST_EXPECT_FAIL_VALID */
};

/* What an instruction did: an exception vector (>= 0), or its VMX outcome. */
struct st_observed {
	int vector;
	enum vmx_outcome outcome;
	bool has_error;
	uint32_t error;
};

enum st_verdict { ST_NOT_RUN, ST_PASS, ST_FAIL, ST_SKIP };

const struct st_rule *st_rule(enum st_rule_id id);
enum st_verdict st_judge(enum st_rule_id id, const struct st_observed *o);
/* "#UD", "VMfailValid(15)", "VMfailInvalid", "VMsucceed", "#GP", ... */
void st_describe(char *buf, size_t size, const struct st_observed *o);
const char *st_verdict_str(enum st_verdict v);

/* One CPU's rule verdicts, counted (ST_NOT_RUN counts as skipped). */
struct st_tally {
	unsigned passed, failed, skipped;
};
struct st_tally st_tally(const enum st_verdict *v, unsigned n);

#endif
