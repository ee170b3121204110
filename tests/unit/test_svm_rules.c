/* SPDX-License-Identifier: MIT */
/* The SVM conformance rules' judgements (lib/svm_rules.c). */
#include <string.h>

#include "check.h"
#include "lib/svm_rules.h"
#include "lib/vmcb.h"

static struct svm_observed exit_with(uint64_t code)
{
	struct svm_observed o = { .vector = -1, .exited = true, .exit_code = code };
	return o;
}

int main(void)
{
	/* One rule per consistency check, named and worded as the checker's. */
	CHECK_EQ(SR_CHECK_LAST - SR_CHECK_FIRST + 1, VMCB_RULES - 2);
	CHECK_STR(svm_rule(SR_CHECK_FIRST)->id, "vmrun-intercept");
	CHECK_STR(svm_rule(SR_CHECK_LAST)->id, "cs-l-d");
	CHECK_EQ(svm_rule_check(SR_CHECK_FIRST + 1), VMCB_ASID_ZERO);
	CHECK_STR(svm_rule(SR_CHECK_FIRST + 1)->quote, "ASID is equal to zero.");
	CHECK(svm_rule(SR_RULES) == 0);
	for (unsigned k = 0; k < SR_RULES; k++) {
		CHECK(svm_rule((enum svm_rule_id)k)->id[0]);
		CHECK(strlen(svm_rule((enum svm_rule_id)k)->quote) > 10);
	}

	/* A broken VMCB: VMEXIT_INVALID in either form passes; the guest running, a
	 * fault or nothing fails. */
	struct svm_observed o = exit_with(SVM_EXIT_ERR);
	CHECK_EQ(svm_rule_judge(SR_CHECK_FIRST, &o), SR_PASS);
	o = exit_with(SVM_EXIT_ERR_LOW32);
	CHECK_EQ(svm_rule_judge(SR_CHECK_FIRST, &o), SR_PASS);
	o = exit_with(SVM_EXIT_HLT);
	CHECK_EQ(svm_rule_judge(SR_CHECK_FIRST, &o), SR_FAIL);
	o = (struct svm_observed){ .vector = 13 };
	CHECK_EQ(svm_rule_judge(SR_CHECK_FIRST, &o), SR_FAIL);
	o = (struct svm_observed){ .vector = -1 };
	CHECK_EQ(svm_rule_judge(SR_CHECK_FIRST, &o), SR_FAIL);

	/* The exit code's width: only the 64-bit -1 passes (QEMU's TCG writes the low half). */
	o = exit_with(SVM_EXIT_ERR);
	CHECK_EQ(svm_rule_judge(SR_EXITCODE_64, &o), SR_PASS);
	o = exit_with(SVM_EXIT_ERR_LOW32);
	CHECK_EQ(svm_rule_judge(SR_EXITCODE_64, &o), SR_FAIL);

	/* VMRUN's own faults. */
	o = (struct svm_observed){ .vector = 13 };
	CHECK_EQ(svm_rule_judge(SR_VMRUN_UNALIGNED, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_VMRUN_NO_SVME, &o), SR_FAIL);
	o = (struct svm_observed){ .vector = 6 };
	CHECK_EQ(svm_rule_judge(SR_VMRUN_NO_SVME, &o), SR_PASS);
	o = exit_with(SVM_EXIT_HLT);
	CHECK_EQ(svm_rule_judge(SR_VMRUN_BEYOND, &o), SR_FAIL);

	/* Exception intercepts. */
	o = exit_with(SVM_EXIT_EXCP_BASE + 6);
	CHECK_EQ(svm_rule_judge(SR_UD_INTERCEPT, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_BP_INTERCEPT, &o), SR_FAIL);

	/* nRIP: the next instruction, not 0 and not the same one. */
	o = exit_with(SVM_EXIT_CPUID);
	o.rip = 0x1000;
	o.insn_len = 2;
	o.next_rip = 0x1002;
	CHECK_EQ(svm_rule_judge(SR_NRIP, &o), SR_PASS);
	o.next_rip = 0;
	CHECK_EQ(svm_rule_judge(SR_NRIP, &o), SR_FAIL);

	char buf[160];
	o = exit_with(SVM_EXIT_ERR_LOW32);
	svm_rule_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMEXIT_INVALID written as 0x00000000ffffffff");
	o = (struct svm_observed){ .vector = 6 };
	svm_rule_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "#UD");
	CHECK_STR(svm_verdict_str(SR_SKIP), "SKIP");
	return check_report("test_svm_rules");
}
