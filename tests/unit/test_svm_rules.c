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

	/* Exit codes and EXITINFO1 of the newer intercept rules. */
	o = exit_with(SVM_EXIT_EXCP_BASE + 14);
	o.exit_info_1 = 0;
	o.exit_info_2 = SR_GVA_UNMAPPED;
	CHECK_EQ(svm_rule_judge(SR_PF_INTERCEPT, &o), SR_PASS);
	o.exit_info_1 = 2;                      /* a write: wrong */
	CHECK_EQ(svm_rule_judge(SR_PF_INTERCEPT, &o), SR_FAIL);
	o.exit_info_1 = 0;
	o.exit_info_2 = 0;                      /* no address: wrong */
	CHECK_EQ(svm_rule_judge(SR_PF_INTERCEPT, &o), SR_FAIL);
	o = exit_with(SVM_EXIT_IOIO);
	o.exit_info_1 = (0x7fULL << 16) | (1u << 5) | (1u << 9);       /* SZ16, A64 */
	CHECK_EQ(svm_rule_judge(SR_IOPM_STRADDLE, &o), SR_PASS);
	o.exit_info_1 = (0x80ULL << 16) | (1u << 5);    /* the second port: wrong */
	CHECK_EQ(svm_rule_judge(SR_IOPM_STRADDLE, &o), SR_FAIL);
	o.exit_info_1 = (0x80ULL << 16) | (1u << 4) | (1u << 2);
	CHECK_EQ(svm_rule_judge(SR_IOPM_OUTSB, &o), SR_PASS);
	o.exit_info_1 |= 1;                     /* IN: wrong */
	CHECK_EQ(svm_rule_judge(SR_IOPM_OUTSB, &o), SR_FAIL);
	o = exit_with(SVM_EXIT_HLT);
	CHECK_EQ(svm_rule_judge(SR_MSRPM_READ_NOT_WRITE, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_PAUSE_FILTER_HOLDS, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_PAUSE_FILTER_EXITS, &o), SR_FAIL);
	o = exit_with(SVM_EXIT_MSR);
	CHECK_EQ(svm_rule_judge(SR_MSRPM_READ_NOT_WRITE, &o), SR_FAIL);
	CHECK_EQ(svm_rule_judge(SR_MSRPM_OUTSIDE, &o), SR_PASS);
	o.exit_info_1 = 1;                      /* a write: wrong */
	CHECK_EQ(svm_rule_judge(SR_MSRPM_OUTSIDE, &o), SR_FAIL);

	/* The permission maps: read and write bits apart, the third range. */
	static uint8_t msrpm[8192];
	svm_rules_msrpm(msrpm);
	CHECK_EQ(msrpm[0x174 * 2 / 8] >> ((0x174 * 2) % 8) & 3, 1);            /* read only */
	CHECK_EQ(msrpm[0x175 * 2 / 8] >> ((0x175 * 2) % 8) & 3, 2);            /* write only */
	CHECK_EQ(msrpm[0x1000 + 0x15 * 2 / 8] >> ((0x15 * 2) % 8) & 3, 1);     /* HWCR read */
	unsigned marked = 0;
	for (unsigned i = 0; i < sizeof(msrpm); i++)
		marked += (unsigned)__builtin_popcount(msrpm[i]);
	CHECK_EQ(marked, 3);

	/* TLB rules: the second VMRUN's #NPF, not present. */
	o = exit_with(SVM_EXIT_NPF);
	o.exit_info_1 = 4;
	CHECK_EQ(svm_rule_judge(SR_TLB_FLUSH_ALL, &o), SR_PASS);
	o = exit_with(SVM_EXIT_HLT);            /* the stale translation was used */
	CHECK_EQ(svm_rule_judge(SR_TLB_FLUSH_ASID, &o), SR_FAIL);

	/* vGIF and the TSC offset: the value read after the exit. */
	o = exit_with(SVM_EXIT_HLT);
	o.value = 0;
	CHECK_EQ(svm_rule_judge(SR_VGIF_CLGI, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_VGIF_STGI, &o), SR_FAIL);
	o.value = V_GIF_MASK;
	CHECK_EQ(svm_rule_judge(SR_VGIF_STGI, &o), SR_PASS);
	o.lo = 100, o.hi = 200, o.value = 150;
	CHECK_EQ(svm_rule_judge(SR_TSC_OFFSET, &o), SR_PASS);
	o.value = 150 + (1ULL << 50);           /* the offset not applied */
	CHECK_EQ(svm_rule_judge(SR_TSC_OFFSET, &o), SR_FAIL);
	o.value = 99;
	CHECK_EQ(svm_rule_judge(SR_TSC_OFFSET, &o), SR_FAIL);

	/* Events: the vector's handler, and the frame (error code, RIP). */
	o = exit_with(SVM_EXIT_HLT);
	o.start_rip = 0x5000;
	o.delivered = 13;
	o.frame[0] = 0x1234, o.frame[1] = 0x5000;
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_ERROR_CODE, &o), SR_PASS);
	o.frame[0] = 0x5000;                    /* no error code pushed */
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_ERROR_CODE, &o), SR_FAIL);
	o.delivered = 2;
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_NMI, &o), SR_PASS);
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_INTR, &o), SR_FAIL);      /* vector 2, not 30h */
	o.delivered = 6;
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_RUNS, &o), SR_PASS);
	o.delivered = -1;                       /* the HLT was not a handler's */
	CHECK_EQ(svm_rule_judge(SR_EVENTINJ_RUNS, &o), SR_FAIL);
	CHECK_EQ(svm_rules_handler_vector(0x9000 + 0x30 * SR_HANDLER_SIZE, 0x9000), 0x30);
	CHECK_EQ(svm_rules_handler_vector(0x9000 + 1, 0x9000), -1);
	CHECK_EQ(svm_rules_handler_vector(0x9000 + 256 * SR_HANDLER_SIZE, 0x9000), -1);
	CHECK_EQ(svm_rules_handler_vector(0x8ffc, 0x9000), -1);

	/* VMSAVE/VMLOAD state: the fields that differ from what was written. */
	static struct vmcb_save_area save;
	uint64_t vals[SR_STATE_MSRS];
	for (unsigned i = 0; i < SR_STATE_MSRS; i++)
		vals[i] = svm_state_pattern(i);
	save.star = vals[0], save.lstar = vals[1], save.cstar = vals[2], save.sfmask = vals[3];
	save.kernel_gs_base = vals[4], save.sysenter_cs = vals[5], save.sysenter_esp = vals[6];
	save.sysenter_eip = vals[7];
	CHECK_EQ(svm_state_differs(&save, vals), 0);
	CHECK(svm_state_field(&save, 0) == &save.star);
	CHECK(svm_state_field(&save, 4) == &save.kernel_gs_base);
	CHECK(svm_state_field(&save, 7) == &save.sysenter_eip);
	save.lstar = 0;
	save.sysenter_eip = 1;
	CHECK_EQ(svm_state_differs(&save, vals), (1u << 1) | (1u << 7));
	CHECK_EQ(svm_state_pattern(3) >> 32, 0);        /* SFMASK: bits 63:32 reserved */
	CHECK(svm_state_pattern(6) < (1ULL << 32) && svm_state_pattern(7) < (1ULL << 32));
	o = (struct svm_observed){ .vector = -1, .value = (1u << 1) | (1u << 7) };
	CHECK_EQ(svm_rule_judge(SR_VMSAVE_STATE, &o), SR_FAIL);

	char buf[200];
	svm_rule_describe(buf, sizeof(buf), SR_VMSAVE_STATE, &o);
	CHECK_STR(buf, "fields that differ: LSTAR SYSENTER_EIP");
	o.value = 0;
	CHECK_EQ(svm_rule_judge(SR_VMLOAD_STATE, &o), SR_PASS);
	o = exit_with(SVM_EXIT_ERR_LOW32);
	svm_rule_describe(buf, sizeof(buf), SR_CHECK_FIRST, &o);
	CHECK_STR(buf, "VMEXIT_INVALID written as 0x00000000ffffffff");
	o = (struct svm_observed){ .vector = 6 };
	svm_rule_describe(buf, sizeof(buf), SR_CHECK_FIRST, &o);
	CHECK_STR(buf, "#UD");
	o = exit_with(SVM_EXIT_HLT);
	o.delivered = 2, o.frame[0] = 0x10, o.start_rip = 0x10;
	svm_rule_describe(buf, sizeof(buf), SR_EVENTINJ_NMI, &o);
	CHECK(strstr(buf, " vector=2 stack=0x10,0x0 first-rip=0x10") != 0);
	CHECK_STR(svm_verdict_str(SR_SKIP), "SKIP");
	return check_report("test_svm_rules");
}
