/* VMXON conformance rules: see vmx_rules.h. */
#include "lib/vmx_rules.h"

#include "lib/fmt.h"

static const struct st_rule rules[ST_RULES] = {
	[ST_VMXON_NO_VMXE] = { "vmxon-without-cr4-vmxe",
		"VMXON: IF (register operand) or (CR0.PE = 0) or (CR4.VMXE = 0) or ... THEN #UD",
		ST_EXPECT_UD, 0 },
	[ST_VMXOFF_OUTSIDE] = { "vmxoff-outside-vmx-operation",
		"VMXOFF: IF (not in VMX operation) or ... THEN #UD",
		ST_EXPECT_UD, 0 },
	[ST_VMXON_MISALIGNED] = { "vmxon-region-not-4k-aligned",
		"VMXON: IF addr is not 4KB-aligned or ... THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_BEYOND_MAXPHYADDR] = { "vmxon-region-beyond-maxphyaddr",
		"VMXON: IF ... addr sets any bits beyond the physical-address width THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_BAD_REVISION] = { "vmxon-wrong-revision",
		"VMXON: IF bits 30:0 of the VMXON region are not the VMCS revision identifier ... THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_IN_ROOT_NO_VMCS] = { "vmxon-in-root-no-current-vmcs",
		"VMXON in VMX root operation: VMfail(15), which is VMfailInvalid while the current-VMCS pointer is not valid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMCLEAR_VMXON_PTR] = { "vmclear-vmxon-pointer",
		"VMCLEAR: ELSIF addr = VMXON pointer THEN VMfail(VMCLEAR with VMXON pointer) (error 3)",
		ST_EXPECT_FAIL_VALID, 3 },
	[ST_VMPTRLD_VMXON_PTR] = { "vmptrld-vmxon-pointer",
		"VMPTRLD: ELSIF addr = VMXON pointer THEN VMfail(VMPTRLD with VMXON pointer) (error 10)",
		ST_EXPECT_FAIL_VALID, 10 },
	[ST_VMXON_IN_ROOT] = { "vmxon-in-vmx-root",
		"VMXON: ELSIF in VMX root operation THEN VMfail(VMXON executed in VMX root operation) (error 15)",
		ST_EXPECT_FAIL_VALID, 15 },
	[ST_CR0_FIXED_CLEAR] = { "cr0-fixed-bit-clear",
		"In VMX operation, clearing a CR0 bit that IA32_VMX_CR0_FIXED0 fixes to 1 (NE) causes #GP",
		ST_EXPECT_GP, 0 },
	[ST_CR4_FIXED_CLEAR] = { "cr4-fixed-bit-clear",
		"In VMX operation, clearing CR4.VMXE (fixed to 1 by IA32_VMX_CR4_FIXED0) causes #GP",
		ST_EXPECT_GP, 0 },
};

const struct st_rule *st_rule(enum st_rule_id id)
{
	return id < ST_RULES ? &rules[id] : 0;
}

enum st_verdict st_judge(enum st_rule_id id, const struct st_observed *o)
{
	const struct st_rule *r = st_rule(id);

	if (!r)
		return ST_FAIL;
	switch (r->expect) {
	case ST_EXPECT_UD:
		return o->vector == 6 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_GP:
		return o->vector == 13 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_INVALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_INVALID ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_VALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_VALID && o->has_error &&
		       o->error == r->error ? ST_PASS : ST_FAIL;
	}
	return ST_FAIL;
}

void st_describe(char *buf, size_t size, const struct st_observed *o)
{
	if (o->vector == 6)
		fmt_snprintf(buf, size, "#UD");
	else if (o->vector == 13)
		fmt_snprintf(buf, size, "#GP");
	else if (o->vector >= 0)
		fmt_snprintf(buf, size, "exception %d", o->vector);
	else if (o->outcome == VMX_SUCCEED)
		fmt_snprintf(buf, size, "VMsucceed");
	else if (o->outcome == VMX_FAIL_INVALID)
		fmt_snprintf(buf, size, "VMfailInvalid");
	else if (o->has_error)
		fmt_snprintf(buf, size, "VMfailValid(%u)", o->error);
	else
		fmt_snprintf(buf, size, "VMfailValid(error unreadable)");
}

const char *st_verdict_str(enum st_verdict v)
{
	switch (v) {
	case ST_PASS: return "PASS";
	case ST_FAIL: return "FAIL";
	case ST_SKIP: return "SKIP";
	case ST_NOT_RUN: break;
	}
	return "SKIP";
}

struct st_tally st_tally(const enum st_verdict *v, unsigned n)
{
	struct st_tally t = { 0, 0, 0 };

	for (unsigned i = 0; i < n; i++) {
		if (v[i] == ST_PASS)
			t.passed++;
		else if (v[i] == ST_FAIL)
			t.failed++;
		else
			t.skipped++;
	}
	return t;
}
