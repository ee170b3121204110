/* SPDX-License-Identifier: MIT */
/* The SVM conformance rules: see svm_rules.h. */
#include "lib/svm_rules.h"

#include "lib/fmt.h"
#include "lib/vmcb.h"

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
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 6 },
	[SR_BP_INTERCEPT - SR_EXITCODE_64] = { "intercept-bp",
		"Exception intercepts: INT3 (#BP) with its intercept bit set causes #VMEXIT with EXITCODE 40h + 3",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 3 },
	[SR_NRIP - SR_EXITCODE_64] = { "nrip-save",
		"NRIP save: on an intercepted CPUID, nRIP holds the address of the next sequential instruction",
		SR_EXPECT_NRIP, SVM_EXIT_CPUID },
};

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
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code ? SR_PASS : SR_FAIL;
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
		fmt_snprintf(buf, size, "exit 0x%lx at rip=0x%lx nrip=0x%lx",
			     o->exit_code, o->rip, o->next_rip);
}

const char *svm_verdict_str(enum svm_verdict v)
{
	return v == SR_PASS ? "PASS" : v == SR_SKIP ? "SKIP" : "FAIL";
}
