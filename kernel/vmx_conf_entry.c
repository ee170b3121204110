/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx, the VM-entry checks asked of the CPU (lib/vmcs_entry_rules.c):
 * one broken field of the guest's valid VMCS per rule, the checker naming the
 * outcome, then VMLAUNCH. Intel SDM Vol. 3C, "VM Entries": "Checks on VMX
 * Controls and Host-State Area", "Checking and Loading Guest State", "VM-Entry
 * Failures During or After Loading Guest State"; "Loading Host State" (what a
 * wrongly accepted VMCS's exit loads, put back).
 */
#include "kernel/vmx_conf.h"

#include "arch/desc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/guest.h"
#include "lib/msr-index.h"
#include "lib/vmcs_entry_rules.h"

/* The host state a VM exit loads from the VMCS, as this CPU had it: put back
 * after an entry rule whose broken VMCS the CPU ran (a failed rule), so that
 * a host field it wrongly took does not outlive the rule. */
struct host_state {
	uint64_t cr0, cr4, efer, pat, fs_base, gs_base, sysenter_cs, sysenter_esp, sysenter_eip;
	struct desc_ptr gdt, idt;
	uint16_t cs, ds, fs, gs;
};

static void host_save(struct host_state *h)
{
	h->cr0 = read_cr0();
	h->cr4 = read_cr4();
	rdmsr_safe(MSR_EFER, &h->efer);
	rdmsr_safe(MSR_IA32_CR_PAT, &h->pat);
	rdmsr_safe(MSR_FS_BASE, &h->fs_base);
	rdmsr_safe(MSR_GS_BASE, &h->gs_base);
	rdmsr_safe(MSR_IA32_SYSENTER_CS, &h->sysenter_cs);
	rdmsr_safe(MSR_IA32_SYSENTER_ESP, &h->sysenter_esp);
	rdmsr_safe(MSR_IA32_SYSENTER_EIP, &h->sysenter_eip);
	store_gdt(&h->gdt);
	store_idt(&h->idt);
	h->cs = read_seg(cs);
	h->ds = read_seg(ds);
	h->fs = read_seg(fs);
	h->gs = read_seg(gs);
}

/* SDM "Loading Host State": what the exit loaded, reloaded from h (the data
 * segment registers first: loading FS and GS clears their bases, put back last). */
static void host_restore(const struct host_state *h)
{
	load_gdt(&h->gdt);
	load_idt(&h->idt);
	write_cr4_safe(h->cr4);
	write_cr0_safe(h->cr0);
	wrmsr_safe(MSR_EFER, h->efer);
	wrmsr_safe(MSR_IA32_CR_PAT, h->pat);
	reload_segments(h->cs, h->ds);
	asm volatile("mov %0, %%fs\n\tmov %1, %%gs" : : "r"(h->fs), "r"(h->gs) : "memory");
	wrmsr_safe(MSR_FS_BASE, h->fs_base);
	wrmsr_safe(MSR_GS_BASE, h->gs_base);
	wrmsr_safe(MSR_IA32_SYSENTER_CS, h->sysenter_cs);
	wrmsr_safe(MSR_IA32_SYSENTER_ESP, h->sysenter_esp);
	wrmsr_safe(MSR_IA32_SYSENTER_EIP, h->sysenter_eip);
}

/*
 * The VM-entry checks asked of the CPU (lib/vmcs_entry_rules.c), SDM "VM
 * Entries": "Checks on VMX Controls and Host-State Area" (VMfailValid with
 * error 7 or 8) and "Checking and Loading Guest State" (a VM-entry failure,
 * exit reason 33 with bit 31 set). Each rule: the guest's valid VMCS, one
 * check broken, the checker naming exactly that check, then VMLAUNCH of a
 * guest that exits at once (VMCALL; every exception exits through the
 * exception bitmap) should the CPU run it; then VMCLEAR ("VMLAUNCH requires
 * a VMCS whose launch state is clear").
 */
void vmx_conf_entry_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			  uint64_t valid_eptp, uint64_t page)
{
	struct entry_env env = { .m = &r->caps, .phys_bits = phys_addr_bits(),
				 .page = page, .eptp = valid_eptp };
	struct host_state saved;

	host_save(&saved);
	for (unsigned i = 0; i < ENTRY_RULES; i++) {
		enum st_rule_id id = (enum st_rule_id)(ST_ENTRY_FIRST + i);
		struct tweak t = { .vpid = 1 };
		struct vmcs_config c;
		unsigned expect = 0;
		uint64_t vmcs = 0, f = 0;
		const char *why = guest_vmcs_build(cpu, r, (uint64_t)(uintptr_t)conf_guest, &c);

		if (!why) {
			conf_apply(&c, &t);          /* the valid addresses, for the rules that use them */
			why = entry_rule_prepare(i, &env, &c, &expect);
		}
		if (!why && options_skips_rule(&options, entry_rule(i)->name))
			why = "selftest.skip= on the command line";
		if (!why)
			why = guest_vmcs_load(cpu, r, &c, &vmcs);
		if (why) {
			s->skip(s->ctx, id, why);
			continue;
		}
		struct st_observed o = vmx_conformance_enter(OP_VMCALL, 0, 0, 0);
		o.entry_expect = expect;
		vmclear_safe(vmcs, &f);
		if (o.has_exit && !(o.exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
			host_restore(&saved);
		s->record(s->ctx, id, o);
	}
}
