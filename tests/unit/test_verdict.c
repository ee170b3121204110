/* links: lib/verdict.c */
/* Verdict and exit-method decision tables. */
#include "check.h"
#include "lib/verdict.h"

static enum verdict v(unsigned en, unsigned onl, unsigned on, unsigned novmx,
		      unsigned lo, unsigned failed, int probed, int fault)
{
	struct vp_counts c = { en, onl, on, novmx, lo, failed, probed, fault, 0 };
	return verdict_decide(&c);
}

int main(void)
{
	/* Before the VMX stage exists: SKIP, unless something went wrong. */
	CHECK_EQ(v(1, 1, 0, 0, 0, 0, 0, 0), VERDICT_SKIP);
	CHECK_EQ(v(1, 1, 0, 0, 0, 0, 0, 1), VERDICT_FAIL);      /* a fault */
	CHECK_EQ(v(2, 1, 0, 0, 0, 0, 0, 0), VERDICT_FAIL);      /* a CPU did not start */
	CHECK_EQ(v(0, 0, 0, 0, 0, 0, 0, 0), VERDICT_FAIL);      /* nothing ran */
	/* With VMX probed. */
	CHECK_EQ(v(4, 4, 4, 0, 0, 0, 1, 0), VERDICT_PASS);
	CHECK_EQ(v(4, 4, 0, 4, 0, 0, 1, 0), VERDICT_SKIP);      /* no VMX anywhere */
	CHECK_EQ(v(4, 4, 3, 1, 0, 0, 1, 0), VERDICT_FAIL);      /* mixed */
	CHECK_EQ(v(4, 4, 0, 0, 4, 0, 1, 0), VERDICT_FAIL);      /* locked off */
	CHECK_EQ(v(4, 4, 3, 0, 0, 1, 1, 0), VERDICT_FAIL);      /* one failed */
	CHECK_EQ(v(4, 3, 3, 0, 0, 0, 1, 0), VERDICT_FAIL);      /* one not started */
	CHECK_EQ(v(4, 4, 4, 0, 0, 0, 1, 1), VERDICT_FAIL);      /* all on, but a fault */
	struct vp_counts st = { 4, 4, 4, 0, 0, 0, true, false, 1 };
	CHECK_EQ(verdict_decide(&st), VERDICT_FAIL);            /* a conformance rule failed */

	CHECK_STR(verdict_str(VERDICT_PASS), "PASS");
	CHECK_STR(verdict_str(VERDICT_FAIL), "FAIL");
	CHECK_STR(verdict_str(VERDICT_SKIP), "SKIP");
	/* QEMU exits with (value << 1) | 1: 1, 3, 77. */
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_PASS) << 1) | 1, 1);
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_FAIL) << 1) | 1, 3);
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_SKIP) << 1) | 1, 77);

	struct exit_facts tcg = { true, "TCGTCGTCGTCG", "BOCHS " };
	struct exit_facts kvm = { true, "KVMKVMKVM", "BOCHS " };
	struct exit_facts vmware = { true, "VMwareVMware", "VMWARE" };
	struct exit_facts bochs = { false, "", "BOCHS " };
	struct exit_facts metal = { false, "", "DELL  " };
	struct exit_facts no_acpi = { false, "", "" };
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &tcg), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &kvm), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &vmware), EXIT_HALT);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &bochs), EXIT_BOCHS);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &metal), EXIT_HALT);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &no_acpi), EXIT_HALT);
	/* An explicit choice always wins. */
	CHECK_EQ(exit_method_decide(EXIT_HALT, &tcg), EXIT_HALT);
	CHECK_EQ(exit_method_decide(EXIT_QEMU, &metal), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_BOCHS, &kvm), EXIT_BOCHS);
	return check_report("verdict");
}
