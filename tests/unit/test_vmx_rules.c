/* Judgement of the VMXON conformance rules. */
#include "check.h"
#include "lib/vmx_rules.h"

static struct st_observed exc(int v)
{
	return (struct st_observed){ v, VMX_SUCCEED, false, 0 };
}

static struct st_observed out(enum vmx_outcome o, int has_error, uint32_t e)
{
	return (struct st_observed){ -1, o, has_error, e };
}

int main(void)
{
	struct st_observed o;
	char buf[40];

	/* #UD rules. */
	o = exc(6);
	CHECK_EQ(st_judge(ST_VMXON_NO_VMXE, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXOFF_OUTSIDE, &o), ST_PASS);
	o = exc(13);
	CHECK_EQ(st_judge(ST_VMXON_NO_VMXE, &o), ST_FAIL);
	o = out(VMX_SUCCEED, 0, 0);
	CHECK_EQ(st_judge(ST_VMXOFF_OUTSIDE, &o), ST_FAIL);

	/* VMfailInvalid rules: an exception or another outcome fails them. */
	o = out(VMX_FAIL_INVALID, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_MISALIGNED, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_BEYOND_MAXPHYADDR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_BAD_REVISION, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT_NO_VMCS, &o), ST_PASS);
	o = out(VMX_SUCCEED, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_MISALIGNED, &o), ST_FAIL);
	o = exc(13);
	CHECK_EQ(st_judge(ST_VMXON_BAD_REVISION, &o), ST_FAIL);
	o = out(VMX_FAIL_VALID, 1, 15);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT_NO_VMCS, &o), ST_FAIL);

	/* VMfailValid rules need the right error number. */
	o = out(VMX_FAIL_VALID, 1, 3);
	CHECK_EQ(st_judge(ST_VMCLEAR_VMXON_PTR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMPTRLD_VMXON_PTR, &o), ST_FAIL);
	o = out(VMX_FAIL_VALID, 1, 10);
	CHECK_EQ(st_judge(ST_VMPTRLD_VMXON_PTR, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 1, 15);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 0, 15);                 /* error number unreadable */
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_FAIL);
	o = out(VMX_FAIL_INVALID, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_FAIL);

	/* #GP rules. */
	o = exc(13);
	CHECK_EQ(st_judge(ST_CR0_FIXED_CLEAR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_CR4_FIXED_CLEAR, &o), ST_PASS);
	o = out(VMX_SUCCEED, 0, 0);                     /* the write went through */
	CHECK_EQ(st_judge(ST_CR4_FIXED_CLEAR, &o), ST_FAIL);
	CHECK_EQ(st_judge(ST_RULES, &o), ST_FAIL);

	/* Every rule has an id, a quote and an expectation. */
	for (unsigned i = 0; i < ST_RULES; i++) {
		const struct st_rule *r = st_rule((enum st_rule_id)i);
		CHECK(r && r->id && r->quote && strlen(r->quote) > 20);
		CHECK(r->expect != ST_EXPECT_FAIL_VALID || r->error != 0);
	}
	CHECK(st_rule(ST_RULES) == 0);

	st_describe(buf, sizeof(buf), &(struct st_observed){ 6, VMX_SUCCEED, false, 0 });
	CHECK_STR(buf, "#UD");
	o = out(VMX_FAIL_VALID, 1, 15);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailValid(15)");
	o = out(VMX_FAIL_INVALID, 0, 0);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailInvalid");
	o = out(VMX_SUCCEED, 0, 0);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMsucceed");
	o = exc(14);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "exception 14");
	CHECK_STR(st_verdict_str(ST_PASS), "PASS");
	CHECK_STR(st_verdict_str(ST_NOT_RUN), "SKIP");
	/* Counting one CPU's verdicts. */
	enum st_verdict vs[6] = { ST_PASS, ST_FAIL, ST_SKIP, ST_NOT_RUN, ST_PASS, ST_PASS };
	struct st_tally t = st_tally(vs, 6);
	CHECK_EQ(t.passed, 3);
	CHECK_EQ(t.failed, 1);
	CHECK_EQ(t.skipped, 2);
	t = st_tally(vs, 0);
	CHECK_EQ(t.passed + t.failed + t.skipped, 0);
	return check_report("vmx_rules");
}
