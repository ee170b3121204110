/* SPDX-License-Identifier: MIT */
/* Verdict and exit-method decision tables: see verdict.h. */
#include "lib/verdict.h"

#include "lib/string.h"

enum verdict verdict_decide(const struct vp_counts *c)
{
	/* Never PASS (nor SKIP) on a partial view: every CPU must have been found. */
	if (c->fault || c->selftest_failed || c->cpu_list_partial ||
	    c->online < c->enumerated || c->online == 0)
		return VERDICT_FAIL;
	if (!c->vmx_probed)
		return VERDICT_SKIP;
	if (c->on == c->online)
		return !c->guest_required || c->guest_ok == c->online ? VERDICT_PASS : VERDICT_FAIL;
	if (c->no_vmx == c->online)
		return VERDICT_SKIP;
	return VERDICT_FAIL;
}

void vp_counts_add(struct vp_counts *c, enum vmx_token t)
{
	switch (t) {
	case VMX_ON:         c->on++; break;
	case VMX_NO_VMX:     c->no_vmx++; break;
	case VMX_LOCKED_OFF: c->locked_off++; break;
	default:             c->failed++; break;
	}
}

void vp_counts_svm(struct vp_counts *c, enum svm_token t)
{
	c->svm = true;
	if (c->no_vmx)
		c->no_vmx--;    /* the CPU's VMX result, replaced */
	switch (t) {
	case SVM_ON:       c->on++; break;
	case SVM_NO_SVM:   c->no_vmx++; break;
	case SVM_DISABLED: c->locked_off++; break;
	default:           c->failed++; break;
	}
}

void exit_facts_set_vendor(struct exit_facts *f, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	const uint32_t r[3] = { ebx, ecx, edx };

	for (unsigned i = 0; i < 12; i++)
		f->hv_vendor[i] = (char)(r[i / 4] >> (8 * (i % 4)));
	f->hv_vendor[12] = '\0';
}

const char *verdict_str(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "PASS";
	case VERDICT_FAIL: return "FAIL";
	case VERDICT_SKIP: return "SKIP";
	}
	return "FAIL";
}

uint8_t verdict_qemu_exit_value(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return QEMU_EXIT_PASS;
	case VERDICT_SKIP: return QEMU_EXIT_SKIP;
	case VERDICT_FAIL: break;
	}
	return QEMU_EXIT_FAIL;
}

bool exit_may_probe_fw_cfg(const struct exit_facts *f)
{
	return f->hypervisor || str_eq(f->acpi_oem, "BOCHS ");
}

enum exit_mode exit_method_decide(enum exit_mode requested, const struct exit_facts *f)
{
	if (requested != EXIT_AUTO)
		return requested;
	/* QEMU's fw_cfg answers on every QEMU machine type, TCG or KVM. */
	if (f->fw_cfg_qemu && exit_may_probe_fw_cfg(f))
		return EXIT_QEMU;
	if (f->hypervisor) {
		/*
		 * QEMU's signatures: "TCGTCGTCGTCG" (TCG) and "KVMKVMKVM" (KVM, which
		 * QEMU drives). Other hypervisors have no isa-debug-exit: halt there.
		 */
		if (str_eq(f->hv_vendor, "TCGTCGTCGTCG") || str_eq(f->hv_vendor, "KVMKVMKVM"))
			return EXIT_QEMU;
		return EXIT_HALT;
	}
	/*
	 * No hypervisor bit: bare metal, or Bochs, which emulates real CPU models.
	 * Bochs's BIOS (and SeaBIOS when it builds its own tables) stamps the RSDP
	 * with OEM ID "BOCHS "; no real firmware does, and QEMU sets the hypervisor bit.
	 */
	if (str_eq(f->acpi_oem, "BOCHS "))
		return EXIT_BOCHS;
	return EXIT_HALT;
}
