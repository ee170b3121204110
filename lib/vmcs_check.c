/* SPDX-License-Identifier: MIT */
/*
 * The SDM's VM-entry checks on vmxprobe's VMCS: see vmcs_check.h.
 *
 * The rules are Intel SDM Vol. 3C, chapter "VM Entries", sections "Checks on VMX
 * Controls and Host-State Area" and "Checking and Loading Guest State" (section
 * titles are cited without numbers: they move between revisions), with Vol. 3D
 * appendix A for the capability MSRs. Linux (nested_vmx_check_controls(),
 * nested_vmx_check_host_state() and nested_vmx_check_guest_state() in
 * arch/x86/kvm/vmx/nested.c) and Bochs (VMenterLoadCheckVmControls(),
 * VMenterLoadCheckHostState(), VMenterLoadCheckGuestState() in cpu/vmx.cc)
 * implement the same rules; they were read to cross-check these, not copied.
 *
 * Scope of vmcs_check(): the rules that concern the fields of struct
 * vmcs_config, the I/O- and MSR-bitmap addresses, the EPTP and the VPID among
 * them. A control that brings in fields vmxprobe does not write (virtual-APIC
 * page, MSR lists, event injection) is checked against the allowed settings,
 * not for those fields; vmcs_config_build() never sets one. The SDM lets a CPU check in any order;
 * vmcs_check() goes controls, host state, guest state, in the SDM's order of
 * sections, and names the first rule broken.
 *
 * Canonical addresses are checked for 48 linear-address bits: a stricter test
 * than a CPU with 5-level paging makes (what is canonical at 48 bits is
 * canonical at 57), and vmxprobe lives in the low 4 GiB.
 */
#include "lib/vmcs_config.h"

#include "lib/msr-index.h"
#include "lib/processor-flags.h"

/* Bits lib/processor-flags.h does not name (Linux's names): SDM Vol. 3A
 * "Control Registers" and "EFLAGS Register"; Vol. 4, IA32_EFER. */
#define X86_CR4_PCIDE           BIT(17)
#define X86_EFLAGS_VM           BIT(17)
#define EFER_SCE                BIT(0)

/* RFLAGS bits reserved to 0 ("Checks on Guest RIP, RFLAGS, and SSP"): 63:22,
 * 15, 5, 3; bit 1 is reserved to 1 (X86_EFLAGS_FIXED). */
#define RFLAGS_RESERVED_0       0xffffffffffc08028ull

/* ------------------------------------------------------------------------- */
/* Small predicates                                                          */

/* 48-bit canonical: bits 63:47 all equal. */
static bool canonical(uint64_t a)
{
	uint64_t top = a >> 47;

	return top == 0 || top == 0x1ffff;
}

/* Bits set beyond the physical-address width. */
static bool beyond_maxphyaddr(uint64_t pa, unsigned phys_bits)
{
	return phys_bits < 64 && (pa >> phys_bits) != 0;
}

/* "each of the 8 bytes in the field must have one of the values 0 (UC), 1 (WC),
 * 4 (WT), 5 (WP), 6 (WB), or 7 (UC-)" (the WRMSR rule for IA32_PAT). */
static bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned type = (pat >> (8 * i)) & 0xff;
		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

/* IA32_EFER: SCE, LME, LMA and NXE are defined; every other bit is reserved. */
static bool efer_reserved(uint64_t efer)
{
	return efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
}

/* ------------------------------------------------------------------------- */
/* Control fields and their capability MSRs                                  */

/* A control field as VM entry checks it: its MSRs and the two ways to break it,
 * named after the plain MSR [0] or the TRUE one [1]. */
struct control_field {
	unsigned msr, true_msr;
	const char *must_be_1[2], *must_be_0[2];
};

#define CONTROL_RULES(what, name, true_name)                                     \
	{ what ": a bit is 0 that " name " requires to be 1",                     \
	  what ": a bit is 0 that " true_name " requires to be 1" },              \
	{ what ": a bit is 1 that " name " allows only as 0",                     \
	  what ": a bit is 1 that " true_name " allows only as 0" }
#define CONTROL_FIELD(what, ctls) { MSR_IA32_VMX_##ctls, MSR_IA32_VMX_TRUE_##ctls, \
	CONTROL_RULES(what, "IA32_VMX_" #ctls, "IA32_VMX_TRUE_" #ctls) }

/* The fields by index: pin-based, primary and secondary processor-based
 * VM-execution controls, VM-exit and VM-entry controls. */
enum { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY };

static const struct control_field control_fields[] = {
	[CTL_PIN] = CONTROL_FIELD("pin-based controls", PINBASED_CTLS),
	[CTL_PROC] = CONTROL_FIELD("primary processor-based controls", PROCBASED_CTLS),
	[CTL_PROC2] = { MSR_IA32_VMX_PROCBASED_CTLS2, 0, CONTROL_RULES("secondary processor-based controls",
		"IA32_VMX_PROCBASED_CTLS2", "IA32_VMX_PROCBASED_CTLS2") },
	[CTL_EXIT] = CONTROL_FIELD("VM-exit controls", EXIT_CTLS),
	[CTL_ENTRY] = CONTROL_FIELD("VM-entry controls", ENTRY_CTLS),
};

/* "Reserved bits in the ... controls must be set properly" (allowed 0- and 1-settings). */
static const char *check_control(const struct vmxcap_msrs *m, const struct control_field *f,
				 uint32_t v)
{
	bool t = vmx_control_true_msr(m, f->true_msr);
	uint64_t cap = vmxcap_get(m, t ? f->true_msr : f->msr);

	if (~v & (uint32_t)cap)
		return f->must_be_1[t];
	if (v & ~(uint32_t)(cap >> 32))
		return f->must_be_0[t];
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Checks on VMX controls                                                    */

/* A control that needs another: "If the 'X' control is 0, the 'Y' control must
 * be 0" (the secondary controls as VM entry sees them). */

struct control_need {
	uint8_t field;
	uint32_t bit;
	uint8_t needs_field;
	uint32_t needs_bit;
	const char *rule;
};

static const char *check_needs(const struct control_need *t, unsigned n, const struct vmcs_config *c)
{
	const uint32_t v[] = { c->pin, c->proc, vmcs_secondary(c), c->exit, c->entry };

	for (unsigned i = 0; i < n; i++)
		if ((v[t[i].field] & t[i].bit) && !(v[t[i].needs_field] & t[i].needs_bit))
			return t[i].rule;
	return 0;
}

/* SDM "Checks on VMX Controls", "VM-Execution Control Fields". */
static const struct control_need execution_needs[] = {
	/* "If the 'NMI exiting' VM-execution control is 0, the 'virtual NMIs'
	 * VM-execution control must be 0." */
	{ CTL_PIN, PIN_BASED_VIRTUAL_NMIS, CTL_PIN, PIN_BASED_NMI_EXITING,
	  "pin-based controls: virtual NMIs requires NMI exiting" },
	/* "If the 'virtual NMIs' VM-execution control is 0, the 'NMI-window
	 * exiting' VM-execution control must be 0." */
	{ CTL_PROC, CPU_BASED_NMI_WINDOW_EXITING, CTL_PIN, PIN_BASED_VIRTUAL_NMIS,
	  "primary processor-based controls: NMI-window exiting requires virtual NMIs" },
	/* "If the 'unrestricted guest' VM-execution control is 1, the 'enable EPT'
	 * VM-execution control must also be 1." */
	{ CTL_PROC2, SECONDARY_EXEC_UNRESTRICTED_GUEST, CTL_PROC2, SECONDARY_EXEC_ENABLE_EPT,
	  "secondary processor-based controls: unrestricted guest requires enable EPT" },
	/* "If the 'use TPR shadow' VM-execution control is 0, the following
	 * VM-execution controls must also be 0: 'virtualize x2APIC mode',
	 * 'APIC-register virtualization', and 'virtual-interrupt delivery'." */
	{ CTL_PROC2, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE, CTL_PROC, CPU_BASED_TPR_SHADOW,
	  "secondary processor-based controls: virtualize x2APIC mode requires use TPR shadow" },
	{ CTL_PROC2, SECONDARY_EXEC_APIC_REGISTER_VIRT, CTL_PROC, CPU_BASED_TPR_SHADOW,
	  "secondary processor-based controls: APIC-register virtualization requires use TPR shadow" },
	{ CTL_PROC2, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY, CTL_PROC, CPU_BASED_TPR_SHADOW,
	  "secondary processor-based controls: virtual-interrupt delivery requires use TPR shadow" },
	/* "If the 'process posted interrupts' VM-execution control is 1, the
	 * following must be true: the 'virtual-interrupt delivery' VM-execution
	 * control is 1 ..." */
	{ CTL_PIN, PIN_BASED_POSTED_INTR, CTL_PROC2, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY,
	  "pin-based controls: process posted interrupts requires virtual-interrupt delivery" },
};

/* An address a control brings in: "bits 11:0 ... must be 0" and "should not
 * set any bits beyond the processor's physical-address width". */
static const char *check_page_address(uint64_t pa, unsigned phys_bits, const char *const rule[2])
{
	if (pa & 0xfff)
		return rule[0];
	if (beyond_maxphyaddr(pa, phys_bits))
		return rule[1];
	return 0;
}

static const char *const io_bitmap_a_rules[2] = {
	"I/O bitmap A address: bits 11:0 must be 0 (use I/O bitmaps)",
	"I/O bitmap A address: bits beyond MAXPHYADDR must be 0 (use I/O bitmaps)",
};
static const char *const io_bitmap_b_rules[2] = {
	"I/O bitmap B address: bits 11:0 must be 0 (use I/O bitmaps)",
	"I/O bitmap B address: bits beyond MAXPHYADDR must be 0 (use I/O bitmaps)",
};
static const char *const msr_bitmap_rules[2] = {
	"MSR-bitmap address: bits 11:0 must be 0 (use MSR bitmaps)",
	"MSR-bitmap address: bits beyond MAXPHYADDR must be 0 (use MSR bitmaps)",
};

/* "If the 'enable EPT' VM-execution control is 1, the EPTP VM-execution control
 * field must satisfy the following checks: the EPT memory type (bits 2:0) must
 * be a value supported by the processor as indicated in the
 * IA32_VMX_EPT_VPID_CAP MSR; bits 5:3 (1 less than the EPT page-walk length)
 * must indicate a supported EPT page-walk length; bit 6 (enable bit for
 * accessed and dirty flags for EPT) must be 0 if bit 21 of the
 * IA32_VMX_EPT_VPID_CAP MSR is read as 0; reserved bits 11:7 [bit 7 is the
 * supervisor shadow-stack control on CPUs with CET: not checked here] and
 * 63:N (where N is the processor's physical-address width) must all be 0." */
static const char *check_eptp(const struct vmxcap_msrs *m, unsigned phys_bits, uint64_t eptp)
{
	uint64_t cap = vmxcap_get(m, MSR_IA32_VMX_EPT_VPID_CAP);
	unsigned type = eptp & 7, walk = (eptp >> 3) & 7;

	if (!((type == VMX_EPTP_MT_UC && (cap & VMX_EPTP_UC_BIT)) ||
	      (type == VMX_EPTP_MT_WB && (cap & VMX_EPTP_WB_BIT))))
		return "EPTP: memory type (bits 2:0) not supported by IA32_VMX_EPT_VPID_CAP (enable EPT)";
	if (!((walk == 3 && (cap & VMX_EPT_PAGE_WALK_4_BIT)) ||
	      (walk == 4 && (cap & VMX_EPT_PAGE_WALK_5_BIT))))
		return "EPTP: page-walk length (bits 5:3) not supported by IA32_VMX_EPT_VPID_CAP (enable EPT)";
	if ((eptp & BIT(6)) && !(cap & VMX_EPT_AD_BIT))
		return "EPTP: accessed and dirty flags (bit 6) without IA32_VMX_EPT_VPID_CAP[21] (enable EPT)";
	if (eptp & 0xf00)
		return "EPTP: reserved bits 11:8 must be 0 (enable EPT)";
	if (beyond_maxphyaddr(eptp, phys_bits))
		return "EPTP: bits beyond MAXPHYADDR must be 0 (enable EPT)";
	return 0;
}

static const char *check_execution_controls(const struct vmxcap_msrs *m, unsigned phys_bits,
					    const struct vmcs_config *c)
{
	const char *why;
	uint64_t misc = vmxcap_get(m, MSR_IA32_VMX_MISC);
	uint32_t proc2 = vmcs_secondary(c);

	if ((why = check_control(m, &control_fields[CTL_PIN], c->pin)) ||
	    (why = check_control(m, &control_fields[CTL_PROC], c->proc)))
		return why;
	/* "If the 'activate secondary controls' ... is 0 ..., no checks are
	 * performed on the secondary processor-based VM-execution controls." */
	if ((c->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	    (why = check_control(m, &control_fields[CTL_PROC2], c->proc2)))
		return why;
	/* "The CR3-target count must not be greater than 4 ... Software should
	 * read ... IA32_VMX_MISC to determine the number of values supported." */
	if (c->cr3_target_count > ((misc >> VMX_MISC_CR3_COUNT_SHIFT) & VMX_MISC_CR3_COUNT_MASK))
		return "CR3-target count: greater than IA32_VMX_MISC bits 24:16 allow";
	/* "If the 'use I/O bitmaps' VM-execution control is 1, bits 11:0 of each
	 * I/O-bitmap address must be 0. Neither address should set any bits beyond
	 * the processor's physical-address width." "If the 'use MSR bitmaps'
	 * VM-execution control is 1, bits 11:0 of the MSR-bitmap address must be 0.
	 * The address should not set any bits beyond the processor's
	 * physical-address width." */
	if ((c->proc & CPU_BASED_USE_IO_BITMAPS) &&
	    ((why = check_page_address(c->io_bitmap_a, phys_bits, io_bitmap_a_rules)) ||
	     (why = check_page_address(c->io_bitmap_b, phys_bits, io_bitmap_b_rules))))
		return why;
	if ((c->proc & CPU_BASED_USE_MSR_BITMAPS) &&
	    (why = check_page_address(c->msr_bitmap, phys_bits, msr_bitmap_rules)))
		return why;
	if ((why = check_needs(execution_needs, sizeof(execution_needs) / sizeof(execution_needs[0]), c)))
		return why;
	/* "If the 'enable VPID' VM-execution control is 1, the value of the VPID
	 * VM-execution control field must not be 0000H." */
	if ((proc2 & SECONDARY_EXEC_ENABLE_VPID) && !c->vpid)
		return "VPID: must not be 0000H (enable VPID)";
	if (proc2 & SECONDARY_EXEC_ENABLE_EPT)
		return check_eptp(m, phys_bits, c->eptp);
	return 0;
}

/* SDM "Checks on VMX Controls", "VM-Exit Control Fields" and "VM-Entry Control
 * Fields". vmxprobe's VMCS has no MSR lists (the SDM checks a list's address
 * whenever its count is not 0) and injects no event (with the valid bit set,
 * "fields relevant to VM-entry event injection" include the VM-entry exception
 * error code and instruction length, which vmxprobe does not write). */
static const struct control_need exit_needs[] = {
	/* "If the 'activate VMX-preemption timer' VM-execution control is 0, the
	 * 'save VMX-preemption timer value' VM-exit control must also be 0." */
	{ CTL_EXIT, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER, CTL_PIN, PIN_BASED_VMX_PREEMPTION_TIMER,
	  "VM-exit controls: save VMX-preemption timer value requires activate VMX-preemption timer" },
};

static const char *check_exit_entry_controls(const struct vmxcap_msrs *m, const struct vmcs_config *c)
{
	const char *why;

	if ((why = check_control(m, &control_fields[CTL_EXIT], c->exit)) ||
	    (why = check_needs(exit_needs, 1, c)))
		return why;
	if (c->exit_msr_store_count)
		return "VM-exit MSR-store count: must be 0 (vmxprobe writes no MSR-store address)";
	if (c->exit_msr_load_count)
		return "VM-exit MSR-load count: must be 0 (vmxprobe writes no MSR-load address)";
	if ((why = check_control(m, &control_fields[CTL_ENTRY], c->entry)))
		return why;
	if (c->entry_intr_info & INTR_INFO_VALID_MASK)
		return "VM-entry interruption information: valid bit must be 0 (vmxprobe injects no event)";
	if (c->entry_msr_load_count)
		return "VM-entry MSR-load count: must be 0 (vmxprobe writes no MSR-load address)";
	/* "If the processor is not in SMM, the 'entry to SMM' and 'deactivate
	 * dual-monitor treatment' VM-entry controls must be 0." */
	if (c->entry & (VM_ENTRY_SMM | VM_ENTRY_DEACT_DUAL_MONITOR))
		return "VM-entry controls: entry to SMM and deactivate dual-monitor treatment must be 0 outside SMM";
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Checks on the host-state area                                             */

/* A control register against its VMX-fixed bits (SDM "VMX-Fixed Bits in CR0/CR4"):
 * FIXED0 at msr, FIXED1 at msr + 1. */
struct fixed_reg {
	unsigned fixed0_msr;
	const char *not_set, *set;
};

#define FIXED_REG(who, cr) { MSR_IA32_VMX_##cr##_FIXED0,                       \
	who " " #cr ": VMX-fixed bit not set (IA32_VMX_" #cr "_FIXED0)",           \
	who " " #cr ": bit set that VMX fixes to 0 (IA32_VMX_" #cr "_FIXED1)" }

static const struct fixed_reg host_cr0_fixed = FIXED_REG("host", CR0);
static const struct fixed_reg host_cr4_fixed = FIXED_REG("host", CR4);
static const struct fixed_reg guest_cr0_fixed = FIXED_REG("guest", CR0);
static const struct fixed_reg guest_cr4_fixed = FIXED_REG("guest", CR4);

/* "The CR0 (CR4) field must not set any bit to a value not supported in VMX
 * operation"; bits in `exempt` are not checked. */
static const char *check_fixed(const struct vmxcap_msrs *m, const struct fixed_reg *r,
			       uint64_t v, uint64_t exempt)
{
	if (~v & vmxcap_get(m, r->fixed0_msr) & ~exempt)
		return r->not_set;
	if (v & ~vmxcap_get(m, r->fixed0_msr + 1) & ~exempt)
		return r->set;
	return 0;
}

/* What the host-state and the guest-state areas both hold and VM entry checks
 * alike: "The CR3 field must be such that bits 63:52 and bits in the range
 * 51:32 beyond the processor's physical-address width must be 0." "The
 * IA32_SYSENTER_ESP field and the IA32_SYSENTER_EIP field must each contain a
 * canonical address." "If the 'load IA32_PAT' ... control is 1, the value of
 * the field for the IA32_PAT MSR must be one that could be written by WRMSR
 * without fault at CPL 0." "If the 'load IA32_EFER' ... control is 1, bits
 * reserved in the IA32_EFER MSR must be 0 in the field for that register." */
struct state_msrs {
	uint64_t cr3, sysenter_esp, sysenter_eip, pat, efer;
	bool load_pat, load_efer;
	const char *const *rule;        /* CR3, SYSENTER_ESP, SYSENTER_EIP, PAT, EFER */
};

static const char *const host_msr_rules[] = {
	"host CR3: bits beyond MAXPHYADDR must be 0",
	"host IA32_SYSENTER_ESP: not canonical",
	"host IA32_SYSENTER_EIP: not canonical",
	"host IA32_PAT (load IA32_PAT on exit): a byte is not a memory type (0, 1, 4, 5, 6, 7)",
	"host IA32_EFER (load IA32_EFER on exit): reserved bit set",
};
static const char *const guest_msr_rules[] = {
	"guest CR3: bits beyond MAXPHYADDR must be 0",
	"guest IA32_SYSENTER_ESP: not canonical",
	"guest IA32_SYSENTER_EIP: not canonical",
	"guest IA32_PAT (load IA32_PAT on entry): a byte is not a memory type (0, 1, 4, 5, 6, 7)",
	"guest IA32_EFER (load IA32_EFER on entry): reserved bit set",
};

static const char *check_state_msrs(const struct state_msrs *s, unsigned phys_bits)
{
	if (beyond_maxphyaddr(s->cr3, phys_bits))
		return s->rule[0];
	if (!canonical(s->sysenter_esp))
		return s->rule[1];
	if (!canonical(s->sysenter_eip))
		return s->rule[2];
	if (s->load_pat && !pat_valid(s->pat))
		return s->rule[3];
	if (s->load_efer && efer_reserved(s->efer))
		return s->rule[4];
	return 0;
}

/* SDM "Checks on Host Control Registers, MSRs, and SSP". */
static const char *check_host_registers(const struct vmxcap_msrs *m, unsigned phys_bits,
					const struct vmcs_config *c)
{
	const char *why;
	bool host64 = c->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	const struct state_msrs msrs = {
		c->host_cr3, c->host_sysenter_esp, c->host_sysenter_eip, c->host_pat, c->host_efer,
		c->exit & VM_EXIT_LOAD_IA32_PAT, c->exit & VM_EXIT_LOAD_IA32_EFER, host_msr_rules,
	};

	if ((why = check_fixed(m, &host_cr0_fixed, c->host_cr0, 0)) ||
	    (why = check_fixed(m, &host_cr4_fixed, c->host_cr4, 0)) ||
	    (why = check_state_msrs(&msrs, phys_bits)))
		return why;
	/* "In addition, the values of the LMA and LME bits in the field must each
	 * be that of the 'host address-space size' VM-exit control." */
	if ((c->exit & VM_EXIT_LOAD_IA32_EFER) &&
	    (!(c->host_efer & EFER_LMA) != !host64 || !(c->host_efer & EFER_LME) != !host64))
		return "host IA32_EFER (load IA32_EFER on exit): LMA and LME must each equal host address-space size";
	return 0;
}

/* SDM "Checks on Host Segment and Descriptor-Table Registers". */
static const char *check_host_segments(const struct vmcs_config *c)
{
	static const char *const rpl_ti[] = {
		"host ES selector: RPL and TI must be 0", "host CS selector: RPL and TI must be 0",
		"host SS selector: RPL and TI must be 0", "host DS selector: RPL and TI must be 0",
		"host FS selector: RPL and TI must be 0", "host GS selector: RPL and TI must be 0",
		"host TR selector: RPL and TI must be 0",
	};
	static const char *const not_canonical[] = {
		"host FS base: not canonical", "host GS base: not canonical",
		"host GDTR base: not canonical", "host IDTR base: not canonical",
		"host TR base: not canonical",
	};
	const uint64_t base[] = { c->host_fs_base, c->host_gs_base, c->host_gdtr_base,
				  c->host_idtr_base, c->host_tr_base };

	/* "In the selector field for each of CS, SS, DS, ES, FS, GS and TR, the
	 * RPL (bits 1:0) and the TI flag (bit 2) must be 0." */
	for (unsigned i = 0; i <= HOST_SEL_TR; i++)
		if (c->host_sel[i] & 7)
			return rpl_ti[i];
	/* "The selector fields for CS and TR cannot be 0000H. The selector field
	 * for SS cannot be 0000H if the 'host address-space size' VM-exit control is 0." */
	if (!c->host_sel[HOST_SEL_CS])
		return "host CS selector: must not be 0000H";
	if (!c->host_sel[HOST_SEL_TR])
		return "host TR selector: must not be 0000H";
	if (!c->host_sel[HOST_SEL_SS] && !(c->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE))
		return "host SS selector: must not be 0000H when host address-space size is 0";
	/* "The base-address fields for FS, GS, GDTR, IDTR, and TR must contain
	 * canonical addresses." */
	for (unsigned i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		if (!canonical(base[i]))
			return not_canonical[i];
	return 0;
}

/* SDM "Checks Related to Address-Space Size". The logical processor's mode at
 * VM entry is the host's: c->host_efer is this CPU's IA32_EFER. */
static const char *check_address_space_size(const struct vmcs_config *c)
{
	bool host64 = c->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	bool ia32e_guest = c->entry & VM_ENTRY_IA32E_MODE;

	/* "If the logical processor is outside IA-32e mode (if IA32_EFER.LMA = 0)
	 * at the time of VM entry, the following must hold: the 'IA-32e mode
	 * guest' VM-entry control is 0; the 'host address-space size' VM-exit
	 * control is 0." Inside: "the 'host address-space size' VM-exit control is 1". */
	if (!(c->host_efer & EFER_LMA)) {
		if (ia32e_guest)
			return "IA-32e mode guest: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)";
		if (host64)
			return "host address-space size: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)";
	} else if (!host64) {
		return "host address-space size: must be 1 in IA-32e mode (IA32_EFER.LMA = 1)";
	}
	/* "If the 'host address-space size' VM-exit control is 0: the 'IA-32e mode
	 * guest' VM-entry control is 0 [already so: host address-space size 0
	 * means IA32_EFER.LMA = 0 here]; bit 17 of the CR4 field (PCIDE) is 0;
	 * bits 63:32 in the RIP field are 0." */
	if (!host64) {
		if (c->host_cr4 & X86_CR4_PCIDE)
			return "host CR4: PCIDE must be 0 when host address-space size is 0";
		if (c->host_rip >> 32)
			return "host RIP: bits 63:32 must be 0 when host address-space size is 0";
		return 0;
	}
	/* "If the 'host address-space size' VM-exit control is 1: bit 5 of the CR4
	 * field (PAE) is 1; the RIP field contains a canonical address." */
	if (!(c->host_cr4 & X86_CR4_PAE))
		return "host CR4: PAE must be 1 when host address-space size is 1";
	if (!canonical(c->host_rip))
		return "host RIP: not canonical";
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Checks on the guest-state area                                            */

/* SDM "Checking and Loading Guest State", "Checks on Guest Control Registers,
 * Debug Registers, and MSRs". */
static const char *check_guest_registers(const struct vmxcap_msrs *m, unsigned phys_bits,
					 const struct vmcs_config *c)
{
	const char *why;
	bool ia32e = c->entry & VM_ENTRY_IA32E_MODE;
	/* The exceptions to the CR0 fixed bits: "Bit 0 (corresponding to CR0.PE)
	 * and bit 31 (PG) are not checked if the 'unrestricted guest' VM-execution
	 * control is 1" (and the secondary controls active). "Bit 29 (corresponding
	 * to CR0.NW) and bit 30 (CD) are never checked because the values of these
	 * bits are not changed by VM entry." */
	uint64_t exempt = X86_CR0_NW | X86_CR0_CD;
	const struct state_msrs msrs = {
		c->guest_cr3, c->guest_sysenter_esp, c->guest_sysenter_eip, c->guest_pat, c->guest_efer,
		c->entry & VM_ENTRY_LOAD_IA32_PAT, c->entry & VM_ENTRY_LOAD_IA32_EFER, guest_msr_rules,
	};

	if (vmcs_secondary(c) & SECONDARY_EXEC_UNRESTRICTED_GUEST)
		exempt |= X86_CR0_PE | X86_CR0_PG;
	if ((why = check_fixed(m, &guest_cr0_fixed, c->guest_cr0, exempt)))
		return why;
	/* "If bit 31 in the CR0 field (corresponding to PG) is 1, bit 0 in that
	 * field (PE) must also be 1." */
	if ((c->guest_cr0 & X86_CR0_PG) && !(c->guest_cr0 & X86_CR0_PE))
		return "guest CR0: PG requires PE";
	if ((why = check_fixed(m, &guest_cr4_fixed, c->guest_cr4, 0)))
		return why;
	/* "If the 'IA-32e mode guest' VM-entry control is 1, bit 31 in the CR0 field
	 * (PG) and bit 5 in the CR4 field (PAE) must each be 1." "If [it] is 0,
	 * bit 17 in the CR4 field (PCIDE) must be 0." */
	if (ia32e && !(c->guest_cr0 & X86_CR0_PG))
		return "IA-32e mode guest: requires guest CR0.PG";
	if (ia32e && !(c->guest_cr4 & X86_CR4_PAE))
		return "IA-32e mode guest: requires guest CR4.PAE";
	if (!ia32e && (c->guest_cr4 & X86_CR4_PCIDE))
		return "guest CR4: PCIDE must be 0 unless IA-32e mode guest";
	/* "If the 'load debug controls' VM-entry control is 1, bits 63:32 in the
	 * DR7 field must be 0." */
	if ((c->entry & VM_ENTRY_LOAD_DEBUG_CONTROLS) && (c->guest_dr7 >> 32))
		return "guest DR7 (load debug controls): bits 63:32 must be 0";
	if ((why = check_state_msrs(&msrs, phys_bits)))
		return why;
	/* "If the 'load IA32_EFER' VM-entry control is 1 ...: Bit 10 (LMA) must
	 * equal the value of the 'IA-32e mode guest' VM-entry control. It must
	 * also be identical to bit 8 (LME) if bit 31 in the CR0 field (PG) is 1." */
	if (c->entry & VM_ENTRY_LOAD_IA32_EFER) {
		bool lma = c->guest_efer & EFER_LMA, lme = c->guest_efer & EFER_LME;
		if (lma != ia32e)
			return "guest IA32_EFER (load IA32_EFER on entry): LMA must equal IA-32e mode guest";
		if ((c->guest_cr0 & X86_CR0_PG) && lma != lme)
			return "guest IA32_EFER (load IA32_EFER on entry): LME must equal LMA when CR0.PG = 1";
	}
	return 0;
}

/* Per-segment rule names, in enum vmcs_seg_id order. */
#define PER_SEG(what) { "guest ES" what, "guest CS" what, "guest SS" what, "guest DS" what, \
			"guest FS" what, "guest GS" what, "guest LDTR" what, "guest TR" what }

static const char *const seg_base_not_canonical[SEG_COUNT] = PER_SEG(" base: not canonical");
static const char *const seg_base_high[SEG_COUNT] = PER_SEG(" base: bits 63:32 must be 0");
static const char *const seg_v86_base[SEG_COUNT] = PER_SEG(" base: must be the selector shifted left 4 bits (virtual-8086)");
static const char *const seg_v86_limit[SEG_COUNT] = PER_SEG(" limit: must be 0000FFFFH (virtual-8086)");
static const char *const seg_v86_ar[SEG_COUNT] = PER_SEG(" access rights: must be 000000F3H (virtual-8086)");
static const char *const seg_not_accessed[SEG_COUNT] = PER_SEG(" type: must be accessed (bit 0 = 1)");
static const char *const seg_code_unreadable[SEG_COUNT] = PER_SEG(" type: a code segment must be readable (bit 1 = 1)");
static const char *const seg_dpl_below_rpl[SEG_COUNT] = PER_SEG(" DPL: must not be less than the selector's RPL (data or non-conforming code)");
static const char *const seg_s_must_be_1[SEG_COUNT] = PER_SEG(": S (bit 4) must be 1 (code or data segment)");
static const char *const seg_s_must_be_0[SEG_COUNT] = PER_SEG(": S (bit 4) must be 0 (system segment)");
static const char *const seg_not_present[SEG_COUNT] = PER_SEG(": P (bit 7) must be 1");
static const char *const seg_reserved_11_8[SEG_COUNT] = PER_SEG(" access rights: reserved bits 11:8 must be 0");
static const char *const seg_g_0[SEG_COUNT] = PER_SEG(" access rights: G must be 0 when limit bits 11:0 are not all 1");
static const char *const seg_g_1[SEG_COUNT] = PER_SEG(" access rights: G must be 1 when limit bits 31:20 are not all 0");
static const char *const seg_reserved_31_17[SEG_COUNT] = PER_SEG(" access rights: reserved bits 31:17 must be 0");

static bool usable(const struct vmcs_seg *s)
{
	return !(s->ar & VMX_AR_UNUSABLE_MASK);
}

/* The sub-field checks every checked segment shares: S (code/data or system),
 * P, reserved bits 11:8, G against the limit, reserved bits 31:17. */
static const char *check_seg_common(const struct vmcs_seg *s, unsigned i, bool system)
{
	const char *const *s_rule = system ? seg_s_must_be_0 : seg_s_must_be_1;

	if (!(s->ar & VMX_AR_S_MASK) != system)
		return s_rule[i];
	if (!(s->ar & VMX_AR_P_MASK))
		return seg_not_present[i];
	if (s->ar & 0xf00)
		return seg_reserved_11_8[i];
	/* "If any bit in the limit field in the range 11:0 is 0, G must be 0. If
	 * any bit in the limit field in the range 31:20 is 1, G must be 1." */
	if ((s->ar & VMX_AR_G_MASK) && (s->limit & 0xfff) != 0xfff)
		return seg_g_0[i];
	if (!(s->ar & VMX_AR_G_MASK) && (s->limit & 0xfff00000))
		return seg_g_1[i];
	if (s->ar & 0xfffe0000)
		return seg_reserved_31_17[i];
	return 0;
}

/* Access rights of CS, SS, DS, ES, FS, GS outside virtual-8086 mode. */
static const char *check_seg_access(const struct vmcs_config *c, unsigned i, bool ug)
{
	const struct vmcs_seg *s = &c->guest_seg[i];
	unsigned type = s->ar & VMX_AR_TYPE_MASK, dpl = VMX_AR_DPL(s->ar), rpl = s->sel & 3;
	unsigned ss_dpl = VMX_AR_DPL(c->guest_seg[SEG_SS].ar);
	unsigned cs_type = c->guest_seg[SEG_CS].ar & VMX_AR_TYPE_MASK;

	/* "Bits 3:0 (Type)" and "Bits 6:5 (DPL)". CS: "9, 11, 13, or 15 (accessed
	 * code segment)", or 3 with unrestricted guest; DPL 0 for type 3, equal to
	 * SS's DPL for 9 and 11, not greater than it for 13 and 15. */
	if (i == SEG_CS) {
		if (!(type == 9 || type == 11 || type == 13 || type == 15 || (ug && type == 3)))
			return "guest CS type: must be 9, 11, 13 or 15 (accessed code), or 3 with unrestricted guest";
		if (type == 3 && dpl)
			return "guest CS DPL: must be 0 for type 3 (unrestricted guest)";
		if (type <= 11 && type != 3 && dpl != ss_dpl)
			return "guest CS DPL: must equal SS DPL (non-conforming code)";
		if (type >= 13 && dpl > ss_dpl)
			return "guest CS DPL: must not be greater than SS DPL (conforming code)";
	} else if (i == SEG_SS) {
		/* "If SS is usable, the Type must be 3 or 7"; "If the 'unrestricted
		 * guest' VM-execution control is 0, the DPL must equal the RPL from the
		 * selector field. The DPL must be 0 either if the Type in the
		 * access-rights field for CS is 3 ... or if bit 0 in the CR0 field
		 * (PE) is 0." */
		if (usable(s) && type != 3 && type != 7)
			return "guest SS type: must be 3 or 7 (read/write accessed data)";
		if (!ug && dpl != rpl)
			return "guest SS DPL: must equal the selector's RPL";
		if ((cs_type == 3 || !(c->guest_cr0 & X86_CR0_PE)) && dpl)
			return "guest SS DPL: must be 0 when CS type is 3 or CR0.PE is 0";
	} else if (usable(s)) {
		/* DS, ES, FS, GS: "Bit 0 of the Type must be 1 (accessed). If bit 3 of
		 * the Type is 1 (code segment), then bit 1 of the Type must be 1
		 * (readable)." "If the 'unrestricted guest' VM-execution control is 0
		 * ... and the register's Type is in the range 0–11 ..., the DPL cannot
		 * be less than the RPL from the selector field." */
		if (!(type & VMX_AR_TYPE_ACCESSES_MASK))
			return seg_not_accessed[i];
		if ((type & VMX_AR_TYPE_CODE_MASK) && !(type & VMX_AR_TYPE_READABLE_MASK))
			return seg_code_unreadable[i];
		if (!ug && type <= 11 && dpl < rpl)
			return seg_dpl_below_rpl[i];
	}
	if (i != SEG_CS && !usable(s))
		return 0;
	return check_seg_common(s, i, false);
}

/* SDM "Checking and Loading Guest State", "Checks on Guest Segment Registers". */
static const char *check_guest_segments(const struct vmcs_config *c)
{
	const struct vmcs_seg *seg = c->guest_seg, *tr = &seg[SEG_TR], *ldtr = &seg[SEG_LDTR];
	bool v86 = c->guest_rflags & X86_EFLAGS_VM;
	bool ug = vmcs_secondary(c) & SECONDARY_EXEC_UNRESTRICTED_GUEST;
	bool ia32e = c->entry & VM_ENTRY_IA32E_MODE;
	const char *why;

	/* Selector fields: "TR. The TI flag (bit 2) must be 0. LDTR. If LDTR is
	 * usable, the TI flag (bit 2) must be 0. SS. If the guest will not be
	 * virtual-8086 and the 'unrestricted guest' VM-execution control is 0, the
	 * RPL (bits 1:0) must equal the RPL of the selector field for CS." */
	if (tr->sel & 4)
		return "guest TR selector: TI must be 0";
	if (usable(ldtr) && (ldtr->sel & 4))
		return "guest LDTR selector: TI must be 0 when usable";
	if (!v86 && !ug && (seg[SEG_SS].sel & 3) != (seg[SEG_CS].sel & 3))
		return "guest SS selector: RPL must equal CS RPL";
	/* Base-address fields: "TR, FS, GS. The address must be canonical. LDTR. If
	 * LDTR is usable, the address must be canonical. CS. Bits 63:32 of the
	 * address must be zero. SS, DS, ES. If the register is usable, bits 63:32
	 * of the address must be zero." */
	for (unsigned i = SEG_FS; i < SEG_COUNT; i++)
		if ((i != SEG_LDTR || usable(ldtr)) && !canonical(seg[i].base))
			return seg_base_not_canonical[i];
	for (unsigned i = SEG_ES; i <= SEG_DS; i++)
		if ((i == SEG_CS || usable(&seg[i])) && (seg[i].base >> 32))
			return seg_base_high[i];
	/* Virtual-8086: base = selector * 16, limit 0000FFFFH, access rights
	 * 000000F3H for CS, SS, DS, ES, FS, GS. */
	for (unsigned i = SEG_ES; v86 && i <= SEG_GS; i++) {
		if (seg[i].base != (uint64_t)seg[i].sel << 4)
			return seg_v86_base[i];
		if (seg[i].limit != 0xffff)
			return seg_v86_limit[i];
		if (seg[i].ar != 0xf3)
			return seg_v86_ar[i];
	}
	/* Access-rights fields of CS, SS, DS, ES, FS, GS (not virtual-8086). */
	for (unsigned i = SEG_ES; !v86 && i <= SEG_GS; i++)
		if ((why = check_seg_access(c, i, ug)))
			return why;
	/* "Bit 14 (D/B). For CS, D/B must be 0 if the guest will be IA-32e mode and
	 * the L bit (bit 13) in the access-rights field is 1." */
	if (ia32e && (seg[SEG_CS].ar & VMX_AR_L_MASK) && (seg[SEG_CS].ar & VMX_AR_DB_MASK))
		return "guest CS: D/B must be 0 for an IA-32e mode guest with L = 1";
	/* TR: "Bit 16 (Unusable). The unusable bit must be 0." Type: "If the guest
	 * will not be IA-32e mode, the Type must be 3 (16-bit busy TSS) or 11
	 * (32-bit busy TSS). If the guest will be IA-32e mode, the Type must be 11
	 * (64-bit busy TSS)." */
	if (!usable(tr))
		return "guest TR: must be usable";
	if (ia32e && (tr->ar & VMX_AR_TYPE_MASK) != VMX_AR_TYPE_BUSY_64_TSS)
		return "guest TR type: must be 11 (busy 64-bit TSS) for an IA-32e mode guest";
	if (!ia32e && (tr->ar & VMX_AR_TYPE_MASK) != VMX_AR_TYPE_BUSY_32_TSS &&
	    (tr->ar & VMX_AR_TYPE_MASK) != VMX_AR_TYPE_BUSY_16_TSS)
		return "guest TR type: must be 3 or 11 (busy TSS)";
	if ((why = check_seg_common(tr, SEG_TR, true)))
		return why;
	/* LDTR, "only if LDTR is usable": "The Type must be 2 (LDT)". */
	if (!usable(ldtr))
		return 0;
	if ((ldtr->ar & VMX_AR_TYPE_MASK) != VMX_AR_TYPE_LDT)
		return "guest LDTR type: must be 2 (LDT) when usable";
	return check_seg_common(ldtr, SEG_LDTR, true);
}

/* SDM "Checking and Loading Guest State", "Checks on Guest Descriptor-Table
 * Registers": "the base-address fields must contain canonical addresses. Bits
 * 31:16 of each limit field must be 0." */
static const char *check_guest_descriptor_tables(const struct vmcs_config *c)
{
	if (!canonical(c->guest_gdtr_base))
		return "guest GDTR base: not canonical";
	if (!canonical(c->guest_idtr_base))
		return "guest IDTR base: not canonical";
	if (c->guest_gdtr_limit >> 16)
		return "guest GDTR limit: bits 31:16 must be 0";
	if (c->guest_idtr_limit >> 16)
		return "guest IDTR limit: bits 31:16 must be 0";
	return 0;
}

/* SDM "Checking and Loading Guest State", "Checks on Guest RIP, RFLAGS, and SSP". */
static const char *check_guest_rip_rflags(const struct vmcs_config *c)
{
	bool ia32e = c->entry & VM_ENTRY_IA32E_MODE;
	bool code64 = ia32e && (c->guest_seg[SEG_CS].ar & VMX_AR_L_MASK);

	/* "Bits 63:32 must be 0 if the 'IA-32e mode guest' VM-entry control is 0
	 * or if the L bit (bit 13) in the access-rights field for CS is 0." "If the
	 * processor supports N < 64 linear-address bits, bits 63:N must be
	 * identical if [both are] 1": checked here as canonical at 48 bits, which
	 * asks one bit more (bit 47 too). */
	if (!code64 && (c->guest_rip >> 32))
		return "guest RIP: bits 63:32 must be 0 unless IA-32e mode guest with CS.L = 1";
	if (code64 && !canonical(c->guest_rip))
		return "guest RIP: not canonical (64-bit mode)";
	/* "Reserved bits 63:22 ..., bit 15, bit 5 and bit 3 must be 0 in the field,
	 * and reserved bit 1 must be 1." "The VM flag (bit 17) must be 0 either if
	 * the 'IA-32e mode guest' VM-entry control is 1 or if bit 0 in the CR0
	 * field (PE) is 0." */
	if (c->guest_rflags & RFLAGS_RESERVED_0)
		return "guest RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0";
	if (!(c->guest_rflags & X86_EFLAGS_FIXED))
		return "guest RFLAGS: reserved bit 1 must be 1";
	if ((c->guest_rflags & X86_EFLAGS_VM) && (ia32e || !(c->guest_cr0 & X86_CR0_PE)))
		return "guest RFLAGS: VM (bit 17) must be 0 for an IA-32e mode guest or when CR0.PE is 0";
	return 0;
}

/* SDM "Checking and Loading Guest State", "Checks on Guest Non-Register State"
 * (the VMCS link pointer apart, below). */
static const char *check_guest_non_register(const struct vmxcap_msrs *m,
					    const struct vmcs_config *c)
{
	uint64_t misc = vmxcap_get(m, MSR_IA32_VMX_MISC);
	uint32_t intr = c->interruptibility;
	unsigned ss_dpl = VMX_AR_DPL(c->guest_seg[SEG_SS].ar);

	/* Activity state: "must contain a value in the range 0–3, indicating an
	 * activity state supported by the implementation" (IA32_VMX_MISC bits 8:6
	 * for HLT, shutdown, wait-for-SIPI); "must not indicate the HLT state if
	 * the DPL (bits 6:5) in the access-rights field for SS is not 0"; "must
	 * indicate the active state if the interruptibility-state field indicates
	 * blocking by either MOV-SS or by STI". */
	if (c->activity > GUEST_ACTIVITY_WAIT_SIPI)
		return "guest activity state: must be 0 to 3";
	if (c->activity != GUEST_ACTIVITY_ACTIVE &&
	    !(misc & (VMX_MISC_ACTIVITY_HLT << (c->activity - GUEST_ACTIVITY_HLT))))
		return "guest activity state: not supported (IA32_VMX_MISC bits 8:6)";
	if (c->activity == GUEST_ACTIVITY_HLT && ss_dpl)
		return "guest activity state: HLT requires SS DPL 0";
	if (c->activity != GUEST_ACTIVITY_ACTIVE && (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		return "guest activity state: must be active with blocking by STI or MOV SS";
	/* vmxprobe's own rule: its guest runs at once (an idle guest with
	 * interrupts off would wait forever). */
	if (c->activity != GUEST_ACTIVITY_ACTIVE)
		return "guest activity state: must be active (vmxprobe's guest runs at once)";
	/* Interruptibility state: "Reserved bits, bits 31:5, must be 0." "Bits 0
	 * (blocking by STI) and 1 (blocking by MOV-SS) must not both be 1." "Bit 0
	 * ... must be 0 if the IF flag (bit 9) is 0 in the RFLAGS field." "Bit 2
	 * (blocking by SMI) must be 0 if the processor is not in SMM." */
	if (intr & ~0x1fu)
		return "guest interruptibility state: reserved bits 31:5 must be 0";
	if ((intr & GUEST_INTR_STATE_STI) && (intr & GUEST_INTR_STATE_MOV_SS))
		return "guest interruptibility state: blocking by STI and by MOV SS cannot both be 1";
	if ((intr & GUEST_INTR_STATE_STI) && !(c->guest_rflags & X86_EFLAGS_IF))
		return "guest interruptibility state: blocking by STI requires RFLAGS.IF = 1";
	if (intr & GUEST_INTR_STATE_SMI)
		return "guest interruptibility state: blocking by SMI must be 0 outside SMM";
	/* Pending debug exceptions: "Bits 11:4, bit 13, bit 15, and bits 63:17
	 * must be 0"; bit 16 (RTM) is held to 0 as well: vmxprobe has no use for it. */
	if (c->pending_dbg & 0xffffffffffffaff0ull)
		return "guest pending debug exceptions: only bits 3:0, 12 and 14 may be 1";
	return 0;
}

/* SDM "Checks on Guest Non-Register State", the VMCS link pointer: the last of
 * the guest checks here, and the one whose failure VM entry reports with an
 * exit qualification of its own (4, ENTRY_QUAL_VMCS_LINK_PTR). */
static const char *check_guest_link_pointer(unsigned phys_bits, const struct vmcs_config *c)
{
	/* "If the VMCS link pointer is not FFFFFFFF_FFFFFFFFH, the following checks
	 * are performed: bits 11:0 must be 0; bits beyond the processor's
	 * physical-address width must be 0; the 4 bytes located in memory
	 * referenced by the value of the field must contain the VMCS revision
	 * identifier ..." vmxprobe has no VMCS there. */
	if (c->link_pointer != ~0ull) {
		if (c->link_pointer & 0xfff)
			return "VMCS link pointer: bits 11:0 must be 0 unless it is FFFFFFFF_FFFFFFFFH";
		if (beyond_maxphyaddr(c->link_pointer, phys_bits))
			return "VMCS link pointer: bits beyond MAXPHYADDR must be 0 unless it is FFFFFFFF_FFFFFFFFH";
		return "VMCS link pointer: must be FFFFFFFF_FFFFFFFFH (vmxprobe has no shadow VMCS)";
	}
	return 0;
}

/* SDM "Checks on Guest Page-Directory-Pointer-Table Entries": "A VM entry is to
 * a guest that uses PAE paging if (1) bit 31 (corresponding to CR0.PG) is set
 * in the CR0 field in the guest-state area; (2) bit 5 (corresponding to
 * CR4.PAE) is set in the CR4 field; and (3) the 'IA-32e mode guest' VM-entry
 * control is 0. Such a VM entry checks the validity of the PDPTEs" (in memory
 * at CR3, or the PDPTE fields with EPT): vmxprobe's checker reads neither. */
static bool guest_pae_paging(const struct vmcs_config *c)
{
	return (c->guest_cr0 & X86_CR0_PG) && (c->guest_cr4 & X86_CR4_PAE) &&
	       !(c->entry & VM_ENTRY_IA32E_MODE);
}

struct vmcs_entry_verdict vmcs_check_classes(const struct vmxcap_msrs *m, unsigned phys_bits,
					     const struct vmcs_config *c)
{
	struct vmcs_entry_verdict v = { 0, 0, 0, 0 };
	const char *guest, *link_pointer = check_guest_link_pointer(phys_bits, c);

	/* "Checks on VMX Controls". */
	if (!(v.control = check_execution_controls(m, phys_bits, c)))
		v.control = check_exit_entry_controls(m, c);
	/* "Checks on Host Control Registers, MSRs, and SSP", "Checks on Host
	 * Segment and Descriptor-Table Registers", "Checks Related to
	 * Address-Space Size" (KVM's nested_vmx_check_host_state() and Bochs's
	 * VMenterLoadCheckHostState() report the last as host state too). */
	if (!(v.host = check_host_registers(m, phys_bits, c)) &&
	    !(v.host = check_host_segments(c)))
		v.host = check_address_space_size(c);
	/* "Checking and Loading Guest State". */
	if (!(guest = check_guest_registers(m, phys_bits, c)) &&
	    !(guest = check_guest_segments(c)) &&
	    !(guest = check_guest_descriptor_tables(c)) &&
	    !(guest = check_guest_rip_rflags(c)))
		guest = check_guest_non_register(m, c);
	v.guest = guest ? guest : link_pointer;
	/* The exit qualification of the VM-entry failure ("VM-Entry Failures
	 * During or After Loading Guest State"): 4 for an invalid VMCS link
	 * pointer, 0 for the other checks here. "VM-entry checks on guest-state
	 * fields may be performed in any order. Thus, an indication by exit
	 * qualification of one cause does not imply that there are not also other
	 * errors": with both broken, either; and 2 where the PDPTEs, which this
	 * checker does not read, are checked too. */
	if (v.guest)
		v.guest_quals = (guest ? 1u << ENTRY_QUAL_DEFAULT : 0) |
				(link_pointer ? 1u << ENTRY_QUAL_VMCS_LINK_PTR : 0) |
				(guest_pae_paging(c) ? 1u << ENTRY_QUAL_PDPTE : 0);
	return v;
}

const char *vmcs_check(const struct vmxcap_msrs *m, unsigned phys_bits,
		       const struct vmcs_config *c)
{
	struct vmcs_entry_verdict v = vmcs_check_classes(m, phys_bits, c);

	return v.control ? v.control : v.host ? v.host : v.guest;
}
