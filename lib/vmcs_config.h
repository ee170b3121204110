/* SPDX-License-Identifier: MIT */
/*
 * The VMCS vmxprobe builds for its guest, and the SDM's VM-entry checks on it,
 * pure. Intel SDM Vol. 3C, chapter "VM Entries": "Checks on VMX Controls and
 * Host-State Area" and "Checks on the Guest State Area"; chapter "Virtual
 * Machine Control Structures" for the fields; Vol. 3D appendix A for the
 * capability MSRs (the TRUE MSRs when IA32_VMX_BASIC[55] is set).
 *
 * The kernel (kernel/guest.c) reads the CPU's own state into struct
 * vmcs_host_facts, builds the VMCS with vmcs_config_build(), checks it with
 * vmcs_check() and never launches a VMCS the check rejects; then it writes every
 * field vmcs_config_fields() lists with VMWRITE.
 *
 * One file per concern: lib/vmcs_build.c builds the VMCS (vmcs_config_build(),
 * vmx_control()), lib/vmcs_check.c is the VM-entry checker (vmcs_check(),
 * vmcs_check_classes()), lib/vmcs_fields.c lists the fields to VMWRITE
 * (vmcs_config_fields()). This header holds the structures the three share and
 * includes their headers; lib/vmcs_config.c holds the helpers they share.
 */
#ifndef VMXPROBE_LIB_VMCS_CONFIG_H
#define VMXPROBE_LIB_VMCS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmcs.h"
#include "lib/vmcs_build.h"
#include "lib/vmcs_check.h"
#include "lib/vmcs_fields.h"
#include "lib/vmxcap.h"

/* Guest segment registers, in the order of their VMCS encodings. */
enum vmcs_seg_id { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };

struct vmcs_seg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit;
	uint32_t ar;            /* access rights, VMCS format; VMX_AR_UNUSABLE_MASK */
};

/* Every field vmxprobe writes (and the checks read). */
struct vmcs_config {
	/* VM-execution, VM-exit and VM-entry control fields. */
	uint32_t pin, proc, proc2, exit, entry;
	uint32_t exception_bitmap, cr3_target_count;
	uint32_t exit_msr_store_count, exit_msr_load_count, entry_msr_load_count;
	uint32_t entry_intr_info;
	uint32_t preemption_timer;              /* VMX-preemption timer value */
	uint64_t cr0_mask, cr4_mask, cr0_shadow, cr4_shadow;
	/* Written only with their control: use I/O bitmaps (A, B), use MSR
	 * bitmaps, enable EPT, enable VPID. */
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap, eptp;
	uint16_t vpid;
	/* Host-state area. */
	uint64_t host_cr0, host_cr3, host_cr4;
	uint16_t host_sel[7];                   /* ES, CS, SS, DS, FS, GS, TR */
	uint64_t host_fs_base, host_gs_base, host_tr_base, host_gdtr_base, host_idtr_base;
	uint32_t host_sysenter_cs;
	uint64_t host_sysenter_esp, host_sysenter_eip;
	uint64_t host_efer, host_pat;
	uint64_t host_rsp, host_rip;
	/* Guest-state area. */
	uint64_t guest_cr0, guest_cr3, guest_cr4, guest_dr7;
	uint64_t guest_rsp, guest_rip, guest_rflags;
	struct vmcs_seg guest_seg[SEG_COUNT];
	uint64_t guest_gdtr_base, guest_idtr_base;
	uint32_t guest_gdtr_limit, guest_idtr_limit;
	uint64_t guest_debugctl, guest_efer, guest_pat;
	uint32_t guest_sysenter_cs;
	uint64_t guest_sysenter_esp, guest_sysenter_eip;
	uint64_t link_pointer;
	uint32_t activity, interruptibility;
	uint64_t pending_dbg;
};
enum { HOST_SEL_ES, HOST_SEL_CS, HOST_SEL_SS, HOST_SEL_DS, HOST_SEL_FS, HOST_SEL_GS, HOST_SEL_TR };

/* The running CPU's own state, which the host fields (and the 64-bit guest,
 * which shares the host's page tables and descriptor tables) copy. */
struct vmcs_host_facts {
	uint64_t cr0, cr3, cr4, efer, pat;
	uint16_t sel[7];                        /* HOST_SEL_* order */
	uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	uint32_t tr_limit;                      /* from the TSS descriptor */
	uint32_t sysenter_cs;
	uint64_t sysenter_esp, sysenter_eip;
};

/* What the guest is: where it starts and its stack; where VM exits land. */
struct vmcs_plan {
	uint64_t guest_rip, guest_rsp;
	uint64_t host_rip, host_rsp;
	bool preemption_timer;                  /* arm the VMX-preemption timer if the CPU has it */
	uint32_t timer_value;
};

/*
 * Which capability MSR governs a control field: the TRUE one (true_msr) where
 * IA32_VMX_BASIC[55] is set and true_msr is not 0, else msr. vmx_control_cap()
 * is that MSR's value: allowed 0-settings in bits 31:0, allowed 1-settings in
 * bits 63:32.
 */
bool vmx_control_true_msr(const struct vmxcap_msrs *m, unsigned true_msr);
uint64_t vmx_control_cap(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr);

/* The secondary processor-based controls as VM entry sees them: c->proc2 if
 * "activate secondary controls" is 1 in c->proc, else 0. */
uint32_t vmcs_secondary(const struct vmcs_config *c);

#endif
