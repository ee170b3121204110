/* SPDX-License-Identifier: MIT */
/*
 * Every field of vmxprobe's VMCS, for VMWRITE: see vmcs_fields.h. Intel SDM
 * Vol. 3D, appendix B "Field Encoding in VMCS"; a field is written only where
 * the control that gives it a meaning is set and allowed (Vol. 3C, chapter
 * "Virtual Machine Control Structures").
 */
#include "lib/vmcs_config.h"

#include <stddef.h>

#include "lib/msr-index.h"

/* When a field is written: always, or only with the control that gives the
 * field a meaning (a field exists only on CPUs that allow its control, and
 * VMWRITE to a field the CPU lacks fails with VM-instruction error 12). */
enum field_when {
	ALWAYS,
	IF_SECONDARY_FIELD,     /* the CPU allows "activate secondary controls" */
	IF_TIMER,               /* pin: activate VMX-preemption timer */
	IF_ENTRY_PAT, IF_ENTRY_EFER, IF_EXIT_PAT, IF_EXIT_EFER,
	IF_IO_BITMAPS, IF_MSR_BITMAPS, IF_EPT, IF_VPID,       /* the control set */
	ZERO,                   /* not in struct vmcs_config: written as 0 */
};

struct vmcs_field {
	uint16_t encoding;
	uint16_t offset;        /* in struct vmcs_config */
	uint8_t size;           /* 2, 4 or 8 bytes; 0 for ZERO */
	uint8_t when;
};

#define FIELD(enc, member, when) \
	{ enc, offsetof(struct vmcs_config, member), sizeof(((struct vmcs_config *)0)->member), when }
#define SEG_FIELD(s, part, enc0) FIELD((enc0) + 2 * (s), guest_seg[s].part, ALWAYS)
#define ALL_SEGS(part, enc0) \
	SEG_FIELD(SEG_ES, part, enc0), SEG_FIELD(SEG_CS, part, enc0), SEG_FIELD(SEG_SS, part, enc0), \
	SEG_FIELD(SEG_DS, part, enc0), SEG_FIELD(SEG_FS, part, enc0), SEG_FIELD(SEG_GS, part, enc0), \
	SEG_FIELD(SEG_LDTR, part, enc0), SEG_FIELD(SEG_TR, part, enc0)
#define HOST_SEL(i, enc) FIELD(enc, host_sel[i], ALWAYS)

/* SDM Vol. 3D, appendix B "Field Encoding in VMCS"; in order: controls, host
 * state, guest state, each by encoding (16-, 64-, 32-bit, natural width). */
static const struct vmcs_field fields[] = {
	/* VM-execution, VM-exit and VM-entry control fields. */
	FIELD(VIRTUAL_PROCESSOR_ID, vpid, IF_VPID),
	FIELD(IO_BITMAP_A, io_bitmap_a, IF_IO_BITMAPS), FIELD(IO_BITMAP_B, io_bitmap_b, IF_IO_BITMAPS),
	FIELD(MSR_BITMAP, msr_bitmap, IF_MSR_BITMAPS), FIELD(EPT_POINTER, eptp, IF_EPT),
	FIELD(PIN_BASED_VM_EXEC_CONTROL, pin, ALWAYS),
	FIELD(CPU_BASED_VM_EXEC_CONTROL, proc, ALWAYS),
	FIELD(EXCEPTION_BITMAP, exception_bitmap, ALWAYS),
	/* With mask = match = 0 every #PF takes bit 14 of the exception bitmap. */
	{ PAGE_FAULT_ERROR_CODE_MASK, 0, 0, ZERO }, { PAGE_FAULT_ERROR_CODE_MATCH, 0, 0, ZERO },
	FIELD(CR3_TARGET_COUNT, cr3_target_count, ALWAYS),
	FIELD(VM_EXIT_CONTROLS, exit, ALWAYS),
	FIELD(VM_EXIT_MSR_STORE_COUNT, exit_msr_store_count, ALWAYS),
	FIELD(VM_EXIT_MSR_LOAD_COUNT, exit_msr_load_count, ALWAYS),
	FIELD(VM_ENTRY_CONTROLS, entry, ALWAYS),
	FIELD(VM_ENTRY_MSR_LOAD_COUNT, entry_msr_load_count, ALWAYS),
	FIELD(VM_ENTRY_INTR_INFO_FIELD, entry_intr_info, ALWAYS),
	FIELD(SECONDARY_VM_EXEC_CONTROL, proc2, IF_SECONDARY_FIELD),
	FIELD(CR0_GUEST_HOST_MASK, cr0_mask, ALWAYS), FIELD(CR4_GUEST_HOST_MASK, cr4_mask, ALWAYS),
	FIELD(CR0_READ_SHADOW, cr0_shadow, ALWAYS), FIELD(CR4_READ_SHADOW, cr4_shadow, ALWAYS),

	/* Host-state area. */
	HOST_SEL(HOST_SEL_ES, HOST_ES_SELECTOR), HOST_SEL(HOST_SEL_CS, HOST_CS_SELECTOR),
	HOST_SEL(HOST_SEL_SS, HOST_SS_SELECTOR), HOST_SEL(HOST_SEL_DS, HOST_DS_SELECTOR),
	HOST_SEL(HOST_SEL_FS, HOST_FS_SELECTOR), HOST_SEL(HOST_SEL_GS, HOST_GS_SELECTOR),
	HOST_SEL(HOST_SEL_TR, HOST_TR_SELECTOR),
	FIELD(HOST_IA32_PAT, host_pat, IF_EXIT_PAT), FIELD(HOST_IA32_EFER, host_efer, IF_EXIT_EFER),
	FIELD(HOST_IA32_SYSENTER_CS, host_sysenter_cs, ALWAYS),
	FIELD(HOST_CR0, host_cr0, ALWAYS), FIELD(HOST_CR3, host_cr3, ALWAYS),
	FIELD(HOST_CR4, host_cr4, ALWAYS),
	FIELD(HOST_FS_BASE, host_fs_base, ALWAYS), FIELD(HOST_GS_BASE, host_gs_base, ALWAYS),
	FIELD(HOST_TR_BASE, host_tr_base, ALWAYS), FIELD(HOST_GDTR_BASE, host_gdtr_base, ALWAYS),
	FIELD(HOST_IDTR_BASE, host_idtr_base, ALWAYS),
	FIELD(HOST_IA32_SYSENTER_ESP, host_sysenter_esp, ALWAYS),
	FIELD(HOST_IA32_SYSENTER_EIP, host_sysenter_eip, ALWAYS),
	FIELD(HOST_RSP, host_rsp, ALWAYS), FIELD(HOST_RIP, host_rip, ALWAYS),

	/* Guest-state area. */
	ALL_SEGS(sel, GUEST_ES_SELECTOR),
	FIELD(VMCS_LINK_POINTER, link_pointer, ALWAYS),
	FIELD(GUEST_IA32_DEBUGCTL, guest_debugctl, ALWAYS),
	FIELD(GUEST_IA32_PAT, guest_pat, IF_ENTRY_PAT), FIELD(GUEST_IA32_EFER, guest_efer, IF_ENTRY_EFER),
	ALL_SEGS(limit, GUEST_ES_LIMIT),
	FIELD(GUEST_GDTR_LIMIT, guest_gdtr_limit, ALWAYS), FIELD(GUEST_IDTR_LIMIT, guest_idtr_limit, ALWAYS),
	ALL_SEGS(ar, GUEST_ES_AR_BYTES),
	FIELD(GUEST_INTERRUPTIBILITY_INFO, interruptibility, ALWAYS),
	FIELD(GUEST_ACTIVITY_STATE, activity, ALWAYS),
	FIELD(GUEST_SYSENTER_CS, guest_sysenter_cs, ALWAYS),
	FIELD(VMX_PREEMPTION_TIMER_VALUE, preemption_timer, IF_TIMER),
	FIELD(GUEST_CR0, guest_cr0, ALWAYS), FIELD(GUEST_CR3, guest_cr3, ALWAYS),
	FIELD(GUEST_CR4, guest_cr4, ALWAYS),
	ALL_SEGS(base, GUEST_ES_BASE),
	FIELD(GUEST_GDTR_BASE, guest_gdtr_base, ALWAYS), FIELD(GUEST_IDTR_BASE, guest_idtr_base, ALWAYS),
	FIELD(GUEST_DR7, guest_dr7, ALWAYS),
	FIELD(GUEST_RSP, guest_rsp, ALWAYS), FIELD(GUEST_RIP, guest_rip, ALWAYS),
	FIELD(GUEST_RFLAGS, guest_rflags, ALWAYS),
	FIELD(GUEST_PENDING_DBG_EXCEPTIONS, pending_dbg, ALWAYS),
	FIELD(GUEST_SYSENTER_ESP, guest_sysenter_esp, ALWAYS),
	FIELD(GUEST_SYSENTER_EIP, guest_sysenter_eip, ALWAYS),
};

/* May the control be 1 on this CPU? Its fields exist only then. */
static bool allows(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr, uint32_t bit)
{
	return (vmx_control_cap(m, msr, true_msr) >> 32) & bit;
}

/* A field written with its control: the control set, and allowed by the CPU
 * (a VMCS broken on purpose may set a control the CPU lacks, whose field the
 * CPU lacks too; VM entry then fails on the control). */
static bool field_wanted(const struct vmcs_config *c, const struct vmxcap_msrs *m, unsigned when)
{
	switch (when) {
	case IF_TIMER:
		return (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER) &&
		       allows(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			      PIN_BASED_VMX_PREEMPTION_TIMER);
	case IF_ENTRY_PAT: case IF_ENTRY_EFER: {
		uint32_t bit = when == IF_ENTRY_PAT ? VM_ENTRY_LOAD_IA32_PAT : VM_ENTRY_LOAD_IA32_EFER;
		return (c->entry & bit) &&
		       allows(m, MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, bit);
	}
	case IF_EXIT_PAT: case IF_EXIT_EFER: {
		uint32_t bit = when == IF_EXIT_PAT ? VM_EXIT_LOAD_IA32_PAT : VM_EXIT_LOAD_IA32_EFER;
		return (c->exit & bit) && allows(m, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS, bit);
	}
	case IF_MSR_BITMAPS:
		return (c->proc & CPU_BASED_USE_MSR_BITMAPS) &&
		       allows(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			      CPU_BASED_USE_MSR_BITMAPS);
	case IF_EPT: case IF_VPID: {
		uint32_t bit = when == IF_EPT ? SECONDARY_EXEC_ENABLE_EPT : SECONDARY_EXEC_ENABLE_VPID;
		return (vmcs_secondary(c) & bit) && vmxcap_has(m, MSR_IA32_VMX_PROCBASED_CTLS2) &&
		       allows(m, MSR_IA32_VMX_PROCBASED_CTLS2, 0, bit);
	}
	case IF_SECONDARY_FIELD:
		return (c->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
		       ((vmx_control_cap(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS) >> 32) &
			CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	case IF_IO_BITMAPS:
		return c->proc & CPU_BASED_USE_IO_BITMAPS;
	}
	return true;
}

static uint64_t field_value(const struct vmcs_config *c, const struct vmcs_field *f)
{
	const unsigned char *p = (const unsigned char *)c + f->offset;

	switch (f->size) {
	case 2:
		return *(const uint16_t *)(const void *)p;
	case 4:
		return *(const uint32_t *)(const void *)p;
	case 8:
		return *(const uint64_t *)(const void *)p;
	}
	return 0;
}

void vmcs_config_fields(const struct vmcs_config *c, const struct vmxcap_msrs *m,
			vmcs_field_fn fn, void *ctx)
{
	for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (field_wanted(c, m, fields[i].when))
			fn(ctx, fields[i].encoding, field_value(c, &fields[i]));
}
