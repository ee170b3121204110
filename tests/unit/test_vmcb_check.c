/* SPDX-License-Identifier: MIT */
/* The VMRUN consistency checks (lib/vmcb_check.c): a good VMCB, then each rule
 * broken once, on its own. */
#include <string.h>

#include "check.h"
#include "lib/processor-flags.h"
#include "lib/svm.h"
#include "lib/vmcb_check.h"

static const struct vmcb_check_env env = {
	.phys_bits = 40, .long_mode = true, .npt = true, .nasid = 16,
	.efer_mbz = ~0x7d01ULL,         /* SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR */
	.cr4_mbz = ~0x3706ffULL,
};

/* The guest vmxprobe builds: 64-bit, host page tables, NPT, ASID 1. */
static void good(struct vmcb *v)
{
	memset(v, 0, sizeof(*v));
	v->control.intercept_misc3 = (1u << SVM_INTERCEPT_CPUID) | (1u << SVM_INTERCEPT_HLT);
	v->control.intercept_misc4 = (1u << SVM_INTERCEPT_VMRUN) | (1u << SVM_INTERCEPT_VMMCALL);
	v->control.asid = 1;
	v->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	v->control.iopm_base_pa = 0x2000000;
	v->control.msrpm_base_pa = 0x2004000;
	v->control.nested_ctl = 1;
	v->control.nested_cr3 = 0x2010000;
	v->save.efer = 0xd01 | EFER_SVME;
	v->save.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | (1ULL << 16) | 0x10;
	v->save.cr3 = 0x1024000;
	v->save.cr4 = X86_CR4_PAE;
	v->save.cs.attrib = SVM_SELECTOR_P_MASK | SVM_SELECTOR_S_MASK | 0xb | SVM_SELECTOR_L_MASK | SVM_SELECTOR_G_MASK;
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
	v->save.g_pat = 0x0007040600070406ULL;
}

#define BROKEN(rule, change)                                                    \
	do {                                                                    \
		good(&v);                                                       \
		change;                                                         \
		CHECK_STR(vmcb_rule_name(vmcb_check(&v, &env)), vmcb_rule_name(rule)); \
	} while (0)

static void rules(void)
{
	static struct vmcb v;

	good(&v);
	CHECK_EQ(vmcb_check(&v, &env), VMCB_OK);
	BROKEN(VMCB_VMRUN_INTERCEPT, v.control.intercept_misc4 = 1u << SVM_INTERCEPT_VMMCALL);
	BROKEN(VMCB_ASID_ZERO, v.control.asid = 0);
	struct vmcb_check_env no_npt = env;
	no_npt.npt = false;
	good(&v);
	CHECK_EQ(vmcb_check(&v, &no_npt), VMCB_NPT_UNSUPPORTED);
	v.control.nested_ctl = 0;       /* without NP_ENABLE, fine there */
	CHECK_EQ(vmcb_check(&v, &no_npt), VMCB_OK);
	BROKEN(VMCB_NCR3, v.control.nested_cr3 = 1ULL << 40);
	BROKEN(VMCB_GPAT, v.save.g_pat = 0x0007040600070402ULL);
	/* The PAT only counts with nested paging. */
	BROKEN(VMCB_OK, (v.save.g_pat = 0x02, v.control.nested_ctl = 0));
	BROKEN(VMCB_MSRPM, v.control.msrpm_base_pa = (1ULL << 40) - 4096);
	BROKEN(VMCB_IOPM, v.control.iopm_base_pa = (1ULL << 40) - 2 * 4096);
	/* Bits 11:0 of the table addresses are ignored. */
	BROKEN(VMCB_OK, v.control.iopm_base_pa = (1ULL << 40) - 3 * 4096 + 0xfff);
	BROKEN(VMCB_EVENTINJ_TYPE, v.control.event_inj = SVM_EVTINJ_VALID | (1ULL << SVM_EVTINJ_TYPE_SHIFT));
	BROKEN(VMCB_EVENTINJ_TYPE, v.control.event_inj = SVM_EVTINJ_VALID | (7ULL << SVM_EVTINJ_TYPE_SHIFT));
	BROKEN(VMCB_EVENTINJ_VECTOR, v.control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 2);
	BROKEN(VMCB_EVENTINJ_VECTOR, v.control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 32);
	BROKEN(VMCB_OK, v.control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 13 | SVM_EVTINJ_VALID_ERR);
	BROKEN(VMCB_OK, v.control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2);
	/* Not valid (V=0): nothing is checked. */
	BROKEN(VMCB_OK, v.control.event_inj = 7ULL << SVM_EVTINJ_TYPE_SHIFT);
	BROKEN(VMCB_EFER_SVME, v.save.efer &= ~EFER_SVME);
	BROKEN(VMCB_CR0_CD_NW, v.save.cr0 |= X86_CR0_NW);
	BROKEN(VMCB_OK, v.save.cr0 |= X86_CR0_NW | X86_CR0_CD);
	BROKEN(VMCB_CR0_HIGH, v.save.cr0 |= 1ULL << 32);
	BROKEN(VMCB_DR6_HIGH, v.save.dr6 |= 1ULL << 40);
	BROKEN(VMCB_DR7_HIGH, v.save.dr7 |= 1ULL << 63);
	BROKEN(VMCB_EFER_MBZ, v.save.efer |= 1ULL << 2);
	struct vmcb_check_env no_lm = env;
	no_lm.long_mode = false;
	good(&v);
	CHECK_EQ(vmcb_check(&v, &no_lm), VMCB_LONG_MODE);
	BROKEN(VMCB_LME_PAE, v.save.cr4 = 0);
	BROKEN(VMCB_LME_PE, v.save.cr0 &= ~X86_CR0_PE);
	BROKEN(VMCB_CR3_MBZ, v.save.cr3 |= 1ULL << 52);
	/* Beyond the physical address width but inside the base field: not MBZ. */
	BROKEN(VMCB_OK, v.save.cr3 |= 1ULL << 45);
	BROKEN(VMCB_CR4_MBZ, v.save.cr4 |= 1ULL << 15);
	BROKEN(VMCB_CS_L_D, v.save.cs.attrib |= SVM_SELECTOR_DB_MASK);
	/* CS.D alone (compatibility-mode code) is fine. */
	BROKEN(VMCB_OK, v.save.cs.attrib = (v.save.cs.attrib & ~SVM_SELECTOR_L_MASK) | SVM_SELECTOR_DB_MASK);
	/* Paging off: the long-mode combinations are not checked. */
	BROKEN(VMCB_OK, (v.save.cr0 &= ~X86_CR0_PG, v.save.cr4 = 0));
	BROKEN(VMCB_ASID_RANGE, v.control.asid = 16);
	BROKEN(VMCB_OK, v.control.asid = 15);
}

static void names(void)
{
	CHECK_STR(vmcb_rule_name(VMCB_ASID_ZERO), "asid-zero");
	CHECK_STR(vmcb_rule_text(VMCB_ASID_ZERO), "ASID is equal to zero.");
	CHECK_STR(vmcb_rule_name((enum vmcb_rule)99), "unknown");
	for (unsigned r = 0; r < VMCB_RULES; r++) {
		CHECK(vmcb_rule_name((enum vmcb_rule)r)[0] != 0);
		CHECK(strlen(vmcb_rule_text((enum vmcb_rule)r)) > 8);
	}
	CHECK(vmcb_pat_valid(0x0007040600070406ULL));
	CHECK(!vmcb_pat_valid(0x0007040600070403ULL));
	CHECK(!vmcb_pat_valid(0x0800000000000000ULL));
}

int main(void)
{
	rules();
	names();
	return check_report("test_vmcb_check");
}
