/* SPDX-License-Identifier: MIT */
/*
 * vmxprobe's VMCS for its guest, and a control field's value from the
 * capability MSRs: see vmcs_build.h. Intel SDM Vol. 3C, chapter "Virtual
 * Machine Control Structures" ("Guest-State Area", "Host-State Area", and the
 * VM-execution, VM-exit and VM-entry control fields); Vol. 3D appendix A for
 * the capability MSRs. lib/vmcs_check.c holds the VMCS built here to the SDM's
 * VM-entry checks, and lib/vmcs_fields.c lists its fields for VMWRITE.
 */
#include "lib/vmcs_config.h"

#include "lib/msr-index.h"
#include "lib/processor-flags.h"

/* Access rights of vmxprobe's guest segments, VMCS format ("Guest Register
 * State"): 64-bit code (type 11 execute/read accessed, S, P, L, G), flat data
 * (type 3 read/write accessed, S, P, D/B, G), busy 64-bit TSS (type 11, P). */
#define AR_CODE64               0xa09b
#define AR_DATA                 0xc093
#define AR_TSS64_BUSY           0x008b

uint32_t vmx_control(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr,
		     uint32_t want, uint32_t optional, uint32_t *missing)
{
	uint64_t cap = vmx_control_cap(m, msr, true_msr);
	uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);

	if (missing)
		*missing = want & ~may;
	return must | ((want | optional) & may);
}

/* ------------------------------------------------------------------------- */
/* Building vmxprobe's VMCS                                                  */

static const char *build_failed(struct vmcs_config *c, const char *control)
{
	*c = (struct vmcs_config){ 0 };         /* all-zero controls: vmcs_check() rejects it */
	return control;
}

static void set_seg(struct vmcs_seg *s, uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->ar = ar;
}

const char *vmcs_config_build(const struct vmxcap_msrs *m, const struct vmcs_host_facts *h,
			      const struct vmcs_plan *p, struct vmcs_config *c)
{
	uint32_t missing;

	*c = (struct vmcs_config){ 0 };

	/* Controls: what vmxprobe needs, every other bit as the CPU requires. HLT
	 * exits by this control; CPUID and VMCALL exit unconditionally. */
	/* NMI exiting where allowed: an NMI (a BMC, a watchdog) that arrives while the
	 * guest runs exits (reason 0) to the host, which counts it, instead of
	 * running the host's NMI handler in the guest through the shared IDT. */
	c->pin = vmx_control(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0,
			     PIN_BASED_NMI_EXITING |
			     (p->preemption_timer ? PIN_BASED_VMX_PREEMPTION_TIMER : 0), 0);
	c->proc = vmx_control(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			      CPU_BASED_HLT_EXITING, 0, &missing);
	if (missing)
		return build_failed(c, "HLT exiting");
	if (c->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)       /* only if the CPU insists */
		c->proc2 = vmx_control(m, MSR_IA32_VMX_PROCBASED_CTLS2, 0, 0, 0, 0);
	c->exit = vmx_control(m, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
			      VM_EXIT_HOST_ADDR_SPACE_SIZE,
			      VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
			      VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER, &missing);
	if (missing)
		return build_failed(c, "Host address-space size");
	c->entry = vmx_control(m, MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
			       VM_ENTRY_IA32E_MODE, VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER,
			       &missing);
	if (missing)
		return build_failed(c, "IA-32e mode guest");
	c->exception_bitmap = 0xffffffff;               /* every exception exits */
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		c->preemption_timer = p->timer_value;
	/* CR masks 0: the guest owns CR0 and CR4; the shadows are then never read. */
	c->cr0_shadow = h->cr0;
	c->cr4_shadow = h->cr4;

	/* Host state: this CPU as it is, resuming at host_rip on every VM exit. */
	c->host_cr0 = h->cr0;
	c->host_cr3 = h->cr3;
	c->host_cr4 = h->cr4;
	for (unsigned i = 0; i <= HOST_SEL_TR; i++)
		c->host_sel[i] = h->sel[i];
	c->host_fs_base = h->fs_base;
	c->host_gs_base = h->gs_base;
	c->host_tr_base = h->tr_base;
	c->host_gdtr_base = h->gdtr_base;
	c->host_idtr_base = h->idtr_base;
	c->host_sysenter_cs = h->sysenter_cs;
	c->host_sysenter_esp = h->sysenter_esp;
	c->host_sysenter_eip = h->sysenter_eip;
	c->host_efer = h->efer;
	c->host_pat = h->pat;
	c->host_rsp = p->host_rsp;
	c->host_rip = p->host_rip;

	/* Guest state: 64-bit code on the host's paging and descriptor tables. */
	c->guest_cr0 = h->cr0;
	c->guest_cr3 = h->cr3;
	c->guest_cr4 = h->cr4;
	c->guest_dr7 = 0x400;                           /* its value after reset */
	c->guest_rsp = p->guest_rsp;
	c->guest_rip = p->guest_rip;
	c->guest_rflags = X86_EFLAGS_FIXED;            /* IF = 0: no interrupts */
	for (unsigned s = SEG_ES; s <= SEG_GS; s++)
		set_seg(&c->guest_seg[s], h->sel[HOST_SEL_DS], 0, 0xffffffff, AR_DATA);
	set_seg(&c->guest_seg[SEG_CS], h->sel[HOST_SEL_CS], 0, 0xffffffff, AR_CODE64);
	c->guest_seg[SEG_FS].base = h->fs_base;
	c->guest_seg[SEG_GS].base = h->gs_base;
	set_seg(&c->guest_seg[SEG_LDTR], 0, 0, 0, VMX_AR_UNUSABLE_MASK);
	set_seg(&c->guest_seg[SEG_TR], h->sel[HOST_SEL_TR], h->tr_base, h->tr_limit, AR_TSS64_BUSY);
	c->guest_gdtr_base = h->gdtr_base;
	c->guest_idtr_base = h->idtr_base;
	c->guest_gdtr_limit = h->gdtr_limit;
	c->guest_idtr_limit = h->idtr_limit;
	c->guest_efer = h->efer;
	c->guest_pat = h->pat;
	c->guest_sysenter_cs = h->sysenter_cs;
	c->guest_sysenter_esp = h->sysenter_esp;
	c->guest_sysenter_eip = h->sysenter_eip;
	c->link_pointer = ~0ull;                        /* no shadow VMCS */
	c->activity = GUEST_ACTIVITY_ACTIVE;
	return 0;
}
