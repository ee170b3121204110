/* SPDX-License-Identifier: MIT */
/* Verdict and exit-method decision tables. */
#include "check.h"
#include "lib/verdict.h"

static enum verdict v(unsigned en, unsigned onl, unsigned on, unsigned novmx,
		      unsigned lo, unsigned failed, int probed, int fault)
{
	struct vp_counts c = { en, onl, on, novmx, lo, failed, probed, fault, 0, false, false, 0, false };
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
	struct vp_counts st = { 4, 4, 4, 0, 0, 0, true, false, 1, false, false, 0, false };
	CHECK_EQ(verdict_decide(&st), VERDICT_FAIL);            /* a conformance rule failed */
	/* A CPU list that is unknown or cut short: never PASS, never SKIP. */
	struct vp_counts part = { 1, 1, 1, 0, 0, 0, true, false, 0, true, false, 0, false };
	CHECK_EQ(verdict_decide(&part), VERDICT_FAIL);
	part = (struct vp_counts){ 1, 1, 0, 1, 0, 0, true, false, 0, true, false, 0, false };
	CHECK_EQ(verdict_decide(&part), VERDICT_FAIL);
	part.cpu_list_partial = false;
	CHECK_EQ(verdict_decide(&part), VERDICT_SKIP);
	/* guest=on: PASS needs the guest ok on every CPU; SKIP (no VMX) is unchanged. */
	struct vp_counts g = { 4, 4, 4, 0, 0, 0, true, false, 0, false, true, 4 , false };
	CHECK_EQ(verdict_decide(&g), VERDICT_PASS);
	g.guest_ok = 3;
	CHECK_EQ(verdict_decide(&g), VERDICT_FAIL);
	g.guest_required = false;
	CHECK_EQ(verdict_decide(&g), VERDICT_PASS);
	g = (struct vp_counts){ 4, 4, 0, 4, 0, 0, true, false, 0, false, true, 0, false };
	CHECK_EQ(verdict_decide(&g), VERDICT_SKIP);

	/* The tally behind the summary. */
	struct vp_counts t = { 0 };
	vp_counts_add(&t, VMX_ON);
	vp_counts_add(&t, VMX_ON);
	vp_counts_add(&t, VMX_NO_VMX);
	vp_counts_add(&t, VMX_LOCKED_OFF);
	vp_counts_add(&t, VMX_VMXON_FAIL_INVALID);
	vp_counts_add(&t, VMX_VMXON_FAIL_VALID);
	vp_counts_add(&t, VMX_FAULT);
	vp_counts_add(&t, VMX_ALLOC_FAILED);
	CHECK_EQ(t.on, 2);
	CHECK_EQ(t.no_vmx, 1);
	CHECK_EQ(t.locked_off, 1);
	CHECK_EQ(t.failed, 4);

	/* The hypervisor signature, as KVM and QEMU TCG put it in 40000000H. */
	struct exit_facts sig = { 0 };
	exit_facts_set_vendor(&sig, 0x4b4d564b, 0x564b4d56, 0x0000004d);
	CHECK_STR(sig.hv_vendor, "KVMKVMKVM");
	exit_facts_set_vendor(&sig, 0x54474354, 0x43544743, 0x47435447);
	CHECK_STR(sig.hv_vendor, "TCGTCGTCGTCG");

	CHECK_STR(verdict_str(VERDICT_PASS), "PASS");
	CHECK_STR(verdict_str(VERDICT_FAIL), "FAIL");
	CHECK_STR(verdict_str(VERDICT_SKIP), "SKIP");
	/* QEMU exits with (value << 1) | 1: 1, 3, 77. */
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_PASS) << 1) | 1, 1);
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_FAIL) << 1) | 1, 3);
	CHECK_EQ((verdict_qemu_exit_value(VERDICT_SKIP) << 1) | 1, 77);

	struct exit_facts tcg = { true, "TCGTCGTCGTCG", "BOCHS ", true };
	struct exit_facts kvm = { true, "KVMKVMKVM", "BOCHS ", true };
	struct exit_facts vmware = { true, "VMwareVMware", "VMWARE", false };
	struct exit_facts bochs = { false, "", "BOCHS ", false };
	struct exit_facts metal = { false, "", "DELL  ", false };
	struct exit_facts no_acpi = { false, "", "", false };
	/* Old QEMU machine types (before pc-2.6, tcg-cpuid=off) hide the CPUID
	 * signature: fw_cfg still says QEMU. */
	struct exit_facts old_qemu = { true, "", "BOCHS ", true };
	struct exit_facts old_qemu_no_acpi = { true, "", "", true };
	/* QEMU with the hypervisor bit masked (-cpu ...,-hypervisor): the OEM ID
	 * lets fw_cfg be probed, and it answers. */
	struct exit_facts qemu_no_hv = { false, "", "BOCHS ", true };
	/* A signature alone (no fw_cfg, e.g. a KVM VMM that is not QEMU): as before. */
	struct exit_facts kvm_no_fwcfg = { true, "KVMKVMKVM", "", false };
	/* fw_cfg is never believed where it may not be probed (bare metal). */
	struct exit_facts metal_port = { false, "", "DELL  ", true };
	CHECK(exit_may_probe_fw_cfg(&tcg));
	CHECK(exit_may_probe_fw_cfg(&bochs));
	CHECK(!exit_may_probe_fw_cfg(&metal));
	CHECK(!exit_may_probe_fw_cfg(&no_acpi));
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &old_qemu), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &old_qemu_no_acpi), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &qemu_no_hv), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &kvm_no_fwcfg), EXIT_QEMU);
	CHECK_EQ(exit_method_decide(EXIT_AUTO, &metal_port), EXIT_HALT);
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
	/* AMD SVM: each CPU's svm: result in place of its vmx: no-vmx. */
	struct vp_counts a = { 2, 2, 0, 2, 0, 0, true, false, 0, false, true, 2, false };
	vp_counts_svm(&a, SVM_ON);
	vp_counts_svm(&a, SVM_ON);
	CHECK_EQ(a.on, 2);
	CHECK_EQ(a.no_vmx, 0);
	CHECK(a.svm);
	CHECK_EQ(verdict_decide(&a), VERDICT_PASS);
	a = (struct vp_counts){ 2, 2, 0, 2, 0, 0, true, false, 0, false, true, 2, false };
	vp_counts_svm(&a, SVM_ON);
	vp_counts_svm(&a, SVM_DISABLED);         /* the firmware's SVMDIS: as locked-off */
	CHECK_EQ(a.locked_off, 1);
	CHECK_EQ(verdict_decide(&a), VERDICT_FAIL);
	a = (struct vp_counts){ 2, 2, 0, 2, 0, 0, true, false, 0, false, true, 2, false };
	vp_counts_svm(&a, SVM_ON);
	vp_counts_svm(&a, SVM_NO_SVM);           /* CPUs that disagree: FAIL */
	CHECK_EQ(a.no_vmx, 1);
	CHECK_EQ(verdict_decide(&a), VERDICT_FAIL);
	a = (struct vp_counts){ 1, 1, 0, 1, 0, 0, true, false, 0, false, true, 0, false };
	vp_counts_svm(&a, SVM_EFER_FAIL);
	CHECK_EQ(a.failed, 1);
	CHECK_EQ(verdict_decide(&a), VERDICT_FAIL);
	a = (struct vp_counts){ 1, 1, 0, 1, 0, 0, true, false, 0, false, true, 0, false };
	vp_counts_svm(&a, SVM_ON);               /* on, but its guest did not run: FAIL */
	CHECK_EQ(verdict_decide(&a), VERDICT_FAIL);
	return check_report("verdict");
}
