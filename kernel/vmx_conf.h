/* SPDX-License-Identifier: MIT */
/*
 * Inside selftest=vmx's VMCS and guest rules: what kernel/vmx_conformance.c
 * (the guest, the rules' VMCS changes, the guest rules), kernel/vmx_conf_ept.c
 * (the identity EPT and its rules, INVEPT/INVVPID) and kernel/vmx_conf_entry.c
 * (the VM-entry checks asked of the CPU) share, and kernel/vmx_apicv.c uses.
 * Not for other files.
 */
#ifndef VMXPROBE_KERNEL_VMX_CONF_H
#define VMXPROBE_KERNEL_VMX_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vmx.h"
#include "kernel/vmx_conformance.h"
#include "lib/vmcs_config.h"

/* One rule's change to the guest's VMCS (conf_apply()), and what it observes. */
struct tweak {
	uint32_t pin, proc, proc2;      /* bits to set (their addresses, EPTP and VPID written too) */
	uint16_t vpid;
	bool real_mode;                 /* unrestricted guest: CR0.PE = PG = 0, real-mode segments */
	uint32_t exit_bits;             /* VM-exit control bits to set */
	bool timer;
	uint32_t timer_value;
	/* The topic rules (lib/vmx_topics.h). */
	uint64_t rip;                   /* the guest's entry point (0: conf_guest) */
	uint64_t rflags;                /* RFLAGS bits to set (IF) */
	uint32_t interruptibility;
	uint64_t pending_dbg;           /* the guest's pending debug exceptions */
	uint32_t inject;                /* VM-entry interruption information */
	uint32_t inject_error, inject_len;
	bool own_idt;                   /* the guest IDT of guest_idt[] */
	uint64_t cr0_mask;              /* CR0 bits the host owns; their shadow inverted */
	uint64_t cr4_mask;              /* the same for CR4 */
	/* CR3-load exiting: one target (the guest's CR3, or another), or every
	 * target the CPU has (up to CR3_TARGETS_MAX), the guest's CR3 the last. */
	enum { CR3T_NONE, CR3T_HIT, CR3T_MISS, CR3T_LAST } cr3_target;
	unsigned cr3_count;             /* CR3T_LAST: the runner's; else 1 (conf_apply()) */
	bool eptp_ad;                   /* EPTP bit 6: accessed and dirty flags */
	bool tpr_shadow;                /* use TPR shadow: vapic_page, TPR_THRESHOLD_VALUE */
	unsigned ad_index;              /* V_EPT_AD: the misconfig_pd leaf observed */
	enum { LIST_NONE, LIST_LOAD, LIST_STORE, LIST_LOAD_SMBASE } msr_list;
	enum { V_NONE, V_RAX, V_AX, V_MSR_STORED, V_FRAME, V_RIP_OFFSET, V_GPA, V_EPT_AD, V_VTPR,
	       V_MOVSS_STATE } value;
	uint64_t expected;              /* the value the SDM says (V_*), set by apply() where 0 */
};

/* May `bit` of a control be 1 on this CPU (the TRUE MSR where there is one)? */
bool conf_allowed(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr, uint32_t bit);

/* guest_tweak_fn: the tweak (ctx) applied to the guest's VMCS. */
void conf_apply(struct vmcs_config *c, void *ctx);

/* One rule: a fresh VMCS with the tweak, then the guest doing `op`; recorded
 * through s. false (skipped, said why) when the VMCS cannot be made. The
 * VMCS is left clear on every path. */
bool conf_run_rule(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		   enum st_rule_id id, struct tweak *t, enum conf_op op, uint64_t arg, uint64_t val);

/* If `vector` is still requested in this CPU's IRR (a self-IPI a rule left
 * there), a guest with external-interrupt exiting and "acknowledge interrupt
 * on exit" takes it: true, and it is then in service (the caller EOIs). */
bool conf_take_interrupt(unsigned cpu, const struct vmx_result *r, uint8_t vector);

/* The guest's two NOPs, then VMCALL (kernel/vmx_conformance.c). */
extern const char conf_stub_nops[];

/* kernel/vmx_conf_ept.c: the identity EPT, built by the boot CPU (from
 * vmx_conformance_init()); its EPTP; the A and D flags of a topic leaf; the
 * real-mode guest's state (unrestricted guest); the EPT rules and the
 * INVEPT/INVVPID rules; why this CPU cannot use the EPT, or NULL. */
void vmx_conf_ept_init(void);
uint64_t vmx_conf_eptp(void);
uint64_t vmx_conf_ept_ad_flags(unsigned leaf);
void vmx_conf_real_mode(struct vmcs_config *c);
const char *vmx_conf_ept_problem(const struct vmx_result *r, bool secondary);
void vmx_conf_ept_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			bool secondary);
void vmx_conf_invalidate_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			       bool ept_ok, bool vpid_ok);

/* kernel/vmx_conf_entry.c: the VM-entry checks asked of the CPU, valid_eptp
 * the EPTP a rule may use (0: none), page a valid page for the address rules. */
void vmx_conf_entry_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			  uint64_t valid_eptp, uint64_t page);

#endif
