/* SPDX-License-Identifier: MIT */
/* VMX decision tables and decoders. */
#include <stdint.h>

#include "check.h"
#include "lib/msr-index.h"
#include "lib/vmx.h"

#define L       FEAT_CTL_LOCKED
#define OUT     FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX

static void feature_control(void)
{
	/* Every combination of lock, inside-SMX and outside-SMX, with other bits
	 * (SGX, LMCE, SENTER) set or clear around them. */
	for (unsigned msr = 0; msr < 8; msr++) {
		for (int other = 0; other < 2; other++) {
			uint64_t v = msr | (other ? 0x1ff00u : 0);
			struct feat_ctl_decision d = feat_ctl_decide(v);
			if (msr & L) {
				/* Locked: never written; VMX outside SMX decides. */
				CHECK_EQ(d.action, (msr & OUT) ? FEAT_CTL_USE : FEAT_CTL_LOCKED_OFF);
			} else {
				/* Unlocked: Linux writes LOCKED | VMX outside SMX and nothing
				 * else, whatever the BIOS left there (init_ia32_feat_ctl()). */
				CHECK_EQ(d.action, FEAT_CTL_WRITE);
				CHECK_EQ(d.value, L | OUT);
			}
		}
	}
	/* The cases named in the SDM and seen in the field. */
	CHECK_EQ(feat_ctl_decide(5).action, FEAT_CTL_USE);         /* Bochs BIOS */
	CHECK_EQ(feat_ctl_decide(1).action, FEAT_CTL_LOCKED_OFF);  /* VT-x off in setup */
	CHECK_EQ(feat_ctl_decide(L | FEAT_CTL_VMX_ENABLED_INSIDE_SMX).action,
		 FEAT_CTL_LOCKED_OFF);                           /* only inside SMX (TXT) */
	CHECK_EQ(feat_ctl_decide(0).value, 5);                     /* SeaBIOS: 0 -> 5 */
	CHECK_EQ(feat_ctl_decide(FEAT_CTL_VMX_ENABLED_INSIDE_SMX).value, L | OUT);  /* dropped */
	CHECK_EQ(feat_ctl_decide(0x40000).value, 5);               /* SGX enable not locked in */
	CHECK_EQ(feat_ctl_decide(0x100000).value, 5);              /* LMCE not locked in */
}

static void fixed_bits(void)
{
	/* Bochs: CR0 FIXED0 0x80000021 (PE, NE, PG), FIXED1 0xffffffff. */
	CHECK_EQ(vmx_fixed_bits(0x80000011, 0x80000021, 0xffffffff), 0x80000031);
	/* CR4 FIXED0 0x2000 (VMXE); FIXED1 forbids bits it does not have. */
	CHECK_EQ(vmx_fixed_bits(0x20, 0x2000, 0x3727ff), 0x2020);
	CHECK_EQ(vmx_fixed_bits(0x400020, 0x2000, 0x3727ff), 0x2020);
	CHECK_EQ(vmx_fixed_bits(0, 0, 0), 0);
	CHECK(!vmx_fixed_conflict(0x80000021, 0xffffffff));
	CHECK(vmx_fixed_conflict(0x2000, 0x1fff));
}

static void basic(void)
{
	/* Bochs corei7_skylake_x: revision 0x2b, 4096 bytes, WB, TRUE controls. */
	uint64_t msr = 0x00d810000000002bull;
	struct vmx_basic b = vmx_basic_decode(msr);
	CHECK_EQ(b.revision, 0x2b);
	CHECK_EQ(b.region_size, 4096);
	CHECK_EQ(b.memtype, VMX_BASIC_MEM_TYPE_WB);
	CHECK(b.ins_outs);
	CHECK(b.true_ctls);
	CHECK(!b.addr_32bit);
	CHECK(!b.dual_monitor);
	CHECK(!b.no_hw_errcode_check);
	CHECK(vmx_basic_decode(msr | (1ull << 56)).no_hw_errcode_check);

	b = vmx_basic_decode((1ull << 31) | 0x12345678ull | (0x1000ull << 32) | (1ull << 48) |
			     (1ull << 49) | (6ull << 50));
	CHECK_EQ(b.revision, 0x12345678);       /* bit 31 is not part of the revision */
	CHECK_EQ(b.region_size, 4096);
	CHECK(b.addr_32bit);
	CHECK(b.dual_monitor);
	CHECK(!b.true_ctls);

	/* Region checks. */
	struct vmx_basic ok = { 4, 4096, false, false, 6, true, true, false };
	CHECK(vmxon_region_problem(&ok, 0x1000000, 39) == 0);
	CHECK(vmxon_region_problem(&ok, 0x1000800, 39) != 0);           /* misaligned */
	CHECK(vmxon_region_problem(&ok, 1ull << 39, 39) != 0);          /* beyond MAXPHYADDR */
	CHECK(vmxon_region_problem(&ok, (1ull << 39) - 4096, 39) == 0);
	CHECK(vmxon_region_problem(&ok, 1ull << 32, 39) == 0);
	struct vmx_basic lim = ok;
	lim.addr_32bit = true;
	CHECK(vmxon_region_problem(&lim, 1ull << 32, 39) != 0);         /* 32-bit limit */
	CHECK(vmxon_region_problem(&lim, (1ull << 32) - 4096, 39) == 0);
	struct vmx_basic big = ok;
	big.region_size = 8192;
	CHECK(vmxon_region_problem(&big, 0x1000000, 39) != 0);
	big.region_size = 0;
	CHECK(vmxon_region_problem(&big, 0x1000000, 39) != 0);
	struct vmx_basic uc = ok;
	uc.memtype = VMX_BASIC_MEM_TYPE_UC;
	CHECK(vmxon_region_problem(&uc, 0x1000000, 39) != 0);
	CHECK(vmxon_region_problem(&ok, 0x1000000, 64) == 0);
}

static void outcome(void)
{
	CHECK_EQ(vmx_outcome_from_rflags(0x2), VMX_SUCCEED);
	CHECK_EQ(vmx_outcome_from_rflags(0x3), VMX_FAIL_INVALID);        /* CF */
	CHECK_EQ(vmx_outcome_from_rflags(0x42), VMX_FAIL_VALID);         /* ZF */
	CHECK_EQ(vmx_outcome_from_rflags(0x43), VMX_FAIL_INVALID);       /* CF wins */
	CHECK_EQ(vmx_outcome_from_rflags(0xfffffffffffffebeull), VMX_SUCCEED); /* others set */
	CHECK_STR(vmx_instruction_error_str(15), "VMXON executed in VMX root operation");
	CHECK_STR(vmx_instruction_error_str(3), "VMCLEAR with VMXON pointer");
	CHECK(vmx_instruction_error_str(999) != 0);
	CHECK_STR(vmx_instruction_error_str(7), "VM entry with invalid control field(s)");
	CHECK_STR(vmx_instruction_error_str(8), "VM entry with invalid host-state field(s)");
	CHECK_STR(vmx_instruction_error_str(14), "see the SDM's VM-instruction error numbers");
	CHECK_STR(vmx_instruction_error_str(0), "see the SDM's VM-instruction error numbers");
}

static void tokens(void)
{
	static const char *want[VMX_TOKENS] = {
		"on", "no-vmx", "locked-off", "vmxon-fail-invalid", "vmxon-fail-valid",
		"fault", "alloc-failed",
	};
	for (unsigned t = 0; t < VMX_TOKENS; t++) {
		CHECK_STR(vmx_token_str((enum vmx_token)t), want[t]);
		CHECK((vmx_token_advice((enum vmx_token)t) == 0) == (t == VMX_ON));
	}
	CHECK(strstr(vmx_token_advice(VMX_LOCKED_OFF), "enable Intel VT-x in the BIOS setup") != 0);
	/* Under QEMU's TCG, no-vmx says that TCG has no VMX; elsewhere the general advice. */
	CHECK(strstr(vmx_token_advice_under(VMX_NO_VMX, "TCGTCGTCGTCG"),
		     "QEMU's TCG emulates no VMX: use KVM on an Intel host") == vmx_token_advice_under(VMX_NO_VMX, "TCGTCGTCGTCG"));
	CHECK(vmx_token_advice_under(VMX_NO_VMX, "KVMKVMKVM") == vmx_token_advice(VMX_NO_VMX));
	CHECK(vmx_token_advice_under(VMX_NO_VMX, "") == vmx_token_advice(VMX_NO_VMX));
	CHECK(vmx_token_advice_under(VMX_LOCKED_OFF, "TCGTCGTCGTCG") == vmx_token_advice(VMX_LOCKED_OFF));
	CHECK(vmx_token_advice_under(VMX_ON, "TCGTCGTCGTCG") == 0);
	/* Why no guest ran: a CPU without VMX is not said to fail VMXON. */
	CHECK_STR(vmx_not_on_why(VMX_NO_VMX), "VMX is not available on this CPU (see its vmx: line)");
	CHECK_STR(vmx_not_on_why(VMX_LOCKED_OFF), "VMX is disabled in firmware on this CPU (see its vmx: line)");
	CHECK_STR(vmx_not_on_why(VMX_VMXON_FAIL_VALID), "VMXON does not succeed on this CPU (see its vmx: line)");
}

int main(void)
{
	feature_control();
	fixed_bits();
	basic();
	outcome();
	tokens();
	return check_report("vmx");
}
